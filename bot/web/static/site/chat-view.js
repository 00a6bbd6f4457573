/*
 * What the chat widget looks like, as DOM nodes: the bubble and panel, messages, reply
 * buttons, and the assistant's text with line breaks, **bold**, [links](url), web and
 * email addresses. Everything is built with createElement and text nodes, never from
 * HTML, so nothing the bot or a patient writes can become markup or script; links keep
 * only http(s), tel and mailto. chat.js adds the behaviour.
 */
(function () {
  "use strict";

  const SAFE_PROTOCOLS = ["http:", "https:", "tel:", "mailto:"];
  const TOKEN = new RegExp(
    [
      /\*\*([^*\n]+)\*\*/.source,                                  // 1: bold
      /\[([^\]\n]+)\]\(([^)\s]+)\)/.source,                         // 2, 3: [text](url)
      /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)'])/.source,              // 4: bare web address
      /([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/.source, // 5: email address
    ].join("|"),
    "g",
  );
  const ICONS = {
    bubble: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
  };

  /** An element with properties (attributes for aria-*, role, for) and children. */
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (/^(aria-|role$|for$)/.test(key)) node.setAttribute(key, value);
      else node[key] = value;
    }
    node.append(...children);
    return node;
  }

  function icon(name) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  /** The widget's elements, by role; `root` is to be added to the page. */
  function buildWidget({ clinic, retentionDays }) {
    const parts = {
      bubble: h(
        "button",
        { type: "button", id: "chat-open", className: "chat-bubble",
          "aria-controls": "chat-panel", "aria-expanded": "false" },
        icon("bubble"), h("span", {}, "Chat with our assistant"),
      ),
      end: h("button", { type: "button", id: "chat-end", className: "chat-end" }, "End chat"),
      close: h(
        "button",
        { type: "button", id: "chat-close", className: "chat-close", "aria-label": "Close chat" },
        icon("close"),
      ),
      accept: h(
        "button", { type: "button", id: "chat-accept", className: "chat-accept" },
        "I understand, start the chat",
      ),
      log: h("div", {
        id: "chat-log", className: "chat-log", role: "log", "aria-live": "polite",
        "aria-label": "Conversation", tabIndex: 0,
      }),
      typing: h(
        "div", { id: "chat-typing", className: "chat-typing", "aria-hidden": "true", hidden: true },
        h("span"), h("span"), h("span"),
      ),
      status: h("p", { id: "chat-status", className: "chat-status", role: "status" }),
      input: h("input", {
        id: "chat-input", name: "message", type: "text", autocomplete: "off", maxLength: 1000,
        placeholder: "Type your question", disabled: true,
      }),
      send: h("button", { type: "submit", id: "chat-send", disabled: true }, "Send"),
    };
    parts.consent = h(
      "div", { id: "chat-consent", className: "chat-consent", hidden: true },
      h("h3", {}, "Before you start"),
      h(
        "ul", {},
        h("li", {}, "This chat gives ", h("strong", {}, "general information"),
          " about our programs. It is not medical advice."),
        h("li", {}, h("strong", {}, "It is not for emergencies."),
          " If you have a medical emergency, call 911."),
        h("li", {}, `Your messages are stored on ${clinic}'s server and can be read by clinic`
          + ` staff. They are kept for up to ${retentionDays} days.`),
        h("li", {}, "On a shared computer, this device forgets the chat after 30 minutes"
          + " without use, or when you press End chat."),
      ),
      parts.accept,
    );
    parts.confirmEnd = h("button", { type: "button", className: "chat-confirm-end" },
      "Yes, end the chat");
    parts.keepChat = h("button", { type: "button", className: "chat-keep" }, "Keep chatting");
    parts.ending = h(
      "div", { id: "chat-ending", className: "chat-ending", role: "alertdialog",
               "aria-labelledby": "chat-ending-text", hidden: true },
      h("p", { id: "chat-ending-text" },
        "End this chat? This device will forget what was said."),
      parts.confirmEnd, parts.keepChat,
    );
    parts.form = h(
      "form", { id: "chat-form", className: "chat-form" },
      h("label", { for: "chat-input", className: "chat-sr-only" }, "Your message"),
      parts.input, parts.send,
    );
    parts.panel = h(
      "section",
      { id: "chat-panel", className: "chat-panel", role: "dialog", "aria-modal": "true",
        "aria-labelledby": "chat-title", hidden: true },
      h(
        "header", { className: "chat-head" },
        h("div", { className: "chat-heading" },
          h("h2", { id: "chat-title", className: "chat-title" }, "Chat assistant"),
          h("p", { className: "chat-sub" }, clinic)),
        parts.end, parts.close,
      ),
      parts.ending, parts.consent, parts.log, parts.typing, parts.status, parts.form,
      h("p", { className: "chat-note" },
        "This is not medical advice. In an emergency, call 911."),
    );
    parts.root = h("div", { id: "chat", className: "chat" }, parts.bubble, parts.panel);
    return parts;
  }

  /** One message; `from` is "user" (shown verbatim) or "bot" (formatted). */
  function messageNode(message) {
    const body = h("div", { className: "chat-msg__text" });
    if (message.from === "user") body.textContent = message.text;
    else body.append(formatText(message.text));
    return h(
      "div", { className: "chat-msg chat-msg--" + message.from },
      h("span", { className: "chat-sr-only" }, message.from === "user" ? "You: " : "Assistant: "),
      body,
    );
  }

  /** The bot's suggested replies; `choose` gets the clicked {title, payload}. */
  function repliesNode(buttons, choose) {
    const group = h("div", { className: "chat-replies", role: "group",
      "aria-label": "Suggested replies" });
    for (const button of buttons) {
      const reply = h("button", { type: "button", className: "chat-reply" }, button.title);
      reply.addEventListener("click", () => choose(button));
      group.append(reply);
    }
    return group;
  }

  /** "The assistant is offline..." and similar, optionally with the clinic's phone. */
  function statusText(status, text, phone) {
    status.replaceChildren(text);
    if (phone) {
      status.append(" ", h("a", { href: "tel:" + phone.replace(/\s+/g, "") }, phone), ".");
    }
    status.classList.toggle("chat-status--alert", Boolean(phone));
  }

  function safeHref(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch (error) {
      return null;
    }
    return SAFE_PROTOCOLS.includes(parsed.protocol) ? parsed.href : null;
  }

  function token(match) {
    const [whole, bold, label, url, bare, email] = match;
    if (bold !== undefined) return h("strong", {}, bold);
    const href = safeHref(url || bare || (email && "mailto:" + email));
    if (!href) return document.createTextNode(whole);
    const external = /^https?:/.test(href);
    return h("a", external ? { href, target: "_blank", rel: "noopener noreferrer" } : { href },
      label || bare || email);
  }

  /** A fragment showing `text`: one line per newline, with bold and safe links. */
  function formatText(text) {
    const fragment = document.createDocumentFragment();
    String(text).split("\n").forEach((line, index) => {
      if (index > 0) fragment.append(document.createElement("br"));
      let last = 0;
      for (const match of line.matchAll(TOKEN)) {
        fragment.append(line.slice(last, match.index), token(match));
        last = match.index + match[0].length;
      }
      fragment.append(line.slice(last));
    });
    return fragment;
  }

  window.clinicChat = { buildWidget, messageNode, repliesNode, statusText, formatText };
})();

/*
 * What the chat widget looks like, as DOM nodes: the bubble and panel, messages, reply
 * buttons, the assistant's text with line breaks, **bold**, [links](url), web and email
 * addresses and phone numbers (as tel: links), and the sheet a patient can print or save
 * with their triage result. Everything is built with createElement and text nodes, never
 * from HTML, so nothing the bot or a patient writes can become markup or script; links
 * keep only http(s), tel and mailto. The widget's own words come from chat_texts.yml (per
 * language, put on the elements by `localize`). chat.js adds the behaviour.
 */
(function () {
  "use strict";

  const SAFE_PROTOCOLS = ["http:", "https:", "tel:", "mailto:"];
  const BOLD = /\*\*([^*\n]+)\*\*/;
  const LINK = /\[([^\]\n]+)\]\(([^)\s]+)\)/;
  // A U.S. number as people write it: (555) 010-4477, 555-010-4477, +1 555 010 4477; or
  // 911 and 988 on their own. No lookbehind: Safari before 16.4 cannot parse one.
  const PHONE = /((?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\b\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)|\b(?:911|988)\b)/;
  const TOKEN = new RegExp(
    [
      BOLD.source,                                                  // 1: bold
      LINK.source,                                                  // 2, 3: [text](url)
      /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)'])/.source,              // 4: bare web address
      /([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/.source, // 5: email address
      PHONE.source,                                                 // 6: phone number
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

  /** "{name}" in `text` replaced by `values.name` (as text: nothing becomes markup). */
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, (whole, key) =>
      Object.prototype.hasOwnProperty.call(values || {}, key) ? String(values[key]) : whole);
  }

  /** One of the widget's own texts as nodes: **bold** as <strong>, the rest as text. */
  function richText(text) {
    const fragment = document.createDocumentFragment();
    String(text).split(/\*\*([^*\n]+)\*\*/).forEach((part, index) => {
      fragment.append(index % 2 ? h("strong", {}, part) : part);
    });
    return fragment;
  }

  /**
   * The widget's elements, by role; `root` and `print` are to be added to the page.
   * `languages` are the codes the switch offers ("en", "es"); `onLanguage` gets the one
   * clicked. The elements have no text until `localize` gives them a language's.
   */
  function buildWidget(languages, onLanguage) {
    const parts = {
      bubbleText: h("span"),
      bubble: h(
        "button",
        { type: "button", id: "chat-open", className: "chat-bubble",
          "aria-controls": "chat-panel", "aria-expanded": "false" },
      ),
      end: h("button", { type: "button", id: "chat-end", className: "chat-end" }),
      close: h(
        "button", { type: "button", id: "chat-close", className: "chat-close" }, icon("close"),
      ),
      accept: h("button", { type: "button", id: "chat-accept", className: "chat-accept" }),
      log: h("div", {
        id: "chat-log", className: "chat-log", role: "log", "aria-live": "polite", tabIndex: 0,
      }),
      typing: h(
        "div", { id: "chat-typing", className: "chat-typing", "aria-hidden": "true", hidden: true },
        h("span"), h("span"), h("span"),
      ),
      status: h("p", { id: "chat-status", className: "chat-status", role: "status" }),
      input: h("input", {
        id: "chat-input", name: "message", type: "text", autocomplete: "off", maxLength: 1000,
        disabled: true,
      }),
      send: h("button", { type: "submit", id: "chat-send", disabled: true }),
      consentTitle: h("h3"),
      consentList: h("ul"),
      title: h("h2", { id: "chat-title", className: "chat-title" }),
      sub: h("p", { className: "chat-sub" }),
      inputLabel: h("label", { for: "chat-input", className: "chat-sr-only" }),
      note: h("p", { className: "chat-note" }),
      endingText: h("p", { id: "chat-ending-text" }),
      languages: h("div", { id: "chat-languages", className: "chat-languages", role: "group" }),
      languageButtons: {},
    };
    parts.bubble.append(icon("bubble"), parts.bubbleText);
    for (const code of languages) {
      const button = h("button", { type: "button", className: "chat-language", lang: code,
        "aria-pressed": "false" });
      button.addEventListener("click", () => onLanguage(code));
      parts.languageButtons[code] = button;
      parts.languages.append(button);
    }
    parts.consent = h(
      "div", { id: "chat-consent", className: "chat-consent", hidden: true },
      parts.consentTitle, parts.consentList, parts.accept,
    );
    parts.confirmEnd = h("button", { type: "button", className: "chat-confirm-end" });
    parts.keepChat = h("button", { type: "button", className: "chat-keep" });
    parts.endingSave = h("p", { id: "chat-ending-save", hidden: true });
    parts.ending = h(
      "div", { id: "chat-ending", className: "chat-ending", role: "alertdialog",
               "aria-labelledby": "chat-ending-text", "aria-describedby": "chat-ending-save",
               hidden: true },
      parts.endingText, parts.endingSave, parts.confirmEnd, parts.keepChat,
    );
    parts.form = h(
      "form", { id: "chat-form", className: "chat-form" },
      parts.inputLabel, parts.input, parts.send,
    );
    parts.panel = h(
      "section",
      { id: "chat-panel", className: "chat-panel", role: "dialog", "aria-modal": "true",
        "aria-labelledby": "chat-title", hidden: true },
      h(
        "header", { className: "chat-head" },
        h("div", { className: "chat-heading" }, parts.title, parts.sub),
        parts.languages, parts.end, parts.close,
      ),
      parts.ending, parts.consent, parts.log, parts.typing, parts.status, parts.form,
      parts.note,
    );
    parts.root = h("div", { id: "chat", className: "chat" }, parts.bubble, parts.panel);
    // Holds the result sheet while it prints; outside the root, as the only thing printed.
    parts.print = h("div", { id: "chat-print", className: "chat-print" });
    return parts;
  }

  /**
   * Put the texts `t` of one language (chat_texts.yml) on the widget's elements, `code`
   * being that language; `all` holds every language's texts (for the switch's names).
   * `clinic` and `retentionDays` fill the notice.
   */
  function localize(parts, code, t, all, { clinic, retentionDays }) {
    parts.root.lang = code;
    parts.print.lang = code;
    parts.bubbleText.textContent = t.bubble;
    parts.title.textContent = t.title;
    parts.sub.textContent = clinic;
    parts.end.textContent = t.end;
    parts.close.setAttribute("aria-label", t.close);
    parts.consentTitle.textContent = t.consent_title;
    parts.consentList.replaceChildren(...t.consent.map((item) =>
      h("li", {}, richText(fill(item, { clinic, days: retentionDays })))));
    parts.accept.textContent = t.accept;
    parts.log.setAttribute("aria-label", t.log);
    parts.inputLabel.textContent = t.input_label;
    parts.input.placeholder = t.placeholder;
    parts.send.textContent = t.send;
    parts.note.textContent = t.note;
    parts.endingText.textContent = t.ending;
    parts.endingSave.textContent = t.ending_save;
    parts.confirmEnd.textContent = t.confirm_end;
    parts.keepChat.textContent = t.keep_chatting;
    parts.languages.setAttribute("aria-label", t.languages);
    for (const [other, button] of Object.entries(parts.languageButtons)) {
      // Each language named in itself: "EN" is read "English", "ES" "Español".
      button.textContent = all[other].short_name;
      button.setAttribute("aria-label", all[other].language_name);
      button.setAttribute("aria-pressed", String(other === code));
    }
  }

  /** One message; `from` is "user" (shown verbatim) or "bot" (formatted); `staff` names
   * a person from the clinic who wrote it. `t`: the widget's texts. */
  function messageNode(message, t) {
    const body = h("div", { className: "chat-msg__text" });
    if (message.from === "user") body.textContent = message.text;
    else body.append(formatText(message.text));
    const staff = message.from === "bot" && typeof message.staff === "string" && message.staff;
    const who = message.from === "user" ? t.you : staff ? fill(t.staff, { name: staff })
      : t.assistant;
    return h(
      "div", { className: "chat-msg chat-msg--" + message.from + (staff ? " chat-msg--staff" : "") },
      h("span", { className: "chat-sr-only" }, who),
      body,
    );
  }

  /** The bot's suggested replies; `choose` gets the clicked {title, payload}. */
  function repliesNode(buttons, choose, t) {
    const group = h("div", { className: "chat-replies", role: "group", "aria-label": t.replies });
    for (const button of buttons) {
      const reply = h("button", { type: "button", className: "chat-reply" }, button.title);
      reply.addEventListener("click", () => choose(button));
      group.append(reply);
    }
    return group;
  }

  /**
   * "Save or print my result", placed under a triage result: a button that shows the two
   * ways to keep it (a disclosure, so the log stays short until the patient wants them).
   */
  function saveNode(onPrint, onDownload, t) {
    const options = h(
      "div", { id: "chat-save-options", className: "chat-save__options", hidden: true },
      h("p", {}, t.save_help),
    );
    for (const [label, action] of [[t.print, onPrint], [t.download, onDownload]]) {
      const button = h("button", { type: "button", className: "chat-save__do" }, label);
      button.addEventListener("click", action);
      options.append(button);
    }
    const toggle = h(
      "button", { type: "button", className: "chat-save__toggle", "aria-expanded": "false",
                  "aria-controls": "chat-save-options" },
      t.save,
    );
    toggle.addEventListener("click", () => {
      options.hidden = !options.hidden;
      toggle.setAttribute("aria-expanded", String(!options.hidden));
    });
    return h("div", { className: "chat-save" }, toggle, options);
  }

  /**
   * The result sheet to print: `sheet` is {clinic, date, messages, details}, where
   * messages are the result's texts in order and details the clinic's [label, value] pairs.
   */
  function sheetNode(sheet, t) {
    return h(
      "article", { className: "chat-sheet" },
      h("h1", {}, t.sheet_title),
      h("p", {}, sheet.clinic, h("br"), fill(t.sheet_date, { date: sheet.date })),
      ...sheet.messages.map((text) => h("p", {}, formatText(text))),
      h("h2", {}, fill(t.sheet_reach, { clinic: sheet.clinic })),
      h("dl", {}, ...sheet.details.map(([label, value]) =>
        h("div", {}, h("dt", {}, label), h("dd", {}, value)))),
      h("p", {}, t.sheet_note),
    );
  }

  /** The same sheet as plain text, for the download. */
  function sheetText(sheet, t) {
    return [
      t.sheet_title, sheet.clinic, fill(t.sheet_date, { date: sheet.date }), "",
      ...sheet.messages.flatMap((text) => [plainText(text), ""]),
      fill(t.sheet_reach, { clinic: sheet.clinic }),
      ...sheet.details.map(([label, value]) => `${label}: ${value}`), "",
      t.sheet_note, "",
    ].join("\n");
  }

  /** The assistant's text without its markup: **bold** plain, [text](url) as "text (url)". */
  function plainText(text) {
    return String(text)
      .replace(new RegExp(BOLD.source, "g"), "$1")
      .replace(new RegExp(LINK.source, "g"), "$1 ($2)");
  }

  /** "The assistant is offline..." and similar, optionally with the clinic's phone. */
  function statusText(status, text, phone) {
    status.replaceChildren(text);
    if (phone) status.append(" ", h("a", { href: telHref(phone) }, phone), ".");
    status.classList.toggle("chat-status--alert", Boolean(phone));
  }

  /** A tel: address for a number as written: "(555) 010-4477" → tel:+15550104477. */
  function telHref(number) {
    const digits = number.replace(/\D/g, "");
    if (digits.length === 10) return "tel:+1" + digits;
    if (digits.length === 11 && digits[0] === "1") return "tel:+" + digits;
    return "tel:" + digits; // 911, 988
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
    const [whole, bold, label, url, bare, email, phone] = match;
    if (bold !== undefined) return h("strong", {}, bold);
    if (phone !== undefined) return h("a", { href: telHref(phone) }, phone);
    const href = safeHref(url || bare || (email && "mailto:" + email));
    if (!href) return document.createTextNode(whole);
    const external = /^https?:/.test(href);
    return h("a", external ? { href, target: "_blank", rel: "noopener noreferrer" } : { href },
      label || bare || email);
  }

  /** A fragment showing `text`: one line per newline, with bold, safe links and tel: links. */
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

  window.clinicChat = {
    buildWidget, localize, fill, messageNode, repliesNode, saveNode, sheetNode, sheetText,
    statusText, formatText,
  };
})();

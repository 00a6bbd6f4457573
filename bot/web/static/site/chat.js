/*
 * The clinic's chat widget, over the Rasa server's socket.io channel.
 *
 * Rasa runs that channel with session persistence: the browser picks a session id, asks
 * to join it with `session_request`, and every message names it. The id and a bounded
 * copy of the transcript live in localStorage, so a reload or a second tab continues the
 * same conversation and shows what was said. On a shared device (a clinic kiosk) the next
 * person must not see it: both are forgotten after 30 minutes without activity, and on
 * "End chat" once confirmed. Nothing is sent before the patient has accepted the notice.
 *
 * After a triage result the patient can print it or download it, with the clinic's
 * details as the page shows them (see clinicDetails).
 *
 * Languages: the widget's own words come from the page (a JSON block of chat_texts.yml,
 * every language). It starts in the page's language, or in the language of the
 * conversation it continues. Its EN | ES switch changes its words and, once the chat has
 * started, tells the assistant: `/change_language{"language":"es"}`. The first message
 * is `/greet`, or `/greet{"language":"es"}` in another language than English. Such
 * payloads are never shown as the patient's words.
 *
 * Settings come from this script's own tag, so another site can embed the widget:
 * data-socket-url (the Rasa server), data-phone, data-clinic, data-retention-days,
 * data-language (the page's: "en", "es") and data-texts (the id of the JSON block).
 * Load socket.io.min.js and chat-view.js first.
 */
(function () {
  "use strict";

  const KEYS = {
    consent: "clinicChat.consent",
    session: "clinicChat.session",
    transcript: "clinicChat.transcript",
    active: "clinicChat.lastActive",
    language: "clinicChat.language",
  };
  const FORGET_AFTER_MS = 30 * 60 * 1000;
  const MAX_MESSAGES = 100;
  const MAX_TEXT = 4000;
  const ASSISTANT_LANGUAGE = "en"; // the assistant's own: `/greet` needs no language
  const REPLY_TIMEOUT_MS = 30000;
  // Rasa response names (sent as `utter_action`) that open and close a triage result.
  const RESULT = /^utter_result_/;
  const RESULT_FIRST = "utter_result_first"; // a note said before the result is part of it
  const NEXT_STEPS = /^utter_next_steps/;
  const LONG_DATE = { year: "numeric", month: "long", day: "numeric" };

  const script = document.currentScript;
  const view = window.clinicChat;
  if (!script || !view) return;
  const config = script.dataset;
  const texts = readTexts(config.texts);
  if (!texts) return;
  const pageLanguage = texts[config.language] ? config.language : Object.keys(texts)[0];
  const socketUrl = new URL(config.socketUrl, window.location.href);
  const phone = config.phone;
  const parts = view.buildWidget(Object.keys(texts), (code) => setLanguage(code, true));
  const { bubble, panel, consent, log, typing, status, form, input, send } = parts;
  const tabId = randomId();
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  let socket = null;
  let confirmed = false;
  let outbox = [];
  let replyTimer = null;
  let greeted = false;
  let language = pageLanguage;
  let statusKey = "";

  // The widget's texts in every language: {"en": {...}, "es": {...}} from the page.
  function readTexts(id) {
    const block = id && document.getElementById(id);
    try {
      const parsed = block ? JSON.parse(block.textContent) : null;
      return parsed && typeof parsed === "object" && Object.keys(parsed).length ? parsed : null;
    } catch (error) {
      return null;
    }
  }

  // The texts of the widget's current language.
  function t() {
    return texts[language];
  }

  // --- storage (the widget still works for one page if localStorage is refused) ---

  const memory = {};
  function load(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return memory[key] === undefined ? null : memory[key];
    }
  }
  function save(key, value) {
    memory[key] = value;
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (error) {
      /* storage full or refused: the in-memory copy serves this page */
    }
  }

  function randomId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function sessionId() {
    let id = load(KEYS.session);
    if (!id) {
      id = randomId();
      save(KEYS.session, id);
    }
    return id;
  }

  function transcript() {
    try {
      const stored = JSON.parse(load(KEYS.transcript));
      if (stored && Array.isArray(stored.messages)) return stored;
    } catch (error) {
      /* unreadable copy: start a fresh one */
    }
    return { owner: null, messages: [] };
  }

  // Append to the stored transcript. A user message (or null, to claim the next reply
  // without one) makes this tab the owner: the tab that records the bot's replies.
  function record(message) {
    save(KEYS.active, String(Date.now()));
    const current = transcript();
    current.messages = current.messages.concat(message || []).slice(-MAX_MESSAGES);
    if (!message || message.from === "user") current.owner = tabId;
    save(KEYS.transcript, JSON.stringify(current));
  }

  // --- rendering ---

  function show(message, isLatest) {
    log.append(view.messageNode(message, t()));
    if (isLatest && message.buttons && message.buttons.length) {
      log.append(view.repliesNode(message.buttons, choose, t()));
    }
  }

  // The node of `messages[index]`, counted from the end: the log may hold more messages
  // than the stored transcript keeps, never fewer of its latest.
  function nodeOf(messages, index) {
    const nodes = log.querySelectorAll(".chat-msg");
    return nodes[nodes.length - (messages.length - index)];
  }

  // After a new message, the patient's own goes to the end, and a reply shows its start:
  // scrolled to the end, a reply taller than the log would open at its last line with its
  // first, most important sentence out of sight. A short reply still ends in view.
  function scrollToNew(messages) {
    let top = log.scrollHeight - log.clientHeight;
    let first = messages.length - 1;
    if (messages[first].from === "bot") {
      while (first > 0 && messages[first - 1].from === "bot") first -= 1;
      const start = nodeOf(messages, first).getBoundingClientRect().top;
      const padding = parseFloat(window.getComputedStyle(log).paddingTop);
      top = Math.min(top, log.scrollTop + start - log.getBoundingClientRect().top - padding);
    }
    log.scrollTo({ top, behavior: reducedMotion.matches ? "auto" : "smooth" });
  }

  function renderTranscript() {
    log.setAttribute("aria-busy", "true");
    log.replaceChildren();
    const messages = transcript().messages;
    messages.forEach((message, index) => show(message, index === messages.length - 1));
    placeSave(messages);
    log.setAttribute("aria-busy", "false");
    log.scrollTop = log.scrollHeight;
  }

  // --- keeping the triage result ---

  // The latest triage result, as indexes [start, end) into `messages`: the reply from an
  // `utter_result_<outcome>` response through the next steps, with "Why I suggest this:
  // …" between, and a note said just before it ("more than two years since you got
  // hurt"). `utter_result_stands` ("that does not change my suggestion") has no next
  // steps after it, so it is no result.
  function latestResult(messages) {
    for (let start = messages.length - 1; start >= 0; start -= 1) {
      if (!RESULT.test(messages[start].response || "")) continue;
      let end = start;
      for (let i = start + 1; i < messages.length && messages[i].from === "bot"; i += 1) {
        if (NEXT_STEPS.test(messages[i].response || "")) end = i + 1;
      }
      if (end <= start) continue;
      while (start > 0 && messages[start - 1].response === RESULT_FIRST) start -= 1;
      return { start, end };
    }
    return null;
  }

  // "Save or print my result" sits under the latest result. It is left alone while that
  // stays the same, so a new message does not reset it or take its focus.
  function placeSave(messages) {
    const result = latestResult(messages);
    const place = result ? `${messages[result.start].at}:${result.end - result.start}` : "";
    const current = log.querySelector(".chat-save");
    if (current && current.dataset.place === place) return;
    if (current) current.remove();
    if (!result) return;
    const save = view.saveNode(printResult, downloadResult, t());
    save.dataset.place = place;
    nodeOf(messages, result.end - 1).after(save);
  }

  // How to reach the clinic, read from the page's own list of its details (rendered from
  // clinic.yml: <dl data-clinic-details> of <dt>label</dt><dd>value</dd>), so the sheet
  // says what the page says. A site without that list gives the phone from the script tag.
  function clinicDetails() {
    const list = document.querySelector("[data-clinic-details]");
    if (!list) return [[t().phone, phone]];
    const text = (node) => node.textContent.replace(/\s+/g, " ").trim();
    return Array.from(list.querySelectorAll("dt"), (dt) => [text(dt), text(dt.nextElementSibling)]);
  }

  // The latest result's messages and the sheet made of them (see view.sheetNode).
  function resultSheet() {
    const messages = transcript().messages;
    const { start, end } = latestResult(messages);
    const result = messages.slice(start, end);
    const day = new Date(result[0].at);
    return {
      day,
      sheet: {
        clinic: config.clinic,
        date: day.toLocaleDateString(t().locale, LONG_DATE),
        messages: result.map((message) => message.text),
        details: clinicDetails(),
      },
    };
  }

  // Print the sheet alone: chat.css's print rules hide the page while <html> has the
  // class `chat-printing`; afterprint (below) takes the sheet away again.
  function printResult() {
    parts.print.replaceChildren(view.sheetNode(resultSheet().sheet, t()));
    document.documentElement.classList.add("chat-printing");
    window.print();
  }

  function clearPrint() {
    document.documentElement.classList.remove("chat-printing");
    parts.print.replaceChildren();
  }

  // Download the sheet as a text file, named by the result's date. It starts with a
  // byte-order mark so that a text editor shows "•" and "–" right.
  function downloadResult() {
    const { day, sheet } = resultSheet();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(
      new Blob(["\ufeff", view.sheetText(sheet, t())], { type: "text/plain;charset=utf-8" }),
    );
    const pad = (n) => String(n).padStart(2, "0");
    link.download = view.fill(t().file, {
      date: `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 60 * 1000);
  }

  function setTyping(on) {
    typing.hidden = !on;
    window.clearTimeout(replyTimer);
    if (on) replyTimer = window.setTimeout(() => setTyping(false), REPLY_TIMEOUT_MS);
  }

  // `key` names a text ("offline", "reconnecting"), or "" for none; the text changes
  // with the language.
  function setStatus(key) {
    statusKey = key;
    view.statusText(status, key ? t()[key] : "", key ? phone : null);
  }

  // --- the socket ---

  function connect() {
    if (socket) return;
    if (typeof window.io !== "function") {
      setStatus("offline");
      return;
    }
    // Long-polling only: Sanic 21.12, under Rasa 3.6, fails every WebSocket upgrade on
    // Python 3.11 ("Passing coroutines is forbidden"), which the browser logs as an error.
    // `route` keeps this page's long-polls on one Rasa server behind a load balancer
    // (nginx hashes on it); random, so it says nothing about the conversation.
    socket = window.io(socketUrl.origin, {
      path: socketUrl.pathname.replace(/\/+$/, "") + "/socket.io/",
      query: { route: randomId() },
      transports: ["polling"],
      reconnectionDelayMax: 10000,
    });
    socket.on("connect", () => {
      confirmed = false;
      socket.emit("session_request", { session_id: sessionId() });
    });
    socket.on("session_confirm", (id) => {
      if (id !== sessionId()) return;
      confirmed = true;
      setStatus("");
      const pending = outbox;
      outbox = [];
      pending.forEach(emit);
    });
    socket.on("connect_error", offline);
    socket.on("disconnect", (reason) => {
      confirmed = false;
      if (reason !== "io client disconnect") offline();
    });
    socket.on("bot_uttered", receive);
  }

  function offline() {
    setTyping(false);
    setStatus("reconnecting");
  }

  // A button's payload travels with the title the patient saw (metadata.typed), for staff.
  function emit({ message, typed }) {
    const metadata = typed ? { typed: typed } : {};
    socket.emit("user_uttered", { message: message, session_id: sessionId(), metadata: metadata });
  }

  function dispatch(outgoing) {
    connect();
    if (!socket) return; // no socket.io client: the status says to call instead
    if (confirmed) emit(outgoing);
    else outbox.push(outgoing);
    setTyping(true);
  }

  function choose(button) {
    submit(button.payload, button.title);
    input.focus();
  }

  function clearReplies() {
    log.querySelectorAll(".chat-replies").forEach((group) => group.remove());
  }

  // A new message replaces the offered buttons, is kept for other tabs and reloads, and shown.
  function append(message) {
    clearReplies();
    record(message);
    show(message, true);
    const messages = transcript().messages;
    placeSave(messages);
    scrollToNew(messages);
  }

  function submit(text, shownAs) {
    append({ from: "user", text: (shownAs || text).slice(0, MAX_TEXT) });
    dispatch({ message: text, typed: shownAs });
  }

  // A payload the widget sends on its own ("/greet", "/change_language{...}"): never
  // shown as the patient's words; it claims the reply for this tab (see record).
  function tell(message) {
    record(null);
    dispatch({ message });
  }

  // "/intent", with `{"language": "es"}` when the language is not the assistant's own.
  function withLanguage(intent, always) {
    if (!always && language === ASSISTANT_LANGUAGE) return intent;
    return intent + JSON.stringify({ language });
  }

  // Show the widget in `code`; `fromPatient`: the patient chose it with the switch, so a
  // started chat tells the assistant too. Another tab of the same chat follows (onStorage).
  function setLanguage(code, fromPatient) {
    if (!texts[code]) return;
    const changed = code !== language;
    language = code;
    if (greeted || load(KEYS.session)) save(KEYS.language, code); // a chat's: kept with it
    view.localize(parts, code, t(), texts, config);
    setStatus(statusKey);
    renderTranscript();
    if (fromPatient && changed && consented() && (greeted || transcript().messages.length)) {
      tell(withLanguage("/change_language", true));
    }
  }

  function receive(data) {
    // Every tab in this session gets the reply; the tab that asked records it, the
    // others redraw from the stored transcript (see the storage listener below).
    if (!data || typeof data !== "object" || transcript().owner !== tabId) return;
    const text = typeof data.text === "string" ? data.text : attachmentText(data);
    if (!text) return;
    const buttons = (data.quick_replies || data.buttons || [])
      .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
      .map((b) => ({ title: b.title, payload: b.payload }));
    const response = typeof data.utter_action === "string" ? data.utter_action : undefined;
    const staff = typeof data.staff_name === "string" ? data.staff_name.slice(0, 80) : undefined;
    setTyping(false);
    append({ from: "bot", text: text.slice(0, MAX_TEXT), buttons, response, staff,
      at: Date.now() });
  }

  function attachmentText(data) {
    const payload = data.attachment && data.attachment.payload;
    return payload && typeof payload.src === "string" ? payload.src : "";
  }

  // --- opening, consent, closing ---

  function consented() {
    return load(KEYS.consent) === "1";
  }

  function applyConsent() {
    const ok = consented();
    consent.hidden = ok;
    log.hidden = !ok;
    parts.end.hidden = !ok;
    input.disabled = !ok;
    send.disabled = !ok;
  }

  function start() {
    renderTranscript();
    if (transcript().messages.length === 0 && !greeted) {
      greeted = true;
      tell(withLanguage("/greet", false));
      save(KEYS.language, language); // the conversation's, for a reload or another tab
    } else {
      connect();
    }
  }

  function open() {
    forgetIfIdle();
    parts.ending.hidden = true;
    panel.hidden = false;
    bubble.hidden = true;
    bubble.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("chat-is-open");
    applyConsent();
    if (consented()) {
      start();
      input.focus();
    } else {
      parts.accept.focus();
    }
  }

  function close() {
    panel.hidden = true;
    bubble.hidden = false;
    bubble.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("chat-is-open");
    bubble.focus();
  }

  // Forget the conversation on this device: the next chat starts afresh.
  function forget() {
    if (socket) socket.disconnect();
    socket = null;
    confirmed = false;
    outbox = [];
    greeted = false;
    setTyping(false);
    setStatus("");
    save(KEYS.transcript, null);
    save(KEYS.session, null);
    save(KEYS.active, null);
    save(KEYS.consent, null); // the next person reads the notice again
    save(KEYS.language, null);
    log.replaceChildren();
    clearPrint();
    if (language !== pageLanguage) setLanguage(pageLanguage, false);
  }

  function forgetIfIdle() {
    const last = Number(load(KEYS.active));
    if (load(KEYS.session) && !(last && Date.now() - last < FORGET_AFTER_MS)) forget();
  }

  function askToEnd() {
    parts.endingSave.hidden = !latestResult(transcript().messages);
    parts.ending.hidden = false;
    parts.keepChat.focus();
  }

  function keepChatting() {
    parts.ending.hidden = true;
    input.focus();
  }

  function endChat() {
    parts.ending.hidden = true;
    forget();
    close();
  }

  function focusables(scope) {
    return Array.from(scope.querySelectorAll("button, input, a[href], [tabindex='0']")).filter(
      (node) => !node.disabled && node.getClientRects().length > 0,
    );
  }

  // While the chat is open: Esc closes it, and Tab cycles through its controls only.
  // While "End this chat?" asks, Esc answers "Keep chatting" and Tab stays on the answers.
  function onKey(event) {
    if (panel.hidden) return;
    const asking = !parts.ending.hidden;
    if (event.key === "Escape") {
      event.preventDefault();
      if (asking) keepChatting();
      else close();
      return;
    }
    if (event.key !== "Tab") return;
    const scope = asking ? parts.ending : panel;
    const nodes = focusables(scope);
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    const inside = scope.contains(document.activeElement);
    if (event.shiftKey && (!inside || document.activeElement === first)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
      event.preventDefault();
      first.focus();
    }
  }

  function onStorage(event) {
    if (event.key === KEYS.consent && !panel.hidden) applyConsent();
    if (event.key === KEYS.session && event.newValue === null) {
      if (socket) socket.disconnect();
      socket = null;
    }
    if (event.key === KEYS.language && event.newValue && event.newValue !== language) {
      setLanguage(event.newValue, false);
    }
    if (event.key === KEYS.transcript || event.key === null) renderTranscript();
  }

  // The language of the conversation this device continues, else the page's.
  const continued = load(KEYS.session) && load(KEYS.language);
  language = texts[continued] ? continued : pageLanguage;
  view.localize(parts, language, t(), texts, config);

  bubble.addEventListener("click", open);
  parts.close.addEventListener("click", close);
  parts.end.addEventListener("click", askToEnd);
  parts.confirmEnd.addEventListener("click", endChat);
  parts.keepChat.addEventListener("click", keepChatting);
  parts.accept.addEventListener("click", () => {
    save(KEYS.consent, "1");
    applyConsent();
    start();
    input.focus();
  });
  document.addEventListener("keydown", onKey);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || input.disabled) return;
    input.value = "";
    submit(text);
  });
  window.addEventListener("storage", onStorage);
  window.addEventListener("afterprint", clearPrint);
  // A chat left open on a kiosk is forgotten and closed too, not only one opened later.
  window.setInterval(() => {
    if (!load(KEYS.session)) return;
    forgetIfIdle();
    if (!load(KEYS.session) && !panel.hidden) close();
  }, 60 * 1000);
  document.querySelectorAll("[data-chat-open]").forEach((node) => {
    node.addEventListener("click", open);
  });
  document.querySelectorAll("[data-chat-open-hint]").forEach((node) => {
    node.hidden = false;
  });
  document.body.append(parts.root, parts.print);
  // Tells chat.css that the launcher is on the page, to keep room for it (on phones).
  document.documentElement.classList.add("chat-has-launcher");
})();

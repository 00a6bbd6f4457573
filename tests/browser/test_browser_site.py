"""The clinic website and its chat widget in a real browser, against the real bot."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from website_chat import (
    CLINIC,
    GREETING,
    TRIAGE_START,
    WORK_CONDITIONING,
    WORK_HARDENING,
    ask,
    bot_message,
    open_chat,
    session_id,
    start_chat,
    stored_user_texts,
    user_message,
)

from bot.settings import Settings
from browser.chromium import PHONE

expect.set_options(timeout=20_000)


@pytest.fixture(scope="module")
def site(running_bot) -> str:
    return running_bot.web_url


def test_page_loads_cleanly_and_nothing_leaves_the_machine(page, page_log, site):
    start_chat(page, site)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    ask(page, "What is work hardening?")
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    assert page_log.console_errors == []
    assert page_log.page_errors == []
    assert page_log.external_requests == []


def test_nothing_is_sent_before_the_notice_is_accepted(page, site, running_bot):
    rasa_port = urlsplit(running_bot.rasa_url).port
    rasa_requests: list[str] = []
    page.on("request", lambda r: urlsplit(r.url).port == rasa_port and rasa_requests.append(r.url))
    page.goto(site)
    open_chat(page)
    notice = page.locator("#chat-consent")
    expect(notice).to_contain_text("not medical advice")
    expect(notice).to_contain_text("call 911")
    expect(notice).to_contain_text("read by clinic staff")
    expect(notice).to_contain_text(f"{Settings.from_env().retention_days} days")
    expect(notice).to_contain_text("forgets the chat after 30 minutes")
    expect(page.get_by_label("Your message")).to_be_disabled()
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    expect(page.get_by_role("button", name="I understand, start the chat")).to_be_focused()
    page.wait_for_timeout(500)
    assert rasa_requests == []

    page.get_by_role("button", name="I understand, start the chat").click()
    expect(page.get_by_label("Your message")).to_be_enabled()
    expect(page.get_by_label("Your message")).to_be_focused()
    expect(bot_message(page, GREETING)).to_be_visible()
    assert rasa_requests

    page.reload()
    open_chat(page)
    expect(page.locator("#chat-consent")).to_be_hidden()
    expect(page.get_by_label("Your message")).to_be_enabled()


def test_a_question_gets_its_answer(page, site):
    start_chat(page, site)
    ask(page, "What is work hardening?")
    expect(user_message(page, "What is work hardening?")).to_be_visible()
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("")


def test_a_reply_button_sends_its_payload_and_shows_its_title(page, site, running_bot):
    start_chat(page, site)
    page.get_by_role("button", name="Which one is for me?").click()
    expect(user_message(page, "Which one is for me?")).to_be_visible()
    expect(bot_message(page, TRIAGE_START)).to_be_visible()
    expect(page.get_by_role("button", name="What's the difference?")).to_have_count(0)
    expect(page.get_by_role("button", name="No, none of these")).to_be_visible()
    wanted = {"Which program is right for me?"}
    assert wanted <= stored_user_texts(running_bot, session_id(page), wanted)


def test_reload_and_a_new_tab_continue_the_same_conversation(
    page, context: BrowserContext, site, running_bot
):
    start_chat(page, site)
    ask(page, "What is work hardening?")
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    sender = session_id(page)

    page.reload()
    open_chat(page)
    expect(user_message(page, "What is work hardening?")).to_be_visible()
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    ask(page, "What is work conditioning?")
    expect(bot_message(page, WORK_CONDITIONING)).to_be_visible()
    assert session_id(page) == sender
    asked = {"What is work hardening?", "What is work conditioning?"}
    assert asked <= stored_user_texts(running_bot, sender, asked)

    tab = context.new_page()
    tab.goto(site)
    open_chat(tab)
    expect(tab.locator("#chat-consent")).to_be_hidden()
    expect(bot_message(tab, WORK_HARDENING)).to_be_visible()
    expect(bot_message(tab, WORK_CONDITIONING)).to_be_visible()
    assert session_id(tab) == sender

    # Both tabs get the reply; it is stored once and both show it once.
    tab.get_by_role("button", name="Which one is for me?").last.click()
    for each in (tab, page):
        expect(bot_message(each, TRIAGE_START)).to_be_visible()
    page.wait_for_timeout(500)
    for each in (tab, page):
        expect(bot_message(each, TRIAGE_START)).to_have_count(1)
        expect(user_message(each, "Which one is for me?")).to_have_count(1)


def next_person_starts_afresh(page, sender: str) -> None:
    """The next person opens the chat: the notice again, a new session, nothing old."""
    open_chat(page)
    expect(page.locator("#chat-consent")).to_be_visible()
    page.get_by_role("button", name="I understand, start the chat").click()
    expect(bot_message(page, GREETING)).to_be_visible()
    expect(user_message(page, "What is work hardening?")).to_have_count(0)
    assert session_id(page) != sender


def test_end_chat_asks_first_then_forgets_the_conversation(page, site):
    start_chat(page, site)
    ask(page, "What is work hardening?")
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    sender = session_id(page)
    page.get_by_role("button", name="End chat").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("End this chat?")
    page.get_by_role("button", name="Keep chatting").click()
    expect(page.get_by_role("alertdialog")).to_be_hidden()
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    assert session_id(page) == sender

    page.get_by_role("button", name="End chat").click()
    page.get_by_role("button", name="Yes, end the chat").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="Chat with our assistant")).to_be_focused()
    assert page.evaluate("localStorage.getItem('clinicChat.transcript')") is None

    next_person_starts_afresh(page, sender)


def test_a_shared_device_forgets_the_chat_after_30_minutes_without_activity(page, site):
    """The next person at a kiosk sees nothing of the previous patient's chat."""
    page.clock.install()
    start_chat(page, site)
    ask(page, "What is work hardening?")
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    sender = session_id(page)
    page.clock.fast_forward("20:00")
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()  # still in use
    page.clock.fast_forward("11:00")
    expect(page.get_by_role("dialog")).to_be_hidden()  # left open: closed and forgotten
    assert page.evaluate("localStorage.getItem('clinicChat.transcript')") is None

    page.reload()
    next_person_starts_afresh(page, sender)


def test_on_a_phone_the_chat_fills_the_screen_without_sideways_scrolling(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    start_chat(page, site)
    ask(page, "What is work hardening?")
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    box = page.get_by_role("dialog").bounding_box()
    assert box == {"x": 0, "y": 0, **PHONE}
    for control in (page.get_by_label("Your message"), page.get_by_role("button", name="Send"),
                    page.get_by_role("button", name="Close chat")):
        control_box = control.bounding_box()
        assert control_box["x"] >= 0
        assert control_box["x"] + control_box["width"] <= PHONE["width"]
        assert control_box["y"] + control_box["height"] <= PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for message in page.locator(".chat-msg").all():
        message_box = message.bounding_box()
        assert message_box["x"] + message_box["width"] <= PHONE["width"]


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def tab_until(page: Page, condition: str, limit: int) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {condition}; }})()"):
            return
    pytest.fail(f"Tab never reached an element where {condition}")


def test_keyboard_only(page, site):
    page.goto(site)
    tab_until(page, "e.id === 'chat-open'", limit=60)
    page.keyboard.press("Enter")
    assert focused_id(page) == "chat-accept"
    page.keyboard.press("Enter")
    assert focused_id(page) == "chat-input"
    expect(bot_message(page, GREETING)).to_be_visible()
    page.keyboard.type("What is work hardening?")
    page.keyboard.press("Enter")
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()

    tab_until(page, "e.classList.contains('chat-reply')", limit=10)
    reply = page.locator(".chat-reply:focus")
    assert reply.text_content() == "Which one is for me?"
    assert reply.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(user_message(page, "Which one is for me?")).to_be_visible()
    expect(bot_message(page, TRIAGE_START)).to_be_visible()
    assert focused_id(page) == "chat-input"


def test_markup_in_messages_stays_text_and_never_runs(page, site):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    start_chat(page, site)
    replies = page.locator(".chat-msg--bot")
    for attack in ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"]:
        before = replies.count()
        ask(page, attack)
        expect(page.locator(".chat-msg--user .chat-msg__text").last).to_have_text(attack)
        expect(replies).not_to_have_count(before)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("#chat-log img, #chat-log script").count() == 0


def test_bot_text_formatting_builds_only_safe_nodes(page, site):
    page.goto(site)
    rendered = page.evaluate("""() => {
        const box = document.createElement("div");
        box.append(window.clinicChat.formatText(
            "**Call us** today\\nsee [our site](https://clinic.example/a) or " +
            "[this](javascript:alert(1)) <b>not bold</b> mail intake@clinic.example"));
        return {
            html: box.innerHTML,
            bold: Array.from(box.querySelectorAll("strong"), e => e.textContent),
            links: Array.from(box.querySelectorAll("a"), e => e.getAttribute("href")),
            breaks: box.querySelectorAll("br").length,
            elements: Array.from(box.querySelectorAll("*"), e => e.tagName),
        };
    }""")
    assert rendered["bold"] == ["Call us"]
    assert rendered["links"] == ["https://clinic.example/a", "mailto:intake@clinic.example"]
    assert rendered["breaks"] == 1
    assert set(rendered["elements"]) == {"STRONG", "BR", "A"}
    assert "&lt;b&gt;not bold&lt;/b&gt;" in rendered["html"]
    assert "[this](javascript:alert(1))" in rendered["html"]


def test_escape_and_the_close_button_return_focus_to_the_bubble(page, site):
    page.emulate_media(reduced_motion="reduce")
    start_chat(page, site)
    assert page.get_by_role("dialog").evaluate("e => getComputedStyle(e).animationName") == "none"
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="Chat with our assistant")).to_be_focused()
    expect(page.get_by_role("button", name="Chat with our assistant")).to_have_attribute(
        "aria-expanded", "false"
    )
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your message")).to_be_focused()
    page.get_by_role("button", name="Close chat").click()
    expect(page.get_by_role("button", name="Chat with our assistant")).to_be_focused()


def test_the_log_is_a_polite_live_region_and_controls_are_labelled(page, site):
    start_chat(page, site)
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log).to_contain_text(GREETING)
    expect(page.get_by_role("dialog", name="Chat assistant")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your message")).to_be_visible()
    expect(page.locator("#chat-typing")).to_have_attribute("aria-hidden", "true")


def test_an_unreachable_assistant_says_so_and_reconnects(page, site):
    page.route("**/socket.io/**", lambda route: route.abort())
    page.goto(site)
    open_chat(page)
    page.get_by_role("button", name="I understand, start the chat").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("offline")
    expect(status.get_by_role("link", name=CLINIC.phone)).to_be_visible()

    page.unroute("**/socket.io/**")
    expect(bot_message(page, GREETING)).to_be_visible()
    expect(status).to_have_text("")


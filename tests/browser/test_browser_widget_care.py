"""Widget care (issue 17, part 6) in a real browser against the real bot: a long answer
opens at its start, phone numbers can be tapped, the closed chat leaves the page's main
buttons free (on a 375 px phone too), "End chat" asks first, and a triage result can be
printed or downloaded with the clinic's details."""

from __future__ import annotations

import re
import secrets
import time
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from website_chat import (
    CLINIC,
    GREETING,
    TRIAGE_START,
    WORK_HARDENING,
    WORK_HARDENING_RESULT,
    ask,
    bot_message,
    first_line,
    open_chat,
    reach_work_hardening,
    session_id,
    start_chat,
    user_message,
)

from bot.settings import ROOT
from browser.chromium import DESKTOP

expect.set_options(timeout=20_000)

SMALL_PHONE = {"width": 375, "height": 667}  # the phone (iPhone SE / 8)
DIFFERENCE = first_line(ROOT / "data/responses/faq.yml", "utter_faq/difference")
BOT_CHALLENGE = first_line(ROOT / "domain.yml", "utter_bot_challenge").partition(". ")[0]
CLINIC_TEL = "tel:+1" + re.sub(r"\D", "", CLINIC.phone)
SAVE = "Save or print my result"


@pytest.fixture(scope="module")
def site(running_bot) -> str:
    return running_bot.web_url


@pytest.fixture(scope="module")
def triage_ready(running_bot) -> None:
    """The action server loads its readers (spaCy) at its first triage, which on a busy
    machine takes longer than the Rasa server waits for an action (4 s): the patient then
    gets "Sorry, I can't finish that right now". A throw-away triage loads them first
    (after a failure the Rasa server calls no action for 5 s: hence the pause)."""
    for _ in range(3):
        replies = running_bot.say("Which program is right for me?", secrets.token_hex(8))
        if any(TRIAGE_START in reply.get("text", "") for reply in replies):
            return
        time.sleep(6)
    pytest.fail("the action server never answered the triage")


# --- 1. a long answer opens at its start ---


def test_a_long_answer_opens_at_its_start_and_a_short_one_ends_in_view(page, site):
    page.set_viewport_size(SMALL_PHONE)
    page.emulate_media(reduced_motion="reduce")  # scrolls at once: nothing to wait for
    start_chat(page, site)
    log = page.get_by_role("log")

    ask(page, "What is the difference between work hardening and work conditioning?")
    answer = bot_message(page, DIFFERENCE)
    expect(answer).to_be_visible()
    log_box, answer_box = log.bounding_box(), answer.bounding_box()
    assert answer_box["height"] > log_box["height"]  # too long to see at once
    assert 0 <= answer_box["y"] - log_box["y"] <= 20  # its first line at the top of the log

    ask(page, "Are you a bot?")
    latest = bot_message(page, BOT_CHALLENGE)
    expect(latest).to_be_visible()
    log_box, latest_box = log.bounding_box(), latest.bounding_box()
    assert log_box["y"] <= latest_box["y"]
    assert latest_box["y"] + latest_box["height"] <= log_box["y"] + log_box["height"]


# --- 2. phone numbers are tel: links ---


def links_in(page: Page, text: str) -> list[list[str]]:
    """The links `formatText` makes of the assistant's `text`: [text, href] each."""
    return page.evaluate("""(text) => {
        const box = document.createElement("div");
        box.append(window.clinicChat.formatText(text));
        const links = Array.from(box.querySelectorAll("a"));
        return links.map((a) => [a.textContent, a.getAttribute("href")]);
    }""", text)


def test_us_phone_numbers_911_and_988_become_tel_links_and_nothing_else_does(page, site):
    page.goto(site)
    assert links_in(page, "Call (555) 010-4477, 555-010-4477, 555.010.4477, +1 555 010 4477"
                          " or 1-800-555-0199.\nIn an emergency, call 911. Call or text 988.") == [
        ["(555) 010-4477", "tel:+15550104477"], ["555-010-4477", "tel:+15550104477"],
        ["555.010.4477", "tel:+15550104477"], ["+1 555 010 4477", "tel:+15550104477"],
        ["1-800-555-0199", "tel:+18005550199"], ["911", "tel:911"], ["988", "tel:988"],
    ]
    assert links_in(page, "Typically 4–8 weeks, 2–4 hours a day, 50 lb, 1200 Harbor Avenue,"
                          " Suite 300, since 1988, 9110, 555-0104, 9112345, 7:00 am,"
                          " 2024-05-06") == []


def test_phone_numbers_in_the_assistants_messages_can_be_tapped(page, site):
    start_chat(page, site)
    expect(bot_message(page, GREETING).get_by_role("link", name="911")).to_have_attribute(
        "href", "tel:911")
    ask(page, "Are you a bot?")
    expect(bot_message(page, BOT_CHALLENGE).get_by_role("link", name=CLINIC.phone)
           ).to_have_attribute("href", CLINIC_TEL)

    typed = f"Is {CLINIC.phone} your number? <b>call me</b>"
    ask(page, typed)
    said = user_message(page, typed)
    expect(said.locator(".chat-msg__text")).to_have_text(typed)
    expect(said.locator("a, b")).to_have_count(0)  # the patient's text is never linked or markup


# --- 3. the closed chat never covers the page's main buttons ---


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


HIT_TEST = """(e) => {
    const r = e.getBoundingClientRect(), mid = [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
    const round = r.height / 2;  // pill-shaped: test inside the rounded ends
    return [mid, [r.left + round, mid[1]], [r.right - round, mid[1]], [mid[0], r.top + 2],
            [mid[0], r.bottom - 2]].every(([x, y]) => e.contains(document.elementFromPoint(x, y)));
}"""


def assert_free(page: Page, target: Locator, launcher: Locator) -> None:
    """`target` is wholly on screen, clear of the launcher, and a click anywhere on it hits it."""
    box, viewport = target.bounding_box(), page.viewport_size
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"] + 1, box  # ± subpixel
    assert not overlap(box, launcher.bounding_box()), (box, launcher.bounding_box())
    assert target.evaluate(HIT_TEST)


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_closed_chat_never_covers_the_pages_main_buttons(page, site, viewport):
    page.set_viewport_size(viewport)
    page.goto(site)
    launcher = page.get_by_role("button", name="Chat with our assistant")
    expect(launcher).to_be_visible()
    call = page.locator(".hero__actions").get_by_role("link", name=CLINIC.phone)
    chat = page.locator(".hero__actions").get_by_role("button", name="Ask our assistant")
    for button in (call, chat):
        page.evaluate("window.scrollTo(0, 0)")
        button.focus()  # as Tab does: the browser scrolls it just into view, at the bottom
        assert_free(page, button, launcher)
        button.evaluate("e => e.scrollIntoView({block: 'end'})")
        assert_free(page, button, launcher)

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert not overlap(page.locator(".site-footer__inner").bounding_box(), launcher.bounding_box())
    chat.click()
    expect(page.get_by_role("dialog")).to_be_visible()


# --- 4. "End chat" asks first ---


def test_end_chat_asks_first_and_is_answered_by_keyboard(page, site):
    start_chat(page, site)
    ask(page, "What is work hardening?")
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    sender = session_id(page)
    end = page.get_by_role("button", name="End chat", exact=True)
    question = page.get_by_role("alertdialog")
    keep, confirm = (page.get_by_role("button", name=name)
                     for name in ("Keep chatting", "Yes, end the chat"))

    end.focus()
    page.keyboard.press("Enter")
    expect(question).to_contain_text("End this chat?")
    expect(keep).to_be_focused()  # the safe answer first
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Tab")
    expect(keep).to_be_focused()  # Tab stays on the two answers
    page.keyboard.press("Escape")  # = Keep chatting; the chat stays open
    expect(question).to_be_hidden()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_label("Your message")).to_be_focused()
    expect(bot_message(page, WORK_HARDENING)).to_be_visible()
    assert session_id(page) == sender

    end.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="Chat with our assistant")).to_be_focused()
    assert page.evaluate("localStorage.getItem('clinicChat.transcript')") is None


# --- 5. the triage result can be kept ---


def clinic_details() -> list[str]:
    """What the saved result must say about the clinic, straight from clinic.yml."""
    return [CLINIC.name, CLINIC.phone, CLINIC.email, CLINIC.address, CLINIC.hours, CLINIC.website]


def test_a_triage_result_can_be_downloaded_and_printed_with_the_clinics_details(
    page, page_log, site, triage_ready
):
    page.set_viewport_size(SMALL_PHONE)
    start_chat(page, site)
    reach_work_hardening(page)
    today = date.today()
    dated = f"Date: {today:%B} {today.day}, {today.year}"
    toggle = page.get_by_role("button", name=SAVE)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download my result").click()
    assert download.value.suggested_filename == f"my-result-{today:%Y-%m-%d}.txt"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    for part in [WORK_HARDENING_RESULT, "Next steps:", dated, *clinic_details()]:
        assert part in text
    assert re.search(r"^Why I suggest this:\n• \S", text, re.MULTILINE)  # with its reasons
    assert f"Phone: {CLINIC.phone}\n" in text and f"Website: {CLINIC.website}\n" in text

    page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1 }; }")
    page.get_by_role("button", name="Print my result", exact=True).click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    sheet = page.locator("#chat-print")
    expect(sheet).to_be_visible()
    for part in [WORK_HARDENING_RESULT, "Why I suggest this:", "Next steps:", dated,
                 *clinic_details()]:
        expect(sheet).to_contain_text(part)
    for rest in (page.locator("#main"), page.locator(".emergency"), page.get_by_role("dialog")):
        expect(rest).to_be_hidden()  # only the sheet is printed
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(sheet).to_be_empty()
    page.emulate_media(media="screen")
    assert page_log.console_errors == [] and page_log.page_errors == []  # nothing refused (CSP)

    page.reload()
    open_chat(page)
    expect(page.get_by_role("button", name=SAVE)).to_be_visible()  # kept with the transcript


def bot(text: str, response: str | None = None) -> dict:
    """A bot message as the widget stores it (`response`: the Rasa response's name)."""
    return {"from": "bot", "text": text, "buttons": [], "response": response,
            "at": 1_700_000_000_000}


def patient(text: str) -> dict:
    return {"from": "user", "text": text}


RESULT = [bot("Work conditioning may fit you.", "utter_result_work_conditioning"),
          bot("Why I suggest this:\n• Your job is hard on the body."),
          bot("Next steps:\n• Ask your doctor for a referral.", "utter_next_steps")]
STANDS = bot("Thanks. That does not change my suggestion.", "utter_result_stands")


@pytest.mark.parametrize(("messages", "under"), [
    ([patient("which one is for me?"), *RESULT], "Next steps:"),
    ([patient("which one?"), *RESULT, patient("no change"), STANDS], "Next steps:"),
    ([patient("hi"), STANDS], None),
    ([patient("which one?"), *RESULT[:2]], None),  # the next steps are still to come
    ([patient("which one?"), *RESULT[1:]], None),  # no result response
], ids=["result", "then-unchanged", "unchanged-only", "no-next-steps", "no-result"])
def test_only_a_whole_triage_result_offers_to_save_it(page, site, messages, under):
    """The widget reads the result from the stored transcript (also after a reload), and
    "End chat" then reminds the patient to keep it."""
    restore(page, site, messages)
    toggle = page.get_by_role("button", name=SAVE)
    page.get_by_role("button", name="End chat", exact=True).click()
    reminder = page.get_by_role("alertdialog").get_by_text("Save or print it first")
    if under is None:
        expect(toggle).to_have_count(0)
        expect(reminder).to_be_hidden()
    else:
        expect(toggle).to_have_count(1)
        placed_under = toggle.evaluate("e => e.parentElement.previousElementSibling.textContent")
        assert under in placed_under
        expect(reminder).to_be_visible()  # "End chat" reminds to keep the result first


def restore(page, site, messages: list[dict]) -> None:
    """Open the chat on a stored transcript, as after a reload."""
    page.goto(site)
    page.evaluate("""([session, messages]) => {
        localStorage.setItem("clinicChat.consent", "1");
        localStorage.setItem("clinicChat.session", session);
        localStorage.setItem("clinicChat.lastActive", String(Date.now()));
        localStorage.setItem("clinicChat.transcript", JSON.stringify({ owner: null, messages }));
    }""", [secrets.token_hex(16), messages])
    page.reload()
    open_chat(page)
    expect(page.locator(".chat-msg")).to_have_count(len(messages))


def test_a_note_said_before_the_result_is_saved_with_it(page, site):
    """More than two years since the injury is said first (the clinic looks at the case
    on its own): the saved result must not leave it out."""
    first = bot("Please read this first. It has been more than two years since you got hurt.",
                "utter_result_first")
    restore(page, site, [patient("which one is for me?"), first, *RESULT])
    page.get_by_role("button", name=SAVE).click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my result").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.index("more than two years") < text.index("Work conditioning may fit you.")

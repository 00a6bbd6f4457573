"""The website's chat widget as a patient uses it, for the browser tests.

Shared by the website tests and the staff dashboard's end-to-end test (a chat on the
website, then reviewed by staff). The expected texts come from the domain, not copies.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from playwright.sync_api import Browser, Page, ViewportSize, expect

from bot.core.clinic import load_clinic
from bot.settings import ROOT, Settings

CLINIC = load_clinic(Settings.from_env().clinic_file)


def first_line(path: Path, response: str, retry: bool = False) -> str:
    """The first line of a response's text, as the bot sends it.

    `retry` picks the variation for a question asked again after an unclear answer.
    """
    variations = yaml.safe_load(path.read_text(encoding="utf-8"))["responses"][response]
    text = next(v for v in variations if ("condition" in v) is retry)["text"]
    return text.splitlines()[0].replace("{clinic_name}", CLINIC.name)


def question(slot: str, retry: bool = False) -> str:
    """How the triage asks about `slot`, or asks again after an unclear answer."""
    return first_line(ROOT / "domain.yml", f"utter_ask_{slot}", retry)


GREETING = first_line(ROOT / "domain.yml", "utter_greet")
TRIAGE_START = first_line(ROOT / "domain.yml", "utter_ask_red_flags")
ASK_JOB_DUTIES = first_line(ROOT / "domain.yml", "utter_ask_meets_job_demands")
WORK_HARDENING_RESULT = first_line(ROOT / "domain.yml", "utter_result_work_hardening")
WORK_HARDENING = first_line(ROOT / "data/responses/faq.yml", "utter_faq/what_is_work_hardening")
WORK_CONDITIONING = first_line(
    ROOT / "data/responses/faq.yml", "utter_faq/what_is_work_conditioning"
)


def open_chat(page: Page) -> None:
    page.get_by_role("button", name="Chat with our assistant").click()
    expect(page.get_by_role("dialog")).to_be_visible()


def start_chat(page: Page, site: str) -> None:
    """Load the page, open the widget, accept the notice and wait for the greeting."""
    page.goto(site)
    open_chat(page)
    page.get_by_role("button", name="I understand, start the chat").click()
    expect(bot_message(page, GREETING)).to_be_visible()


@contextmanager
def patient_asking_for_a_person(browser: Browser, site: str,
                                viewport: ViewportSize) -> Iterator[tuple[Page, Page]]:
    """A patient who asked the website chat for a person, and a staff member's page, each
    in a browser context of its own (no shared cookies), closed after the block."""
    contexts = [browser.new_context(viewport=viewport) for _ in range(2)]
    try:
        patient, staff = (context.new_page() for context in contexts)
        for page in (patient, staff):
            page.set_default_timeout(30_000)
        start_chat(patient, site)
        ask(patient, "can I talk to a real person please")
        expect(bot_message(patient, "Of course.")).to_be_visible()
        yield patient, staff
    finally:
        for context in contexts:
            context.close()


def staff_log_in(page: Page, site: str, email: str, password: str,
                 path: str = "/staff/live") -> None:
    """Log in on the staff page at `path` and wait until it is shown."""
    page.goto(f"{site}{path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def ask(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def bot_message(page: Page, text: str):
    return page.locator(".chat-msg--bot").filter(has_text=text)


def user_message(page: Page, text: str):
    return page.locator(".chat-msg--user").filter(has_text=text)


def reach_work_hardening(page: Page) -> None:
    """Chat through the README's triage example to its result: work hardening."""
    ask(page, "I hurt my back lifting 50 lb boxes at the warehouse 3 months ago, my doctor "
        "cleared me but I'm scared to go back")
    expect(bot_message(page, TRIAGE_START)).to_be_visible()
    page.get_by_role("button", name="No, none of these").click()
    expect(bot_message(page, ASK_JOB_DUTIES)).to_be_visible()
    ask(page, "no")
    page.get_by_role("button", name="4 hours or more").click()
    expect(bot_message(page, WORK_HARDENING_RESULT)).to_be_visible()


def session_id(page: Page) -> str:
    return page.evaluate("localStorage.getItem('clinicChat.session')")


def user_texts(running_bot, session: str) -> list[str]:
    """What the patient of the widget's session `session` said, as stored (`web:<id>`)."""
    tracker = running_bot.tracker(f"web:{session}")
    return [event["text"] for event in tracker["events"] if event["event"] == "user"]


def stored_user_texts(
    running_bot, session: str, expected: set[str], timeout: float = 15
) -> set[str]:
    """The session's stored user texts, once they include `expected` (or at the timeout).

    The widget shows a reply as soon as Rasa sends it, and Rasa saves the turn just
    after: on a busy machine the tracker can lag the page by a moment.
    """
    deadline = time.monotonic() + timeout
    while True:
        stored = set(user_texts(running_bot, session))
        if expected <= stored or time.monotonic() > deadline:
            return stored
        time.sleep(0.2)

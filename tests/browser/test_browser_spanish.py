"""The website in Spanish in a real browser, against the real bot: the page at /es/, the
chat widget's words in Spanish, its EN | ES switch and what it tells the assistant.

The widget's texts come from bot/web/chat_texts.yml, the page's from site_texts.yml, the
assistant's from locales/es.yml: the tests read them there, never copies.
"""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Page, Request, expect
from website_chat import CLINIC, GREETING, bot_message, start_chat, user_message

from bot.core.clinic import hours_in
from bot.settings import ROOT
from bot.web.program_texts import program_texts
from bot.web.site import chat_texts, site_texts

expect.set_options(timeout=20_000)

EN, ES = chat_texts()["en"], chat_texts()["es"]
PAGE_ES = site_texts()["es"]
SPANISH_GREETING_PAYLOAD = '/greet{"language":"es"}'
TO_SPANISH = '/change_language{"language":"es"}'
TO_ENGLISH = '/change_language{"language":"en"}'


def spanish_first_line(response: str) -> str:
    """The first line of a response in locales/es.yml, as the bot sends it."""
    responses = yaml.safe_load((ROOT / "locales/es.yml").read_text(encoding="utf-8"))["responses"]
    text = next(v for v in responses[response] if "condition" not in v)["text"]
    return text.splitlines()[0].replace("{clinic_name}", CLINIC.name)


@pytest.fixture(scope="module")
def site(running_bot) -> str:
    return running_bot.web_url


class Sent:
    """The messages the widget sends to the Rasa server (socket.io `user_uttered`)."""

    def __init__(self, page: Page, rasa_port: int | None) -> None:
        self.messages: list[str] = []
        self.port = rasa_port
        page.on("request", self._request)

    def _request(self, request: Request) -> None:
        if request.method != "POST" or urlsplit(request.url).port != self.port:
            return
        # Engine.IO long-polling: packets split by \x1e; "42" + ["event", data].
        for packet in (request.post_data or "").split("\x1e"):
            if packet.startswith("42"):
                event, *args = json.loads(packet[2:])
                if event == "user_uttered":
                    self.messages.append(args[0]["message"])


    def wait_for(self, page: Page, message: str) -> None:
        """Until the widget has sent `message` last (the socket posts it soon after)."""
        for _ in range(100):
            if self.messages and self.messages[-1] == message:
                return
            page.wait_for_timeout(100)
        pytest.fail(f"the widget never sent {message!r}; it sent {self.messages}")


@pytest.fixture
def sent(page, running_bot) -> Sent:
    return Sent(page, urlsplit(running_bot.rasa_url).port)


def open_widget(page: Page, bubble: str) -> None:
    page.get_by_role("button", name=bubble).click()
    expect(page.get_by_role("dialog")).to_be_visible()


def expect_widget_in(page: Page, t: dict, code: str) -> None:
    """Every word of the open widget (after the notice) in the language of texts `t`."""
    dialog = page.get_by_role("dialog", name=t["title"])
    expect(dialog).to_be_visible()
    expect(page.locator("#chat")).to_have_attribute("lang", code)
    expect(page.get_by_role("button", name=t["end"], exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=t["close"])).to_be_visible()
    expect(page.get_by_role("textbox", name=t["input_label"])).to_have_attribute(
        "placeholder", t["placeholder"])
    expect(page.get_by_role("button", name=t["send"], exact=True)).to_be_visible()
    expect(page.get_by_role("log", name=t["log"])).to_be_visible()
    expect(dialog.locator(".chat-note")).to_have_text(t["note"])
    expect(page.get_by_role("group", name=t["languages"])).to_be_visible()
    language = page.get_by_role("button", name=t["language_name"], exact=True)
    expect(language).to_have_attribute("aria-pressed", "true")


def test_the_spanish_page_is_in_spanish_with_the_widget_too(page, page_log, site, sent):
    page.goto(f"{site}/es/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(PAGE_ES["home"]["heading"])
    expect(page.get_by_role("link", name="English")).to_have_attribute("hreflang", "en")
    cards = page.locator(".card")
    for index, card in enumerate(program_texts(ROOT, "es").cards):
        expect(cards.nth(index)).to_contain_text(card.blocks[0].text)
    expect(page.locator("[data-clinic-details]")).to_contain_text(hours_in(CLINIC, "es"))

    open_widget(page, ES["bubble"])
    notice = page.locator("#chat-consent")
    expect(notice).to_contain_text(ES["consent_title"])
    expect(notice).to_contain_text("llame al 911")
    expect(notice).to_contain_text(f"servidor de {CLINIC.name}")
    expect(page.get_by_role("textbox", name=ES["input_label"])).to_be_disabled()
    page.get_by_role("button", name=ES["accept"]).click()
    expect_widget_in(page, ES, "es")

    # The first message names the language, and is not shown as the patient's words.
    expect(page.locator(".chat-msg--bot").first).to_be_visible()
    assert sent.messages == [SPANISH_GREETING_PAYLOAD]
    expect(page.locator(".chat-msg--user")).to_have_count(0)
    assert page_log.console_errors == [] and page_log.page_errors == []
    assert page_log.external_requests == []

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_on_the_spanish_page_the_assistant_greets_in_spanish(page, site):
    """Needs the assistant's Spanish (the `language` slot from /greet{"language":"es"})."""
    page.goto(f"{site}/es/")
    open_widget(page, ES["bubble"])
    page.get_by_role("button", name=ES["accept"]).click()
    expect(bot_message(page, spanish_first_line("utter_greet"))).to_be_visible()
    expect(bot_message(page, GREETING)).to_have_count(0)


def test_the_switch_changes_the_widget_and_tells_the_assistant(page, page_log, site, sent):
    start_chat(page, site)
    expect_widget_in(page, EN, "en")
    assert sent.messages == ["/greet"]  # English: the assistant's own language

    page.get_by_role("button", name="Español", exact=True).click()
    expect_widget_in(page, ES, "es")
    expect(page.locator("#chat-open")).to_have_text(ES["bubble"])  # hidden while open
    sent.wait_for(page, TO_SPANISH)
    expect(page.locator(".chat-msg--user")).to_have_count(0)  # a payload, not the patient's
    assert page.evaluate("localStorage.getItem('clinicChat.language')") == "es"

    page.get_by_label(ES["input_label"]).fill("hola")  # what the patient types is shown
    page.get_by_label(ES["input_label"]).press("Enter")
    expect(user_message(page, "hola")).to_be_visible()

    page.reload()  # the conversation goes on in the language it has
    open_widget(page, ES["bubble"])
    expect_widget_in(page, ES, "es")
    expect(user_message(page, "hola")).to_be_visible()

    page.get_by_role("button", name="English", exact=True).click()
    expect_widget_in(page, EN, "en")
    sent.wait_for(page, TO_ENGLISH)
    assert not [m for m in sent.messages if m.startswith("/") and m not in (
        "/greet", TO_SPANISH, TO_ENGLISH)]
    for payload in ("/greet", TO_SPANISH, TO_ENGLISH, "change_language"):
        expect(page.locator(".chat-msg--user").filter(has_text=payload)).to_have_count(0)
    assert page_log.console_errors == [] and page_log.page_errors == []


def test_switching_before_the_notice_sends_nothing_then_greets_in_spanish(page, site, sent):
    page.goto(site)
    open_widget(page, EN["bubble"])
    page.get_by_role("button", name="Español", exact=True).click()
    expect(page.get_by_role("button", name=ES["accept"])).to_be_visible()
    expect(page.locator("#chat-consent")).to_contain_text(ES["consent_title"])
    page.wait_for_timeout(500)
    assert sent.messages == []  # nothing before the notice is accepted

    page.get_by_role("button", name=ES["accept"]).click()
    expect(page.locator(".chat-msg--bot").first).to_be_visible()
    assert sent.messages == [SPANISH_GREETING_PAYLOAD]

    # "End chat" forgets the conversation and its language: the page's again.
    page.get_by_role("button", name=ES["end"], exact=True).click()
    expect(page.get_by_role("alertdialog")).to_contain_text(ES["ending"])
    page.get_by_role("button", name=ES["confirm_end"]).click()
    expect(page.get_by_role("button", name=EN["bubble"])).to_be_focused()
    assert page.evaluate("localStorage.getItem('clinicChat.language')") is None


def test_an_unreachable_assistant_is_said_in_the_widgets_language(page, site):
    page.route("**/socket.io/**", lambda route: route.abort())
    page.goto(f"{site}/es/")
    open_widget(page, ES["bubble"])
    page.get_by_role("button", name=ES["accept"]).click()
    status = page.get_by_role("status")
    expect(status).to_contain_text(ES["reconnecting"])
    expect(status.get_by_role("link", name=CLINIC.phone)).to_be_visible()
    page.get_by_role("button", name="English", exact=True).click()
    expect(status).to_contain_text(EN["reconnecting"])
    expect(status.get_by_role("link", name=CLINIC.phone)).to_be_visible()


def bot(text: str, response: str | None = None) -> dict:
    return {"from": "bot", "text": text, "buttons": [], "response": response,
            "at": 1_700_000_000_000}


def test_a_result_is_saved_in_spanish_with_the_pages_details(page, site):
    """The saved result's own words, its date and file name follow the widget's language;
    the clinic's details are the Spanish page's list (clinic.yml, hours in Spanish)."""
    messages = [{"from": "user", "text": "¿cuál es para mí?"},
                bot("La readaptación laboral puede ser para usted.", "utter_result_work_hardening"),
                bot("Próximos pasos:\n• Pida una orden a su médico.", "utter_next_steps")]
    page.goto(f"{site}/es/")
    page.evaluate("""([session, messages]) => {
        localStorage.setItem("clinicChat.consent", "1");
        localStorage.setItem("clinicChat.session", session);
        localStorage.setItem("clinicChat.lastActive", String(Date.now()));
        localStorage.setItem("clinicChat.language", "es");
        localStorage.setItem("clinicChat.transcript", JSON.stringify({ owner: null, messages }));
    }""", [secrets.token_hex(16), messages])
    page.reload()
    open_widget(page, ES["bubble"])
    page.get_by_role("button", name=ES["save"]).click()
    with page.expect_download() as download:
        page.get_by_role("button", name=ES["download"]).click()
    day = date.fromtimestamp(1_700_000_000)
    assert download.value.suggested_filename == f"mi-resultado-{day:%Y-%m-%d}.txt"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith(ES["sheet_title"])
    assert f"Fecha: {day.day} de " in text and f" de {day.year}" in text
    assert f"Cómo comunicarse con {CLINIC.name}" in text
    assert f"Teléfono: {CLINIC.phone}\n" in text
    assert f"Horario: {hours_in(CLINIC, 'es')}\n" in text
    assert ES["sheet_note"] in text

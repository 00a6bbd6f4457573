"""The live view through the real website process (no Rasa server: joining must fail safely)."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterator

import pytest
from staff_fixtures import store, talk
from staff_web_fixtures import ADMIN, StaffClient, StaffSite, staff_site

from bot.web.live import patient_notice, staff_name, takeover_texts

NOW = dt.datetime.now(dt.UTC)
SNEAKY = "<img src=x onerror=alert(1)> is anyone there"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    with staff_site(tmp_path_factory.mktemp("staff-live")) as site:
        asking = talk("web-asking", dt.timedelta(minutes=3), "socketio", NOW)
        asking.wait(5).user(SNEAKY, "request_human").say("utter_request_human")
        quiet = talk("web-quiet", dt.timedelta(minutes=2), "socketio", NOW)
        quiet.wait(5).user("how long does it last", "faq", faq="duration").say("utter_faq/duration")
        old = talk("web-old", dt.timedelta(days=2), "socketio", NOW)
        old.wait(5).user("hello there", "greet").say("utter_greet")
        spanish = talk("web-spanish", dt.timedelta(minutes=1), "socketio", NOW)
        spanish.wait(5).user("¿cuánto dura el programa?", "faq", faq="duration", language="es")
        store(site.engine, asking, quiet, old, spanish)
        yield site


@pytest.fixture(scope="module")
def admin(site: StaffSite) -> StaffClient:
    return site.logged_in(ADMIN)


def test_the_live_list_shows_recent_chats_waiting_ones_first(admin):
    page = admin.get("/staff/live").text
    assert page.index("/staff/live/web-asking") < page.index("/staff/live/web-quiet")
    assert "/staff/live/web-old" not in page
    assert html.escape(SNEAKY) in page and SNEAKY not in page
    assert "Asked for a person" in page


def test_the_list_stream_sends_the_rows_as_events(admin):
    with admin.get("/staff/live/stream", stream=True) as answer:
        assert answer.headers["Content-Type"].startswith("text/event-stream")
        lines = answer.iter_lines(decode_unicode=True)
        assert next(lines) == "event: rows"
        rows = json.loads(next(lines).removeprefix("data: "))
    assert [row["id"] for row in rows] == ["web-asking", "web-spanish", "web-quiet"]
    assert rows[0]["asked"] is True and rows[0]["preview"] == SNEAKY


def test_a_conversation_streams_only_what_is_new(admin):
    page = admin.get("/staff/live/web-quiet").text
    assert "how long does it last" in page and "Join this chat" in page
    with admin.get("/staff/live/web-quiet/stream?after=999999999", stream=True) as answer:
        assert next(answer.iter_lines(decode_unicode=True)) == "event: turns"


def test_joining_without_the_assistant_server_tells_staff_and_changes_nothing(admin):
    answer = admin.post_form("/staff/live/web-asking/join", token_page="/staff/live")
    assert answer.status_code == 503 and "patient was not told" in answer.text
    assert "Join this chat" in admin.get("/staff/live/web-asking").text
    refused = admin.post_form("/staff/live/web-asking/message", {"text": "hi"},
                              token_page="/staff/live")
    assert refused.status_code == 409


def test_unknown_conversations_are_not_found(admin):
    assert admin.get("/staff/live/nobody-here").status_code == 404


@pytest.mark.parametrize(("email", "name"), [
    ("maria.lopez@clinic.example", "Maria"), ("dee@clinic.example", "Dee"),
    ("j_smith@x.example", "J"), ("@x.example", "A staff member")])
def test_patients_see_a_first_name(email, name):
    assert staff_name(email) == name


def test_a_conversation_is_shown_in_its_language(admin):
    page = admin.get("/staff/live/web-spanish").text
    assert "Language: Spanish" in page and 'id="live-turns" lang="es"' in page
    assert "¿cuánto dura el programa?" in page


@pytest.mark.parametrize(("kind", "language", "said"), [
    ("joined", "en", "Maria from Northside has joined the chat. You are now talking to a person."),
    ("joined", "es", "Maria, de Northside, se unió al chat. Ahora está hablando con una persona."),
    ("left", "es", "Maria salió del chat. Ahora habla otra vez con el asistente. "
                   "En una emergencia, llame al 911."),
    ("left", "fr", "Maria has left the chat. You are talking to the assistant again. "
                   "In an emergency, call 911."),
])
def test_the_patient_is_told_who_joined_and_left_in_their_language(kind, language, said):
    assert patient_notice(kind, language, name="Maria", clinic="Northside") == said


def test_every_language_has_every_notice():
    assert {language: set(texts) for language, texts in takeover_texts().items()} == {
        "en": {"joined", "left"}, "es": {"joined", "left"}}

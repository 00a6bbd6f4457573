"""A conversation's language from its events: the summary, the filter, the transcript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from staff_fixtures import NOW, faq, store, talk

from bot.core.language import DEFAULT, Language
from bot.core.triage import load_rules
from bot.records.conversations import (
    LANGUAGES,
    ConversationQuery,
    get_conversation,
    iter_conversations,
    list_conversations,
    overview,
    refresh_summaries,
)
from bot.records.summaries import Tally
from bot.settings import ROOT
from bot.web.labels import LABELS
from scripts.seed_conversations import Conversation

RULES = load_rules(ROOT / "triage_rules.yml")
DAY = dt.timedelta(days=1)


def said(c: Conversation, text: str, language: str | None = None, **kw) -> Conversation:
    """The patient writes (the NLU reading `language` in it, if given); the assistant answers."""
    c.wait(5).user(text, kw.pop("intent", "out_of_scope"), language=language, **kw)
    return c.bot("…").listen()


def opened(c: Conversation, language: str | None = None) -> Conversation:
    """The widget opens the chat: `/greet`, or `/greet{"language": "es"}` on the Spanish page."""
    entities = [{"entity": "language", "value": language}] if language else []
    payload = f'/greet{{"language":"{language}"}}' if language else "/greet"
    return c.wait(1).user(payload, "greet", 1.0, entities=entities).say("utter_greet")


def fold(c: Conversation) -> Tally:
    """Fold the conversation's rows as the summary refresh does (ids as Rasa gives them)."""
    tally = Tally(c.sender_id, c.rows[0]["timestamp"])
    for number, row in enumerate(c.rows, 1):
        tally.apply(SimpleNamespace(id=number, **row))
    return tally


# Each case: the conversation after the session start, and the (language, language it
# switched from, language of the preview) staff see.
CASES: dict[str, tuple[Callable[[Conversation], Conversation], tuple]] = {
    "never set: English": (
        lambda c: said(said(c, "how long does it take?"), "thanks"),
        ("en", None, "en")),
    "recognised in the first turn: no switch": (
        lambda c: said(said(c, "¿Cuánto dura?", "es"), "gracias"),
        ("es", None, "es")),
    "the Spanish page's greeting, before the patient wrote": (
        lambda c: said(opened(c, "es"), "hola"),
        ("es", None, "es")),
    "English stated in the first turn": (
        lambda c: said(c, "hello", "en"),
        ("en", None, "en")),
    "switched to Spanish in the second turn": (
        lambda c: said(said(c, "how long does it take?", "en"), "¿Hablan español?", "es"),
        ("es", "en", "en")),
    "switched without a message telling English": (
        lambda c: said(said(c, "hello"), "¿Puedo escribir en español?", "es"),
        ("es", "en", "en")),
    "Spanish, then back to English": (
        lambda c: said(said(said(c, "hola", "es"), "¿cuánto dura?"), "in English please", "en"),
        ("en", "es", "es")),
    "English, Spanish, English again: the last switch": (
        lambda c: said(said(said(c, "hi", "en"), "español por favor", "es"), "English!", "en"),
        ("en", "es", "en")),
    "told again: no switch": (
        lambda c: said(said(said(c, "hola", "es"), "sí"), "gracias", "es"),
        ("es", None, "es")),
    "a language it does not speak changes nothing": (
        lambda c: said(said(c, "hola", "es"), "bonjour", "fr"),
        ("es", None, "es")),
    "the widget's greeting is no turn of the patient's": (
        lambda c: said(opened(c), "¿Qué es?", "es"),
        ("es", None, "es")),
    "the widget's switch after the greeting is a switch": (
        lambda c: said(said(opened(c), "hello", "en"), '/change_language{"language":"es"}',
                       intent="change_language",
                       entities=[{"entity": "language", "value": "es"}]),
        ("es", "en", "en")),
    "a new session keeps the language": (
        lambda c: said(said(c, "hola", "es").session(), "/greet", intent="greet"),
        ("es", None, "es")),
    "a slot named like it is not the language": (
        lambda c: said(said(c, "hola").slot("language", "es"), "ok"),
        ("en", None, "en")),
}


@pytest.mark.parametrize("name", CASES)
def test_the_language_from_the_events(name):
    build, expected = CASES[name]
    tally = fold(build(talk("p")))
    row = SimpleNamespace(**tally.columns())
    preview = row.first_message_language or row.language
    assert (row.language, row.previous_language, preview) == expected


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_a_label(code):
    assert LABELS.language(code) != code


@pytest.mark.parametrize(("code", "before", "shown"), [
    ("en", None, "English"),
    ("es", None, "Spanish"),
    ("es", "en", "Spanish (switched from English)"),
    ("en", "es", "English (switched from Spanish)"),
    ("en", "en", "English"),
    ("pt", "en", "pt (switched from English)"),  # unknown: shown as it is
])
def test_language_labels(code, before, shown):
    assert LABELS.language(code, before) == shown


def test_the_languages_are_the_ones_the_assistant_speaks():
    assert LANGUAGES == tuple(Language) and LANGUAGES[0] == DEFAULT


# --- in the database ---------------------------------------------------------------------


def spanish(sender: str, ago: dt.timedelta = DAY, channel: str = "rest") -> Conversation:
    return said(said(talk(sender, ago, channel), "¿Cuánto dura el programa?", "es",
                     intent="faq", faq="duration"), "gracias", intent="thank")


def switched(sender: str, ago: dt.timedelta = DAY, channel: str = "rest") -> Conversation:
    c = faq(talk(sender, ago, channel), "how long does it take", "duration")
    return said(c, "¿Puedo escribir en español?", "es")


def english(sender: str, ago: dt.timedelta = DAY, channel: str = "rest") -> Conversation:
    return faq(talk(sender, ago, channel), "how long does it take", "duration")


@pytest.fixture
def languages(db_engine, db_session):
    store(db_engine, english("a-english", 2 * DAY), spanish("b-spanish", 3 * DAY, "socketio"),
          switched("c-switched", 4 * DAY, "twilio"), spanish("d-spanish", 5 * DAY),
          english("e-english", 6 * DAY, "socketio"))
    refresh_summaries(db_session, now=NOW)
    return db_session


def senders(session, **filters):
    query = ConversationQuery(**{"sort": "started", **filters})
    return [row.sender_id for row in iter_conversations(session, query, NOW)]


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["e-english", "d-spanish", "c-switched", "b-spanish", "a-english"]),
    ({"language": "es"}, ["d-spanish", "c-switched", "b-spanish"]),
    ({"language": "en"}, ["e-english", "a-english"]),
    ({"language": "es", "channel": "socketio"}, ["b-spanish"]),
    ({"language": "en", "channel": "twilio"}, []),
    ({"language": "es", "text": "cuánto"}, ["d-spanish", "b-spanish"]),
    ({"language": "es", "date_from": (NOW - 4 * DAY).date()}, ["c-switched", "b-spanish"]),
    ({"language": "es", "outcome": "none", "reviewed": False},
     ["d-spanish", "c-switched", "b-spanish"]),
])
def test_language_filter(languages, filters, expected):
    assert senders(languages, **filters) == expected


def test_rows_carry_the_language_and_the_switch(languages):
    rows = {r.sender_id: r for r in iter_conversations(languages, ConversationQuery(), NOW)}
    assert {s: (r.language, r.previous_language, r.first_message_language)
            for s, r in rows.items()} == {
        "a-english": ("en", None, "en"), "b-spanish": ("es", None, "es"),
        "c-switched": ("es", "en", "en"), "d-spanish": ("es", None, "es"),
        "e-english": ("en", None, "en")}
    assert list_conversations(languages, ConversationQuery(language="es"), NOW).total == 3


@pytest.mark.parametrize(("params", "language"), [
    ({"language": "es"}, "es"), ({"language": "en"}, "en"), ({"language": "ES"}, None),
    ({"language": "fr"}, None), ({"language": "<script>"}, None), ({"language": ""}, None),
    ({"language": " es "}, "es"), ({}, None),
])
def test_the_language_filter_from_the_query_string(params, language):
    query = ConversationQuery.from_params(params)
    assert query.language == language
    assert query.to_params() == ({"language": language} if language else {})
    assert ConversationQuery.from_params(query.to_params()) == query


def test_overview_counts_each_language(languages):
    summary = overview(languages, (NOW - 7 * DAY).date(), NOW.date())
    assert summary.languages == {"en": 2, "es": 3}
    assert overview(languages, (NOW - 2 * DAY).date(), NOW.date()).languages == {
        "en": 1, "es": 0}


def test_a_switch_after_the_summary_was_written_is_folded_in(db_engine, db_session):
    """The summary refreshed between the turns: the switch still counts as one."""
    c = said(talk("later", DAY), "hello", "en")
    store(db_engine, c)
    refresh_summaries(db_session, now=NOW)
    assert senders(db_session, language="en") == ["later"]
    more = Conversation("later", c.clock + 60)
    store(db_engine, said(said(more, "¿Español?", "es"), "gracias"))
    refresh_summaries(db_session, now=NOW)
    [row] = iter_conversations(db_session, ConversationQuery(), NOW)
    assert (row.language, row.previous_language, row.first_message_language) == (
        "es", "en", "en")
    assert senders(db_session, language="en") == []


def test_each_message_of_the_transcript_carries_the_language_it_was_written_in(
        db_engine, db_session):
    c = opened(talk("web:mixed", channel="socketio"))
    c.wait(5).user("how long does it take?", "faq", faq="duration", language="en")
    c.bot("About 4 to 8 weeks.").listen()
    c.wait(5).user("¿Hablan español?", "out_of_scope", language="es").bot("Sí, claro.").listen()
    c.wait(5).user("<b>¿Cuánto cuesta?</b>", "faq", faq="insurance").bot("Depende.").listen()
    store(db_engine, c)
    detail = get_conversation(db_session, "web:mixed", RULES, NOW)
    assert [(t.speaker, t.language) for t in detail.turns] == [
        ("event", "en"), ("assistant", "en"),
        ("patient", "en"), ("assistant", "en"),
        ("patient", "es"), ("assistant", "es"),
        ("patient", "es"), ("assistant", "es"),
    ]
    assert detail.turns[-2].text == "<b>¿Cuánto cuesta?</b>"  # as written, untranslated
    assert (detail.row.language, detail.row.previous_language) == ("es", "en")

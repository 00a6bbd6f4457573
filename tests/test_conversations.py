"""Conversation summaries from Rasa's events, and the staff queries over them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, select
from sqlalchemy import text as sql
from staff_fixtures import NOW, faq, store, talk

from bot.core.triage import load_rules
from bot.records.conversations import (
    ConversationQuery,
    channels,
    get_conversation,
    iter_conversations,
    list_conversations,
    overview,
    refresh_summaries,
    set_review,
)
from bot.records.db import (
    ConversationMessage,
    ConversationSummary,
    IndexState,
    Tag,
    events,
    make_engine,
    session_factory,
)
from bot.records.retention import forget_conversation
from bot.records.summaries import PREVIEW_CHARS, read_user_event
from bot.settings import ROOT
from scripts.seed_conversations import Conversation, emergency

RULES = load_rules(ROOT / "triage_rules.yml")
DAY = dt.timedelta(days=1)
WORK_HARDENING = [
    ("red_flags", "no, none of those", False),
    ("medically_cleared", "yes", True),
    ("has_job_goal", "yes", True),
    ("job_demand_level", "heavy, up to 100 lb", "heavy"),
    ("meets_job_demands", "no", False),
    ("psychosocial_barriers", "yes, I'm scared of getting hurt again", True),
    ("tolerates_4_hours", "about 5 hours", True),
]
TRIAGE_TURNS = 1 + len(WORK_HARDENING)  # "which program is right for me?" and the answers


def triage(c: Conversation, answers=WORK_HARDENING, outcome: str | None = "work_hardening"):
    """The triage form as Rasa stores it: each question, answer and slot; then the result."""
    c.wait(10).user("which program is right for me?", "ask_which_program")
    c.action("triage_form").loop("triage_form")
    for slot, text, value in answers:
        c.slot("requested_slot", slot).utter(f"utter_ask_{slot}").listen()
        intent = "affirm" if value is True else "deny" if value is False else "describe_situation"
        c.wait(15).user(text, intent).action("triage_form").slot(slot, value)
    if outcome:
        c.slot("requested_slot", None).loop(None).action("action_triage_result")
        c.utter(f"utter_result_{outcome}").slot("recommended_program", outcome).listen()
    return c


def faq_only(sender="faq-only", **kw):
    c = talk(sender, **kw)
    c.wait(5).user("hello", "greet").say("utter_greet")
    faq(c, "how long does it take", "duration")
    return faq(c, "What should I bring?", "what_to_bring")


def stopped_triage(sender):
    c = triage(talk(sender), WORK_HARDENING[:1], outcome=None)
    c.slot("requested_slot", "medically_cleared").utter("utter_ask_medically_cleared").listen()
    c.wait(10).user("stop", "stop_triage").action("utter_triage_stopped")
    return c.loop(None).slot("requested_slot", None).listen()


def answer_with_a_request_intent(sender):
    """A button's answer ("4 hours or more") the NLU took for a request for a person."""
    c = triage(talk(sender, ago=dt.timedelta(minutes=5)), WORK_HARDENING[:1], outcome=None)
    c.slot("requested_slot", "tolerates_4_hours").utter("utter_ask_tolerates_4_hours").listen()
    c.wait(10).user("4 hours or more", "request_human").action("triage_form")
    return c.slot("tolerates_4_hours", True).listen()


def request_in_the_form(sender):
    """Asking for a person mid-triage: the rule stops the form and offers one."""
    c = triage(talk(sender), WORK_HARDENING[:1], outcome=None)
    c.slot("requested_slot", "medically_cleared").utter("utter_ask_medically_cleared").listen()
    c.wait(10).user("can I talk to someone", "request_human").action("action_deactivate_loop")
    c.loop(None).slot("requested_slot", None).action("action_offer_human")
    return c.slot("handoff", "offer").say("utter_request_human")


def ok_to_a_result(sender):
    """A plain "ok" to a result runs the offer of a person: nobody asked for one."""
    c = triage(talk(sender))
    c.wait(10).user("ok", "affirm").action("action_offer_human")
    return c.slot("handoff", "offer").say("utter_request_human")


SCENARIOS = {
    "faq only": (faq_only, dict(turns=3, outcome=None, flags=())),
    "full triage": (lambda s: triage(talk(s)),
                    dict(turns=TRIAGE_TURNS, outcome="work_hardening", flags=())),
    "emergency mid-form": (
        lambda s: emergency(triage(talk(s), WORK_HARDENING[:2], None).wait(30)),
        dict(turns=4, outcome="urgent_care", flags=("urgent",))),
    "self-harm emergency mid-form": (
        lambda s: emergency(triage(talk(s), WORK_HARDENING[:1], None).wait(30), "self_harm"),
        dict(turns=3, outcome="urgent_care", flags=("urgent", "self_harm"))),
    "human request": (
        lambda s: talk(s).wait(5).user("I want to talk to a real person", "request_human")
        .say("utter_request_human"),
        dict(turns=1, outcome=None, flags=("human_requested",))),
    "request for a person mid-form": (
        request_in_the_form, dict(turns=3, outcome=None, flags=("human_requested", "abandoned"))),
    "an answer the NLU took for a request": (
        answer_with_a_request_intent, dict(turns=3, outcome=None, flags=())),
    "ok to a result": (
        ok_to_a_result, dict(turns=TRIAGE_TURNS + 1, outcome="work_hardening", flags=())),
    "nlu fallback": (
        lambda s: talk(s).wait(5).user("asdkjh qwpoeiru", "nlu_fallback", 1.0)
        .say("utter_default"),
        dict(turns=1, outcome=None, flags=("fallback",))),
    "unsure intent": (
        lambda s: talk(s).wait(5).user("hmm the thing", "greet", 0.26).say("utter_greet"),
        dict(turns=1, outcome=None, flags=("fallback",))),
    "abandoned form": (
        lambda s: triage(talk(s), WORK_HARDENING[:2], None)
        .slot("requested_slot", "has_job_goal").utter("utter_ask_has_job_goal").listen(),
        dict(turns=3, outcome=None, flags=("abandoned",))),
    "triage stopped without result": (stopped_triage, dict(turns=3, outcome=None,
                                                           flags=("abandoned",))),
    "triage under way, recent": (
        lambda s: triage(talk(s, ago=dt.timedelta(minutes=5)), WORK_HARDENING[:1], None),
        dict(turns=2, outcome=None, flags=())),
    "twilio channel": (
        lambda s: faq(Conversation(s, (NOW - DAY).timestamp(), "twilio").session(),
                      "do I need a referral", "referral"),
        dict(turns=1, outcome=None, flags=(), channel="twilio")),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_summary_of_a_realistic_conversation(db_engine, db_session, name):
    build, expected = SCENARIOS[name]
    conversation = build("patient-1")
    store(db_engine, faq_only("someone-else"), conversation)
    assert refresh_summaries(db_session, now=NOW) == len(conversation.rows) + len(
        faq_only().rows)
    rows = {r.sender_id: r for r in iter_conversations(db_session, ConversationQuery(), NOW)}
    row = rows["patient-1"]
    assert (row.turns, row.outcome, row.flags) == (
        expected["turns"], expected["outcome"], expected["flags"])
    assert row.channel == expected.get("channel", "rest")
    assert row.started_at == dt.datetime.fromtimestamp(conversation.rows[0]["timestamp"], dt.UTC)
    assert row.last_event_at == dt.datetime.fromtimestamp(conversation.clock, dt.UTC)
    assert not row.reviewed and row.tags == ()


def test_conversation_without_patient_messages_is_not_listed(db_engine, db_session):
    store(db_engine, talk("window-opened"), faq_only())
    refresh_summaries(db_session, now=NOW)
    page = list_conversations(db_session, ConversationQuery(), NOW)
    assert [r.sender_id for r in page.rows] == ["faq-only"] and page.total == 1


def test_refresh_reads_only_new_events_and_continues_a_conversation(db_engine, db_session):
    first = faq_only(ago=2 * DAY)
    store(db_engine, first)
    assert refresh_summaries(db_session, now=NOW) == len(first.rows)
    assert refresh_summaries(db_session, now=NOW) == 0
    watermark = db_session.get(IndexState, 1, populate_existing=True).last_event_id
    assert watermark == db_session.execute(select(events.c.id).order_by(events.c.id.desc())
                                           ).scalars().first()

    held = db_session.get(ConversationSummary, "faq-only")  # in the session while it changes
    later = Conversation("faq-only", first.clock + 3600).session()
    faq(later, "I have chest pain and can't breathe", "pain_during")
    triage(later)
    store(db_engine, later, faq_only("another", ago=DAY))
    assert refresh_summaries(db_session, now=NOW) == len(later.rows) + len(faq_only().rows)
    row = next(r for r in iter_conversations(db_session, ConversationQuery(), NOW)
               if r.sender_id == "faq-only")
    assert row.turns == held.turns == 3 + 1 + TRIAGE_TURNS and row.outcome == "work_hardening"
    assert row.started_at == dt.datetime.fromtimestamp(first.rows[0]["timestamp"], dt.UTC)
    assert row.last_event_at == dt.datetime.fromtimestamp(later.clock, dt.UTC)
    assert list_conversations(db_session, ConversationQuery(text="chest pain")).total == 1


def test_an_ask_for_a_person_and_the_offer_folded_in_two_refreshes_still_flag(
        db_engine, db_session):
    asked = talk("asks").wait(5).user("can I talk to a real person", "request_human")
    store(db_engine, asked)
    refresh_summaries(db_session, now=NOW)
    store(db_engine, Conversation("asks", asked.clock + 1).say("utter_request_human"))
    refresh_summaries(db_session, now=NOW)
    [row] = iter_conversations(db_session, ConversationQuery(), NOW)
    assert row.flags == ("human_requested",)


def test_a_gap_in_recent_event_ids_holds_the_watermark_until_it_fills(db_engine, db_session):
    """PostgreSQL can commit a lower id after a higher one (two patients saving at once)."""
    store(db_engine, faq_only("early"))
    refresh_summaries(db_session, now=NOW)
    top = db_session.execute(select(events.c.id).order_by(events.c.id.desc())).scalars().first()
    just_now = NOW + dt.timedelta(hours=1)
    slow = faq_only("slow", ago=dt.timedelta(seconds=40), now=just_now)
    fast = faq_only("fast", ago=dt.timedelta(seconds=30), now=just_now)
    fast_rows = [{**row, "id": top + 100 + i} for i, row in enumerate(fast.rows)]
    with db_engine.begin() as connection:
        connection.execute(events.insert(), fast_rows)
    refresh_summaries(db_session, now=just_now)
    assert db_session.get(IndexState, 1, populate_existing=True).last_event_id == top
    with db_engine.begin() as connection:
        connection.execute(events.insert(), [
            {**row, "id": top + 1 + i} for i, row in enumerate(slow.rows)])
    refresh_summaries(db_session, now=just_now)
    turns = {r.sender_id: r.turns for r in iter_conversations(db_session, ConversationQuery())}
    assert turns == {"early": 3, "slow": 3, "fast": 3}
    held = db_session.get(IndexState, 1, populate_existing=True).last_event_id
    assert held == top + len(slow.rows)

    refresh_summaries(db_session, now=just_now + dt.timedelta(minutes=5))
    assert db_session.get(IndexState, 1, populate_existing=True).last_event_id == fast_rows[-1][
        "id"]
    turns = {r.sender_id: r.turns for r in iter_conversations(db_session, ConversationQuery())}
    assert turns == {"early": 3, "slow": 3, "fast": 3}


def test_without_rasas_table_the_dashboard_is_empty_and_the_table_is_not_created(
        db_engine, db_session):
    assert refresh_summaries(db_session) == 0
    assert list_conversations(db_session, ConversationQuery()).total == 0
    assert get_conversation(db_session, "anyone", RULES) is None
    summary = overview(db_session, NOW.date() - 7 * DAY, NOW.date())
    assert summary.total == 0 and summary.fallback_rate == 0.0 and len(summary.per_day) == 8
    assert channels(db_session) == []
    db_session.rollback()
    assert not inspect(db_engine).has_table("events")


@pytest.fixture
def mixed(db_engine, db_session):
    """Seven conversations with known dates, outcomes, flags, channels and texts."""
    conversations = [
        faq_only("a-faq", ago=DAY),
        triage(talk("b-triage", ago=5 * DAY, channel="socketio")),
        emergency(triage(talk("c-urgent", ago=20 * DAY), WORK_HARDENING[:1], None)),
        talk("d-percent", ago=2 * DAY, channel="twilio").wait(5).user(
            "I'm 100% sure it's my Knee", "describe_situation").say("utter_default"),
        talk("e-underscore", ago=3 * DAY).wait(5).user("my email is a_b@example.com",
                                                       "out_of_scope").say("utter_out_of_scope"),
        talk("f-plain", ago=4 * DAY).wait(5).user("100 percent, a b", "greet").say(
            "utter_greet"),
        talk("g-emoji", ago=6 * DAY, channel="telegram").wait(5).user(
            "Ça fait mal 😀 <b>ÉPAULE</b>", "nlu_fallback", 1.0).say("utter_default"),
    ]
    store(db_engine, *conversations)
    refresh_summaries(db_session, now=NOW)
    set_review(db_session, "b-triage", reviewed=True, note="fine", tags=["ok"],
               staff_email="ann@clinic.example", now=NOW)
    return db_session


def senders(session, **filters):
    query = ConversationQuery(**{"sort": "started", **filters})
    return [row.sender_id for row in iter_conversations(session, query, NOW)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["c-urgent", "g-emoji", "b-triage", "f-plain", "e-underscore", "d-percent",
              "a-faq"]),
        ({"date_from": (NOW - 5 * DAY).date()}, ["b-triage", "f-plain", "e-underscore",
                                                 "d-percent", "a-faq"]),
        ({"date_from": (NOW - 5 * DAY).date(), "date_to": (NOW - 3 * DAY).date()},
         ["b-triage", "f-plain", "e-underscore"]),
        ({"outcome": "work_hardening"}, ["b-triage"]),
        ({"outcome": "urgent_care"}, ["c-urgent"]),
        ({"outcome": "none"}, ["g-emoji", "f-plain", "e-underscore", "d-percent", "a-faq"]),
        ({"flag": "urgent"}, ["c-urgent"]),
        ({"flag": "fallback"}, ["g-emoji", "d-percent"]),
        ({"flag": "human_requested"}, []),
        ({"reviewed": True}, ["b-triage"]),
        ({"reviewed": False, "channel": "rest"}, ["c-urgent", "f-plain", "e-underscore",
                                                  "a-faq"]),
        ({"channel": "telegram"}, ["g-emoji"]),
        ({"text": "KNEE"}, ["d-percent"]),
        ({"text": "épaule"}, ["g-emoji"]),
        ({"text": "😀"}, ["g-emoji"]),
        ({"text": "<b>"}, ["g-emoji"]),
        ({"text": "%"}, ["d-percent"]),
        ({"text": "100%"}, ["d-percent"]),
        ({"text": "a_b"}, ["e-underscore"]),
        ({"text": "_"}, ["e-underscore"]),
        ({"text": "chest pain"}, ["c-urgent"]),
        ({"text": "c-urg"}, ["c-urgent"]),
        ({"text": "'; drop table events; --"}, []),
    ],
)
def test_filters(mixed, filters, expected):
    assert senders(mixed, **filters) == expected


def test_abandoned_depends_on_how_long_the_conversation_has_been_quiet(db_engine, db_session):
    c = triage(talk("quiet", ago=dt.timedelta(minutes=40)), WORK_HARDENING[:1], None)
    store(db_engine, c)
    refresh_summaries(db_session, now=NOW)
    last = dt.datetime.fromtimestamp(c.clock, dt.UTC)
    assert senders(db_session, flag="abandoned") == ["quiet"]
    soon = list_conversations(db_session, ConversationQuery(flag="abandoned"),
                              now=last + dt.timedelta(minutes=29))
    assert soon.total == 0
    row = get_conversation(db_session, "quiet", RULES, now=last + dt.timedelta(minutes=31)).row
    assert row.flags == ("abandoned",)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("turns", ["d-percent", "e-underscore", "f-plain", "g-emoji", "a-faq", "c-urgent",
                   "b-triage"]),
        ("-turns", ["b-triage", "c-urgent", "a-faq", "g-emoji", "f-plain", "e-underscore",
                    "d-percent"]),
        ("-started", ["c-urgent", "a-faq", "d-percent", "e-underscore", "f-plain", "b-triage",
                      "g-emoji"]),
        ("channel", ["a-faq", "c-urgent", "e-underscore", "f-plain", "b-triage", "g-emoji",
                     "d-percent"]),
        ("outcome", ["a-faq", "d-percent", "e-underscore", "f-plain", "g-emoji", "c-urgent",
                     "b-triage"]),
    ],
)
def test_sorting(mixed, sort, expected):
    assert senders(mixed, sort=sort) == expected


def test_unreviewed_emergencies_come_first_self_harm_before_medical(db_engine, db_session):
    store(db_engine,
          emergency(talk("old-self-harm", ago=9 * DAY), "self_harm"),
          emergency(talk("medical", ago=5 * DAY)),
          emergency(talk("reviewed-medical", ago=3 * DAY)),
          faq_only("recent-faq", ago=DAY))
    refresh_summaries(db_session, now=NOW)
    set_review(db_session, "reviewed-medical", reviewed=True, note="called", tags=[],
               staff_email="ann@clinic.example", now=NOW)
    newest_first = ConversationQuery()
    assert [r.sender_id for r in iter_conversations(db_session, newest_first, NOW)] == [
        "old-self-harm", "medical", "recent-faq", "reviewed-medical"]
    assert senders(db_session, flag="self_harm") == ["old-self-harm"]
    assert senders(db_session, flag="urgent") == ["old-self-harm", "medical", "reviewed-medical"]


def test_last_activity_sort_follows_the_latest_event(db_engine, mixed):
    store(db_engine, faq(Conversation("c-urgent", NOW.timestamp() - 60).session(), "hi", "team"))
    refresh_summaries(mixed, now=NOW)
    assert senders(mixed, sort="-last")[:2] == ["c-urgent", "a-faq"]


def test_pages(mixed):
    pages = [list_conversations(mixed, ConversationQuery(sort="started", per_page=3, page=n), NOW)
             for n in (1, 2, 3, 4, 99)]
    assert [p.total for p in pages] == [7] * 5 and [p.pages for p in pages] == [3] * 5
    assert [len(p.rows) for p in pages] == [3, 3, 1, 1, 1]
    assert [p.page for p in pages] == [1, 2, 3, 3, 3]
    everyone = [r.sender_id for p in pages[:3] for r in p.rows]
    assert everyone == senders(mixed)
    empty = list_conversations(mixed, ConversationQuery(text="nobody said this"), NOW)
    assert (empty.rows, empty.total, empty.page, empty.pages) == ([], 0, 1, 1)


def test_query_from_untrusted_params_never_fails():
    junk = {"from": "2025-13-45", "to": "yesterday", "outcome": "bogus", "flag": "<script>",
            "reviewed": "maybe", "channel": "  ", "q": "", "sort": "drop table",
            "page": "-3", "per_page": "100000", "language": "klingon"}
    assert ConversationQuery.from_params(junk) == ConversationQuery(per_page=200)
    assert ConversationQuery.from_params({"page": "²", "per_page": "0"}) == ConversationQuery(
        per_page=1)
    assert ConversationQuery.from_params({"q": "  chest \n\t pain " + "x" * 500}).text == (
        "chest pain " + "x" * 189)
    swapped = ConversationQuery.from_params({"from": "2025-03-10", "to": "2025-03-01"})
    assert (swapped.date_from, swapped.date_to) == (dt.date(2025, 3, 1), dt.date(2025, 3, 10))


def test_query_params_round_trip():
    query = ConversationQuery(date_from=dt.date(2025, 1, 2), date_to=dt.date(2025, 2, 3),
                              outcome="none", flag="abandoned", reviewed=False,
                              channel="twilio", text="50% off", language="es", sort="-turns",
                              page=4, per_page=20)
    assert ConversationQuery.from_params(query.to_params()) == query
    assert ConversationQuery().to_params() == {}
    assert ConversationQuery(reviewed=True).to_params() == {"reviewed": "yes"}


def test_conversation_detail(mixed):
    detail = get_conversation(mixed, "b-triage", RULES, NOW)
    assert detail.row.sender_id == "b-triage" and detail.row.outcome == "work_hardening"
    assert detail.row.reviewed and detail.row.tags == ("ok",)
    assert [t.event_id for t in detail.turns] == sorted(t.event_id for t in detail.turns)
    assert [t.at for t in detail.turns] == sorted(t.at for t in detail.turns)
    patient = [t for t in detail.turns if t.speaker == "patient"]
    assert [t.text for t in patient] == ["which program is right for me?"] + [
        text for _, text, _ in WORK_HARDENING]
    assert patient[0].intent == "ask_which_program" and patient[0].confidence == 0.998
    assert not any(t.low_confidence for t in patient)
    asked = [t for t in detail.turns if t.speaker == "assistant"]
    assert asked[0].text.startswith("Let's see which program may fit you")
    assert asked[0].buttons == ("No, none of these", "Yes", "I'm not sure")
    assert asked[-1].text.startswith("Work hardening may fit you")
    assert detail.slots["job_demand_level"] == "heavy"
    assert detail.slots["recommended_program"] == "work_hardening"
    assert detail.slots["clinic_phone"] and "requested_slot" not in detail.slots
    assert any("fear of getting hurt again" in reason for reason in detail.reasons)
    assert (detail.note, detail.reviewed_by, detail.reviewed_at) == (
        "fine", "ann@clinic.example", NOW)


def test_detail_marks_what_the_assistant_did_not_understand(mixed):
    turns = get_conversation(mixed, "g-emoji", RULES, NOW).turns
    assert [(t.speaker, t.intent, t.low_confidence) for t in turns] == [
        ("patient", "nlu_fallback", True), ("assistant", None, False)]
    assert turns[0].text == "Ça fait mal 😀 <b>ÉPAULE</b>"


def test_the_chat_opening_is_an_event_and_picked_options_show_as_the_patient_saw_them(
        db_engine, db_session):
    c = talk("clicks", channel="socketio").wait(5).user("/greet", "greet", 1.0).say("utter_greet")
    c.utter("utter_ask_red_flags").listen()
    c.wait(5).user("no, none of those", "deny", typed="No, none of these")  # clicked
    c.utter("utter_ask_medically_cleared").listen()
    c.wait(5).user("yes", "affirm", typed=" 1 ")  # texted the option's number
    c.wait(5).user("not yet", "deny", typed="NOT YET").say("utter_greet")  # typed it out
    c.wait(5).user("yes please", "affirm", typed="x" * 5000)  # not among the buttons shown
    c.wait(5).user("My knee still hurts", "describe_situation").say("utter_greet")
    store(db_engine, c)
    detail = get_conversation(db_session, "clicks", RULES, NOW)
    shown = [(t.speaker, t.text, t.typed, t.choice) for t in detail.turns
             if t.speaker != "assistant"]
    assert shown == [
        ("event", "/greet", None, None),
        ("patient", "no, none of those", "No, none of these", "No, none of these"),
        ("patient", "yes", "1", "Yes"),
        ("patient", "not yet", "NOT YET", "Not yet"),
        ("patient", "yes please", "x" * 200, "x" * 200),
        ("patient", "My knee still hurts", None, None),
    ]
    assert [t.text for t in detail.worded_turns] == [text for _, text, _, _ in shown[1:]]
    assert detail.row.turns == 5  # the widget's greeting is not the patient's
    refresh_summaries(db_session, now=NOW)
    [row] = list_conversations(db_session, ConversationQuery(), NOW).rows
    assert (row.turns, row.first_message) == (5, "My knee still hurts")
    assert list_conversations(db_session, ConversationQuery(text="greet"), NOW).total == 0


def test_a_chat_opened_and_left_unused_is_not_listed(db_engine, db_session):
    store(db_engine, talk("opened", channel="socketio").wait(1).user("/greet", "greet", 1.0)
          .say("utter_greet"), faq_only())
    refresh_summaries(db_session, now=NOW)
    assert [r.sender_id for r in iter_conversations(db_session, ConversationQuery(), NOW)] == [
        "faq-only"]
    assert overview(db_session, (NOW - 7 * DAY).date(), NOW.date()).total == 1


CUT = "\N{HORIZONTAL ELLIPSIS}"


@pytest.mark.parametrize(("messages", "expected"), [
    ([("hello", None)], "hello"),
    ([("/greet", None), ("  how   long\n does it\ttake? ", None)], "how long does it take?"),
    ([("yes", "Yes"), ("/deny", None), ("", None), ("   ", None), ("my back", None)],
     "my back"),
    ([("yes", "Yes"), ("/affirm", None)], None),
    ([("I hurt my back lifting boxes at the warehouse three months ago and now I am scared "
       "to go back", None)],
     "I hurt my back lifting boxes at the warehouse three months ago and now I am" + CUT),
    ([("x" * 300, None)], "x" * 80 + CUT),
    ([("word " * 16 + "end", None)], "word " * 15 + "word" + CUT),
    ([("<b>it hurts</b> 😀", None), ("later words", None)], "<b>it hurts</b> 😀"),
])
def test_the_preview_is_the_first_thing_the_patient_wrote(db_engine, db_session, messages,
                                                          expected):
    c = talk("preview")
    for text, typed in messages:
        c.wait(5).user(text, "greet", typed=typed).say("utter_greet")
    store(db_engine, c)
    refresh_summaries(db_session, now=NOW)
    [row] = iter_conversations(db_session, ConversationQuery(), NOW)
    assert row.first_message == expected
    assert expected is None or len(expected) <= PREVIEW_CHARS + 1


def test_the_preview_is_deleted_with_the_conversation(db_engine, db_session):
    said = "Please call me about my shoulder, I am Jane Roe"
    store(db_engine, talk("rest:jane").wait(5).user(said, "request_human").say("utter_greet"))
    refresh_summaries(db_session, now=NOW)
    assert db_session.scalar(select(ConversationSummary.first_message)) == said
    assert forget_conversation(db_session, "rest:jane", audit_key=b"k" * 32)
    with db_engine.connect() as connection:
        for table in ("conversation_summaries", "conversation_messages", "events"):
            assert said not in str(connection.execute(sql(f"SELECT * FROM {table}")).all())


def user_event(intent: dict, selector: dict | None = None) -> dict:
    """A user event's data as Rasa 3.6 stores it (shape taken from the trained model)."""
    parse = {"intent": intent, "entities": [], "text": "how long is it"}
    if selector is not None:
        parse["response_selector"] = {"all_retrieval_intents": ["faq"], "faq": selector}
    return {"event": "user", "text": "how long is it", "parse_data": parse,
            "input_channel": "socketio", "metadata": {}}


def picked(key: str, confidence: object) -> dict:
    return {"response": {"confidence": confidence, "intent_response_key": key,
                         "utter_action": f"utter_{key}", "responses": [{"text": "..."}]},
            "ranking": [{"confidence": confidence, "intent_response_key": key}]}


FAQ_INTENT = {"name": "faq", "confidence": 1.0, "full_retrieval_intent_name": "faq/duration"}


@pytest.mark.parametrize(("data", "confidence", "topic", "low"), [
    # the intent is often sure a question is *some* FAQ; the answer selector is the one unsure
    (user_event(FAQ_INTENT, picked("faq/duration", 0.9600212574)), 0.9600212574,
     "faq/duration", False),
    (user_event(FAQ_INTENT, picked("faq/duration", 0.21)), 0.21, "faq/duration", True),
    (user_event({"name": "faq", "confidence": 1.0}, picked("faq/referral", 0.98)), 0.98,
     "faq/referral", False),
    (user_event(FAQ_INTENT), 1.0, "faq/duration", False),  # no selector: the intent's
    (user_event(FAQ_INTENT, picked("faq/duration", "high")), 1.0, "faq/duration", False),
    # other intents keep their own score, whatever the selector guessed beside them
    (user_event({"name": "greet", "confidence": 0.9997888}, picked("faq/insurance", 0.1385)),
     0.9997888, "greet", False),
    (user_event({"name": "request_human", "confidence": 0.26}), 0.26, "request_human", True),
])
def test_an_faqs_confidence_is_the_response_selectors(data, confidence, topic, low):
    message = read_user_event(data)
    assert (message.confidence, message.topic, message.low_confidence) == (
        confidence, topic, low)


def test_detail_of_a_conversation_newer_than_the_summaries(db_engine, db_session):
    store(db_engine, triage(talk("fresh")))
    detail = get_conversation(db_session, "fresh", RULES, NOW)
    assert detail.row.turns == TRIAGE_TURNS and detail.row.outcome == "work_hardening"
    assert not detail.row.reviewed and detail.note == "" and detail.reasons


def test_review_tags_and_note(mixed):
    set_review(mixed, "a-faq", reviewed=True, note="  Asked twice about duration. <b>x</b> ",
               tags=[" NLU  gap ", "nlu gap", "Follow-up", ""], staff_email="bo@clinic.example",
               now=NOW)
    detail = get_conversation(mixed, "a-faq", RULES, NOW)
    assert detail.row.reviewed and detail.row.tags == ("follow-up", "nlu gap")
    assert detail.note == "Asked twice about duration. <b>x</b>"
    assert tags_in_use(mixed) == ["follow-up", "nlu gap", "ok"]
    assert senders(mixed, reviewed=True) == ["b-triage", "a-faq"]
    set_review(mixed, "a-faq", reviewed=True, note="again", tags="nlu gap, Callback ,,",
               staff_email="bo@clinic.example", now=NOW)
    assert get_conversation(mixed, "a-faq", RULES, NOW).row.tags == ("callback", "nlu gap")
    set_review(mixed, "a-faq", reviewed=False, note="", tags=[], staff_email="cy@clinic.example",
               now=NOW + DAY)
    detail = get_conversation(mixed, "a-faq", RULES, NOW)
    assert not detail.row.reviewed and detail.row.tags == () and detail.note == ""
    assert (detail.reviewed_by, detail.reviewed_at) == ("cy@clinic.example", NOW + DAY)
    with pytest.raises(LookupError):
        set_review(mixed, "nobody", reviewed=True, note="", tags=[], staff_email="x", now=NOW)
    with pytest.raises(ValueError, match="note is too long"):
        set_review(mixed, "a-faq", reviewed=True, note="x" * 10_001, tags=[], staff_email="x",
                   now=NOW)
    with pytest.raises(ValueError, match="tags"):
        set_review(mixed, "a-faq", reviewed=True, note="", tags=["x" * 65], staff_email="x",
                   now=NOW)


def test_refresh_keeps_the_review(db_engine, mixed):
    store(db_engine, faq(Conversation("b-triage", NOW.timestamp() - 60), "thanks", "contact"))
    refresh_summaries(mixed, now=NOW)
    assert senders(mixed, reviewed=True) == ["b-triage"]


def test_overview(mixed):
    summary = overview(mixed, (NOW - 6 * DAY).date(), NOW.date())
    assert summary.total == 6
    assert [count for _, count in summary.per_day] == [1, 1, 1, 1, 1, 1, 0]
    assert summary.per_day[0][0] == (NOW - 6 * DAY).date()
    assert summary.outcomes == {"work_conditioning": 0, "work_hardening": 1, "medical_review": 0,
                                "urgent_care": 0, "not_indicated": 0, "none": 5}
    assert summary.fallback_rate == pytest.approx(2 / (7 + TRIAGE_TURNS))
    assert dict(summary.topics)["faq/duration"] == 1 and summary.topics[0] == ("affirm", 4)
    assert sum(count for _, count in summary.urgent_per_day) == 0
    assert summary.channels == {"rest": 3, "socketio": 1, "twilio": 1, "telegram": 1}
    everything = overview(mixed, NOW.date(), (NOW - 30 * DAY).date())
    assert everything.total == 7 and everything.outcomes["urgent_care"] == 1
    assert sum(count for _, count in everything.urgent_per_day) == 1


CHICAGO = ZoneInfo("America/Chicago")
AROUND_MIDNIGHT = {
    "late-evening": dt.datetime(2025, 3, 14, 3, 0, tzinfo=dt.UTC),  # Mar 13, 10 pm CDT
    "after-midnight": dt.datetime(2025, 3, 14, 6, 0, tzinfo=dt.UTC),  # Mar 14, 1 am CDT
    "winter-night": dt.datetime(2025, 1, 10, 5, 30, tzinfo=dt.UTC),  # Jan 9, 11:30 pm CST
}


@pytest.fixture
def around_midnight(db_engine, db_session):
    """Conversations whose day in Chicago is not their day in UTC."""
    for sender, at in AROUND_MIDNIGHT.items():
        store(db_engine, talk(sender, ago=NOW - at).wait(5).user("what is it", "faq",
                                                                 faq="duration"))
    refresh_summaries(db_session, now=NOW)
    return db_session


@pytest.mark.parametrize(("zone", "day", "expected"), [
    (CHICAGO, dt.date(2025, 3, 13), ["late-evening"]),
    (CHICAGO, dt.date(2025, 3, 14), ["after-midnight"]),
    (CHICAGO, dt.date(2025, 1, 9), ["winter-night"]),
    (CHICAGO, dt.date(2025, 1, 10), []),
    (dt.UTC, dt.date(2025, 3, 13), []),
    (dt.UTC, dt.date(2025, 3, 14), ["late-evening", "after-midnight"]),
    (dt.UTC, dt.date(2025, 1, 10), ["winter-night"]),
])
def test_date_filters_mean_the_clinics_days(around_midnight, zone, day, expected):
    query = ConversationQuery.from_params({"from": day.isoformat(), "to": day.isoformat(),
                                           "sort": "started"}, zone)
    assert query.zone is zone and "zone" not in query.to_params()
    assert [r.sender_id for r in iter_conversations(around_midnight, query, NOW)] == expected


def test_the_overview_counts_the_clinics_days(around_midnight):
    march_13, march_14 = dt.date(2025, 3, 13), dt.date(2025, 3, 14)
    chicago = overview(around_midnight, march_13, march_14, CHICAGO)
    assert chicago.per_day == [(march_13, 1), (march_14, 1)] and chicago.total == 2
    assert overview(around_midnight, march_13, march_13, CHICAGO).topics == [("faq/duration", 1)]
    utc = overview(around_midnight, march_13, march_14, dt.UTC)
    assert utc.per_day == [(march_13, 0), (march_14, 2)]
    assert overview(around_midnight, march_13, march_13, dt.UTC).topics == []


def tags_in_use(session) -> list[str]:
    return list(session.scalars(select(Tag.name).distinct().order_by(Tag.name)))


def test_filter_menus(mixed):
    assert channels(mixed) == ["rest", "socketio", "telegram", "twilio"]
    assert tags_in_use(mixed) == ["ok"]


def test_summaries_of_real_conversations_with_the_bot(running_bot):
    """The real Rasa server's events (as stored by `python -m bot run`) give the right summary."""
    script = {
        "faq": ["hello", "what's the difference between work hardening and work conditioning?"],
        "triage": ["I hurt my back lifting 50 lb boxes at the warehouse 3 months ago, my "
                   "doctor cleared me but I'm scared to go back", "no, none of those", "no",
                   "4 hours or more"],
        "emergency": ["which program is right for me?", "I have chest pain and can't breathe"],
        "human": ["I want to talk to a real person"],
        "fallback": ["😀🙏💪"],
    }
    prefix = f"real-{NOW.timestamp():.0f}-"
    for name, messages in script.items():
        for message in messages:
            running_bot.say(message, prefix + name)
    engine = make_engine(running_bot.database_url)
    with session_factory(engine)() as session:
        refresh_summaries(session)
        rows = {r.sender_id.removeprefix("rest:" + prefix): r
                for r in iter_conversations(session, ConversationQuery(text=prefix))}
        triaged = get_conversation(session, "rest:" + prefix + "triage", RULES)
        topics = dict(session.execute(
            select(ConversationMessage.topic, ConversationMessage.text)
            .where(ConversationMessage.sender_id == "rest:" + prefix + "faq")).all())
    engine.dispose()
    assert {name: (r.turns, r.outcome, r.flags, r.channel) for name, r in rows.items()} == {
        "faq": (2, None, (), "rest"),
        "triage": (4, "work_hardening", (), "rest"),
        "emergency": (2, "urgent_care", ("urgent",), "rest"),
        "human": (1, None, ("human_requested",), "rest"),
        "fallback": (1, None, ("fallback",), "rest"),
    }
    assert topics == {"greet": "hello", "faq/difference": script["faq"][1]}
    assert triaged.slots["psychosocial_barriers"] is True and len(triaged.reasons) == 3
    assert triaged.turns[0].speaker == "patient" and triaged.turns[0].confidence > 0.5

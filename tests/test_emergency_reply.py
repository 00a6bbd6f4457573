"""What is said after an alarm, and what a false alarm restores."""

import pytest
import yaml

from bot.emergency import Kind
from bot.emergency.reply import (
    ADVICE_RESPONSES,
    advice,
    answers_the_alarm,
    before_alarm,
    cleared_alarm_question,
    interrupted_answer,
    interrupted_loop,
)
from bot.settings import ROOT


@pytest.mark.parametrize(
    ("kind", "sure", "language", "responses"),
    [
        (Kind.MEDICAL, True, "en", ("utter_emergency",)),
        (Kind.MEDICAL, False, "en", ("utter_emergency", "utter_emergency_check")),
        (Kind.SELF_HARM, True, "en", ("utter_emergency_self_harm",)),
        (Kind.SELF_HARM, False, "en",
         ("utter_emergency_self_harm", "utter_emergency_self_harm_check")),
        (Kind.MEDICAL, True, "es", ("utter_emergency_es",)),
        (Kind.SELF_HARM, False, "es",
         ("utter_emergency_self_harm_es", "utter_emergency_self_harm_check_es")),
    ],
)
def test_the_number_comes_first_and_a_check_question_only_when_unsure(
    kind, sure, language, responses
):
    assert advice(kind, sure, language) == responses


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def user(text):
    return {"event": "user", "text": text}


TRIAGE_THEN_ALARM = [
    {"event": "session_started"},
    user("which program fits me?"),
    {"event": "active_loop", "name": "triage_form"},
    slot("requested_slot", "red_flags"),
    user("no, none of those"),
    slot("red_flags", False),
    slot("requested_slot", "medically_cleared"),
    user("I want to kill myself at this job lol"),
    {"event": "action", "name": "action_emergency"},
    slot("red_flags", True),
    slot("recommended_program", "urgent_care"),
    slot("emergency_check", True),
    {"event": "active_loop", "name": None},
]


def test_a_false_alarm_restores_the_answers_given_before_it():
    assert before_alarm(TRIAGE_THEN_ALARM, "red_flags") is False
    assert before_alarm(TRIAGE_THEN_ALARM, "recommended_program") is None
    assert interrupted_loop(TRIAGE_THEN_ALARM) == "triage_form"


def test_an_alarm_raised_by_the_safety_answer_itself_is_undone_entirely():
    events = [
        *TRIAGE_THEN_ALARM[:5],
        slot("red_flags", True),
        {"event": "active_loop", "name": None},
        {"event": "action", "name": "action_triage_result"},
        slot("emergency_check", True),
    ]
    assert before_alarm(events, "red_flags") is None
    assert interrupted_loop(events) == "triage_form"


def test_the_answer_that_raised_a_false_alarm_is_read_again_as_an_answer():
    assert interrupted_answer(TRIAGE_THEN_ALARM) == (
        "medically_cleared", "I want to kill myself at this job lol")
    assert interrupted_answer([user("my chest is crushing"), slot("emergency_check", True)]) \
        is None


def test_the_question_of_a_cleared_alarm_is_known_until_the_next_alarm():
    assert cleared_alarm_question(TRIAGE_THEN_ALARM) is None
    cleared = [*TRIAGE_THEN_ALARM, user("no, nothing like that"), slot("emergency_check", False),
               slot("requested_slot", "medically_cleared")]
    assert cleared_alarm_question(cleared) == "medically_cleared"


@pytest.mark.parametrize(
    ("later", "answers"),
    [
        ([], False),  # the message that raised the alarm is not a reply to it
        ([user("no, nothing like that")], True),
        ([user("what happens at the end of the program?"), user("no, nothing like that")],
         True),
        ([user("how long is it?"), user("who pays?"), user("no")], False),
    ],
)
def test_a_reply_to_an_alarm_comes_within_two_messages(later, answers):
    assert answers_the_alarm([*TRIAGE_THEN_ALARM, *later]) is answers


def test_without_an_alarm_or_a_form_nothing_is_restored_or_resumed():
    assert before_alarm([user("hi")], "red_flags") is None
    assert interrupted_loop([user("hi")]) is None
    assert not answers_the_alarm([user("no")])
    outside = [{"event": "session_started"}, user("my chest is crushing"),
               slot("emergency_check", True)]
    assert interrupted_loop(outside) is None


def test_every_advice_response_is_in_the_domain():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert len(ADVICE_RESPONSES) == 8
    assert ADVICE_RESPONSES <= set(domain["responses"])

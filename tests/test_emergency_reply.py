"""What is said after an alarm, and what a false alarm restores."""

import pytest
import yaml

from bot.core.emergency import Kind
from bot.core.emergency.reply import (
    ADVICE_RESPONSES,
    REMINDERS,
    STILL_UNCLEAR,
    UNCLEAR_PROMPTS,
    advice,
    alarm_beneath,
    alarm_message,
    alarm_prompt,
    answers_the_alarm,
    answers_the_check,
    before_alarm,
    check_asked,
    cleared_alarm_question,
    clearing_reply,
    help_called_since_alarm,
    interrupted_answer,
    interrupted_loop,
    next_alarm_prompt,
    question_answered,
    refuses_the_call,
    reminder_after_an_answer,
    replies_unclearly,
    reply_to_help_called,
    reply_without_actions,
    standing_alarm_answered,
    standing_alarm_reply,
    sure_advice,
    sure_unless_asked,
    times_asked,
)
from bot.settings import ROOT

MEDICAL, SELF_HARM = Kind.MEDICAL.value, Kind.SELF_HARM.value


@pytest.mark.parametrize(("found", "standing", "replying", "asked", "answers"), [
    # "yes its happening right now, since about 20 min", to "Is this happening now…?"
    ({"kind": MEDICAL, "sure": False}, MEDICAL, True, True, True),
    ({"kind": MEDICAL, "sure": False}, MEDICAL, True, False, False),  # a sure alarm: ask once
    ({"kind": MEDICAL, "sure": False}, MEDICAL, False, True, False),  # long after it
    ({"kind": MEDICAL, "sure": True}, MEDICAL, True, True, False),  # a sign told: the advice
    ({"kind": SELF_HARM, "sure": False}, MEDICAL, True, True, False),  # standing_alarm_answered
    ({"kind": MEDICAL, "sure": False}, SELF_HARM, True, True, False),  # a new sign of the body
    ({"kind": MEDICAL, "sure": False}, None, True, True, False),  # no alarm stands
    ({}, MEDICAL, True, True, False),  # a "yes": the advice again
])
def test_an_unclear_reply_to_the_check_question_is_its_answer(
        found, standing, replying, asked, answers):
    assert answers_the_check(found, standing, replying, asked) is answers


@pytest.mark.parametrize(("found", "standing", "replying", "unclear"), [
    # "yeah its still going on right now" (0.31), after the sure advice for chest pain
    ({"kind": MEDICAL, "sure": False}, MEDICAL, True, True),
    ({"kind": MEDICAL, "sure": False}, MEDICAL, False, False),  # long after it
    ({"kind": MEDICAL, "sure": True}, MEDICAL, True, False),  # sure anyway
    ({"kind": SELF_HARM, "sure": False}, MEDICAL, True, False),  # another kind: asked
    ({"kind": SELF_HARM, "sure": False}, SELF_HARM, True, False),  # standing_alarm_reply
    ({"kind": MEDICAL, "sure": False}, None, True, False),  # no alarm stands
    ({}, MEDICAL, True, False),  # no reading: a "yes" is read elsewhere
])
def test_an_unclear_sign_in_a_reply_to_a_medical_alarm_asks_no_new_question(
        found, standing, replying, unclear):
    assert replies_unclearly(found, standing, replying) is unclear


@pytest.mark.parametrize(("found", "standing", "replying", "answered"), [
    # "not worth going to the ER for nothing", after a 911 alarm: a reply to it
    ({"kind": SELF_HARM, "sure": False}, MEDICAL, True, Kind.MEDICAL),
    ({"kind": SELF_HARM, "sure": False}, MEDICAL, False, None),  # long after it
    ({"kind": SELF_HARM, "sure": True}, MEDICAL, True, None),  # words of ending one's life
    ({"kind": MEDICAL, "sure": False}, MEDICAL, True, None),  # a new sign: its own advice
    ({}, MEDICAL, True, None),  # a "yes" to the check question: the advice again
    # while a suicide alarm stands: the thoughts told again, a yes, the triage's result
    ({"kind": SELF_HARM, "sure": True}, SELF_HARM, True, Kind.SELF_HARM),
    ({"kind": SELF_HARM, "sure": False}, SELF_HARM, False, Kind.SELF_HARM),
    ({}, SELF_HARM, False, Kind.SELF_HARM),
    ({"kind": MEDICAL, "sure": True}, SELF_HARM, True, None),  # a sign of the body: 911
    ({"kind": SELF_HARM, "sure": False}, None, True, None),  # no alarm stands
])
def test_an_alarm_raised_while_one_stands_may_be_a_reply_to_it(
        found, standing, replying, answered):
    assert standing_alarm_answered(found, standing, replying) == answered





@pytest.mark.parametrize(
    ("kind", "sure", "responses"),
    [
        (Kind.MEDICAL, True, ("utter_emergency",)),
        (Kind.MEDICAL, False, ("utter_emergency", "utter_emergency_check")),
        (Kind.SELF_HARM, True, ("utter_emergency_self_harm",)),
        (Kind.SELF_HARM, False,
         ("utter_emergency_self_harm", "utter_emergency_self_harm_check")),
    ],
)
def test_the_number_comes_first_and_a_check_question_only_when_unsure(kind, sure, responses):
    assert advice(kind, sure) == responses


@pytest.mark.parametrize(
    ("sure", "certain", "asks", "answer", "still_sure"),
    [
        (True, False, True, "faq/emergency_signs", False),
        (False, False, True, "faq/emergency_signs", False),
        # told, not asked ("coughing up blood since my surgery")
        (True, False, False, "faq/emergency_signs", True),
        # asked, with a phrase that is an emergency on its own ("…i want to kill myself")
        (True, True, True, "faq/emergency_signs", True),
        # asked about something else ("my chest is crushing, how long is the program")
        (True, False, True, "faq/duration", True),
        (True, False, True, None, True),
        (False, False, False, "faq/duration", False),
    ],
)
def test_a_question_about_the_signs_gets_the_check_question(sure, certain, asks, answer,
                                                             still_sure):
    assert sure_unless_asked(sure, certain, asks, answer) is still_sure


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def user(text):
    return {"event": "user", "text": text}


def _alarm(*replies: str) -> list[dict]:
    """A suicide alarm raised on a message, and the responses said to it, then a reply."""
    return [user("she'd be better off without me"), slot("emergency_check", True),
            *({"event": "bot", "metadata": {"utter_action": r}} for r in replies),
            user("i just think about it sometimes")]


@pytest.mark.parametrize(("events", "reply"), [
    (_alarm("utter_emergency_self_harm"),
     ("utter_emergency_heard_self_harm", "utter_emergency_self_harm_check")),
    (_alarm("utter_emergency_self_harm", "utter_emergency_self_harm_check"),
     ("utter_emergency_heard_self_harm",)),
    # a blind hand trial, stop 57: the same thanks three times in a row
    (_alarm("utter_emergency_self_harm_check", "utter_emergency_heard_self_harm"),
     ("utter_emergency_stay_self_harm",)),
    (_alarm("utter_emergency_self_harm_check", "utter_emergency_heard_self_harm",
            "utter_emergency_stay_self_harm"),
     ("utter_emergency_heard_self_harm",)),
])
def test_thoughts_told_again_get_thanks_and_988_and_the_direct_question_once(events, reply):
    assert standing_alarm_reply(Kind.SELF_HARM, events, {"kind": SELF_HARM}) == reply


@pytest.mark.parametrize(("said", "reply"), [
    # the `make run` trial of stop 72: the thanks for telling twice, the question between
    (("utter_emergency_self_harm",), ("utter_emergency_stay_self_harm",)),
    (("utter_emergency_heard_self_harm", "utter_emergency_self_harm_check"),
     ("utter_emergency_stay_self_harm",)),
    (("utter_emergency_stay_self_harm",), ("utter_emergency_care_self_harm",)),
    (("utter_emergency_stay_self_harm", "utter_emergency_care_self_harm"),
     ("utter_emergency_stay_self_harm",)),
])
def test_thanks_for_the_988_advice_gets_a_next_step_not_the_question(said, reply):
    assert standing_alarm_reply(Kind.SELF_HARM, _alarm(*said), {}, thanked=True) == reply
    # told of another (a second review of stop 72): the advice for them, not for the writer
    for_them = standing_alarm_reply(Kind.SELF_HARM, _alarm(*said), {}, thanked=True,
                                    for_another=True)
    assert for_them == (("utter_emergency_care_self_harm",)
                        if said[-1] == "utter_emergency_someone_else_self_harm"
                        else ("utter_emergency_someone_else_self_harm",))
    # a sure sign told with thanks still gets the thanks for telling and 911
    assert standing_alarm_reply(Kind.SELF_HARM, _alarm(*said), {"kind": SELF_HARM,
                                "sure": True}, thanked=True)[0] == "utter_emergency_heard_self_harm"


def test_a_sure_alarm_right_after_the_thanks_gets_them_again_not_a_way_on():
    """A fresh review of stop 57: "the pills are in my hand" must not get "we can go on"."""
    events = _alarm("utter_emergency_self_harm_check", "utter_emergency_heard_self_harm")
    assert standing_alarm_reply(Kind.SELF_HARM, events, {"kind": SELF_HARM, "sure": True}) == (
        "utter_emergency_heard_self_harm",)


def test_a_medical_alarm_asked_about_again_shows_988_when_the_reply_read_as_despair():
    events = [user("both my legs went numb"), slot("emergency_check", True),
              bot("utter_emergency"), user("not worth going to the er for nothing")]
    assert standing_alarm_reply(Kind.MEDICAL, events, {"kind": SELF_HARM, "sure": False}) == (
        "utter_emergency_988_line", "utter_emergency_unclear")
    assert standing_alarm_reply(Kind.MEDICAL, events, {}) == ("utter_emergency_unclear",)


@pytest.mark.parametrize(("replies", "reply"), [
    (("utter_emergency_self_harm",), "utter_emergency_cleared_self_harm"),
    (("utter_emergency_self_harm", "utter_emergency_heard_self_harm"),
     "utter_emergency_answered_self_harm"),  # the thoughts told again: read right
])
def test_a_no_after_thoughts_told_again_gets_no_apology(replies, reply):
    assert clearing_reply(Kind.SELF_HARM, False, _alarm(*replies)) == reply


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


CLEARED = [*TRIAGE_THEN_ALARM, user("no, nothing like that"), slot("emergency_check", False),
           slot("requested_slot", "medically_cleared")]


def test_the_question_of_a_cleared_alarm_counts_for_the_next_reply_only():
    assert cleared_alarm_question(TRIAGE_THEN_ALARM) is None
    assert cleared_alarm_question(CLEARED) is None  # no reply to the question asked again yet
    assert cleared_alarm_question([*CLEARED, user("again the same words")]) == "medically_cleared"
    assert cleared_alarm_question([*CLEARED, user("a"), user("b")]) is None
    assert cleared_alarm_question([*CLEARED, {"event": "session_started"}, user("a")]) is None


def bot(response):
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response}}


def test_a_reply_right_after_the_assistant_came_back_to_the_alarm_still_answers_it():
    late = [*TRIAGE_THEN_ALARM, user("huh"), bot("utter_emergency_unclear"), user("what"),
            bot("utter_emergency_still_unclear"), user("/deny")]
    assert alarm_prompt(late) == "utter_emergency_still_unclear" and answers_the_alarm(late)
    assert alarm_prompt([*TRIAGE_THEN_ALARM, user("huh")]) is None
    assert alarm_prompt([*TRIAGE_THEN_ALARM, bot("utter_faq"), user("huh")]) is None


def test_a_reply_after_911_called_still_answers_the_alarm():
    """A second fresh review of stop 71: "they hung up on me", after "Good. You did the
    right thing…", went to the intents, and the triage started with the alarm standing."""
    late = [*TRIAGE_THEN_ALARM, user("what"), user("ok"), user("i called 911"),
            bot("utter_emergency_called"), user("they hung up on me")]
    assert alarm_prompt(late) == "utter_emergency_called" and answers_the_alarm(late)
    # told already to call again: the number and a person
    assert next_alarm_prompt(Kind.MEDICAL, alarm_prompt(late)) == "utter_emergency_still_unclear"


@pytest.mark.parametrize(("said", "called", "acknowledged", "reply"), [
    ((), True, False, ("utter_emergency_called",)),
    (("utter_emergency",), True, True, ("utter_emergency_called",)),
    # a bare "ok", or help called again, right after: the other reply, never the same twice
    (("utter_emergency", "utter_emergency_called"), False, True, ("utter_emergency_called_ok",)),
    (("utter_emergency", "utter_emergency_called"), True, False, ("utter_emergency_called_ok",)),
    (("utter_emergency_called", "utter_emergency_called_ok"), False, True,
     ("utter_emergency_called",)),
    # "yeah its worse now" is no bare "ok" (a fresh review of stop 71): not about the call
    (("utter_emergency", "utter_emergency_called"), False, False, ()),
    (("utter_emergency",), False, True, ()),
])
def test_a_reply_about_911_called_and_the_ok_after_it(said, called, acknowledged, reply):
    events = [user("my chest is tight"), slot("emergency_check", True),
              *(bot(response) for response in said), user("…")]
    assert reply_to_help_called(Kind.MEDICAL, events, called, acknowledged) == reply
    assert help_called_since_alarm(events, Kind.MEDICAL) is ("utter_emergency_called" in said)
    assert not help_called_since_alarm(events, Kind.SELF_HARM)


@pytest.mark.parametrize(("said", "called", "acknowledged", "reply"), [
    # the `make run` trial of stop 71: "ok i called 988" got the direct question again
    (("utter_emergency_self_harm",), True, False, ("utter_emergency_called_self_harm",)),
    # the word of care keeps 988 in view (a third review of stop 72)
    (("utter_emergency_self_harm", "utter_emergency_called_self_harm"), False, True,
     ("utter_emergency_care_self_harm",)),
    (("utter_emergency_called_self_harm", "utter_emergency_called_ok"), True, False,
     ("utter_emergency_called_self_harm",)),
    (("utter_emergency_self_harm",), False, True, ()),  # "thanks" to the advice: heard as "ok"
    # a fresh review of stop 72: no word of care with no 988 in it, when nothing was called
    (("utter_emergency_stay_self_harm", "utter_emergency_care_self_harm"), False, True, ()),
    # a fourth review of stop 72: "ok" after that word of care got the direct question
    (("utter_emergency_called_self_harm", "utter_emergency_care_self_harm"), False, True,
     ("utter_emergency_called_self_harm",)),
])
def test_988_reached_and_the_ok_after_it(said, called, acknowledged, reply):
    events = [user("i want to die"), slot("emergency_check", True),
              *(bot(response) for response in said), user("…")]
    assert reply_to_help_called(Kind.SELF_HARM, events, called, acknowledged) == reply
    assert help_called_since_alarm(events, Kind.SELF_HARM) \
        is ("utter_emergency_called_self_harm" in said)
    assert not help_called_since_alarm(events, Kind.MEDICAL)
    # a reply after it answers the alarm: the number and a person, not the question again
    assert next_alarm_prompt(Kind.SELF_HARM, "utter_emergency_called_self_harm") \
        == "utter_emergency_still_unclear_self_harm"


@pytest.mark.parametrize(
    ("kind", "last", "prompt"),
    [
        (Kind.MEDICAL, None, "utter_emergency_unclear"),
        (Kind.MEDICAL, "utter_emergency_unclear", "utter_emergency_still_unclear"),
        (Kind.MEDICAL, "utter_emergency_still_unclear", None),
        (Kind.SELF_HARM, None, "utter_emergency_unclear_self_harm"),
        (Kind.SELF_HARM, "utter_emergency_unclear_self_harm",
         "utter_emergency_still_unclear_self_harm"),
        # a third review of stop 72: never the general answer after a suicide alarm
        (Kind.SELF_HARM, "utter_emergency_still_unclear_self_harm",
         "utter_emergency_care_self_harm"),
        (Kind.SELF_HARM, "utter_emergency_care_self_harm",
         "utter_emergency_still_unclear_self_harm"),
    ],
)
def test_an_unclear_reply_to_an_alarm_is_asked_about_once_more_then_never_again(
    kind, last, prompt
):
    assert next_alarm_prompt(kind, last) == prompt


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


def parsed(text, *intents):
    ranking = [{"name": "emergency", "confidence": 1.0},
               *({"name": name, "confidence": 0.5} for name in intents)]
    return {"event": "user", "text": text,
            "parse_data": {"intent": ranking[0], "intent_ranking": ranking}}


@pytest.mark.parametrize(
    ("events", "asked"),
    [
        ([parsed("which one would be better for me", "ask_which_program", "faq"),
          slot("emergency_check", True)], "ask_which_program"),
        ([parsed("how long is it", "faq"), slot("emergency_check", True),
          parsed("no", "deny")], "faq"),
        ([parsed("my chest hurts"), slot("emergency_check", True)], None),
        # a question about the signs, whatever the intents beside the emergency
        ([{**parsed("is crushing chest pain an emergency", "describe_situation"),
           "parse_data": {**parsed("x", "describe_situation")["parse_data"],
                          "response_selector": {"faq": {"response": {
                              "intent_response_key": "faq/emergency_signs"}}}}},
          slot("emergency_check", True)], "faq"),
        ([user("hi"), parsed("hello", "greet")], None),  # no alarm
        ([], None),
    ],
)
def test_a_cleared_alarm_goes_back_to_what_its_message_asked_for(events, asked):
    intent, parse = alarm_message(events)
    assert intent == asked
    assert parse.get("intent_ranking", [{}])[0].get("name") in (None, "emergency")


STOPPED_ON_THE_CHECKLIST = [
    user("which program fits me?"),
    {"event": "active_loop", "name": "triage_form"},
    slot("requested_slot", "red_flags"),
    user("sí, quiero hablar con una persona"),
    {"event": "active_loop", "name": None},
    slot("requested_slot", None),
]


@pytest.mark.parametrize(("events", "question"), [
    ([user("hi")], None),
    ([], None),
    (STOPPED_ON_THE_CHECKLIST, "red_flags"),  # the rule stopped the form on this very reply
    (TRIAGE_THEN_ALARM, "medically_cleared"),
    ([*STOPPED_ON_THE_CHECKLIST, user("can someone call me")], None),
    ([slot("requested_slot", "red_flags"), {"event": "session_started"}, user("yes")], None),
])
def test_the_question_a_reply_answers_is_the_one_asked_when_it_came(events, question):
    assert question_answered(events) == question


def test_every_advice_response_is_in_the_domain():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert len(ADVICE_RESPONSES) == 13  # with the heard reply and its next step, the 988
    # line, someone else's, 911 again to a yes, help called, 988 with a word of care
    assert ADVICE_RESPONSES <= set(domain["responses"])
    clearing = {clearing_reply(kind, waved, events, checked)
                for kind in (Kind.MEDICAL, Kind.SELF_HARM) for waved in (True, False)
                for events in ([], _WAVED) for checked in (True, False)}
    follow_ups = {*UNCLEAR_PROMPTS.values(), *STILL_UNCLEAR.values(), *REMINDERS.values(),
                  *clearing}
    assert follow_ups <= set(domain["responses"])


@pytest.mark.parametrize(("verdict", "responses"), [
    (None, ("utter_cannot_finish",)),
    ({}, ("utter_cannot_finish",)),
    ({"kind": "medical", "sure": True}, ("utter_emergency",)),
    ({"kind": "medical", "sure": False}, ("utter_emergency",)),
    ({"kind": "self_harm", "sure": False}, ("utter_emergency_self_harm",)),
    ({"kind": "self_harm", "sure": True}, ("utter_emergency_self_harm",)),
])
def test_without_the_action_server_an_emergency_still_gets_its_advice(verdict, responses):
    """No check question: nothing could follow up the patient's answer to it."""
    assert reply_without_actions(verdict) == responses


def test_the_times_a_question_was_asked_count_in_this_session_only():
    ask = bot("utter_ask_red_flags")
    assert times_asked([ask, user("yeah numbness"), bot("utter_emergency"), ask], "red_flags") == 2
    assert times_asked([ask, {"event": "session_started"}, ask], "red_flags") == 1
    assert times_asked([ask, bot("utter_ask_medically_cleared")], "medically_cleared") == 1
    assert times_asked([user("hi")], "red_flags") == 0


@pytest.mark.parametrize(("after", "asked"), [
    ([bot("utter_emergency_self_harm")], False),  # sure: no check question
    ([bot("utter_emergency_self_harm"), bot("utter_emergency_self_harm_check")], True),
    ([bot("utter_emergency"), bot("utter_emergency_check")], True),
    ([bot("utter_emergency_self_harm"), user("hmm"), slot("emergency_check", True),
      bot("utter_emergency_unclear_self_harm")], True),
])
def test_whether_the_check_question_was_asked_since_the_alarm(after, asked):
    events = [user("been saving up my oxy. this weekend is it"), slot("emergency_check", True),
              *after]
    assert check_asked(events) is asked
    # a reply that keeps the alarm standing sets it again: no new alarm
    assert check_asked([*events, user("jk"), slot("emergency_check", True)]) is asked


def _sure_chest(*said: str) -> list[dict]:
    """A sure chest-pain alarm, what was said since, and a yes ("ok")."""
    return [user("my chest has been tight and my left arm feels weird since lunch"),
            slot("emergency_check", True), *(bot(response) for response in said), user("ok")]


@pytest.mark.parametrize(("events", "reply"), [
    # the `make run` trial of stop 69: the same advice three times in a row
    (_sure_chest("utter_emergency"), ("utter_emergency_confirmed",)),
    (_sure_chest("utter_emergency", "utter_emergency_confirmed"), ("utter_emergency",)),
    # a yes to the check question or a prompt: the advice
    (_sure_chest("utter_emergency", "utter_emergency_check"), ("utter_emergency",)),
    (_sure_chest("utter_emergency", "utter_emergency_unclear"), ("utter_emergency",)),
    # a sign told after 911 called ("its getting worse"): call again, no question
    (_sure_chest("utter_emergency", "utter_emergency_called"), ("utter_emergency_confirmed",)),
    (_sure_chest("utter_emergency_called", "utter_emergency_called_ok"),
     ("utter_emergency_confirmed",)),
    # a fresh review of stop 72: after 988 reached, a sure sign gets the whole advice
    (_sure_chest("utter_emergency_called_self_harm", "utter_emergency_care_self_harm"),
     ("utter_emergency",)),
])
def test_a_yes_right_after_the_advice_gets_911_in_a_few_words(events, reply):
    assert sure_advice(Kind.MEDICAL, events) == reply


_OXY = [user("been saving up my oxy. this weekend is it"), slot("emergency_check", True),
        bot("utter_emergency_self_harm")]
_WAVED = [*_OXY, user("lol no im fine forget it"), bot("utter_emergency_dismissed_self_harm"),
          bot("utter_emergency_self_harm_check"), slot("emergency_check", True)]
_CHEST = [user("my chest is tight"), slot("emergency_check", True), bot("utter_emergency"),
          bot("utter_emergency_check")]


@pytest.mark.parametrize(("kind", "waved_away", "events", "reply"), [
    (Kind.SELF_HARM, True, _OXY, "utter_emergency_dismissed_self_harm"),
    (Kind.MEDICAL, True, _CHEST, "utter_emergency_dismissed"),
    # a no to the direct question asked after "jk": the words were read right
    (Kind.SELF_HARM, False, _WAVED, "utter_emergency_answered_self_harm"),
    (Kind.SELF_HARM, False, _OXY, "utter_emergency_cleared_self_harm"),  # a misreading
    (Kind.MEDICAL, False, _CHEST, "utter_emergency_cleared"),
    # waved away in an earlier alarm, since cleared: this one is new
    (Kind.SELF_HARM, False, [*_WAVED, user("no"), slot("emergency_check", False), *_OXY],
     "utter_emergency_cleared_self_harm"),
])
def test_what_a_no_that_clears_an_alarm_gets(kind, waved_away, events, reply):
    assert clearing_reply(kind, waved_away, events) == reply


@pytest.mark.parametrize(("kind", "reply"), [
    (Kind.MEDICAL, "utter_emergency_checked"),
    (Kind.SELF_HARM, "utter_emergency_checked_self_harm"),
])
def test_a_patient_checked_since_the_alarm_is_thanked_not_apologised_to(kind, reply):
    assert clearing_reply(kind, False, _CHEST, checked=True) == reply
    assert clearing_reply(kind, True, _CHEST, checked=True) != reply  # waved away first


@pytest.mark.parametrize(("kind", "replies", "refuses"), [
    # "no thanks" to "please call 988 now": no denial of the thoughts just told
    (Kind.SELF_HARM, ("utter_emergency_self_harm", "utter_emergency_heard_self_harm"), True),
    (Kind.SELF_HARM, ("utter_emergency_heard_self_harm", "utter_emergency_self_harm_check"),
     False),  # a no to the direct question
    (Kind.MEDICAL, ("utter_emergency_heard_self_harm",), False),
])
def test_a_no_to_the_heard_reply_alone_refuses_the_call(kind, replies, refuses):
    assert refuses_the_call(kind, _alarm(*replies)) is refuses


def _kinds(*kinds: str) -> list[dict]:
    """An alarm raised, then the kinds the alarm slot took while it stood."""
    return [user("both my legs went numb this morning"), slot("emergency_check", True),
            *(slot("emergency_kind", k) for k in kinds), user("no")]


@pytest.mark.parametrize(("events", "kind", "beneath"), [
    (_kinds("medical", "self_harm"), Kind.SELF_HARM, Kind.MEDICAL),  # the ER refused
    (_kinds("self_harm", "medical"), Kind.MEDICAL, Kind.SELF_HARM),
    (_kinds("medical"), Kind.MEDICAL, None),
    (_kinds("medical", "medical"), Kind.MEDICAL, None),  # asked about again, same alarm
    (_kinds("medical", "self_harm", "medical"), Kind.MEDICAL, None),  # fallen back already
])
def test_a_cleared_alarm_falls_back_to_the_one_it_replaced(events, kind, beneath):
    assert alarm_beneath(events, kind) == beneath


def test_the_prompt_after_the_988_line_counts_as_asked():
    """The next reply gets the second prompt, not the first again."""
    events = [user("both my legs went numb"), slot("emergency_check", True),
              bot("utter_emergency"), user("not worth going to the er for nothing"),
              slot("emergency_check", True), bot("utter_emergency_988_line"),
              bot("utter_emergency_unclear"), user("no")]
    assert standing_alarm_reply(Kind.MEDICAL, events, {"kind": SELF_HARM}) == (
        "utter_emergency_988_line", "utter_emergency_still_unclear")


_CHEST = [user("my chest is tight all day. how much is it"), slot("emergency_check", True),
          bot("utter_emergency"), bot("utter_emergency_check")]
_ASKED = [user("how long is it"), bot("utter_faq/duration")]


@pytest.mark.parametrize(("kind", "confirms", "events", "reminder"), [
    (Kind.MEDICAL, False, _CHEST, ("utter_emergency_unclear",)),
    (Kind.MEDICAL, False, [*_CHEST, *_ASKED, bot("utter_emergency_unclear")],
     ("utter_emergency_still_unclear",)),
    # then nothing more, however many questions follow (a fresh review of stop 59)
    (Kind.MEDICAL, False, [*_CHEST, *_ASKED, bot("utter_emergency_unclear"), *_ASKED,
                           bot("utter_emergency_still_unclear"), *_ASKED], ()),
    (Kind.MEDICAL, True, [*_CHEST, *_ASKED, bot("utter_emergency_still_unclear")],
     ("utter_emergency",)),
    (Kind.SELF_HARM, True, _OXY, ("utter_emergency_stay_self_harm",)),
    (Kind.SELF_HARM, False, [*_OXY, *_ASKED, bot("utter_emergency_stay_self_harm")], ()),
])
def test_the_alarm_is_said_again_after_an_answer_while_it_stands(kind, confirms, events, reminder):
    """A blind hand trial (stop 59): the answer came alone, 911 forgotten."""
    assert reminder_after_an_answer(kind, confirms, events) == reminder


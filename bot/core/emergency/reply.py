"""What the assistant says and keeps after an alarm, and how it undoes a false one.

Plain functions over response names and Rasa's event dicts, so the action server's
adapters stay thin and the rules are unit-tested.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from bot.core.emergency.detector import Kind
from bot.core.names import (
    EMERGENCY,
    FAQ,
    FAQ_EMERGENCY_SIGNS,
    REQUESTED_SLOT,
    UTTER_CANNOT_FINISH,
    ask_response,
    faq_pick,
)
from bot.core.names import EMERGENCY_CHECK as ALARM_SLOT
from bot.core.names import EMERGENCY_KIND as KIND_SLOT

REMINDERS = {Kind.MEDICAL.value: "utter_emergency_reminder",
             Kind.SELF_HARM.value: "utter_emergency_reminder_self_harm"}
"""The number again, when a cleared alarm would only repeat (see `cleared_alarm_question`)."""
UNCLEAR_PROMPTS = {Kind.MEDICAL.value: "utter_emergency_unclear",
                   Kind.SELF_HARM.value: "utter_emergency_unclear_self_harm"}
"""Asked when a reply to an alarm neither confirms nor clears it."""
STILL_UNCLEAR = {Kind.MEDICAL.value: "utter_emergency_still_unclear",
                 Kind.SELF_HARM.value: "utter_emergency_still_unclear_self_harm"}
"""The number and a person to talk to, when the check question was asked twice already."""
Event = Mapping[str, Any]


def advice(kind: Kind, sure: bool) -> tuple[str, ...]:
    """The responses to send: 911 (or 988) first, then a check question when unsure.

    In the conversation's language, which the message itself sets when it tells it
    (`bot.adapters.nlg`).
    """
    name = "utter_emergency_self_harm" if kind is Kind.SELF_HARM else "utter_emergency"
    return (name,) + (() if sure else (f"{name}_check",))


def standing_alarm_answered(
    found: Mapping[str, Any], standing: str | None, replying: bool
) -> Kind | None:
    """The standing alarm a new alarm is read as a reply to, if any.

    After a medical alarm, a patient who plays it down or will not go ("not worth going to
    the ER for nothing", "no quiero ir al hospital") can read as a possible sign of
    thoughts of suicide. A second alarm would ask about suicide instead of the body, and a
    "no" to it would clear both: the medical emergency was lost (hand trial of stop 53).
    So an unclear self-harm reading of a reply to a standing medical alarm (`replying`:
    `answers_the_alarm`) is that reply: the medical alarm stands and is asked about again;
    a sure one still gets the 988 reply. While a suicide alarm stands, thoughts told again
    ("i wouldnt do anything. i just think about it sometimes"), a yes, or the triage coming
    back to its result are not a new alarm: the same advice five times in a row was a wall
    of text (same trial). A medical sign is. `found` is the message's verdict (empty for a
    yes or a triage result), `standing` the kind of the alarm standing, if any.
    """
    kind = found.get("kind")
    if standing == Kind.MEDICAL.value and kind == Kind.SELF_HARM.value \
            and not found.get("sure") and replying:
        return Kind.MEDICAL
    if standing == Kind.SELF_HARM.value and kind in (None, Kind.SELF_HARM.value):
        return Kind.SELF_HARM
    return None


def replies_unclearly(found: Mapping[str, Any], standing: str | None, replying: bool) -> bool:
    """Whether a reply to the standing medical alarm reads as an unclear medical sign itself.

    Such a reply is never a new alarm with a check question of its own: once the question
    was asked, it is its answer (`answers_the_check`); after a sure alarm, which asked none,
    it is its yes, and gets 911 again with no question (`sure_advice`). After the sure
    advice for chest pain, "yeah its still going on right now" read 0.31 once the
    bystanders' data of stop 73 came in, and got "Is this happening now…? If I got it
    wrong, just tell me": a question the sure alarm never asked, and a way out it never
    offered. A suicide alarm's replies are read by `standing_alarm_reply`.
    """
    return replying and standing == Kind.MEDICAL.value \
        and found.get("kind") == Kind.MEDICAL.value and not found.get("sure")


def answers_the_check(
    found: Mapping[str, Any], standing: str | None, replying: bool, asked: bool
) -> bool:
    """Whether an unclear medical reading is the reply to the standing alarm's check question.

    "yes its happening right now, since about 20 min", to "Is this happening now…?" after
    chest pain, reads as a possible sign itself (0.41): a new alarm asked the same question
    again (the `make run` trial of stop 68). Once the question was asked since a medical
    alarm (`asked`: `check_asked`), such a reply is read as its answer, as any reply is
    (`bot.core.alarm_answers.read_alarm_answer`); a sure reading is still its own alarm.
    """
    return asked and replies_unclearly(found, standing, replying)


def standing_alarm_reply(
    kind: Kind, events: Sequence[Event], found: Mapping[str, Any], thanked: bool = False,
    for_another: bool = False,
) -> tuple[str, ...]:
    """What to say to a reply that raises the standing alarm again (`standing_alarm_answered`).

    A medical alarm: its next prompt ("Please don't wait…"), or the advice again once
    both were said; and 988 in one line when the reply read as a possible sign of thoughts
    of suicide (the fact sheet: when unsure, show 988). A suicide alarm: thanks for
    telling, and 988, with the direct question if it was not asked since the alarm; right
    after those thanks, to a reply that is no sure alarm itself, a next step and a way on
    instead (`STAY_SELF_HARM`): a blind hand trial of stop 57 got the same thanks three
    times, to "ok" and "i dont know what to do". A sure one ("the pills are in my hand")
    gets the thanks again, with its 911 line, and no button to go on. A bare thanks for the
    advice (`thanked`) is no answer to the direct question: it gets the next step, then
    988 with a word of care (`CARE_SELF_HARM`), in turn (the `make run` trial of stop 72:
    "thanks", then "thank you", got the thanks for telling twice, the question between).
    After an alarm told of another person (`for_another`), the first is the advice for
    them (a second review of stop 72: "Thank you for telling me. If you have hurt
    yourself…" to a parent).
    """
    if kind is Kind.SELF_HARM:
        last = last_said(events)
        if thanked and not found.get("sure"):
            step = SOMEONE_ELSE[kind.value] if for_another else STAY_SELF_HARM
            return (CARE_SELF_HARM,) if last == step else (step,)
        if last == HEARD_SELF_HARM and not found.get("sure"):
            return (STAY_SELF_HARM,)
        return (HEARD_SELF_HARM,) + (() if check_asked(events) else (advice(kind, False)[-1],))
    prompt = next_alarm_prompt(kind, alarm_prompt(events))
    first = (LINE_988,) if found.get("kind") == Kind.SELF_HARM.value else ()
    return first + ((prompt,) if prompt else advice(kind, True))


CONFIRMED = "utter_emergency_confirmed"
"""911 again in a few words, right after the advice itself (`sure_advice`)."""
CALLED = {Kind.MEDICAL.value: "utter_emergency_called",
          Kind.SELF_HARM.value: "utter_emergency_called_self_harm"}
"""To a reply to an alarm that says 911 was called or help is on its way, or, after a
suicide alarm, that the crisis line was reached (`bot.core.help_called`): the advice was
followed, and is not said again; the alarm stands, with "if no one comes or it gets worse,
call 911 again" (or 911 if in danger)."""
CALLED_OK = "utter_emergency_called_ok"
"""To a bare "ok" or "thanks", or help called told again, right after that: a word of
care (`reply_to_help_called`)."""
_HEARD_CALLED = frozenset({*CALLED.values(), CALLED_OK})


def reply_to_help_called(
    kind: Kind, events: Sequence[Event], called: bool, acknowledged: bool
) -> tuple[str, ...]:
    """What to say to a reply to an alarm about the call, if it is one.

    `called`: the reply says 911 (or 988) was called or help is coming (`CALLED`).
    `acknowledged`: it is nothing but "ok" or "thanks". Right after either reply, either
    gets the other one ("Take care" after "Good…", and back), never the same text twice
    in a row nor the advice just followed (a fourth fresh review of stop 71). After 988
    reached, the word of care keeps 988 in view (`CARE_SELF_HARM`: a third review of stop
    72). A yes that says more ("yeah its worse now") is no acknowledgement: it gets the
    advice (a second review of stop 71).
    """
    last = last_said(events)
    care = CARE_SELF_HARM if kind is Kind.SELF_HARM else CALLED_OK
    follows = last in _HEARD_CALLED or (
        last == care and help_called_since_alarm(events, kind))  # not care after thanks
    if follows and (called or acknowledged):
        return (care,) if last in CALLED.values() else (CALLED[kind.value],)
    return (CALLED[kind.value],) if called else ()


def help_called_since_alarm(events: Sequence[Event], kind: Kind) -> bool:
    """Whether the patient said help of `kind` was called since the alarm (`CALLED` said).

    Then a bare "no" may mean "no, nobody came": it clears nothing (a fourth fresh review
    of stop 71: "no" after "Good. You did the right thing…" got the apology and "anything
    else?").
    """
    return _said_since_alarm(events, {CALLED[kind.value]})


def sure_advice(kind: Kind, events: Sequence[Event]) -> tuple[str, ...]:
    """The advice with no question: for a sure sign, or a yes while an alarm stands.

    The advice, unless it was the last thing said: a reply to the medical advice itself,
    which asked nothing, gets 911 again in a few words and no question (`CONFIRMED`), then
    the advice, in turn. The `make run` trial of stop 69 got the same advice three times in
    a row after a sure chest-pain alarm ("yeah its still going on right now", then "ok");
    that of stop 70 twice, to a reply that named the sign again ("yeah it started
    yesterday", after a leg swollen and hot). A prompt with "if I got it wrong, just tell
    me" and its button would jar after a yes. So does a sign told right after the reply to
    911 called (`CALLED`, or `CALLED_OK` after it), which said to call again if it gets
    worse: "its getting worse" got the advice and "Is this happening now…?" in the `make
    run` trial of stop 71. A yes while a suicide alarm stands is read by
    `standing_alarm_reply` instead.
    """
    said = advice(kind, True)
    again = kind is Kind.MEDICAL and last_said(events) in (said[0], CALLED[kind.value], CALLED_OK)
    return (CONFIRMED,) if again else said


def sure_unless_asked(sure: bool, certain: bool, asks: bool, answer: str | None) -> bool:
    """Whether to give the advice without its check question, given the FAQ answer picked.

    A question about the signs of an emergency that names one ("is coughing up blood
    after surgery an emergency", "if both legs go numb is that 911", "whats the suicide
    hotline number") may be asked for someone else or in general, or while it happens.
    It gets the advice at once, and the check question: a "no" then gets the answer to
    what was asked (the list of signs). `asks`: the message is a question, or supposes.
    A phrase that is an emergency on its own ("…i want to kill myself") keeps it sure.
    """
    return sure and (certain or not (asks and answer == FAQ_EMERGENCY_SIGNS))


LINE_988 = "utter_emergency_988_line"
"""988 in one line, before the prompt of a medical alarm (the prompt, with its button, is
said last: the next reply is read as its answer)."""
ANSWERED_SELF_HARM = "utter_emergency_answered_self_harm"
"""Thanks and 988 for later, to a no after words about ending one's life read right."""
HEARD_SELF_HARM = "utter_emergency_heard_self_harm"
"""Thanks and 988, to thoughts of suicide told again while the alarm stands."""
STAY_SELF_HARM = "utter_emergency_stay_self_harm"
"""After those thanks: 988 as the next step, and a button to go on with the questions."""
CARE_SELF_HARM = "utter_emergency_care_self_harm"
"""988 again with a word of care, to a bare thanks for that next step."""
SOMEONE_ELSE = {Kind.MEDICAL.value: "utter_emergency_someone_else",
                Kind.SELF_HARM.value: "utter_emergency_someone_else_self_harm"}
"""911 (and 988) for another person, to a reply telling the alarm was about them; then the
conversation goes on where it was, as after any cleared alarm, or, when the reply may
tell a risk of the writer's own too, the standing alarm's next prompt."""
HELP_WITH_THEM = "utter_emergency_help_with_them"
"""A word of hope for another person the alarm was about, once help has them ("ok the
ambulance took him"): the alarm is cleared."""
ADVICE_RESPONSES: frozenset[str] = frozenset(
    response
    for kind in (Kind.MEDICAL, Kind.SELF_HARM)
    for sure in (True, False)
    for response in advice(kind, sure)
) | {HEARD_SELF_HARM, STAY_SELF_HARM, LINE_988, CONFIRMED, *SOMEONE_ELSE.values(),
     *CALLED.values(), CARE_SELF_HARM}
"""Every response `advice` can choose, the heard reply that stands for it while a suicide
alarm stands, 911 said again to a yes, the advice for another person, and the reply to
help called: channels send them whole, never cut or held back."""


def reply_without_actions(verdict: Mapping[str, Any] | None) -> tuple[str, ...]:
    """What to send when a turn ended with no reply (the action server down or too slow).

    An emergency in the message still gets its advice, as a sure one: a check question
    could not be followed up. Anything else gets an apology and the clinic's number.
    """
    if verdict:
        return advice(Kind(verdict["kind"]), True)
    return (UTTER_CANNOT_FINISH,)


def advice_while_paused(verdict: Mapping[str, Any] | None) -> tuple[str, ...]:
    """What the assistant says while a staff member has the chat: only emergency advice.

    The person in the chat may not read the message at once; 911 or 988 cannot wait.
    """
    return reply_without_actions(verdict) if verdict else ()


def _alarm_turn(events: Sequence[Event]) -> int | None:
    """Index of the patient message that raised the latest alarm, if any.

    The alarm is raised where the slot turns true; setting it again while it stands (a
    reply that keeps it standing, a "yes" to the check question) raises no new one, so
    what the alarm interrupted is still found.
    """
    alarm, standing = None, False
    for i, event in enumerate(events):
        if event.get("event") in {"restart", "session_started"}:
            standing = False
        elif event.get("event") == "slot" and event.get("name") == ALARM_SLOT:
            if event.get("value") and not standing:
                alarm = i
            standing = bool(event.get("value"))
    if alarm is None:
        return None
    return next((i for i in range(alarm, -1, -1) if events[i].get("event") == "user"), 0)


def before_alarm(events: Sequence[Event], slot: str) -> Any:
    """The slot's value before the message that raised the latest alarm (None if unset)."""
    turn = _alarm_turn(events)
    return None if turn is None else _before(events, turn, slot)


def alarm_message(events: Sequence[Event]) -> tuple[str | None, dict[str, Any]]:
    """What the message that raised the latest alarm asked for, and how the NLU read it.

    The intent is the best one read beside the emergency, which the alarm put first.
    Once the patient says the alarm was wrong, outside a form, that message is where the
    conversation was: a question about which program fits starts the triage.
    """
    turn = _alarm_turn(events)
    parse = {} if turn is None else dict(events[turn].get("parse_data") or {})
    if faq_pick(parse).get("intent_response_key") == FAQ_EMERGENCY_SIGNS:
        return FAQ, parse  # the question about the signs that raised it (`sure_unless_asked`)
    asked = next((i.get("name") for i in parse.get("intent_ranking") or []
                  if i.get("name") != EMERGENCY), None)
    return asked, parse


def question_answered(events: Sequence[Event]) -> str | None:
    """The question the form had just asked when the patient's latest message came, if any.

    The rules may stop the form on that message before an action reads it ("sí, quiero
    hablar con una persona" to the safety checklist), and stopping it clears the question.
    """
    turn = _latest_message(events)
    return None if turn is None else _before(events, turn, REQUESTED_SLOT)


def _latest_message(events: Sequence[Event]) -> int | None:
    return next((i for i in range(len(events) - 1, -1, -1)
                 if events[i].get("event") == "user"), None)


def _before(events: Sequence[Event], turn: int, slot: str) -> Any:
    for event in reversed(events[:turn]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
        if event.get("event") in {"restart", "session_started"}:
            return None
    return None


def answers_the_alarm(events: Sequence[Event], replies: int = 2) -> bool:
    """Whether the patient's latest message may be a reply to the latest alarm.

    It is, among the first `replies` messages after the one that raised the alarm (the
    patient may ask something else first, "what happens at the end of the program?", and
    only then say "no, nothing like that"), or right after the assistant came back to it.
    """
    turn = _alarm_turn(events)
    if turn is None:
        return False
    later = sum(event.get("event") == "user" for event in events[turn + 1:])
    return 1 <= later <= replies or (later >= 1 and alarm_prompt(events) is not None)


CHECK_QUESTIONS = frozenset({*(a for a in ADVICE_RESPONSES if a.endswith("_check")),
                             *UNCLEAR_PROMPTS.values()})
"""The responses that ask whether it is happening, or whether the patient means it."""


DISMISSED = {Kind.MEDICAL.value: "utter_emergency_dismissed",
             Kind.SELF_HARM.value: "utter_emergency_dismissed_self_harm"}
"""The number again, to a no that only waves the alarm away ("jk", "forget it")."""
DECLINED = {Kind.MEDICAL.value: "utter_emergency_declined",
            Kind.SELF_HARM.value: "utter_emergency_declined_self_harm"}
"""To a no to the call itself ("i dont want to call anyone"): the alarm stands; 988 by text."""
PUT_OFF = {Kind.MEDICAL.value: "utter_emergency_put_off",
           Kind.SELF_HARM.value: "utter_emergency_put_off_self_harm"}
"""To a call put off until later ("ok ill text 988 later"): the alarm stands; now, not later."""
CLEARED = {Kind.MEDICAL.value: "utter_emergency_cleared",
           Kind.SELF_HARM.value: "utter_emergency_cleared_self_harm"}
"""The apology for a misreading, to a no that explains itself ("that was years ago")."""
CHECKED = {Kind.MEDICAL.value: "utter_emergency_checked",
           Kind.SELF_HARM.value: "utter_emergency_checked_self_harm"}
"""Thanks, and the number if it comes back, to a patient checked since the alarm."""


def check_asked(events: Sequence[Event]) -> bool:
    """Whether the check question was asked since the message that raised the latest alarm.

    A sure alarm gives none; a patient who then only waves it away ("jk", "forget it") is
    asked it once, directly, before it is cleared.
    """
    return _said_since_alarm(events, CHECK_QUESTIONS)


def clearing_reply(
    kind: Kind, waved_away: bool, events: Sequence[Event], checked: bool = False
) -> str:
    """What to say to a no that clears an alarm.

    "Sorry, I misunderstood you" owns a misreading; after a suicide alarm the apology is
    only "sorry if I got you wrong", since the words may have been read right (hand trials
    of stops 51 and 53: "she'd be better off without me"). It does not fit at all a no to
    the direct question after the patient waved words about ending their life away or told
    the thoughts again: those were read right. That no gets thanks and 988 for later. Nor
    does it fit a patient who was checked since (`checked`: "went to the ER, no clot"):
    the alarm was acted on; that no gets thanks and the number for if it comes back.
    """
    if waved_away:
        return DISMISSED[kind.value]
    if checked:
        return CHECKED[kind.value]
    if kind is Kind.SELF_HARM and _said_since_alarm(
            events, {DISMISSED[kind.value], HEARD_SELF_HARM}):
        return ANSWERED_SELF_HARM
    return CLEARED[kind.value]


def reminder_after_an_answer(
    kind: Kind, confirms: bool, events: Sequence[Event]
) -> tuple[str, ...]:
    """What follows the answer to a question about the programs while an alarm stands.

    A blind hand trial (stop 59) got the answer alone: "its probably nothing lol, i just
    want to know about the program" after 911 for a bladder that stopped. A medical alarm
    confirmed in so many words gets the 911 advice again; otherwise its prompts in turn,
    counted since the alarm, not only among the last words (the check question again,
    then the number and a person), then nothing more: never a third ask. A suicide alarm
    gets its next step and a way on once (`STAY_SELF_HARM`: 988 and 911, no question and
    no "no thoughts" button, which would jar after thoughts told), then nothing more.
    """
    if kind is Kind.SELF_HARM:
        return () if _said_since_alarm(events, {STAY_SELF_HARM}) else (STAY_SELF_HARM,)
    if confirms:
        return advice(kind, sure=True)
    if _said_since_alarm(events, {STILL_UNCLEAR[kind.value]}):
        return ()
    asked = _said_since_alarm(events, {UNCLEAR_PROMPTS[kind.value]})
    return (STILL_UNCLEAR if asked else UNCLEAR_PROMPTS)[kind.value],


def _said_since_alarm(events: Sequence[Event], responses: Collection[str]) -> bool:
    turn = _alarm_turn(events)
    return turn is not None and any(
        (e.get("metadata") or {}).get("utter_action") in responses
        for e in events[turn:] if e.get("event") == "bot")


def alarm_beneath(events: Sequence[Event], kind: Kind) -> Kind | None:
    """The alarm of the other kind that the standing one replaced, if any, to fall back to.

    A sure alarm of one kind raised while one of the other stands replaces it ("i dont want
    to go to the er, whats the point" after a foot that drags reads as thoughts of
    suicide); a "no" to the second must not clear the first (a fresh review of stop 53).
    Only an alarm replaced once counts: one already fallen back to is not raised again.
    """
    turn = _alarm_turn(events)
    if turn is None:
        return None
    runs: list[str] = []
    for event in events[turn:]:
        value = event.get("value")
        if event.get("event") == "slot" and event.get("name") == KIND_SLOT and value \
                and (not runs or runs[-1] != value):
            runs.append(value)
    if runs.count(kind.value) != 1 or len(runs) < 2 or runs[-1] != kind.value:
        return None
    return Kind(runs[-2])


def last_said(events: Sequence[Event]) -> str | None:
    """The response the assistant's last words before the latest message were, if any."""
    earlier = events[:_latest_message(events) or 0]
    said = next((e for e in reversed(earlier) if e.get("event") == "bot"), {})
    return (said.get("metadata") or {}).get("utter_action")


def alarm_prompt(events: Sequence[Event]) -> str | None:
    """The alarm follow-up the assistant's last words before the latest message were, if any."""
    action = last_said(events)
    prompts = {*CHECK_QUESTIONS, *STILL_UNCLEAR.values(), *DECLINED.values(),
               *PUT_OFF.values(), HEARD_SELF_HARM, STAY_SELF_HARM, CARE_SELF_HARM,
               *_HEARD_CALLED}
    return action if action in prompts else None


def refuses_the_call(kind: Kind, events: Sequence[Event]) -> bool:
    """Whether a "no" now answers "please call 988 now", not whether there are thoughts.

    The heard reply (or the next step after it, or 988 with a word of care), said alone,
    asks no question: "no thanks" or "no, i wont call" to it is no denial of the thoughts
    just told, and clears nothing (a fresh review of stop 53; of stop 72 for the word of
    care).
    """
    return kind is Kind.SELF_HARM and last_said(events) in (
        HEARD_SELF_HARM, STAY_SELF_HARM, CARE_SELF_HARM, DECLINED[kind.value],
        PUT_OFF[kind.value])


def next_alarm_prompt(kind: Kind, last: str | None) -> str | None:
    """What to say to a reply that neither confirms nor clears an alarm, given the last prompt.

    First the check question once more (with a one-click way out), then the number and a
    person to talk to; after that the reply is taken for what it is, never a third ask.
    After a suicide alarm, 988 with a word of care and the number in turn, never the
    general answer: a third review of stop 72 got "Sorry, I didn't quite get that" to
    "no im not ok" told a third time.
    After help called (`CALLED`: 911, or 988 after a suicide alarm; or the word of care
    after it), the number and a person: the patient was told already to call again if no
    one comes (or 911 if in danger).
    """
    if kind is Kind.SELF_HARM and last in (STILL_UNCLEAR[kind.value], CARE_SELF_HARM):
        return CARE_SELF_HARM if last != CARE_SELF_HARM else STILL_UNCLEAR[kind.value]
    if last in STILL_UNCLEAR.values():
        return None
    if last in _HEARD_CALLED:
        return STILL_UNCLEAR[kind.value]
    prompts = STILL_UNCLEAR if last in UNCLEAR_PROMPTS.values() else UNCLEAR_PROMPTS
    return prompts[kind.value]


def interrupted_loop(events: Sequence[Event]) -> str | None:
    """The form that was running when the latest alarm was raised, to go back to."""
    turn = _alarm_turn(events)
    if turn is None:
        return None
    for event in reversed(events[:turn]):
        if event.get("event") == "active_loop":
            return event.get("name")
        if event.get("event") in {"restart", "session_started"}:
            return None
    return None


def interrupted_answer(events: Sequence[Event]) -> tuple[str, str] | None:
    """The question the latest alarm interrupted, and the reply to it that raised the alarm.

    Once the patient says the alarm was wrong, the question is asked again; if it was
    already asked twice, that reply is read as its answer instead (never a third time).
    """
    turn = _alarm_turn(events)
    question = before_alarm(events, REQUESTED_SLOT) if turn is not None else None
    if turn is None or not question:
        return None
    return question, events[turn].get("text") or ""


def times_asked(events: Sequence[Event], question: str) -> int:
    """How often the form has asked `question` in this session (no question a third time)."""
    asked = 0
    for event in events:
        if event.get("event") in {"restart", "session_started"}:
            asked = 0
        elif (event.get("event") == "bot"
              and (event.get("metadata") or {}).get("utter_action") == ask_response(question)):
            asked += 1
    return asked


def cleared_alarm_question(events: Sequence[Event]) -> str | None:
    """The question whose answer raised an alarm the patient has just cleared.

    Asked that question again, a patient tends to give the same answer; an unclear alarm
    on it a second time would ask "is this happening now?" again: a loop. Only the first
    reply after the alarm was cleared counts, in the same session.
    """
    cleared = next((i for i in range(len(events) - 1, -1, -1)
                    if events[i].get("event") == "slot" and events[i].get("name") == ALARM_SLOT
                    and events[i].get("value") is False), None)
    if cleared is None:
        return None
    later = events[cleared + 1:]
    if any(e.get("event") in {"restart", "session_started"} for e in later) \
            or sum(e.get("event") == "user" for e in later) != 1:
        return None
    found = interrupted_answer(events[:cleared])
    return found[0] if found else None

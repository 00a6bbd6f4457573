"""What the assistant says and keeps after an alarm, and how it undoes a false one.

Plain functions over response names and Rasa's event dicts, so the action server's
adapters stay thin and the rules are unit-tested.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.emergency.detector import Kind

ALARM_SLOT = "emergency_check"
KIND_SLOT = "emergency_kind"
REMINDERS = {Kind.MEDICAL.value: "utter_emergency_reminder",
             Kind.SELF_HARM.value: "utter_emergency_reminder_self_harm"}
"""The number again, when a cleared alarm would only repeat (see `cleared_alarm_question`)."""
Event = Mapping[str, Any]


def advice(kind: Kind, sure: bool, language: str = "en") -> tuple[str, ...]:
    """The responses to send: 911 (or 988) first, then a check question when unsure."""
    name = "utter_emergency_self_harm" if kind is Kind.SELF_HARM else "utter_emergency"
    suffix = "_es" if language == "es" else ""
    return (f"{name}{suffix}",) + (() if sure else (f"{name}_check{suffix}",))


ADVICE_RESPONSES: frozenset[str] = frozenset(
    response
    for kind in (Kind.MEDICAL, Kind.SELF_HARM)
    for sure in (True, False)
    for language in ("en", "es")
    for response in advice(kind, sure, language)
)
"""Every response `advice` can choose: channels send them whole, never cut or held back."""


def _alarm_turn(events: Sequence[Event]) -> int | None:
    """Index of the patient message that raised the latest alarm, if any."""
    alarm = next((i for i in range(len(events) - 1, -1, -1)
                  if events[i].get("event") == "slot" and events[i].get("name") == ALARM_SLOT
                  and events[i].get("value")), None)
    if alarm is None:
        return None
    return next((i for i in range(alarm, -1, -1) if events[i].get("event") == "user"), 0)


def before_alarm(events: Sequence[Event], slot: str) -> Any:
    """The slot's value before the message that raised the latest alarm (None if unset)."""
    turn = _alarm_turn(events)
    if turn is None:
        return None
    for event in reversed(events[:turn]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
        if event.get("event") in {"restart", "session_started"}:
            return None
    return None


def answers_the_alarm(events: Sequence[Event], replies: int = 2) -> bool:
    """Whether the patient's latest message may be a reply to the latest alarm.

    It is, among the first `replies` messages after the one that raised the alarm: the
    patient may ask something else first ("what happens at the end of the program?")
    and only then say "no, nothing like that".
    """
    turn = _alarm_turn(events)
    if turn is None:
        return False
    return 1 <= sum(event.get("event") == "user" for event in events[turn + 1:]) <= replies


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

    Once the patient says the alarm was wrong, that reply is read again as the answer it
    was: asking the same question again would only bring back the same words (and the
    same alarm), a loop the patient cannot leave.
    """
    turn = _alarm_turn(events)
    question = before_alarm(events, "requested_slot") if turn is not None else None
    if turn is None or not question:
        return None
    return question, events[turn].get("text") or ""


def cleared_alarm_question(events: Sequence[Event]) -> str | None:
    """The question whose answer raised the latest alarm, once the patient has cleared it.

    Asked that question again, a patient tends to give the same answer; an unclear alarm
    on it a second time would ask "is this happening now?" again: a loop.
    """
    cleared = next((i for i in range(len(events) - 1, -1, -1)
                    if events[i].get("event") == "slot" and events[i].get("name") == ALARM_SLOT
                    and events[i].get("value") is False), None)
    if cleared is None:
        return None
    found = interrupted_answer(events[:cleared])
    return found[0] if found else None

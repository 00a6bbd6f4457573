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

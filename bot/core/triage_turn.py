"""One turn of the triage: what a reply does to the record, and what is said next.

Rasa-free, so every path is unit-tested. The rules a patient meets:
- a reply is first read as an answer to the question asked; facts it volunteers about
  other questions are kept too, and change earlier answers, except the job's demands
  told in reply to what one can do now;
- "not sure" is an answer: for some questions it first gets a simpler follow-up ("a
  rough guess is fine"), then it counts as the rules file says (`unsure_counts_as`);
- a question is asked at most twice: after one unclear reply it is asked again, simply,
  with choices (the "not sure" and "talk to a person" buttons among them); a second
  unclear reply counts as "not sure", and the triage goes on with what is known;
- a question from the patient (not an answer) gets its answer first, then the triage
  question again, and does not count as an unclear reply; what it seems to tell is not
  kept ("is that like regular physical therapy?" says nothing about the job);
- a correction ("wait, my doctor did clear me") changes an earlier answer, and the
  question being asked is asked again without counting as unclear.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.answers import Answer
from bot.core.names import (
    JOB_DEMAND_LEVEL,
    MEETS_JOB_DEMANDS,
    RED_FLAGS,
    REQUESTED_SLOT,
    TOLERATES_4_HOURS,
    WEEKS_SINCE_INJURY,
)
from bot.core.triage import Rules

UNSURE_ADVICE = {RED_FLAGS: "utter_triage_unsure_red_flags"}
GO_ON = "utter_triage_go_on"
SETTLED = {MEETS_JOB_DEMANDS: frozenset({JOB_DEMAND_LEVEL})}
"""Answers that a fact volunteered in reply to a question does not change, only a
correction does. Asked what they can do now, patients tell the work they do while hurt:
"no but im on light duty right now, boss gave me desk stuff" does not make the delivery
job named before light (a blind hand trial of stop 55)."""
MEASURED = frozenset({WEEKS_SINCE_INJURY, JOB_DEMAND_LEVEL, TOLERATES_4_HOURS})
"""Questions answered with a measure (a date, a weight, hours) rather than yes or no."""


@dataclass(frozen=True)
class Turn:
    """What one reply changes: slot values, the unclear and unsure marks, what to say."""

    values: Mapping[str, Any] = field(default_factory=dict)
    unclear: str | None = None
    unsure: tuple[str, ...] = ()
    say: tuple[str, ...] = ()
    digression: bool = False


def plan_turn(
    requested: str | None,
    kind: Answer,
    value: Any,
    volunteered: Mapping[str, Any],
    unclear: str | None,
    unsure: Collection[str],
    rules: Rules,
    asks_something: bool = False,
    corrected: Mapping[str, Any] | None = None,
    taken_back: bool = False,
    answered: Collection[str] = (),
) -> Turn:
    """The turn's effect, given the reply's meaning (`kind`, `value`) as an answer.

    `unclear` is the question that already had one unclear reply, `unsure` the
    questions answered "not sure", `asks_something` whether the reply is a question
    of the patient's own (to be answered first), `corrected` new answers to earlier
    questions when the reply is a correction (used only when it does not answer the
    question asked, "actually yes, I'm nervous" answers it; or when it gives a measure, or
    says in so many words that an earlier answer was wrong, `taken_back`: "perdón, le
    corrijo, sí puedo"). A volunteered fact changes an earlier answer ("sorry, actually my
    doctor hasn't cleared me yet"), except where the question asked leaves it `SETTLED`
    (`answered`: the questions answered so far). A question asked twice already is not
    asked a third time after a correction: it counts as "not sure".
    """
    unsure = tuple(unsure)
    settled = SETTLED.get(requested or "", frozenset())
    values = {slot: value for slot, value in volunteered.items()
              if not (slot in settled and slot in answered)}
    if requested is None:
        return Turn(values, None, unsure)
    outweighs = bool(corrected) and (taken_back or any(slot in MEASURED for slot in corrected))
    if kind in (Answer.YES, Answer.NO) and not outweighs:
        return Turn({**values, requested: value}, None, unsure)
    if corrected:
        kept = tuple(s for s in unsure if s not in corrected)
        if unclear == requested:  # asked twice already: not a third time
            return _unsure(requested, {**values, **corrected}, kept, rules, ())
        return Turn({**values, **corrected, requested: None}, unclear, kept)
    if kind is Answer.UNSURE:
        if requested in rules.unsure_asks_again and unclear != requested:
            return Turn({**values, requested: None}, requested, unsure)
        return _unsure(requested, values, unsure, rules, ())
    if asks_something:
        return Turn(unclear=unclear, unsure=unsure, digression=True)
    if unclear != requested:
        return Turn({**values, requested: None}, requested, unsure)
    return _unsure(requested, values, unsure, rules, (GO_ON,))


def _unsure(
    requested: str, values: dict[str, Any], unsure: tuple[str, ...], rules: Rules,
    say: tuple[str, ...],
) -> Turn:
    """Count the question as answered "not sure", as the rules file says."""
    advice = (UNSURE_ADVICE[requested],) if requested in UNSURE_ADVICE else ()
    return Turn(
        {**values, requested: rules.answered_unsure(requested)},
        None,
        (*unsure, requested) if requested not in unsure else unsure,
        (*say, *advice),
    )


def previous_question(events: Sequence[Mapping[str, Any]], current: str | None) -> str | None:
    """The question asked before `current` (from the conversation's events), if any."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == REQUESTED_SLOT:
            value = event.get("value")
            if value and value != current:
                return value
        if event.get("event") in {"restart", "session_started"}:
            return None
    return None


def action_before_the_reply(events: Sequence[Mapping[str, Any]]) -> str | None:
    """The assistant's last action before the patient's latest message, if any.

    "action_triage_result" when the message replies to the result itself; another (an
    FAQ answered on the way) when it comes later.
    """
    seen_reply = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            if seen_reply:
                return None
            seen_reply = True
        elif kind == "action" and seen_reply and event.get("name") != "action_listen":
            return str(event.get("name"))
    return None

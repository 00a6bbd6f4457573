"""What to do when a patient asks for a person: confirm a call back, ask for the number, or offer.

A request that already holds a number ("call me back at 555 201 3344, mornings") is
confirmed at once; one that asks for a call without a number goes straight to the number
question; one that asks for a person in general, or turns a call down ("i dont want to
call anyone", which the NLU may take for a request), is offered the clinic's contacts and
a call back, with the truth about whether anyone is there now (the opening hours in
`clinic.yml`). Rasa-free, so the whole decision is unit-tested.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from bot.core.alarm_answers import declines_to_call
from bot.core.callback_details import CallbackDetails, asks_for_a_call, read_callback_details
from bot.core.opening_hours import OpeningHours, when_es

NUMBER_TRIES = 2
"""Replies without a number before the assistant stops asking and gives the clinic's number."""


class Step(Enum):
    """The assistant's next step after a request for a person."""

    CONFIRM = "confirm"
    ASK_NUMBER = "ask_number"
    OFFER = "offer"


@dataclass(frozen=True)
class Handoff:
    """The step, the details read so far, and whether the clinic is open (and when it opens)."""

    step: Step
    details: CallbackDetails
    open_now: bool
    opens: str
    opens_es: str


def plan_handoff(text: str, now: dt.datetime, hours: OpeningHours) -> Handoff:
    """Read the request and decide the next step."""
    details = read_callback_details(text)
    if details.phone:
        step = Step.CONFIRM
    elif asks_for_a_call(text) and not declines_to_call(text):
        step = Step.ASK_NUMBER
    else:
        step = Step.OFFER
    return Handoff(step, details, hours.is_open(now), hours.opens(now),
                   when_es(hours.next_opening(now), now))


def stop_asking(misses: int) -> bool:
    """True once the number question has had `NUMBER_TRIES` replies without a number."""
    return misses >= NUMBER_TRIES

"""The patient's latest message as actions read it, and giving the FAQ answer the NLU picked.

The rules answer an FAQ with `utter_faq` when it is the whole turn. When an action has
already weighed the message (after a result, during an alarm, a question asked a third
time), it gives the answer itself and the turn ends there: `utter_faq` run as a
follow-up would leave the rules without a next step, and the generic fallback would
follow it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.core import names
from bot.core.questions import asks_a_question


class Latest(NamedTuple):
    """The patient's latest message as the actions read it."""

    message: dict[str, Any]
    intent: str | None
    text: str

    @property
    def asks_about_the_programs(self) -> bool:
        """An FAQ put as a question ("how long does it last?"), not a remark taken for one."""
        return self.intent == names.FAQ and asks_a_question(self.text)


def latest(tracker: Tracker) -> Latest:
    """The latest message, its intent and its text (empty when missing)."""
    message = tracker.latest_message or {}
    return Latest(message, (message.get("intent") or {}).get("name"), message.get("text") or "")


def answer_the_faq(dispatcher: CollectingDispatcher, message: dict[str, Any]) -> None:
    """Give the FAQ answer the NLU picked for the message, if it picked one."""
    picked = names.faq_pick(message)
    if picked.get("utter_action"):
        dispatcher.utter_message(response=picked["utter_action"])

"""Giving the FAQ answer the NLU picked, from inside another action.

The rules answer an FAQ with `utter_faq` when it is the whole turn. When an action has
already weighed the message (after a result, during an alarm, a question asked a third
time), it gives the answer itself and the turn ends there: `utter_faq` run as a
follow-up would leave the rules without a next step, and the generic fallback would
follow it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

FAQ_INTENT = "faq"


def answer_the_faq(dispatcher: CollectingDispatcher, message: dict[str, Any]) -> None:
    """Give the FAQ answer the NLU picked for the message, if it picked one."""
    picked = ((message.get("response_selector") or {}).get(FAQ_INTENT) or {}).get("response")
    if picked and picked.get("utter_action"):
        dispatcher.utter_message(response=picked["utter_action"])

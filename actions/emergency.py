"""Emergency advice, and undoing a false alarm: adapters over `bot.emergency`."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.emergency import Kind
from bot.emergency.reply import ALARM_SLOT, KIND_SLOT, advice, before_alarm, interrupted_loop
from bot.triage import Outcome

EMERGENCY_INTENT = "emergency"
EMERGENCY_ACTION = "action_emergency"
PROGRAM_SLOT = "recommended_program"
RESTORED_SLOTS = ("red_flags", PROGRAM_SLOT)


class ActionEmergency(Action):
    """911 (or 988) at once, a check question when unsure; stops any questionnaire.

    Every alarm sets `recommended_program` to urgent care. It runs on an emergency in
    the message, on a "yes" to the check question, and after a triage whose safety
    answer was a red flag (then there is no verdict in the message: a medical one).
    """

    def name(self) -> str:
        """Unique identifier of the action."""
        return EMERGENCY_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Advise on the message's emergency, or on the one already raised."""
        found = (tracker.latest_message or {}).get(EMERGENCY_INTENT) or {}
        if found:
            kind, sure = Kind(found["kind"]), bool(found["sure"])
        else:
            kind, sure = Kind(tracker.get_slot(KIND_SLOT) or Kind.MEDICAL), True
        for response in advice(kind, sure, found.get("language", "en")):
            dispatcher.utter_message(response=response)
        return [
            SlotSet("red_flags", True),
            SlotSet(PROGRAM_SLOT, Outcome.URGENT_CARE.value),
            SlotSet(KIND_SLOT, kind.value),
            SlotSet(ALARM_SLOT, True),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
        ]


class ActionEmergencyRecover(Action):
    """The patient says the alarm was wrong: apologise, clear it, go on where we were."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "action_emergency_recover"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Restore what the alarm changed, then resume an interrupted form."""
        self_harm = tracker.get_slot(KIND_SLOT) == Kind.SELF_HARM.value
        dispatcher.utter_message(
            response="utter_emergency_cleared_self_harm" if self_harm else "utter_emergency_cleared"
        )
        events: list[EventType] = [
            SlotSet(slot, before_alarm(tracker.events, slot)) for slot in RESTORED_SLOTS
        ]
        events += [SlotSet(ALARM_SLOT, False), SlotSet(KIND_SLOT, None)]
        loop = interrupted_loop(tracker.events)
        if loop:
            return [*events, FollowupAction(loop)]
        dispatcher.utter_message(response="utter_anything_else")
        return events

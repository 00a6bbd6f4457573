"""Session start: load the clinic's details into slots so responses can quote them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.core import names
from bot.core.clinic import load_clinic
from bot.settings import Settings


class ActionSessionStart(Action):
    """Start each session with the clinic's current details from `clinic.yml`."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "action_session_start"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Read the clinic file afresh, so an edit applies to the next conversation."""
        clinic = load_clinic(Settings.from_env().clinic_file)
        return [
            SessionStarted(),
            *(SlotSet(slot, value) for slot, value in clinic.as_slots().items()),
            ActionExecuted(names.ACTION_LISTEN),
        ]

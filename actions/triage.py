"""Triage form, result, emergency and callback: adapters over `bot.triage` and friends."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import spacy
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.emergency import EMERGENCY_ACTION, EMERGENCY_INTENT, PROGRAM_SLOT
from bot.emergency import load_detector
from bot.emergency.model import SAFETY_QUESTION
from bot.extract import TriageReader
from bot.settings import Settings
from bot.training import SPACY_DIR
from bot.triage import SLOTS, Outcome, Rules, TriageRecord, decide, load_rules, next_question

# The form rejects these messages so that the rules answer them instead: interruptions
# always, other non-answers only when no answer could be read from them.
INTERRUPTIONS = {EMERGENCY_INTENT, "stop_triage", "ask_why"}
DIGRESSIONS = INTERRUPTIONS | {
    "faq", "request_human", "greet", "goodbye", "thank", "bot_challenge", "out_of_scope",
}
CALLBACK_EXITS = {EMERGENCY_INTENT, "stop_triage"}
_PHONE = re.compile(r"\+?[\d\s().-]{7,}")


@cache
def reader() -> TriageReader:
    """The extraction helper over the project's spaCy pipeline (loaded once)."""
    return TriageReader(spacy.load(SPACY_DIR))


@cache
def rules() -> Rules:
    """The clinic's triage rules (read once; restart the action server after edits)."""
    return load_rules(Settings.from_env().triage_rules_file)


class ValidateTriageForm(FormValidationAction):
    """Fills the triage record from free text and asks only what can change the outcome."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "validate_triage_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Just the next question, or none once the outcome is settled."""
        following = next_question(TriageRecord.from_slots(tracker.slots), rules())
        return [following] if following else []

    async def get_extraction_events(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Read every triage fact in the message; re-ask if it held none."""
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if intent in INTERRUPTIONS:
            return []
        requested = tracker.get_slot("requested_slot")
        text = message.get("text") or ""
        found = reader().read(text, requested=requested)
        if requested == SAFETY_QUESTION:
            found.update(_safety_answer(text, found.get(SAFETY_QUESTION)))
        if found:
            return [SlotSet(slot, value) for slot, value in found.items()]
        if intent in DIGRESSIONS or not requested:
            return []
        dispatcher.utter_message(response="utter_triage_not_understood")
        return [SlotSet(requested, None)]

    async def get_validation_events(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Keep every fact read from the message, not only the next question's answer.

        The values were checked while reading them, so there is nothing more to validate.
        """
        return [SlotSet(k, v) for k, v in tracker.slots_to_validate().items() if k in SLOTS]


class ActionTriageResult(Action):
    """Says which path fits and why, and records it in `recommended_program`."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "action_triage_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Decide from the slots and explain the decision."""
        decision = decide(TriageRecord.from_slots(tracker.slots), rules())
        if decision.outcome is Outcome.URGENT_CARE:
            return [FollowupAction(EMERGENCY_ACTION)]
        if decision.outcome is None:
            dispatcher.utter_message(response="utter_next_steps_other")
            return []
        dispatcher.utter_message(response=f"utter_result_{decision.outcome.value}")
        why = "".join(f"\n• {_sentence(reason)}" for reason in decision.reasons)
        notes = "".join(f"\n{_sentence(note)}" for note in decision.notes)
        dispatcher.utter_message(text=f"Why I suggest this:{why}{notes}")
        programs = {Outcome.WORK_CONDITIONING, Outcome.WORK_HARDENING}
        follow_up = "utter_next_steps" if decision.outcome in programs else "utter_next_steps_other"
        dispatcher.utter_message(response=follow_up)
        return [SlotSet(PROGRAM_SLOT, decision.outcome.value)]


def _safety_answer(text: str, read: bool | None) -> dict[str, bool]:
    """A red flag now if the detector reads one in the answer ("yeah, the chest one").

    Otherwise a plain yes or no answer means none: the detector knows what "yes" means
    after the safety checklist, the yes/no reader does not ("I am fine").
    """
    if load_detector().assess(text, SAFETY_QUESTION).urgent:
        return {SAFETY_QUESTION: True}
    return {} if read is None else {SAFETY_QUESTION: False}


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


class ActionExplainQuestion(Action):
    """Answers "why do you ask?" for the question being asked."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Explain the requested slot, or the purpose of the questions in general."""
        requested = tracker.get_slot("requested_slot")
        dispatcher.utter_message(
            response=f"utter_why_{requested}" if requested in SLOTS else "utter_why_red_flags"
        )
        return []


class ValidateCallbackForm(FormValidationAction):
    """Accepts a phone number (with an optional good time to call)."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "validate_callback_form"

    async def extract_callback_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take the reply as the callback details when it holds a phone number."""
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if tracker.get_slot("requested_slot") != "callback_phone" or intent in CALLBACK_EXITS:
            return {}
        text = (message.get("text") or "").strip()
        if sum(c.isdigit() for c in text) >= 7 and _PHONE.search(text):
            return {"callback_phone": text[:200]}
        dispatcher.utter_message(response="utter_callback_phone_invalid")
        return {"callback_phone": None}

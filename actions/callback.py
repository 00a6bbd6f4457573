"""Call-back requests: adapters over `bot.core.handoff` and `bot.core.callback_details`.

`action_offer_human` reads the request itself (a number in it is confirmed at once) and
sets `handoff`, from which the rules take the next step; the
form reads every reply for the number, a good time and a name, and
`action_callback_confirm` says what happens next. The queue the clinic works from is built
from the `callback_requested` slot event (`bot.records.callbacks`), so nothing here writes
to a database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import latest
from actions.language import tracker_language
from bot.core import names
from bot.core.alarm_answers import (
    asks_to_be_called,
    declines_to_call,
    puts_off_the_call,
    speaks_of_reaching_out,
)
from bot.core.callback_details import CallbackDetails, display_phone, read_callback_details
from bot.core.clinic import load_clinic
from bot.core.emergency import Kind, load_detector
from bot.core.emergency.model import SAFETY_QUESTION
from bot.core.emergency.reply import question_answered
from bot.core.handoff import plan_handoff, stop_asking
from bot.core.help_called import names_emergency_help, says_help_was_called
from bot.core.language import Language
from bot.core.locale import localised
from bot.core.opening_hours import OpeningHours, when_es
from bot.settings import Settings

CALLBACK_EXITS = {names.EMERGENCY, names.STOP_TRIAGE, names.CHANGE_LANGUAGE}
"""Messages the form leaves to the rules (data/rules/): they are no reply to the question."""


def _opening_hours() -> OpeningHours:
    """The clinic's hours, read afresh: an edit of `clinic.yml` applies at once."""
    return load_clinic(Settings.from_env().clinic_file).opening_hours


def _details(details: CallbackDetails) -> dict[str, Any]:
    """The slots a message fills; what it does not say leaves what was said before."""
    found = {names.CALLBACK_PHONE: details.phone, names.CALLBACK_TIME: details.time,
             names.CALLBACK_NAME: details.name}
    return {slot: value for slot, value in found.items() if value}


class ActionOfferHuman(Action):
    """A patient asked for a person: confirm, ask for the number, or offer a call back."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return names.ACTION_OFFER_HUMAN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Fill what the request says; the rules take the next step from `handoff`.

        Asked for as the reply to the safety checklist, with a yes that nothing takes back
        ("sí, quiero hablar con una persona"), the red flag comes first: emergency advice,
        which the patient can clear, and the triage resumes at the checklist. A call turned
        down while an alarm stands ("i dont want to call anyone", which the NLU takes for a
        request for a person) is a reply to the alarm: the recovery answers it. So is a
        call put off until later ("ill call my doctor tomorrow"), help called ("ok i called
        them"; after a suicide alarm, "i called the hotline"), and any reply that names
        911, 988, a crisis line or an ambulance ("i called 911 and my phone died") or
        speaks of reaching out ("ok ill call", "ok calling them"): the `make run` trial
        of stop 70 and fresh reviews of stops 71 and 72 got the call-back questions. Not
        when the reply asks for a person too ("can i talk to a real person instead of
        988").
        """
        text = latest(tracker).text
        if tracker.get_slot(names.EMERGENCY_CHECK) and (
                declines_to_call(text) or puts_off_the_call(text)
                or any(says_help_was_called(text, kind=kind)
                       for kind in (Kind.MEDICAL, Kind.SELF_HARM))
                or ((names_emergency_help(text) or speaks_of_reaching_out(text))
                    and not asks_to_be_called(text))):
            return [FollowupAction(names.ACTION_EMERGENCY_RECOVER)]
        if question_answered(tracker.events) == SAFETY_QUESTION:
            verdict = load_detector().assess(text, SAFETY_QUESTION)
            if verdict.urgent:
                return [SlotSet(names.EMERGENCY_KIND, verdict.kind.value),
                        FollowupAction(names.ACTION_EMERGENCY)]
        plan = plan_handoff(text, dt.datetime.now(dt.UTC), _opening_hours())
        return [
            *(SlotSet(slot, value) for slot, value in _details(plan.details).items()),
            SlotSet(names.CLINIC_OPEN, plan.open_now),
            SlotSet(names.CLINIC_OPENS,  # said in the next reply, so in today's language
                    plan.opens_es if tracker_language(tracker) is Language.ES else plan.opens),
            SlotSet(names.HANDOFF, plan.step.value),
        ]


class ValidateCallbackForm(FormValidationAction):
    """Reads each reply for the number; after two replies without one, stops asking."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "validate_callback_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The form's own slot, plus a good time and a name the reply also holds.

        rasa-sdk keeps only the slots the form asks for; the time and the name are never
        asked, so they are added here. A second reply without a number ends the questions:
        the number is then set to none, so that Rasa does not take the reply for one the
        form could not read (which would send the patient to the generic fallback).
        """
        _, intent, text = latest(tracker)
        said = {} if intent in CALLBACK_EXITS else _details(read_callback_details(text))
        extra = [SlotSet(slot, value) for slot, value in said.items()
                 if slot != names.CALLBACK_PHONE]
        if (intent not in CALLBACK_EXITS and names.CALLBACK_PHONE not in said
                and stop_asking(_replies(tracker))):
            extra.append(SlotSet(names.CALLBACK_PHONE, None))
        return [*extra, *await super().run(dispatcher, tracker, domain)]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """No more questions once the patient has twice replied without a number."""
        given = tracker.get_slot(names.CALLBACK_PHONE) or read_callback_details(
            latest(tracker).text).phone
        return domain_slots if given or not stop_asking(_replies(tracker)) else []

    async def extract_callback_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take the number, time and name from the reply (or the message that started the form).

        A reply without a number is still a reply (never left to the other rules, which
        would answer "the same as before" as a question): it is asked for once more.
        """
        _, intent, text = latest(tracker)
        if intent in CALLBACK_EXITS:
            return {}
        phone = read_callback_details(text).phone
        if phone:
            return {names.CALLBACK_PHONE: phone}
        if tracker.get_slot(names.REQUESTED_SLOT) != names.CALLBACK_PHONE:
            return {}  # the message that started the form: the question comes next
        dispatcher.utter_message(response="utter_callback_phone_invalid")
        return {names.CALLBACK_PHONE: None}


def _replies(tracker: Tracker) -> int:
    """Messages the patient sent since the form asked for the number (0 before it asked)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == names.CALLBACK_FORM:
            return count
        count += event.get("event") == "user"
    return 0


class ActionCallbackConfirm(Action):
    """Puts the request on the clinic's list and says what happens next, and when."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return names.ACTION_CALLBACK_CONFIRM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Confirm with the number read back; without a number, give the clinic's."""
        phone = tracker.get_slot(names.CALLBACK_PHONE)
        if not phone:
            dispatcher.utter_message(response="utter_callback_no_number")
            return []
        hours = _opening_hours()
        now = dt.datetime.now(dt.UTC)
        dispatcher.utter_message(
            response=names.callback_confirmation(hours.is_open(now)),
            callback_display=display_phone(phone),
            clinic_opens=hours.opens(now),
            **{localised(names.CLINIC_OPENS, Language.ES): when_es(hours.next_opening(now), now)},
        )
        return [SlotSet(names.CALLBACK_REQUESTED, True)]

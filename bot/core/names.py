"""Names shared between the Rasa files (`domain.yml`, `data/`, `config.yml`) and Python.

Intents, slots, actions and the response names Python builds at run time are written here
once; every module that needs one imports it. `tests/test_names.py` loads `domain.yml` and
`config.yml` and checks that each name here, each response or action named anywhere in
`bot/` and `actions/`, and each name the builders below can return, is really defined.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Intents
GREET = "greet"
GOODBYE = "goodbye"
THANK = "thank"
FAQ = "faq"
FAQ_EMERGENCY_SIGNS = "faq/emergency_signs"
EMERGENCY = "emergency"
AFFIRM = "affirm"
DENY = "deny"
REQUEST_HUMAN = "request_human"
STOP_TRIAGE = "stop_triage"
ASK_WHY = "ask_why"
ASK_WHICH_PROGRAM = "ask_which_program"
CORRECTION = "correction"
DESCRIBE_SITUATION = "describe_situation"
BOT_CHALLENGE = "bot_challenge"
OUT_OF_SCOPE = "out_of_scope"
CHANGE_LANGUAGE = "change_language"
NLU_FALLBACK = "nlu_fallback"  # Rasa's FallbackClassifier

# Slots
RECOMMENDED_PROGRAM = "recommended_program"
EMERGENCY_CHECK = "emergency_check"
EMERGENCY_KIND = "emergency_kind"
RESUMED_QUESTION = "resumed_question"
TRIAGE_UNSURE = "triage_unsure"
TRIAGE_UNCLEAR = "triage_unclear"
CALLBACK_PHONE = "callback_phone"
CALLBACK_TIME = "callback_time"
CALLBACK_NAME = "callback_name"
CALLBACK_REQUESTED = "callback_requested"
CLINIC_OPEN = "clinic_open"
CLINIC_OPENS = "clinic_opens"
HANDOFF = "handoff"
RED_FLAGS = "red_flags"
MEDICALLY_CLEARED = "medically_cleared"
HAS_JOB_GOAL = "has_job_goal"
WEEKS_SINCE_INJURY = "weeks_since_injury"
JOB_DEMAND_LEVEL = "job_demand_level"
MEETS_JOB_DEMANDS = "meets_job_demands"
TOLERATES_4_HOURS = "tolerates_4_hours"
REQUESTED_SLOT = "requested_slot"  # Rasa's: the question a form is asking

# Actions and forms
TRIAGE_FORM = "triage_form"
CALLBACK_FORM = "callback_form"
ACTION_OFFER_HUMAN = "action_offer_human"
ACTION_CALLBACK_CONFIRM = "action_callback_confirm"
ACTION_EMERGENCY = "action_emergency"
ACTION_EMERGENCY_RECOVER = "action_emergency_recover"
ACTION_TRIAGE_RESULT = "action_triage_result"
ACTION_TRIAGE_CORRECT = "action_triage_correct"
ACTION_FALLBACK = "action_fallback"
ACTION_DEFAULT_FALLBACK = "action_default_fallback"  # Rasa's
ACTION_LISTEN = "action_listen"  # Rasa's

# Responses named in more than one place
UTTER_DEFAULT = "utter_default"
UTTER_ANYTHING_ELSE = "utter_anything_else"
UTTER_ANYTHING_ELSE_FOR_THEM = "utter_anything_else_for_them"
UTTER_QUESTIONS_PAUSED_FOR_THEM = "utter_questions_paused_for_them"
UTTER_OUT_OF_SCOPE = "utter_out_of_scope"
UTTER_CANNOT_FINISH = "utter_cannot_finish"
UTTER_REQUEST_HUMAN = "utter_request_human"
UTTER_WHY_SUGGESTED = "utter_why_suggested"
UTTER_RESULT_FIRST = "utter_result_first"
UTTER_GOODBYE = "utter_goodbye"
UTTER_THANK = "utter_thank"
SAID_BY_THE_ACTION = frozenset({UTTER_DEFAULT, UTTER_OUT_OF_SCOPE, UTTER_GOODBYE})
"""Responses an action gives itself rather than as a follow-up: no rule says what comes
after them there, and Rasa's own fallback then said "say it another way" as well (fresh
reviews, stop 63)."""


def ask_response(slot: str) -> str:
    """The form's question for `slot` (Rasa's `utter_ask_<slot>` convention)."""
    return f"utter_ask_{slot}"


def why_response(slot: str) -> str:
    """Why the triage asks about `slot`."""
    return f"utter_why_{slot}"


def result_response(outcome: str) -> str:
    """The triage's result for `outcome` (a `bot.core.triage.Outcome` value)."""
    return f"utter_result_{outcome}"


def callback_confirmation(open_now: bool) -> str:
    """The call-back confirmation, as true while the clinic is open as when it is closed."""
    return "utter_callback_requested" if open_now else "utter_callback_requested_closed"


def faq_pick(parse: Mapping[str, Any]) -> Mapping[str, Any]:
    """The FAQ answer the selector picked, from a message's parse data ({} if none).

    Its `intent_response_key` ("faq/duration"), `utter_action` and confidence; where
    Rasa keeps it is written here once.
    """
    try:
        picked = parse["response_selector"][FAQ]["response"]
    except (KeyError, TypeError):
        return {}
    return picked if isinstance(picked, Mapping) else {}

"""Every name Python uses for the Rasa files is defined there (`bot.core.names` and beyond).

A misspelt response or slot name fails only when a patient reaches that turn; this test
reads `domain.yml`, the retrieval responses and `config.yml` and fails at once instead.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
from pathlib import Path

import pytest
import yaml

from bot.core import names
from bot.core.names import ask_response, result_response, why_response
from bot.core.triage import SLOTS, Outcome
from bot.records.summaries import fallback_threshold
from bot.runtime.rasa_files import write_rasa_files
from bot.settings import ROOT, Settings

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
FAQ_RESPONSES = yaml.safe_load(
    (ROOT / "data/responses/faq.yml").read_text(encoding="utf-8"))["responses"]
CONFIG = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))

# Rasa's own names: defined by Rasa, never in domain.yml.
RASA_INTENTS = {"nlu_fallback"}
RASA_SLOTS = {"requested_slot"}
RASA_ACTIONS = {"action_listen", "action_session_start", "action_default_fallback",
                "action_restart", "action_two_stage_fallback", "action_deactivate_loop"}
# Keys of Rasa's events and endpoint files that look like names.
RASA_KEYS = {"utter_action", "action_name", "action_endpoint"}


def _keys(section: str) -> set[str]:
    return {item if isinstance(item, str) else next(iter(item)) for item in DOMAIN[section]}


INTENTS = _keys("intents") | RASA_INTENTS
SLOT_NAMES = set(DOMAIN["slots"]) | RASA_SLOTS
RESPONSES = set(DOMAIN["responses"]) | set(FAQ_RESPONSES)
ACTIONS = set(DOMAIN["actions"]) | set(DOMAIN["forms"]) | RESPONSES | RASA_ACTIONS


def _constants() -> dict[str, str]:
    return {key: value for key, value in vars(names).items()
            if key.isupper() and isinstance(value, str)}


def _kind(constant: str) -> set[str]:
    """Which names of the domain a constant of `bot.core.names` must be among."""
    if constant.startswith(("UTTER_", "ACTION_")) or constant.endswith("_FORM"):
        return ACTIONS
    if constant.startswith("FAQ_"):  # an FAQ answer's key, "faq/duration"
        return {response.removeprefix("utter_") for response in FAQ_RESPONSES}
    if constant in {"RECOMMENDED_PROGRAM", "EMERGENCY_CHECK", "EMERGENCY_KIND",
                    "RESUMED_QUESTION", "TRIAGE_UNSURE", "TRIAGE_UNCLEAR", "RED_FLAGS",
                    "MEDICALLY_CLEARED", "HAS_JOB_GOAL", "WEEKS_SINCE_INJURY", "JOB_DEMAND_LEVEL",
                    "MEETS_JOB_DEMANDS", "TOLERATES_4_HOURS",
                    "REQUESTED_SLOT", "HANDOFF"} or constant.startswith(("CALLBACK_", "CLINIC_")):
        return SLOT_NAMES
    return INTENTS


@pytest.mark.parametrize("constant", sorted(_constants()))
def test_every_shared_name_is_defined_in_the_domain(constant):
    assert _constants()[constant] in _kind(constant)


@pytest.mark.parametrize("slot", SLOTS)
def test_every_triage_question_has_its_question_and_its_why(slot):
    assert slot in SLOT_NAMES
    assert ask_response(slot) in RESPONSES
    assert why_response(slot) in RESPONSES


@pytest.mark.parametrize("outcome", [o for o in Outcome if o is not Outcome.URGENT_CARE])
def test_every_result_the_triage_can_give_has_its_response(outcome):
    # Urgent care is never "a result": the triage hands it to action_emergency.
    assert result_response(outcome.value) in RESPONSES


@pytest.mark.parametrize("open_now", [True, False])
def test_both_call_back_confirmations_exist(open_now):
    assert names.callback_confirmation(open_now) in RESPONSES


def test_every_outcome_is_a_value_the_dashboard_can_label():
    from bot.web.staff import OUTCOME_LABELS

    assert {o.value for o in Outcome} <= set(OUTCOME_LABELS)


def _literals(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


NAMED = re.compile(r"(?:utter|action)_[a-z0-9_]+(?:/[a-z0-9_]+)?")


@pytest.mark.parametrize("folder", ["bot", "actions"])
def test_every_response_or_action_named_in_python_exists(folder):
    # Prefixes ("utter_why_") belong to the builders, tested above.
    named = {text for text in _literals(ROOT / folder)
             if NAMED.fullmatch(text) and not text.endswith("_")}
    named -= RASA_KEYS
    assert named, "the scan found nothing: it would pass whatever the code says"
    assert sorted(named - ACTIONS) == []


def test_the_fallback_threshold_is_read_from_config():
    [component] = [c for c in CONFIG["pipeline"] if c["name"] == "FallbackClassifier"]
    assert fallback_threshold() == component["threshold"]
    assert fallback_threshold(ROOT / "config.yml") == component["threshold"]


def _importable(path: str) -> bool:
    module, _, name = path.rpartition(".")
    return hasattr(importlib.import_module(module), name)


def test_every_custom_component_in_config_is_importable():
    custom = [c["name"] for c in CONFIG["pipeline"] + CONFIG["policies"] if "." in c["name"]]
    assert custom and all(_importable(name) for name in custom)


def test_every_channel_in_the_generated_credentials_is_importable(tmp_path):
    settings = dataclasses.replace(Settings.from_env({}, root=ROOT), var_dir=tmp_path)
    _, credentials = write_rasa_files(settings)
    keys = list(yaml.safe_load(credentials.read_text(encoding="utf-8")))
    assert keys and all(_importable(key) for key in keys)


def test_the_triage_question_names_python_uses_are_triage_questions():
    used = {names.RED_FLAGS, names.MEDICALLY_CLEARED, names.WEEKS_SINCE_INJURY,
            names.JOB_DEMAND_LEVEL, names.TOLERATES_4_HOURS}
    assert used <= set(SLOTS)

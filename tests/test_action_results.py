"""The action server's answers are judged exactly as Rasa's own check judges them."""

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.adapters.action_results import check_action_results_with_one_validator

VALID = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "red_flags", "value": False}],
     "responses": [{"text": "Thanks.", "buttons": [{"title": "Yes", "payload": "yes"}]}]},
    {"events": [{"event": "action", "name": "action_listen", "policy": None,
                 "confidence": None, "timestamp": None}], "responses": [{"response": "utter_x"}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"name": "no event key"}]},
    {"events": [{"event": "slot", "value": 1}]},
    {"events": [{"event": "no_such_event"}]},
    {"responses": "not a list"},
    {"events": [{"event": "user", "text": 3}]},
]


@pytest.fixture
def rasas_check(monkeypatch):
    """What Rasa's own check does (`jsonschema.validate` on its schema, rasa/core/actions/
    action.py); ours is installed for the test and taken out after it."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result",
                        RemoteAction._validate_action_result)
    check_action_results_with_one_validator()

    def check(_action, answer):
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
        return True

    return check


@pytest.mark.parametrize("answer", VALID)
def test_a_valid_answer_passes_both(rasas_check, answer):
    action = RemoteAction("action_x", None)
    assert rasas_check(action, answer) is True
    assert action._validate_action_result(answer) is True


@pytest.mark.parametrize("answer", INVALID)
def test_an_invalid_answer_fails_both_with_the_same_error(rasas_check, answer):
    action = RemoteAction("action_x", None)
    with pytest.raises(ValidationError) as rasas:
        rasas_check(action, answer)
    with pytest.raises(ValidationError) as ours:
        action._validate_action_result(answer)
    assert ours.value.message.startswith(rasas.value.message + ". Failed to validate")
    assert list(ours.value.absolute_path) == list(rasas.value.absolute_path)

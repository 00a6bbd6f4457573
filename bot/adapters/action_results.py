"""The action server's answers checked against Rasa's schema by a validator built once.

Rasa checks every answer of the action server with `jsonschema.validate`, which first
checks the schema itself against JSON Schema's meta-schema and builds a new validator, on
every call. Profiled under load (docs/benchmarks.md), that was about a fifth of the Rasa
server's CPU time. The same schema, the same validator class and the same choice of error
(`best_match`) are used here; only the repeated work is gone. Rasa has no setting for
this, so the check is replaced on Rasa's class when the server starts.
"""

from __future__ import annotations

from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


def compiled_validator() -> Any:
    """A validator for Rasa's action response schema, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def check_action_results_with_one_validator() -> None:
    """Replace `RemoteAction._validate_action_result` (same errors, raised the same way)."""
    validator = compiled_validator()

    def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions")
        raise error

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]

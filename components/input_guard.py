"""NLU component: send input the English model cannot read to `nlu_fallback`."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.input_guard import unreadable


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputGuard(GraphComponent, IntentClassifier):
    """Overrides the predicted intent with `nlu_fallback` for unreadable input.

    Place it after the intent classifiers (next to `FallbackClassifier`); the reason is
    kept in the parse data as `unreadable` for the conversation logs.
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> InputGuard:
        """Build the component; it has no state."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark unreadable messages as NLU fallback with full confidence."""
        for message in messages:
            reason = unreadable(message.get(TEXT) or "")
            if reason is None:
                continue
            fallback = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: 1.0,
            }
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [fallback], add_to_output=True)
            message.set("unreadable", reason.value, add_to_output=True)
        return messages

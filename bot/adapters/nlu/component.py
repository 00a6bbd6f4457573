"""What the custom intent components share: stateless creation and overruling an intent."""

from __future__ import annotations

from typing import Any, Self

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


class StatelessClassifier(GraphComponent, IntentClassifier):
    """An intent classifier with no training and no state of its own to persist."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        """Build the component from its configuration."""
        return cls.from_config(config)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Self:
        """Build the component; override to read settings or load data."""
        return cls()


def ranking(message: Message) -> list[tuple[str, float]]:
    """The message's intent ranking as (name, confidence) pairs."""
    return [
        (i[INTENT_NAME_KEY], i[PREDICTED_CONFIDENCE_KEY])
        for i in message.get(INTENT_RANKING_KEY) or []
    ]


def set_intent(message: Message, name: str) -> None:
    """Make `name` the intent with full confidence, keeping the rest of the ranking."""
    chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    rest = [i for i in message.get(INTENT_RANKING_KEY) or [] if i[INTENT_NAME_KEY] != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *rest], add_to_output=True)

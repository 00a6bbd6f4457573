"""NLU component: send input the English model cannot read to `nlu_fallback`."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.adapters.nlu.component import StatelessClassifier, set_intent
from bot.core.input_guard import PARSE_KEY, unreadable


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputGuard(StatelessClassifier):
    """Overrides the predicted intent with `nlu_fallback` for unreadable input.

    Place it after the intent classifiers (next to `FallbackClassifier`); the reason is
    kept in the parse data as `unreadable` for the conversation logs.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark unreadable messages as NLU fallback with full confidence."""
        for message in messages:
            reason = unreadable(message.get(TEXT) or "")
            if reason is not None:
                set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME)
                message.set(PARSE_KEY, reason.value, add_to_output=True)
        return messages

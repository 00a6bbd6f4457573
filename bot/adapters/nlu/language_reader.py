"""NLU component: the language a message is written in, kept in its parse data.

The assistant answers in the language of the latest message that told one
(`bot.core.language.conversation_language`), so a message that tells nothing ("sí", "1")
keeps the conversation's. A request to switch (`change_language`) gives the language it
names, which need not be the one it is written in ("hábleme en inglés"). A message the
input guard turned away as another language tells none: French shares enough words with
Spanish ("je me suis blessé au dos") to have switched the conversation to Spanish.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.adapters.nlu.component import StatelessClassifier
from bot.core.input_guard import PARSE_KEY as UNREADABLE
from bot.core.input_guard import Unreadable
from bot.core.language import PARSE_KEY, detect, named
from bot.core.names import CHANGE_LANGUAGE


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageReader(StatelessClassifier):
    """Sets `language` ("en" or "es") in the parse data when the message tells it.

    Place it last, after the intent classifiers and the input guard, so it sees the final
    intent and whether the message is in another language.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark every message whose language is clear."""
        for message in messages:
            text = message.get(TEXT) or ""
            if message.get(UNREADABLE) == Unreadable.OTHER_LANGUAGE:
                continue
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            language = (named(text) if intent == CHANGE_LANGUAGE else None) or detect(text)
            if language is not None:
                message.set(PARSE_KEY, language.value, add_to_output=True)
        return messages

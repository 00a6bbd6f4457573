"""NLU component: turn any message with emergency symptoms into the `emergency` intent."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.redflags import EMERGENCY_INTENT, emergency_kinds, mentions
from components._base import StatelessClassifier, ranking, set_intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagDetector(StatelessClassifier):
    """Sets `emergency` (confidence 1) when `bot.redflags` finds an emergency.

    Place it last in the pipeline, after `SpacyNLP` (whose doc it reads) and after the
    intent classifiers (whose ranking it may overrule). The kinds found are kept in the
    parse data as `red_flags`. An `emergency` prediction that a negation explains ("I
    don't have chest pain") is replaced by the next best intent.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrule the intent where the message reports an emergency (or denies one)."""
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None:
                continue
            scores = ranking(message)
            kinds = emergency_kinds(mentions(doc), scores)
            if kinds:
                set_intent(message, EMERGENCY_INTENT)
                message.set("red_flags", list(kinds), add_to_output=True)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == EMERGENCY_INTENT:
                others = [name for name, _ in scores if name != EMERGENCY_INTENT]
                set_intent(message, others[0] if others else DEFAULT_NLU_FALLBACK_INTENT_NAME)
        return messages

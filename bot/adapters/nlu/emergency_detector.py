"""NLU component: any message that reports an emergency becomes the `emergency` intent."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.adapters.nlu.component import StatelessClassifier, ranking, set_intent
from bot.core.emergency import Detector, load_detector
from bot.core.emergency.reply import sure_unless_asked
from bot.core.names import EMERGENCY as EMERGENCY_INTENT
from bot.core.names import faq_pick
from bot.core.questions import asks_something
from bot.settings import ROOT


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EmergencyDetector(StatelessClassifier):
    """Sets `emergency` (confidence 1) when `bot.core.emergency` finds one, and only then.

    Place it last, after the intent classifiers, whose ranking it overrules both ways:
    the verdict (kind, sure, certain) is kept in the parse data as `emergency`, and an
    `emergency` guess of the intent classifier that the detector does not share is
    replaced by the next best intent. A question about the signs of an emergency is not
    sure (`sure_unless_asked`, from the FAQ answer picked). The detector model is built
    by `python -m bot setup` into `model`.
    """

    def __init__(self, detector: Detector) -> None:
        """Use a loaded detector."""
        self.detector = detector

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Where the detector model is, relative to the project."""
        return {"model": "models/emergency"}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Self:
        """Load the detector built for the current sources."""
        return cls(load_detector(ROOT / Path(config["model"])))

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrule the intent where the message reports an emergency (or does not)."""
        for message in messages:
            text = message.get(TEXT) or ""
            verdict = self.detector.assess(text)
            if verdict.urgent:
                set_intent(message, EMERGENCY_INTENT)
                asks = asks_something(text) or self.detector.asks_what_counts(text)
                answer = faq_pick(message.data).get("intent_response_key")
                sure = sure_unless_asked(verdict.sure, verdict.certain, asks, answer)
                message.set(EMERGENCY_INTENT, {
                    "kind": verdict.kind.value, "sure": sure, "certain": verdict.certain,
                }, add_to_output=True)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == EMERGENCY_INTENT:
                others = [name for name, _ in ranking(message) if name != EMERGENCY_INTENT]
                set_intent(message, others[0] if others else DEFAULT_NLU_FALLBACK_INTENT_NAME)
        return messages

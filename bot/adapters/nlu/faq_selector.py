"""The FAQ answer selector: which answer of the `faq` retrieval intent fits a question.

Why not Rasa's ResponseSelector: it is a small network over the same sparse counts, and
its 50 epochs took 3 1/2 to 4 1/2 of the 6 minutes of training on 2 cores (issue 15 asks
for 4 in all). This is the intent classifier's tf-idf logistic regression, trained on
the FAQ examples alone with their answers as the classes: it trains in seconds, and on
the dev sets it picked the right answer at least as often (README, "Training time").
Its output is the ResponseSelector's, so Rasa's `utter_faq` and everything that reads
`response_selector` (the FAQ action, the staff summaries, the evaluation) work unchanged.
A message that tells something and asks something is read as the classifier reads it:
whole, and by its asking sentences alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.nlu.training_data.util import intent_response_key_to_template_key

from bot.adapters.nlu.intent_classifier import IntentClassifier


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class FaqSelector(IntentClassifier):
    """Picks the answer to an FAQ; the intent itself stays the intent classifier's."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The retrieval intent whose answers it picks, besides the classifier's settings."""
        return {**IntentClassifier.get_default_config(), "retrieval_intent": None}

    responses: Mapping[str, list[dict[str, Any]]] = MappingProxyType({})
    """The answers' texts by response name, as trained; none before."""
    retrieval_intents: tuple[str, ...] = ()
    """Every retrieval intent of the data, as Rasa's ResponseSelector reports them."""

    @property
    def intent(self) -> str:
        """The retrieval intent whose answers it picks."""
        return self.config["retrieval_intent"]

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on the retrieval intent's examples, each labelled with its answer's key.

        Data without one example of it is a mistake in the data: fail loudly rather
        than train an assistant that can answer no FAQ.
        """
        examples = [e for e in training_data.intent_examples
                    if e.get(INTENT) == self.intent and e.get(TEXT)]
        if not examples:
            raise ValueError(f"no training examples of the retrieval intent {self.intent!r}")
        self.retrieval_intents = tuple(sorted(training_data.retrieval_intents))
        prefix = intent_response_key_to_template_key(f"{self.intent}/")
        self.responses = {key: value for key, value in training_data.responses.items()
                          if key.startswith(prefix)}
        self.clf.fit(self._create_X(examples), [e.get(INTENT_RESPONSE_KEY) for e in examples])
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the picked answer and the ranking, as Rasa's ResponseSelector does.

        A message with no words gets no pick: it gets no intent either, and the
        fallback answers it.
        """
        worded = [m for m in messages if m.get_sparse_features(TEXT)[1] is not None]
        if not worded:
            return messages
        for message, row in zip(worded, self.probabilities(worded), strict=True):
            ranking = self.ranked(row)
            key, confidence = ranking[0]
            utter = intent_response_key_to_template_key(key)
            picked = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self.responses.get(utter, []),
                    PREDICTED_CONFIDENCE_KEY: confidence,
                    INTENT_RESPONSE_KEY: key,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter,
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {PREDICTED_CONFIDENCE_KEY: score, INTENT_RESPONSE_KEY: name}
                    for name, score in ranking],
            }
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME,
                        {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: list(self.retrieval_intents),
                         self.intent: picked},
                        add_to_output=True)
        return messages

    def _stored(self) -> Any:
        return {"regression": self.clf, "responses": self.responses,
                "retrieval_intents": self.retrieval_intents}

    def _restore(self, stored: Any) -> None:
        self.clf = stored["regression"]
        self.responses = stored["responses"]
        self.retrieval_intents = tuple(stored["retrieval_intents"])

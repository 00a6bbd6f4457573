"""The intent classifier: a logistic regression over tf-idf weighted word and character counts.

Why not DIET: without its transformer, DIET is a small network over the same sparse
counts, and 200 epochs of it took about 8 1/2 minutes to train on 2 cores. This linear
model trains in about 35 seconds and read the held-out sets better (README, "Training
time"): the counts are weighted by tf-idf (a word most messages share tells little), and
the classes are balanced (the FAQ intent has far more examples than "thank").

Why not Rasa's own `LogisticRegressionClassifier`, which this extends: it reads the raw
counts and fixes the regularisation (C = 1): it read the dev set at 0.899, against 0.945
with tf-idf and C = 300 (both at Rasa's fallback threshold of 0.5). Its feature
reading, training and prediction are kept. The model is stored with joblib, like the
emergency model: Rasa's loader turns a file it cannot read into an untrained classifier
without a word, and this one fails loudly instead.
"""

from __future__ import annotations

from typing import Any, Self

import joblib
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

_MODEL_FILE = "intent_classifier.joblib"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class IntentClassifier(LogisticRegressionClassifier):
    """Rasa's logistic-regression intent classifier with tf-idf weights and a chosen C."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """C (inverse regularisation) and the iteration cap, besides Rasa's defaults."""
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0,
                "max_iter": 3000}

    def __init__(
        self,
        config: dict[str, Any],
        name: str,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        """Build the untrained tf-idf and regression steps from the configuration."""
        super().__init__(config, name, model_storage, resource)
        self.clf = Pipeline([
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
            ("regression", LogisticRegression(
                C=float(self.config["C"]), class_weight="balanced",
                solver=self.config["solver"], max_iter=int(self.config["max_iter"]),
                tol=self.config["tol"],
                random_state=self.config["random_state"])),
        ])

    def process(self, messages: list[Message]) -> list[Message]:
        """The intent of each message; one with no words ("", "   ") gets none.

        As with DIET, the fallback then answers it: Rasa's classifier fails on a message
        without features, and the patient would get no reply at all.
        """
        worded = []
        for message in messages:
            if message.get_sparse_features(TEXT)[1] is None:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
            else:
                worded.append(message)
        if worded:
            super().process(worded)
        return messages

    def _stored(self) -> Any:
        """What `persist` stores and `load` gives back to `_restore`."""
        return self.clf

    def _restore(self, stored: Any) -> None:
        self.clf = stored

    def persist(self) -> None:
        """Store the fitted pipeline in the model archive."""
        with self._model_storage.write_to(self._resource) as model_dir:
            joblib.dump(self._stored(), model_dir / _MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Self:
        """The fitted pipeline from the model archive; a model without one fails loudly."""
        component = cls(config, execution_context.node_name, model_storage, resource)
        with model_storage.read_from(resource) as model_dir:
            component._restore(joblib.load(model_dir / _MODEL_FILE))
        return component

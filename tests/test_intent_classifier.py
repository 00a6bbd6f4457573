"""The intent classifier trains, is stored in a model archive's storage and read back."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.adapters.nlu.intent_classifier import IntentClassifier

EXAMPLES = {
    "greet": ["hi", "hello there", "good morning", "hola", "buenos dias"],
    "goodbye": ["bye", "see you later", "goodbye for now", "adios", "hasta luego"],
    "ask_which_program": ["which program is for me", "what program fits me",
                          "cual programa es para mi", "que programa me recomienda"],
}
CONFIG = {**IntentClassifier.get_default_config(), "C": 300}


def _context(node: str) -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), node_name=node)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory):
    """Tokenizer and featurizer as Rasa runs them, and a stored classifier."""
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("model")))
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("words"),
        _context("words"))
    data = TrainingData([Message(data={"text": text, "intent": intent})
                         for intent, texts in EXAMPLES.items() for text in texts])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    IntentClassifier.create(CONFIG, storage, Resource("intents"), _context("intents")).train(data)
    return storage, tokenizer, featurizer


@pytest.mark.parametrize(("text", "intent"), [
    ("hello", "greet"), ("bye bye", "goodbye"),
    ("which program is right for me", "ask_which_program"),
    ("cual es el programa para mi", "ask_which_program"), ("hasta luego amigo", "goodbye"),
])
def test_a_stored_classifier_reads_new_messages(trained, text, intent):
    storage, tokenizer, featurizer = trained
    classifier = IntentClassifier.load(CONFIG, storage, Resource("intents"), _context("intents"))
    message = Message(data={"text": text})
    for component in (tokenizer, featurizer, classifier):
        component.process([message])
    assert message.get("intent")["name"] == intent
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == intent
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


@pytest.mark.parametrize("text", ["", "   "])
def test_a_message_without_words_gets_no_intent_and_no_error(trained, text):
    """Rasa's own classifier raised on it, and the patient got no reply at all.

    spaCy gives such a message no tokens, so it reaches the classifier without features.
    """
    storage, _, _ = trained
    classifier = IntentClassifier.load(CONFIG, storage, Resource("intents"), _context("intents"))
    message = Message(data={"text": text})
    classifier.process([message])
    assert message.get("intent") == {"name": None, "confidence": 0.0}
    assert message.get("intent_ranking") == []


def test_a_model_without_the_classifier_fails_to_load(trained):
    """Rasa's own classifier would quietly load untrained and call everything one intent."""
    storage, _, _ = trained
    with pytest.raises(ValueError):
        IntentClassifier.load(CONFIG, storage, Resource("missing"), _context("missing"))

"""The intent classifier and the FAQ answer selector train, are stored in a model
archive's storage and read back."""

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

from bot.adapters.nlu.faq_selector import FaqSelector
from bot.adapters.nlu.intent_classifier import IntentClassifier, asking_part

EXAMPLES = {
    "greet": ["hi", "hello there", "good morning", "hola", "buenos dias"],
    "goodbye": ["bye", "see you later", "goodbye for now", "adios", "hasta luego"],
    "ask_which_program": ["which program is for me", "what program fits me",
                          "cual programa es para mi", "que programa me recomienda"],
}
FAQS = {
    "faq/duration": ["how long does the program last", "how many weeks is it",
                     "cuanto dura el programa", "cuantas semanas son"],
    "faq/cost": ["how much does it cost", "does insurance pay for it",
                 "cuanto cuesta", "lo paga el seguro"],
    "faq/what_to_bring": ["what should i bring", "what do i wear",
                          "que tengo que llevar", "que ropa me pongo"],
}
RESPONSES = {f"utter_{key}": [{"text": f"the answer to {key}"}] for key in FAQS}
CONFIG = {**IntentClassifier.get_default_config(), "C": 300}
FAQ_CONFIG = {**FaqSelector.get_default_config(), "C": 10, "retrieval_intent": "faq"}


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
    data = TrainingData([
        *(Message(data={"text": text, "intent": intent})
          for intent, texts in EXAMPLES.items() for text in texts),
        *(Message(data={"text": text, "intent": "faq", "intent_response_key": key})
          for key, texts in FAQS.items() for text in texts),
    ], responses=RESPONSES)
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    IntentClassifier.create(CONFIG, storage, Resource("intents"), _context("intents")).train(data)
    FaqSelector.create(FAQ_CONFIG, storage, Resource("faqs"), _context("faqs")).train(data)
    return storage, tokenizer, featurizer


def _read(trained, text: str, reader: type[IntentClassifier] = IntentClassifier) -> Message:
    """The message as the stored classifier (or the FAQ selector) leaves it."""
    storage, tokenizer, featurizer = trained
    config, name = (FAQ_CONFIG, "faqs") if reader is FaqSelector else (CONFIG, "intents")
    message = Message(data={"text": text})
    for component in (tokenizer, featurizer,
                      reader.load(config, storage, Resource(name), _context(name))):
        component.process([message])
    return message


@pytest.mark.parametrize(("text", "intent"), [
    ("hello", "greet"), ("bye bye", "goodbye"),
    ("which program is right for me", "ask_which_program"),
    ("cual es el programa para mi", "ask_which_program"), ("hasta luego amigo", "goodbye"),
])
def test_a_stored_classifier_reads_new_messages(trained, text, intent):
    message = _read(trained, text)
    assert message.get("intent")["name"] == intent
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == intent
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


@pytest.mark.parametrize(("text", "intent"), [
    ("hello there good morning, hi hello, good morning. which program is for me?",
     "ask_which_program"),
    ("hola buenos dias, hola, buenos dias. cual programa es para mi", "ask_which_program"),
    ("hello there good morning, hi hello, good morning", "greet"),
])
def test_what_is_asked_weighs_as_much_as_what_is_told(trained, text, intent):
    """Read whole, the greeting's words made the question a greeting."""
    assert _read(trained, text).get("intent")["name"] == intent


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


@pytest.mark.parametrize(("text", "key"), [
    ("how long is the program", "faq/duration"), ("how many weeks does it last", "faq/duration"),
    ("does my insurance cover the cost", "faq/cost"), ("cuanto me va a costar", "faq/cost"),
    ("what do i need to bring", "faq/what_to_bring"),
    ("que llevo el primer dia", "faq/what_to_bring"),
])
def test_a_stored_selector_picks_the_answer_as_rasas_response_selector_gives_it(
    trained, text, key
):
    """The shape Rasa's `utter_faq` and the FAQ action read: the answer to utter and its
    texts, a confidence and a ranking; the intent is left to the intent classifier."""
    message = _read(trained, text, FaqSelector)
    selected = message.get("response_selector")
    assert selected["all_retrieval_intents"] == ["faq"]
    picked = selected["faq"]["response"]
    assert picked["intent_response_key"] == key
    assert picked["utter_action"] == f"utter_{key}"
    assert picked["responses"] == RESPONSES[f"utter_{key}"]
    ranking = selected["faq"]["ranking"]
    assert ranking[0]["intent_response_key"] == key
    assert ranking[0]["confidence"] == picked["confidence"] > 1 / len(FAQS)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    assert message.get("intent") is None
    assert message.as_dict_nlu()["response_selector"] == selected


@pytest.mark.parametrize(("text", "key"), [
    ("i need to bring stuff and wear stuff, i bring and wear what i need to bring. how "
     "many weeks is the program?", "faq/duration"),
    ("how many weeks is the program? i need to bring stuff and wear stuff, i bring and "
     "wear what i need to bring", "faq/duration"),
    ("tengo que llevar ropa y me pongo ropa, llevo lo que me pongo. cuantas semanas dura "
     "el programa?", "faq/duration"),
    ("i need to bring stuff and wear stuff, i bring and wear what i need to bring",
     "faq/what_to_bring"),
])
def test_the_answer_fits_what_is_asked_not_the_story_told_beside_it(trained, text, key):
    """Read whole, the story's words ("bring", "wear") pulled the answer their way."""
    picked = _read(trained, text, FaqSelector).get("response_selector")["faq"]["response"]
    assert picked["intent_response_key"] == key


@pytest.mark.parametrize(("text", "part"), [
    ("how long is the program", None),
    ("what should i bring. what do i wear?", None),
    ("i bring my boots. i wear my work clothes", None),
    ("", None),
    ("i hurt my back at work. can you help?", None),
    ("i hurt my back at work. what should i do?", None),
    ("i bring my boots to work. how many hours a day is it?", "how many hours a day is it?"),
    ("me lastime la espalda. cuantas horas al dia son?", "cuantas horas al dia son?"),
    # a greeting that opens it is read apart (the blind trial of stop 51)
    ("hola buenas, cuantas horas al dia son?", "cuantas horas al dia son?"),
    ("hi there how many weeks is the program", "how many weeks is the program"),
    ("hola buenas", None),
    ("hi, can you help?", None),
    # a question after a comma is read apart too (a blind hand trial of stop 57)
    ("its way better now. im a mover, whats the difference between hardening and "
     "conditioning", "whats the difference between hardening and conditioning"),
    ("soy cargador, cuanto dura el programa", "cuanto dura el programa"),
    ("me lastime en el trabajo. necesito orden del medico para entrar?",
     "necesito orden del medico para entrar?"),  # the glossary's word (stop 59 trial)
    ("my back hurts, what should i do", None),
])
def test_only_a_question_about_the_programs_told_beside_a_story_is_read_alone(
    trained, text, part
):
    """A vague question ("can you help?") means which program fits: it is read whole."""
    _, tokenizer, featurizer = trained
    told, alone = Message(data={"text": text}), Message(data={"text": part or "x"})
    for component in (tokenizer, featurizer):
        component.process([told, alone])
    found = asking_part(told)
    if part is None:
        assert found is None
    else:
        expected = alone.get_sparse_features("text")[1].features.toarray()
        assert (found.toarray() == expected).all()


def test_the_asking_part_has_the_features_of_its_sentences_alone(tmp_path):
    """The sum of the words' rows is what the featurizers give the question on its own,
    with word counts and character n-grams within words, as the pipeline reads them."""
    storage = LocalModelStorage(tmp_path)
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizers = [CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), **config}, storage, Resource(name),
        _context(name)) for name, config in (
            ("words", {}), ("chars", {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}))]
    data = TrainingData([Message(data={"text": text, "intent": "faq"})
                         for texts in FAQS.values() for text in texts])
    tokenizer.process_training_data(data)
    for featurizer in featurizers:
        featurizer.train(data)
    told, alone = (Message(data={"text": text}) for text in (
        "i bring my boots and wear my work clothes. how many weeks is the program?",
        "how many weeks is the program?"))
    for component in (tokenizer, *featurizers):
        component.process([told, alone])
    expected = alone.get_sparse_features("text")[1].features.toarray()
    assert expected.sum() > 0
    assert (asking_part(told).toarray() == expected).all()


def test_a_message_without_words_gets_no_answer_picked(trained):
    storage, _, _ = trained
    selector = FaqSelector.load(FAQ_CONFIG, storage, Resource("faqs"), _context("faqs"))
    message = Message(data={"text": ""})
    selector.process([message])
    assert message.get("response_selector") is None


def test_data_without_the_retrieval_intent_fails_to_train(tmp_path):
    """An assistant that can answer no FAQ is a mistake in the data, not a model."""
    data = TrainingData([Message(data={"text": text, "intent": intent})
                         for intent, texts in EXAMPLES.items() for text in texts])
    selector = FaqSelector.create(FAQ_CONFIG, LocalModelStorage(tmp_path), Resource("faqs"),
                                  _context("faqs"))
    with pytest.raises(ValueError, match="'faq'"):
        selector.train(data)


@pytest.mark.parametrize(("component", "config"), [
    (IntentClassifier, CONFIG), (FaqSelector, FAQ_CONFIG)])
def test_a_model_without_the_component_fails_to_load(trained, component, config):
    """Rasa's own classifier would quietly load untrained and call everything one intent."""
    storage, _, _ = trained
    with pytest.raises(ValueError):
        component.load(config, storage, Resource("missing"), _context("missing"))

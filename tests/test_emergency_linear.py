"""The replayed vectorizers and models compute what scikit-learn's fitted ones compute."""

import pickle
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.core.emergency import ensure_detector, load_detector
from bot.core.emergency.dataset import SAFETY_QUESTION, load_examples
from bot.core.emergency.linear import Logistic, Row, Tfidf, side_by_side
from bot.core.emergency.model import _paired, _spelled, features
from bot.core.emergency.text import read

pytestmark = pytest.mark.unit

TRAINING = ["chest pain now", "no chest pain", "my knee hurts at work", "i cant breathe",
            "pain pain pain in my back", "what is work hardening", "fiebre y dolor de espalda"]
UNSEEN = ["chest pain chest pain", "", "zzz qqq", "i cant breathe and my chest hurts",
          "PAIN", "dolor de pecho 🙂", "work work work hardening hardening"]
LABELS = [1, 0, 0, 1, 0, 0, 1]
WORDS = {"analyzer": str.split}
CHARACTERS = {"analyzer": "char_wb", "ngram_range": (2, 5)}


def _fitted(**settings) -> TfidfVectorizer:
    return TfidfVectorizer(sublinear_tf=True, **settings).fit(TRAINING)


def _dense(rows: list[Row], width: int) -> np.ndarray:
    out = np.zeros((len(rows), width))
    for i, row in enumerate(rows):
        out[i, row.indices] = row.values
    return out


@pytest.mark.parametrize("settings", [
    WORDS, CHARACTERS,
    {"analyzer": "char_wb", "ngram_range": (2, 4), "min_df": 2, "max_features": 40},
], ids=["words", "characters", "characters-cut"])
@pytest.mark.parametrize("documents", [TRAINING, UNSEEN, UNSEEN[1:2]],
                         ids=["seen", "unseen", "empty-only"])
def test_tfidf_rows_equal_the_fitted_vectorizer(settings, documents):
    vectorizer = _fitted(**settings)
    replayed = Tfidf.of(vectorizer)
    np.testing.assert_allclose(_dense(replayed.rows(documents), replayed.width),
                               vectorizer.transform(documents).toarray(), rtol=0, atol=1e-12)


def test_rows_side_by_side_equal_joined_matrices():
    words, characters = _fitted(**WORDS), _fitted(**CHARACTERS)
    first, second = Tfidf.of(words), Tfidf.of(characters)
    joined = side_by_side([first.rows(UNSEEN), second.rows(UNSEEN)],
                          [first.width, second.width])
    expected = hstack([words.transform(UNSEEN), characters.transform(UNSEEN)]).toarray()
    np.testing.assert_allclose(_dense(joined, first.width + second.width), expected,
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("settings", [
    {"sublinear_tf": False}, {"sublinear_tf": True, "binary": True},
    {"sublinear_tf": True, "dtype": np.float32}, {"sublinear_tf": True, "norm": "l1"},
], ids=["raw-counts", "binary", "float32", "l1"])
def test_a_vectorizer_it_cannot_replay_is_refused(settings):
    with pytest.raises(ValueError):
        Tfidf.of(TfidfVectorizer(**settings).fit(TRAINING))


@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_logistic_probability_equals_predict_proba(class_weight):
    vectorizer = _fitted(**CHARACTERS)
    model = LogisticRegression(C=10.0, class_weight=class_weight, max_iter=5000)
    model.fit(vectorizer.transform(TRAINING), LABELS)
    documents = UNSEEN + TRAINING
    np.testing.assert_allclose(
        Logistic.of(model).probability(Tfidf.of(vectorizer).rows(documents)),
        model.predict_proba(vectorizer.transform(documents))[:, 1], rtol=0, atol=1e-12)


@pytest.mark.parametrize(("labels", "multi_class"), [
    ([0, 1, 2, 0, 1, 2, 0], "auto"), (LABELS, "multinomial")], ids=["three-classes", "softmax"])
def test_a_model_it_cannot_replay_is_refused(labels, multi_class):
    model = LogisticRegression(max_iter=1000, multi_class=multi_class).fit(
        _fitted(**CHARACTERS).transform(TRAINING), labels)
    with pytest.raises(ValueError):
        Logistic.of(model)


@pytest.mark.parametrize("asked", [None, SAFETY_QUESTION, "weeks_since_injury"])
def test_the_stored_model_reads_as_scikit_learn_does(asked):
    """The trained detector's replay against scikit-learn's own calls, on real messages."""
    ensure_detector()
    detector = load_detector()
    model, lexicon = detector.model, detector.lexicon
    texts = [e.text for e in load_examples([Path(__file__).parent / "emergency"
                                             / "regression.yml"])] + ["", "🙂"]
    readings = [read(t, lexicon.scope) for t in texts]
    got = model.read_all(texts, lexicon, readings, asked)
    seen = [features(t, lexicon, r) for t, r in zip(texts, readings, strict=True)]
    matrix = hstack([model.lexicon_vectorizer.transform(seen),
                     model.char_vectorizer.transform([_spelled(t, lexicon) for t in texts])]
                    ).tocsr()
    expected = {"urgent": model.urgency, "self_harm": model.self_harm}
    if asked == SAFETY_QUESTION:
        expected["said_yes"] = model.safety
    for name, fitted in expected.items():
        np.testing.assert_allclose([getattr(s, name) for s in got],
                                   fitted.predict_proba(matrix)[:, 1], rtol=0, atol=1e-12)
    if asked not in (None, SAFETY_QUESTION):
        paired = model.context_vectorizer.transform([_paired(f, asked) for f in seen])
        np.testing.assert_allclose(
            [s.in_context for s in got],
            model.in_context.predict_proba(hstack([matrix, paired]).tocsr())[:, 1],
            rtol=0, atol=1e-12)


def test_a_stored_model_keeps_no_replay():
    """The replay is made on load: a model stored after reading holds only what was fitted."""
    ensure_detector()
    detector = load_detector()
    detector.assess("chest pain")
    assert "_fitted" in detector.model.__dict__
    again = pickle.loads(pickle.dumps(detector.model))
    assert "_fitted" not in again.__dict__
    reading = read("chest pain since an hour", detector.lexicon.scope)
    assert again.read("chest pain since an hour", detector.lexicon, reading) \
        == detector.model.read("chest pain since an hour", detector.lexicon, reading)

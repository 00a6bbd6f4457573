"""The replayed vectorizers and models compute what scikit-learn's fitted ones compute."""

import numpy as np
import pytest
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.core.emergency.linear import Logistic, Row, Tfidf, side_by_side

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


def test_a_vectorizer_it_cannot_replay_is_refused():
    with pytest.raises(ValueError):
        Tfidf.of(TfidfVectorizer(sublinear_tf=False).fit(TRAINING))


@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_logistic_probability_equals_predict_proba(class_weight):
    vectorizer = _fitted(**CHARACTERS)
    model = LogisticRegression(C=10.0, class_weight=class_weight, max_iter=5000)
    model.fit(vectorizer.transform(TRAINING), LABELS)
    documents = UNSEEN + TRAINING
    np.testing.assert_allclose(
        Logistic.of(model).probability(Tfidf.of(vectorizer).rows(documents)),
        model.predict_proba(vectorizer.transform(documents))[:, 1], rtol=0, atol=1e-12)


def test_a_model_of_more_than_two_classes_is_refused():
    model = LogisticRegression(max_iter=1000).fit(
        _fitted(**CHARACTERS).transform(TRAINING[:6]), [0, 1, 2, 0, 1, 2])
    with pytest.raises(ValueError):
        Logistic.of(model)

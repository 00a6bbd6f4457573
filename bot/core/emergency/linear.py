"""The fitted model's arithmetic without scikit-learn's checks on every call.

Why not `transform` and `predict_proba`: scikit-learn validates its input and recomputes
the idf vector on every call (about 1.5 ms per vectorizer), and the detector reads a long
message in several parts, so those checks were most of its time (p95 14 ms on long
messages). Training stays in scikit-learn; these classes only replay what a fitted
`TfidfVectorizer` (sublinear tf, l2 norm) and a binary `LogisticRegression` compute, with
the fitted vocabulary, idf and coefficients: equal to scikit-learn's within 1e-14 (the
order of a sum differs), which tests check on toy models and on the stored one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


class Row(NamedTuple):
    """One document's non-zero features: column indices and values (a sparse row)."""

    indices: np.ndarray
    values: np.ndarray


def side_by_side(blocks: Sequence[Sequence[Row]], widths: Sequence[int]) -> list[Row]:
    """Each document's rows from several vectorizers as one row, as `hstack` joins them."""
    offsets = np.cumsum([0, *widths[:-1]])
    return [Row(np.concatenate([row.indices + offset
                                for row, offset in zip(rows, offsets, strict=True)]),
                np.concatenate([row.values for row in rows]))
            for rows in zip(*blocks, strict=True)]


@dataclass(frozen=True)
class Tfidf:
    """A fitted `TfidfVectorizer` with sublinear tf and l2 rows, as a plain function."""

    vocabulary: Mapping[str, int]
    idf: np.ndarray
    analyze: Callable[[Any], list[str]]

    @classmethod
    def of(cls, fitted: TfidfVectorizer) -> Tfidf:
        """Take the vocabulary, idf and analyzer of a fitted vectorizer."""
        if not fitted.sublinear_tf or fitted.norm != "l2" or not fitted.use_idf \
                or fitted.binary or fitted.dtype is not np.float64:
            raise ValueError("only sublinear tf, idf and l2 rows of float64 are replayed")
        return cls(fitted.vocabulary_, fitted.idf_, fitted.build_analyzer())

    @property
    def width(self) -> int:
        """How many columns a row has (the vocabulary's size)."""
        return len(self.idf)

    def rows(self, documents: Sequence[Any]) -> list[Row]:
        """One l2-normalised tf-idf row per document, as the fitted vectorizer makes it."""
        return [self._row(document) for document in documents]

    def _row(self, document: Any) -> Row:
        known = [(self.vocabulary[term], count)
                 for term, count in Counter(self.analyze(document)).items()
                 if term in self.vocabulary]
        known.sort()
        indices = np.array([column for column, _ in known], dtype=np.int64)
        values = (1.0 + np.log(np.array([count for _, count in known], dtype=np.float64))) \
            * self.idf[indices]
        norm = np.sqrt(np.dot(values, values))
        return Row(indices, values / norm if norm else values)


@dataclass(frozen=True)
class Logistic:
    """A fitted binary `LogisticRegression`: P(class 1) for each row."""

    weights: np.ndarray
    intercept: float

    @classmethod
    def of(cls, fitted: LogisticRegression) -> Logistic:
        """Take the coefficients of a fitted binary model."""
        if fitted.coef_.shape[0] != 1 or fitted.multi_class == "multinomial":
            raise ValueError("only a binary one-vs-rest model is replayed")
        return cls(fitted.coef_[0], float(fitted.intercept_[0]))

    def probability(self, rows: Sequence[Row]) -> list[float]:
        """P(class 1) per row, as `predict_proba(matrix)[:, 1]`."""
        return [float(expit(np.dot(self.weights[row.indices], row.values) + self.intercept))
                for row in rows]

"""The learned half of the detector: a linear model over words, concepts and characters.

Why a small scikit-learn model and not another intent in DIET: it is trained from the
labelled message files alone (about 2,000 messages), in seconds, and it reads features
that carry the clinical structure: every word and concept is marked when it stands in a
negated clause ("neg:") or one told in the past ("past:"), concepts that meet in one
clause form pairs (CHEST+PAIN, FEVER+BACK), and character n-grams absorb typos. So it
learns "chest pain now" apart from "no chest pain" and "chest pain back in 2019" from
examples, not from a rule per phrase. Prediction takes well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.emergency.dataset import Example
from bot.emergency.lexicon import Lexicon
from bot.emergency.text import Reading, normalise, read

SAFETY_QUESTION = "red_flags"
CONTEXT_ONLY = "safety_yes"
# A plain answer to another question ("yes, I'm scared of getting hurt again") would
# mean something else after the safety checklist: not an example for the safety reader.
ANSWER_TO_ANOTHER_QUESTION = "triage_answer"


def features(text: str, lexicon: Lexicon, reading: Reading | None = None) -> list[str]:
    """The model's view of a message: marked words, word pairs, concepts and markers.

    `reading` is the message as `text.read` reads it, when the caller has it already.
    """
    reading = reading or read(text, lexicon.scope)
    words = [w.text for w in reading.words]
    out: list[str] = []
    for i, word in enumerate(reading.words):
        mark = reading.mark(i)
        out.append(mark + word.text)
        if i + 1 < len(words) and reading.words[i + 1].clause == word.clause:
            out.append(f"{mark}{word.text}_{words[i + 1]}")
    concepts = lexicon.clause_concepts(reading)
    for (_, mark), names in concepts.items():
        out.extend(f"{mark}C:{name}" for name in sorted(names))
        out.extend(f"{mark}CC:{a}+{b}" for a, b in combinations(sorted(names), 2))
    out.extend(_markers(reading, words, lexicon, text))
    return out


def _markers(reading: Reading, words: Sequence[str], lexicon: Lexicon, text: str) -> list[str]:
    found = []
    if "?" in text or lexicon.asking.in_(words):
        found.append("M:asking")
    if reading.now_clauses:
        found.append("M:now")
    if reading.past_clauses:
        found.append("M:past")
    if any(w.negated for w in reading.words):
        found.append("M:negation")
    if len(words) <= 3:
        found.append("M:short")
    return found


def _identity(items: list[str]) -> list[str]:
    return items


@dataclass
class UrgencyModel:
    """Shared vectorizers and three logistic regressions over their joined features.

    `urgency` reads any message on its own: emergency or not. `self_harm` tells the two
    kinds of emergency apart (trained on emergencies only), so that deciding *whether*
    is not diluted by *which*. `safety` reads answers to the safety checklist ("do you
    have any of these right now?"), where a bare "yeah" or "the second one" is a red
    flag: it learns from those answers and from every message that is not a plain answer
    to another question, so "yes" is alarming there and nowhere else.
    """

    lexicon_vectorizer: TfidfVectorizer
    char_vectorizer: TfidfVectorizer
    urgency: LogisticRegression
    self_harm: LogisticRegression
    safety: LogisticRegression

    @classmethod
    def train(
        cls, examples: Sequence[Example], lexicon: Lexicon, settings: dict[str, Any]
    ) -> UrgencyModel:
        """Fit on labelled examples; context-only answers train the safety reader alone."""
        low, high = settings["char_ngrams"]
        model = cls(
            TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high), sublinear_tf=True,
                            min_df=2, max_features=60000),
            _regression(settings), _regression(settings), _regression(settings),
        )
        matrix = hstack([
            model.lexicon_vectorizer.fit_transform([features(e.text, lexicon) for e in examples]),
            model.char_vectorizer.fit_transform([normalise(e.text) for e in examples]),
        ]).tocsr()
        labels = [e.label for e in examples]
        general = [i for i, e in enumerate(examples) if e.category != CONTEXT_ONLY]
        model.urgency.fit(matrix[general], [labels[i] != "none" for i in general])
        urgent = [i for i in general if labels[i] != "none"]
        model.self_harm.fit(matrix[urgent], [labels[i] == "self_harm" for i in urgent])
        answers = [i for i, e in enumerate(examples)
                   if e.asked == SAFETY_QUESTION or e.category != ANSWER_TO_ANOTHER_QUESTION]
        model.safety.fit(matrix[answers], [labels[i] != "none" for i in answers])
        return model

    def read(
        self, text: str, lexicon: Lexicon, reading: Reading, asked: str | None = None
    ) -> Scores:
        """How likely the message is an emergency, self-harm, and a yes to the checklist."""
        matrix = hstack([
            self.lexicon_vectorizer.transform([features(text, lexicon, reading)]),
            self.char_vectorizer.transform([normalise(text)]),
        ]).tocsr()
        urgent, self_harm, said_yes = (
            float(model.predict_proba(matrix)[0][1]) if use else 0.0
            for model, use in ((self.urgency, True), (self.self_harm, True),
                               (self.safety, asked == SAFETY_QUESTION))
        )
        return Scores(urgent, self_harm, said_yes)


@dataclass(frozen=True)
class Scores:
    """P(emergency), P(self-harm | emergency), P(a red flag | answer to the checklist)."""

    urgent: float
    self_harm: float
    said_yes: float


def _regression(settings: dict[str, Any]) -> LogisticRegression:
    return LogisticRegression(C=float(settings["C"]), class_weight="balanced", max_iter=5000)

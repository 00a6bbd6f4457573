"""The learned half of the detector: a linear model over words, concepts and characters.

Why a small scikit-learn model and not another intent in DIET: it is trained from the
labelled message files alone (about 29,000 messages with the triage answers and NLU
examples), in about half a minute, and it reads features that carry the clinical
structure: every word and concept is marked when it stands in a negated clause ("neg:")
or one told in the past ("past:"), concepts that meet in one clause form pairs
(CHEST+PAIN, FEVER+BACK), and character n-grams absorb typos. So it learns "chest pain
now" apart from "no chest pain" and "chest pain back in 2019" from examples, not from a
rule per phrase. Prediction takes well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from typing import Any

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.core.emergency.dataset import NLU_EXAMPLE, SAFETY_QUESTION, Example
from bot.core.emergency.lexicon import Lexicon
from bot.core.emergency.linear import Logistic, Tfidf, side_by_side
from bot.core.emergency.text import Reading, joined, read, tokens

CONTEXT_ONLY = "safety_yes"
# A plain answer to another question ("yes, I'm scared of getting hurt again") would
# mean something else after the safety checklist: not an example for the safety reader.
ANSWER_TO_ANOTHER_QUESTION = "triage_answer"
# Nor is a question about the programs: without a "yes" among them (bare yeses are left
# out), they taught the safety reader that "yes I read the list, none apply" is a yes.
# NLU examples of the intents that steer the chat (the model setting
# `safety_reader_intents`: stop, why, a person) are read, as any question can get them.
NOT_FOR_THE_SAFETY_READER = frozenset({ANSWER_TO_ANOTHER_QUESTION, NLU_EXAMPLE})


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
    to another question, so "yes" is alarming there and nowhere else. `in_context` reads a
    message as the answer to a given triage question (its words also paired with the
    question), learnt from every answer of the data: "I've got nothing lined up, don't
    know what I want to do" is an ordinary answer about a job to go back to.
    """

    lexicon_vectorizer: TfidfVectorizer
    char_vectorizer: TfidfVectorizer
    context_vectorizer: TfidfVectorizer
    urgency: LogisticRegression
    self_harm: LogisticRegression
    safety: LogisticRegression
    in_context: LogisticRegression

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
            TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1),
            _regression(settings), _regression(settings), _regression(settings),
            _regression(settings, settings.get("in_context_class_weight", "balanced")),
        )
        read = [features(e.text, lexicon) for e in examples]
        matrix = hstack([
            model.lexicon_vectorizer.fit_transform(read),
            model.char_vectorizer.fit_transform([_spelled(e.text, lexicon) for e in examples]),
        ]).tocsr()
        labels = [e.label for e in examples]
        general = [i for i, e in enumerate(examples) if e.category != CONTEXT_ONLY]
        model.urgency.fit(matrix[general], [labels[i] != "none" for i in general])
        urgent = [i for i in general if labels[i] != "none"]
        model.self_harm.fit(matrix[urgent], [labels[i] == "self_harm" for i in urgent])
        steering = frozenset(settings.get("safety_reader_intents", ()))
        answers = [i for i, e in enumerate(examples)
                   if e.asked == SAFETY_QUESTION or e.intent.split("/")[0] in steering
                   or e.category not in NOT_FOR_THE_SAFETY_READER]
        model.safety.fit(matrix[answers], [labels[i] != "none" for i in answers])
        asked = [i for i in general if examples[i].asked not in (None, SAFETY_QUESTION)]
        paired = model.context_vectorizer.fit_transform(
            [_paired(read[i], examples[i].asked) for i in asked])
        model.in_context.fit(hstack([matrix[asked], paired]).tocsr(),
                             [labels[i] != "none" for i in asked])
        return model

    def read(
        self, text: str, lexicon: Lexicon, reading: Reading, asked: str | None = None
    ) -> Scores:
        """How likely the message is an emergency, self-harm, and a yes to the checklist."""
        return self.read_all([text], lexicon, [reading], asked)[0]

    def read_all(
        self, texts: Sequence[str], lexicon: Lexicon, readings: Sequence[Reading],
        asked: str | None = None,
    ) -> list[Scores]:
        """`read` for several messages in one pass (the parts of one message)."""
        fitted = self._fitted
        read = [features(t, lexicon, r) for t, r in zip(texts, readings, strict=True)]
        rows = side_by_side(
            [fitted.lexicon.rows(read), fitted.chars.rows([_spelled(t, lexicon) for t in texts])],
            [fitted.lexicon.width, fitted.chars.width])
        urgent, self_harm = fitted.urgency.probability(rows), fitted.self_harm.probability(rows)
        said_yes = (fitted.safety.probability(rows) if asked == SAFETY_QUESTION
                    else [0.0] * len(texts))
        in_context: list[float | None] = [None] * len(texts)
        if asked not in (None, SAFETY_QUESTION):
            paired = fitted.context.rows([_paired(f, asked) for f in read])
            in_context = list(fitted.in_context.probability(side_by_side(
                [rows, paired], [fitted.lexicon.width + fitted.chars.width, fitted.context.width])))
        return [Scores(u, h, float(y), c)
                for u, h, y, c in zip(urgent, self_harm, said_yes, in_context, strict=True)]

    @cached_property
    def _fitted(self) -> _Fitted:
        """The fitted parts as `linear` replays them, made once per loaded model."""
        return _Fitted(
            Tfidf.of(self.lexicon_vectorizer), Tfidf.of(self.char_vectorizer),
            Tfidf.of(self.context_vectorizer), Logistic.of(self.urgency),
            Logistic.of(self.self_harm), Logistic.of(self.safety), Logistic.of(self.in_context))

    def __getstate__(self) -> dict[str, Any]:
        """Store the fitted scikit-learn parts only: the replay is made again on load."""
        state = dict(self.__dict__)
        state.pop("_fitted", None)
        return state


@dataclass(frozen=True)
class _Fitted:
    """The fitted vectorizers and models as `linear` replays them (fast to call)."""

    lexicon: Tfidf
    chars: Tfidf
    context: Tfidf
    urgency: Logistic
    self_harm: Logistic
    safety: Logistic
    in_context: Logistic


def _spelled(text: str, lexicon: Lexicon) -> str:
    """The text the character n-grams read: its tokens in their one form, spaced one way.

    "no, bladder" and "no , bladder" are one message; read as typed, their n-grams
    differ enough to move an answer across the ask threshold. "cant" and "unable to"
    are read as the "can't" that the words are read as.
    """
    return joined(lexicon.scope.canon.rewrite(tokens(text)))


def _paired(read: list[str], asked: str) -> list[str]:
    """The message's features paired with the question it answers."""
    return [f"Q:{asked}", *(f"{asked}|{f}" for f in read)]


@dataclass(frozen=True)
class Scores:
    """The model's probabilities for one message.

    P(emergency), P(self-harm | emergency), P(a red flag | an answer to the checklist),
    and P(emergency | the question it answers) when a triage question was asked.
    """

    urgent: float
    self_harm: float
    said_yes: float
    in_context: float | None = None


def _regression(
    settings: dict[str, Any], class_weight: str | None = "balanced"
) -> LogisticRegression:
    return LogisticRegression(C=float(settings["C"]), class_weight=class_weight, max_iter=5000)

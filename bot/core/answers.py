"""What a patient's reply means as an answer to the triage question just asked.

Yes, no, not sure, or something else (a question back, a digression, a request to stop),
learnt from labelled answers (`data/answers/train/`), not from prefix lists: "I am still
in a sling" is a no to "has your doctor cleared you?", "right, no" is a no, and a long
story about fear and bad sleep is a yes to "is anything weighing on you?". Each question
has its own logistic regression over the words as the emergency reader marks them
(negated, past), the first words of the answer, and character n-grams. The job's demand
level and the time since the injury keep their own readers (`bot.core.extract`,
`bot.core.durations`); this model only says whether such an answer is unsure or not an
answer at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import joblib
import yaml
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.core.emergency import text
from bot.core.emergency.dataset import MEDICAL_CHECK, SELF_HARM_CHECK, yaml_files
from bot.core.emergency.lexicon import LEXICON_FILE, load_lexicon
from bot.core.emergency.text import normalise, read, tokens
from bot.core.fingerprint import fingerprint, is_current, mark_current, require_current
from bot.settings import ROOT

TRAINING_DIR = ROOT / "data" / "answers" / "train"
MODEL_DIR = ROOT / "models" / "answers"
_MODEL_FILE = "model.joblib"
MIN_CONFIDENCE = 0.5
"""Below this probability for its best reading, a reply counts as not understood."""
SHORT_REPLY_WORDS = 4
"""Replies this short ("yeah i can") teach every yes/no question, not only their own."""
OWN_SHORT_REPLIES = frozenset({MEDICAL_CHECK, SELF_HARM_CHECK})
"""Questions whose short replies mean something of their own, taught to no other.

"not right now" denies a red flag but not thoughts of suicide, which come and go, nor a
sign that came this morning and passed.
"""


class Answer(StrEnum):
    """What a reply says about the question asked."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    OTHER = "other"


@dataclass(frozen=True)
class LabelledAnswer:
    """One reply to one question, with what it means (a level or weeks for two of them)."""

    question: str
    text: str
    label: str

    @property
    def kind(self) -> Answer:
        """The label as yes / no / unsure / other (a level or a number counts as yes)."""
        return Answer(self.label) if self.label in set(Answer) else Answer.YES


def load_answers(paths: Iterable[Path]) -> list[LabelledAnswer]:
    """Every labelled answer in the given files and folders."""
    return [
        LabelledAnswer(str(item["question"]), str(item["text"]), str(item["label"]))
        for file in yaml_files(paths)
        for item in yaml.safe_load(file.read_text(encoding="utf-8"))["answers"]
    ]


def features(text: str) -> list[str]:
    """Marked words and word pairs, the first words, and markers of form and length.

    The first words are taken as typed: the reading drops a negation such as the "no" of
    "no ma'am" or "no, i'm really not" (it marks what follows), and that "no" is most of
    what such a reply says. A pair is marked denied when either word is: "he hasnt
    cleared me" pairs "he" with a denied "cleared" (a blind hand trial, stop 57).
    """
    scope = load_lexicon().scope
    reading = read(text, scope)
    words = [w.text for w in reading.words]
    plain: list[str] = []
    for i, word in enumerate(reading.words):
        mark = "neg:" if word.negated else ""
        plain.append(mark + word.text)
        if i + 1 < len(words) and reading.words[i + 1].clause == word.clause:
            denied = "neg:" if word.negated or reading.words[i + 1].negated else ""
            plain.append(f"{denied}{word.text}_{words[i + 1]}")
    typed = [w for w in scope.canon.rewrite(tokens(text)) if w.isalnum() or "'" in w]
    starts = [f"FIRST:{typed[0]}", f"FIRST2:{'_'.join(typed[:2])}"] if typed else []
    markers = ["M:question" if "?" in text else "M:statement",
               f"M:length_{min(len(words), 12) // 4}"]
    return [*plain, *starts, *markers]


def _identity(items: list[str]) -> list[str]:
    return items


@dataclass
class QuestionModel:
    """One question's reader: word features and character n-grams, a logistic regression."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    classifier: LogisticRegression

    @classmethod
    def train(cls, answers: Sequence[LabelledAnswer]) -> QuestionModel:
        """Fit on labelled replies to one question."""
        model = cls(
            TfidfVectorizer(analyzer=_identity, sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                            min_df=2),
            LogisticRegression(C=10.0, max_iter=5000, class_weight="balanced"),
        )
        matrix = hstack([
            model.words.fit_transform([features(a.text) for a in answers]),
            model.chars.fit_transform([normalise(a.text) for a in answers]),
        ]).tocsr()
        model.classifier.fit(matrix, [a.kind.value for a in answers])
        return model

    def weigh(self, text: str) -> tuple[Answer, float]:
        """The most likely meaning of `text`, and its probability (see `AnswerModel.weigh`)."""
        found = features(text)
        if not any(f in self.words.vocabulary_ for f in found if _is_word(f)):
            return Answer.OTHER, 0.0
        matrix = hstack([self.words.transform([found]),
                         self.chars.transform([normalise(text)])]).tocsr()
        probabilities = self.classifier.predict_proba(matrix)[0]
        best = int(probabilities.argmax())
        if probabilities[best] < MIN_CONFIDENCE:
            return Answer.OTHER, float(probabilities[best])
        return Answer(self.classifier.classes_[best]), float(probabilities[best])


@dataclass
class AnswerModel:
    """A reader per question, so what one question's replies mean stays with it.

    Naming the job answers "is there a job to go back to?" with yes, and "can you do
    that job now?" with nothing: one model shared by all questions carried the first
    into the second.
    """

    by_question: dict[str, QuestionModel]
    general: QuestionModel
    """For a question with no labelled replies of its own ("could you do 4 hours?")."""

    @classmethod
    def train(cls, answers: Sequence[LabelledAnswer]) -> AnswerModel:
        """Fit one reader per question on its replies, plus the short yes and no of the others.

        "yeah i can" or "not at this time" mean the same to every yes/no question; what a
        longer reply means, and what is not an answer, belongs to its own question.
        """
        questions = sorted({a.question for a in answers})
        yes_no = {q for q in questions if q not in OWN_SHORT_REPLIES
                  and all(a.label in set(Answer) for a in answers if a.question == q)}
        shared = [a for a in answers if a.question in yes_no and a.kind is not Answer.OTHER
                  and len(a.text.split()) <= SHORT_REPLY_WORDS]
        return cls({q: QuestionModel.train(
            [a for a in answers if a.question == q]
            + ([a for a in shared if a.question != q] if q in yes_no else []))
            for q in questions}, QuestionModel.train(shared))

    def read(self, question: str, text: str) -> Answer:
        """The most likely meaning of `text` as an answer to `question`."""
        return self.weigh(question, text)[0]

    def weigh(self, question: str, text: str) -> tuple[Answer, float]:
        """The most likely meaning of `text` as an answer to `question`, and its probability.

        A reply with no word the model has seen ("🤷", "purple"), or with no clear
        reading, is `other`: asked again (at most twice) rather than guessed, since a
        short unknown reply otherwise takes the most common answer to the question.
        """
        return self.by_question.get(question, self.general).weigh(text)


def _is_word(feature: str) -> bool:
    """A word, word pair or first words of the reply, not a marker of form or length."""
    return not feature.startswith("M:")


def _stamp() -> str:
    """The reader's sources: its replies, this file, and how a reply is read into words.

    The lexicon and `emergency/text.py` shape every feature (a word rewritten, a negation
    marked): left out, a machine kept a reader trained before a lexicon change while a
    fresh clone trained another, and the two read a reply either side of 0.5 (stop 62).
    """
    return fingerprint(ROOT, (TRAINING_DIR, Path(__file__), LEXICON_FILE, Path(text.__file__)),
                       extra=[version("scikit-learn")])


def ensure_answer_model(out_dir: Path = MODEL_DIR) -> bool:
    """Train and store the model unless one from the same sources is there; True if built."""
    stamp = _stamp()
    if is_current(out_dir, stamp):
        return False
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(AnswerModel.train(load_answers([TRAINING_DIR])), out_dir / _MODEL_FILE)
    mark_current(out_dir, stamp)
    return True


@cache
def load_answer_model(model_dir: Path = MODEL_DIR) -> AnswerModel:
    """The stored model (once per process); refuses one built from other sources."""
    require_current(model_dir, _stamp(), "answer model")
    model: Any = joblib.load(model_dir / _MODEL_FILE)
    return model

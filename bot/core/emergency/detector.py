"""Is this message an emergency? Medical (911), self-harm (988), or neither; sure or not.

Three parts, all reading the same clause, negation and time marks (`text.py`):
- phrases that mean an emergency whatever else is said ("kill myself", "can't breathe");
- the model (`model.py`), trained from the labelled message files;
- red flags made of two concepts in one clause ("my butt is asleep"), for when the
  model doubts them.
Phrases and concepts count only when said of now: not negated, not told in the past, not
asked about. A possible but unclear emergency is `sure=False`: the assistant still shows
911/988 and asks one direct question. The question the assistant had just asked matters
twice: after the safety checklist, "yes" means a red flag now; and an unclear alarm on an
answer to another question is weighed again by a model that knows the question ("nothing
lined up, don't know what I want to do" answers "is there a job to go back to?"),
unless it names a two-concept red flag. A sign told before a question about the programs
(or before a question later in its sentence) is read again without the question, whose
words weigh against an emergency; a sign told in one part of a long message, of now
(a time of now, or the present tense), is read alone too, since the rest dilutes it. A
new injury and a leg that bears no weight are a red flag wherever in the message each is
told (`injury.py`); so are a death and a wish, said of now, to join the one who died.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, NamedTuple

from bot.core.emergency.dataset import SAFETY_QUESTION
from bot.core.emergency.lexicon import Lexicon
from bot.core.emergency.model import Scores, UrgencyModel
from bot.core.emergency.text import (
    MAX_TOKENS,
    YEAR,
    Phrase,
    PhraseSet,
    Reading,
    after_a_leading_yes,
    in_the_present,
    read,
    takes_back,
    tokens,
    told_after_a_bare_no,
    told_as_over,
)
from bot.core.questions import asks_a_question, asks_about_the_programs, sentences


class Kind(StrEnum):
    """What the message needs."""

    NONE = "none"
    MEDICAL = "medical"
    SELF_HARM = "self_harm"


@dataclass(frozen=True)
class Assessment:
    """The verdict on one message, with what it rests on (for logs and staff)."""

    kind: Kind
    sure: bool = True
    probability: float = 0.0
    phrase: str = ""

    @property
    def urgent(self) -> bool:
        """Whether emergency advice is due."""
        return self.kind is not Kind.NONE

    @property
    def certain(self) -> bool:
        """Whether a phrase that is an emergency on its own decided it ("can't breathe")."""
        return self.urgent and self.sure and bool(self.phrase)


NOT_URGENT = Assessment(Kind.NONE)


@dataclass(frozen=True)
class Thresholds:
    """Probability of an emergency at which to ask (with the numbers shown) and to advise.

    `in_context_below`: only a reading under it may be cleared by the reader in context.
    `read_alone`: a part of a message read alone (a sentence, what one tells before its
    question, or what is told after a first question) must reach it.
    """

    ask: float
    sure: float
    in_context_below: float = 0.5
    read_alone: float = 0.9

    @classmethod
    def from_settings(cls, raw: dict[str, Any]) -> Thresholds:
        """Read the `decision` section of the lexicon file."""
        return cls(ask=float(raw["ask"]), sure=float(raw["sure"]),
                   in_context_below=float(raw["in_context_below"]),
                   read_alone=float(raw["read_alone"]))


class Detector:
    """Combines the phrases, the model and the two-concept red flags into one verdict."""

    def __init__(self, lexicon: Lexicon, model: UrgencyModel, thresholds: Thresholds) -> None:
        """Use a loaded lexicon and a trained model."""
        self.lexicon = lexicon
        self.model = model
        self.thresholds = thresholds

    def assess(self, text: str, asked: str | None = None) -> Assessment:
        """The verdict on `text`; `asked` is the triage question it answers, if any.

        After a leading "no, but" ("no, but my legs are numb"), the rest is read on its
        own too: the "no" answers the question, it does not deny what comes next. After
        the safety checklist, an item picked by its place ("la tercera") and a leading
        yes that nothing after it takes back ("yes, why
        do you ask?", "sí, quiero hablar con una persona") is at least a possible red
        flag: the numbers are shown and the patient asked whether it is happening now.
        One that is taken back ("yes none", "sí, ninguna de esas", "yes i read them, i
        dont have any") is read by what takes it back, but not one that names a sign of
        now right after the yes ("si, la de no poder respirar bien, desde la cena me
        cuesta mucho jalar aire […] y yo no tengo asma"), unless a phrase that is an
        emergency on its own decided the whole reply, or the reply picks an item ("yes
        the third one, not the others"): the models' reading of the whole leans on its
        "yes", sure or not.
        """
        verdict = self._assess(text, asked)
        scope = self.lexicon.scope
        rest = after_a_leading_yes(text, scope) if asked == SAFETY_QUESTION else None
        if rest is not None and takes_back(rest, scope) \
                and not self.lexicon.names_a_sign(read(rest.split(",")[0], scope)):
            if verdict.urgent and not verdict.certain:
                taken = self._assess(rest, asked)
                if not taken.urgent and not self._picks_an_item(text):
                    return taken
            return verdict
        if verdict.urgent:
            return verdict
        told = told_after_a_bare_no(text, scope)
        if told is not None:
            verdict = max(verdict, self._assess(told, asked), key=lambda a: a.urgent)
        picked = asked == SAFETY_QUESTION and self._picks_an_item(text)
        if (rest is not None or picked) and not verdict.urgent:
            return Assessment(Kind.MEDICAL, sure=False, probability=self.thresholds.ask)
        for part in (text, told):
            if not verdict.urgent and part:
                verdict = self._told_before_asking(part, asked) or verdict
        if not verdict.urgent:  # "what number do i call, i took all my pills"
            verdict = self._told_after_asking(text, asked) or verdict
        if not verdict.urgent:
            verdict = self._told_in_a_part(text, asked) or verdict
        return verdict

    def _told_in_a_part(self, text: str, asked: str | None) -> Assessment | None:
        """A sign told in one part of a longer message, read alone.

        The model reads a message as a whole, and a long story of the injury dilutes a red
        flag told in one of its parts ("hi so im a cna, hurt my back in feb, […]. anyway
        since last night my legs keep giving way and its numb where you sit on a bike
        seat"; "…my case manager said something about work conditioning, and this morning
        i slipped and hit my head on the counter, threw up twice and i feel super sleepy,
        anyway do i need a referral?"). Each sentence that asks nothing, and what a
        sentence that asks tells before its question (`_parts`), is read alone, and only a
        very sure reading (`read_alone`: a short part read alone runs high) counts, as a
        possible emergency: the numbers are shown and the patient asked. So does a rule's
        finding of now (a phrase that is an emergency on its own, two concepts of a red
        flag; not one in the past, anchored at the injury: "i lost control of my bladder
        after the accident. i'm fine now") in what a sentence tells before it asks: the
        rules read nothing of now in a sentence that asks ("my dad is unconscious, should
        i call 911?"), and a finding does not run high with length. Not in a sentence that
        asks nothing, whose findings the whole already weighed: a story told in the
        present ("…i go down on my back, my whole left side goes numb, […] the feeling
        came back before the ambulance even showed"). Alone, a part loses the
        time and the explanations of the rest ("i fell in march. i hit my head. im fine
        now"), so it counts only when it says the sign is here now itself (a time of now,
        or the present tense: `in_the_present`) or holds a phrase that is an emergency on
        its own; and it is read as self-harm
        only when it names a warning sign of suicide ("my legs gave out." alone leans to
        self-harm). A part that supposes ("if my legs give out tonight, should i go to the
        er") is left out, as the whole is read. All the parts are read in one pass of the
        model.
        """
        parts = [part for part in _parts(text, self._asks_or_cries)
                 if not self.asks_what_counts(part.text)]
        if not parts or [part.text for part in parts] == [_ended(text.strip())]:
            return None
        scope = self.lexicon.scope
        readings = [read(part.text, scope) for part in parts]
        kept = [(part, reading) for part, reading in zip(parts, readings, strict=True)
                if self._said_now_alone(part, reading)]
        if not kept:
            return None
        scores = self.model.read_all([part.text for part, _ in kept], self.lexicon,
                                     [reading for _, reading in kept], asked)
        for (part, reading), score in zip(kept, scores, strict=True):
            again = self._assess(part.text, asked, reading, score)
            if not again.urgent or (again.probability < self.thresholds.read_alone and not (
                    asks_a_question(part.sentence) and self._rule_of_now(reading))):
                continue
            kind = again.kind if again.kind is Kind.MEDICAL or again.phrase \
                or self.lexicon.names_self_harm(reading) else Kind.MEDICAL
            return Assessment(kind, sure=False, probability=again.probability,
                              phrase=again.phrase)
        return None

    def _asks_or_cries(self, clause: str) -> bool:
        """Whether a clause asks, or cries for help ("debo llamar al 911 o ir a urgencias")."""
        words = self.lexicon.scope.canon.rewrite(tokens(clause))
        return asks_a_question(clause) or self.lexicon.asks_what_to_do(words)

    def _rule_of_now(self, reading: Reading) -> bool:
        """Whether a phrase that is an emergency on its own, or a combination, is of now."""
        of_now = self._said_of_now(reading)
        return self.certain_phrase(reading, of_now) is not None \
            or self.lexicon.combination(reading, of_now) is not None

    def _said_now_alone(self, part: _Part, reading: Reading) -> bool:
        """Whether a part read alone says something of now, not told as over after it.

        A time of now, the present tense (`in_the_present`: not with a time of the past
        later in its sentence, "…one side of my body is weaker, its been that way for 10
        years"), or a phrase that is an emergency on its own; and not told as over later
        in its sentence ("…when i woke up, pins and needles for 10 min then back to
        normal"), nor after a supposition in its sentence; a phrase in a run cut from a
        sentence told in the past keeps that past. Checked before the model reads the
        parts: most parts of a long story are told in the past, and reading them would
        cost time for nothing.
        """
        scope = self.lexicon.scope
        after = read(part.after, scope)
        if told_as_over(after, scope) \
                or self.asks_what_counts(f"{part.before}, {part.text}".lstrip(", ")):
            return False  # "…then back to normal", "in case … my legs give way"
        present = in_the_present(reading, scope) and not after.past_clauses
        if reading.now_clauses or present:
            return True
        if part.cut:  # "2 yrs ago at the lumber yard […], i coughed up blood for days"
            whole = read(part.sentence, scope)
            if whole.past_clauses and not whole.now_clauses:
                return False
        return self.certain_phrase(reading, self._said_of_now(reading)) is not None \
            or self._anchored_phrase(reading) is not None

    def _told_after_asking(self, text: str, asked: str | None) -> Assessment | None:
        """A sign told after a first question, read without the question.

        A question about help ("what number do i call, i took all my pills", "cual es el
        numero de la linea de crisis, me quiero matar") weighs against an emergency: the
        detector learnt such questions as ordinary talk. What follows the question (after
        its "?" or its first comma) is read alone, and only a very sure reading of it that
        asks nothing itself counts (`read_alone`: a short part read alone runs
        high), as a possible emergency: the numbers are shown and the patient asked.
        """
        first, *later = sentences(text)
        if not asks_a_question(first):
            return None
        _, comma, rest = first.partition(",")
        told = " ".join(_ended(part) for part in [rest.strip(), *later] if part.strip()) \
            if comma else " ".join(_ended(part) for part in later)
        if not told or asks_a_question(told):
            return None
        again = self._assess(told, asked)
        if again.probability < self.thresholds.read_alone or not again.urgent:
            return None
        return Assessment(again.kind, sure=False, probability=again.probability,
                          phrase=again.phrase)

    def _told_before_asking(self, text: str, asked: str | None) -> Assessment | None:
        """A sign told before a later question, read without it.

        The words of a question about the programs weigh against an emergency ("my chest
        is tight all day. how much does the program cost" reads as no emergency, the sign
        alone as a sure one). Read without its later sentences that ask about the
        programs or a practical matter, a sure reading is at least a possible emergency:
        the numbers are shown and the patient asked. Only those sentences are left out,
        not one that explains the sign ("could be the new gym routine"), and only a sure
        reading counts: alone, what is told loses the question that made it a remark. The
        first sentence is always kept, even a question ("is it bad if my chest is tight
        all day?"), since it is what the patient wrote first about themselves; of a later
        one that asks, what it tells before its last comma is kept ("ya no quiero vivir,
        puedo empezar?").
        """
        first, *later = sentences(text)
        told = [part for sentence in later for part in _told_part(sentence)]
        if told == later:
            return None
        again = self._assess(" ".join(_ended(part) for part in [first, *told]), asked)
        if again.probability < self.thresholds.sure or not again.urgent:
            return None
        return Assessment(again.kind, sure=False, probability=again.probability,
                          phrase=again.phrase)

    def _picks_an_item(self, text: str) -> bool:
        """Whether the reply picks a checklist item by its place, of now and not denied."""
        reading = read(text, self.lexicon.scope)
        found = _first_of_now(self.lexicon.checklist_picks, reading, self._said_of_now(reading))
        return found is not None

    def _assess(
        self, text: str, asked: str | None, reading: Reading | None = None,
        scores: Scores | None = None,
    ) -> Assessment:
        """The verdict on one reading, of the kind its words name (`_kind`).

        `reading` and `scores` are the text's own, when the caller has them already.
        """
        reading = read(text, self.lexicon.scope) if reading is None else reading
        verdict = self._weigh(text, reading, asked, scores)
        anchored = None if verdict.urgent else self._anchored_phrase(reading)
        if anchored is not None:
            kind, words = anchored
            return Assessment(kind, sure=False, probability=verdict.probability, phrase=words)
        return replace(verdict, kind=self._kind(verdict, reading))

    def _kind(self, verdict: Assessment, reading: Reading) -> Kind:
        """Which advice an alarm needs, where its words say whose danger it is.

        The kind reader leans to self-harm when nothing pulls it to the body ("my mom is
        not waking up" read as self-harm, 0.99). A sign of the body caused on purpose is
        self-harm, and so is a medical reading that names nothing but warning signs of
        suicide, or a wish to join someone who died and no sign of the body ("since he
        passed i cant wait to join him"). A self-harm reading that tells of another
        person's body in danger now and names no warning sign of suicide is medical ("mi
        esposo se desplomó, que hago" got the 988 reply and its question about ending
        one's life).
        """
        if not verdict.urgent:
            return verdict.kind
        of_now = self._said_of_now(reading)
        if verdict.kind is Kind.MEDICAL and (self.lexicon.done_on_purpose(reading) or (
                not verdict.phrase and (self.lexicon.names_only_self_harm(reading, of_now) or (
                    self._wish_to_join(reading) and not self.lexicon.names_a_sign(reading))))):
            return Kind.SELF_HARM
        if verdict.kind is Kind.SELF_HARM and not verdict.phrase \
                and not self.lexicon.names_self_harm(reading) \
                and self.lexicon.tells_of_another(reading, of_now):
            return Kind.MEDICAL
        return verdict.kind

    def _weigh(
        self, text: str, reading: Reading, asked: str | None, scores: Scores | None
    ) -> Assessment:
        of_now = self._said_of_now(reading)
        phrase = self.certain_phrase(reading, of_now)
        if phrase is not None:
            kind, words = phrase
            return Assessment(kind, sure=True, probability=1.0, phrase=words)
        if scores is None:
            scores = self.model.read(text, self.lexicon, reading, asked)
        self_harm = scores.self_harm >= 0.5 and not self.lexicon.self_harm_denied(reading)
        kind = Kind.SELF_HARM if self_harm else Kind.MEDICAL
        probability = scores.urgent
        if scores.said_yes > max(scores.urgent, self.thresholds.ask):
            if scores.urgent < self.thresholds.sure or not self.lexicon.names_self_harm(reading):
                kind = Kind.MEDICAL  # the checklist names signs of the body only
            probability = scores.said_yes
        sure = probability >= self.thresholds.sure
        if probability >= max(self.thresholds.ask, self.thresholds.in_context_below):
            return Assessment(kind, sure=sure, probability=probability)  # no rule can change it
        combination = self.lexicon.combination(reading, of_now) or self._new_injury(text) \
            or self._wish_to_join(reading)
        if self.thresholds.ask <= probability < self.thresholds.in_context_below \
                and not combination \
                and scores.in_context is not None and scores.in_context < self.thresholds.ask:
            return Assessment(Kind.NONE, probability=scores.in_context)
        if probability >= self.thresholds.ask:
            return Assessment(kind, sure=sure, probability=probability)
        if combination:
            kind_name, concepts = combination
            return Assessment(Kind(kind_name), sure=False, probability=probability,
                              phrase=concepts)
        return Assessment(Kind.NONE, probability=probability)

    def asks_what_counts(self, text: str) -> bool:
        """Whether the message asks what counts or supposes ("if both legs go numb is that 911").

        The lexicon's marks (`asking`, and a first word such as "if" or "si"), which
        also keep the certain phrases from firing in such a question.
        """
        words = self.lexicon.scope.canon.rewrite(tokens(text)[:MAX_TOKENS])
        return bool(words) and (words[0] in self.lexicon.new_injury.hypothetical
                                or self.lexicon.asking.in_(words))

    def _new_injury(self, text: str) -> tuple[str, str] | None:
        """A new injury and a leg that bears no weight, told anywhere in the message."""
        scope = self.lexicon.scope
        lines = [word for line in text.splitlines() for word in [*tokens(line), "."]]
        words = lines[:MAX_TOKENS]
        told = self.lexicon.new_injury.told(scope.canon.rewrite(words), scope,
                                            self.lexicon.asking)
        return ("medical", "NEW_INJURY+NO_WEIGHT") if told else None

    def _anchored_phrase(self, reading: Reading) -> tuple[Kind, str] | None:
        """A red flag whose only mark of the past places it at the injury's time.

        Read only when nothing else made the message an emergency, so that it never turns a
        sure reading into an unsure one. A phrase that is an emergency on its own or two
        concepts said together: "i lost control of my bladder after the accident" may
        still be so: it is asked
        about. Not when a year or a contrast tells what became of it ("i was suicidal for
        a while after the accident but not anymore").
        """
        words = [w.text for w in reading.words]
        anchored = self.lexicon.anchors.covered(words)
        if not anchored or self.lexicon.scope.past.covered(words) - anchored or any(
                YEAR.fullmatch(w) or w in self.lexicon.scope.contrasts for w in words):
            return None
        told = self._said_of_now(reading, past=True)
        combination = self.lexicon.combination(reading, told, past=True)
        if combination is not None:
            return Kind(combination[0]), combination[1]
        return self.certain_phrase(reading, told, past=True)

    def _wish_to_join(self, reading: Reading) -> tuple[str, str] | None:
        """A wish to join someone who died, said of now though the death is past."""
        if self.lexicon.wish_to_join(reading, self._said_of_now(reading, past=True)):
            return "self_harm", "DEATH+REUNION"
        return None

    def _said_of_now(self, reading: Reading, past: bool = False) -> Callable[[int], bool]:
        """Which words (by position) are said of now.

        Not those in a question about what counts ("what if I can't breathe?"; a cry for
        help is none: "what do i do my wife is unconscious"), and none
        in a story told only in the past ("I coughed up blood back then, my lungs are
        fine"), whatever clause they are in, unless `past` lets such a story count.
        """
        past_only = not past and bool(reading.past_clauses and not reading.now_clauses)
        by_sentence: dict[int, list[str]] = {}
        for word in reading.words:
            by_sentence.setdefault(word.sentence, []).append(word.text)
        asking = {n for n, words in by_sentence.items()
                  if (n in reading.questions or self.lexicon.asking.in_(words))
                  and not self.lexicon.asks_what_to_do(words)}
        return lambda at: not past_only and reading.words[at].sentence not in asking

    def certain_phrase(
        self, reading: Reading, of_now: Callable[[int], bool], past: bool = False
    ) -> tuple[Kind, str] | None:
        """A phrase that is an emergency on its own, said of now, not denied or asked about.

        `past`: told in a clause marked as past counts too.
        """
        for kind, phrases in self.lexicon.certain.items():
            phrase = _first_of_now(phrases, reading, of_now, past)
            if phrase is not None:
                return Kind(kind), " ".join(phrase)
        return None


PART_WORDS = 30
"""The most words of a part read alone (`_parts`). The judges' red flags diluted in a long
message were told in 30 words or fewer, beside a time of now or in the present tense."""


class _Part(NamedTuple):
    """A part of a message read alone, its sentence, and what that tells after it."""

    text: str
    sentence: str
    before: str
    after: str

    @property
    def cut(self) -> bool:
        """Whether the part is a run of clauses cut from its sentence."""
        return bool(self.before or self.after)


def _parts(text: str, asks: Callable[[str], bool]) -> list[_Part]:
    """The parts of a message read alone: its sentences, in runs of clauses if long.

    A sentence that asks nothing is read in runs of its clauses of up to `PART_WORDS`
    words ("…im on light duty doing inventory which is boring but fine, and about an
    hour into my shift everything on my right side went numb […] and i cant see the right
    half of stuff, the guys made me sit down"); of one that asks ("…and this morning i
    slipped and hit my head on the counter, threw up twice and i feel super sleepy,
    anyway do i need a referral?"), the clauses before the first one that asks. So for a
    sentence typed without "?": the clauses before the first that asks or cries for help
    (`asks`: "my chest hurts, should i call 911 or go to urgent care"). Only the first
    `MAX_TOKENS` words are read, as the whole is.
    """
    parts: list[_Part] = []
    budget = MAX_TOKENS
    for sentence in sentences(text):
        clauses = []
        for clause in sentence.split(","):
            budget -= len(tokens(clause))
            if budget < 0:
                break
            if any(c.isalnum() for c in clause):
                clauses.append(clause.strip())
        asking = next((at for at, clause in enumerate(clauses) if asks(clause)),
                      0 if asks_a_question(sentence) else None)
        runs = _runs(clauses if asking is None else clauses[:asking])
        parts += [_Part(_ended(run), sentence, ", ".join(runs[:at]), ", ".join(runs[at + 1:]))
                  for at, run in enumerate(runs)]
        if budget < 0:
            break
    return parts


def _runs(clauses: list[str]) -> list[str]:
    """Clauses joined in runs of up to `PART_WORDS` words, the last run first filled."""
    runs: list[list[str]] = []
    for clause in reversed(clauses):
        if runs and len(tokens(", ".join([clause, *runs[-1]]))) <= PART_WORDS:
            runs[-1].insert(0, clause)
        else:
            runs.append([clause])
    return [", ".join(run) for run in reversed(runs)]


def _told_part(sentence: str) -> list[str]:
    """A sentence, or what it tells before it asks, or nothing if it asks about the programs."""
    if asks_about_the_programs(sentence):
        return []
    head, comma, _ = sentence.rpartition(",")
    if comma and head.strip() and asks_a_question(sentence) and not asks_a_question(head):
        return [head.strip()]
    return [sentence]


def _ended(sentence: str) -> str:
    """A sentence with an end mark: lines typed apart stay apart when joined again."""
    return sentence if sentence.endswith((".", "!", "?", "…")) else sentence + "."


def _first_of_now(
    phrases: PhraseSet, reading: Reading, of_now: Callable[[int], bool], past: bool = False
) -> Phrase | None:
    """The first of `phrases` in the message whose every word is of now and unmarked.

    `past`: marked as told in the past counts as unmarked.
    """
    words = [w.text for w in reading.words]
    allowed = ("", "past:") if past else ("",)
    for i in range(len(words)):
        phrase = phrases.at(words, i)
        if phrase and all(of_now(j) and reading.mark(j) in allowed
                          for j in range(i, i + len(phrase))):
            return phrase
    return None

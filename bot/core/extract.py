"""Read triage facts out of what a patient types, in their own words.

Two readings of every message in the triage:
- `answer`: what it means as an answer to the question just asked (yes / no / not sure /
  not an answer, or a demand level, weeks since the injury, hours a day), from the
  learnt answer model (`bot.core.answers`), the durations reader and the job vocabulary;
- `read`: the other facts it volunteers ("I hurt my back lifting at the warehouse 3
  months ago, my doctor cleared me but I'm scared to go back" fills five slots at
  once), from cue phrases and what a clinician said (weighed by the answer model), so
  the form never asks for them.
Vocabularies live in `bot/core/patterns/triage_vocab.yml`; entities (occupations, tasks) come
from the project's spaCy pipeline. Messages are read with accents folded, so that Spanish
("el doctor me dio de alta", "cargo sacos de 25 kilos en el almacén") is read however it
is typed; Spanish jobs and tasks are the vocabulary's `job_words`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.core.answers import Answer, AnswerModel
from bot.core.durations import (
    HOURS_IN_QUESTION,
    UNKNOWN,
    a_time_ago_alone,
    hours_a_day,
    hours_said,
    weeks_since,
)
from bot.core.emergency import Detector
from bot.core.emergency.lexicon import load_lexicon
from bot.core.emergency.model import SAFETY_QUESTION
from bot.core.emergency.text import (
    Scope,
    affirmed_items,
    after_a_leading_yes,
    denied_items,
    is_bare_no,
    joined,
    negated_words,
    normalise,
    tokens,
)
from bot.core.emergency.text import takes_back as takes_back_a_yes
from bot.core.names import (
    HAS_JOB_GOAL,
    JOB_DEMAND_LEVEL,
    MEDICALLY_CLEARED,
    TOLERATES_4_HOURS,
    WEEKS_SINCE_INJURY,
)
from bot.core.questions import (
    any_of,
    asks_a_question,
    fold,
    only_asks,
    sentences,
    where_it_asks,
)
from bot.core.spacy_pipeline import PATTERNS_DIR
from bot.core.triage import DemandLevel

_LEVELS = list(DemandLevel)
_LONG_RUN = re.compile(r"(\S{40})(?=\S)")
# Numbers start a match only at their first digit and are short: linear on a run of digits.
_WEIGHT = re.compile(
    r"(?P<over>\b(?:over|more than|above|at least|mas de|arriba de|hasta mas de)\s+)?"
    r"(?:(?<![\d.])\d{1,6}\s*(?:-|to|or|a|o|y)\s*)?(?<![\d.])(?P<amount>\d{1,6}(?:\.\d{1,3})?)"
    r"(?:\s*-)?\s*(?P<unit>lbs?|pounds?|kgs?|kilos?|kilograms?|kilogramos?|libras?)\b")
_ENTITY_TABLES = {"OCCUPATION": "occupations", "JOB_TASK": "tasks"}
HOURS_FOR_WORK_HARDENING = HOURS_IN_QUESTION
SURE_NO = 0.9
"""The answer model's probability of "no" at which a doubtful yes to the checklist is unclear."""
SURE_CLEARANCE = 0.85
"""The answer model's probability at which a clinician's word, told in passing, is a clearance."""
SURE_BETWEEN_AMOUNTS = 0.6
"""The answer model's probability at which it chooses between amounts on both sides of 4 hours."""
SURE_AFTER_TAKING_BACK = 0.9
"""The answer model's probability at which the words after a take-back are the new answer."""
SURE_BESIDE = 0.8
"""The answer model's probability at which the words told beside a question are an answer:
"no worry no fear lol just my knee" 0.82 (a blind dev set of stop 61); "fine," 0.76 and
"still have a question," 0.75 to the clearance question answer nothing."""
HOURS_ALONE = 4
"""At most this many words in a reply that tells only hours a day ("about 6 hrs a day")."""
QUOTE_WORDS = 6
"""At most this many words name the question a quote is about ("to the doctor thing")."""
QUOTED_WORDS = 1
"""Words that may follow "i said no" as the answer itself ("no job"; not "no work worries")."""
NUMBERS = frozenset({WEEKS_SINCE_INJURY, TOLERATES_4_HOURS})
"""Questions answered with a number, which a hedge may end with a "?" ("i guess 5?")."""


class Reply(NamedTuple):
    """An answer's meaning, and the slot value it gives (None unless it answers)."""

    kind: Answer
    value: Any = None


@cache
def load_vocabulary(path: Path = PATTERNS_DIR / "triage_vocab.yml") -> dict[str, Any]:
    """Read the vocabulary once per process."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _LimitWords(NamedTuple):
    """The patterns `_about_the_patient` reads clauses with, compiled once per reader."""

    limits: re.Pattern[str]
    cues: re.Pattern[str]
    cannot: re.Pattern[str]
    ability: re.Pattern[str]
    me: re.Pattern[str]
    only: re.Pattern[str]
    asks: re.Pattern[str]
    places: re.Pattern[str]
    limited_work: re.Pattern[str]

    @classmethod
    def of(cls, vocab: dict[str, Any]) -> _LimitWords:
        limits, cues, cannot, ability, me, only, asks = (any_of(tuple(vocab[key])) for key in (
            "limits", "capacity_cues", "inability_cues", "ability_cues", "first_person",
            "limiting", "job_asks"))
        places = any_of(tuple(vocab["workplaces"]) + tuple(vocab["job_named"]))
        light = any_of(tuple(p for level in ("sedentary", "light")
                             for p in vocab["demand_words"][level])).pattern
        limited_work = re.compile(
            rf"{only.pattern}\s+(?:\w+\s+)?{light}|{light}\s+(?:\w+\s+)?{only.pattern}")
        return cls(limits, cues, cannot, ability, me, only, asks, places, limited_work)


class TriageReader:
    """Reads triage answers and volunteered facts from messages (parsed with spaCy)."""

    def __init__(
        self,
        nlp: Language,
        answers: AnswerModel,
        detector: Detector | None = None,
        vocab: dict[str, Any] | None = None,
    ) -> None:
        """Compile the cue phrases with the pipeline's own tokenizer."""
        self.nlp = nlp
        self.answers = answers
        self.detector = detector
        self.vocab = vocab or load_vocabulary()
        self.lexicon = load_lexicon()
        self.negation: Scope = self.lexicon.scope
        self.yes_no = self.negation.affirmations | self.negation.negation
        self.answering = self.yes_no | self.negation.inability | set(self.vocab["answer_words"])
        """Words that answer a yes/no question ("no", "not yet", "kinda", "can't")."""
        self.limit_words = _LimitWords.of(self.vocab)
        self.cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        for slot, polarities in self.vocab["cues"].items():
            for polarity, phrases in polarities.items():
                self.cues.add(f"{slot}|{polarity}", list(nlp.tokenizer.pipe(phrases)))
        self.hedges = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.hedges.add("hedge", list(nlp.tokenizer.pipe(self.vocab["hedges"])))

    def _parse(self, text: str) -> Doc:
        """The message lower-cased, accents folded and parsed, long runs without a space cut.

        spaCy's tokenizer takes quadratic time on such a run (0.3 s for 2,000 emoji),
        and no word a patient types is 40 characters long.
        """
        return self.nlp(_LONG_RUN.sub(r"\1 ", fold(text.lower())))

    def read(self, text: str, today: date | None = None) -> dict[str, Any]:
        """Facts a message volunteers, whatever was asked.

        Besides the cue phrases: what a treating clinician said, when the answer model is
        sure it tells a clearance or its lack ("my ortho said I'm good to start
        exercising"). A checklist item denied in passing ("numbness? no") never clears the
        whole checklist here: only right after it was asked (`checklist_reply`).
        """
        quote = quoted_answer(text, self.vocab)
        if quote is not None:  # "i said yes to the doctor thing but…": the quote tells nothing
            text = _plain(text)[: quote.start] + " " + quote.rest
        doc = self._parse(text)
        found: dict[str, Any] = self._cued(doc)
        said = self._clinician_said(doc) if MEDICALLY_CLEARED not in found else None
        if said:
            kind, confidence = self.answers.weigh(MEDICALLY_CLEARED, said)
            if kind in (Answer.YES, Answer.NO) and confidence >= SURE_CLEARANCE:
                found[MEDICALLY_CLEARED] = kind is Answer.YES
        level = self.demand_level(doc, asked=False)
        if level is not None:
            found[JOB_DEMAND_LEVEL] = level.value
        if _mentions_injury(doc, self.vocab) or a_time_ago_alone(text):
            weeks = weeks_since(text, today or date.today())
            if isinstance(weeks, float):
                found[WEEKS_SINCE_INJURY] = weeks
        return found

    def _yes_then_asks_back(self, text: str) -> bool:
        """Whether a reply opens with a yes and then only asks ("yes, why?", "sí, ¿por qué?")."""
        rest = after_a_leading_yes(text, self.negation)
        return rest is not None and asks_a_question(rest.split(",")[0]) \
            and all(asks_a_question(t) for t in sentences(rest)) \
            and not takes_back_a_yes(rest, self.negation)

    def acknowledges(self, text: str) -> bool:
        """Whether a reply only says it was heard ("ok", "k", "got it"): no yes to a question."""
        return " ".join(w for w in tokens(text) if w.isalnum()) in self.vocab["acknowledgements"]

    def told_before(self, texts: Sequence[str], today: date | None = None) -> dict[str, Any]:
        """Facts the patient told before the triage started, the latest winning.

        "I hurt my wrist at the bakery 6 weeks ago. What is work conditioning?" tells the
        job and the date; its question tells nothing, so sentences that ask are left out.
        """
        found: dict[str, Any] = {}
        for text in texts:
            for sentence in sentences(text):
                if sentence.strip() and not asks_a_question(sentence):
                    found.update(self.read(sentence, today))
        return found

    def answer(self, question: str, text: str, today: date | None = None,
               answered: Collection[str] = ()) -> Reply:
        """What `text` means as an answer to `question`, and the value it gives.

        A reply that takes an answer back gives its new answer after the words that do
        ("wrong button, 2 hours at most"): that part is read first when it gives a
        measure or a clear yes or no, else the whole reply ("Sí. Me equivoqué antes":
        "antes" alone is no clear answer). Never on the safety checklist, where a part must
        not clear a red flag the whole reply names. A reply that quotes the answer to another
        question, one `answered` already ("i said yes to the doctor thing but…"), does not
        answer this one; nor is a quote read on the checklist. A reply that answers and
        asks what an FAQ answers ("no, how long is the program?", "not yet, do i need a
        referral?"), reads to the answer model as no answer: then the words before the
        question are the answer, when all that follows asks (`_answers_beside`). Not what
        follows the question: that often answers the patient's own question ("do you take
        workers comp? yes i have a claim", "do i need a referral? my doctor said no": a
        fresh review of stop 60).
        """
        reply = self._answer_told(question, text, today, answered)
        asking = where_it_asks(text) if reply.kind is Answer.OTHER else None
        if asking:  # only what comes before: what follows answers the patient's own question
            told, asked = text[:asking].rstrip(" ,;:-"), text[asking:]
            if only_asks(asked, ()) and self._answers_beside(question, text, told, asked):
                beside = self._answer_told(question, told, today, answered)
                if beside.kind is not Answer.OTHER:
                    return beside
        return reply

    def _answers_beside(self, question: str, text: str, told: str, asked: str) -> bool:
        """Whether the words told beside the question (`told`; `asked` is what asks) answer.

        They must hold a word of answering ("no", "not yet", "kinda", "can't") and read as
        a sure answer, or give a figure to a question that asks for one: "sorry, how long
        is the program?", "fine, whats the cost?" and "wait, is it covered?" answer nothing.
        On the checklist they never clear what the whole left unclear (fresh reviews of
        stop 60: "no, but my legs are weak, how long is the program?" and "no, how long is
        the program, my legs are numb?" were read as a no): only a bare "no" clears it, when
        the question names no item of the checklist and the detector finds nothing urgent
        in it or in the whole reply; told words that name a sign tick it.
        """
        if question == SAFETY_QUESTION and self.detector is not None \
                and self.detector.assess(told).urgent:
            return True  # "no, but i have numbness in my groin, how long is it?" ticks it
        measure = question in NUMBERS and any(c.isdigit() for c in told)  # "maybe 2 hours, …"
        sure = self.answers.weigh(question, told)[1] >= SURE_BESIDE
        if not measure and not (set(tokens(told)) & self.answering and sure):
            return False
        if question != SAFETY_QUESTION:
            return True
        named = self._on_checklist(asked) or (self.detector is not None and (
            self.detector.assess(asked).urgent or self.detector.assess(text).urgent
            or self.detector.assess(text, SAFETY_QUESTION).urgent))
        return is_bare_no(told, self.negation) and not named

    def _answer_told(self, question: str, text: str, today: date | None,
                     answered: Collection[str]) -> Reply:
        if question == SAFETY_QUESTION:
            return self._answer(question, text, today)
        quote = quoted_answer(text, self.vocab)
        if quote is not None and quote.question not in (None, question):
            return Reply(Answer.OTHER) if quote.question in answered \
                else self._answer(question, text, today)
        rest = quote.rest if quote is not None else _after_taking_back(text, self.vocab)
        if rest and (question in NUMBERS
                     or self.answers.weigh(question, rest)[1] >= SURE_AFTER_TAKING_BACK):
            reply = self._answer(question, rest, today)
            if reply.kind is not Answer.OTHER:
                return reply
        return self._answer(question, text, today)

    def _answer(self, question: str, text: str, today: date | None) -> Reply:
        kind, confidence = self.answers.weigh(question, text)
        if self.acknowledges(text):
            kind = Answer.OTHER  # "ok": heard, not answered
        elif kind in (Answer.YES, Answer.NO) and only_asks(text, self.yes_no):
            kind = Answer.OTHER  # "is that the same as regular physical therapy?"
        elif kind is Answer.OTHER and question == SAFETY_QUESTION \
                and self._yes_then_asks_back(text):
            kind = Answer.YES  # "yes, why?": a yes to the checklist is never lost
        if kind is Answer.YES and question == MEDICALLY_CLEARED and self._in_doubt(text):
            kind = Answer.UNSURE  # "pues no se si me dio permiso la doctora": not a clearance
        if kind is Answer.NO and question == HAS_JOB_GOAL and self._keeps_a_kind_of_work(text):
            kind = Answer.UNSURE  # "so not really? i used to do drywall": asked, not decided
        if question == SAFETY_QUESTION and self.detector is not None:
            return self._safety_answer(text, kind, confidence)
        if self.checklist_reply(text) is not None:
            return Reply(Answer.OTHER)  # "fever? none. weak legs? no" answers the checklist
        if self._tells_only_a_measure(question, text):
            return Reply(Answer.OTHER)  # "i drive a forklift" does not say whether they can
        not_an_answer = kind if kind in (Answer.UNSURE, Answer.OTHER) else Answer.OTHER
        if kind is Answer.OTHER and "?" in text and question not in NUMBERS:
            return Reply(Answer.OTHER)  # "what counts as heavy?" asks, it does not answer
        if question == WEEKS_SINCE_INJURY:
            weeks = weeks_since(text, today or date.today())
            if weeks is UNKNOWN:
                return Reply(Answer.UNSURE)
            return Reply(Answer.YES, weeks) if weeks is not None else Reply(not_an_answer)
        if question == JOB_DEMAND_LEVEL:
            level = self.demand_level(self._parse(text), asked=True)
            if kind is Answer.UNSURE and confidence >= SURE_NO and not self._names_the_job(text):
                return Reply(Answer.UNSURE)  # "ps cargo d todo, no se cuanto"
            return Reply(Answer.YES, level.value) if level else Reply(not_an_answer)
        if question == TOLERATES_4_HOURS:
            hours = hours_said(text)
            if hours and not self._asks_back(text, kind):
                return _hours_reply(hours, kind, confidence)
            said = set(tokens(text)) - set(self.vocab["time_off_words"])
            if not hours and not said & (self.answering | set(self.vocab["ability_cues"])) \
                    and isinstance(weeks_since(text, today or date.today()), float):
                return Reply(Answer.OTHER)  # "been off 9 months": how long ago, not how long a day
        if question in self.vocab["hours_say_nothing"] and self._only_hours(text):
            return Reply(Answer.OTHER)  # "6 hours probably" answers the hours question
        if kind is Answer.YES and question == MEDICALLY_CLEARED and (
                self._pending(text) or self._clinician_denied(text)):
            return Reply(Answer.NO, False)  # "I feel ready, but the doctor said not yet"
        if kind in (Answer.YES, Answer.NO):
            return Reply(kind, kind is Answer.YES)
        told = self.read(text, today).get(question) if kind is Answer.OTHER else None
        if isinstance(told, bool):  # "my doctor cleared me": a fact the model missed
            return Reply(Answer.YES if told else Answer.NO, told)
        return Reply(kind)

    def _only_hours(self, text: str) -> bool:
        """Whether a short reply tells hours a day and no word of answering ("6 hours probably").

        Typed to "is anything at work worrying you?", it had been read as a yes (a blind
        hand trial of stop 59); the question is asked again.
        """
        words = [w for w in tokens(text) if w.isalnum()]
        hedges = set(self.vocab["hedges_of_figures"])
        answering = self.yes_no | (set(self.vocab["answer_words"]) - hedges)
        return len(words) <= HOURS_ALONE and not set(words) & answering \
            and hours_a_day(text) is not None

    def _asks_back(self, text: str, kind: Answer) -> bool:
        """Whether a reply with a number asks about it rather than answers ("why 4 hours?").

        A hedge may end with a "?" ("i guess 5?"). A question starts with a question word
        and has a "?" ("is it 4 hours in a row?"); or, read by the answer model as no
        answer, it starts with a question word or a "¿" ("what do you do all day").
        """
        starts = asks_a_question(text.replace("?", ""))
        return (starts and "?" in text) or (
            kind is Answer.OTHER and (starts or text.lstrip().startswith("¿")))

    def _pending(self, text: str) -> bool:
        """Whether a yes waits on something still to come ("yes, once the cast comes off").

        Only the first sentence qualifies the yes (the second too after a bare "yes;"),
        and a sentence told in the past ("yes he cleared me, if that matters", "once the
        swelling went down") is a yes. The pipeline has no tagger, so a past verb is one of
        the vocabulary's or a word ending in "-ed".
        """
        first, *later = sentences(text)
        words = tokens(first)
        if len(words) <= 2 and later:  # "yes; once the cast comes off", "yes 👍 once…"
            words += tokens(later[0])
        past = set(self.vocab["past_verbs"])
        if any(w in past or w.endswith("ed") for w in words):
            return False
        return _names_any(" ".join(words), self.vocab["pending_markers"])

    def _tells_only_a_measure(self, question: str, text: str) -> bool:
        """Whether a reply tells only the job, a date or hours, and no yes, no or ability.

        Such a reply to a yes/no question the vocabulary names (`measure_says_nothing`)
        answers another question, not this one: "i work in a warehouse, lifting boxes maybe
        40 50 lbs" is no "none of these" to the safety checklist (a blind hand trial of
        stop 57), nor "i drive a forklift" a yes or no to doing the job. A reply that names
        an item of the checklist speaks to it ("numbness in march, gone for months"). On the
        checklist, which no figure answers, a hedge before a figure hedges the figure
        ("maybe 40 lbs"), not the answer.
        """
        if question not in self.vocab["measure_says_nothing"] or (
                question == SAFETY_QUESTION and self._on_checklist(text)):
            return False
        said = tokens(text)
        words = set(said) if question != SAFETY_QUESTION else {
            w for w, then in pairwise([*said, ""])
            if not then[:1].isdigit() or w in self.yes_no}  # "maybe 40 lbs", but "no 3 months"
        if words & self.answering:
            return False
        doc = self._parse(text)
        return (self.demand_level(doc, asked=False) is not None
                or isinstance(weeks_since(text, date.today()), float)
                or hours_a_day(text) is not None)

    def checklist_reply(self, text: str) -> bool | None:
        """A late answer to the safety checklist: False when it goes through items and denies them.

        "Fever? none. Leg weakness? nope." sent after the next question was asked answers
        the checklist, not that question. None when the reply names no checklist item it
        denies, or also tells a red flag (which the detector answers).
        """
        if self.detector is None:
            return None
        denied = [item for item in denied_items(text, self.negation) if self._on_checklist(item)]
        if not denied or self._ticked(text) or self.detector.assess(text).urgent:
            return None
        return False

    def _ticked(self, text: str) -> list[str]:
        """The checklist items the reply ticks yes ("weak legs? yes", "weak legs, yes").

        Only items of the checklist: "none of those, yes" and "anxiety, yes" tick nothing.
        """
        return [item for item in affirmed_items(text, self.negation) if self._on_checklist(item)]

    def _on_checklist(self, item: str) -> bool:
        """Whether an item the patient names is one of the safety checklist's ("leg weakness")."""
        words = tokens(item)
        named = set().union(*(self.lexicon.concepts_at(words, at)[0] for at in range(len(words))))
        return bool(named & set(self.vocab["checklist_concepts"]))

    def _safety_answer(self, text: str, kind: Answer, confidence: float) -> Reply:
        """Yes when the emergency detector reads a red flag in the answer.

        A symptom named ("my legs went numb") is a yes whatever else is said; "not
        sure" stays not sure (it gets its own advice), and a reply that reads as no answer
        is one unless the detector, asked with the checklist, reads a red flag in it and it
        names an item (0.4997 for "i said no to my doctor but yes to the leg weakness": the
        answer model alone decided it, a fresh clone's CI at stop 62); otherwise the
        detector, which
        knows what "yes" and "the second one" mean after the checklist, decides between
        yes and no ("I had chest pain last year, nothing now" is a no); an item asked and
        ticked ("numbness? no. weak legs? yes") is read as "yes, weak legs", and one named
        only to deny it ("dolor de pecho no, nomás la rodilla") as denied. When its
        doubtful yes meets a no the answer model is sure of ("yes I read the list, none
        of those apply", but also "just the second one, none of the rest"), the reply is
        not
        understood and the checklist is asked again, with buttons: a red flag is never
        cleared on a guess. So is a no from the detector that meets the answer model's yes
        ("pues fíjese que sí"): one more question costs less than a red flag missed.
        """
        assert self.detector is not None
        said = self._without_denied_items(text)
        if self.detector.assess(said).urgent:
            return Reply(Answer.YES, True)
        if any(self.detector.assess(f"yes {item}", SAFETY_QUESTION).urgent
               for item in self._ticked(text)):
            return Reply(Answer.YES, True)
        if kind is Answer.UNSURE:
            return Reply(kind)
        checklist = self.detector.assess(said, SAFETY_QUESTION)
        if kind is Answer.OTHER:  # "i said no to my doctor but yes to the leg weakness"
            return Reply(Answer.YES, True) if checklist.urgent and self._on_checklist(said) \
                else Reply(kind)
        if not checklist.urgent:
            if kind is Answer.YES or self._tells_only_a_measure(SAFETY_QUESTION, text):
                return Reply(Answer.OTHER)
            return Reply(Answer.NO, False)
        if kind is Answer.NO and confidence >= SURE_NO and not checklist.sure:
            return Reply(Answer.OTHER)
        return Reply(Answer.YES, True)

    def _without_denied_items(self, text: str) -> str:
        """The reply with the checklist items it names only to deny them made a bare no.

        "dolor de pecho no, nomás la rodilla" is "no, nomás la rodilla", and "numbness
        no, weakness yes" is "no, weakness yes", which the emergency reader weighs as it
        would. Only a bare item of the checklist qualifies (`denials_after_an_item` in
        the vocabulary): "tengo dolor de pecho, no sé qué hacer" and "puedo orinar no" are
        kept whole.
        """
        vocab = self.vocab
        denials = sorted((tuple(tokens(p)) for p in vocab["denials_after_an_item"]),
                         key=len, reverse=True)
        follows = [tuple(tokens(p)) for p in vocab["after_a_denial"]]
        keeps = (set(vocab["states_a_symptom"]) | self.negation.affirmations
                 | self.negation.functions | self.negation.inability | self.negation.negation)
        words, out, start, at = tokens(text), [], 0, 0
        while at < len(words):
            denial = next((d for d in denials if tuple(words[at: at + len(d)]) == d), ())
            item, rest = out[start:], words[at + len(denial):]
            if (denial and item and not set(item) & keeps
                    and item[-1] not in vocab["joining_words"]
                    and (not rest or rest[0] in {",", ".", ";", "!"}
                         or any(tuple(rest[: len(f)]) == f for f in follows))
                    and self._on_checklist(" ".join(item))):
                del out[start:]
                if out[-2:] != ["no", ","]:
                    out.append("no")  # "fiebre no, debilidad sí": "no, debilidad sí"
                else:
                    out.pop()
                start, at = len(out) - 1, at + len(denial)
                continue
            out.append(words[at])
            if not words[at].isalnum() and "'" not in words[at]:
                start = len(out)
            at += 1
        return joined(out)

    def demand_level(self, doc: Doc, asked: bool = True) -> DemandLevel | None:
        """The job's level, from what the patient says about it.

        The weights said come first (light ones handled standing are light work), then
        level words ("desk", "heavy work"), then the job and tasks named; denied words
        ("nothing heavy") do not count. A denied lift ("I don't lift anything") means a
        sitting job only in answer to the question about the job (`asked`): elsewhere it
        is often about the patient, not the job ("I never used to think twice about
        lifting").
        """
        words = [token.lower_ for token in doc]
        negated = negated_words(words, self.negation)
        mine = self._about_the_patient(words, asked)
        kept = [not (denied or me) for denied, me in zip(negated, mine, strict=True)]
        text = " ".join(word for word, keep in zip(words, kept, strict=True) if keep)
        weights = [self._level_for_weight(self._pounds(m))
                   for m in _WEIGHT.finditer(self._weights_in_figures(text))]
        if weights:
            level = max(weights, key=_LEVELS.index)
            return DemandLevel.LIGHT if level is DemandLevel.SEDENTARY and self._on_feet(
                " ".join(words), self._level_in_words(doc, negated, mine, tasks=False)) else level
        told = self._level_in_words(doc, negated, mine)
        if told:
            return told
        weighed = set(self.vocab["weighed_after"])  # "nunca lo he pesado": never weighed it
        denied = {word for i, (word, no) in enumerate(zip(words, negated, strict=True))
                  if no and not mine[i] and not (i and words[i - 1] in weighed)}
        lift_denied = asked and denied & set(self.vocab["lifting_words"])
        return DemandLevel.SEDENTARY if lift_denied else None

    def _names_the_job(self, text: str) -> bool:
        """Whether a reply gives a weight, a level word or an occupation ("soy albañil")."""
        doc = self._parse(text)
        said = doc.text
        return bool(_WEIGHT.search(self._weights_in_figures(said))
                    or any(_names_any(said, p) for p in self.vocab["demand_words"].values())
                    or self._names_an_occupation(doc))

    def _names_an_occupation(self, doc: Doc) -> bool:
        """Whether a parsed reply names a kind of work: a job or its tasks ("drywall")."""
        lifting = set(self.vocab["lifting_words"])  # "cargo de todo" names no job
        jobs = [[p for p in phrases if p not in lifting]
                for phrases in self.vocab["job_words"].values()]
        return any(_names_any(doc.text, p) for p in jobs) or any(
            ent.label_ == "OCCUPATION" for ent in doc.ents)

    def _keeps_a_kind_of_work(self, text: str) -> bool:
        """Whether a no to "a job or kind of work to go back to?" still names one.

        "they let me go in june. so not really? i used to do drywall" lost the job, not the
        kind of work: read as a no, it ended the questions with "these programs may not
        fit you" (a blind hand trial of stop 61). Such a no is asked about again, unless
        the patient says they are leaving that work ("never going back to roofing").
        """
        return self._names_an_occupation(self._parse(text)) and not _names_any(
            _plain(text), self.vocab["leaving_work"])

    def _on_feet(self, text: str, told: DemandLevel | None) -> bool:
        """Whether light weights are handled standing or walking, which makes light work.

        Light weights make a job sedentary only when it is done sitting (the Dictionary of
        Occupational Titles): said so ("parada todo el día"), or a job above sedentary
        named without sitting ("cashier, 5 lb at most").
        """
        words = text.split()
        denials = self.negation.negation | self.negation.inability
        for phrase in self.vocab["on_feet"]:
            for at in _starts(words, phrase.split()):
                if not denials & set(words[max(at - 4, 0): at]):  # "can't be on my feet all day"
                    return True
        sitting = _names_any(text, self.vocab["sitting"])
        return told not in (None, DemandLevel.SEDENTARY) and not sitting

    def _clauses(self, words: list[str]) -> list[int]:
        """Each word's clause, numbered from 0; a clause ends where the negation's scope does."""
        numbers, clause = [], 0
        for word in words:
            numbers.append(clause)
            clause += word in self.negation.breaks
        return numbers

    def _about_the_patient(self, words: list[str], asked: bool = False) -> list[bool]:
        """Which words stand in a clause about what the patient can or may do now.

        "i can only lift 20 lb now", "he said light exercise", "im on light duty": such a
        clause tells the patient's limits, which the job question does not ask about; read
        as the job's level, it made a nursing aide's job light (a blind hand trial of stop
        59). "can", "able" tell the patient's limits only with the patient as the subject
        and a word that limits ("i can only lift 20 lb"; "i can carry 70 lb boxes off the
        truck" and "the boxes can weigh up to 70 lb" are the job's). A clause that says what the job
        asks is about the job all the same ("i need to be able to lift 75 lb for my job",
        "antes podía cargar 50 kilos": `job_asks`), unless it names a limit in so many
        words ("light duty", "for now"). Unasked, light work limited ("yes, light work
        only", "solo trabajo ligero") is a limit too, unless the clause names the place of
        work or the job ("i just do light assembly at a factory", "my job is just desk
        work"): the job question, if it is needed,
        asks the job; asked it, "just desk work" is the job.
        """
        limits, cues, cannot, ability, me, only, asks, places, limited_work = self.limit_words
        clauses = self._clauses(words)
        mine = []
        for at in _by_clause(clauses).values():
            said = " ".join(words[i] for i in at)
            able = bool(ability.search(said) and me.search(said) and only.search(said))
            limited = bool(cues.search(said) or cannot.search(said)) or able
            mine.append(bool(limits.search(said)) or (limited and not asks.search(said))
                        or (not asked and bool(limited_work.search(said))
                            and not places.search(said)))
        return [mine[clause] for clause in clauses]

    def _level_in_words(
        self, doc: Doc, negated: list[bool], mine: list[bool] | None = None, tasks: bool = True
    ) -> DemandLevel | None:
        """The level that level words tell ("desk job"), else the job and tasks named.

        Without `tasks`, lifting alone ("cargo carpetas") names no job. Told of the
        patient's limits (`mine`: "i can't lift anything heavy yet"), level words and
        tasks tell nothing; a job or a place named there does ("no puedo trabajar de
        cajera"). A job named in the clause of the place of work tells the level, not the
        place ("a cashier at a warehouse store" is light work, a blind hand trial of stop
        59); in a clause of its own, each counts ("i work construction, used to be a
        cashier" is heavy).
        """
        words = [token.lower_ for token in doc]
        mine = mine or [False] * len(words)
        kept = " ".join(w for w, no, me in zip(words, negated, mine, strict=True)
                        if not (no or me))
        plain = _without(kept, self.vocab["not_level_words"])
        levels = [DemandLevel(level) for level, phrases in self.vocab["demand_words"].items()
                  if _names_any(plain, phrases)]
        if levels:
            return max(levels, key=_LEVELS.index)
        places, every_lift = frozenset(self.vocab["workplaces"]), self.vocab["lifting_words"]
        lifting = frozenset(every_lift) if tasks else frozenset()
        clauses = self._clauses(words)
        found: dict[tuple[int, str], list[str]] = {}
        for ent in doc.ents:
            table = _ENTITY_TABLES.get(ent.label_)
            if table and not negated[ent.start] and not (table == "tasks" and mine[ent.start]):
                kind = "task" if table == "tasks" else \
                    "place" if ent.text.lower() in places else "job"
                found.setdefault((clauses[ent.start], kind), []).append(
                    self.vocab[table].get(ent.ent_id_))
        kinds = [(level, kind, [p for p in phrases if belongs(p)])
                 for level, phrases in self.vocab["job_words"].items()
                 for kind, belongs in (
                     ("job", lambda p: p not in places and p not in every_lift),
                     ("place", lambda p: p in places),
                     ("task", lambda p: p in lifting))]
        for clause, every in _by_clause(clauses).items():
            at = [i for i in every if not negated[i]]
            told = {"job": " ".join(words[i] for i in at),
                    "task": " ".join(words[i] for i in at if not mine[i])}
            for level, kind, named in kinds:
                if _names_any(told.get(kind, told["job"]), named):
                    found.setdefault((clause, kind), []).append(level)
        roles = [level for (clause, kind), named in found.items() for level in named
                 if kind != "place" or (clause, "job") not in found]
        return max((DemandLevel(r) for r in roles if r), key=_LEVELS.index) if any(roles) else None

    def _weights_in_figures(self, text: str) -> str:
        """Weights written in words put in figures: "sacos de cincuenta libras" -> "50 libras".

        Tens and ones make one number ("cuarenta y dos kilos" -> "42 kilos"), else "dos"
        alone would be read.
        """
        numbers = self.vocab["weight_numbers"]
        tens = "|".join(w for w, n in numbers.items() if n % 10 == 0 and 20 <= n < 100)
        ones = "|".join(w for w, n in numbers.items() if 0 < n < 10)
        words = "|".join(sorted(numbers, key=len, reverse=True))
        units = r"lbs?|pounds?|kgs?|kilos?|kilograms?|kilogramos?|libras?"
        return re.sub(
            rf"\b(?:({tens})\s*(?:\by\b|\band\b|-)?\s*({ones})|({words}))(?=\s*(?:{units})\b)",
            lambda m: str(numbers[m[1]] + numbers[m[2]] if m[1] else numbers[m[3]]), text)

    def _pounds(self, match: re.Match[str]) -> float:
        """A weight in pounds; "over 100 lb" counts as just over."""
        amount = float(match["amount"]) * (self.vocab["kg_to_lb"]
                                           if match["unit"].startswith("k") else 1)
        return amount + 1 if match["over"] else amount

    def _cued(self, doc: Doc) -> dict[str, bool]:
        """Cue phrases: a "false" cue says no; a "true" cue says yes unless negated.

        A negated "true" cue says nothing: "not worried about going back" denies the
        worry, not the job to go back to; nor does one in doubt ("no se si me dio
        permiso"). A "false" cue stands even in doubt: it leads to the safer path.
        """
        found: dict[str, bool] = {}
        words = [token.lower_ for token in doc]
        negated = negated_words(words, self.negation)
        doubted = self._hedged(self.hedges(doc), words)
        for match_id, start, _end in self.cues(doc):
            slot, polarity = self.nlp.vocab.strings[match_id].split("|")
            if polarity == "false":
                found[slot] = False
            elif not (negated[start] or doubted[start]):
                found.setdefault(slot, True)
        return found

    def _in_doubt(self, text: str) -> bool:
        """Whether a hedge puts the reply in doubt and no plain yes stands outside it.

        "not sure if he cleared me" is in doubt; "not sure it matters, but yes he did" is not.
        """
        doc = self._parse(text)
        matches = self.hedges(doc)
        if not matches:
            return False
        words = [token.lower_ for token in doc]
        doubted = self._hedged(matches, words)
        in_hedge = {i for _match_id, start, end in matches for i in range(start, end)}
        return not any(word in self.negation.affirmations and not doubted[i] and i not in in_hedge
                       for i, word in enumerate(words))

    def _hedged(self, matches: list[tuple[int, int, int]], words: list[str]) -> list[bool]:
        """Which words the hedges found put in doubt: those after each, to its clause's end."""
        doubted = [False] * len(words)
        for _match_id, _start, end in matches:
            at = end
            while at < len(words) and words[at] not in self.negation.breaks:
                doubted[at] = True
                at += 1
        return doubted

    def _clinician_denied(self, text: str) -> bool:
        """Whether what a treating clinician said, as the patient tells it, is a sure no.

        The clearance is the clinician's to give: "I feel ready, but the doctor said not
        yet" is a no, however sure the patient's own words sound.
        """
        said = self._clinician_said(self._parse(text))
        if not said:
            return False
        kind, confidence = self.answers.weigh(MEDICALLY_CLEARED, said)
        return kind is Answer.NO and confidence >= SURE_CLEARANCE

    def _clinician_said(self, doc: Doc) -> str | None:
        """The part of the message that tells what a treating clinician said, if any.

        Up to a sentence end or a turn ("the doc says I'm ready for the next step but I'm
        not strong enough yet": the part after "but" is the patient's own view).
        """
        at = next((ent.start for ent in doc.ents if ent.label_ == "CLINICIAN"
                   and ent.ent_id_ in self.vocab["treating_clinicians"]), None)
        if at is None:
            return None
        ends = {".", "!", "?", ";", *self.negation.contrasts}
        start = max((i + 1 for i in range(at) if doc[i].lower_ in ends), default=0)
        end = next((i for i in range(at, len(doc)) if doc[i].lower_ in ends), len(doc))
        return doc[start:end].text

    def _level_for_weight(self, pounds: float) -> DemandLevel:
        limits = self.vocab["lift_limits_lb"]
        for level in _LEVELS[:-1]:
            if pounds <= limits[level.value]:
                return level
        return DemandLevel.VERY_HEAVY




def _hours_reply(hours: list[float], kind: Answer, confidence: float) -> Reply:
    """Whether the amounts said reach the program's hours ("2 horas" says no to 4).

    When some do and some do not ("I can do 5 hours but I need a break every 2", "quisiera
    decirle que todo el día, pero no paso de dos horas", "tal vez dos, tal vez cinco, no
    le puedo decir"), the answer model, which reads the whole reply, decides when it is
    fairly sure of a yes or no, or sure the patient cannot say; else the least amount
    counts, the safer reading.
    """
    enough = [h >= HOURS_FOR_WORK_HARDENING for h in hours]
    if all(enough) or not any(enough):
        able = enough[0]
    elif kind in (Answer.YES, Answer.NO) and confidence >= SURE_BETWEEN_AMOUNTS:
        able = kind is Answer.YES
    elif kind is Answer.UNSURE and confidence >= SURE_NO:
        return Reply(Answer.UNSURE)
    else:
        able = False
    return Reply(Answer.YES if able else Answer.NO, able)


def is_correction(text: str, vocab: dict[str, Any] | None = None) -> bool:
    """Whether the patient may be changing an earlier answer ("wait, I was wrong", "perdón")."""
    vocab = vocab or load_vocabulary()
    return _names_any(_plain(text), [*vocab["correction_markers"], *vocab["takes_back"]]) \
        or quoted_answer(text, vocab) is not None


def takes_back(text: str, vocab: dict[str, Any] | None = None) -> bool:
    """Whether the patient says in so many words that an earlier answer was wrong."""
    vocab = vocab or load_vocabulary()
    return _after_taking_back(text, vocab) is not None or quoted_answer(text, vocab) is not None


class Quote(NamedTuple):
    """One's own earlier answer quoted and turned ("i said yes to the doctor thing but…")."""

    question: str | None
    """The question the quote names ("the doctor thing": the clearance); None for a bare
    quote ("i said no, but i meant yes"), which corrects the question asked before."""
    start: int
    """Where the quote starts in the plain text."""
    rest: str
    """What follows the turn: the new answer."""


def quoted_answer(text: str, vocab: dict[str, Any] | None = None) -> Quote | None:
    """An earlier answer quoted, then turned by a "but": the quote is no answer, the rest is.

    "i said yes to the doctor thing but he hasnt really cleared me yet" answers the
    clearance again, with a no; read whole it was a yes (a blind hand trial of stop 57).
    Only a bare quote, or one that names a question as one ("to the doctor thing", "a lo
    de las horas": a link word, a word for a question, a topic, in a few words of one
    sentence) qualifies: "i said no to overtime but…", "i told you no, i cant lift" and
    "dije que no puedo cargar" say what they say. So does a quote whose few words are the
    answer itself, opening with its topic ("wait i said no job but i do have one i want to
    go back to": read whole, "no job" kept the no, a blind hand trial of stop 61). The
    longest topic named picks the question ("the do my job one" is not the job goal).
    None without a turn after the quote.
    """
    vocab = vocab or load_vocabulary()
    said = _plain(text)
    quote = any_of(tuple(vocab["quoted_answers"])).search(said)
    if quote is None:
        return None
    turn = any_of(tuple(load_lexicon().scope.contrasts)).search(said, quote.end())
    if turn is None:
        return None
    named = said[quote.end(): turn.start()].strip(" ,")
    rest = said[turn.end():].strip(" ,.;:!-")
    if not named:
        return Quote(None, quote.start(), rest)
    words = named.split()
    linked = words[0] in vocab["quote_links"]
    if len(words) > (QUOTE_WORDS if linked else QUOTED_WORDS) \
            or (linked and not any_of(tuple(vocab["quote_nouns"])).search(named)) \
            or any(mark in named for mark in ".!?;"):
        return None
    named_by = vocab["question_topics"] if linked else {
        q: [*phrases, *vocab["quoted_topics"].get(q, ())]
        for q, phrases in vocab["question_topics"].items()}
    find = "search" if linked else "match"  # "no job"; not "no puedo cargar nada"
    topics = [(len(found[0]), q) for q, phrases in named_by.items()
              if (found := getattr(any_of(tuple(phrases)), find)(named))]
    return Quote(max(topics)[1], quote.start(), rest) if topics else None


def _after_taking_back(text: str, vocab: dict[str, Any]) -> str | None:
    """What follows the last words that take an answer back ("" if nothing), or None.

    The last, because a patient may take back twice before giving the new answer ("sorry,
    wrong button, I was wrong, it's no").
    """
    said = _plain(text)
    found = list(any_of(tuple(vocab["takes_back"])).finditer(said))
    if not found:
        return None
    rest = said[found[-1].end():].strip(" ,.;:!-")
    return rest if any(c.isalnum() for c in rest) else ""


def _plain(text: str) -> str:
    """The message as the emergency reader normalises it, with single spaces."""
    return " ".join(normalise(text).split())


def _starts(words: list[str], phrase: list[str]) -> list[int]:
    """Where the phrase starts among the words."""
    return [i for i in range(len(words) - len(phrase) + 1) if words[i: i + len(phrase)] == phrase]


def _by_clause(clauses: list[int]) -> dict[int, list[int]]:
    """The words' positions by clause, in order: one pass, whatever the number of clauses."""
    grouped: dict[int, list[int]] = {}
    for at, clause in enumerate(clauses):
        grouped.setdefault(clause, []).append(at)
    return grouped


def _names_any(said: str, phrases: Iterable[str]) -> bool:
    """Whether lower-cased words name any of the phrases, as whole words."""
    return bool(any_of(tuple(phrases)).search(said))


def _without(said: str, phrases: Iterable[str]) -> str:
    """The words with the phrases taken out (whole words)."""
    for phrase in phrases:
        said = re.sub(rf"\b{re.escape(phrase)}\b", " ", said)
    return said


def _mentions_injury(doc: Doc, vocab: dict[str, Any]) -> bool:
    """Whether a message speaks of the injury.

    A word begins with one of the injury words, or with an everyday verb of one said with
    a body part ("tweaked my lower back", not "tweaked my schedule").
    """

    def begins_with(words: list[str]) -> bool:
        return bool(re.search(rf"\b({'|'.join(re.escape(w) for w in words)})", doc.text))

    return begins_with(vocab["injury_mentions"]) or (
        any(ent.label_ == "BODY_PART" for ent in doc.ents)
        and begins_with(vocab["injury_verbs_with_a_body_part"]))

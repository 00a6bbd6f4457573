"""Read a message the way the emergency rules need it: clauses, negation scope and time.

"no fever, but my legs went numb this morning" must not read as "no numbness": negation
reaches only to the end of its clause (commas, "and", "but", "so", ...). Phrases that
start like a negation but are not one ("not ok", "nothing helps", "no idea why") are
skipped, and "can't"/"won't" state an inability ("can't feel my legs"), which is a
symptom, not a denial; a question answered at once ("Chest pain? no.", "weak legs? yes")
is denied or stated, and so is an item echoed with a yes ("weak legs, yes"). A clause
told in the past ("went away", "two years ago") is marked as such unless it also says the
trouble is here now ("again", "since this morning").
Every word list lives in the lexicon file; this module only applies it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from bot.core.spelling import one_edit_apart

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,;:!?()/]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_REPEATS = re.compile(r"([a-z])\1{2,}")
SENTENCE_ENDS = frozenset(".!?")
_ENTRY_ENDS = frozenset(",;:")  # "no fever, weak legs, yes": the entry is "weak legs"
YEAR = re.compile(r"(19|20)\d\d")  # "passed out once in 2019": told as history
_BEFORE_PUNCTUATION = re.compile(r" ([.,;:!?)])")
MAX_TOKENS = 400
FEW = "few"
_REWRITE_PASSES = 3  # a variant may be written in the form another gives: two steps at most


def normalise(text: str) -> str:
    """Lower case, straight quotes, accents folded, letter runs shortened ("sooo" -> "soo").

    Folding accents lets "dolor de pecho" and "no puedo respirar" match however they are
    typed. The text is cut to a bounded length first so that no message costs unbounded
    work; emergencies are told in the first sentences.
    """
    text = text[: MAX_TOKENS * 12].lower().translate(_QUOTES)
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in folded if not unicodedata.combining(c))
    return _REPEATS.sub(r"\1\1", text)


def tokens(text: str) -> list[str]:
    """The normalised words and clause punctuation of a message."""
    return _TOKEN.findall(normalise(text))[:MAX_TOKENS]


def joined(words: Sequence[str]) -> str:
    """Tokens written back as typed: "no , bladder" is "no, bladder".

    The model reads character n-grams, which differ by the spaces around punctuation, so
    text rebuilt from tokens must be spaced as a patient would space it.
    """
    return _BEFORE_PUNCTUATION.sub(r"\1", " ".join(words))


Phrase = tuple[str, ...]


class PhraseSet:
    """Multi-word phrases, indexed by their first word so a lookup is one dict access."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        """Index the (non-empty) phrases; longer phrases are tried first."""
        self._by_first: dict[str, list[Phrase]] = {}
        ordered = sorted(set(phrases), key=len, reverse=True)
        for phrase in ordered:
            if phrase:
                self._by_first.setdefault(phrase[0], []).append(phrase)
        self._longest = len(ordered[0]) if ordered else 0

    @classmethod
    def of(cls, texts: Iterable[str], canon: Canon | None = None) -> PhraseSet:
        """Build from phrases as typed, split by the message tokenizer, in `canon`'s form.

        Messages are read in one form (`Canon`), so phrases matched against them must be
        written in it too: "cant feel" is "can't feel".
        """
        return cls(tuple(canon.rewrite(tokens(text)) if canon else tokens(text))
                   for text in texts)

    def at(self, words: Sequence[str], start: int) -> Phrase | None:
        """The longest phrase that begins at `words[start]`, if any."""
        for phrase in self._by_first.get(words[start], ()):
            if tuple(words[start : start + len(phrase)]) == phrase:
                return phrase
        return None

    def in_(self, words: Sequence[str]) -> bool:
        """Whether any phrase occurs in `words`."""
        return any(self.at(words, i) for i in range(len(words)))

    def covers(self, words: Sequence[str], at: int) -> bool:
        """Whether some phrase that occurs in `words` covers position `at`."""
        return any(
            (phrase := self.at(words, start)) is not None and start + len(phrase) > at
            for start in range(max(0, at - self._longest + 1), at + 1))

    def covered(self, words: Sequence[str]) -> set[int]:
        """The positions of `words` that some phrase covers."""
        found: set[int] = set()
        for i in range(len(words)):
            phrase = self.at(words, i)
            if phrase:
                found.update(range(i, i + len(phrase)))
        return found


TYPO_MIN_LENGTH = 4
"""The shortest word of a loose phrase that may carry a typo ("shoud", "cal"): shorter
ones are other words one letter away too often ("do", "so", "que")."""
TYPO_MIN_WORDS = 3
"""The fewest words of a phrase read with typos: the rest of its frame must hold it ("que
hago" is two words, and "que pago" asks what to pay)."""
_REMEMBERED = 4096  # sentences whose cries are kept: a few hundred messages' worth


class LoosePhraseSet(PhraseSet):
    """Phrases that also match with a typo in their long words: cries typed in a panic.

    Why: a cry for help is typed in a hurry ("shoud we call 911", "wat do i do"), and read
    exactly it is no cry, so the rules that need one do not fire. A phrase of
    `TYPO_MIN_WORDS` words or more is matched by its frame: each of its words of
    `TYPO_MIN_LENGTH` letters or more may be typed one edit away (`one_edit_apart`), unless
    the word typed is a real word of its own (`real_words`: "que debe hacer el paciente"
    asks about a patient), the rest exactly, and at least half of its words exactly. Each
    phrase is indexed by a word it must hold exactly and that word's place, so a message
    is not compared with every phrase at every word; and what a sentence holds is
    remembered (`covered`): a message's sentences are asked about many times as it is
    read.
    """

    def __init__(self, phrases: Iterable[Phrase], real_words: frozenset[str] = frozenset()
                 ) -> None:
        """Index the phrases; the long ones also by a word each must hold exactly."""
        kept = list(phrases)
        super().__init__(kept)
        self._real_words = real_words
        self._anchored: dict[tuple[int, str], list[Phrase]] = {}
        self._unanchored: list[Phrase] = []
        for phrase in sorted({p for p in kept if len(p) >= TYPO_MIN_WORDS}, key=len,
                             reverse=True):
            anchor = next(((at, word) for at, word in enumerate(phrase)
                           if not _may_carry_a_typo(word)), None)
            if anchor is None:
                self._unanchored.append(phrase)
            else:
                self._anchored.setdefault(anchor, []).append(phrase)
        self._places = sorted({at for at, _ in self._anchored})
        self._covered: dict[tuple[str, ...], set[int]] = {}

    def at(self, words: Sequence[str], start: int) -> Phrase | None:
        """The longest phrase typed exactly at `words[start]`, else one typed loosely."""
        exact = super().at(words, start)
        if exact is not None:
            return exact
        candidates = [*self._unanchored, *(
            phrase for at in self._places if start + at < len(words)
            for phrase in self._anchored.get((at, words[start + at]), ()))]
        typed = [phrase for phrase in candidates
                 if self._typed_loosely(phrase, words[start : start + len(phrase)])]
        return max(typed, key=len, default=None)

    def covered(self, words: Sequence[str]) -> set[int]:
        """The positions of `words` that some phrase covers (remembered per sentence)."""
        key = tuple(words)
        if key not in self._covered:
            if len(self._covered) >= _REMEMBERED:
                self._covered.clear()
            self._covered[key] = super().covered(words)
        return set(self._covered[key])

    def _typed_loosely(self, phrase: Phrase, typed: Sequence[str]) -> bool:
        if len(typed) != len(phrase):
            return False
        typos = 0
        for want, got in zip(phrase, typed, strict=True):
            if want == got:
                continue
            if not _may_carry_a_typo(want) or got in self._real_words \
                    or not one_edit_apart(want, got):
                return False
            typos += 1
        return 2 * typos <= len(phrase)


def _may_carry_a_typo(word: str) -> bool:
    return len(word) >= TYPO_MIN_LENGTH and word.isalpha()


class Canon:
    """One way to say a thing said many ways: "not able to", "unable to", "cant" -> "can't".

    Why: the model learns from examples, and an inability told in words it has seldom
    seen ("right now not able to move my legs") otherwise reads as a denial ("not ...
    move my legs"), or as words it knows nothing about; rewritten, it meets everything
    learnt from "can't move my legs". Longer phrases win, so "i'm not able to" is "i can't",
    and rewriting goes on until nothing changes, so a variant may be written in the form
    an earlier one gives ("can't say i" also meets "cannot say i").
    """

    def __init__(
        self, same: Mapping[str, Iterable[str]], counted: Mapping[str, Iterable[str]] | None = None,
        contracted: Mapping[str, Any] | None = None,
    ) -> None:
        """`same` maps each way of saying it to the variants that mean the same.

        `counted` reads a short count of days or hours as "few": "the last 3 days" is "the
        last few days", a time of now. Its `leads` come before the count, its `numbers`
        are the counts, its `units` follow.

        `contracted` undoes a contraction of any word before the words it names: "dad's
        not breathing" is "dad is not breathing", whoever is named, so that one variant in
        `same` ("is not breathing") meets every person's name.
        """
        self._as: dict[Phrase, Phrase] = {
            tuple(tokens(variant)): tuple(tokens(canonical))
            for canonical, variants in same.items() for variant in variants}
        self._variants = PhraseSet(self._as)
        counted = counted or {}
        self._leads, self._numbers, self._units = (
            frozenset(counted.get(key, ())) for key in ("leads", "numbers", "units"))
        contracted = contracted or {}
        self._suffix: str = contracted.get("suffix", "")
        self._expanded: str = contracted.get("as", "")
        self._before = frozenset(contracted.get("before", ()))

    def rewrite(self, words: Sequence[str]) -> list[str]:
        """The words with every variant replaced by its one way of saying it."""
        out = self._uncontracted(words)
        for _ in range(_REWRITE_PASSES):
            before, out, at = out, [], 0
            while at < len(before):
                phrase = self._variants.at(before, at)
                out.extend(self._as[phrase] if phrase else (before[at],))
                at += len(phrase) if phrase else 1
            if out == before:
                break
        return [FEW if self._counts(out, at) else word for at, word in enumerate(out)]

    def _uncontracted(self, words: Sequence[str]) -> list[str]:
        out: list[str] = []
        for at, word in enumerate(words):
            if self._suffix and word.endswith(self._suffix) and len(word) > len(self._suffix) \
                    and at + 1 < len(words) and words[at + 1] in self._before:
                out += [word[:-len(self._suffix)], self._expanded]
            else:
                out.append(word)
        return out

    def _counts(self, words: Sequence[str], at: int) -> bool:
        """Whether `words[at]` counts days or hours after a lead ("last 3 days")."""
        return 0 < at < len(words) - 1 and words[at] in self._numbers \
            and words[at - 1] in self._leads and words[at + 1] in self._units


NO_CANON = Canon({})
NO_PHRASES = PhraseSet(())


@dataclass(frozen=True)
class Scope:
    """Where negation and time are read: cue words and the words that end a clause."""

    negation: frozenset[str]
    pseudo_negation: PhraseSet
    inability: frozenset[str]
    breaks: frozenset[str]
    not_breaks: PhraseSet
    continuations: frozenset[str]
    clause_starters: frozenset[str]
    past: PhraseSet
    now: PhraseSet
    contrasts: frozenset[str] = frozenset()
    affirmations: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    degrees: frozenset[str] = frozenset()
    canon: Canon = NO_CANON
    tag_questions: PhraseSet = NO_PHRASES
    not_a_yes_before: frozenset[str] = frozenset()
    over: PhraseSet = NO_PHRASES
    present: frozenset[str] = frozenset()
    past_tense: frozenset[str] = frozenset()
    # phrases of a sign that hold a negation word ("no feeling in", "better off without me"):
    # where one occurs, its negation word is part of the sign and denies nothing
    signs: PhraseSet = NO_PHRASES


@dataclass(frozen=True)
class Word:
    """One word of a message with what governs it."""

    text: str
    clause: int
    negated: bool
    sentence: int = 0


@dataclass(frozen=True)
class Reading:
    """A message split into words (with negation) and clauses (with their time)."""

    words: tuple[Word, ...]
    past_clauses: frozenset[int]
    now_clauses: frozenset[int]
    questions: frozenset[int] = frozenset()  # sentences that end with "?"

    @property
    def clauses(self) -> int:
        """How many clauses the message has."""
        return self.words[-1].clause + 1 if self.words else 0

    def mark(self, at: int) -> str:
        """How the word at `at` is said: "neg:" (denied), "past:" (over), or "" (now)."""
        word = self.words[at]
        if word.negated:
            return "neg:"
        return "past:" if word.clause in self.past_clauses else ""


def says_no(words: Sequence[str], at: int, scope: Scope) -> bool:
    """Whether `words[at]` is a no ("none", "nope"): not a pseudo-negation nor in a sign."""
    return words[at] in scope.negation and not scope.pseudo_negation.at(words, at) \
        and not scope.signs.covers(words, at)


def is_negation(words: Sequence[str], at: int, scope: Scope) -> bool:
    """Whether `words[at]` negates what follows it (not a pseudo-negation or inability)."""
    if not says_no(words, at, scope):
        return False
    if at + 1 == len(words) or words[at + 1] in scope.breaks:
        return False  # "I need to pee or not, and..." negates nothing after it
    return not (at > 0 and words[at - 1] in scope.inability)


def read(text_or_words: str | Sequence[str], scope: Scope) -> Reading:
    """Split into clauses, mark negated words and past or present-time clauses."""
    words = scope.canon.rewrite(
        tokens(text_or_words) if isinstance(text_or_words, str) else text_or_words)
    marked: list[Word] = []
    clause, sentence, negating, listing = 0, 0, False, False
    questions: set[int] = set()
    not_breaks = scope.not_breaks.covered(words) | _settled(words, scope)
    denied = _denied_times(words, scope)
    tags = _tag_questions(words, scope)
    for at, word in enumerate(words):
        if word in scope.breaks and at not in not_breaks \
                and not (listing and _continues(words, at, scope)):
            if marked and marked[-1].clause == clause:
                clause += 1
            negating = listing = False
        if at in tags:
            sentence += 1
        if word in SENTENCE_ENDS:
            if word == "?":
                questions.add(sentence)
            sentence += 1
        if not word.isalnum() and "'" not in word:
            continue
        if is_negation(words, at, scope):
            negating = True
            continue
        listing |= negating and word not in scope.degrees  # "not really, …" is a whole answer
        marked.append(Word(word, clause, negating or at in denied, sentence))
    answered = {a.sentence: a.said_no for a in _self_answered(words, scope)}
    for n, said_no in answered.items():
        of_function = any(w.text in scope.functions for w in marked if w.sentence == n)
        if said_no and not of_function:
            marked = [Word(w.text, w.clause, True, n) if w.sentence == n else w
                      for w in marked]
    past, now = _clause_times(marked, scope) if not denied else (set(), set())
    stated = frozenset(questions) - set(answered)
    return Reading(tuple(marked), frozenset(past - now), frozenset(now), stated)


def _tag_questions(words: Sequence[str], scope: Scope) -> set[int]:
    """Commas that end a statement before a tag question: "coughing up blood, is that bad?".

    The question asks about the statement, it does not make it a hypothetical: the
    statement is its own sentence, said, and the tag a sentence asked.
    """
    found = set()
    for at in range(len(words) - 1):
        tag = scope.tag_questions.at(words, at + 1) if words[at] == "," else None
        if tag and list(words[at + 1 + len(tag):at + 2 + len(tag)]) in (["?"], []):
            found.add(at)
    return found


def _settled(words: Sequence[str], scope: Scope) -> set[int]:
    """Time words that end a phrase of the past and its clause: "but fine now.", "back then,".

    They belong to the clause before them; followed by more words ("was fine now its
    numb again", "back then my legs…") the time word opens a clause, as it did.
    """
    return {at for at in scope.past.covered(words) if words[at] in scope.breaks
            and (at + 1 == len(words) or not words[at + 1].isalnum())}


def _denied_times(words: Sequence[str], scope: Scope) -> set[int]:
    """The times of now in a bare answer that denies them: "not today", "hoy no", "nope, not now".

    The time words end a clause, so a negation before one would negate nothing, and one
    after it ends the message; yet alone together they say "not now", so nothing in the
    answer is of now (nor of the past). Only a whole answer made of negations and times of
    now counts: in "ahorita nada" after "orine poquito", or "i havent today", the negation
    is about a symptom, not the time.
    """
    times: set[int] = set()
    for at in range(len(words)):
        phrase = scope.now.at(words, at)
        if phrase and phrase[-1] in scope.breaks:
            times.update(range(at, at + len(phrase)))
    said = [at for at, word in enumerate(words) if word.isalnum() or "'" in word]
    negations = [at for at in said if words[at] in scope.negation]
    if times and negations and all(at in times or at in negations for at in said):
        return times
    return set()


def told_after_a_bare_no(text: str, scope: Scope, turned_only: bool = True) -> str | None:
    """What follows a leading "no, but" ("no, but my legs are numb"), if the message has one.

    The "no" answers what was asked and the "but" turns to news of its own, to be read
    without the "no". Without the turn ("no, nothing like that now") the rest is the no,
    unless `turned_only` is off: after "are you having thoughts of ending your life?", the
    rest of "no, i just want the pain to stop for good" is news of its own, which the
    leading "no" hid from the model (a frozen judge, stop 62).
    A degree right after the "no" belongs to it: "not yet, can't hold it up long enough"
    is a whole answer and its reason, though "yet" can also mean "but".
    """
    words = tokens(text)
    after = 2 if len(words) > 1 and words[1] in scope.degrees else 1
    if len(words) < after + 2 or words[0] not in scope.negation \
            or words[after] not in scope.breaks:
        return None
    start = next((i for i in range(after, len(words)) if words[i] not in scope.breaks),
                 len(words))
    turned = not turned_only or any(word in scope.contrasts for word in words[after:start])
    return joined(words[start:]) if turned and start < len(words) else None


def after_a_leading_yes(text: str, scope: Scope) -> str | None:
    """What a reply says after the yes it opens with: "yes, why?" gives "why?".

    The yes answers what was asked, and what follows does not always take it back: a
    question back or a wish to talk to a person leaves it standing (`takes_back`).
    """
    words = scope.canon.rewrite(tokens(text))
    if not words or words[0] not in scope.affirmations \
            or (len(words) > 1 and words[1] in scope.not_a_yes_before):
        return None  # "ya fui a emergencias": already, not yes
    start = next((i for i in range(1, len(words)) if words[i] not in scope.breaks), len(words))
    return joined(words[start:]) if start < len(words) else None


def takes_back(text: str, scope: Scope) -> bool:
    """Whether what follows a yes takes it back.

    It does when it denies ("none", "i dont have any") or tells a story only of the past
    ("i had a fever in december, fine now").
    """
    words = scope.canon.rewrite(tokens(text))
    if any(says_no(words, at, scope) for at in range(len(words))):
        return True
    reading = read(words, scope)
    return bool(reading.past_clauses and not reading.now_clauses)


def in_the_present(reading: Reading, scope: Scope) -> bool:
    """Whether a message is told in the present tense, with no mark of the past.

    A sign is often told with no time at all, or with one no list holds ("since lunch my
    left leg and arm feel heavy"): a clause with a verb in the present tense (`present`)
    and none in the past (`past_tense`) says it of now ("…went numb and i cant see the
    right half of stuff"). A story ("i hit my head", "my legs gave out", "i wanted to
    die") is not, nor a message with a mark of the past.
    """
    if reading.past_clauses:
        return False
    by_clause: dict[int, set[str]] = {}
    for word in reading.words:
        by_clause.setdefault(word.clause, set()).add(word.text)
    return any(said & scope.present and not said & scope.past_tense
               for said in by_clause.values())


def told_as_over(reading: Reading, scope: Scope) -> bool:
    """Whether a text tells something as over ("then back to normal"), not denied.

    "it hasnt gone away" tells nothing over.
    """
    return any(not reading.words[at].negated
               for at in scope.over.covered([word.text for word in reading.words]))


class _SelfAnswered(NamedTuple):
    """A question the patient asks and at once answers: its sentence and words, and how."""

    sentence: int
    start: int
    end: int  # the "?"
    said_no: bool


def _self_answered(words: Sequence[str], scope: Scope) -> list[_SelfAnswered]:
    """Sentences the patient asks, or echoes, and at once answers with a bare yes or no.

    Patients echo a checklist item and answer it, as a question ("fever? no.") or as a
    list entry ("weak legs, yes.", "legs weak yes"). A bare no denies the item, unless the
    item is a function ("bladder control? no" says it is lost); a bare yes states it.
    Either way the sentence no longer asks. A list entry counts only with a yes ("me
    duele el pecho, no" is as often a tag question as a denial), and not when the entry
    denies ("no numbness, yes": the yes confirms the no).
    """
    found, sentence, start = [], 0, 0
    for at, word in enumerate([*words, "."]):
        if word not in SENTENCE_ENDS:
            continue
        reply = words[at + 1] if at + 1 < len(words) else ""
        after = words[at + 2] if at + 2 < len(words) else "."
        if word == "?" and after in scope.breaks | SENTENCE_ENDS:
            if reply in scope.affirmations:
                found.append(_SelfAnswered(sentence, start, at, said_no=False))
            elif at + 1 < len(words) and says_no(words, at + 1, scope):
                found.append(_SelfAnswered(sentence, start, at, said_no=True))
        elif word != "?" and at - 1 > start and words[at - 1] in scope.affirmations:
            end = at - 2 if words[at - 2] in _ENTRY_ENDS else at - 1
            entry = max((i + 1 for i in range(start, end) if words[i] in _ENTRY_ENDS),
                        default=start)
            if entry < end and not any(is_negation(words, i, scope) for i in range(entry, end)):
                found.append(_SelfAnswered(sentence, entry, end, said_no=False))
        sentence, start = sentence + 1, at + 1
    return found


def affirmed_items(text: str, scope: Scope) -> list[str]:
    """The items a patient asks and at once answers yes to: "weak legs? yes" gives "weak legs".

    After the safety checklist such an item reads as "yes, weak legs". An item about a
    function ("breathing ok? yes") says it works, so it is left out.
    """
    return _answered_items(text, scope, said_no=False)


def denied_items(text: str, scope: Scope) -> list[str]:
    """The items a patient asks and at once answers no to: "fever? none." gives "fever".

    An item about a function ("bladder control? no") is left out: its no says it is lost.
    """
    return _answered_items(text, scope, said_no=True)


def _answered_items(text: str, scope: Scope, said_no: bool) -> list[str]:
    words = scope.canon.rewrite(tokens(text))
    items = [" ".join(w for w in words[a.start:a.end] if w.isalnum() or "'" in w)
             for a in _self_answered(words, scope) if a.said_no == said_no]
    return [item for item in items if item and not scope.functions & set(item.split())]


def is_bare_no(text: str, scope: Scope) -> bool:
    """Whether a reply is only a no ("no", "nope.", "No!"), nothing said beyond it."""
    words = [w for w in tokens(text) if w.isalnum()]
    return bool(words) and len(words) <= 2 and all(w in scope.negation for w in words)


def _continues(words: Sequence[str], at: int, scope: Scope) -> bool:
    """Whether a list goes on here ("no numbness, tingling or weakness") inside a negation."""
    following = words[at + 1] if at + 1 < len(words) else ""
    return words[at] in scope.continuations and following not in scope.clause_starters


def _clause_times(marked: Sequence[Word], scope: Scope) -> tuple[set[int], set[int]]:
    """Clauses told in the past and clauses said of now.

    A "now" inside a past phrase ("fine now", "healed now") does not count as now.
    """
    by_clause: dict[int, list[str]] = {}
    for word in marked:
        by_clause.setdefault(word.clause, []).append(word.text)
    past, now = set(), set()
    for clause, words in by_clause.items():
        over = scope.past.covered(words)
        if over or any(YEAR.fullmatch(w) for w in words):
            past.add(clause)
        if scope.now.covered(words) - over:
            now.add(clause)
    return past, now


NOT = "n't"


def negated_words(words: Sequence[str], scope: Scope) -> list[bool]:
    """Which words stand inside a negation's scope (for callers with tokens).

    One pass from the left: a negation opens a scope, a clause break that does not
    continue it closes it, so a long message costs linear time. spaCy splits "hasnt",
    typed without its apostrophe, into "has" and "nt": that "nt" is a "n't".
    """
    words = [NOT if word == "nt" and i else word for i, word in enumerate(words)]
    negated, inside = [], False
    for i in range(len(words)):
        negated.append(inside)
        if words[i] in scope.breaks and not _continues(words, i, scope):
            inside = False
        elif is_negation(words, i, scope):
            inside = True
    return negated

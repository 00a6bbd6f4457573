"""The detector's vocabulary, read from `data/emergency/lexicon.yml`.

Concepts group the many ways patients name one thing ("chest", "ticker", "pecho"); a
word of six letters or more that is not a common word also matches a concept word one
edit away, so typos ("numbess", "suicdal") still count. Candidates come from an index of
one-letter deletions built once (the SymSpell idea), so a word costs a few dictionary
lookups rather than a comparison with every concept word.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from spacy.lang.en.stop_words import STOP_WORDS as STOP_WORDS_EN
from spacy.lang.es.stop_words import STOP_WORDS as STOP_WORDS_ES

from bot.core.emergency.injury import NewInjury
from bot.core.emergency.text import (
    Canon,
    LoosePhraseSet,
    Phrase,
    PhraseSet,
    Reading,
    Scope,
    tokens,
)
from bot.core.spelling import one_edit_apart
from bot.settings import ROOT

LEXICON_FILE = ROOT / "data" / "emergency" / "lexicon.yml"
FUZZY_MIN_LENGTH = 6  # shorter words are too often other words: "carga" / "cargar"
# Real words are never typos of another ("every" is not "fever"): spaCy's stop words.
_COMMON_WORDS = frozenset(STOP_WORDS_EN | STOP_WORDS_ES)


@dataclass(frozen=True)
class Lexicon:
    """Scope rules, concepts, certain phrases and question marks."""

    scope: Scope
    concepts: Mapping[Phrase, frozenset[str]]
    concept_phrases: PhraseSet
    certain: Mapping[str, PhraseSet]
    asking: PhraseSet
    what_to_do: PhraseSet  # a cry for help: no question about what counts
    fuzzy: Mapping[str, frozenset[str]]  # deletion key -> concept words
    not_typos: frozenset[str]  # real words one letter from a concept word ("ladder")
    combinations: Mapping[str, tuple[Combination, ...]]  # kind -> concept sets
    cries: PhraseSet  # a cry for help: `what_to_do` and "help"
    cried: Mapping[str, tuple[Combination, ...]]  # combinations that need a cry
    ors: frozenset[str]  # "or" between two cries
    calls: frozenset[str]  # "911": after a cry to call, any other choice
    alternatives: PhraseSet  # "or wait": a cry's other choice
    not_signs: PhraseSet  # concept words that count for no combination ("blood pressure")
    cancels: Mapping[str, PhraseSet]  # words that cancel a combination in their clause
    self_harm_signs: frozenset[str]
    self_harm_only: frozenset[str]
    self_harm_told: frozenset[str]
    medical_signs: frozenset[str]
    others_signs: frozenset[str]  # signs of another person's body that call for 911
    others_alone: frozenset[str]  # ...that tell of another person by themselves
    self_harm_acts: frozenset[str]
    checklist_picks: PhraseSet
    new_injury: NewInjury
    deaths: PhraseSet
    wishes_to_join: PhraseSet
    anchors: PhraseSet  # marks of the past that only place a sign at the injury's time
    person: str  # the concept of another person: who, not what, so no sign

    def concepts_at(self, words: Sequence[str], at: int) -> tuple[frozenset[str], int]:
        """The concepts named by the phrase starting at `words[at]`, and its length."""
        phrase = self.concept_phrases.at(words, at)
        if phrase is not None:
            return self.concepts[phrase], len(phrase)
        word = words[at]
        if len(word) < FUZZY_MIN_LENGTH or word in _COMMON_WORDS:
            return frozenset(), 1
        near = {known for key in _deletions(word) for known in self.fuzzy.get(key, ())}
        return frozenset(
            name for known in near if one_edit_apart(word, known)
            for name in self.concepts[(known,)]
        ), 1

    def clause_concepts(
        self, reading: Reading, keep: Callable[[int], bool] = lambda at: True
    ) -> dict[tuple[int, str], set[str]]:
        """The concepts named in each clause, keyed by clause and how they are said.

        The key's second part is `Reading.mark`; `keep` can leave out words by position. A
        phrase is denied if any of its words is: a reading keeps no negation word, so "they
        are not doing cpr" holds "they are doing cpr" with its last words denied.
        """
        words = [w.text for w in reading.words]
        found: dict[tuple[int, str], set[str]] = {}
        i = 0
        while i < len(words):
            names, length = self.concepts_at(words, i)
            if names and keep(i):
                marks = {reading.mark(j) for j in range(i, i + length)}
                mark = "neg:" if "neg:" in marks else reading.mark(i)
                found.setdefault((reading.words[i].clause, mark), set()).update(names)
            i += length
        return found

    def combination(
        self, reading: Reading, of_now: Callable[[int], bool], past: bool = False
    ) -> tuple[str, str] | None:
        """A red flag made of concepts said together in one clause, of now.

        "my butt feels asleep" is saddle numbness; "nobody would miss me" a warning sign
        of suicide. `of_now` tells which words count (not in a question, not in a story
        told in the past). Returns the kind and the concepts' names ("medical",
        "NUMB+SADDLE") of the first combination found, or None. Words of `not_signs`
        ("blood pressure") count for none, nor do real words read as typos of a concept
        word (`not_typos`: "ladder" is no "bladder"). `past`: a clause told in the past
        counts too. The combinations of `cried` count only in a clause of now that cries
        for help or is next to a clause that only cries ("my wife just collapsed what do i
        do", "mi jefe se desmayó, que hago").
        """
        words = [w.text for w in reading.words]
        named = self.not_signs.covered(words)

        def counted(at: int) -> bool:
            typo = words[at] in self.not_typos and not self.concept_phrases.at(words, at)
            return of_now(at) and at not in named and not typo

        found = self.clause_concepts(reading, counted)
        cancelled = self._cancels_by_clause(reading, words)
        for (clause, mark), names in found.items():
            for kind, combos in self.combinations.items():
                for combo in combos:
                    if mark in ("", "past:" if past else "") \
                            and combo.holds(names, cancelled.get(clause, set())):
                        return kind, combo.name
        candidates = [(clause, kind, combo) for (clause, mark), names in found.items()
                      if not mark for kind, combos in self.cried.items()
                      for combo in combos if combo.holds(names, cancelled.get(clause, set()))]
        crying = self._crying_clauses(reading) if candidates else set()
        for clause, kind, combo in candidates:
            if clause in crying:
                return kind, combo.name
        return None

    def _cancels_by_clause(self, reading: Reading, words: Sequence[str]) -> dict[int, set[str]]:
        """The names of `cancels` said in each clause, however they are said."""
        found: dict[int, set[str]] = {}
        for name, phrases in self.cancels.items():
            for at in phrases.covered(words):
                found.setdefault(reading.words[at].clause, set()).add(name)
        return found

    def _crying_clauses(self, reading: Reading) -> set[int]:
        """The clauses that cry for help, and the clauses next to one that only cries.

        "my wife just collapsed what do i do", "mi jefe se desmayó, que hago", "my wife
        just collapsed!! what do i do?"; not a cry that is denied, supposes or asks more
        ("what do i do if…"), nor a clause that says more than the cry next to one
        ("help me understand the rules, my coworker fainted on the line").
        """
        clauses: dict[int, list[int]] = {}
        sentences: dict[int, list[str]] = {}
        for at, word in enumerate(reading.words):
            clauses.setdefault(word.clause, []).append(at)
            sentences.setdefault(word.sentence, []).append(word.text)
        told = list(clauses)
        crying: set[int] = set()
        for n, clause in enumerate(told):
            said = [reading.words[at].text for at in clauses[clause]]
            covered = self.cries.covered(said)
            cry = [clauses[clause][i] for i in covered]
            sentence = sentences[reading.words[clauses[clause][0]].sentence]
            if not cry or any(reading.words[at].negated for at in cry) \
                    or not self._is_a_cry(sentence, self.cries):
                continue
            crying.update(told[max(0, n - 1) : n + 2] if self._only_cries(said, covered)
                          else [clause])
        return crying

    def _only_cries(self, said: Sequence[str], covered: set[int]) -> bool:
        """Whether a clause is nothing but cries, joined by "or", and perhaps another choice.

        "do we call 911 or what do we do", "should we call 911 or not" and "what do i do
        or wait" tell nothing more; "what do i do or let him be" does.
        """
        rest = [at for at in range(len(said)) if at not in covered
                and not (said[at] in self.ors and at + 1 in covered)]
        if not rest:
            return True
        calls = any(said[at] in self.calls for at in covered)
        return rest[0] > max(covered) and (
            self.alternatives.at(said, rest[0]) is not None
            or (calls and said[rest[0]] in self.ors))

    def wish_to_join(self, reading: Reading, told: Callable[[int], bool]) -> bool:
        """Whether a wish to join someone who died is said of now ("he died, i want to join him").

        The death may be told anywhere and in any time, unless denied; the wish must be
        unmarked (not denied, not told in the past) and `told` (not in a question).
        """
        words = [w.text for w in reading.words]
        died = any(self.deaths.at(words, at) and reading.mark(at) != "neg:"
                   for at in range(len(words)))
        return died and any(
            (wish := self.wishes_to_join.at(words, at)) and all(
                told(j) and not reading.mark(j) for j in range(at, at + len(wish)))
            for at in range(len(words)))

    def asks_what_to_do(self, words: Sequence[str]) -> bool:
        """Whether a sentence is a cry for help, not a question about what counts.

        "what do i do my wife is unconscious": no other mark of asking outside the cry
        ("do i" is one inside it), and nothing supposed ("what do i do if she faints").
        """
        return self._is_a_cry(words, self.what_to_do)

    def _is_a_cry(self, words: Sequence[str], cries: PhraseSet) -> bool:
        cry = cries.covered(words)
        return bool(cry) and not any(
            self.asking.at(words, at) for at in range(len(words)) if at not in cry
        ) and not any(word in self.new_injury.hypothetical for word in words)

    def names_a_sign(self, reading: Reading) -> bool:
        """Whether a medical sign is named as of now, neither denied nor past."""
        return any(not mark and names & self.medical_signs
                   for (_, mark), names in self.clause_concepts(reading).items())

    def self_harm_denied(self, reading: Reading) -> bool:
        """Whether every self-harm word is denied and a medical sign is said of now.

        "i dont want to die, i think im having a heart attack": the denial is no warning
        sign, the chest pain is a medical emergency. Words of `not_signs` name no sign
        ("ya no se para que sigo" is no bleeding that "no se para").
        """
        said: dict[str, set[str]] = {}
        for (_, mark), names in self._sign_concepts(reading).items():
            said.setdefault(mark, set()).update(names)
        denied = said.get("neg:", set()) & self.self_harm_signs
        kept = (said.get("", set()) | said.get("past:", set())) & self.self_harm_signs
        return bool(denied) and not kept and bool(said.get("", set()) & self.medical_signs)

    def names_only_self_harm(self, reading: Reading, of_now: Callable[[int], bool]) -> bool:
        """Whether a warning sign of suicide is said of now and no other concept at all.

        Not even denied: "havent been able to pee" beside "i feel like giving up" names
        the bladder.
        """
        said = set().union(*(names for (_, mark), names
                              in self.clause_concepts(reading, of_now).items() if not mark))
        named = set().union(*self.clause_concepts(reading).values()) - {self.person}
        return bool(said & self.self_harm_only) and named <= self.self_harm_only

    def tells_of_another(self, reading: Reading, of_now: Callable[[int], bool]) -> bool:
        """Whether a clause of now tells of another person's body in danger.

        "mi esposo se desplomó, que hago", "somebody just keeled over in the waiting area":
        the writer tells of someone else's collapse, not of their own thoughts; so does
        CPR given now (`others_alone`: "theyre giving him cpr right now").
        """
        return any(not mark and ((self.person in names and names & self.others_signs)
                                 or names & self.others_alone)
                   for (_, mark), names in self.clause_concepts(reading, of_now).items())

    def names_self_harm(self, reading: Reading) -> bool:
        """Whether a warning sign of suicide or a means is named, not denied.

        "the one about the chest, that one" names none; "yeah i took a bunch of pills" does.
        """
        return any(mark != "neg:" and names & self.self_harm_told
                   for (_, mark), names in self.clause_concepts(reading).items())

    def done_on_purpose(self, reading: Reading) -> bool:
        """Whether the message says something was done on purpose, not denied.

        Told in the past too ("i cut my wrist on purpose 20 min ago, still bleeding"): the
        act is past, the harm is now. Words of `not_signs` tell none ("cutting himself
        off from everyone").
        """
        return any(mark != "neg:" and names & self.self_harm_acts
                   for (_, mark), names in self._sign_concepts(reading).items())

    def _sign_concepts(self, reading: Reading) -> dict[tuple[int, str], set[str]]:
        """`clause_concepts` without the words of `not_signs`, which name no sign."""
        named = self.not_signs.covered([w.text for w in reading.words])
        return self.clause_concepts(reading, lambda at: at not in named)


class Combination(NamedTuple):
    """Concepts said together in one clause, unless the clause also says one of `unless`.

    "theyre doing cpr on him" is someone given CPR now; "theyre doing cpr training at
    work tomorrow" and "we're doing compressions on the dummy" are practice. What cancels
    is a list of the lexicon's `cancels`, read by the rule only: as concepts, the model
    would learn "hurt my" anew.
    """

    needed: frozenset[str]
    unless: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        """How the finding is logged: the concepts that make it ("NUMB+SADDLE")."""
        return "+".join(sorted(self.needed))

    def holds(self, names: set[str], cancels: set[str]) -> bool:
        """Whether a clause's concepts make it, given the `cancels` said in the clause."""
        return self.needed <= names and not self.unless & cancels


def _combinations(
    raw: Mapping[str, Sequence[Sequence[str] | Mapping[str, Sequence[str]]]]
) -> dict[str, tuple[Combination, ...]]:
    """Each kind's combinations: a list of concepts, or `all` and `unless` lists."""
    return {kind: tuple(
        Combination(frozenset(combo["all"]), frozenset(combo.get("unless", ())))
        if isinstance(combo, Mapping) else Combination(frozenset(combo))
        for combo in combos) for kind, combos in raw.items()}


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _concepts(
    raw: Mapping[str, Sequence[str | Sequence[str]]], canon: Canon
) -> dict[Phrase, frozenset[str]]:
    """Each phrase's concepts.

    An item may be a list: phrases that name two concepts at once ("no bladder control"),
    written once as a YAML anchor and used under both.
    """
    table: dict[Phrase, set[str]] = {}
    for name, items in raw.items():
        for item in items:
            for phrase in [item] if isinstance(item, str) else item:
                table.setdefault(tuple(canon.rewrite(tokens(phrase))), set()).add(name)
    return {phrase: frozenset(names) for phrase, names in table.items() if phrase}


def _people(spec: Mapping[str, Any], lists: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The concept of another person, from the people reader's own lists (one source).

    Those are written without apostrophes; the detector's words keep them ("my wife's
    unconscious", "he's unresponsive"). A person's name is not read with a typo: "bother"
    is no "brother", "laughter" no "daughter" (`load_lexicon` leaves them out of `fuzzy`).
    """
    words = [word for key in spec["lists"] for word in lists[key]] + spec.get("unnamed", [])
    return {spec["concept"]: [*words, *(f"{word}'s" for word in words)]}


def _plain_contractions(
    spec: Mapping[str, Any], lists: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """A person's name before "not", typed with "s" for "is" or with no verb at all.

    "moms not breathing" and "baby not breathing" are "mom is not", "baby is not". Only
    names of a person (`plain_contractions` lists of the people file) and only before
    "not" or a whole sign of another's body (`bare_s_before`), so a word that ends in "s"
    ("boss", "this") is never cut, nor a plural elsewhere; a name read so is that person
    ("my sons not breathing" is as urgent either way). A name that ends in "s" is read
    with no verb only ("boss not"): typing folds a second "s" away. Before a sign the "s"
    is dropped: "my dads unconscious" is "my dad unconscious", a person and a sign.
    """
    names = [word for key in spec["plain_contractions"] for word in lists[key]
             if " " not in word]
    not_ = {f"{word} is not": [f"{word} not", *([] if word.endswith("s") else [f"{word}s not"])]
            for word in names}
    return {**not_, **{f"{word} {after}": [f"{word}s {after}"] for word in names
                       if not word.endswith("s") for after in spec["bare_s_before"]}}


def _fuzzy_index(concepts: Mapping[Phrase, frozenset[str]]) -> dict[str, frozenset[str]]:
    """One-letter deletions of every single concept word -> the concept words."""
    index: dict[str, set[str]] = {}
    for phrase in concepts:
        if len(phrase) == 1 and len(phrase[0]) >= FUZZY_MIN_LENGTH:
            for key in _deletions(phrase[0]):
                index.setdefault(key, set()).add(phrase[0])
    return {key: frozenset(words) for key, words in index.items()}


def _words(items: Sequence[str], canon: Canon) -> frozenset[str]:
    return frozenset(t for item in items for t in canon.rewrite(tokens(item)))


@cache
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read the lexicon file once per process."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = raw["scope"]
    people = yaml.safe_load((ROOT / raw["people"]["file"]).read_text(encoding="utf-8"))
    canon = Canon({**_plain_contractions(raw["people"], people), **words["same_as"]},
                  words["counted"], words["contracted"])
    phrases = partial(PhraseSet.of, canon=canon)
    listed = partial(_words, canon=canon)
    scope = Scope(
        negation=listed(words["negation"]),
        pseudo_negation=phrases(words["pseudo_negation"]),
        inability=listed(words["inability"]),
        breaks=frozenset(words["breaks"]),
        not_breaks=phrases(words["not_breaks"]),
        continuations=frozenset(words["continuations"]),
        tag_questions=phrases(words["tag_questions"]),
        clause_starters=listed(words["clause_starters"]),
        past=phrases([*words["past"], *words["over"], *(
            f"{word} {month}" for word in words["month_words"] for month in words["months"])]),
        over=phrases(words["over"]),
        now=phrases(words["now"]),
        present=listed(words["present"]),
        past_tense=listed(words["past_tense"]),
        contrasts=frozenset(words["contrasts"]),
        affirmations=listed(words["affirmations"]),
        not_a_yes_before=listed(words["not_a_yes_before"]),
        functions=listed(words["functions"]),
        degrees=listed(words["degrees"]),
        canon=canon,
    )
    person = raw["people"]["concept"]
    not_typos = listed(raw["not_typos"])

    def loose(texts: Sequence[str]) -> LoosePhraseSet:
        return LoosePhraseSet((tuple(canon.rewrite(tokens(t))) for t in texts), not_typos)

    what_to_do = [*raw["what_to_do"], *raw["cried"]["or_cries"]]
    concepts = _concepts({**raw["concepts"], **_people(raw["people"], people)}, canon)
    signs = PhraseSet(p for p in concepts if any(word in scope.negation for word in p))
    return Lexicon(
        scope=replace(scope, signs=signs),
        concepts=concepts,
        concept_phrases=PhraseSet(concepts),
        certain={kind: phrases(items) for kind, items in raw["certain"].items()},
        asking=phrases(raw["asking"]),
        what_to_do=loose(what_to_do),
        fuzzy=_fuzzy_index({phrase: names for phrase, names in concepts.items()
                            if person not in names}),
        not_typos=not_typos,
        combinations=_combinations(raw["combinations"]),
        cries=loose([*what_to_do, *raw["cried"]["cries"]]),
        cried=_combinations(raw["cried"]["combinations"]),
        ors=listed(raw["cried"]["or"]),
        calls=listed(raw["cried"]["calls"]),
        alternatives=phrases(raw["cried"]["alternatives"]),
        not_signs=phrases(raw["not_signs"]),
        cancels={name: phrases(items) for name, items in raw["cancels"].items()},
        self_harm_signs=frozenset(raw["kinds"]["self_harm_signs"]),
        self_harm_only=frozenset(raw["kinds"]["self_harm_only"]),
        self_harm_told=frozenset(raw["kinds"]["self_harm_told"]),
        medical_signs=frozenset(raw["kinds"]["medical_signs"]),
        others_signs=frozenset(raw["kinds"]["others_signs"]),
        others_alone=frozenset(raw["kinds"]["others_alone"]),
        self_harm_acts=frozenset(raw["kinds"]["self_harm_acts"]),
        checklist_picks=phrases(raw["checklist_picks"]),
        new_injury=NewInjury.of(raw["new_injury"], words["months"], phrases, listed),
        deaths=phrases(raw["reunion"]["deaths"]),
        wishes_to_join=phrases(raw["reunion"]["wishes"]),
        anchors=phrases(raw["anchors"]),
        person=person,
    )

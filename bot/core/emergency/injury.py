"""A new injury and a leg that bears no weight: a red flag told across a message.

The fact sheet counts "being unable to put weight on a leg after a new fall, crash or
accident". Patients seldom say both in one clause ("slipped on the ice an hour ago. i
can't put my foot down"), and the time that makes the injury new ("an hour ago") is a
time of the past, so the clause-bound combinations pass it by; the model, which weighs
every word, reads a worry or a question told with it as calm. This rule reads the whole
message instead: an injury with a time of the last days in its sentence, and a leg that
bears no weight, said in any sentence, neither denied nor asked about nor a limit of
stamina ("can't walk far"); and neither long past ("the knee i twisted in march") nor
already seen to ("xray was clean"). Its words are in the `new_injury` section of the
lexicon, read by this rule only: the model, and how it reads negation, stay as learnt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.emergency.text import SENTENCE_ENDS, PhraseSet, Scope, negated_words
from bot.core.questions import asks_a_question

_CLAUSE_ENDS = frozenset(",;")
_NEAR = 2  # words between an inability and the action: "can't even", "no puedo ni"
_AGO_WITHIN = 4  # words from a unit to its "ago": "an hour and a half ago"
_HACE_WITHIN = 3  # words from "hace" to its unit: "hace como 2 horas"


@dataclass(frozen=True)
class NewInjury:
    """The words of the rule, in the form messages are read in (`Canon`)."""

    injuries: PhraseSet
    not_injuries: PhraseSet
    recent: PhraseSet
    units: frozenset[str]
    ago: frozenset[str]
    hace: frozenset[str]
    been: frozenset[str]
    hours: frozenset[str]
    counts: frozenset[str]
    long_ago: PhraseSet
    seen_to: PhraseSet
    unable: PhraseSet
    actions: PhraseSet
    no_weight: PhraseSet
    not_after: PhraseSet
    answers: frozenset[str]
    hypothetical: frozenset[str]

    @classmethod
    def of(cls, raw: Mapping[str, Any], months: Sequence[str],
           phrases: Callable[[Sequence[str]], PhraseSet],
           words: Callable[[Sequence[str]], frozenset[str]]) -> NewInjury:
        """Read the `new_injury` section of the lexicon file; a month is long past too."""
        raw = {**raw, "long_ago": [*raw["long_ago"], *months]}
        return cls(**{name: (words if name in ("units", "ago", "hace", "been", "hours", "counts",
                                             "answers", "hypothetical")
                             else phrases)(raw[name]) for name in cls.__dataclass_fields__})

    def told(self, words: Sequence[str], scope: Scope, asking: PhraseSet) -> bool:
        """Whether the message (its words in `Canon` form, lines ended by ".") tells both.

        Neither counts in a sentence that opens as a question ("is it an emergency if i
        fell today and cant put weight on it"), a clause that asks ("…, is it broken?",
        "…, should i go to the er") or a hypothetical ("if i fall again and cant walk").
        """
        if self.seen_to.in_(words):
            return False
        negated = self._negated(words, scope)
        injured = no_weight = False
        for sentence in _split(range(len(words)), words, SENTENCE_ENDS):
            said = [words[at] for at in sentence]
            clauses = _split(sentence, words, _CLAUSE_ENDS)
            opening = " ".join(words[at] for at in clauses[0] if words[at].isalnum())
            if self.long_ago.in_(said) or asks_a_question(opening):
                continue
            recent = self._recent(said)
            for clause in clauses:
                told = [words[at] for at in clause]
                if "?" in told or told[0] in self.hypothetical or asking.in_(told):
                    continue
                skipped = self.not_injuries.covered(told)
                for i, at in enumerate(clause):
                    if negated[at]:
                        continue
                    injured |= recent and i not in skipped and bool(self.injuries.at(told, i))
                    no_weight |= self._no_weight_at(told, i)
        return injured and no_weight

    def _negated(self, words: Sequence[str], scope: Scope) -> list[bool]:
        """Which words a negation covers, an inability and an answer agreeing with it aside.

        "haven't been able to stand" denies nothing, nor does the "no" of "no i literally
        cant step on it".
        """
        inabilities = self.unable.covered(words)
        agreeing = {at for at, word in enumerate(words) if word in self.answers
                    and inabilities & set(range(at + 1, at + 2 + _NEAR))}
        return negated_words(["_" if at in inabilities | agreeing else word
                              for at, word in enumerate(words)], scope)

    def _no_weight_at(self, said: Sequence[str], at: int) -> bool:
        """Whether a leg that bears no weight is said from `said[at]` on."""
        phrase = self.no_weight.at(said, at)
        if phrase:
            return self._not_stamina(said, at + len(phrase))
        unable = self.unable.at(said, at)
        if not unable:
            return False
        start = at + len(unable)
        for gap in range(start, min(start + _NEAR + 1, len(said))):
            action = self.actions.at(said, gap)
            if action:
                return self._not_stamina(said, gap + len(action))
        return False

    def _not_stamina(self, said: Sequence[str], end: int) -> bool:
        return not (end < len(said) and self.not_after.at(said, end))

    def _recent(self, said: Sequence[str]) -> bool:
        """Whether a time of the last days is said ("this morning", "20min ago", "hace rato").

        "been" only before a number of hours ("its been 3 hrs", "been like 2 hours"):
        "been 12 days since my fall" may be long, "been doing 8 hour shifts" tells no time.
        """
        if self.recent.in_(said):
            return True
        for at, word in enumerate(said):
            after = set(said[at + 1 : at + 1 + _AGO_WITHIN])
            before = set(said[max(0, at - _HACE_WITHIN) : at])
            unit = word.lstrip("0123456789")
            if (unit in self.units and (self.ago & after or self.hace & before)) \
                    or (unit in self.hours and self._been_before(said, at)):
                return True
        return False

    def _been_before(self, said: Sequence[str], at: int) -> bool:
        """Whether "been" comes before `at` with only words of a count between."""
        for back in range(at - 1, max(-1, at - 1 - _HACE_WITHIN), -1):
            if said[back] in self.been:
                return True
            if said[back] not in self.counts:
                return False
        return False


def _split(positions: Sequence[int], words: Sequence[str],
           ends: frozenset[str]) -> list[list[int]]:
    """The positions split after each word of `ends` (kept with the part it ends)."""
    parts: list[list[int]] = [[]]
    for at in positions:
        parts[-1].append(at)
        if words[at] in ends:
            parts.append([])
    return [part for part in parts if part]

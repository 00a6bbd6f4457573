"""A new injury and a leg that bears no weight: a red flag told across a message.

The fact sheet counts "being unable to put weight on a leg after a new fall, crash or
accident". Patients seldom say both in one clause ("slipped on the ice an hour ago. i
can't put my foot down"), and the time that makes the injury new ("an hour ago") is a
time of the past, so the clause-bound combinations pass it by; the model, which weighs
every word, reads a worry or a question told with it as calm. This rule reads the whole
message instead: an injury with a time of the last days in its sentence, and a leg that
bears no weight, said anywhere, not denied, not asked about, and not a limit of stamina
("can't walk far"). Its words are in the `new_injury` section of the lexicon, read by
this rule only: the model, and how it reads negation, stay as they were learnt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.emergency.text import PhraseSet, Scope, negated_words

_SENTENCE_ENDS = frozenset(".!?")
_NEAR = 2  # words between an inability and the action: "can't even", "no puedo ni"


@dataclass(frozen=True)
class NewInjury:
    """The words of the rule, in the form messages are read in (`Canon`)."""

    injuries: PhraseSet
    recent: PhraseSet
    units: frozenset[str]  # "min", "horas": recent with `ago` after or `hace` before
    ago: frozenset[str]
    hace: frozenset[str]
    unable: PhraseSet
    actions: PhraseSet
    no_weight: PhraseSet
    not_after: PhraseSet  # "far", "for long": a limit of stamina

    @classmethod
    def of(cls, raw: Mapping[str, Any], phrases: Callable[[Sequence[str]], PhraseSet],
           words: Callable[[Sequence[str]], frozenset[str]]) -> NewInjury:
        """Read the `new_injury` section of the lexicon file."""
        return cls(injuries=phrases(raw["injuries"]), recent=phrases(raw["recent"]),
                   units=words(raw["units"]), ago=words(raw["ago"]), hace=words(raw["hace"]),
                   unable=phrases(raw["unable"]), actions=phrases(raw["actions"]),
                   no_weight=phrases(raw["no_weight"]), not_after=phrases(raw["not_after"]))

    def told(self, words: Sequence[str], scope: Scope, asking: PhraseSet) -> bool:
        """Whether the message (its words in `Canon` form) tells both, said of now.

        A sentence that asks ("?", "what if") tells neither: "is it an emergency if i
        fell today and cant put weight on it?".
        """
        inabilities = self.unable.covered(words)  # "haven't been able to" denies nothing
        negated = negated_words(
            ["_" if at in inabilities else word for at, word in enumerate(words)], scope)
        injured = no_weight = False
        for sentence in _sentences(words):
            said = [words[at] for at in sentence]
            if "?" in said or asking.in_(said):
                continue
            recent = self._recent(said)
            for i, at in enumerate(sentence):
                if negated[at]:
                    continue
                injured |= recent and self.injuries.at(said, i) is not None
                no_weight |= self._no_weight_at(said, i)
        return injured and no_weight

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
        """Whether a time of the last days is said ("this morning", "20 min ago", "hace rato")."""
        if self.recent.in_(said):
            return True
        for at, word in enumerate(said):
            after = said[at + 1] if at + 1 < len(said) else ""
            before = set(said[max(0, at - 3) : at])
            if word in self.units and (after in self.ago or self.hace & before):
                return True
        return False


def _sentences(words: Sequence[str]) -> list[list[int]]:
    """The positions of each sentence's words, its end mark included."""
    found: list[list[int]] = [[]]
    for at, word in enumerate(words):
        found[-1].append(at)
        if word in _SENTENCE_ENDS:
            found.append([])
    return [sentence for sentence in found if sentence]

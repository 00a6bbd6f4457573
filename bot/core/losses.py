"""Whether a message tells of someone's death, so that the reply first says sorry.

A patient who wrote "my buddy died in the same scaffold collapse that hurt my back. what
is work hardening" got the answer, and not a word about the loss (a blind hand trial of
stop 57). The death words are the emergency lexicon's (`reunion.deaths`: "died", "passed
away", "falleció"…), the people those of `patterns/people.yml`. A death counts when it
is not denied, a person is named within a few words of it in its clause ("my dad passed
away", "se murió mi papá"), and the clause does not suppose it ("if my wife died…").
"my phone died", "my dad almost died" (`patterns/losses.yml`) and "my dad didnt die" tell
no loss. The same file adds words the lexicon leaves out ("my brother passed last week",
not "passed out" or "passed the test"), a loss told by the person right after it ("i
lost my dad", "perdí a mi papá", not "i lost touch with my brother" or "i lost my kids in
the divorce"), "passed" before a time in figures or the patient going on ("my dad passed 2
weeks ago", "since my dad passed i cant focus"), and people named in the plural ("my
parents died").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

import yaml

from bot.core.emergency.lexicon import load_lexicon
from bot.core.emergency.text import Phrase, PhraseSet, Word, read
from bot.core.questions import any_of
from bot.core.someone_else import people_named

LOSSES_FILE = Path(__file__).resolve().parent / "patterns" / "losses.yml"
NEAR = 4
"""At most this many words between the person and the death ("my buddy from the crew died")."""
WINDOW = 3
"""Words before a death word read for what says nobody died ("could have")."""


class _Words(NamedTuple):
    not_a_death: re.Pattern[str]
    deaths: PhraseSet
    needs_a_when: frozenset[str]
    when_words: PhraseSet
    counts: frozenset[str]
    time_units: frozenset[str]
    time_clauses: PhraseSet
    openers: frozenset[str]
    lost: PhraseSet
    other_losses: re.Pattern[str]
    determiners: frozenset[str]
    people: frozenset[str]


@cache
def _words() -> _Words:
    lists = yaml.safe_load(LOSSES_FILE.read_text(encoding="utf-8"))
    return _Words(any_of(tuple(lists["not_a_death"])), PhraseSet.of(lists["deaths"]),
                  frozenset(lists["needs_a_when"]), PhraseSet.of(lists["when_words"]),
                  frozenset(lists["counts"]), frozenset(lists["time_units"]),
                  PhraseSet.of(lists["time_clauses"]), frozenset(lists["openers"]),
                  PhraseSet.of(lists["lost"]),
                  any_of(tuple(lists["other_losses"])), frozenset(lists["determiners"]),
                  frozenset(lists["people"]))


def tells_a_loss(text: str) -> bool:
    """Whether the message tells that someone the patient names has died."""
    lexicon, own = load_lexicon(), _words()
    reading = read(text, lexicon.scope)
    words = [word.text for word in reading.words]
    people = {at for person in people_named(words) for at in person}
    people |= {at for at, word in enumerate(words) if word in own.people}
    supposing = set(lexicon.new_injury.hypothetical)
    supposed_from: dict[int, int] = {}
    for at, word in enumerate(reading.words):
        if words[at] in supposing:
            supposed_from.setdefault(word.clause, at)
    for at, word in enumerate(reading.words):
        death = lexicon.deaths.at(words, at) or _own_death_at(words, reading.words, at, own)
        lost = own.lost.at(words, at)
        if not (death or lost) or reading.mark(at) == "neg:" \
                or supposed_from.get(word.clause, at) < at \
                or own.not_a_death.search(" ".join(words[max(0, at - WINDOW): at])):
            continue
        if lost:  # "i lost my dad": a person right after, behind "my"
            end = at + len(lost)
            near = range(end + 1, min(len(words), end + 3)) \
                if end < len(words) and words[end] in own.determiners else range(0)
            after = [w for j, w in enumerate(words[end + 2:end + 6], end + 2)
                     if reading.words[j].clause == word.clause]
            if own.other_losses.search(" ".join(after)):
                continue  # "i lost my kids in the divorce"
        else:
            near = range(max(0, at - NEAR), min(len(words), at + len(death) + NEAR))
        if any(j in people and reading.words[j].clause == word.clause for j in near):
            return True
    return False


def _own_death_at(
    words: list[str], said: Sequence[Word], at: int, own: _Words
) -> Phrase | None:
    """A death word of ours at `at`, where what follows does not undo it ("passed out")."""
    death = own.deaths.at(words, at)
    if not death or death[0] not in own.needs_a_when:
        return death
    after = at + len(death)
    if after == len(said) or said[after].clause != said[at].clause \
            or own.when_words.at(words, after):
        return death
    opened = any(own.time_clauses.at(words, i) for i in range(at)
                 if said[i].clause == said[at].clause)
    if opened and words[after] in own.openers:  # "since my dad passed i cant focus"
        return death
    ago = words[after + 2: after + 3] == ["ago"] and words[after + 1] in own.time_units \
        and (words[after].isdigit() or words[after] in own.counts)  # "2 weeks ago"
    return death if ago else None

"""Whether a message tells of someone's death, so that the reply first says sorry.

A patient who wrote "my buddy died in the same scaffold collapse that hurt my back. what
is work hardening" got the answer, and not a word about the loss (a blind hand trial of
stop 57). The death words are the emergency lexicon's (`reunion.deaths`: "died", "passed
away", "falleció"…), the people those of `patterns/people.yml`. A death counts when it
is not denied, a person is named within a few words of it in its clause ("my dad passed
away", "se murió mi papá"), and the clause does not suppose it ("if my wife died…").
"my phone died", "my dad almost died" (`patterns/losses.yml`) and "my dad didnt die" tell
no loss. The same file adds words the lexicon leaves out ("my brother passed last week",
not "passed out"), a loss told by the person after it ("i lost my dad", "perdí a mi
papá", not "i lost my job"), and people named in the plural ("my parents died").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

import yaml

from bot.core.emergency.lexicon import load_lexicon
from bot.core.emergency.text import Phrase, PhraseSet, read
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
    not_after: PhraseSet
    lost: PhraseSet
    people: frozenset[str]


@cache
def _words() -> _Words:
    lists = yaml.safe_load(LOSSES_FILE.read_text(encoding="utf-8"))
    return _Words(any_of(tuple(lists["not_a_death"])), PhraseSet.of(lists["deaths"]),
                  PhraseSet.of(lists["not_after"]), PhraseSet.of(lists["lost"]),
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
        death, lost = _death_at(words, at, lexicon.deaths, own), own.lost.at(words, at)
        if not (death or lost) or reading.mark(at) == "neg:" \
                or supposed_from.get(word.clause, at) < at \
                or own.not_a_death.search(" ".join(words[max(0, at - WINDOW): at])):
            continue
        end = at + len(death or lost or ())
        near = range(end if lost else max(0, at - NEAR), min(len(words), end + NEAR))
        if any(j in people and reading.words[j].clause == word.clause for j in near):
            return True
    return False


def _death_at(words: list[str], at: int, lexicon: PhraseSet, own: _Words) -> Phrase | None:
    """The death word at `at`: the lexicon's, or one of ours not followed by what undoes it."""
    death = lexicon.at(words, at)
    if death:
        return death
    death = own.deaths.at(words, at)
    after = at + len(death) if death else at
    return death if death and (after == len(words) or not own.not_after.at(words, after)) \
        else None

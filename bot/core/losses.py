"""Whether a message tells of someone's death, so that the reply first says sorry.

A patient who wrote "my buddy died in the same scaffold collapse that hurt my back. what
is work hardening" got the answer, and not a word about the loss (a blind hand trial of
stop 57). The death words are the emergency lexicon's (`reunion.deaths`: "died", "passed
away", "falleció"…), the people those of `patterns/people.yml`. A death counts when it
is not denied, a person is named within a few words of it in its clause ("my dad passed
away", "se murió mi papá"), and the clause does not suppose it ("if my wife died…").
"my phone died", "my dad almost died" (`patterns/losses.yml`) and "my dad didnt die" tell
no loss.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.core.emergency.lexicon import load_lexicon
from bot.core.emergency.text import read
from bot.core.questions import any_of
from bot.core.someone_else import people_named

LOSSES_FILE = Path(__file__).resolve().parent / "patterns" / "losses.yml"
NEAR = 4
"""At most this many words between the person and the death ("my buddy from the crew died")."""
WINDOW = 3
"""Words before a death word read for what says nobody died ("could have")."""


@cache
def _not_a_death() -> re.Pattern[str]:
    return any_of(tuple(yaml.safe_load(LOSSES_FILE.read_text(encoding="utf-8"))["not_a_death"]))


def tells_a_loss(text: str) -> bool:
    """Whether the message tells that someone the patient names has died."""
    lexicon = load_lexicon()
    reading = read(text, lexicon.scope)
    words = [word.text for word in reading.words]
    people = {at for person in people_named(words) for at in person}
    supposing = set(lexicon.new_injury.hypothetical)
    supposed_from: dict[int, int] = {}
    for at, word in enumerate(reading.words):
        if words[at] in supposing:
            supposed_from.setdefault(word.clause, at)
    for at, word in enumerate(reading.words):
        death = lexicon.deaths.at(words, at)
        if not death or reading.mark(at) == "neg:" \
                or supposed_from.get(word.clause, at) < at \
                or _not_a_death().search(" ".join(words[max(0, at - WINDOW): at])):
            continue
        near = range(max(0, at - NEAR), min(len(words), at + len(death) + NEAR))
        if any(j in people and reading.words[j].clause == word.clause for j in near):
            return True
    return False

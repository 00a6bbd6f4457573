"""Whether a reply waves away what the patient said before ("lol no im fine forget it").

After an alarm, a no that explains itself ("no, that was years ago", "I meant the
paperwork") shows a misunderstanding: the assistant apologises and goes on. A no that
only waves the alarm away ("jk", "olvídalo"), or promises not to act ("im not gonna do
anything"), is not that: clinicians take words about
ending one's life, or about a body in danger, seriously even when they are taken back,
so the reply keeps the number in view instead of apologising for a mistake. The words
live in `bot/core/patterns/dismissals.yml`; a closed class, like negation cues, so a list
fits. A denied one ("not kidding", "no es broma") waves nothing away. A no that tells
the patient was checked since ("went to the ER, they said it was a pulled muscle") is no
misreading either: the alarm was acted on, and the reply says so. A no that only tells
the sign has passed ("no, ya pasó") does not say when it began: signs that came today and
passed still need care now.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.core.questions import any_of, fold

DISMISSALS_FILE = Path(__file__).resolve().parent / "patterns" / "dismissals.yml"
_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018\u0060\u00b4")


RETRACTIONS = ("retractions",)
MEANT = ("phrases", "reassurances")
WAVING_AWAY = (*RETRACTIONS, *MEANT)
CHECKUPS = ("checkups",)
PASSINGS = ("passings",)
_PART_BREAK = re.compile(r"[,.;:!?¡¿]|\b(?:but|pero|and|y|though)\b")


@cache
def _lists() -> dict[str, list[str]]:
    return yaml.safe_load(DISMISSALS_FILE.read_text(encoding="utf-8"))


@cache
def _pattern(keys: tuple[str, ...], denials: str = "denials") -> re.Pattern[str]:
    lists = _lists()
    said = any_of(tuple(phrase for key in keys for phrase in lists[key])).pattern
    denial = any_of(tuple(lists[denials])).pattern
    return re.compile(rf"(?<![a-z0-9])(?P<denial>{denial} )?{said}(?![a-z0-9])")


def dismisses(text: str) -> bool:
    """Whether the reply waves away what was said, with or without a no beside it."""
    return any(denial is None for denial in _denials(text, WAVING_AWAY))


def retracts(text: str) -> bool:
    """Whether the reply takes its words back without saying they were wrong ("forget it").

    After "are you having thoughts of ending your life?", "no. forget what i said about
    the rope" denies nothing a clinician would accept (a frozen judge, stop 62).
    """
    return any(denial is None for denial in _denials(text, RETRACTIONS))


def insists(text: str) -> bool:
    """Whether the reply denies waving it away ("no im not kidding", "no es broma").

    Not a "no" before words taken back: "no scratch that, it was years ago" retracts.
    """
    return any(denial is not None for denial in _denials(text, MEANT))


def tells_a_checkup(text: str) -> bool:
    """Whether the reply tells the patient was checked since ("went to the er, no clot")."""
    return any(denial is None for denial in _denials(text, CHECKUPS))


def tells_being_unwell(text: str) -> bool:
    """Whether the reply tells the writer is not well ("no im not ok", "no nothing helps").

    After a suicide alarm such a no is no all-clear (fresh reviews of stop 72). Read a part
    at a time, as `dismissals.yml` says: a state of being well denied, or despair told
    outright, in a part that tells of no thing; unless the thoughts are denied outright.
    """
    if any(denial is None for denial in _denials(text, ("thoughts_denied",))):
        return False
    lists = _lists()
    return any(_unwell_part(part.split(), lists)
               for part in _PART_BREAK.split(as_listed(text)))


def _unwell_part(words: list[str], lists: dict[str, list[str]]) -> bool:
    """`tells_being_unwell`, read on one part of the reply."""
    said = f" {' '.join(words)} "
    if any(f" {thing} " in said for thing in lists["of_a_thing"]):
        return False
    if any(match.group("denial") is None  # not "frustrated, not hopeless"
           for match in _pattern(("unwell",), "passing_denials").finditer(said)):
        return True
    well, feeling = set(lists["wellness"]), set(lists["feeling_words"])
    mind = any(word in lists["of_the_mind"] for word in words)
    for at, word in enumerate(words):
        if word not in lists["unwell_denials"] or (not mind and any(
                earlier in lists["possessives"] for earlier in words[:at])):
            continue
        gap = 0
        while gap < 3 and at + 1 + gap < len(words) and words[at + 1 + gap] in feeling:
            gap += 1
        state = words[at + 1 + gap:at + 3 + gap]
        if (gap or word != "no") and state and (
                state[0] in well or " ".join(state) in well):
            return True
    return False


def tells_it_passed(text: str) -> bool:
    """Whether the reply tells the sign has passed ("no, ya pasó", "its gone now")."""
    return any(denial is None for denial in _denials(text, PASSINGS, "passing_denials"))


def _denials(text: str, keys: tuple[str, ...], denials: str = "denials") -> list[str | None]:
    """For each phrase of the lists `keys` in the text, the denial before it, if any."""
    return [match.group("denial")
            for match in _pattern(keys, denials).finditer(as_listed(text))]


def as_listed(text: str) -> str:
    """The text as the lists are written: folded, no apostrophes, one space between words."""
    said = fold(text.lower()).translate(_APOSTROPHES)
    return " ".join(re.findall(r"[a-z0-9]+|[^a-z0-9\s]", said))


def put_off_words(key: str) -> tuple[str, ...]:
    """A list of the words of a call put off (`put_off`, `reach_later`, `to_be_called`…)."""
    return tuple(_lists()[key])


def reaching_out_words() -> frozenset[str]:
    """Words of talking to someone, besides those of a phone call (`declines_to_call`)."""
    return frozenset(_lists()["reaching_out"])

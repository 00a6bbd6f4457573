"""Whether a reply to an alarm says that 911 (or 988) was called, or help is on its way.

"ok i called them", "ya llamé al 911", "the ambulance is on the way": the advice was
followed. The reply is no yes to be answered with the advice again, nor a request for the
clinic's number ("ok i called them" got the clinic's number and a call-back offer in the
`make run` trial of stop 70). It is read narrowly: the whole reply must be one of the
forms of `bot/core/patterns/help_called.yml`, with at most two short words of assent or
thanks before and of time or thanks after, since four fresh reviews of stop 71 found looser
readings taking failed calls, threats, questions, sarcasm and calls to anyone for help
called. After a suicide alarm, the crisis line reached is read the same way. The same
file names emergency help (`names_emergency_help`) and the bare acknowledgements that may
follow the reply (`acknowledges`). Written by hand over the lists: a closed class of
short replies, which no library reads.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.core.emergency.detector import Kind
from bot.core.emergency.text import tokens
from bot.core.questions import any_of
from bot.core.someone_else import names

HELP_CALLED_FILE = Path(__file__).resolve().parent / "patterns" / "help_called.yml"
_SLOT = re.compile(r"\{(\w+)\}")
_PLAIN = frozenset(".,!¡'\u2019")


@cache
def _lists() -> dict[str, list[str]]:
    """The file's lists; `people`, `them` and `named_es` name the people reader's people."""
    lists = yaml.safe_load(HELP_CALLED_FILE.read_text(encoding="utf-8"))
    return {**lists, **{key: _named(lists[key]) for key in ("people", "them", "named_es")}}


def _named(spec: dict[str, list[str]]) -> list[str]:
    """`words`, and every name of `lists` after each of `determiners` ("my roommate").

    The names are the people reader's (`people.yml`), plurals too: "my roommate called
    911" was no call while they were listed here by hand (the `make run` trial of stop
    72), nor "my coworkers called 911" while they were singular (stop 73).
    """
    listed = [name for key in spec["lists"] for name in names(key)]
    return [*spec["words"], *(f"{det} {name}" for det in spec["determiners"] for name in listed)]


@cache
def _replies(key: str, tails: str = "tails") -> re.Pattern[str]:
    """One pattern for the forms of `key`, lead-ins and `tails` included, over a whole reply."""
    lists = _lists()

    def words(name: str) -> str:
        return any_of(tuple(lists[name])).pattern

    forms = "|".join(_SLOT.sub(lambda slot: words(slot[1]), form) for form in lists[key])
    return re.compile(rf"(?:{words('lead_ins')} ){{0,2}}(?:{forms})(?: {words(tails)}){{0,2}}")


def names_emergency_help(text: str) -> bool:
    """Whether a reply names emergency help at all (`emergency_help`: 911, an ambulance…)."""
    return bool(any_of(tuple(_lists()["emergency_help"])).search(_words(text)))


@cache
def _acknowledgement() -> re.Pattern[str]:
    return re.compile(rf"(?:{any_of(tuple(_lists()['lead_ins'])).pattern} ?){{1,3}}")


def acknowledges(text: str) -> bool:
    """Whether a reply is nothing but a few words of assent or thanks ("ok", "ok thanks")."""
    return bool(_acknowledgement().fullmatch(_words(text)))


def _words(text: str) -> str:
    """The reply's words, "'s" and "'re" apart ("the ambulance's on the way")."""
    return " ".join(re.sub(r"'(s|re)$", r" \1", word).replace("'", "")
                    for word in tokens(text) if word[0].isalnum())


def says_help_has_them(part: str) -> bool:
    """Whether a part of a reply tells that help has another person now (`has_them`).

    "the ambulance took him", "se lo llevó la ambulancia": the whole part, with no
    question mark or emoji.
    """
    return _plain(part) and bool(_replies("has_them").fullmatch(_words(part)))


def _plain(text: str) -> bool:
    """No question mark nor emoji: either may say what the words do not ("🙄")."""
    return all(char.isalnum() or char.isspace() or char in _PLAIN for char in text)


def tells_it_worsens(text: str) -> bool:
    """Whether a reply says the sign grows ("its getting worse", "me duele mas").

    Not denied, supposed or past ("call again if it gets worse", "it was worse earlier").
    """
    return any(match.group("denied") is None for match in _worse().finditer(_words(text)))


@cache
def _worse() -> re.Pattern[str]:
    """A sign said to grow, with the denial before it, if any, as `denied`."""
    lists = _lists()
    denied, between, worse = (any_of(tuple(lists[key])).pattern
                              for key in ("worse_denials", "worse_between", "worse"))
    return re.compile(
        rf"(?<![a-z0-9])(?P<denied>(?:{denied}) (?:(?:{between}) ){{0,2}})?{worse}(?![a-z0-9])")


def says_help_was_called(text: str, told: bool = False, kind: Kind = Kind.MEDICAL) -> bool:
    """Whether the whole reply tells that 911 was called or help is coming (see the module).

    `told`: the patient said so already since the alarm; then "they" are the ones called
    ("they're here now", `after_called`). After a suicide alarm (`kind`), whether it tells
    that the crisis line was reached (`forms_self_harm`: "ok i called 988"); `told` counts
    for nothing then.
    """
    if not _plain(text):
        return False
    said = _words(text)
    if kind is Kind.SELF_HARM:
        return bool(_replies("forms_self_harm", "tails_now").fullmatch(said))
    return bool(_replies("forms").fullmatch(said)
                or (told and _replies("after_called").fullmatch(said)))

"""Whether a reply to an alarm tells it was about another person, not the writer.

People write in about someone else: a coworker who talks of ending it, a husband on the
floor. The assistant's check question is about the writer ("Are you having thoughts of
ending your life?"); the reply then tells who: "its not me its him!! should i call
911?" (hand trial of stop 53), "mi compañero", "neighbor. she fell off her ladder". That
person needs the advice, and an apology to the writer for a misreading would leave them
without it. The reading is by short, closed-class word lists (`patterns/people.yml`),
like negation cues, and tuned on `tests/people_at_risk/dev/` only.

Two strengths: a reply that *says* it is another person (`tells_someone_else`: "not me,
my brother"), and one that *names* another person as its answer (`names_someone_else`:
"es mi hijo"), weaker: "its my wife, she left and i cant go on" names her too. Either way
a reply can tell a risk of the writer's own beside it ("not me, my brother. but honestly
i want to die too"): `bot.core.alarm_answers` takes neither reading then. A reply that
only speaks of another person is not enough: the writer's own words are often left out
("started tuesday. my mom thinks its nothing", "mi hermana dice que no es nada pero sigo
sin sentir").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.core.dismissals import as_listed
from bot.core.questions import asks_a_question, asks_which_fits_oneself

PEOPLE_FILE = Path(__file__).resolve().parent / "patterns" / "people.yml"
_PEOPLE_LISTS = ("kin", "persons")
PUNCTUATION = frozenset(".,;:!?¡¿…-")
HEAD_PARTS = 3
"""How many parts, each up to a comma or a sentence end, may come before the rest of a reply
that tells of the person it names ("im fine. its my mom, she gave away her jewelry")."""
_BOUNDARY = re.compile(r"[.!?;,\n]")
_PARTS = re.compile(r"[.!?;,:…\n]|(?:^|\s)(?:but|and|pero|y)\s", re.IGNORECASE)
"""Where a reply's parts end: a mark (a colon and an ellipsis too), or "but", "and",
"pero" or "y" between clauses."""
MAX_PLACE_WORDS = 3
"""Words a place may take after the person it follows ("the guy on my crew.")."""

Words = tuple[str, ...]


@dataclass(frozen=True)
class _Lists:
    """The word lists of `people.yml`, each phrase split into words, by its first word."""

    lists: dict[str, dict[str, list[Words]]]

    def longest(self, key: str, words: Sequence[str], at: int) -> int:
        """How many words from `at` the longest phrase of the list `key` covers (0: none)."""
        starting = self.lists[key].get(words[at], ()) if at < len(words) else ()
        return max((len(p) for p in starting if tuple(words[at:at + len(p)]) == p), default=0)

    def phrases(self, key: str) -> list[Words]:
        return [p for starting in self.lists[key].values() for p in starting]

    def anywhere(self, key: str, words: Sequence[str]) -> bool:
        return any(self.longest(key, words, at) for at in range(len(words)))


@cache
def _people_file() -> dict[str, list[str]]:
    return yaml.safe_load(PEOPLE_FILE.read_text(encoding="utf-8"))


def names(key: str) -> list[str]:
    """The names of the list `key` of `people.yml`; of people, with their plurals too.

    A plural is the name and "s" ("my brothers the one", "coworkers", "mis compañeros"):
    names are short nouns of both languages, and a plural that English forms otherwise
    ("bosses", "men") is simply not read as one.
    """
    listed = _people_file()[key]
    plurals = [f"{name}s" for name in listed] if key in _PEOPLE_LISTS else []
    return [*listed, *plurals]


@cache
def _lists() -> _Lists:
    phrases = {key: {tuple(p.split()) for p in names(key)} for key in _people_file()}
    by_first: dict[str, dict[str, list[Words]]] = {}
    for key, listed in phrases.items():
        for phrase in listed:
            by_first.setdefault(key, {}).setdefault(phrase[0], []).append(phrase)
    return _Lists(by_first)


def tells_someone_else(text: str) -> bool:
    """Whether the reply says, in so many words, the alarm was about another person.

    As the answer it opens with: "someone else", "asking for a friend" (not "someone else
    would be better off without me"), or a person as the whole reply ("my roommate", "no,
    mi compañero de trabajo"); "not me" with a person named ("its not me its him"; not
    "its not me, its the pain talking"); or writing for a person named next ("typing for
    my coworker"; not "texting for help"). Its first parts may say it, and the rest tell
    of them ("no, es mi papá, dice que es una carga"), but only when the rest says nothing
    of the writer ("its my wife. honestly i want to die too", "its my dad. he knows i
    want to end it", "its my son. he found my stash of pills"): a frozen judge (stop 62)
    had the writer thanked for telling of thoughts that were the father's.
    """
    if _says_someone_else(text):
        return True
    lists = _lists()
    cuts = [match.start() for match in _BOUNDARY.finditer(text)][:HEAD_PARTS]
    return any(_says_someone_else(text[:cut]) and not lists.anywhere(
        "of_oneself", as_listed(text[cut + 1:]).split()) for cut in cuts)


def _says_someone_else(text: str) -> bool:
    """`tells_someone_else`, read on the whole of `text`."""
    lists, words = _lists(), as_listed(text).split()
    start = _after_openers(lists, words)
    answer = lists.longest("someone_else", words, start)
    if answer and _ends(words, start + answer):
        return True
    if lists.anywhere("not_me", words) and any(
            _person(lists, words, at) for at in range(len(words))):
        return True
    for at in range(len(words)):
        writing_for = lists.longest("for_someone", words, at)
        if writing_for and _person(lists, words, at + writing_for):
            return True
    if _ends_with_only_a_person(lists, words):
        return True
    opening = _person(lists, words, start)  # the whole reply: "my roommate"
    return bool(opening) and _nothing_after(words, _after_place(lists, words, start + opening))


def _ends_with_only_a_person(lists: _Lists, words: Sequence[str]) -> bool:
    """Whether a reply that opens with a no ends with only a person ("no i dont, it is only him").

    Not "i miss him so much. just him" (no no first), nor "nomas mi compa. pero yo
    tampoco estoy bien" (the writer's own words follow): a fresh review of stop 55.
    """
    if not words or not lists.longest("noes", words, 0):
        return False
    for at in range(len(words)):
        only = lists.longest("only", words, at)
        person = only and (_person(lists, words, at + only)
                           or lists.longest("after_only", words, at + only))
        if person and _nothing_after(words, _after_place(lists, words, at + only + person)):
            return True
    return False


def names_someone_else(text: str) -> bool:
    """Whether the reply answers "who?" with another person, unless it answers "me" first.

    As the answer it opens with ("mi compañero, ahorita", "the guy on my crew. he
    said…"), after "its" or "es" ("es mi hijo"; not "no es mi hijo, soy yo"), as the
    one ("my sister is the one"); not "me. not my coworker, i made that up". Weaker than
    saying so: "its my wife, she left and i cant go on" names her too.
    """
    if answers_me(text):
        return False
    lists, words = _lists(), as_listed(text).split()
    start = _after_openers(lists, words)
    for at in range(len(words)):
        length = _person(lists, words, at)
        if length and (lists.longest("the_one", words, at + length)
                       or _after_its(lists, words, at)):
            return True
    opening = _person(lists, words, start)
    denied = any(lists.longest("denials", words, at) for at in range(start))
    return bool(opening) and not denied and _ends(
        words, _after_place(lists, words, start + opening))


def people_named(words: Sequence[str]) -> list[range]:
    """Where a person is named among the words, as kin or after a determiner.

    "my buddy", "mi papa", "the guy"; not "he". The words are the emergency reader's.
    """
    lists = _lists()
    return [range(at, at + length) for at in range(len(words))
            if (length := _person(lists, words, at, pronouns=False))]


def about_another(text: str) -> bool:
    """Whether the reply says, or names as its answer, another person as the one at risk."""
    return tells_someone_else(text) or names_someone_else(text)


def shares_their_state(text: str) -> bool:
    """Whether a part of the reply says the writer is in the same state, naming no one in it.

    "not me, my brother. i feel the same tho", "its my dad, he said that. been feeling the
    same", "mi esposa... y yo lo mismo": after telling of another, the writer tells a risk
    of their own in a word that points back at theirs (a blind hand trial, stop 61: the
    writer's alarm was cleared). Not "im worried about him too", nor "can you help her
    too": a part that names a person is about them.
    """
    lists = _lists()
    for part in clauses(text):
        words = as_listed(part).split()
        if lists.anywhere("shared", words) and not lists.anywhere("told_of_another", words) \
                and not mentions_a_person(part):
            return True
    return False


def clauses(text: str) -> list[str]:
    """The reply's parts, each up to a mark or a "but" or "and" between clauses."""
    return [part.strip() for part in _PARTS.split(text) if part.strip()]


def tails(sentence: str) -> list[str]:
    """The sentence, and what follows each mark or "but" or "and" in it, to its end.

    "not sure, and my dad fell and hit his head and wont wake up": a part from "my dad"
    on keeps what happened to him, which the parts cut at each "and" lose.
    """
    return [tail for tail in (sentence, *(sentence[cut.end():] for cut in _PARTS.finditer(
        sentence))) if tail.strip()]


def tells_hearsay_of_oneself(part: str) -> bool:
    """Whether a part tells what another says, with no word of them in what is said.

    "wife says face is drooping", "my boss thinks its a stroke": the writer's own sign,
    often told without "i"; not "my coworker says he wants to end it" nor "my roommate said
    goodbye and took a bottle of pills", which tell of that person. In English only
    (`people.yml`).
    """
    lists, words = _lists(), as_listed(part).split()
    if lists.anywhere("pronouns", words):
        return False  # "locked himself in with his pills and said goodbye"
    return lists.anywhere("hearsay", words)


def speaks_as_oneself(sentence: str) -> bool:
    """Whether a sentence is told by the writer of themselves ("i just want to be with her").

    Not when it also tells of another ("he says he wants to end it, i dont know what to do").
    """
    lists, words = _lists(), as_listed(sentence).split()
    return lists.anywhere("oneself", words) and not lists.anywhere("told_of_another", words)


SUBJECT_WORDS = 3
"""How near the start of a part, past its openers, the person it tells of is named."""


def tells_of_a_person_first(part: str) -> bool:
    """Whether a part opens by naming a person or speaking of one ("pero mi esposo no sabe").

    The person told of is then its subject, not one named in passing ("dont tell my wife").
    """
    lists, words = _lists(), as_listed(part).split()
    start = _after_openers(lists, words)
    return any(_person(lists, words, at) or lists.longest("told_of_another", words, at)
               for at in range(start, min(start + SUBJECT_WORDS, len(words))))


def says_a_word_of_oneself(part: str) -> bool:
    """Whether a part of a reply has a word of the writer's own, besides a person it names.

    "my kids would be better off without me", "mi esposa me escondió las pastillas": the
    writer is in it; "my dad is the one with the chest pain" only names him, and "he told
    me he has a gun" has the writer only as the one told.
    """
    lists, words = _lists(), as_listed(part).split()
    aside = {at for span in people_named(words) for at in span} | {
        at + k for at in range(len(words)) for k in range(lists.longest("told_me", words, at))}
    return lists.anywhere("of_oneself", [w for at, w in enumerate(words) if at not in aside])


def tells_of_another(sentence: str) -> bool:
    """Whether a sentence tells of another person ("my girlfriend keeps saying shes a burden")."""
    return _lists().anywhere("told_of_another", as_listed(sentence).split())


def mentions_a_person(text: str) -> bool:
    """Whether a reply speaks of a person anywhere ("what should i do for her", "mi hermano")."""
    lists, words = _lists(), as_listed(text).split()
    return any(_person(lists, words, at) for at in range(len(words)))


def asks_for_oneself(text: str) -> bool:
    """Whether a reply to an alarm asks which program fits the writer, and not another.

    "ok the paramedics got him, he was awake when they left. sorry. so which program would
    fit me", "no no hes fine… ok so which one is for me" (`make run` trials of stop 68:
    the question went unanswered). One of its parts asks what fits the writer ("for me",
    "me conviene"), and none that asks names a person. Not "what should i do for her", "its
    my dad. what do i do?" nor "what program would be good for them": told of another,
    those ask for them, and the advice answers them.
    """
    parts = clauses(text)
    fits_me = [part for part in parts if asks_which_fits_oneself(part)]
    asking = [part for part in parts if part in fits_me or asks_a_question(part)]
    return bool(fits_me) and not any(mentions_a_person(part) for part in asking)


def answers_me(text: str) -> bool:
    """Whether the reply answers "me" ("me. not my coworker, i made that up", "yo.", "lol its me").

    Not "me? no way": asked back, it is no answer; nor "no yo", "no soy yo" ("not me").
    """
    lists, words = _lists(), as_listed(text).split()
    start = _after_openers(lists, words, noes=False)
    answer = lists.longest("writer_answers", words, start)
    if answer and (start + answer >= len(words) or words[start + answer] in ".,;:!"):
        return True
    return any(lists.longest("me_anywhere", words, at) and not (
        at and lists.longest("its_denials", words, at - 1))
        for at in range(len(words)))


def _person(lists: _Lists, words: Sequence[str], at: int, pronouns: bool = True) -> int:
    """How many words from `at` name a person ("my brother in law", "el señor"; 0: none)."""
    determiner = lists.longest("determiners", words, at)
    noun = lists.longest("kin", words, at + determiner) or (
        determiner and lists.longest("persons", words, at + determiner))
    if noun:
        return determiner + noun
    return lists.longest("pronouns", words, at) if pronouns else 0


def _after_openers(lists: _Lists, words: Sequence[str], noes: bool = True) -> int:
    """Where the reply's answer starts, after "ok so", "its", and "no," unless `noes` is off."""
    at = 0
    while at < len(words):
        opener = lists.longest("openers", words, at)
        if opener and not noes and lists.longest("noes", words, at):
            break
        step = opener or (words[at] in PUNCTUATION)
        if not step:
            break
        at += step
    return at


def _after_its(lists: _Lists, words: Sequence[str], at: int) -> bool:
    """Whether "its" or "es" comes just before `at`, not denied ("no es mi hijo")."""
    for its in lists.phrases("its"):
        begin = at - len(its)
        if begin >= 0 and tuple(words[begin:at]) == its:
            return not any(tuple(words[begin - len(d):begin]) == d
                           for d in lists.phrases("its_denials") if begin >= len(d))
    return False


def _after_place(lists: _Lists, words: Sequence[str], at: int) -> int:
    """Past a short place after a person ("on my crew", "de mi crew"), if there is one."""
    if not lists.longest("after_person", words, at):
        return at
    for end in range(at + 1, min(at + 2 + MAX_PLACE_WORDS, len(words) + 1)):
        if _ends(words, end):
            return end
    return at


def _nothing_after(words: Sequence[str], at: int) -> bool:
    """Whether only punctuation follows `at`: the reply ends there."""
    return all(w in PUNCTUATION for w in words[at:])


def _ends(words: Sequence[str], at: int) -> bool:
    """Whether the answer ends at `at`: the end of the reply, or a punctuation mark."""
    return at >= len(words) or words[at] in PUNCTUATION

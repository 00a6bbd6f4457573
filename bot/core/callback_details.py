"""A call-back request's details (number, good time, name) from whatever a patient typed.

Patients give them in any order and in one breath: "can someone call me back? my number
is 555 201 3344, mornings are best, ask for Rosa". Numbers are found and normalised by
Google's libphonenumber (the `phonenumbers` package), which knows the many ways numbers
are written and tells a phone number from a date or a time; when a message holds several,
the words just before each ("my cell", "claim #", "old number") pick the patient's. A
number without a country code is taken as the clinic's country. The time is kept in the
patient's own words, trimmed to the phrases that say when; the name only after a cue that
introduces one, or as a sign-off. The vocabularies live in `patterns/callback.yml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import phonenumbers
import yaml

VOCABULARY = Path(__file__).resolve().parent / "patterns" / "callback.yml"
REGION = "US"
MAX_TIME_CHARS = 80
MAX_NAME_WORDS = 3
CUE_REACH = 5
"""How many words before a number are read for whose number it is."""
APOSTROPHES = "'\u2019"
_WORD = re.compile(rf"[^\W_]+(?:[{APOSTROPHES}.:/-][^\W_]+)*\.?|[-—&#~]", re.UNICODE)
_CLAUSE_BREAK = re.compile(r"[,;!?\n()]|\.(?=\s|$)|\s(?:but|pero|also|so)\s", re.IGNORECASE)
_CLOCK = re.compile(
    r"^\d{1,2}(?::\d{2})?(?:-\d{1,2}(?::\d{2})?)?(?:am|pm|a\.m\.|p\.m\.|ish|hrs|h)?$",
    re.IGNORECASE,
)
_NAME = re.compile(rf"^[^\W\d_]+(?:[{APOSTROPHES}-][^\W\d_]+)*\.?$", re.UNICODE)
_INITIAL = re.compile(r"^[^\W\d_]\.$", re.UNICODE)


@dataclass(frozen=True)
class CallbackDetails:
    """What a message says about a call-back; None where it says nothing."""

    phone: str | None = None
    time: str | None = None
    name: str | None = None


Phrase = tuple[str, ...]


@dataclass(frozen=True)
class _Vocabulary:
    time_words: frozenset[str]
    time_phrases: tuple[Phrase, ...]
    greetings: tuple[Phrase, ...]
    event_words: frozenset[str]
    event_leads: frozenset[str]
    clock_leads: frozenset[str]
    time_leads: frozenset[str]
    time_joiners: frozenset[str]
    time_tails: frozenset[str]
    call_words: frozenset[str]
    phone_cues: frozenset[str]
    not_phone_cues: frozenset[str]
    name_cues_strong: tuple[Phrase, ...]
    name_cues_weak: tuple[Phrase, ...]
    name_signoffs: tuple[Phrase, ...]
    name_titles: frozenset[str]
    other_people: frozenset[str]
    not_names: frozenset[str]


@cache
def _vocabulary(path: Path = VOCABULARY) -> _Vocabulary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    odd = [word for entries in raw.values() for word in entries if not isinstance(word, str)]
    if odd:
        raise ValueError(f"{path}: quote {odd} (YAML reads on/off/yes/no as booleans)")
    fields = _Vocabulary.__dataclass_fields__
    return _Vocabulary(**{
        key: _phrases(raw[key]) if "tuple" in str(fields[key].type) else
        frozenset(str(word).casefold() for word in raw[key])
        for key in fields
    })


def _phrases(entries: Iterable[str]) -> tuple[Phrase, ...]:
    """Phrases as folded tokens, longest first so that "thank you" wins over "thank"."""
    phrases = {tuple(token for _, token in _tokens(entry.casefold())) for entry in entries}
    return tuple(sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=256)
def read_callback_details(text: str, region: str = REGION) -> CallbackDetails:
    """The number (E.164), good time and name in `text`; None for what is not there.

    Cached: the call-back form's validation reads the same reply up to three times in one
    turn (which slots to ask, the number, the time and name), and the result is frozen.
    """
    text = text[:2000]
    phone, rest = _phone(text, region)
    name, rest = _name(rest)
    return CallbackDetails(phone=phone, time=_time(rest), name=name)


def asks_for_a_call(text: str) -> bool:
    """True when the message asks for a phone call ("call me back"), not just a person."""
    return any(token.casefold() in call_words() for _, token in _tokens(text))


def call_words() -> frozenset[str]:
    """The words that ask for a phone call rather than a person in general."""
    return _vocabulary().call_words


def display_phone(e164: str) -> str:
    """How the number is read back: national style at home, international otherwise."""
    number = phonenumbers.parse(e164, None)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == phonenumbers.country_code_for_region(REGION)
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def _tokens(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _WORD.finditer(text)]


def _blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by a clause break of the same length."""
    return text[:start] + "," + " " * (end - start - 1) + text[end:]


def _phone(text: str, region: str) -> tuple[str | None, str]:
    """The patient's number (by the words before each), and the text with numbers blanked."""
    vocabulary = _vocabulary()
    candidates: list[tuple[int, int, str]] = []
    rest = text
    matches = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    for order, match in enumerate(matches):
        reason = phonenumbers.is_possible_number_with_reason(match.number)
        if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
            continue  # seven digits with no area code cannot be called back
        before = [token.casefold().rstrip(".:") for _, token in _tokens(text[: match.start])]
        near = before[-CUE_REACH:]
        score = sum(word in vocabulary.phone_cues for word in near) - 2 * sum(
            word in vocabulary.not_phone_cues for word in near)
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        candidates.append((score, -order, e164))
        rest = _blank(rest, match.start, match.end)
    return (max(candidates)[2] if candidates else None), rest


def _find(folded: list[str], phrase: Phrase, start: int = 0) -> Iterable[int]:
    for index in range(start, len(folded) - len(phrase) + 1):
        if tuple(folded[index:index + len(phrase)]) == phrase:
            yield index


def _name(text: str) -> tuple[str | None, str]:
    """A name after a cue ("my name is Rosa", "this is Dee", "thanks, Kim"), and the rest."""
    vocabulary = _vocabulary()
    tokens = _tokens(text)
    folded = [token.casefold().rstrip(".") for _, token in tokens]
    tries = (*((cue, "strong") for cue in vocabulary.name_cues_strong),
             *((cue, "weak") for cue in vocabulary.name_cues_weak),
             *((cue, "signoff") for cue in vocabulary.name_signoffs))
    for cue, kind in tries:
        for index in _find(folded, cue):
            if "name" in cue and index and folded[index - 1] in vocabulary.other_people:
                continue
            after = index + len(cue)
            words = _name_words(text, tokens[after:after + MAX_NAME_WORDS + 1], kind)
            if words:
                start, end = words[0][0], words[-1][0] + len(words[-1][1])
                return text[start:end].rstrip("."), _blank(text, tokens[index][0], end)
    last = _last_sentence_name(text, tokens)
    return (last, text) if last else (None, text)


def _name_words(text: str, candidates: list[tuple[int, str]], kind: str) -> list[tuple[int, str]]:
    """The name's words among `candidates` (what follows a cue), or none."""
    vocabulary = _vocabulary()
    words: list[tuple[int, str]] = []
    for position, (start, token) in enumerate(candidates):
        previous_end = candidates[position - 1][0] + len(candidates[position - 1][1])
        if position and text[previous_end:start].strip():
            break  # punctuation ends the name
        bare = token.rstrip(".").casefold()
        title = bare in vocabulary.name_titles
        if not (_NAME.match(token) or _INITIAL.match(token)) or (not title and (
                bare in vocabulary.not_names or bare in vocabulary.time_words
                or bare in vocabulary.call_words)):
            break
        if words and token[:1].isupper() != words[0][1][:1].isupper() and not title:
            break
        words.append((start, token))
        if len(words) == MAX_NAME_WORDS or (token.endswith(".") and not (
                title or _INITIAL.match(token))):
            break
    while words and (words[-1][1].rstrip(".").casefold() in vocabulary.name_titles
                     or _INITIAL.match(words[-1][1])):
        words.pop()
    if not words:
        return []
    capital = words[0][1][:1].isupper()
    end = words[-1][0] + len(words[-1][1])
    ends_phrase = not text[end:].strip() or text[end:].lstrip()[:1] in ",.!;-" or (
        text[end:].split()[0].casefold() in {"from", "de", "here", "and", "y", "calling"})
    if kind == "strong" or (kind == "weak" and (capital or ends_phrase)):
        return words
    if kind == "signoff" and not re.search(r"[^\W_]", text[end:]):
        return words
    return []


def _last_sentence_name(text: str, tokens: list[tuple[int, str]]) -> str | None:
    """A message that ends with a name alone ("... thursday. Carl") signs with it."""
    sentence = re.split(r"[.!?\n]\s+", text.strip())[-1].strip(" .!")
    words = sentence.split()
    vocabulary = _vocabulary()
    if len(tokens) < 4 or not 1 <= len(words) <= 2:
        return None
    if all(_NAME.match(w) and w[:1].isupper() and w.casefold() not in vocabulary.not_names
           and w.casefold() not in vocabulary.time_words for w in words):
        return sentence
    return None


def _time(text: str) -> str | None:
    """The phrases that say when, in the patient's words, joined by commas."""
    folded_text = text.casefold()
    for greeting in _vocabulary().greetings:
        for index in _find([t for _, t in _tokens(folded_text)], greeting):
            tokens = _tokens(text)
            start = tokens[index][0]
            end = tokens[index + len(greeting) - 1][0] + len(tokens[index + len(greeting) - 1][1])
            text = _blank(text, start, end)
    phrases = [phrase for clause in _CLAUSE_BREAK.split(text) for phrase in _time_phrases(clause)]
    joined = ", ".join(dict.fromkeys(phrases))
    return joined[:MAX_TIME_CHARS].rstrip(" ,") or None


def _time_phrases(clause: str) -> list[str]:
    """Runs of time words, with the words that lead into them and tie them together."""
    vocabulary = _vocabulary()
    tokens = _tokens(clause)
    folded = [token.casefold() for _, token in tokens]
    marks = [_is_time(folded, index) for index in range(len(tokens))]
    for phrase in vocabulary.time_phrases:
        for index in _find(folded, phrase):
            marks[index:index + len(phrase)] = [True] * len(phrase)
    glue = vocabulary.time_joiners | vocabulary.time_leads
    phrases = []
    index = 0
    while index < len(tokens):
        if not marks[index]:
            index += 1
            continue
        first = last = index
        probe = index + 1
        while probe < len(tokens) and (marks[probe] or folded[probe] in glue):
            if marks[probe]:
                last = probe
            probe += 1
        while first > 0 and folded[first - 1] in vocabulary.time_leads:
            first -= 1
        while last + 1 < len(tokens) and folded[last + 1] in vocabulary.time_tails:
            last += 1
        start, end = tokens[first][0], tokens[last][0] + len(tokens[last][1])
        phrase = " ".join(clause[start:end].split()).strip(" -—&#~")
        if phrase:
            phrases.append(phrase)
        index = last + 1
    return phrases


def _is_time(folded: list[str], index: int) -> bool:
    """Whether the word at `index` says when, read with the words around it."""
    vocabulary = _vocabulary()
    word = folded[index].rstrip(".")
    parts = [part for part in re.split(r"[-/]", word) if part]
    if word in vocabulary.time_words or (len(parts) > 1 and all(
            part in vocabulary.time_words for part in parts)):
        return True
    before = folded[max(0, index - 2):index]
    if word in vocabulary.event_words:
        return any(lead in vocabulary.event_leads for lead in before)
    if not _CLOCK.match(word):
        return False
    if not word.replace(":", "").replace("-", "").isdigit():
        return True  # "3pm", "10:30am", "4ish", "8-9am"
    hour = int(re.split(r"[:-]", word)[0])
    after = folded[index + 1] if index + 1 < len(folded) else ""
    joined = (len(before) == 2 and before[1] in vocabulary.time_joiners
              and _is_time(folded, index - 2))
    return hour <= 24 and (
        (bool(before) and before[-1] in vocabulary.clock_leads)
        or after.rstrip(".") in vocabulary.time_words or ":" in word or joined
    )

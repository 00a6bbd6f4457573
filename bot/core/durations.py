"""How long ago an injury was, from what a patient says: weeks, or "they don't know".

"about six weeks", "a year and a half", "nearly two years", "3 or 4 months back", "in
August", "Aug 2024", "last spring", "right after Christmas", "since the 4th of July",
"last Tuesday", "7/22/26", "I don't remember". Every word list is in
`bot/core/patterns/durations.yml`.

Why our own reader rather than `dateparser`: the versions that fit Rasa 3.6's pins
(regex < 2022.11, pytz < 2023) predate the current one, and none of them reads spoken
amounts ("a year and a half", "a couple of months"), seasons or holidays, nor resolves a
date without a year to the most recent one in the past, which is what an injury date is.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml
from dateutil.easter import easter

from bot.core.spacy_pipeline import PATTERNS_DIR
from bot.core.spelling import one_edit_apart


class _Unknown:
    """The patient answered that they do not know when it was."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
Weeks = float | _Unknown | None
MAX_CHARS = 500

_NUMERIC_DATE = re.compile(
    r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b|\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_WORD = re.compile(r"\d+(?:[/-]\d+)+|[a-z0-9']+|[,.;]")
_FREQUENCY_BEFORE = frozenset({"hrs", "hours", "hour", "times", "days", "weeks", "shifts"})


Vocabulary = dict[str, Any]


@cache
def load_vocabulary(path: Path = PATTERNS_DIR / "durations.yml") -> Vocabulary:
    """Read the vocabulary once per process."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def weeks_since(text: str, today: date, vocab: Vocabulary | None = None) -> Weeks:
    """Weeks from the injury to `today`.

    UNKNOWN if the patient says they don't know (an answer all the same); None if the
    message holds no time at all.
    """
    vocab = vocab or load_vocabulary()
    said = _normalise(text, vocab)
    for part in _injury_part(said, today, vocab):
        for reader in _READERS:
            found = reader(part, today, vocab)
            if found is not None:
                return round(max(found, 0.0), 1)
    words = said.split()
    if any(phrase in said for phrase in vocab["unknown"]) or any(
            unit in words for unit in vocab["vague_units"]):
        return UNKNOWN
    return None


_INJURY_WORDS = re.compile(r"\b(hurt|injur\w*|accident|fell|fall|happened|doi|got hurt|"
                           r"lastime|lesion|me cai|pas[oó])\b")
_CORRECTION = re.compile(r"\b(?:no sorry|sorry|i mean|actually|i checked|it was actually|"
                         r"correction|perdon|mejor dicho)\b")
_OTHER_EVENTS = re.compile(r"\b(surgery|operation|off work|cleared|therapy|pt|cirugia)\b")


def _injury_part(said: str, today: date, vocab: Vocabulary) -> list[str]:
    """The parts of the answer to read, the one that counts first.

    "8 weeks, no sorry, 10 weeks": what follows a correction counts. "been off work 2
    months, got hurt about 3 months ago": of several times, the one next to words about
    the injury (not surgery or time off) is meant.
    """
    corrected = _CORRECTION.split(said)
    if len(corrected) > 1 and corrected[-1].strip():
        return [corrected[-1], said]
    parts = [p.strip() for p in re.split(r"\bbut\b|\bbecause\b|[.;]|,(?!\s*\d)", said)
             if p.strip()]
    timed = [p for p in parts if any(r(p, today, vocab) is not None for r in _READERS)]
    about_injury = [p for p in timed if _INJURY_WORDS.search(p) and not _OTHER_EVENTS.search(p)]
    return [*about_injury, said] if about_injury and len(timed) > 1 else [said]


def _normalise(text: str, vocab: Vocabulary) -> str:
    text = text[:MAX_CHARS].lower().replace(chr(0x2019), "'")
    text = text.translate(str.maketrans("áéíóúñ", "aeioun"))
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    return " ".join(_spelled(word, vocab) for word in _WORD.findall(text))


def _spelled(word: str, vocab: Vocabulary) -> str:
    """The vocabulary word meant: a listed spelling, or one typo away ("agust").

    Only words of five letters or more are corrected ("hour" must not become "four");
    shorter misspellings are listed in the file.
    """
    if word in vocab["spellings"]:
        return vocab["spellings"][word]
    known = vocab.setdefault("known_words", _known_words(vocab))
    if len(word) < 5 or word in known:
        return word
    near = [w for w in known if len(w) >= 5 and one_edit_apart(word, w)]
    return near[0] if len(near) == 1 else word


def _known_words(vocab: Vocabulary) -> frozenset[str]:
    """Words a typo may stand for.

    Seasons and numbers are left out: everyday words sit one letter from them ("fell" and
    "fall", "right" and "eight", "there" and "three").
    """
    return frozenset([*vocab["units_in_weeks"], *vocab["months"], *vocab["weekdays"],
                      "yesterday", "ago", "christmas", "thanksgiving"])


def _weeks_between(then: date, today: date) -> float:
    return (today - then).days / 7


def _number(word: str | None, vocab: Vocabulary) -> float | None:
    if word is None:
        return None
    if re.fullmatch(r"\d+-\d+", word):
        low, high = word.split("-")
        return (float(low) + float(high)) / 2
    try:
        return float(word)
    except ValueError:
        return vocab["numbers"].get(word)


def _amount(said: str, today: date, vocab: Vocabulary) -> float | None:
    """An amount of time: "6 weeks", "a couple of months", "3 or 4 months".

    Also "a year and a half", "2 years 3 months", "half a year"; but not "52 years old"
    or "10 hrs a day".
    """
    units = vocab["units_in_weeks"]
    words = said.split()
    for i, word in enumerate(words):
        unit = units.get(word)
        if unit is None or words[i + 1: i + 2] in (["old"], ["after"], ["before"]):
            continue
        amount, start = _count_before(words, i, vocab)
        if amount is None:
            continue
        if start > 0 and words[start] in {"a", "per", "every"} and (
                words[start - 1] in _FREQUENCY_BEFORE or words[start - 1].isdigit()):
            continue
        rest = words[i + 1:]
        if rest[:3] in (["and", "a", "half"], ["and", "an", "half"]) or rest[:2] == ["and", "half"]:
            amount += 0.5
        weeks = amount * unit
        following = _amount(" ".join(w for w in rest if w != "and"), today, vocab) \
            if rest[:1] in (["and"], *([n] for n in rest[:1] if _number(n, vocab))) else None
        return weeks + (following or 0.0) if following and following < weeks else weeks
    return None


def _count_before(words: list[str], at: int, vocab: Vocabulary) -> tuple[float | None, int]:
    """The number before the unit at `at` ("a couple of", "3 or 4", "2 and a half")."""
    j = at - 1
    if j >= 0 and words[j] == "of":
        j -= 1
    half = 0.0
    if j >= 2 and words[j] == "half" and words[j - 1] in {"and", "n", "a"}:
        half, j = 0.5, j - (2 if words[j - 1] != "a" or words[j - 2] not in {"and", "n"} else 3)
    if j < 0:
        return (1.0 if half else None), 0
    if words[j] == "half" and j + 1 == at:
        return 0.5, j
    if words[j] in {"a", "an"} and j >= 1 and words[j - 1] == "half":
        return 0.5, j - 1
    first = _number(words[j], vocab)
    if first is None:
        return None, j
    if j >= 2 and words[j - 1] in {"or", "to"} and _number(words[j - 2], vocab) is not None:
        return (first + _number(words[j - 2], vocab)) / 2 + half, j - 2
    return first + half, j


def _days_ago(said: str, today: date, vocab: Vocabulary) -> float | None:
    for phrase, days in sorted(vocab["days_ago"].items(), key=lambda p: -len(p[0])):
        if re.search(rf"\b{phrase}\b", said):
            return days / 7
    return None


def _most_recent(month: int, day: int, today: date, year: int | None = None) -> date:
    """The date in `year`, or else the latest such date not after today."""
    day = min(day, calendar.monthrange(year or today.year, month)[1])
    if year is not None:
        return date(year, month, day)
    then = date(today.year, month, day)
    return then if then <= today else date(today.year - 1, month, min(
        day, calendar.monthrange(today.year - 1, month)[1]))


def _year_said(said: str, today: date) -> int | None:
    """An explicit year, or "last year" / "this year"."""
    found = _YEAR.search(said)
    if found:
        return int(found[1])
    if re.search(r"\b(last year|ano pasado)\b", said):
        return today.year - 1
    if re.search(r"\b(this year|este ano)\b", said):
        return today.year
    return None


def _holiday(said: str, today: date, vocab: Vocabulary) -> float | None:
    """A holiday: "right after Christmas", "2 days after christmas", "easter"."""
    then = _holiday_date(said, today, vocab)
    if then is None:
        return None
    shift = re.search(r"\b(\w+) (days?|weeks?) (after|before)\b", said)
    if shift and _number(shift[1], vocab) is not None:
        days = _number(shift[1], vocab) * (7 if shift[2].startswith("week") else 1)
        then += timedelta(days=days if shift[3] == "after" else -days)
    return _weeks_between(then, today)


def _holiday_date(said: str, today: date, vocab: Vocabulary) -> date | None:
    year = _year_said(said, today)
    back = 1 if "before last" in said else 0
    rules: list[tuple[str, Any]] = [
        *((n, lambda y, md=md: date(y, *md)) for n, md in vocab["holidays"]["fixed"].items()),
        *((n, lambda y, r=r: _nth_weekday(y, *r))
          for n, r in vocab["holidays"]["nth_weekday"].items()),
        ("easter", easter),
    ]
    for name, on in rules:
        if re.search(rf"\b{re.escape(name)}\b", said):
            then = on(year or today.year)
            if year is None and then > today:
                then = on(today.year - 1)
            return on(then.year - back) if back else then
    return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    days = [d for d in calendar.Calendar().itermonthdates(year, month)
            if d.month == month and d.weekday() == weekday]
    return days[nth - 1] if nth > 0 else days[nth]


def _season(said: str, today: date, vocab: Vocabulary) -> float | None:
    for name, (month, day) in vocab["seasons"].items():
        if re.search(rf"\b{name}\b", said):
            then = _most_recent(month, day, today, _year_said(said, today))
            if "before last" in said:
                then = then.replace(year=then.year - 1)
            return _weeks_between(then, today)
    if any(phrase in said for phrase in vocab["year_start"]):
        return _weeks_between(date(_year_said(said, today) or today.year, 1, 5), today)
    return None


def _weekday(said: str, today: date, vocab: Vocabulary) -> float | None:
    for name, weekday in vocab["weekdays"].items():
        if re.search(rf"\b{name}\b", said) and not re.search(
                rf"\bon {name}\b.*\b(be|will)\b|\b(be|will)\b.*\bon {name}\b", said):
            back = (today.weekday() - weekday) % 7 or 7
            return back / 7
    return None


def _numeric_date(said: str, today: date, vocab: Vocabulary) -> float | None:
    match = _NUMERIC_DATE.search(said)
    if not match:
        return None
    if match[4]:
        year, month, day = int(match[4]), int(match[5]), int(match[6])
    else:
        month, day = int(match[1]), int(match[2])
        year = int(match[3]) if match[3] else None
        if year is not None and year < 100:
            year += 2000
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _weeks_between(_most_recent(month, day, today, year), today)


def _month_date(said: str, today: date, vocab: Vocabulary) -> float | None:
    """A month, with its day if said: "September 14, 2026", "sept 12", "mid june".

    Also "the 5 of october", "in enero", "july or august" (between the two) and "the 9th
    of this month".
    """
    months = vocab["months"]
    words = said.split()
    found = []
    for i, word in enumerate(words):
        month = months.get(word)
        if month is None or (word == "may" and not _looks_like_a_date(words, i)):
            continue
        then = _most_recent(month, _day_near(words, i, vocab), today, _year_said(said, today))
        found.append(then if then <= today else _most_recent(then.month, then.day, today))
    if not found and any(phrase in said for phrase in vocab["this_month"]):
        day = next((_day_of(w, vocab) for w in words if _day_of(w, vocab)), None)
        if day is not None:
            found.append(_most_recent(today.month, day, today))
    if not found:
        return None
    return sum(_weeks_between(then, today) for then in found[:2]) / len(found[:2])


def _day_of(word: str, vocab: Vocabulary) -> int | None:
    if word.isdigit() and 1 <= int(word) <= 31:
        return int(word)
    return vocab["ordinals"].get(word)


def _looks_like_a_date(words: list[str], at: int) -> bool:
    """Whether "may" is the month: after "in", "since", "of"... or before a day number."""
    before = words[at - 1] if at else ""
    after = words[at + 1] if at + 1 < len(words) else ""
    return before in {"in", "since", "of", "early", "mid", "late", "end", "last", "en"} or \
        after.isdigit()


def _day_near(words: list[str], at: int, vocab: Vocabulary) -> int:
    """The day of the month written next to a month name, else its part or the middle."""
    for near in (words[at + 1: at + 2], words[max(at - 2, 0): at]):
        for word in near:
            if word.isdigit() and 1 <= int(word) <= 31:
                return int(word)
    if at >= 2 and words[at - 1] == "of" and words[at - 2] in vocab["ordinals"]:
        return vocab["ordinals"][words[at - 2]]
    for word in words[max(at - 3, 0): at]:
        part = vocab["parts_of_month"].get(word)
        if part:
            return part
    return vocab["day_when_only_the_month"]


def _readers() -> tuple[Any, ...]:
    return (_amount, _days_ago, _holiday, _numeric_date, _month_date, _season, _weekday,
            _year_only)


def _year_only(said: str, today: date, vocab: Vocabulary) -> float | None:
    year = _year_said(said, today)
    if year is None or (not _YEAR.search(said) and "year" not in said):
        return None
    month, day = vocab["middle_of_year"]
    then = date(year, month, day)
    return _weeks_between(min(then, today - timedelta(days=1)), today)


_READERS = _readers()


# Numbers are short ("4", "4.5", "twelve"): bounded, so a long run of digits costs linear time.
_HOURS = re.compile(
    r"\b(\S{1,20}?)(?:\s*(?:-|or|to|o|a)\s*(\S{1,20}?))?\s*(?:hours|hour|hrs|hr|h|horas|hora)\b")
_MAX_HOURS = 16
_MAX_RANGE = 3  # "2, maybe 3" is a range of hours; "12 years, maybe 5" is not
_ARTICLES = frozenset({"a", "an", "un", "una"})
_DAY_PARTS = {"half a day": 4.0, "half day": 4.0, "half days": 4.0, "full day": 8.0,
              "full days": 8.0, "full shift": 8.0, "all day": 8.0, "whole day": 8.0,
              "medio dia": 4.0, "todo el dia": 8.0}


def hours_a_day(text: str, vocab: Vocabulary | None = None) -> float | None:
    """The hours a day a patient says they could manage: "4 or 5 hours", "half a day".

    Asked for hours, a bare number is hours ("maybe 5"; "5 or 6" is 5.5); other numbers
    without "hours" are not read as hours.
    """
    vocab = vocab or load_vocabulary()
    said = _normalise(text, vocab)
    for match in _HOURS.finditer(said):
        first, second = _number(match[1], vocab), _number(match[2], vocab)
        if first is not None:
            hours = (first + second) / 2 if second is not None else first
            fewer = re.search(r"\b(less than|fewer than|under|not even|menos de)\s*$",
                              said[: match.start()])
            return hours - 1 if fewer else hours
    part = next((hours for phrase, hours in _DAY_PARTS.items() if phrase in said), None)
    if part is not None:
        return part
    bare = [n for word in re.findall(r"[\w.-]+", said) if word not in _ARTICLES
            and (n := _number(word, vocab)) is not None and 0 < n <= _MAX_HOURS]
    if len(bare) == 2 and abs(bare[0] - bare[1]) <= _MAX_RANGE:
        return (bare[0] + bare[1]) / 2
    return bare[0] if len(bare) == 1 else None

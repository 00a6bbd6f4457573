"""How long ago an injury was, from what a patient says: weeks, or "they don't know".

"about six weeks", "a year and a half", "nearly two years", "3 or 4 months back", "in
August", "Aug 2024", "last spring", "right after Christmas", "since the 4th of July",
"last Tuesday", "7/22/26", "I don't remember"; in Spanish too: "hace como año y medio",
"un par de meses", "desde marzo", "el 15 de julio", "después de navidad", "el año
pasado", "no me acuerdo". Every word list, in both languages, is in
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
from typing import Any, Final, NamedTuple

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
_WORD = re.compile(r"\d+(?:[/-]\d+)+|\d+\.\d+|[a-z0-9']+|[,.;?]")
_FREQUENCY_BEFORE = frozenset({"hrs", "hours", "hour", "times", "days", "weeks", "shifts"})
_RATE_REACH = 4  # words between the counted thing and "a day": "hours or more a day"


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
            word in vocab["vague_units"] and (i == 0 or _number(words[i - 1], vocab) is None)
            for i, word in enumerate(words)):
        return UNKNOWN  # "years ago", not "9 years" at a job
    return None


def a_time_ago_alone(text: str, vocab: Vocabulary | None = None) -> bool:
    """Whether a short reply tells only how long ago something was ("like 3 months ago").

    Given to another question (the triage asked about the job), it can date only the
    injury: without this, "about 3 months ago" was dropped and the date asked for later.
    Only the words of a time and a few fillers: "surgery 2 weeks ago" dates the surgery.
    """
    vocab = vocab or load_vocabulary()
    words = re.findall(r"[a-z0-9]+", _normalise(text, vocab))
    told = {*vocab["time_ago_marks"], *vocab["time_ago_fillers"], *vocab["units_in_weeks"],
            *vocab["numbers"], *vocab["numbers_before_a_unit"]}
    return bool(set(words) & set(vocab["time_ago_marks"])) and all(
        word in told or word.isdigit() for word in words)


def _injury_part(said: str, today: date, vocab: Vocabulary) -> list[str]:
    """The parts of the answer to read, the one that counts first.

    "8 weeks, no sorry, 10 weeks": what follows a correction counts. "been off work 2
    months, got hurt about 3 months ago": of several times, the one next to words about
    the injury (not surgery or time off) is meant.
    """
    corrected = _phrases(tuple(vocab["corrections"])).split(said)
    if len(corrected) > 1 and corrected[-1].strip():
        return [corrected[-1], said]
    breaks = _phrases(tuple(vocab["clause_breaks"])).pattern
    parts = [p.strip() for p in re.split(rf"{breaks}|[.;]|,(?!\s*\d)", said) if p.strip()]
    timed = [p for p in parts if any(r(p, today, vocab) is not None for r in _READERS)]
    about_injury = [p for p in timed if _says(p, vocab, "injury_words")
                    and not _says(p, vocab, "other_events")]
    return [*about_injury, said] if about_injury and len(timed) > 1 else [said]


def _normalise(text: str, vocab: Vocabulary) -> str:
    text = text[:MAX_CHARS].lower().replace(chr(0x2019), "'")
    text = text.translate(str.maketrans("áéíóúñ", "aeioun"))
    text = re.sub(rf"(\d)(?:{'|'.join(vocab['ordinal_suffixes'])})\b", r"\1", text)
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
                      *vocab["typo_targets"]])


@cache
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the phrases, as whole words; a trailing "*" stands for the rest of a word."""
    parts = (re.escape(p[:-1]) + r"\w*" if p.endswith("*") else re.escape(p) for p in phrases)
    return re.compile(rf"\b(?:{'|'.join(parts)})\b")


def _says(said: str, vocab: Vocabulary, key: str) -> re.Match[str] | None:
    """Where `said` names one of the vocabulary's phrases under `key`, if it does."""
    return _phrases(tuple(vocab[key])).search(said)


def _weeks_between(then: date, today: date) -> float:
    return (today - then).days / 7


def _number(word: str | None, vocab: Vocabulary, before_a_unit: bool = False) -> float | None:
    """A number written in figures or words; some words only right before a unit."""
    if word is None:
        return None
    if re.fullmatch(r"\d+-\d+", word):
        low, high = word.split("-")
        return (float(low) + float(high)) / 2
    try:
        return float(word)
    except ValueError:
        found = vocab["numbers"].get(word)
        if found is None and before_a_unit:
            return vocab["numbers_before_a_unit"].get(word)
        return found


def _amount(said: str, today: date, vocab: Vocabulary) -> float | None:
    """An amount of time: "6 weeks", "a couple of months", "3 or 4 months".

    Also "a year and a half", "2 years 3 months", "half a year"; but not "52 years old"
    or "10 hrs a day".
    """
    units = vocab["units_in_weeks"]
    words = said.split()
    for i, word in enumerate(words):
        unit = units.get(word)
        rest = words[i + 1:]
        if unit is None or _starts_with(rest, vocab["not_after_a_unit"]):
            continue
        amount, start = _count_before(words, i, vocab)
        half = _starts_with(rest, vocab["and_a_half"])
        if amount is None and half and (i == 0 or _number(words[i - 1], vocab) is None):
            amount, start, half = 1.5, i, False  # "hace como año y medio"
        if amount is None or _an_age(words, start, unit, amount, vocab) \
                or _a_tenure(words, start, i, vocab):
            continue
        if start > 0 and words[start] in {"a", "per", "every"} and _a_rate(words, start):
            continue
        if half:
            amount += 0.5
        weeks = amount * unit
        joins = vocab["and_words"]
        following = _amount(" ".join(w for w in rest if w not in joins), today, vocab) \
            if rest[:1] and (rest[0] in joins or _number(rest[0], vocab)) else None
        return weeks + (following or 0.0) if following and following < weeks else weeks
    return None


def _a_rate(words: list[str], at: int) -> bool:
    """Whether "a day" at `at` tells how often: "10 hrs a day", "4 hours or more a day".

    So it is when a number or a counted thing (hours, times, shifts) comes before it in
    its clause, within a few words: "or more" may stand between.
    """
    before = []
    for word in reversed(words[max(0, at - _RATE_REACH):at]):
        if word in _STOPS:
            break
        before.append(word)
    return bool(before) and (before[0].isdigit() or any(w in _FREQUENCY_BEFORE for w in before))


def _starts_with(words: list[str], phrases: list[str]) -> bool:
    """Whether the words begin with one of the phrases."""
    return any(words[: len(p.split())] == p.split() for p in phrases)


def _a_tenure(words: list[str], start: int, at: int, vocab: Vocabulary) -> bool:
    """Whether the amount from `start` to the unit at `at` is how long one has had the job.

    "for like 9 yrs" a few words after "i work at…", with no injury between; or "9 años
    trabajando", "12 years on the job". Never one followed by "ago": that is when.
    """
    tenure = vocab["tenure"]
    if words[at] not in tenure["units"]:
        return False
    if _starts_with(words[at + 1:], tenure["job_after"]):
        return True
    lead = start
    while lead > 0 and words[lead - 1] in tenure["hedges"]:
        lead -= 1
    leads = [p.split() for p in tenure["lead"]]
    led = next((len(p) for p in leads if words[max(0, lead - len(p)):lead] == p), 0)
    if not led:
        return False
    before = " ".join(words[max(0, lead - led - tenure["reach"]):lead - led])
    job = _phrases(tuple(tenure["job"])).search(before)
    return job is not None and not _says(before[job.end():], vocab, "injury_words")


def _an_age(words: list[str], start: int, unit: float, amount: float, vocab: Vocabulary) -> bool:
    """Whether an amount of years is the patient's age ("tengo 45 años"), not a time ago."""
    age = vocab["age"]
    return (unit == vocab["units_in_weeks"]["year"] and amount >= age["min_years"]
            and start > 0 and words[start - 1] in age["before"])


def _count_before(words: list[str], at: int, vocab: Vocabulary) -> tuple[float | None, int]:
    """The number before the unit at `at` ("a couple of", "3 or 4", "2 and a half")."""
    j = at - 1
    if j >= 0 and words[j] in vocab["of_words"]:
        j -= 1
    half = 0.0
    if j >= 2 and words[j] == "half" and words[j - 1] in {"and", "n", "a"}:
        half, j = 0.5, j - (2 if words[j - 1] != "a" or words[j - 2] not in {"and", "n"} else 3)
    if j < 0:
        return (1.0 if half else None), 0
    if words[j] in vocab["half"] and j + 1 == at:
        return 0.5, j
    if words[j] in {"a", "an"} and j >= 1 and words[j - 1] == "half":
        return 0.5, j - 1
    first = _number(words[j], vocab, before_a_unit=True)
    if first is None:
        return None, j
    low = _number(words[j - 2], vocab) if j >= 2 else None
    if low is not None and words[j - 1] in vocab["range_words"]:
        return (first + low) / 2 + half, j - 2
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


def _year_said(said: str, today: date, vocab: Vocabulary) -> int | None:
    """An explicit year, or "last year" / "this year"."""
    found = _YEAR.search(said)
    if found:
        return int(found[1])
    if _says(said, vocab, "year_before_last"):
        return today.year - 2
    if _says(said, vocab, "last_year"):
        return today.year - 1
    if _says(said, vocab, "this_year"):
        return today.year
    return None


def _holiday(said: str, today: date, vocab: Vocabulary) -> float | None:
    """A holiday: "right after Christmas", "2 days after christmas", "easter"."""
    then = _holiday_date(said, today, vocab)
    if then is None:
        return None
    units = vocab["shift"]
    shift = re.search(rf"\b(\w+) ({'|'.join(units['days'] + units['weeks'])}) "
                      rf"({'|'.join(units['after'] + units['before'])})\b", said)
    if shift and _number(shift[1], vocab) is not None:
        days = _number(shift[1], vocab) * (7 if shift[2] in units["weeks"] else 1)
        then += timedelta(days=days if shift[3] in units["after"] else -days)
    return _weeks_between(then, today)


def _holiday_date(said: str, today: date, vocab: Vocabulary) -> date | None:
    year = _year_said(said, today, vocab)
    back = 1 if _says(said, vocab, "before_last") else 0
    rules: list[tuple[str, Any]] = [
        *((n, lambda y, md=md: date(y, *md)) for n, md in vocab["holidays"]["fixed"].items()),
        *((n, lambda y, r=r: _nth_weekday(y, *r))
          for n, r in vocab["holidays"]["nth_weekday"].items()),
        *((n, easter) for n in vocab["holidays"]["easter"]),
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
            then = _most_recent(month, day, today, _year_said(said, today, vocab))
            if _says(said, vocab, "before_last"):
                then = then.replace(year=then.year - 1)
            return _weeks_between(then, today)
    if any(phrase in said for phrase in vocab["year_start"]):
        return _weeks_between(date(_year_said(said, today, vocab) or today.year, 1, 5), today)
    if any(phrase in said for phrase in vocab["year_end"]):
        then = _most_recent(*vocab["year_end_day"], today, _year_said(said, today, vocab))
        return _weeks_between(then, today)
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
    if month > 12 >= day:
        month, day = day, month  # "15/09/2026": written day first, as in Spanish
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _weeks_between(_most_recent(month, day, today, year), today)


def _month_date(said: str, today: date, vocab: Vocabulary) -> float | None:
    """A month, with its day if said: "September 14, 2026", "sept 12", "mid june".

    Also "the 5 of october", "in enero", "july or august" (between the two), "the 9th
    of this month" and "el 20 del mes pasado".
    """
    months = vocab["months"]
    words = said.split()
    found = []
    year = _year_said(said, today, vocab)
    for i, word in enumerate(words):
        month = months.get(word)
        if month is None or (word == "may" and not _looks_like_a_date(words, i)):
            continue
        then = _most_recent(month, _day_near(words, i, vocab), today, year)
        found.append(then if then <= today else _most_recent(then.month, then.day, today))
    last_month = _says(said, vocab, "last_month")
    if not found and (last_month or any(p in said for p in vocab["this_month"])):
        day = next((_day_of(w, vocab) for w in words if _day_of(w, vocab)), None)
        if day is not None and last_month:
            month = (today.replace(day=1) - timedelta(days=1))
            found.append(_most_recent(month.month, day, today, month.year))
        elif day is not None:
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
    if at >= 2 and words[at - 1] in vocab["of_words"]:
        day = _day_of(words[at - 2], vocab) or _number(words[at - 2], vocab)
        if day is not None and words[at - 2] not in _ARTICLES and day == int(day) and \
                1 <= day <= 31:
            return int(day)  # "the 5th of may", "el dos de mayo"
    for word in words[max(at - 3, 0): at]:
        part = vocab["parts_of_month"].get(word)
        if part:
            return part
    return vocab["day_when_only_the_month"]


def _readers() -> tuple[Any, ...]:
    return (_amount, _days_ago, _holiday, _numeric_date, _month_date, _season, _weekday,
            _year_only)


def _year_only(said: str, today: date, vocab: Vocabulary) -> float | None:
    year = _year_said(said, today, vocab)
    if year is None or (not _YEAR.search(said) and not _says(said, vocab, "year_words")):
        return None
    month, day = vocab["middle_of_year"]
    then = date(year, month, day)
    return _weeks_between(min(then, today - timedelta(days=1)), today)


_READERS = _readers()


_MAX_HOURS = 16
_MAX_RANGE = 3  # "2, maybe 3" is a range of hours; "12 years, maybe 5" is not
_ARTICLES = frozenset({"a", "an", "un", "una"})
_STOPS = frozenset({",", ".", ";", "?"})
HOURS_IN_QUESTION = 4.0
"""The hours a day the triage asks about: denying more than that says nothing about it."""


class _Hours(NamedTuple):
    """An amount of hours said, where it starts, and what surrounds it."""

    at: int
    hours: float | None  # None: a denied amount over the program's 4 hours says nothing
    bare: bool  # a number without "hours"
    past: bool  # the job's shifts or before the injury ("I used to do 12 hour shifts")
    now: bool  # after "now", "ahorita"
    echoed: bool  # in a question: "¿ocho horas? no, tres cuando mucho"


def hours_a_day(text: str, vocab: Vocabulary | None = None) -> float | None:
    """The hours a day a patient says they could manage: "4 or 5 hours", "half a day".

    Also "como dos horitas", "un par de horas", "medio día", "un turno completo", "menos
    de 4" (under 4), "más de cuatro", "45 minutes"; "I can't do 4 hours" is under 4. Asked
    for hours, a bare number is hours ("maybe 5"; "5 or 6" is 5.5), unless another number
    has another unit ("I worked there 12 years, maybe 5"). Of several amounts, one said
    after a correction or "now" counts, and one about the past or the job's shifts
    ("antes trabajaba 10 horas") only when there is no other, nor does one echoed in a
    question ("¿ocho horas? no, tres cuando mucho"). Every word list is under `hours` in
    `bot/core/patterns/durations.yml`.
    """
    said = hours_said(text, vocab)
    return said[0] if said else None


def hours_said(text: str, vocab: Vocabulary | None = None) -> list[float]:
    """Every amount that may be the answer, in the order said; `hours_a_day` is the first.

    More than one when the reply gives several with their units ("quisiera decirle que
    todo el día, pero la verdad no paso de dos horas"): words alone cannot tell which is
    meant, so the caller weighs the whole reply.
    """
    vocab = vocab or load_vocabulary()
    said = _normalise(text, vocab)
    corrected = _phrases(tuple(vocab["corrections"])).split(said)
    parts = [corrected[-1], said] if len(corrected) > 1 and corrected[-1].strip() else [said]
    for part in parts:
        found = _hours_in(_Marks(part.split(), vocab))
        if found:
            return found
    return []


def names_hours(text: str, vocab: Vocabulary | None = None) -> bool:
    """Whether the text tells hours in so many words, with a unit or as a part of a day.

    "4 hours", "medio día"; not a bare number ("got one", "one more question"): only a
    reply to the hours question makes one hours (`hours_a_day`).
    """
    vocab = vocab or load_vocabulary()
    marks = _Marks(_normalise(text, vocab).split(), vocab)
    return bool(_hours_with_units(marks) or _day_parts(marks))


class _Marks:
    """The words of an answer, with where its clauses, denials, "now" and past words are.

    Found in one pass each, so that reading every amount costs linear time.
    """

    def __init__(self, words: list[str], vocab: Vocabulary) -> None:
        self.words, self.vocab, self.table = words, vocab, vocab["hours"]
        table = self.table
        breaks = set(vocab["clause_breaks"]) | _STOPS
        self.clause, self.denial, self.past, self.now = [], [], [], []
        clause, denial, past, now = 0, -1, -1, len(words) + 1
        for i, word in enumerate(words):
            self.clause.append(clause)  # where the clause of the word at i starts
            self.denial.append(denial)  # the last denial before i
            self.past.append(past)  # the last past word before i
            self.now.append(now)  # where the first "now" ends, if before i
            if word in breaks:
                clause = i + 1
            if word in table["denials"] and not self.at(i + 1, table["not_a_denial_before"]):
                denial = i
            if self.at(i, table["past"]):
                past = i
            phrase = self.at(i, table["now"])
            if phrase and now > len(words):
                now = i + len(phrase.split())
        for marks, last in ((self.clause, clause), (self.denial, denial), (self.past, past),
                            (self.now, now)):
            marks.append(last)
        self.asked = [False] * (len(words) + 1)  # in a sentence that ends with "?"
        for i in range(len(words) - 1, -1, -1):
            self.asked[i] = words[i] == "?" or (words[i] != "." and self.asked[i + 1])

    def at(self, i: int, phrases: Any) -> str | None:
        """The longest of the phrases that starts at word `i`, if one does."""
        first = self.words[i] if i < len(self.words) else None
        return next((" ".join(p) for p in _split(tuple(phrases)).get(first, ())
                     if self.words[i: i + len(p)] == p), None)

    def ending_at(self, i: int, phrases: Any) -> str | None:
        """The longest of the phrases that ends right before word `i`, if one does."""
        return next((" ".join(p) for p in _split(tuple(phrases), last=True).get(
            self.words[i - 1] if i else None, ()) if i >= len(p)
            and self.words[i - len(p): i] == p), None)


@cache
def _split(phrases: tuple[str, ...], last: bool = False) -> dict[str, list[list[str]]]:
    """The phrases as words, longest first, by their first (or last) word."""
    found: dict[str, list[list[str]]] = {}
    for phrase in sorted((p.split() for p in phrases if p.split()), key=len, reverse=True):
        found.setdefault(phrase[-1 if last else 0], []).append(phrase)
    return found


def _hours_in(marks: _Marks) -> list[float]:
    """The amounts the words tell, leaving out those that do not count (see `hours_a_day`)."""
    said = [*_hours_with_units(marks), *_day_parts(marks)]
    said += _bare_hours(marks, {a.at for a in said})
    amounts = [a for a in said if a.hours is not None]
    for keep in (lambda a: a.now, lambda a: not a.past):
        if any(keep(a) for a in amounts):
            amounts = [a for a in amounts if keep(a)]
            break
    if any(not a.echoed for a in amounts):
        amounts = [a for a in amounts if not a.echoed]
    measured = sorted((a for a in amounts if not a.bare), key=lambda a: a.at)
    if measured:
        return [max(float(a.hours), 0.0) for a in measured if a.hours is not None]
    bare = [float(a.hours) for a in amounts if a.hours is not None]
    if len(bare) == 2 and abs(bare[0] - bare[1]) <= _MAX_RANGE:  # a range: its middle first
        return [max((bare[0] + bare[1]) / 2, 0.0), *(max(b, 0.0) for b in bare)]
    return [max(bare[0], 0.0)] if len(bare) == 1 else []


def _hours_with_units(marks: _Marks) -> list[_Hours]:
    """Amounts with a unit: "4 or 5 hours", "un par de horas", "hora y media", "45 min"."""
    words, vocab, table = marks.words, marks.vocab, marks.table
    found = []
    for i, word in enumerate(words):
        unit = table["units_in_minutes"].get(word)
        if unit is None:
            continue
        count, start = _count_before(words, i, vocab)
        phrase = marks.ending_at(i, table["counts"]) if count is None else None
        if phrase:
            count, start = table["counts"][phrase], i - len(phrase.split())
        if count is None and word in table["singular"]:
            count = 1.0  # "a la hora ya no puedo"
        if count is None:
            continue
        end = i + 1
        half = marks.at(end, vocab["and_a_half"])
        if half:
            count, end = count + 0.5, end + len(half.split())
        found.append(_bounded(marks, start, end, count * unit / 60, bare=False))
    return found


def _day_parts(marks: _Marks) -> list[_Hours]:
    """Parts of a day: "half a day", "medio día", "un turno completo", "all day".

    Not after words about pain or rest ("me duele todo el día", "I sit all day").
    """
    words, table = marks.words, marks.table
    found = []
    at = 0
    while at < len(words):
        phrase = marks.at(at, table["day_parts"])
        if not phrase:
            at += 1
            continue
        end = at + len(phrase.split())
        if not set(words[max(at - 3, 0): at]) & set(table["not_capacity_before"]):
            found.append(_bounded(marks, at, end, float(table["day_parts"][phrase]),
                                  bare=False))
        at = end
    return found


def _bare_hours(marks: _Marks, taken: set[int]) -> list[_Hours]:
    """Numbers without a unit, as hours; none when a number has another unit ("12 years")."""
    words, vocab, table = marks.words, marks.vocab, marks.table
    found = []
    for i, word in enumerate(words):
        ranged = i + 2 < len(words) and words[i + 1] in vocab["range_words"] and \
            _number(words[i + 2], vocab) is not None
        if (word in _ARTICLES and not ranged) or word in vocab["half"] or i in taken:
            continue  # "a", "un" are not one, but "una o dos" is
        number = _number(word, vocab)
        if number is None or not 0 < number <= _MAX_HOURS:
            continue
        half = marks.at(i + 1, vocab["and_a_half"])
        if marks.at(i + 1 + (len(half.split()) if half else 0), table["other_units"]):
            return []  # "2 and a half years" is no 2 hours
        if i and (words[i - 1] in table["pronoun_after"].get(word, ())
                  or (words[i - 1] in table["counting_after"] and not word.isdigit())):
            continue  # "the first one", "no one", "between the two"
        found.append(_bounded(marks, i, i + 1, number, bare=True))
    return found


def _bounded(marks: _Marks, start: int, end: int, hours: float, bare: bool) -> _Hours:
    """The amount between `start` and `end` with what bounds it, and where it was said.

    "less than 4" is 3, "4 o menos" 3.5; "I can't do 4 hours" and "4 is too much" are
    under 4, and "not a full day" says nothing. The job's shifts ("12 hour shifts",
    "turnos de 10 horas") or, earlier in its clause, the past ("used to", "antes");
    anywhere before: "now", "ahorita".
    """
    words, table = marks.words, marks.table
    begin = start
    while begin > 0 and words[begin - 1] in table["fillers"]:
        begin -= 1
    before = marks.ending_at(begin, table["before"])
    bound = table["before"][before] if before else 0
    if before:
        hours += bound
        begin -= len(before.split())
    after = marks.at(end, table["after"])
    if after:
        hours += table["after"][after]
    clause = marks.clause[begin]
    too_much = marks.at(end + len(after.split()) if after else end, table["too_much_after"])
    if (marks.denial[begin] >= clause and bound >= 0) or too_much:  # "ni 2", "8 is too much"
        hours = hours - 1 if hours <= HOURS_IN_QUESTION else None
    shifts = marks.at(end, table["shifts"]) or marks.ending_at(begin, table["shifts_of"])
    return _Hours(at=start, hours=hours, bare=bare,
                  past=bool(shifts) or marks.past[begin] >= clause,
                  now=marks.now[begin] <= begin, echoed=marks.asked[start])

"""The clinic's opening hours: when a person can answer, and how to say it to a patient.

Written once in `clinic.yml` (a time zone and, per weekday, `HH:MM-HH:MM`); the words the
assistant says ("Monday to Friday, 7:00 am to 6:00 pm") are built from the same data, so
the hours a patient reads and the hours that decide "open now" cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class OpeningHoursError(ValueError):
    """The opening hours or the time zone in the clinic file cannot be read."""


@dataclass(frozen=True)
class OpeningHours:
    """Per weekday (0 = Monday) the opening and closing time, in the clinic's time zone."""

    zone: ZoneInfo
    days: tuple[tuple[dt.time, dt.time] | None, ...]

    @classmethod
    def parse(cls, timezone: str, spans: Mapping[str, str]) -> OpeningHours:
        """Read `{"monday": "07:00-18:00", ...}`; days not given are closed."""
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise OpeningHoursError(f"unknown time zone {timezone!r}") from exc
        unknown = sorted(str(day) for day in spans if str(day).lower() not in DAYS)
        if unknown:
            raise OpeningHoursError(f"unknown days in opening hours: {', '.join(unknown)}")
        given = {str(day).lower(): span for day, span in spans.items()}
        days = tuple(_span(given[day]) if day in given else None for day in DAYS)
        if not any(days):
            raise OpeningHoursError("the clinic is never open: give at least one day")
        return cls(zone, days)

    def local(self, at: dt.datetime) -> dt.datetime:
        """`at` (aware) in the clinic's time zone."""
        return at.astimezone(self.zone)

    def is_open(self, at: dt.datetime) -> bool:
        """True when `at` falls within the day's opening hours."""
        local = self.local(at)
        span = self.days[local.weekday()]
        return span is not None and span[0] <= local.time() < span[1]

    def next_opening(self, at: dt.datetime) -> dt.datetime:
        """`at` itself when open, else the next time the clinic opens (local time)."""
        local = self.local(at)
        if self.is_open(local):
            return local
        for ahead in range(8):
            day = local.date() + dt.timedelta(days=ahead)
            span = self.days[day.weekday()]
            if span is None:
                continue
            opens = dt.datetime.combine(day, span[0], tzinfo=self.zone)
            if opens > local:
                return opens
        raise AssertionError("parse() guarantees an open day within a week")

    def opens(self, now: dt.datetime) -> str:
        """When a person is next there, in words: "now", "tomorrow at 7:00 am"."""
        return when(self.next_opening(now), now)

    def describe(self) -> str:
        """The hours in words: "Monday to Friday, 7:00 am to 6:00 pm"."""
        return "; ".join(
            f"{_days(first, last)}, {clock(span[0])} to {clock(span[1])}"
            for first, last, span in _groups(self)
        )


def when(opening: dt.datetime, now: dt.datetime) -> str:
    """When `opening` is, seen from `now`: "now", "today at 7:00 am", "on Monday at 7:00 am"."""
    local_now = now.astimezone(opening.tzinfo)
    if opening <= local_now:
        return "now"
    days = (opening.date() - local_now.date()).days
    day = {0: "today", 1: "tomorrow"}.get(days, f"on {DAYS[opening.weekday()].title()}")
    return f"{day} at {clock(opening.time())}"


def clock(time: dt.time) -> str:
    """A time the way patients read it: "7:00 am", "12:30 pm"."""
    hour = time.hour % 12 or 12
    return f"{hour}:{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"


def describe_es(hours: OpeningHours) -> str:
    """The hours in Spanish words: "lunes a viernes, de 7:00 a. m. a 6:00 p. m.".

    Lower case, as Spanish writes day names: it reads after a label or inside a sentence.
    """
    return "; ".join(
        f"{_days_es(first, last)}, de {clock_es(span[0])} a {clock_es(span[1])}"
        for first, last, span in _groups(hours)
    )


def when_es(opening: dt.datetime, now: dt.datetime) -> str:
    """`when` in Spanish: "ahora", "hoy a las 7:00 a. m.", "el lunes a la 1:00 p. m."."""
    local_now = now.astimezone(opening.tzinfo)
    if opening <= local_now:
        return "ahora"
    days = (opening.date() - local_now.date()).days
    day = {0: "hoy", 1: "mañana"}.get(days, f"el {DAYS_ES[opening.weekday()]}")
    article = "la" if opening.hour % 12 == 1 else "las"  # "a la 1:00", "a las 2:00"
    return f"{day} a {article} {clock_es(opening.time())}"


def clock_es(time: dt.time) -> str:
    """A time as Spanish speakers in the U.S. read it: "7:00 a. m.", "12:30 p. m."."""
    hour = time.hour % 12 or 12
    return f"{hour}:{time.minute:02d} {'a. m.' if time.hour < 12 else 'p. m.'}"


def _groups(hours: OpeningHours) -> list[tuple[int, int, tuple[dt.time, dt.time]]]:
    """Runs of consecutive open days with the same hours: (first day, last day, span)."""
    groups: list[tuple[int, int, tuple[dt.time, dt.time]]] = []
    for index, span in enumerate(hours.days):
        if span is None:
            continue
        if groups and groups[-1][1] == index - 1 and groups[-1][2] == span:
            groups[-1] = (groups[-1][0], index, span)
        else:
            groups.append((index, index, span))
    return groups


def _days_es(first: int, last: int) -> str:
    if first == last:
        return DAYS_ES[first]
    if last == first + 1:
        return f"{DAYS_ES[first]} y {DAYS_ES[last]}"
    return f"{DAYS_ES[first]} a {DAYS_ES[last]}"


def _days(first: int, last: int) -> str:
    names = [day.title() for day in DAYS]
    if first == last:
        return names[first]
    if last == first + 1:
        return f"{names[first]} and {names[last]}"
    return f"{names[first]} to {names[last]}"


def _span(text: object) -> tuple[dt.time, dt.time]:
    match = _SPAN.match(str(text))
    if not match:
        raise OpeningHoursError(f"opening hours {text!r}: write them as 07:00-18:00")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    try:
        opens, closes = dt.time(h1, m1), dt.time(h2, m2)
    except ValueError as exc:
        raise OpeningHoursError(f"opening hours {text!r}: {exc}") from exc
    if closes <= opens:
        raise OpeningHoursError(f"opening hours {text!r}: closing must come after opening")
    return opens, closes

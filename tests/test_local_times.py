"""Times on the staff pages: the clinic's clock, with the zone's abbreviation."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.web.rendering import LocalTimes

CHICAGO = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.UTC)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(("zone", "at", "now", "shown"), [
    (CHICAGO, utc(2026, 12, 1, 20, 5), NOW, "Dec 1, 2:05 pm CST"),
    (CHICAGO, utc(2026, 7, 4, 17, 30), NOW, "Jul 4, 12:30 pm CDT"),  # summer time
    (CHICAGO, utc(2026, 12, 2, 3, 0), NOW, "Dec 1, 9:00 pm CST"),  # still Dec 1 at the clinic
    (CHICAGO, utc(2026, 12, 1, 6, 0), NOW, "Dec 1, 12:00 am CST"),
    (CHICAGO, utc(2026, 12, 1, 18, 0), NOW, "Dec 1, 12:00 pm CST"),
    (CHICAGO, utc(2025, 12, 1, 20, 5), NOW, "Dec 1, 2025, 2:05 pm CST"),  # another year
    # New Year's Day in UTC, still 2026 at the clinic: this year's dates need no year
    (CHICAGO, utc(2027, 1, 1, 3, 0), utc(2027, 1, 1, 3, 0), "Dec 31, 9:00 pm CST"),
    (CHICAGO, utc(2026, 1, 5, 20, 0), utc(2027, 1, 1, 3, 0), "Jan 5, 2:00 pm CST"),
    (CHICAGO, utc(2026, 1, 5, 20, 0), utc(2027, 1, 1, 6, 0), "Jan 5, 2026, 2:00 pm CST"),
    (CHICAGO, utc(2026, 3, 8, 7, 59), NOW, "Mar 8, 1:59 am CST"),  # just before the switch
    (CHICAGO, utc(2026, 3, 8, 8, 0), NOW, "Mar 8, 3:00 am CDT"),  # just after it
    (CHICAGO, dt.datetime(2026, 12, 1, 14, 5, tzinfo=CHICAGO), NOW, "Dec 1, 2:05 pm CST"),
    (ZoneInfo("Asia/Kolkata"), utc(2026, 12, 1, 8, 35), NOW, "Dec 1, 2:05 pm IST"),
    (ZoneInfo("America/Sao_Paulo"), utc(2026, 12, 1, 17, 5), NOW, "Dec 1, 2:05 pm UTC-03"),
    (ZoneInfo("Asia/Kathmandu"), utc(2026, 12, 1, 8, 20), NOW, "Dec 1, 2:05 pm UTC+0545"),
    (ZoneInfo("UTC"), utc(2026, 12, 1, 14, 5), NOW, "Dec 1, 2:05 pm UTC"),
])
def test_when(zone, at, now, shown):
    assert LocalTimes(zone, now).when(at) == shown


@pytest.mark.parametrize(("one", "other", "same"), [
    (utc(2026, 12, 1, 14, 0), utc(2026, 12, 2, 3, 0), True),  # one day in Chicago, two in UTC
    (utc(2026, 12, 1, 5, 59), utc(2026, 12, 1, 6, 0), False),  # midnight in Chicago
    (utc(2026, 12, 1, 6, 0), utc(2026, 12, 2, 5, 59), True),
])
def test_same_day_is_the_clinics_day(one, other, same):
    local = LocalTimes(CHICAGO, NOW)
    assert local.same_day(one, other) is same and local.same_day(other, one) is same


def test_date_and_time_make_up_when():
    local = LocalTimes(CHICAGO, NOW)
    at = utc(2026, 11, 30, 23, 45)
    assert (local.date(at), local.time(at)) == ("Nov 30", "5:45 pm CST")
    assert local.when(at) == f"{local.date(at)}, {local.time(at)}"

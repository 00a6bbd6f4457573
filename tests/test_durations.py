"""How long ago an injury was, from patients' words (reference date fixed)."""

from datetime import date

import pytest

from bot.core.durations import UNKNOWN, hours_a_day, weeks_since

TODAY = date(2026, 11, 30)  # a Monday


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("about six weeks", 6.0),
        ("6 wks", 6.0),
        ("a couple of months", 8.7),
        ("a year and a half", 78.3),
        ("nearly two years", 104.4),
        ("close to a year ago", 52.2),
        ("3 or 4 months back", 15.2),
        ("half a year", 26.1),
        ("2 years 3 months", 117.4),
        ("10 days ago", 1.4),
        ("yesterday", 0.1),
        ("last tuesday", 0.9),
        ("in August", 15.4),
        ("Aug 2024", 119.4),
        ("on March 3rd", 38.9),
        ("mid september", 10.9),
        ("end of june", 21.9),
        ("7/22/26", 18.7),
        ("2/14/2025", 93.4),
        ("last spring", 32.7),
        ("the summer before last", 71.9),
        ("right after Christmas", 48.6),
        ("2 days after christmas", 48.3),
        ("since the 4th of July", 21.3),
        ("thanksgiving last year", 52.6),
        ("in 2023", 178.0),
        ("8 weeks, no sorry, 10 weeks", 10.0),
        ("been off work 2 months, got hurt about 3 months ago", 13.0),
        ("its been 16 weeks since my knee surgery but I hurt it 6 months ago", 26.1),
        ("hace tres meses", 13.0),
        ("en enero", 45.6),
        ("like a munth ago", 4.3),
        ("in agust", 15.4),
        ("im 52 and drive a forklift 10 hrs a day, got hurt 6 weeks ago", 6.0),
    ],
)
def test_weeks_since_the_injury(text, weeks):
    assert weeks_since(text, TODAY) == pytest.approx(weeks, abs=0.2)


@pytest.mark.parametrize("text", ["I don't remember", "not sure", "a while ago", "months",
                                  "no me acuerdo"])
def test_not_knowing_is_an_answer(text):
    assert weeks_since(text, TODAY) is UNKNOWN


@pytest.mark.parametrize("text", ["why does that matter", "yes", "", "x" * 10_000])
def test_no_time_at_all(text):
    assert weeks_since(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [("4 or 5 hours", 4.5), ("less than 4 hours", 3.0), ("half a day", 4.0),
     ("a full shift", 8.0), ("2-3 hrs", 2.5), ("not sure", None),
     # asked for hours, a bare number is hours
     ("maybe 5", 5.0), ("5 or 6", 5.5), ("like three", 3), ("a couple", 2),
     ("2 horas, maybe, my body is very tired", 2.0), ("dos o tres horas", 2.5),
     ("medio día", 4.0), ("I worked there 12 years, maybe 5", None),
     ("2, maybe 3 tops right now", 2.5)],  # "right" is not a typo for "eight"
)
def test_hours_a_day(text, hours):
    assert hours_a_day(text) == hours

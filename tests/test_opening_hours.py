import datetime as dt

import pytest

from bot.core.opening_hours import OpeningHours, clock, clock_es, describe_es, when, when_es

WEEKDAYS = {day: "07:00-18:00" for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
HOURS = OpeningHours.parse("America/Chicago", {**WEEKDAYS, "saturday": "08:00-12:30"})
CHICAGO = HOURS.zone


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """December 2026: the 7th is a Monday."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (at(7, 7), True),
        (at(7, 6, 59), False),
        (at(7, 17, 59), True),
        (at(7, 18), False),
        (at(12, 12, 29), True),
        (at(12, 12, 30), False),
        (at(13, 10), False),
        (dt.datetime(2026, 12, 7, 13, 0, tzinfo=dt.UTC), True),
        (dt.datetime(2026, 12, 7, 12, 59, tzinfo=dt.UTC), False),
    ],
)
def test_open_is_read_in_the_clinics_time_zone(moment, is_open):
    assert HOURS.is_open(moment) is is_open


@pytest.mark.parametrize(
    ("moment", "opening", "words"),
    [
        (at(7, 9), at(7, 9), "now"),
        (at(7, 5), at(7, 7), "today at 7:00 am"),
        (at(7, 19), at(8, 7), "tomorrow at 7:00 am"),
        (at(12, 13), at(14, 7), "on Monday at 7:00 am"),
        (at(11, 22), at(12, 8), "tomorrow at 8:00 am"),
    ],
)
def test_next_opening_and_how_it_is_said(moment, opening, words):
    assert HOURS.next_opening(moment) == opening
    assert when(HOURS.next_opening(moment), moment) == HOURS.opens(moment) == words


@pytest.mark.parametrize(
    ("spans", "words"),
    [
        (WEEKDAYS, "Monday to Friday, 7:00 am to 6:00 pm"),
        ({**WEEKDAYS, "saturday": "08:00-12:30"},
         "Monday to Friday, 7:00 am to 6:00 pm; Saturday, 8:00 am to 12:30 pm"),
        ({"monday": "09:00-17:00", "wednesday": "09:00-17:00"},
         "Monday, 9:00 am to 5:00 pm; Wednesday, 9:00 am to 5:00 pm"),
        ({"Saturday": "00:00-12:00", "sunday": "12:00-23:59"},
         "Saturday, 12:00 am to 12:00 pm; Sunday, 12:00 pm to 11:59 pm"),
    ],
)
def test_hours_in_words(spans, words):
    assert OpeningHours.parse("UTC", spans).describe() == words


def test_clock_reads_like_a_person_says_it():
    assert [clock(dt.time(h, m)) for h, m in ((0, 5), (9, 0), (12, 0), (18, 30))] == [
        "12:05 am", "9:00 am", "12:00 pm", "6:30 pm"]


@pytest.mark.parametrize(
    ("spans", "words"),
    [
        (WEEKDAYS, "lunes a viernes, de 7:00 a. m. a 6:00 p. m."),
        ({**WEEKDAYS, "saturday": "08:00-12:30"},
         "lunes a viernes, de 7:00 a. m. a 6:00 p. m.; sábado, de 8:00 a. m. a 12:30 p. m."),
        ({"tuesday": "09:00-17:00", "wednesday": "09:00-17:00"},
         "martes y miércoles, de 9:00 a. m. a 5:00 p. m."),
        ({"monday": "09:00-17:00", "wednesday": "09:00-17:00"},
         "lunes, de 9:00 a. m. a 5:00 p. m.; miércoles, de 9:00 a. m. a 5:00 p. m."),
        ({"Saturday": "00:00-12:00", "sunday": "12:00-23:59"},
         "sábado, de 12:00 a. m. a 12:00 p. m.; domingo, de 12:00 p. m. a 11:59 p. m."),
    ],
)
def test_hours_in_spanish_words(spans, words):
    assert describe_es(OpeningHours.parse("UTC", spans)) == words


def test_spanish_and_english_words_group_the_same_days():
    weekend = {"saturday": "08:00-12:30", "sunday": "08:00-12:30"}
    hours = OpeningHours.parse("UTC", {**WEEKDAYS, **weekend})
    assert hours.describe().count(";") == describe_es(hours).count(";") == 1


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (at(7, 9), "ahora"),
        (at(7, 5), "hoy a las 7:00 a. m."),
        (at(7, 19), "mañana a las 7:00 a. m."),
        (at(12, 13), "el lunes a las 7:00 a. m."),
        (at(11, 22), "mañana a las 8:00 a. m."),
    ],
)
def test_next_opening_in_spanish(moment, words):
    assert when_es(HOURS.next_opening(moment), moment) == words


def test_one_oclock_takes_the_singular_article():
    hours = OpeningHours.parse("America/Chicago", {"monday": "13:00-17:00"})
    assert when_es(hours.next_opening(at(7, 9)), at(7, 9)) == "hoy a la 1:00 p. m."


def test_spanish_clock():
    assert [clock_es(dt.time(h, m)) for h, m in ((0, 5), (9, 0), (12, 0), (18, 30))] == [
        "12:05 a. m.", "9:00 a. m.", "12:00 p. m.", "6:30 p. m."]

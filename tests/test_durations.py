"""How long ago an injury was, from patients' words (reference date fixed)."""

from datetime import date

import pytest

from bot.core.durations import UNKNOWN, hours_a_day, hours_said, names_hours, weeks_since

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
        ("i can do 4 hours or more a day, got hurt 6 weeks ago", 6.0),
        ("hurt it a day ago", 0.1),
        ("a day or two ago", 0.1),
        # how long the job has lasted is not when the injury was (a blind patient trial)
        ("i work at a distribution center for like 9 yrs, and last january i was pulling a "
         "pallet jack and something in my shoulder popped", 45.6),
        ("i have been a roofer for 12 years and hurt my back 3 months ago", 13.0),
        ("llevo 9 anos trabajando en la bodega y me lastime hace 3 meses", 13.0),
        ("tengo 10 años en la empresa, me cai en agosto", 15.3),
        ("i hurt my back at work, its been like 9 months", 39.1),
        ("ive had this pain for 2 years from work", 104.4),
    ],
)
def test_weeks_since_the_injury(text, weeks):
    assert weeks_since(text, TODAY) == pytest.approx(weeks, abs=0.2)


@pytest.mark.parametrize("text", ["i work at a distribution center for like 9 yrs",
                                  "been working there for about 3 years",
                                  "trabajo en construccion desde hace 10 anos"])
def test_a_tenure_alone_tells_no_time_since_the_injury(text):
    assert weeks_since(text, TODAY) is None  # asked, not read as "don't know"


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        # amounts, in figures and in words
        ("hace dos semanas", 2.0),
        ("hace quince días", 2.1),
        ("hace veinte días", 2.9),
        ("hace once meses", 47.8),
        ("hace un par de meses", 8.7),
        ("hace unos meses", 13.0),
        ("hace unas semanas", 3.0),
        ("de 3 a 4 meses", 15.2),
        ("hace cuatro o cinco meses", 19.6),
        ("hace como año y medio", 78.3),
        ("hace un mes y medio", 6.5),
        ("hace medio año", 26.1),
        ("un año y dos meses", 60.9),
        ("hace una quincena", 2.0),
        # dates, months, seasons, holidays
        ("desde marzo", 37.1),
        ("en agosto", 15.3),
        ("el 15 de julio", 19.7),
        ("el dos de mayo", 30.3),
        ("el primero de mayo", 30.4),
        ("a mediados de abril", 32.7),
        ("a principios de año", 47.0),
        ("el 15 de enero del 2025", 97.7),
        ("en octubre del año pasado", 58.7),
        ("el año pasado", 73.7),
        ("el año antepasado", 125.9),
        ("el verano antepasado", 71.9),
        ("el invierno pasado", 45.6),
        ("después de navidad", 48.6),
        ("dos semanas después de navidad", 46.6),
        ("el día de acción de gracias del año pasado", 52.6),
        # days before today
        ("la semana pasada", 1.0),
        ("el mes pasado", 4.3),
        ("antier", 0.3),
        ("el lunes pasado", 1.0),
        # typos, an age, a correction, a surgery told with the injury
        ("hase tres mese", 13.0),
        ("en agosot", 15.3),
        ("tengo 45 años y me lastimé hace 9 semanas", 9.0),
        ("8 semanas, no perdón, 10 semanas", 10.0),
        ("me operaron hace 2 meses, pero me lastimé hace 5 meses", 21.7),
    ],
)
def test_weeks_since_the_injury_in_spanish(text, weeks):
    assert weeks_since(text, TODAY) == pytest.approx(weeks, abs=0.2)


@pytest.mark.parametrize("text", ["I don't remember", "not sure", "a while ago", "months",
                                  "no me acuerdo", "la verdad no sé", "ni idea",
                                  "uy, hace mucho tiempo", "quién sabe", "meses"])
def test_not_knowing_is_an_answer(text):
    assert weeks_since(text, TODAY) is UNKNOWN


@pytest.mark.parametrize("text", ["why does that matter", "yes", "", "x" * 10_000,
                                  "¿y eso para qué?", "sí",
                                  # Spanish words that stay out of English answers
                                  "once I'm stronger", "my back is a mess",
                                  # how many hours a day, after the result (stop 49's trial)
                                  "i can do 4 hours or more a day",
                                  "6 hours or so a day", "like 3 times or more a week"])
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
     ("2, maybe 3 tops right now", 2.5),  # "right" is not a typo for "eight"
     ("once I get stronger maybe 4", 4.0),  # "once" is eleven only before a unit
     ("unas 3 horas nomás", 3.0), ("como cuatro horas", 4.0)],
)
def test_hours_a_day(text, hours):
    assert hours_a_day(text) == hours


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        # amounts with a unit, in figures and words, diminutives and short forms
        ("unas tres horas", 3.0),
        ("como dos horitas", 2.0),
        ("5 hrs", 5.0),
        ("4hrs", 4.0),
        ("cuatro o cinco horas", 4.5),
        ("de 2 a 3 horas", 2.5),
        ("un par de horas", 2.0),
        ("unas cuantas horas", 3.0),
        ("una hora y media", 1.5),
        ("hora y media", 1.5),
        ("media hora", 0.5),
        ("como 20 minutos", 1 / 3),
        ("a la hora ya no puedo", 1.0),  # a unit in the singular is one
        ("2.5 horas", 2.5),
        # parts of a day
        ("medio día", 4.0),
        ("medio turno", 4.0),
        ("todo el día", 8.0),
        ("un turno completo", 8.0),
        ("la jornada completa", 8.0),
        ("me duele todo el día", None),  # how the day goes, not what one could do
        # bounds
        ("más de cuatro", 5.0),
        ("menos de 4", 3.0),
        ("menos de cuatro horas", 3.0),
        ("ni dos horas", 1.0),
        ("4 horas o más", 4.0),
        ("4 o menos", 3.5),
        ("máximo 3 hrs", 3.0),
        ("no más de 2", 2.0),
        # a denied amount is less than it; denying more than 4 says nothing
        ("no aguanto 4 horas", 3.0),
        ("no aguanto todo el día", None),
        ("no aguanto ni medio día", 3.0),
        ("no problema, 6 horas", 6.0),
        # bare numbers, asked for hours
        ("como 2 o 3", 2.5),
        ("8 horas si me dejan", 8.0),
        ("pues unas 5", 5.0),
        ("una o dos", 1.5),
        ("seis, siete horas", 7.0),
        # which of several amounts counts
        ("antes trabajaba 10 horas pero ahorita como 3", 3.0),
        ("4 horas, no perdón, 3", 3.0),
        ("2 o 3 días a la semana", None),  # days, not hours
        ("tengo 45 años", None),
        ("llevo 2 y medio años sin trabajar", None),
        ("¿qué hacen en el programa?", None),
        # an amount echoed in a question, one bounded
        ("¿ocho horas? no, ni loco, tres cuando mucho", 3.0),
        ("no menos de cuatro", 4.0),
        ("4 horas sí, pero 8 ya es mucho", 4.0),
        ("cuatro horas es mucho pero sí aguanto", 4.0),
        ("no sé", None),
    ],
)
def test_hours_a_day_in_spanish(text, hours):
    assert hours_a_day(text) == (pytest.approx(hours, abs=0.01) if hours is not None else None)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("a couple of hours", 2.0),
        ("an hour and a half", 1.5),
        ("2 and a half hours", 2.5),
        ("30 minutes and im hurting", 0.5),
        ("I can barely sit through a 45 minute appointment", 0.75),
        ("3ish", 3.0),
        ("4+", 4.0),
        ("at least 5", 5.0),
        ("more than 4 for sure", 5.0),
        ("not even 2", 1.0),
        ("3 hours tops", 3.0),
        ("a full day", 8.0),
        ("half a shift", 4.0),
        ("I sit all day", None),
        ("I can't do 4 hours", 3.0),
        ("no way I could do 8 hours", None),  # more than 4 denied: not told
        ("no problem doing 6 hours", 6.0),
        ("I used to do 12 hour shifts, now maybe 3", 3.0),
        ("my shifts are 10 hours but right now 2 is plenty", 2.0),
        ("I can do 5 hours but 8 is too much", 5.0),
        ("8 hours? I wish. more like 2", 2.0),
        ("Eight hours? no. Two hours? yes.", 8.0),  # every amount asked: the reader weighs
        ("not less than 5 hours", 5.0),
        ("4 is too much", 3.0),
        ("8 weeks off work, maybe 5", None),  # another unit: a bare number is not hours
        ("yes been off 2 and a half years", None),  # blind hand trial, stop 55: not 2 hours
        ("3 days a week", None),
        ("the first one", None),
        # blind hand trial, stop 57: things counted, not hours
        ("wait whats the difference again between the two", None),
        ("my two kids", None), ("maybe two", 2.0), ("maybe the 6", 6.0),
        ("from 8 to 12", None),  # a time of day, not an amount
    ],
)
def test_hours_a_day_in_english(text, hours):
    assert hours_a_day(text) == (pytest.approx(hours, abs=0.01) if hours is not None else None)


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("quisiera decirle que todo el día pero la verdad no paso de dos horas", [8.0, 1.0]),
        ("orita voy a terapia una hora, pero yo creo que cuatro o cinco horas sí aguanto",
         [1.0, 4.5]),
        ("I could do 6 hours, but my back hurts after 2", [6.0]),  # a bare 2 beside "6 hours"
        ("4 horas sí, pero 8 ya es mucho", [4.0]),
        ("maybe 5", [5.0]),
        ("tal vez dos, tal vez cinco", [3.5, 2.0, 5.0]),  # a range: its middle, then its ends
        ("no sé", []),
    ],
)
def test_every_amount_that_may_be_the_answer(text, amounts):
    """Several amounts with their units are all given: words alone cannot tell which counts."""
    assert hours_said(text) == amounts


def test_hours_a_day_costs_linear_time_on_long_input():
    assert hours_a_day("4 horas " * 5_000) == 4.0
    assert hours_a_day("1" * 10_000) is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [("I work 12 hour shifts, I could do maybe 3", 3.0),
     ("hago turnos de 10 horas, ahorita aguanto unas 2", 2.0),
     ("a 6 hour shift", 6.0)],  # the job's shifts count when nothing else is said
)
def test_hours_a_day_leaves_the_jobs_shifts_for_what_one_could_do(text, hours):
    assert hours_a_day(text) == hours


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("hace un mesecito", 4.3),  # diminutives
        ("hace dos añitos", 104.4),
        ("hace como 6 semanitas", 6.0),
        ("el 1ro de octubre", 8.6),  # Spanish ordinal figures
        ("el 2do de octubre", 8.4),
        ("fue el 15/09/2026", 10.9),  # day first when the first number is no month
        ("me lastimé el 25/10", 5.1),
        ("el 20 del mes pasado", 5.9),
        ("the 20th of last month", 5.9),
        ("a finales del año pasado", 49.3),
        ("end of last year", 49.3),
        ("el 9 de este mes", 3.0),
        ("7/22/26", 18.7),  # month first when both could be
    ],
)
def test_weeks_since_more_spanish_dates(text, weeks):
    assert weeks_since(text, TODAY) == pytest.approx(weeks, abs=0.2)


@pytest.mark.parametrize(("text", "named"), [
    ("4 hours", True), ("i can do 4 hours or more a day", True), ("medio día", True),
    ("como dos horitas", True), ("45 minutes", True), ("un turno completo", True),
    # a bare number: hours only as a reply to the hours question (a fresh review, stop 63)
    ("ok got one", False), ("yes i have one already", False), ("maybe 5 or 6", False),
    ("", False),
])
def test_hours_told_in_so_many_words(text: str, named: bool) -> None:
    assert names_hours(text) is named

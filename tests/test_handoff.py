import datetime as dt

import pytest

from bot.core.handoff import NUMBER_TRIES, Step, plan_handoff, stop_asking
from bot.core.opening_hours import OpeningHours

HOURS = OpeningHours.parse("America/Chicago", {"monday": "07:00-18:00", "tuesday": "07:00-18:00"})
MONDAY_NOON = dt.datetime(2026, 12, 7, 12, 0, tzinfo=HOURS.zone)
MONDAY_NIGHT = dt.datetime(2026, 12, 7, 21, 0, tzinfo=HOURS.zone)
TUESDAY_NIGHT = dt.datetime(2026, 12, 8, 21, 0, tzinfo=HOURS.zone)


@pytest.mark.parametrize(
    ("text", "step", "phone"),
    [
        ("Can someone call me back? my number is 555 201 3344, mornings are best",
         Step.CONFIRM, "+15552013344"),
        ("I want to talk to someone, 555 201 3344", Step.CONFIRM, "+15552013344"),
        ("please have someone call me back", Step.ASK_NUMBER, None),
        ("can you call me about my claim 20261234567", Step.ASK_NUMBER, None),
        ("me pueden llamar en la tarde", Step.ASK_NUMBER, None),
        ("can I talk to a real person", Step.OFFER, None),
        ("i dont want to call anyone", Step.OFFER, None),  # a call turned down
        ("no quiero que nadie me llame", Step.OFFER, None),
        ("yes", Step.OFFER, None),
    ],
)
def test_the_request_decides_the_next_step(text, step, phone):
    plan = plan_handoff(text, MONDAY_NOON, HOURS)
    assert (plan.step, plan.details.phone) == (step, phone)


@pytest.mark.parametrize(
    ("now", "open_now", "opens", "opens_es"),
    [(MONDAY_NOON, True, "now", "ahora"),
     (MONDAY_NIGHT, False, "tomorrow at 7:00 am", "mañana a las 7:00 a. m."),
     (TUESDAY_NIGHT, False, "on Monday at 7:00 am", "el lunes a las 7:00 a. m.")],
)
def test_the_plan_says_whether_anyone_is_there(now, open_now, opens, opens_es):
    plan = plan_handoff("can I talk to someone", now, HOURS)
    assert (plan.open_now, plan.opens, plan.opens_es) == (open_now, opens, opens_es)


def test_the_number_is_asked_for_at_most_twice():
    assert [stop_asking(n) for n in range(NUMBER_TRIES + 1)] == [False] * NUMBER_TRIES + [True]

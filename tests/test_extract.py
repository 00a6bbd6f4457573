from datetime import date

import pytest

from bot.extract import TriageReader
from bot.spacy_pipeline import build_pipeline, load_patterns

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def reader():
    return TriageReader(build_pipeline(load_patterns()))


def test_an_opening_story_fills_many_slots_at_once(reader):
    found = reader.read(
        "I hurt my back lifting at the warehouse 3 months ago, my doctor cleared me "
        "but I'm scared to go back",
        today=TODAY,
    )
    assert found == {
        "job_demand_level": "heavy",
        "weeks_since_injury": 13.0,
        "medically_cleared": True,
        "psychosocial_barriers": True,
        "has_job_goal": True,
    }


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("3 months ago", 13.0),
        ("two wks", 2.0),
        ("about 6 weeks", 6.0),
        ("a year and a half ago", 78.3),
        ("2 and a half years ago", 130.4),
        ("last year", 52.18),
        ("since March", 34.8),
        ("back in december", 47.8),
        ("yesterday", 0.142857),
        ("10 days ago", 1.4),
        ("couple of months", None),
        ("no idea", None),
    ],
)
def test_weeks_since_injury(reader, text, weeks):
    found = reader.read(text, requested="weeks_since_injury", today=TODAY)
    assert found.get("weeks_since_injury") == weeks


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("warehouse, lifting 50-lb boxes", "heavy"),
        ("I lift 60 lbs all day", "heavy"),
        ("i carry 120 pounds sometimes", "very_heavy"),
        ("boxes of 15 kg", "medium"),
        ("I'm a cashier", "light"),
        ("desk job, mostly typing", "sedentary"),
        ("I'm a firefighter", "very_heavy"),
        ("nurse aide, I help move patients", "medium"),
        ("it's pretty heavy work", "heavy"),
        ("I am a roofer climbing ladders", "heavy"),
        ("what is work hardening", None),
    ],
)
def test_job_demand_level(reader, text, level):
    assert reader.read(text, requested="job_demand_level").get("job_demand_level") == level


@pytest.mark.parametrize(
    ("slot", "text", "value"),
    [
        ("medically_cleared", "yes", True),
        ("medically_cleared", "nope, not yet", False),
        ("medically_cleared", "I'm waiting for surgery", False),
        ("medically_cleared", "he hasn't cleared me yet", False),
        ("medically_cleared", "my doctor said i can start exercising", True),
        ("red_flags", "no, none of those", False),
        ("red_flags", "i dont have any of that", False),
        ("red_flags", "Yes", True),
        ("has_job_goal", "I lost my job", False),
        ("has_job_goal", "I want to go back to my job at the plant", True),
        ("has_job_goal", "yeah, my old job at the warehouse", True),
        ("meets_job_demands", "no, I can't lift like I used to", False),
        ("meets_job_demands", "yes I can do my job fine", True),
        ("psychosocial_barriers", "I'm really anxious about hurting it again", True),
        ("psychosocial_barriers", "no, I'm not worried", False),
        ("vocational_barriers", "I've been off work for 8 months", True),
        ("vocational_barriers", "nope", False),
        ("psychosocial_barriers", "maybe", None),
    ],
)
def test_answers_to_the_question_asked(reader, slot, text, value):
    assert reader.read(text, requested=slot, today=TODAY).get(slot) == value


def test_a_yes_is_only_read_for_the_question_asked(reader):
    assert reader.read("yes", requested="medically_cleared") == {"medically_cleared": True}
    assert reader.read("yes", requested=None) == {}

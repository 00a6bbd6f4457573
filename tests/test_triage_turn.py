"""One triage turn: answers, "not sure", unclear replies (asked at most twice), questions."""

import pytest

from bot.core.answers import Answer
from bot.core.triage import load_rules
from bot.core.triage_turn import (
    GO_ON,
    Turn,
    action_before_the_reply,
    plan_turn,
    previous_question,
)
from bot.settings import ROOT

RULES = load_rules(ROOT / "triage_rules.yml")
YES, NO, UNSURE, OTHER = Answer.YES, Answer.NO, Answer.UNSURE, Answer.OTHER


@pytest.mark.parametrize(
    ("requested", "kind", "value", "unclear", "expected"),
    [
        ("medically_cleared", YES, True, None, Turn({"medically_cleared": True})),
        ("medically_cleared", NO, False, "medically_cleared", Turn({"medically_cleared": False})),
        # "not sure" about clearance counts at once (see your doctor first)
        ("medically_cleared", UNSURE, None, None,
         Turn({"medically_cleared": False}, unsure=("medically_cleared",))),
        # ... about the date: a rough guess first, then it stays unknown
        ("weeks_since_injury", UNSURE, None, None,
         Turn({"weeks_since_injury": None}, unclear="weeks_since_injury")),
        ("weeks_since_injury", UNSURE, None, "weeks_since_injury",
         Turn({"weeks_since_injury": None}, unsure=("weeks_since_injury",))),
        # ... about the safety list: advice, and it counts as no
        ("red_flags", UNSURE, None, None,
         Turn({"red_flags": False}, unsure=("red_flags",),
              say=("utter_triage_unsure_red_flags",))),
        # an unclear reply: asked once more; a second one counts as "not sure"
        ("psychosocial_barriers", OTHER, None, None,
         Turn({"psychosocial_barriers": None}, unclear="psychosocial_barriers")),
        ("psychosocial_barriers", OTHER, None, "psychosocial_barriers",
         Turn({"psychosocial_barriers": False}, unsure=("psychosocial_barriers",),
              say=(GO_ON,))),
    ],
)
def test_replies(requested, kind, value, unclear, expected):
    assert plan_turn(requested, kind, value, {}, unclear, (), RULES) == expected


def test_volunteered_facts_are_kept_with_the_answer():
    turn = plan_turn("has_job_goal", YES, True, {"job_demand_level": "heavy"}, None, (), RULES)
    assert turn.values == {"job_demand_level": "heavy", "has_job_goal": True}


def test_volunteered_facts_change_earlier_answers_but_not_the_jobs_demands():
    """Blind hand trial of stop 55: "no but im on light duty right now" made a delivery
    job with 50-70 lb packages light. A correction still changes it."""
    answered = ("job_demand_level", "medically_cleared")
    turn = plan_turn("meets_job_demands", NO, False,
                     {"job_demand_level": "light", "medically_cleared": False}, None, (),
                     RULES, answered=answered)
    assert turn.values == {"meets_job_demands": False, "medically_cleared": False}
    corrected = plan_turn("meets_job_demands", OTHER, None, {}, None, (), RULES,
                          corrected={"job_demand_level": "light"}, taken_back=True,
                          answered=answered)
    assert corrected.values["job_demand_level"] == "light"


def test_a_question_of_the_patients_own_is_answered_first_and_is_not_unclear():
    turn = plan_turn("meets_job_demands", OTHER, None, {}, "meets_job_demands", (), RULES,
                     asks_something=True)
    assert turn == Turn(unclear="meets_job_demands", digression=True)


def test_a_question_of_the_patients_own_tells_no_facts():
    turn = plan_turn("red_flags", OTHER, None, {"job_demand_level": "heavy"}, None, (), RULES,
                     asks_something=True)
    assert turn == Turn(digression=True)


def test_the_opening_message_only_volunteers_facts():
    assert plan_turn(None, OTHER, None, {"weeks_since_injury": 13.0}, None, (), RULES) == Turn(
        {"weeks_since_injury": 13.0})


def test_no_question_is_asked_a_third_time():
    unclear = None
    asked = 1
    for _ in range(5):
        turn = plan_turn("vocational_barriers", OTHER, None, {}, unclear, (), RULES)
        if turn.values.get("vocational_barriers") is None and turn.unclear:
            asked += 1
        unclear = turn.unclear
        if "vocational_barriers" in turn.unsure:
            break
    assert asked == 2


def test_a_correction_changes_an_earlier_answer_and_asks_the_question_again():
    turn = plan_turn("weeks_since_injury", OTHER, None, {}, None, ("tolerates_4_hours",), RULES,
                     corrected={"tolerates_4_hours": False})
    assert turn == Turn({"tolerates_4_hours": False, "weeks_since_injury": None})


def test_a_correction_to_a_question_asked_twice_does_not_ask_it_a_third_time():
    # "i mean i got hurt in march, not sure", the hours question asked twice (a fresh review)
    turn = plan_turn("tolerates_4_hours", OTHER, None, {}, "tolerates_4_hours", (), RULES,
                     corrected={"weeks_since_injury": 36.0})
    assert turn.values["weeks_since_injury"] == 36.0
    assert turn.values["tolerates_4_hours"] == RULES.answered_unsure("tolerates_4_hours")
    assert turn.unclear is None and "tolerates_4_hours" in turn.unsure


def test_a_reply_that_answers_the_question_is_not_read_as_a_correction():
    turn = plan_turn("psychosocial_barriers", YES, True, {}, None, (), RULES,
                     corrected={"meets_job_demands": True})
    assert turn == Turn({"psychosocial_barriers": True})


def test_an_answer_taken_back_in_so_many_words_is_corrected_even_if_it_answers_too():
    # "perdón, le corrijo, sí puedo. Ya llevo 3 semanas trabajando el día completo"
    turn = plan_turn("psychosocial_barriers", YES, True, {}, None, (), RULES,
                     corrected={"meets_job_demands": True}, taken_back=True)
    assert turn == Turn({"meets_job_demands": True, "psychosocial_barriers": None})


def test_a_correction_with_a_measure_outweighs_an_answer_read_in_the_same_words():
    # "scratch that, I walked 5 hours yesterday, I could do 5 or 6 hours a day"
    turn = plan_turn("weeks_since_injury", YES, 0.1, {}, None, (), RULES,
                     corrected={"tolerates_4_hours": True})
    assert turn == Turn({"tolerates_4_hours": True, "weeks_since_injury": None})


def test_the_question_asked_before_comes_from_the_events():
    events = [{"event": "slot", "name": "requested_slot", "value": "has_job_goal"},
              {"event": "user", "text": "yes"},
              {"event": "slot", "name": "requested_slot", "value": "meets_job_demands"},
              {"event": "slot", "name": "requested_slot", "value": None}]
    assert previous_question(events, "meets_job_demands") == "has_job_goal"
    assert previous_question(events, None) == "meets_job_demands"
    assert previous_question([{"event": "session_started"}], None) is None


def _action(name: str) -> dict:
    return {"event": "action", "name": name}


USER = {"event": "user", "text": "ok got one"}


@pytest.mark.parametrize(("events", "before"), [
    ([_action("action_triage_result"), _action("action_listen"), USER], "action_triage_result"),
    # an FAQ answered on the way: the reply comes a turn later (a fresh review, stop 63)
    ([_action("action_triage_result"), _action("action_listen"), USER,
      _action("action_after_result"), {"event": "bot", "text": "..."},
      _action("action_listen"), USER], "action_after_result"),
    ([USER], None), ([], None),
])
def test_the_action_before_the_reply(events: list[dict], before: str | None) -> None:
    assert action_before_the_reply(events) == before

import pytest
import yaml

from bot.core.triage import (
    SLOTS,
    DemandLevel,
    Outcome,
    RulesError,
    TriageRecord,
    decide,
    load_rules,
    next_question,
)
from bot.settings import ROOT

RULES = load_rules(ROOT / "triage_rules.yml")
CLEARED = {"red_flags": False, "medically_cleared": True, "has_job_goal": True,
           "meets_job_demands": False, "weeks_since_injury": 12.0}


def record(**values):
    return TriageRecord(**values)


@pytest.mark.parametrize(
    ("values", "outcome"),
    [
        ({"red_flags": True}, Outcome.URGENT_CARE),
        ({**CLEARED, "red_flags": True}, Outcome.URGENT_CARE),
        ({"red_flags": False, "medically_cleared": False}, Outcome.MEDICAL_REVIEW),
        ({"red_flags": False, "medically_cleared": True, "has_job_goal": False},
         Outcome.NOT_INDICATED),
        ({**CLEARED, "meets_job_demands": True}, Outcome.NOT_INDICATED),
        ({**CLEARED, "job_demand_level": DemandLevel.LIGHT,
          "psychosocial_barriers": False, "vocational_barriers": False}, Outcome.NOT_INDICATED),
        ({**CLEARED, "job_demand_level": DemandLevel.SEDENTARY,
          "psychosocial_barriers": True}, Outcome.NOT_INDICATED),
        ({**CLEARED, "job_demand_level": DemandLevel.HEAVY,
          "psychosocial_barriers": True, "tolerates_4_hours": True}, Outcome.WORK_HARDENING),
        ({**CLEARED, "job_demand_level": DemandLevel.HEAVY,
          "psychosocial_barriers": True, "tolerates_4_hours": False},
         Outcome.WORK_CONDITIONING),
        ({**CLEARED, "job_demand_level": DemandLevel.MEDIUM, "psychosocial_barriers": False,
          "vocational_barriers": True, "tolerates_4_hours": True}, Outcome.WORK_HARDENING),
        ({**CLEARED, "job_demand_level": DemandLevel.VERY_HEAVY,
          "psychosocial_barriers": False, "vocational_barriers": False},
         Outcome.WORK_CONDITIONING),
    ],
)
def test_outcomes_follow_the_clinical_order(values, outcome):
    assert decide(record(**values), RULES).outcome == outcome


@pytest.mark.parametrize(
    ("values", "asked_next"),
    [
        ({}, "red_flags"),
        ({"red_flags": False}, "medically_cleared"),
        ({"red_flags": False, "medically_cleared": True}, "has_job_goal"),
        ({"red_flags": False, "medically_cleared": True, "has_job_goal": True},
         "meets_job_demands"),
        ({**CLEARED}, "job_demand_level"),
        ({**CLEARED, "job_demand_level": DemandLevel.HEAVY}, "psychosocial_barriers"),
        ({**CLEARED, "job_demand_level": DemandLevel.HEAVY, "psychosocial_barriers": False},
         "vocational_barriers"),
        ({"red_flags": False, "medically_cleared": False}, None),
        ({"red_flags": True}, None),
        ({**CLEARED, "job_demand_level": DemandLevel.HEAVY, "psychosocial_barriers": True},
         "tolerates_4_hours"),
        ({**CLEARED, "job_demand_level": DemandLevel.HEAVY, "psychosocial_barriers": True,
          "tolerates_4_hours": True}, None),
        ({**{k: v for k, v in CLEARED.items() if k != "weeks_since_injury"},
          "job_demand_level": DemandLevel.HEAVY, "psychosocial_barriers": True,
          "tolerates_4_hours": True}, "weeks_since_injury"),
        ({"red_flags": False, "medically_cleared": True, "has_job_goal": False}, None),
    ],
)
def test_only_questions_that_can_change_the_outcome_are_asked(values, asked_next):
    assert next_question(record(**values), RULES) == asked_next


def test_a_patient_who_said_everything_up_front_is_not_asked_again():
    told = record(red_flags=False, medically_cleared=True, weeks_since_injury=13.0,
                  has_job_goal=True, job_demand_level=DemandLevel.HEAVY,
                  meets_job_demands=False, psychosocial_barriers=True, tolerates_4_hours=True)
    decision = decide(told, RULES)
    assert decision.outcome == Outcome.WORK_HARDENING and decision.needed == ()
    assert decide(TriageRecord(red_flags=True), RULES).needed == ()
    assert next_question(told, RULES) is None


def test_reasons_and_time_notes():
    long_ago = record(**{**CLEARED, "weeks_since_injury": 120.0},
                      job_demand_level=DemandLevel.HEAVY, psychosocial_barriers=True,
                      vocational_barriers=True, tolerates_4_hours=True)
    decision = decide(long_ago, RULES)
    assert decision.outcome == Outcome.WORK_HARDENING
    assert len(decision.reasons) == 3
    assert "fear of getting hurt again" in decision.reasons[0]
    assert "things at work" in decision.reasons[1]
    assert "hard on the body" in decision.reasons[2]
    assert any("more than two years" in note for note in decision.first)  # said first
    assert not any("more than two years" in note for note in decision.notes)
    assert any("chronic pain program" in note for note in decision.notes)

    conditioning = decide(record(**{**CLEARED, "weeks_since_injury": 60.0},
                                 job_demand_level=DemandLevel.HEAVY,
                                 psychosocial_barriers=False, vocational_barriers=False), RULES)
    assert conditioning.outcome == Outcome.WORK_CONDITIONING
    assert [n for n in conditioning.notes if "within about a year" in n]
    assert decide(record(**CLEARED, job_demand_level=DemandLevel.HEAVY,
                         psychosocial_barriers=False, vocational_barriers=False),
                  RULES).notes == ()


def test_facts_support_program_outcomes_only():
    light = decide(record(**CLEARED, job_demand_level=DemandLevel.LIGHT,
                          psychosocial_barriers=False, vocational_barriers=False), RULES)
    assert light.outcome == Outcome.NOT_INDICATED and len(light.reasons) == 1
    heavy = decide(record(**CLEARED, job_demand_level=DemandLevel.HEAVY,
                          psychosocial_barriers=False, vocational_barriers=False), RULES)
    assert heavy.reasons[1:] == (
        "your job is hard on the body and you can't yet do all of it safely",
        "your doctor has cleared you for an active exercise program",
    )


def record_unsure(unsure, **values):
    return TriageRecord(**values, unsure=frozenset(unsure))


def test_a_not_sure_that_counts_as_no_is_not_told_back_as_a_fact():
    """The blind trial of stop 51: a skipped question came back as "you can't yet do all
    of it safely"."""
    told = dict(red_flags=False, medically_cleared=True, has_job_goal=True,
                job_demand_level=DemandLevel.HEAVY, weeks_since_injury=12.0,
                psychosocial_barriers=False, vocational_barriers=False,
                tolerates_4_hours=True)
    said = decide(TriageRecord(**told, meets_job_demands=False), RULES)
    skipped = decide(record_unsure({"meets_job_demands"}, **told, meets_job_demands=False),
                     RULES)
    assert said.outcome == skipped.outcome
    fact = "your job is hard on the body and you can't yet do all of it safely"
    assert fact in said.reasons and fact not in skipped.reasons


def test_not_sure_is_an_answer_with_its_own_path():
    clearance = record_unsure({"medically_cleared"}, red_flags=False, medically_cleared=False)
    decision = decide(clearance, RULES)
    assert decision.outcome == Outcome.MEDICAL_REVIEW
    assert "not sure your doctor has cleared you" in decision.reasons[0]
    no_date = record_unsure({"weeks_since_injury"}, **CLEARED | {"weeks_since_injury": None},
                            job_demand_level=DemandLevel.HEAVY, psychosocial_barriers=False,
                            vocational_barriers=False)
    assert next_question(no_date, RULES) is None
    assert decide(no_date, RULES).outcome == Outcome.WORK_CONDITIONING
    no_job = record_unsure({"has_job_goal"}, red_flags=False, medically_cleared=True,
                           meets_job_demands=False, weeks_since_injury=10.0,
                           job_demand_level=DemandLevel.HEAVY, psychosocial_barriers=False,
                           vocational_barriers=False)
    decision = decide(no_job, RULES)
    assert next_question(no_job, RULES) is None
    assert decision.outcome == Outcome.WORK_CONDITIONING
    assert any("weren't sure about a job" in note for note in decision.notes)


def test_what_not_sure_counts_as_comes_from_the_rules_file():
    assert RULES.answered_unsure("medically_cleared") is False
    assert RULES.answered_unsure("weeks_since_injury") is None
    assert RULES.answered_unsure("tolerates_4_hours") is True
    assert set(RULES.unsure_counts_as) == set(SLOTS)


def test_from_slots_ignores_other_slots_and_bad_levels():
    built = TriageRecord.from_slots({"job_demand_level": "heavy", "clinic_phone": "x",
                                     "red_flags": False})
    assert built.job_demand_level == DemandLevel.HEAVY and built.red_flags is False
    assert TriageRecord.from_slots({"job_demand_level": "enormous"}).job_demand_level is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"rules": "nope"}, "needs a list"),
        ({"rules": [{"id": "x", "when": {"shoe_size": 9}, "outcome": "urgent_care",
                     "reason": "r"}]}, "unknown slots"),
        ({"rules": [{"id": "x", "when": {"red_flags": True}, "outcome": "spa_day",
                     "reason": "r"}]}, "spa_day"),
        ({"rules": [{"id": "x", "when": {"red_flags": True}, "reason": "r"}]},
         "needs an outcome"),
        ({"rules": [{"id": "x", "outcome": "urgent_care"}]}, "needs an id"),
    ],
)
def test_bad_rules_files_are_refused(tmp_path, content, message):
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(content))
    with pytest.raises(RulesError, match=message):
        load_rules(path)


@pytest.mark.parametrize("values", [
    {**CLEARED, "job_demand_level": DemandLevel.HEAVY, "psychosocial_barriers": True,
     "tolerates_4_hours": True},
    {"red_flags": False, "medically_cleared": False},
    {**CLEARED, "weeks_since_injury": 130.0, "job_demand_level": DemandLevel.HEAVY,
     "psychosocial_barriers": False, "vocational_barriers": False, "tolerates_4_hours": True},
])
def test_reasons_and_notes_in_spanish_give_the_same_decision_in_other_words(values):
    english, spanish = decide(record(**values), RULES), decide(record(**values), RULES, "es")
    assert (spanish.outcome, spanish.needed) == (english.outcome, english.needed)
    assert len(spanish.reasons) == len(english.reasons) > 0
    assert len(spanish.notes) == len(english.notes)
    assert set(spanish.reasons).isdisjoint(english.reasons)


def test_every_reason_fact_and_note_of_the_rules_file_is_in_spanish():
    rules = (*RULES.decisions, *RULES.facts, *RULES.notes)
    assert [r.id for r in rules if "es" not in r.translations] == []


def test_a_clinic_rule_without_spanish_is_said_in_english(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text("rules:\n  - id: any\n    when: {red_flags: true}\n"
                    "    outcome: urgent_care\n    reason: you told me so\n")
    decision = decide(record(red_flags=True), load_rules(path), "es")
    assert decision.reasons == ("you told me so",)

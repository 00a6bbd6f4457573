"""The staff pages' words for internal names: complete, and right for each kind of value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.triage import Outcome
from bot.records.conversation_query import OUTCOMES
from bot.settings import ROOT
from bot.web.charts import MAX_LABEL_CHARS
from bot.web.labels import LABELS, Labels, weeks_in_words
from bot.web.staff import SHOWN_SLOTS, intent_choices

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
DOMAIN_INTENTS = {item if isinstance(item, str) else next(iter(item))
                  for item in DOMAIN["intents"]}
FAQ_KEYS = {name.removeprefix("utter_faq/") for name in yaml.safe_load(
    (ROOT / "data/responses/faq.yml").read_text(encoding="utf-8"))["responses"]}


# --- every name the assistant can produce has a label -----------------------------------


def test_every_intent_has_a_label_and_no_label_is_stale():
    assert set(LABELS.intents) == DOMAIN_INTENTS | {"nlu_fallback"}


def test_every_faq_has_its_question_and_no_question_is_stale():
    assert set(LABELS.faq) == FAQ_KEYS
    assert all(question.endswith("?") for question in LABELS.faq.values())


def test_every_choice_of_the_training_data_form_has_a_label():
    unlabelled = [name for name in intent_choices(ROOT) if LABELS.topic(name) == name]
    assert unlabelled == []


def test_topics_fit_the_overview_chart():
    too_long = [label for label in (*LABELS.intents.values(), *LABELS.faq.values())
                if len(label) > MAX_LABEL_CHARS]
    assert too_long == []


def test_every_outcome_has_a_label():
    assert set(LABELS.outcomes) == set(OUTCOMES) == {o.value for o in Outcome} | {"none"}
    assert set(DOMAIN["slots"]["recommended_program"]["values"]) <= set(LABELS.outcomes)


def test_every_shown_answer_is_a_slot_of_the_domain_with_a_question():
    assert set(SHOWN_SLOTS) <= set(DOMAIN["slots"])
    assert set(LABELS.questions) == set(SHOWN_SLOTS)
    assert set(LABELS.demand_levels) == set(DOMAIN["slots"]["job_demand_level"]["values"])


# --- what each kind of value reads as --------------------------------------------------


@pytest.mark.parametrize(("name", "label"), [
    ("faq/what_is_work_conditioning", "What is work conditioning?"),
    ("faq/duration", "How long does it last?"),
    ("request_human", "Asked for a person"),
    ("nlu_fallback", "Not understood"),
    ("faq", "Asked a question"),  # an FAQ whose question was not recorded
    ("faq/a_new_question", "faq/a_new_question"),  # unknown: shown as it is, not hidden
    ("made_up", "made_up"),
    (None, "\N{EN DASH}"),
    ("", "\N{EN DASH}"),
])
def test_topics(name, label):
    assert LABELS.topic(name) == label


@pytest.mark.parametrize(("key", "label"), [
    ("work_conditioning", "Work conditioning"),
    ("medical_review", "See your doctor first"),
    ("not_indicated", "Neither program"),
    (None, "No outcome"),
    ("", "No outcome"),
    ("something_new", "something_new"),
])
def test_outcomes(key, label):
    assert LABELS.outcome(key) == label


@pytest.mark.parametrize(("slot", "value", "answer"), [
    ("weeks_since_injury", 130.4, "about 2 1/2 years (130 weeks)"),
    ("weeks_since_injury", 12, "about 3 months (12 weeks)"),
    ("weeks_since_injury", "a while", "a while"),  # written by an older bot
    ("red_flags", False, "No"),
    ("medically_cleared", True, "Yes"),
    ("job_demand_level", "very_heavy", "Very heavy (over 100 lb)"),
    ("job_demand_level", "extreme", "extreme"),
    ("recommended_program", "medical_review", "See your doctor first"),
    ("callback_phone", "+15552013344", "+15552013344"),
    ("tolerates_4_hours", 1, "1"),  # not a boolean: shown as stored
])
def test_answers(slot, value, answer):
    assert LABELS.answer(slot, value) == answer


@pytest.mark.parametrize(("weeks", "words"), [
    (0.0, "less than a week"),
    (0.6, "less than a week"),
    (1, "about 1 week"),
    (1.4, "about 1 week"),
    (6, "about 6 weeks"),
    (7.9, "about 8 weeks"),
    (8, "about 2 months (8 weeks)"),
    (13, "about 3 months (13 weeks)"),
    (26, "about 6 months (26 weeks)"),
    (51.9, "about 12 months (52 weeks)"),
    (52.2, "about 1 year (52 weeks)"),
    (78, "about 1 1/2 years (78 weeks)"),
    (104.4, "about 2 years (104 weeks)"),
    (130.4, "about 2 1/2 years (130 weeks)"),
    (520, "about 10 years (520 weeks)"),
])
def test_time_since_injury_in_words(weeks, words):
    assert weeks_in_words(weeks) == words


def test_answers_in_question_order_with_not_sure_in_words():
    slots = {"tolerates_4_hours": True, "red_flags": False, "medically_cleared": False,
             "job_demand_level": "heavy", "clinic_phone": "(555) 010-4477",
             "triage_unsure": ["medically_cleared", "weeks_since_injury"],
             "recommended_program": "medical_review"}
    assert LABELS.answers(slots, SHOWN_SLOTS) == [
        ("Emergency warning signs now", "No"),
        ("Doctor says exercise is safe", "Not sure (counted as No)"),
        ("Time since injury", "Not sure"),
        ("How heavy the job is", "Heavy (50 to 100 lb)"),
        ("Can do 4 hours a day of exercise", "Yes"),
        ("Outcome", "See your doctor first"),
    ]
    assert LABELS.answers({"triage_unsure": "medically_cleared"}, SHOWN_SLOTS) == []
    assert LABELS.answers({"triage_unsure": [{"odd": 1}, "has_job_goal"]}, SHOWN_SLOTS) == [
        ("Has a job to go back to", "Not sure")]


@pytest.mark.parametrize("text", [
    "- just a list\n",
    "intents: {greet: Said hello}\n",  # the other sections missing
    "intents: {}\nfaq: {}\noutcomes: {}\nquestions: {}\ndemand_levels: {x: '  '}\n",
    "intents: []\nfaq: {}\noutcomes: {}\nquestions: {}\ndemand_levels: {}\n",
    "intents: {greet: 3}\nfaq: {}\noutcomes: {}\nquestions: {}\ndemand_levels: {}\n",
])
def test_a_broken_labels_file_is_refused(tmp_path: Path, text):
    path = tmp_path / "labels.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="must map names to labels"):
        Labels.load(path)

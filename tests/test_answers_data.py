"""The labelled answers: well formed, and the frozen final sets kept out of training."""

from pathlib import Path

import pytest

from bot.core.answers import TRAINING_DIR, Answer, load_answers
from bot.settings import ROOT

TRIAGE_TESTS = ROOT / "tests" / "triage"
LEVELS = {"sedentary", "light", "medium", "heavy", "very_heavy"}


def _answers(folder: Path) -> list[Path]:
    return sorted(folder.glob("answers*.yml"))


def _texts(paths: list[Path]) -> set[str]:
    return {" ".join(a.text.lower().split()) for a in load_answers(paths)}


def test_no_answer_of_the_final_sets_is_training_data():
    """Short replies ("no", "not yet") are everywhere; anything longer must be unseen."""
    final = _texts(_answers(TRIAGE_TESTS / "final"))
    training = _texts(_answers(TRAINING_DIR))
    assert sorted(t for t in final & training if len(t.split()) >= 4) == []


@pytest.mark.parametrize("folder", [TRAINING_DIR, TRIAGE_TESTS / "dev", TRIAGE_TESTS / "final"])
def test_every_label_is_a_meaning_a_level_or_weeks(folder):
    def valid(question: str, label: str) -> bool:
        if label in set(Answer):
            return True
        if question == "job_demand_level":
            return label in LEVELS
        return question == "weeks_since_injury" and float(label) >= 0

    bad = [(a.question, a.text, a.label) for a in load_answers(_answers(folder))
           if not valid(a.question, a.label)]
    assert bad == []


def test_the_spanish_answers_leave_out_the_dev_sets():
    """The Spanish training replies were written with the dev sets: none of them is copied."""
    dev = _texts(_answers(TRIAGE_TESTS / "dev"))
    spanish = _texts(sorted(TRAINING_DIR.glob("answers_es_*.yml")))
    assert sorted(dev & spanish) == []


def test_the_spanish_answers_cover_every_question():
    """Each question the English replies teach has Spanish replies of each meaning too."""
    english = load_answers(sorted(p for p in TRAINING_DIR.glob("answers*.yml")
                                  if "_es_" not in p.name))
    spanish = load_answers(sorted(TRAINING_DIR.glob("answers_es_*.yml")))
    kinds = {(a.question, a.kind) for a in spanish}
    assert sorted({(a.question, a.kind) for a in english} - kinds) == []

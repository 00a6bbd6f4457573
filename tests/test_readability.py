"""Emergency texts are written for a patient in distress: U.S. grade 6 or below."""

import pytest
import textstat
import yaml

from bot.emergency.reply import ADVICE_RESPONSES
from bot.settings import ROOT

RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
EMERGENCY_TEXTS = sorted(ADVICE_RESPONSES | {"utter_emergency_cleared",
                                             "utter_emergency_cleared_self_harm"})


def text_of(name: str) -> str:
    return RESPONSES[name][0]["text"]


@pytest.mark.parametrize("name", [n for n in EMERGENCY_TEXTS if not n.endswith("_es")])
def test_english_emergency_texts_are_at_grade_6_or_below(name):
    textstat.set_lang("en_US")
    assert textstat.flesch_kincaid_grade(text_of(name)) <= 6


@pytest.mark.parametrize("name", [n for n in EMERGENCY_TEXTS if n.endswith("_es")])
def test_spanish_emergency_texts_are_easy_to_read(name):
    """Fernández-Huerta 80 and above reads as "fácil" (about grade 6)."""
    textstat.set_lang("es")
    try:
        assert textstat.fernandez_huerta(text_of(name)) >= 80
    finally:
        textstat.set_lang("en_US")

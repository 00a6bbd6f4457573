"""The Spanish responses mirror the English ones: same keys, variations, conditions,
placeholders, buttons and numbers; only the words differ (`bot.core.locale`)."""

import re
from collections import Counter

import pytest
import yaml

from bot.core.language import Language
from bot.core.locale import localised_slots, responses
from bot.settings import ROOT


def _english():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    faq = yaml.safe_load((ROOT / "data/responses/faq.yml").read_text(encoding="utf-8"))
    return {**domain, **faq["responses"]}


ENGLISH = _english()
SPANISH = responses(Language.ES)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
NUMBER = re.compile(r"\d+")
SPANISH_LIFELINE = Counter({"988": 1, "2": 1})
"""988 in Spanish: "call 988 and press 2, or text AYUDA to 988" (shared/notes/spanish.md)."""


def test_every_response_has_a_spanish_mirror_and_nothing_else():
    assert set(SPANISH) == set(ENGLISH)


@pytest.mark.parametrize("name", sorted(ENGLISH))
def test_a_spanish_response_has_the_same_variations_conditions_and_buttons(name):
    english, spanish = ENGLISH[name], SPANISH[name]
    assert len(spanish) == len(english)
    for en, es in zip(english, spanish, strict=True):
        assert es.get("condition") == en.get("condition")
        assert len(es.get("buttons") or []) == len(en.get("buttons") or [])
        for en_button, es_button in zip(en.get("buttons") or [], es.get("buttons") or [],
                                        strict=True):
            if en_button["payload"].startswith("/"):
                assert es_button["payload"] == en_button["payload"]


@pytest.mark.parametrize("name", sorted(ENGLISH))
def test_a_spanish_response_quotes_the_same_slots_and_numbers(name):
    """Facts are identical: the same clinic details and the same figures."""
    for en, es in zip(ENGLISH[name], SPANISH[name], strict=True):
        assert set(PLACEHOLDER.findall(es["text"])) == set(PLACEHOLDER.findall(en["text"]))
        english, spanish = Counter(NUMBER.findall(en["text"])), Counter(NUMBER.findall(es["text"]))
        assert english <= spanish
        assert spanish - english <= SPANISH_LIFELINE


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"clinic_hours": "Monday", "clinic_hours_es": "lunes"},
         {"clinic_hours": "lunes", "clinic_hours_es": "lunes"}),
        ({"clinic_hours": "Monday", "clinic_hours_es": None},
         {"clinic_hours": "Monday", "clinic_hours_es": None}),
        ({"clinic_phone": "(555) 010-4477"}, {"clinic_phone": "(555) 010-4477"}),
    ],
)
def test_a_spanish_response_quotes_the_spanish_value_of_a_slot_where_there_is_one(
        slots, expected):
    assert localised_slots(slots, Language.ES) == expected


def test_english_has_no_mirror():
    assert responses(Language.EN) == {}

"""The programs' facts are written once: the website shows the assistant's own answers."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.settings import ROOT
from bot.web.program_texts import Block, blocks, program_texts

RESPONSES = yaml.safe_load((ROOT / "data/responses/faq.yml").read_text(encoding="utf-8"))[
    "responses"]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
NUMBERS = re.compile(r"\d+(?:–\d+)?")


@pytest.mark.parametrize(("text", "expected"), [
    ("One line.", (Block("One line."),)),
    ("It helps with:\n• Strength.\n• Pacing.\nThen more.",
     (Block("It helps with:", ("Strength.", "Pacing.")), Block("Then more."))),
    ("• A point with no line above", (Block("A point with no line above"),)),
    ("\n  spaced  \n\n", (Block("spaced"),)),
    ("", ()),
])
def test_an_answer_becomes_lines_with_their_points(text, expected):
    assert blocks(text) == expected


def test_each_card_is_the_assistants_answer_about_that_program():
    texts = program_texts(ROOT)
    for card, name in zip(texts.cards, ("what_is_work_conditioning", "what_is_work_hardening"),
                          strict=True):
        answer = RESPONSES[f"utter_faq/{name}"][0]["text"]
        shown = [block.text for block in card.blocks] + [p for b in card.blocks for p in b.points]
        assert sorted(shown) == sorted(
            line.strip().removeprefix("•").strip() for line in answer.splitlines() if line.strip())


def test_the_comparison_and_key_facts_are_the_assistants_comparison():
    texts = program_texts(ROOT)
    answer = RESPONSES["utter_faq/difference"][0]["text"]
    assert [label for label, _ in texts.comparison] == [
        "Goal", "Who runs it", "Work tasks", "Hours per day", "Days per week", "Length",
        "Best for"]
    for label, value in texts.comparison:
        assert f"• {label}: {value}" in answer
    assert [label for label, _ in texts.key_facts] == ["Hours per day", "Days per week", "Length"]


@pytest.mark.parametrize("program", ["work_conditioning", "work_hardening"])
def test_a_triage_result_states_the_same_numbers_as_the_comparison(program):
    """The result (domain.yml) cannot read the FAQ file; this keeps the two in step."""
    result = DOMAIN[f"utter_result_{program}"][0]["text"]
    comparison = RESPONSES["utter_faq/difference"][0]["text"]
    numbers = set(NUMBERS.findall(result))
    assert numbers, "the result states no hours, days or weeks"
    assert numbers <= set(NUMBERS.findall(comparison))

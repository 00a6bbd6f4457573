"""The programs' facts are written once: the website shows the assistant's own answers."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.settings import ROOT
from bot.web.program_texts import (
    COMPARISON,
    Block,
    ProgramTextsError,
    blocks,
    comparison_rows,
    program_texts,
)

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


# --- the same answers in Spanish (locales/es.yml) ---

CARD_ANSWERS = ("utter_faq/what_is_work_conditioning", "utter_faq/what_is_work_hardening")


def test_the_spanish_cards_and_comparison_are_the_assistants_spanish_answers():
    spanish = yaml.safe_load((ROOT / "locales/es.yml").read_text(encoding="utf-8"))["responses"]
    texts = program_texts(ROOT, "es")
    assert [card.title for card in texts.cards] == ["Acondicionamiento laboral",
                                                    "Readaptación laboral"]
    for card, name in zip(texts.cards, CARD_ANSWERS, strict=True):
        assert card.blocks == blocks(spanish[name][0]["text"])
        assert "(work " in card.blocks[0].text  # the English name once, in brackets
    assert texts.comparison == comparison_rows(spanish[COMPARISON][0]["text"])
    english = program_texts(ROOT)
    assert len(texts.comparison) == len(english.comparison)
    assert not {label for label, _ in texts.comparison} & {label for label, _ in english.comparison}
    # The top of the page repeats the same rows: hours per day, days per week, length.
    assert texts.key_rows == english.key_rows
    for (_, spanish_value), (_, english_value) in zip(texts.key_facts, english.key_facts,
                                                      strict=True):
        assert NUMBERS.findall(spanish_value) == NUMBERS.findall(english_value)


def write_answers(root, path: str, comparison: str) -> None:
    text = "Line.\n• A point."
    responses = {name: [{"text": text}] for name in CARD_ANSWERS}
    responses[COMPARISON] = [{"text": comparison}]
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(yaml.safe_dump({"responses": responses}), encoding="utf-8")


ENGLISH_COMPARISON = "Compare:\n• Goal: a.\n• Hours per day: 2–4.\n• Length: 4–8 weeks."


def test_the_spanish_key_facts_are_picked_by_place_not_by_name(tmp_path):
    write_answers(tmp_path, "data/responses/faq.yml", ENGLISH_COMPARISON)
    write_answers(tmp_path, "locales/es.yml",
                  "Así:\n• Meta: a.\n• Horas al día: 2–4.\n• Duración: 4–8 semanas.")
    assert program_texts(tmp_path, "es").key_facts == (("Horas al día", "2–4."),
                                                       ("Duración", "4–8 semanas."))


def test_a_translation_with_other_rows_is_refused(tmp_path):
    write_answers(tmp_path, "data/responses/faq.yml", ENGLISH_COMPARISON)
    write_answers(tmp_path, "locales/es.yml", "Así:\n• Meta: a.\n• Horas al día: 2–4.")
    with pytest.raises(ProgramTextsError, match="has 2 rows, the English one 3"):
        program_texts(tmp_path, "es")


def test_a_translation_without_an_answer_or_an_unknown_language_is_refused(tmp_path):
    write_answers(tmp_path, "data/responses/faq.yml", ENGLISH_COMPARISON)
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales/es.yml").write_text("responses:\n  utter_greet:\n    - text: Hola\n")
    with pytest.raises(ProgramTextsError, match="lacks a program answer"):
        program_texts(tmp_path, "es")
    with pytest.raises(ProgramTextsError, match="'fr'"):
        program_texts(tmp_path, "fr")

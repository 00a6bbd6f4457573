"""The website's program descriptions, taken from the assistant's own answers.

The landing page shows what the assistant says about work conditioning and work hardening
(`data/responses/faq.yml`), so a fact changed there changes on the page too: the programs'
facts are written once. The page in another language reads the same responses from that
language's file (`locales/<language>.yml`: the same keys, the same structure).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

BULLET = "•"
FAQ_FILE = Path("data") / "responses" / "faq.yml"
LOCALES_DIR = Path("locales")
CARD_RESPONSES = ("utter_faq/what_is_work_conditioning", "utter_faq/what_is_work_hardening")
CARD_TITLES = {
    "en": ("Work conditioning", "Work hardening"),
    # Each card's answer gives the English name once, in brackets (as on the paperwork).
    "es": ("Acondicionamiento laboral", "Readaptación laboral"),
}
CARDS = tuple(zip(CARD_TITLES["en"], CARD_RESPONSES, strict=True))
COMPARISON = "utter_faq/difference"
HERO_ROWS = ("Hours per day", "Days per week", "Length")
"""The English comparison's rows shown at the top of the page (in every language: the
rows at the same places)."""
LANGUAGES = tuple(CARD_TITLES)


class ProgramTextsError(ValueError):
    """A language's responses do not have the English ones' structure."""


@dataclass(frozen=True)
class Block:
    """A line of an answer and the bullet points that follow it."""

    text: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    """One program: its name and its answer, in order."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ProgramTexts:
    """What the page shows: a card per program and the side-by-side comparison."""

    cards: tuple[Card, ...]
    comparison: tuple[tuple[str, str], ...]
    key_rows: tuple[int, ...] = ()
    """Which comparison rows (by position) the top of the page repeats."""

    @property
    def key_facts(self) -> tuple[tuple[str, str], ...]:
        """The comparison's hours, days and length, for the top of the page."""
        return tuple(self.comparison[index] for index in self.key_rows)


def blocks(text: str) -> tuple[Block, ...]:
    """An answer as lines, each with the bullet points (without the bullet) under it."""
    found: list[Block] = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        if line.startswith(BULLET) and found:
            point = line.removeprefix(BULLET).strip()
            found[-1] = Block(found[-1].text, (*found[-1].points, point))
        else:
            found.append(Block(line.removeprefix(BULLET).strip()))
    return tuple(found)


@cache
def faq_responses(root: Path) -> dict[str, list[dict]]:
    """The assistant's FAQ responses, read once (they do not change while the site runs)."""
    return yaml.safe_load((root / FAQ_FILE).read_text(encoding="utf-8"))["responses"]


@cache
def locale_responses(root: Path, language: str) -> dict[str, list[dict]]:
    """The assistant's responses in `language` (`locales/<language>.yml`), read once."""
    path = root / LOCALES_DIR / f"{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]


def comparison_rows(text: str) -> tuple[tuple[str, str], ...]:
    """The comparison's bullet points as (label, value): "• Days per week: 5"."""
    points = [point for block in blocks(text) for point in block.points]
    return tuple((label.strip(), value.strip())
                 for label, _, value in (point.partition(":") for point in points))


def _texts(responses: dict[str, list[dict]], titles: tuple[str, ...]) -> ProgramTexts:
    def text(name: str) -> str:
        return responses[name][0]["text"]

    cards = tuple(Card(title, blocks(text(name)))
                  for title, name in zip(titles, CARD_RESPONSES, strict=True))
    return ProgramTexts(cards, comparison_rows(text(COMPARISON)))


@cache
def program_texts(root: Path, language: str = "en") -> ProgramTexts:
    """The cards and the comparison, from the FAQ answers in `language` ("en", "es").

    A translation's comparison must have as many rows as the English one: the rows at the
    top of the page are picked by their place in it.
    """
    if language not in CARD_TITLES:
        raise ProgramTextsError(f"no program texts in {language!r}")
    english = _texts(faq_responses(root), CARD_TITLES["en"])
    key_rows = tuple(index for index, (label, _) in enumerate(english.comparison)
                     if label in HERO_ROWS)
    if language == "en":
        return ProgramTexts(english.cards, english.comparison, key_rows)
    try:
        texts = _texts(locale_responses(root, language), CARD_TITLES[language])
    except (KeyError, IndexError, TypeError) as exc:
        raise ProgramTextsError(f"locales/{language}.yml lacks a program answer: {exc}") from exc
    if len(texts.comparison) != len(english.comparison):
        raise ProgramTextsError(
            f"locales/{language}.yml: {COMPARISON} has {len(texts.comparison)} rows, "
            f"the English one {len(english.comparison)}")
    return ProgramTexts(texts.cards, texts.comparison, key_rows)

"""The website's program descriptions, taken from the assistant's own answers.

The landing page shows what the assistant says about work conditioning and work hardening
(`data/responses/faq.yml`), so a fact changed there changes on the page too: the programs'
facts are written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

BULLET = "•"
FAQ_FILE = Path("data") / "responses" / "faq.yml"
CARDS = (("Work conditioning", "utter_faq/what_is_work_conditioning"),
         ("Work hardening", "utter_faq/what_is_work_hardening"))
COMPARISON = "utter_faq/difference"
HERO_ROWS = ("Hours per day", "Days per week", "Length")


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

    @property
    def key_facts(self) -> tuple[tuple[str, str], ...]:
        """The comparison's hours, days and length, for the top of the page."""
        return tuple(row for row in self.comparison if row[0] in HERO_ROWS)


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
def program_texts(root: Path) -> ProgramTexts:
    """The cards and the comparison, from the FAQ answers."""
    responses = faq_responses(root)

    def text(name: str) -> str:
        return responses[name][0]["text"]

    cards = tuple(Card(title, blocks(text(name))) for title, name in CARDS)
    points = [point for block in blocks(text(COMPARISON)) for point in block.points]
    comparison = tuple((label.strip(), value.strip())
                       for label, _, value in (point.partition(":") for point in points))
    return ProgramTexts(cards, comparison)

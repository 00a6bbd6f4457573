"""Words for people instead of the assistant's internal names, on the staff pages.

An intake coordinator reads "Asked for a person", "How long does it last?" and "Time
since injury: about 2 1/2 years (130 weeks)", not `request_human`, `faq/duration` and
`weeks_since_injury 130.4`. The words live in `labels.yml` so that they can be edited
without touching code; `tests/test_labels.py` checks that every name the assistant can
produce has one. An unknown name is shown as it is rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core import names

LABELS_FILE = Path(__file__).with_name("labels.yml")
SECTIONS = ("intents", "faq", "outcomes", "questions", "demand_levels", "languages")
NO_OUTCOME = "none"
WEEKS_PER_YEAR = 52.1775
WEEKS_PER_MONTH = WEEKS_PER_YEAR / 12
YES, NO, NOT_SURE = "Yes", "No", "Not sure"


@dataclass(frozen=True)
class Labels:
    """The labels of each kind of name, as read from `labels.yml`."""

    intents: Mapping[str, str]
    faq: Mapping[str, str]
    outcomes: Mapping[str, str]
    questions: Mapping[str, str]
    demand_levels: Mapping[str, str]
    languages: Mapping[str, str]

    @classmethod
    def load(cls, path: Path = LABELS_FILE) -> Labels:
        """Read the file; every section must map names to non-empty text."""
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        sections = {}
        for section in SECTIONS:
            found = raw.get(section) if isinstance(raw, dict) else None
            if not isinstance(found, dict) or not all(
                    isinstance(text, str) and text.strip() for text in found.values()):
                raise ValueError(f"{path}: {section} must map names to labels")
            sections[section] = {str(name): text.strip() for name, text in found.items()}
        return cls(**sections)

    def topic(self, name: str | None) -> str:
        """What a patient's message was about: the FAQ's question, or what they did."""
        if not name:
            return "\N{EN DASH}"
        family, _, key = name.partition("/")
        if family == names.FAQ and key:
            return self.faq.get(key, name)
        return self.intents.get(name, name)

    def outcome(self, key: str | None) -> str:
        """A triage outcome ("work_hardening"), or "No outcome" for none."""
        key = key or NO_OUTCOME
        return self.outcomes.get(key, key)

    def language(self, code: str | None, switched_from: str | None = None) -> str:
        """A conversation's language ("Spanish"), and the one it switched from, if it did.

        "Spanish (switched from English)"; an unknown code is shown as it is.
        """
        name = self.languages.get(code or "", code or "\N{EN DASH}")
        if switched_from and switched_from != code:
            return f"{name} (switched from {self.languages.get(switched_from, switched_from)})"
        return name

    def answers(
        self, slots: Mapping[str, object], shown: Iterable[str]
    ) -> list[tuple[str, str]]:
        """The `shown` slots as (question, answer), in that order.

        A question the patient was not sure about (listed in `triage_unsure`) says so,
        with what the triage counted it as, so "No" never stands for "I'm not sure".
        Questions never answered are left out.
        """
        listed = slots.get(names.TRIAGE_UNSURE)
        unsure = {s for s in listed if isinstance(s, str)} if isinstance(listed, list) else set()
        rows = []
        for slot in shown:
            value = slots.get(slot)
            if slot in unsure:
                counted = "" if value is None else f" (counted as {self.answer(slot, value)})"
                rows.append((self.question(slot), NOT_SURE + counted))
            elif value is not None:
                rows.append((self.question(slot), self.answer(slot, value)))
        return rows

    def question(self, slot: str) -> str:
        """The short question a slot answers ("Time since injury")."""
        return self.questions.get(slot, slot)

    def answer(self, slot: str, value: object) -> str:
        """A slot's value in words: Yes/No, a time span, a job's level, an outcome."""
        if isinstance(value, bool):
            return YES if value else NO
        if slot == names.WEEKS_SINCE_INJURY and isinstance(value, int | float):
            return weeks_in_words(value)
        if slot == names.JOB_DEMAND_LEVEL:
            return self.demand_levels.get(str(value), str(value))
        if slot == names.RECOMMENDED_PROGRAM:
            return self.outcome(str(value))
        return str(value)


def weeks_in_words(weeks: float) -> str:
    """A time since injury as people say it, with the weeks the triage rules count.

    "about 6 weeks", "about 3 months (13 weeks)", "about 2 1/2 years (130 weeks)".
    """
    whole = round(weeks)
    if weeks < 1:
        return "less than a week"
    if weeks < 8:
        return f"about {whole} week{'' if whole == 1 else 's'}"
    if weeks < WEEKS_PER_YEAR:
        return f"about {round(weeks / WEEKS_PER_MONTH)} months ({whole} weeks)"
    halves = round(weeks / WEEKS_PER_YEAR * 2)
    years = f"{halves // 2}{' 1/2' if halves % 2 else ''}"
    return f"about {years} year{'' if halves == 2 else 's'} ({whole} weeks)"


LABELS = Labels.load()

"""Decide which path fits a patient, from the triage record and the clinic's rules file.

Pure and Rasa-free: the form calls `decide` after every answer. Unknown slots are treated
three-valued, so the assistant asks only questions whose answer could change the outcome,
and stops asking as soon as the outcome is settled. "I'm not sure" is an answer too: the
rules file says what it counts as for each question (`unsure_counts_as`), a rule may
name it (`{medically_cleared: unsure}`), and a question answered so is never asked again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any, get_type_hints

import yaml

from bot.core.names import TRIAGE_UNSURE as UNSURE_SLOT


class Outcome(StrEnum):
    """Values of the `recommended_program` slot."""

    WORK_CONDITIONING = "work_conditioning"
    WORK_HARDENING = "work_hardening"
    MEDICAL_REVIEW = "medical_review"
    URGENT_CARE = "urgent_care"
    NOT_INDICATED = "not_indicated"


class DemandLevel(StrEnum):
    """U.S. Department of Labor strength levels (values of `job_demand_level`)."""

    SEDENTARY = "sedentary"
    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"
    VERY_HEAVY = "very_heavy"


@dataclass(frozen=True)
class TriageRecord:
    """What is known about the patient (None: not known yet); field order = question order."""

    red_flags: bool | None = None
    medically_cleared: bool | None = None
    weeks_since_injury: float | None = None
    has_job_goal: bool | None = None
    job_demand_level: DemandLevel | None = None
    meets_job_demands: bool | None = None
    psychosocial_barriers: bool | None = None
    vocational_barriers: bool | None = None
    tolerates_4_hours: bool | None = None
    unsure: frozenset[str] = frozenset()

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> TriageRecord:
        """Build from slot values, ignoring unrelated slots and unknown demand levels."""
        values = {name: slots.get(name) for name in SLOTS}
        level = values["job_demand_level"]
        values["job_demand_level"] = DemandLevel(level) if level in set(DemandLevel) else None
        unsure = frozenset(s for s in slots.get(UNSURE_SLOT) or () if s in SLOTS)
        return cls(**values, unsure=unsure)


UNSURE = "unsure"
SLOTS: tuple[str, ...] = tuple(f.name for f in fields(TriageRecord) if f.name != "unsure")
YES_NO_SLOTS: frozenset[str] = frozenset(
    name for name, hint in get_type_hints(TriageRecord).items() if hint == bool | None
)


class RulesError(ValueError):
    """The rules file is malformed; the message says where."""


@dataclass(frozen=True)
class Rule:
    """One row of the rules file: conditions, and an outcome or a note."""

    id: str
    when: Mapping[str, Any]
    text: str
    outcome: Outcome | None = None
    outcomes: tuple[Outcome, ...] = ()
    translations: Mapping[str, str] = field(default_factory=dict)
    leads: bool = False  # a note said before the result, not after its reasons

    def text_in(self, language: str) -> str:
        """The text in `language` (`reason_es:` in the file), English where there is none."""
        return self.translations.get(language, self.text)


@dataclass(frozen=True)
class Rules:
    """The decision rules (ordered), supporting facts, notes, and what "not sure" means."""

    decisions: tuple[Rule, ...]
    facts: tuple[Rule, ...]
    notes: tuple[Rule, ...]
    unsure_counts_as: Mapping[str, Any] = field(default_factory=dict)
    unsure_asks_again: frozenset[str] = frozenset()

    def answered_unsure(self, slot: str) -> Any:
        """The value a "not sure" answer to `slot` stands for (None: stays unknown)."""
        return self.unsure_counts_as.get(slot)


@dataclass(frozen=True)
class Decision:
    """An outcome with its reasons and notes, and the slots still worth asking.

    Without an outcome, `needed` names what would decide it; with one, what the notes
    for that outcome still need (so the answer can mention, say, a time limit).
    """

    outcome: Outcome | None
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    needed: tuple[str, ...] = ()
    first: tuple[str, ...] = ()  # notes said before the result ("lead: true")


def load_rules(path: Path) -> Rules:
    """Read and check the rules file, so a typo fails at start-up, not mid-conversation."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"cannot read rules file {path}: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise RulesError(f"{path}: needs a list under 'rules'")
    decisions = tuple(_rule(item, path, "reason") for item in raw["rules"])
    if not decisions or any(rule.outcome is None for rule in decisions):
        raise RulesError(f"{path}: every rule needs an outcome")
    facts = tuple(_rule(item, path, "fact") for item in raw.get("facts") or [])
    notes = tuple(_rule(item, path, "note") for item in raw.get("notes") or [])
    unsure = raw.get("unsure_counts_as") or {}
    if set(unsure) - set(SLOTS):
        raise RulesError(f"{path}: unsure_counts_as names unknown slots "
                         f"{sorted(set(unsure) - set(SLOTS))}")
    again = frozenset(raw.get("unsure_asks_again") or ())
    if again - set(SLOTS):
        raise RulesError(f"{path}: unsure_asks_again names unknown slots "
                         f"{sorted(again - set(SLOTS))}")
    return Rules(decisions, facts, notes, unsure, again)


def decide(record: TriageRecord, rules: Rules, language: str = "en") -> Decision:
    """Apply the first rule that holds; if an earlier rule is still open, say what is needed.

    Reasons and notes are in `language` (a `bot.core.language.Language` value).
    """
    for rule in rules.decisions:
        verdict = _holds(rule.when, record)
        if verdict is None:
            return Decision(None, needed=_unknown(rule.when, record))
        if verdict:
            after = tuple(note for note in rules.notes if not note.leads)
            before = tuple(note for note in rules.notes if note.leads)
            return Decision(
                rule.outcome,
                reasons=_reasons(rule, record, rules, language),
                notes=_applicable(after, rule.outcome, record, language),
                needed=_needed_for_notes(rules.notes, rule.outcome, record),
                first=_applicable(before, rule.outcome, record, language),
            )
    return Decision(None, needed=tuple(
        s for s in SLOTS if getattr(record, s) is None and s not in record.unsure))


def next_question(record: TriageRecord, rules: Rules) -> str | None:
    """The slot to ask next (in question order), or None when the outcome is settled."""
    needed = set(decide(record, rules).needed)
    return next((slot for slot in SLOTS if slot in needed), None)


MAX_REASONS = 3


def _reasons(rule: Rule, record: TriageRecord, rules: Rules, language: str
             ) -> tuple[str, ...]:
    """The deciding rule, other rules of the same outcome that hold, then facts; at most 3.

    The further reasons state only what the patient told: a "not sure" that counts as a
    no (`unsure_counts_as`), or a question skipped after two unclear replies, decides but
    is not told back as a fact ("you can't yet do all of it safely").
    """
    same = [
        r.text_in(language)
        for r in rules.decisions
        if r is not rule and r.outcome == rule.outcome and _holds(r.when, record)
        and _told(r.when, record)
    ]
    told = tuple(e for e in rules.facts if _told(e.when, record))
    facts = _applicable(told, rule.outcome, record, language)
    return (rule.text_in(language), *same, *facts)[:MAX_REASONS]


def _told(when: Mapping[str, Any], record: TriageRecord) -> bool:
    """Whether every slot the rule reads was told, not counted from a "not sure"."""
    return all(slot not in record.unsure or expected == UNSURE
               for slot, expected in when.items())


def _needed_for_notes(
    notes: tuple[Rule, ...], outcome: Outcome | None, record: TriageRecord
) -> tuple[str, ...]:
    needed = (
        _unknown(n.when, record) for n in notes if outcome in (n.outcomes or Outcome)
    )
    return tuple(dict.fromkeys(slot for slots in needed for slot in slots))


def _applicable(
    entries: tuple[Rule, ...], outcome: Outcome | None, record: TriageRecord,
    language: str = "en",
) -> tuple[str, ...]:
    return tuple(
        e.text_in(language) for e in entries
        if _holds(e.when, record) and outcome in (e.outcomes or Outcome)
    )


def _holds(when: Mapping[str, Any], record: TriageRecord) -> bool | None:
    """True/False when decided; None when unknown slots could still make it true.

    A slot answered "not sure" that counts as no value can never make a rule true.
    """
    unknown = False
    for slot, expected in when.items():
        if expected == UNSURE:
            if slot not in record.unsure:
                return False
            continue
        value = getattr(record, slot)
        if value is None and slot in record.unsure:
            return False
        if value is None:
            unknown = True
        elif not _matches(value, expected):
            return False
    return None if unknown else True


def _matches(value: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return value in expected
    if isinstance(expected, dict):
        return ("over" not in expected or value > expected["over"]) and (
            "under" not in expected or value < expected["under"]
        )
    return value == expected


def _unknown(when: Mapping[str, Any], record: TriageRecord) -> tuple[str, ...]:
    return tuple(slot for slot in when
                 if getattr(record, slot) is None and slot not in record.unsure)


def _rule(item: Any, path: Path, text_key: str) -> Rule:
    if not isinstance(item, dict) or not isinstance(item.get("when"), dict):
        raise RulesError(f"{path}: each entry needs an id, 'when' conditions and a {text_key}")
    unknown = set(item["when"]) - set(SLOTS)
    if unknown:
        raise RulesError(f"{path}: rule {item.get('id')!r} uses unknown slots {sorted(unknown)}")
    try:
        return Rule(
            id=str(item["id"]),
            when=item["when"],
            text=" ".join(str(item[text_key]).split()),
            translations={key.removeprefix(f"{text_key}_"): " ".join(str(value).split())
                          for key, value in item.items() if key.startswith(f"{text_key}_")},
            outcome=Outcome(item["outcome"]) if "outcome" in item else None,
            outcomes=tuple(Outcome(o) for o in item.get("outcomes", [])),
            leads=bool(item.get("lead", False)),
        )
    except (KeyError, ValueError) as exc:
        raise RulesError(f"{path}: rule {item.get('id')!r}: {exc}") from exc

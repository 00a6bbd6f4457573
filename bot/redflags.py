"""Recognise emergency symptoms in any message, so urgent advice comes first, at once.

The spaCy pipeline's entity ruler tags symptom mentions as `RED_FLAG` (patterns in
`bot/patterns/red_flag.jsonl`, canonical kind in the entity id); this module drops the
negated ones ("I don't have chest pain") and combines the result with the NLU model's
`emergency` intent. It is tuned to miss nothing: doubt counts as a flag, and the NLU
alone may raise the alarm unless a negated mention explains what it saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from spacy.tokens import Doc

from bot.spacy_pipeline import PATTERNS_DIR

LABEL = "RED_FLAG"
EMERGENCY_INTENT = "emergency"
SELF_HARM = "self_harm"


@dataclass(frozen=True)
class NegationRules:
    """How negation is read; loaded from `red_flag_rules.yml`."""

    window: int
    cues: frozenset[str]
    doubt: frozenset[str]
    inability: frozenset[str]
    breaks: frozenset[str]
    nlu_threshold: float


@dataclass(frozen=True)
class Mention:
    """One symptom mention: its kind (pattern id), its words, whether it was negated."""

    kind: str
    text: str
    negated: bool


@cache
def load_negation_rules(path: Path = PATTERNS_DIR / "red_flag_rules.yml") -> NegationRules:
    """Read the negation settings shipped next to the patterns."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return NegationRules(
        window=int(raw["window"]),
        cues=frozenset(raw["negation_cues"]),
        doubt=frozenset(raw["doubt_after_cue"]),
        inability=frozenset(raw["inability_before_cue"]),
        breaks=frozenset(raw["clause_breaks"]),
        nlu_threshold=float(raw["nlu_threshold"]),
    )


def mentions(doc: Doc, rules: NegationRules | None = None) -> list[Mention]:
    """Every red-flag mention in a parsed message, with its negation."""
    rules = rules or load_negation_rules()
    return [
        Mention(kind=ent.ent_id_, text=ent.text, negated=negated_at(ent.doc, ent.start, rules))
        for ent in doc.ents
        if ent.label_ == LABEL
    ]


def emergency_kinds(
    found: Sequence[Mention],
    intent_ranking: Sequence[tuple[str, float]] = (),
    rules: NegationRules | None = None,
) -> tuple[str, ...]:
    """The emergency kinds to act on; empty when there is no emergency.

    A non-negated mention always counts. Without one, the NLU's `emergency` intent
    counts at `nlu_threshold` or above, unless a negated mention explains it; its kind
    is then "unspecified".
    """
    rules = rules or load_negation_rules()
    kinds = tuple(dict.fromkeys(m.kind for m in found if not m.negated))
    if kinds:
        return kinds
    nlu = max((c for name, c in intent_ranking if name == EMERGENCY_INTENT), default=0.0)
    if nlu >= rules.nlu_threshold and not found:
        return ("unspecified",)
    return ()


def negated_at(doc: Doc, start: int, rules: NegationRules) -> bool:
    """Whether the words from token `start` on are negated by a cue before them."""
    for i in range(start - 1, max(start - rules.window, 0) - 1, -1):
        word = doc[i].lower_
        if word in rules.breaks:
            return False
        if word in rules.cues:
            if i > 0 and doc[i - 1].lower_ in rules.inability:
                continue
            following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
            return following not in rules.doubt
    return False

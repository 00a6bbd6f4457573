"""Read triage facts out of what a patient types, in their own words.

"I hurt my back lifting 50-lb boxes at the warehouse 3 months ago, my doctor cleared me
but I'm scared to go back" fills five slots at once, so the form never asks for them.
A direct answer to the question being asked ("yes", "two wks", "since March") is read
for that question only. Vocabularies live in `bot/patterns/triage_vocab.yml`; entities
(occupations, tasks) come from the project's spaCy pipeline.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.emergency.lexicon import load_lexicon
from bot.emergency.text import Scope, negated_at
from bot.spacy_pipeline import PATTERNS_DIR
from bot.triage import YES_NO_SLOTS, DemandLevel

_LEVELS = list(DemandLevel)
_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)\s*-?\s*(lbs?|pounds?|kgs?|kilos?|kilograms?)\b")
_HALF = r"(\s+and\s+a\s+half)?"
_AMOUNT = re.compile(rf"\b(\d+(?:\.\d+)?|[a-z]+){_HALF}\s*-?\s*([a-z]+)\b{_HALF}")


@cache
def load_vocabulary(path: Path = PATTERNS_DIR / "triage_vocab.yml") -> dict[str, Any]:
    """Read the vocabulary once per process."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class TriageReader:
    """Extracts triage slot values from a parsed message (a spaCy doc)."""

    def __init__(self, nlp: Language, vocab: dict[str, Any] | None = None) -> None:
        """Compile the cue phrases with the pipeline's own tokenizer."""
        self.nlp = nlp
        self.vocab = vocab or load_vocabulary()
        self.negation: Scope = load_lexicon().scope
        self.cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        for slot, polarities in self.vocab["cues"].items():
            for polarity, phrases in polarities.items():
                self.cues.add(f"{slot}|{polarity}", list(nlp.tokenizer.pipe(phrases)))

    def read(self, text: str, requested: str | None = None, today: date | None = None) -> dict:
        """Slot values found in `text`; `requested` is the question just asked."""
        doc = self.nlp(text.lower())
        found = self._cued(doc)
        level = self.demand_level(doc)
        if level is not None:
            found["job_demand_level"] = level.value
        weeks = self.weeks_since(doc.text, today or date.today())
        if weeks is not None and (requested == "weeks_since_injury" or _mentions_injury(doc)):
            found["weeks_since_injury"] = weeks
        if requested in YES_NO_SLOTS and requested not in found:
            answer = self.yes_no(doc.text)
            if answer is not None:
                found[requested] = answer
        if requested == "has_job_goal" and "has_job_goal" not in found and doc.ents:
            found["has_job_goal"] = True
        return found

    def yes_no(self, text: str) -> bool | None:
        """A plain yes or no at the start of the answer, if there is one."""
        words = " ".join(re.findall(r"[a-z']+", text.lower()))
        for value, key in ((True, "yes"), (False, "no")):
            if any(words == p or words.startswith(p + " ") for p in self.vocab[key]):
                return value
        return None

    def demand_level(self, doc: Doc) -> DemandLevel | None:
        """The heaviest level implied by stated level words, weights, job or tasks."""
        candidates: list[DemandLevel] = []
        text = doc.text
        for level, words in self.vocab["demand_words"].items():
            if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
                candidates.append(DemandLevel(level))
        for amount, unit in _WEIGHT.findall(text):
            pounds = float(amount) * (self.vocab["kg_to_lb"] if unit.startswith("k") else 1)
            candidates.append(self._level_for_weight(pounds))
        for ent in doc.ents:
            table = {"OCCUPATION": "occupations", "JOB_TASK": "tasks"}.get(ent.label_)
            level = self.vocab[table].get(ent.ent_id_) if table else None
            if level:
                candidates.append(DemandLevel(level))
        return max(candidates, key=_LEVELS.index, default=None)

    def weeks_since(self, text: str, today: date) -> float | None:
        """Weeks since the injury from "3 months ago", "two wks", "since March", "last year"."""
        text = text.lower()
        for phrase, weeks in self.vocab["relative"].items():
            if re.search(rf"\b{phrase}\b", text):
                return float(weeks)
        units = self.vocab["units_in_weeks"]
        for amount, half, unit, half_after in _AMOUNT.findall(text):
            number = self._number(amount)
            if number is not None and unit in units:
                return round((number + 0.5 * bool(half or half_after)) * units[unit], 1)
        month = self._month(text)
        if month is not None:
            months_back = (today.month - month) % 12 or 12
            return round(months_back * units["month"], 1)
        return None

    def _cued(self, doc: Doc) -> dict[str, bool]:
        found: dict[str, bool] = {}
        for match_id, start, _end in self.cues(doc):
            slot, polarity = self.nlp.vocab.strings[match_id].split("|")
            positive = polarity == "true"
            words = [token.lower_ for token in doc]
            found[slot] = not negated_at(words, start, self.negation) if positive else False
        return found

    def _level_for_weight(self, pounds: float) -> DemandLevel:
        limits = self.vocab["lift_limits_lb"]
        for level in _LEVELS[:-1]:
            if pounds <= limits[level.value]:
                return level
        return DemandLevel.VERY_HEAVY

    def _number(self, word: str) -> float | None:
        try:
            return float(word)
        except ValueError:
            return self.vocab["numbers"].get(word)

    def _month(self, text: str) -> int | None:
        names = self.vocab["months"], self.vocab["month_abbreviations"]
        for table in names:
            for index, name in enumerate(table, start=1):
                if re.search(rf"\b(since|in|on|back in|from)\s+{name}\b", text):
                    return index
        return None


def _mentions_injury(doc: Doc) -> bool:
    return bool(re.search(r"\b(hurt|injur|broke|tore|torn|strain|sprain|accident|fell)", doc.text))

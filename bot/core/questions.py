"""Whether a patient's words ask something, rather than tell or answer.

Both readers need it: the triage (a reply that asks is not an answer) and the emergency
detector (a sign told before a question about the programs is still a sign). It lives
apart from both because the emergency package may not import the triage reader. The
words are in `bot/core/patterns/questions.yml`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml

QUESTIONS_FILE = Path(__file__).resolve().parent / "patterns" / "questions.yml"
_SENTENCES = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")  # sentences, and lines typed apart


@cache
def _vocabulary() -> dict[str, Any]:
    return yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))


def fold(text: str) -> str:
    """Accents folded ("almacén" -> "almacen", "año" -> "ano"), as the vocabularies are written."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c))


def sentences(text: str) -> list[str]:
    """The message's sentences, and its lines typed apart (one sentence per line)."""
    return _SENTENCES.split(text.strip())


def asks_a_question(text: str) -> bool:
    """Whether the patient asks something ("how long is it?"), rather than answers."""
    vocab = _vocabulary()
    words = re.findall(r"[a-z0-9']+", fold(text.lower()))  # "6 is doable" does not ask
    if "?" in text or not words:
        return "?" in text
    if any(words[: len(p.split())] == p.split() for p in vocab["not_questions"]):
        return False  # "que va, me dijo que espere"
    if any(words[0] in pair["before"] and words[1:2] and words[1] in pair["then"]
           for pair in vocab["question_after"]):
        return True  # "a que hora empieza", "y cuanto dura"
    first = re.sub(r"'(s|re|ll|d)$", "", words[0])
    return first in vocab["question_words"]  # "what's…" asks; "can't…" does not

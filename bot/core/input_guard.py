"""Recognise messages the English NLU cannot read, so they get the fallback, not a guess.

A softmax intent classifier is confidently wrong on text it has no words for: emoji-only
messages or Japanese came back as "goodbye" with 0.99. Such input gets the fallback reply
(rephrase, what the assistant can do, how to reach the clinic) instead. The word lists are
spaCy's own stop-word tables, so no vocabulary lives in this module.
"""

from __future__ import annotations

import re
from enum import StrEnum
from importlib import import_module

_WORD = re.compile(r"[^\W\d_]+")
_OTHER_LANGUAGES = ("es", "fr", "de", "pt", "it", "nl", "pl")


class Unreadable(StrEnum):
    """Why a message cannot be read by the English NLU."""

    EMPTY = "empty"
    NO_LATIN_WORDS = "no_latin_words"
    NOT_ENGLISH = "not_english"


def _stop_words(lang: str) -> frozenset[str]:
    return frozenset(import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)


_ENGLISH = _stop_words("en")
_FOREIGN = {lang: _stop_words(lang) - _ENGLISH for lang in _OTHER_LANGUAGES}
_ENGLISH_NOT_SPANISH = _ENGLISH - _stop_words("es")


def _language_counts(text: str) -> tuple[list[str], int, dict[str, int]]:
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(w in _ENGLISH for w in words)
    return words, english, {lang: sum(w in stop for w in words) for lang, stop in _FOREIGN.items()}


def unreadable(text: str) -> Unreadable | None:
    """Say why `text` cannot be understood in English, or None when it may be."""
    if not text.strip():
        return Unreadable.EMPTY
    words, english, foreign = _language_counts(text)
    if not any(w.isascii() for w in words):
        return Unreadable.NO_LATIN_WORDS
    most = max(foreign.values())
    if most >= 2 and most > english:
        return Unreadable.NOT_ENGLISH
    return None


def language_of(text: str) -> str:
    """"es" when a message reads as Spanish (one telling word is enough), else "en".

    Used to answer an emergency in the patient's language; short messages count, since
    "me duele el pecho" has just two Spanish stop words and must not get English.
    """
    words = [w.lower() for w in _WORD.findall(text)]
    spanish = sum(w in _FOREIGN["es"] for w in words)
    english = sum(w in _ENGLISH_NOT_SPANISH for w in words)
    return "es" if spanish > english else "en"

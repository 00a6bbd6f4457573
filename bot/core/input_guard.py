"""Recognise messages the NLU cannot read, so they get the fallback, not a guess.

A softmax intent classifier is confidently wrong on text it has no words for: emoji-only
messages or Japanese came back as "goodbye" with 0.99. The model reads English and
Spanish; anything else (emoji only, another script, French, German…) gets the fallback reply
(rephrase, what the assistant can do, how to reach the clinic) instead. The word lists are
spaCy's own stop-word tables, so no vocabulary lives in this module.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from importlib import import_module

from bot.core.language import Language, in_another_language, own_words

_WORD = re.compile(r"[^\W\d_]+")
_OTHER_LANGUAGES = ("fr", "de", "pt", "it", "nl", "pl")


PARSE_KEY = "unreadable"
"""Where the reason is kept in a message's parse data (`bot.adapters.nlu.unreadable_input`)."""


class Unreadable(StrEnum):
    """Why a message cannot be read by the NLU."""

    EMPTY = "empty"
    NO_LATIN_WORDS = "no_latin_words"
    OTHER_LANGUAGE = "other_language"


def _stop_words(lang: str) -> frozenset[str]:
    return frozenset(import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)


_ENGLISH = _stop_words("en")
_FOREIGN = {lang: _stop_words(lang) - _ENGLISH for lang in _OTHER_LANGUAGES}


def _latin(word: str) -> bool:
    return all(char.isascii() or unicodedata.name(char, "").startswith("LATIN") for char in word)


def unreadable(text: str) -> Unreadable | None:
    """Say why `text` cannot be understood, or None when it may be (English or Spanish).

    Another language is one with more of its stop words than English and Spanish have of
    their own words (`bot.core.language`), and that lingua also reads as another language:
    Portuguese, French and Italian share many words with Spanish ("por favor", "de",
    "casa"), so stop words alone would turn Spanish away.
    """
    if not text.strip():
        return Unreadable.EMPTY
    words = [w.lower() for w in _WORD.findall(text)]
    if not any(_latin(w) for w in words):
        return Unreadable.NO_LATIN_WORDS
    english = sum(w in _ENGLISH or w in own_words(Language.EN) for w in words)
    spanish = sum(w in own_words(Language.ES) for w in words)
    most = max(sum(w in stop for w in words) for stop in _FOREIGN.values())
    if most >= 2 and most > max(english, spanish) and in_another_language(text):
        return Unreadable.OTHER_LANGUAGE
    return None

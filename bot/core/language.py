"""Which language a patient writes in: English, Spanish, or "can't tell" (keep the last).

The assistant answers in the conversation's language, so a wrong switch is worse than no
switch: a message only changes it with clear evidence. Evidence comes in two layers:
words that belong to one language only (spaCy's stop-word tables for English and
Spanish, minus the words they share, plus the everyday chat words in
`patterns/language.yml`), then, when those tie (a message of program names, "light
duty"), lingua's English-or-Spanish model, trusted only when it is confident. Spanglish
("que es work hardening", "el adjuster dice que sí") is Spanish: its function words are.
Replies such as "sí", "no", "ok" or "1" tell nothing and keep the conversation's language.

Why lingua (`lingua-language-detector`): it ships its models in the wheel (nothing is
downloaded), reads one- and two-word messages better than n-gram profiles, and with only
English and Spanish loaded it answers in about 0.1 ms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from importlib import import_module
from typing import Any

import yaml
from lingua import Language as Lingua
from lingua import LanguageDetector, LanguageDetectorBuilder

from bot.core.spacy_pipeline import PATTERNS_DIR

_WORD = re.compile(r"[^\W\d_]+")
_FILE = PATTERNS_DIR / "language.yml"
MIN_MODEL_CONFIDENCE = 0.8
"""lingua's confidence needed when the words tie; below it the language is kept."""
SAMPLE_CHARS = 2_000
"""How much of a message is read: enough to tell, and a 100 000-character one costs no more."""


class Language(StrEnum):
    """The languages the assistant speaks (ISO 639-1), as the `language` slot holds them."""

    EN = "en"
    ES = "es"


DEFAULT = Language.EN


@cache
def _vocabulary() -> dict[str, object]:
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    stop = {lang: frozenset(import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
            for lang in Language}
    own = {
        lang: (stop[lang] - stop[other]) | frozenset(data["everyday"][lang])
        for lang, other in ((Language.EN, Language.ES), (Language.ES, Language.EN))
    }
    return {
        "own": own,
        "neutral": frozenset(data["neutral"]),
        "names": {word: Language(lang) for lang, words in data["names"].items()
                  for word in words},
    }


@cache
def _model():
    from lingua import Language as Lingua
    from lingua import LanguageDetectorBuilder

    return (LanguageDetectorBuilder.from_languages(Lingua.ENGLISH, Lingua.SPANISH)
            .with_preloaded_language_models().build())


def own_words(language: Language) -> frozenset[str]:
    """Words that belong to `language` and not to the other one the assistant speaks."""
    return _vocabulary()["own"][language]  # type: ignore[index]


@cache
def _many() -> LanguageDetector:
    others = (Lingua.FRENCH, Lingua.GERMAN, Lingua.PORTUGUESE, Lingua.ITALIAN, Lingua.DUTCH,
              Lingua.POLISH)
    return (LanguageDetectorBuilder.from_languages(Lingua.ENGLISH, Lingua.SPANISH, *others)
            .with_low_accuracy_mode().with_preloaded_language_models().build())


def in_another_language(text: str) -> bool:
    """Whether lingua reads `text` as French, German, Portuguese, Italian, Dutch or Polish.

    Its low-accuracy mode (about 20 MB for the eight languages) is enough for a second
    opinion on a message that the stop words already suggest is in another language.
    """
    found = _many().detect_language_of(text[:SAMPLE_CHARS])
    return found is not None and found.iso_code_639_1.name not in {"EN", "ES"}


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def detect(text: str) -> Language | None:
    """The language `text` is written in, or None when it does not tell."""
    vocabulary = _vocabulary()
    words = [w for w in _words(text[:SAMPLE_CHARS]) if w not in vocabulary["neutral"]]
    if not words:
        return None
    own = vocabulary["own"]
    english = sum(w in own[Language.EN] for w in words)
    spanish = sum(w in own[Language.ES] for w in words)
    if english != spanish:
        return Language.EN if english > spanish else Language.ES
    best = _model().compute_language_confidence_values(" ".join(words))[0]
    if best.value < MIN_MODEL_CONFIDENCE:
        return None
    return Language.EN if best.language.iso_code_639_1.name == "EN" else Language.ES


def named(text: str) -> Language | None:
    """The language a message names ("en español", "english please"), if exactly one."""
    names = _vocabulary()["names"]
    found = {names[w] for w in _words(text) if w in names}
    return found.pop() if len(found) == 1 else None


PARSE_KEY = "language"
"""Where a message's language is kept in its parse data (`bot.adapters.nlu.language_reader`),
and the entity of a button payload that sets one (`/greet{"language": "es"}`)."""


def told(parse: Mapping[str, Any]) -> Language | None:
    """The language one user message set, from its parse data, if it set one."""
    values = [parse.get(PARSE_KEY)] + [
        entity.get("value") for entity in parse.get("entities") or []
        if isinstance(entity, Mapping) and entity.get("entity") == PARSE_KEY]
    return next((Language(v) for v in values if v in set(Language)), None)


def conversation_language(parses_newest_first: Iterable[Mapping[str, Any]]) -> Language:
    """The language of the latest user message that set one; English until one does.

    Read from the stored messages rather than kept in a slot: Rasa's story tests compare
    every entity the NLU returns, and the messages are what staff review anyway.
    """
    return next((lang for parse in parses_newest_first if (lang := told(parse))), DEFAULT)

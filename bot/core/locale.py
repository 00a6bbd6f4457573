"""The assistant's texts in languages other than English (`locales/<language>.yml`).

English lives in `domain.yml` and `data/responses/`, where Rasa reads it. Every other
language mirrors those responses key for key, variation for variation (conditions and
placeholders the same), so the dialogue and its rules never depend on the language:
only the words change. `tests/test_locales.py` checks the mirror.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from bot.core.language import Language
from bot.settings import ROOT

LOCALES_DIR = ROOT / "locales"
LOCALISED_SUFFIX = "_"
"""A slot (or an action's value) named `<name>_<language>` holds `<name>` in that language
(`clinic_hours_es`): the response in that language quotes it instead."""


@cache
def responses(language: Language) -> dict[str, list[dict[str, Any]]]:
    """The responses written in `language` (none for English, which is the domain's)."""
    path = LOCALES_DIR / f"{language.value}.yml"
    if language is Language.EN or not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]


def localised(name: str, language: Language) -> str:
    """The name of the slot or value holding `name` in `language` ("clinic_opens_es")."""
    return f"{name}{LOCALISED_SUFFIX}{language.value}"


def localised_slots(slots: dict[str, Any], language: Language) -> dict[str, Any]:
    """The slot values a response in `language` quotes: `<slot>_<language>` where it is set."""
    suffix = localised("", language)
    return {**slots, **{name.removesuffix(suffix): value for name, value in slots.items()
                        if name.endswith(suffix) and value is not None}}

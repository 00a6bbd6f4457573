"""Whether a reply waves away what the patient said before ("lol no im fine forget it").

After an alarm, a no that explains itself ("no, that was years ago", "I meant the
paperwork") shows a misunderstanding: the assistant apologises and goes on. A no that
only waves the alarm away ("jk", "olvídalo") after words about ending one's life is not
that: clinicians take such words seriously even when they are taken back, so the reply
keeps the door open instead of apologising for a mistake. The words live in
`bot/core/patterns/dismissals.yml`; a closed class, like negation cues, so a list fits.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.core.questions import any_of, fold

DISMISSALS_FILE = Path(__file__).resolve().parent / "patterns" / "dismissals.yml"


@cache
def _pattern() -> re.Pattern[str]:
    phrases = yaml.safe_load(DISMISSALS_FILE.read_text(encoding="utf-8"))["phrases"]
    return any_of(tuple(fold(phrase.lower()) for phrase in phrases))


def dismisses(text: str) -> bool:
    """Whether the reply waves away what was said, with or without a no beside it."""
    words = " ".join(re.findall(r"[a-z0-9]+", fold(text.lower()).replace("'", "")))
    return _pattern().search(words) is not None

"""Fit answers into SMS: GSM-7 text, a first part of bounded length, the rest on "MORE".

Some answers (the side-by-side comparison) run past 1,300 characters: one message of that
size costs nine SMS segments and fills a phone's screen several times. So a long answer
is cut at a sentence boundary: the first part ends with "Reply MORE for the rest" (in
Spanish "Responda MAS para ver el resto"), and "MORE" or "MAS" sends the rest. What was cut
is recomputed from the conversation's stored last bot message, so it survives restarts;
the stored conversation keeps the whole answer once.

Spanish on SMS: GSM-7 has é, ñ, ü, ¿ and ¡ but not á, í, ó, ú, so one of those would send
a whole answer as UCS-2. Measured over the 96 Spanish responses, that is 400 segments as
written and 205 with those four vowels written without their accent, which Spanish
readers are used to in text messages: so SMS drops them (WhatsApp keeps them).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from bot.core.language import Language, detect

GSM_SEGMENT_CHARS = 153
"""GSM-7 characters in one segment of a concatenated SMS (160 minus the joining header)."""

UCS2_SEGMENT_CHARS = 67
"""The same for a message with any character outside GSM-7, which then goes as UCS-2."""

FIRST_PART_SEGMENTS = 4
"""The first part of a reply is at most 2 x 306 characters (four segments): every question
the bot asks fits whole, with its numbered options, and only long answers get cut."""

MAX_BODY_CHARS = 1600
"""Twilio refuses a longer message body (SMS and WhatsApp alike)."""

MORE_PROMPT = "Reply MORE for the rest"
MORE_PROMPTS = {Language.EN: MORE_PROMPT, Language.ES: "Responda MAS para ver el resto"}
"""The prompt in the language of the answer it ends."""

_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = set("^{}\\[~]|€\f")
_TO_GSM = str.maketrans({
    "\N{EN DASH}": "-", "\N{EM DASH}": "-", "\N{NON-BREAKING HYPHEN}": "-",
    "\N{MINUS SIGN}": "-", "\N{BULLET}": "-", "\N{MIDDLE DOT}": "-",
    "\N{LEFT SINGLE QUOTATION MARK}": "'", "\N{RIGHT SINGLE QUOTATION MARK}": "'",
    "\N{LEFT DOUBLE QUOTATION MARK}": '"', "\N{RIGHT DOUBLE QUOTATION MARK}": '"',
    "\N{HORIZONTAL ELLIPSIS}": "...", "\N{NO-BREAK SPACE}": " ", "\N{MULTIPLICATION SIGN}": "x",
    "á": "a", "í": "i", "ó": "o", "ú": "u", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U",
})
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s)|(?=\n)")
_WORD_END = re.compile(r"\S(?=\s)")
_MORE = re.compile(r"(?:more|m[aá]s)\s*[.!]?", re.IGNORECASE)  # on the stripped reply


def to_gsm(text: str) -> str:
    """Swap typographic characters for GSM-7 ones, which keeps a segment at 153 characters.

    One en dash, bullet or "á" would otherwise send the whole message as UCS-2 (67 a
    segment).
    """
    return text.translate(_TO_GSM)


def sms_fits(text: str, segments: int = FIRST_PART_SEGMENTS) -> bool:
    """Whether `text` goes in at most `segments` SMS segments."""
    if set(text) <= _GSM | _GSM_EXTENSION:
        length = len(text) + sum(char in _GSM_EXTENSION for char in text)
        return length <= segments * GSM_SEGMENT_CHARS
    return len(text.encode("utf-16-le")) // 2 <= segments * UCS2_SEGMENT_CHARS


def screen_fits(text: str) -> bool:
    """WhatsApp has no segments: the same reading length, counted in characters."""
    return len(text) <= FIRST_PART_SEGMENTS * GSM_SEGMENT_CHARS


def first_and_rest(body: str, fits: Callable[[str], bool]) -> tuple[str, str]:
    """The first part to send (ending with the MORE prompt when cut) and the rest."""
    if fits(body):
        return body, ""
    prompt = MORE_PROMPTS[detect(body) or Language.EN]
    head, rest = cut(body, lambda head: fits(f"{head}\n{prompt}"))
    return f"{head}\n{prompt}", rest


def split(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Parts that each fit, cut at sentence boundaries where possible."""
    parts = []
    while text:
        head, text = cut(text, fits)
        parts.append(head)
    return parts


def cut(text: str, fits: Callable[[str], bool]) -> tuple[str, str]:
    """The longest head that fits, ending a sentence (else a word), and what follows.

    A longer head never fits where a shorter one does not, so the longest is found by
    bisection: a few `fits` calls even for a long text with no spaces. Only the start of
    the text that a fitting head can reach is searched (`_reach`), so cutting a long text
    into parts takes time in proportion to its length.
    """
    reach = _reach(text, fits)
    if reach is None:
        return text, ""
    scope = text[:2 * reach + 1]  # a boundary's one-character lookahead stays inside
    for boundary in (_SENTENCE_END, _WORD_END):
        ends = [match.end() for match in boundary.finditer(scope)
                if 0 < match.end() < len(scope)]
        fitting = bisect_left(ends, True, key=lambda end: not fits(text[:end].rstrip()))
        if fitting:
            end = ends[fitting - 1]
            return text[:end].rstrip(), text[end:].strip()
    sizes = range(1, reach + 1)
    end = max(1, bisect_left(sizes, True, key=lambda size: not fits(text[:size])))
    return text[:end], text[end:].strip()


def _reach(text: str, fits: Callable[[str], bool]) -> int | None:
    """A length no fitting head reaches, or None when the whole text fits.

    It is the first of 64, 128, 256, ... characters whose head does not fit.
    """
    size = 64
    while size < len(text):
        if not fits(text[:size]):
            return size
        size *= 2
    return None if fits(text) else len(text)


def is_more(text: str) -> bool:
    """Whether a patient's reply asks for the rest of the last answer."""
    return _MORE.fullmatch(text.strip()) is not None

"""Whether a patient's words ask something, rather than tell or answer.

The triage needs it (a reply that asks is not an answer), the emergency detector (a sign
told before a question about the programs is still a sign), and the NLU (a question told
beside a story is read alone too). It lives apart from them because the emergency
package may not import the triage reader. The words are in
`bot/core/patterns/questions.yml`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path
from typing import Any

import yaml

QUESTIONS_FILE = Path(__file__).resolve().parent / "patterns" / "questions.yml"
_SENTENCE_END = re.compile(
    r"(?<=[.!?…;])\s+"  # "…when i stand. do you take…", "…when i stand; do you…"
    r"|(?<=[^\W\d_]{2}[.!?…])(?=[^\W\d_]{2})"  # "…when i stand.do you take…"
    r"|(?<=[^\W\d_]{2}[.!?…]{2})(?=[^\W\d_]{2})"
    r"|(?<=[^\W\d_]{2}[.!?…]{3})(?=[^\W\d_]{2})"  # "…when i stand...do you take…"
    r"|(?<=\s)[-\u2013\u2014]+(?=\s)"  # "…when i stand - do you take…"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]+"  # "…when i stand 😰 do you…"
)


_QUESTION_START = 80
"""Characters enough to tell whether a clause starts like a question."""


@cache
def _vocabulary() -> dict[str, Any]:
    return yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))


@cache
def any_of(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for the phrases: a single pass over a long message, not one per phrase."""
    if not phrases:
        return re.compile(r"(?!)")
    longest_first = sorted(phrases, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(re.escape(p) for p in longest_first)})\b")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", fold(text.lower()))


def _asks_after_lead_ins(words: list[str], pairs: list[dict[str, Any]]) -> bool:
    """Whether a question word follows the message's lead-ins ("ok so how long is it").

    A pair may need the verb's subject after it ("so am i eligible" asks, "so do heavy
    lifting" tells) or hold only at the start ("so what" asks, "ok so what i do" tells).
    """
    for at, word in enumerate(words[:-1]):
        after = words[at + 2] if at + 2 < len(words) else None
        for pair in pairs:
            if word in pair["before"] and words[at + 1] in pair["then"] \
                    and ("subject" not in pair or after in pair["subject"]) \
                    and not (pair.get("first_only") and at):
                return True
        if word not in _lead_ins():
            return False
    return False


def _past_lead_ins(words: list[str]) -> int:
    """Where the words go on after the lead-ins that open them ("ok so which…": 2)."""
    lead_ins = _lead_ins()
    return next((i for i, word in enumerate(words) if word not in lead_ins), len(words))


@cache
def _lead_ins() -> frozenset[str]:
    return frozenset(word for pair in _vocabulary()["question_after"] for word in pair["before"])


def fold(text: str) -> str:
    """Accents folded ("almacén" -> "almacen", "año" -> "ano"), as the vocabularies are written."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c))


def sentences(text: str) -> list[str]:
    """The message's sentences, and its lines typed apart; one empty one for an empty text.

    Lines are split first: a pattern that looks for a line break around every space
    would take quadratic time on a long run of spaces.
    """
    said = [sentence.strip() for line in text.splitlines()
            for sentence in _SENTENCE_END.split(line) if sentence.strip()]
    return said or [""]


def asks_a_question(text: str) -> bool:
    """Whether the patient asks something ("how long is it?"), rather than answers."""
    vocab = _vocabulary()
    words = _words(text)  # "6 is doable" does not ask
    if "?" in text or not words:
        return "?" in text
    if any(words[: len(p.split())] == p.split() for p in vocab["not_questions"]):
        return False  # "que va, me dijo que espere"
    if _asks_after_lead_ins(words, vocab["question_after"]):
        return True  # "a que hora empieza", "y cuanto dura", "anyway do i need a referral"
    first = re.sub(r"'(s|re|ll|d)$", "", words[0])
    return first in vocab["question_words"]  # "what's…" asks; "can't…" does not


def only_asks(text: str, answer_words: Collection[str]) -> bool:
    """Whether every sentence of a reply asks, and none opens with a yes or no (`answer_words`).

    Such a reply answers nothing: "is that normal?" to "are you having thoughts of ending
    your life?" is no "no" (a fresh review of stop 60: it cleared the alarm). A yes word
    inside the question is no answer: "¿el workers comp todavia lo cubre si ya paso tanto
    tiempo?" asks ("si" is "if" there).
    """
    said = [t for t in sentences(text) if t.strip()]
    return bool(said) and all(asks_a_question(t) for t in said) and not any(
        _words(t)[:1] and _words(t)[0] in answer_words for t in said)


def about_the_sign(faq: str, text: str) -> bool:
    """Whether a question the FAQ answers with `faq` is about how the body feels.

    Either the answer is ("faq/pain_during": "is that normal?"), or the question speaks of
    feelings or medicines ("how long will i feel like this?").
    """
    vocabulary = _vocabulary()
    return faq in vocabulary["about_the_sign"] or bool(
        any_of(tuple(vocabulary["sign_words"])).search(" ".join(_words(text))))


def asks_about_the_programs(sentence: str) -> bool:
    """Whether a sentence asks about the programs or a practical matter.

    A sentence that starts like a question may be a remark ("when i lift my legs go
    numb"), ask about a symptom ("is that normal") or explain it ("could be the new gym
    routine"): only one that names the programs or a practical matter ("how much is the
    program", "does insurance pay for it") is a question of another kind.
    """
    return _asks_about(sentence, ("program_topics",))


def without_for_oneself(text: str) -> str:
    """The text, folded, without its words of who a program is for (`for_oneself`).

    "which program would fit me" names no fit (a seizure) once "fit me" is left out.
    """
    return any_of(tuple(_vocabulary()["for_oneself"])).sub(" ", fold(text.lower()))


def asks_which_fits_oneself(sentence: str) -> bool:
    """Whether a sentence asks which program fits the writer ("ok so which one is for me").

    Past its lead-ins ("ok so"), it starts like a question, asks which one (`choosing`),
    and names the writer as the one it is for (`for_oneself`): not "can you call 911 for
    me?". A "which" after "ok so" is left out of `asks_a_question`: "oh which reminds me,
    my arm is numb" tells.
    """
    words = _words(sentence)
    rest = " ".join(words[_past_lead_ins(words):])
    vocabulary = _vocabulary()
    return ("?" in sentence or asks_a_question(rest)) and all(
        any_of(tuple(vocabulary[key])).search(rest) for key in ("choosing", "for_oneself"))


def asks_what_an_faq_answers(sentence: str) -> bool:
    """Whether a sentence asks about the programs in words of what the FAQ answers.

    Wider than `asks_about_the_programs` ("how many hours a day", "who is on the staff"):
    the NLU reads such a question alone beside the story told with it, where a vague one
    ("can you help?", "what should i do?") means which program fits.
    """
    return _asks_about(sentence, ("program_topics", "faq_topics"))


def asking_clause(sentence: str) -> int | None:
    """Where a sentence starts to ask what an FAQ answers, if it does: 0, or after a comma.

    "im a mover, whats the difference between hardening and conditioning" tells, then
    asks (a blind hand trial of stop 57). Only the first clause that starts like a
    question is weighed, so a long run of commas costs one reading, not one per comma.
    """
    if asks_what_an_faq_answers(sentence):
        return 0
    return _asking_after_a_comma(sentence)


def _asking_after_a_comma(
    sentence: str, starts: Callable[[str], bool] = asks_a_question
) -> int | None:
    for comma in re.finditer(r",\s*", sentence):
        rest = sentence[comma.end():]
        if starts(rest[:_QUESTION_START]):
            return comma.end() if asks_what_an_faq_answers(rest) else None
    return None


def where_it_asks(text: str) -> int | None:
    """Where the message starts to ask what an FAQ answers, if it does: a sentence or a clause.

    A reply can answer, then ask ("kinda scared tbh. also does workers comp pay for
    this?", "its probably nothing lol, how long does work conditioning last"): the part
    before is the answer, the rest a question of the patient's own, both to be heard (a
    blind hand trial of stop 59). The asking part must name what an FAQ answers itself,
    and start like a question or, after an answer, be a sentence of one clause that ends
    with a "?" ("no. boots?"): a "?" after a remark ("i can do 4 hours now, is that ok?",
    "my therapist says im improving, right?") asks nothing an FAQ answers.
    """
    at = 0
    for later, sentence in enumerate(sentences(text)):
        start = text.find(sentence, at)
        at = start + len(sentence)
        whole = _starts_asking(sentence) or (  # after an answer: "no. insurance covers it?"
            later and sentence.endswith("?") and "," not in sentence)
        if whole and asks_what_an_faq_answers(sentence):
            return start
        clause = _asking_after_a_comma(sentence, _starts_asking)
        if clause is not None:
            return start + clause
    return None


def _starts_asking(text: str) -> bool:
    """Whether a clause starts like a question, and not like a telling ("when i work…")."""
    if not asks_a_question(text.replace("?", "")):
        return False
    if "?" in text:
        return True
    vocab = _vocabulary()
    words = _words(text)
    at = _past_lead_ins(words)
    if any_of(tuple(vocab["telling_starts"])).match(" ".join(words[at:])):
        return False
    if at >= len(words) or words[at] not in vocab["wh_words"]:
        return True  # "do i need a referral", "whats the difference"
    return at + 1 < len(words) and words[at + 1] in vocab["question_seconds"]


def _asks_about(sentence: str, keys: tuple[str, ...]) -> bool:
    vocabulary = _vocabulary()
    topics = any_of(tuple(word for key in keys for word in vocabulary[key]))
    return asks_a_question(sentence) and bool(topics.search(" ".join(_words(sentence))))


def after_a_greeting(text: str) -> int:
    """Where the message goes on after the greetings that open it ("hola buenas, cuanto…").

    0 when it opens with none, or is nothing but greetings.
    """
    greeting = any_of(tuple(_vocabulary()["greetings"])).pattern
    opened = re.match(rf"\s*{greeting}(?:[\s,!.]+{greeting})*[\s,!.]+(?=\S)",
                      fold(text.lower()))
    return opened.end() if opened else 0


def asks_something(text: str) -> bool:
    """Whether the message asks, in its first sentence, or later about the programs."""
    first, *later = sentences(text)
    return asks_a_question(first) or any(asks_about_the_programs(s) for s in later)

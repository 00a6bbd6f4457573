"""Long and adversarial text costs linear time in every extractor and renderer.

A quadratic regex made one 20,000-digit answer take 14.5 s. Hypothesis builds messages
from the pieces that trip backtracking (digits, "[a](", "**", "<http://", emoji, dates,
negations) and each reader or renderer must finish within its budget. Every function gets
20,000 characters, ten times what a channel accepts (`MAX_MESSAGE_CHARS`), so that a
super-linear pattern shows: the budgets are several times the slowest time measured,
so a busy machine does not fail them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.adapters.channels.plaintext import chosen_payload, to_plain, to_slack, with_options
from bot.adapters.channels.sms import first_and_rest, is_more, sms_fits, split, to_gsm
from bot.core.answers import ensure_answer_model, load_answer_model
from bot.core.durations import hours_a_day, weeks_since
from bot.core.emergency import ensure_detector, load_detector
from bot.core.extract import TriageReader, is_correction
from bot.core.inbound import patient_text
from bot.core.questions import asks_a_question, sentences
from bot.core.spacy_pipeline import build_pipeline, load_patterns

TODAY = date(2026, 11, 30)
PIECES = ["9", "1-", "1.", "12/", "3 weeks ", "ago ", "[a](", "[", "]", "(", ")", "**a ",
          "_a", "`", "<http://a", "# ", "- ", "\\*", "😀", "no ", "not ", "hour ", "lb ",
          "over ", "a ", " ", "\n", "?", "/", "<b>", "é", "'", "0.5"]
BUTTONS = [{"title": "Yes", "payload": "/affirm"}, {"title": "4 hours or more",
                                                    "payload": "4 hours or more"}]


def repeated(unit: str, length: int = 20_000) -> str:
    return (unit * (length // max(len(unit), 1) + 1))[:length] if unit else "9" * length


def messages(length: int = 20_000) -> st.SearchStrategy[str]:
    """Adversarial pieces repeated to `length` characters: one piece alone, or a mix, or a
    long run framed by a start and an end (where a pattern's anchors and suffixes fail)."""
    piece = st.sampled_from(PIECES) | st.text(max_size=3)
    one = st.sampled_from(PIECES).map(lambda piece: [piece])
    mix = st.lists(piece, min_size=1, max_size=4)
    runs = (one | mix).map(lambda parts: repeated("".join(parts), length))
    framed = st.tuples(piece, runs, piece).map(lambda parts: "".join(parts)[:length])
    return runs | framed


WORST_KNOWN = [repeated(piece) for piece in ("9", "1-", "😀", "[a](", "**a ", "<http://a")]
FRAMED_RUNS = [("# a", " #", "b"), ("1", " ", "x"), ("more", " ", "x"), ("1 ", "- ", "lbx")]
r"""A start, a long run and an end that fails the pattern: where two adjacent `\s*`, or a
lazy group before `[…]*$`, backtrack quadratically."""


def framed(start: str, run: str, end: str, length: int = 100_000) -> str:
    return start + repeated(run, length) + end


def within(budget: float, read: Callable[[str], object], text: str) -> None:
    """`read(text)` takes less than `budget`, once what it loads on first use is loaded."""
    read(text)  # a first call may load language models: seconds on a busy machine, once
    started = time.perf_counter()
    read(text)
    took = time.perf_counter() - started
    assert took < budget, f"{took:.2f} s for {text[:40]!r}… ({len(text)} chars)"


TEXT_FUNCTIONS: dict[str, Callable[[str], object]] = {
    "weeks_since": lambda text: weeks_since(text, TODAY),
    "hours_a_day": hours_a_day,
    "to_plain": to_plain,
    "to_slack": to_slack,
    "to_gsm": to_gsm,
    "with_options": lambda text: with_options(text, [text[:50], "Yes"]),
    "split for SMS": lambda text: split(text, sms_fits),
    "first_and_rest": lambda text: first_and_rest(text, sms_fits),
    "chosen_payload": lambda text: chosen_payload(text, BUTTONS),
    "patient_text": lambda text: patient_text("/" + text, {"/affirm"}),
    "is_more": is_more,
    "is_correction": is_correction,
    "asks_a_question": asks_a_question,
    "sentences": sentences,
}


@pytest.mark.parametrize("name", TEXT_FUNCTIONS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(text=messages() | st.sampled_from(WORST_KNOWN))
@example(text=WORST_KNOWN[0]).via("the 20,000-digit answer")
def test_text_functions_take_linear_time_on_long_adversarial_input(name, text):
    within(1.0, TEXT_FUNCTIONS[name], text)


@pytest.mark.parametrize("name", TEXT_FUNCTIONS)
@pytest.mark.parametrize("frame", FRAMED_RUNS, ids=repr)
def test_a_long_run_between_a_start_and_an_end_takes_linear_time(name, frame):
    """100,000 characters: linear code takes milliseconds, a quadratic pattern many seconds."""
    within(2.0, TEXT_FUNCTIONS[name], framed(*frame))


@pytest.fixture(scope="module")
def reader() -> TriageReader:
    ensure_answer_model()
    ensure_detector()
    return TriageReader(build_pipeline(load_patterns()), load_answer_model(), load_detector())


QUESTIONS = ["red_flags", "weeks_since_injury", "tolerates_4_hours", "job_demand_level",
             "meets_job_demands", "psychosocial_barriers"]


@settings(max_examples=20, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(text=messages() | st.sampled_from(WORST_KNOWN), question=st.sampled_from(QUESTIONS))
@example(text=WORST_KNOWN[0], question="job_demand_level").via("the 20,000-digit answer")
def test_the_readers_take_linear_time_on_long_adversarial_input(reader, text, question):
    within(3.0, lambda said: reader.read(said, TODAY), text)
    within(3.0, lambda said: reader.answer(question, said, TODAY), text)
    within(0.5, load_detector().assess, text)


@pytest.mark.parametrize("frame", FRAMED_RUNS, ids=repr)
def test_the_readers_take_linear_time_on_a_long_framed_run(reader, frame):
    text = framed(*frame)
    within(3.0, lambda said: reader.read(said, TODAY), text)
    for question in QUESTIONS:
        within(3.0, lambda said, asked=question: reader.answer(asked, said, TODAY), text)

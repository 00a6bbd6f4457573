"""Which interruptions the triage form reads as answers after all, from the NLU's parse data.

The form's adapter decides this from the intent, its confidence and the alarm the NLU
attached; the answer reader (the real one, built by `bot setup --readers-only`) reads the
text. A plain "stop" must still stop; a half-sure "stop" that is a yes, a no or "not sure"
answers; nothing on the safety checklist is ever taken from a stop, and a yes to it is
never dropped for a digression.
"""

from __future__ import annotations

import pytest

from actions.triage_form import SURE_STOP, _answer_after_all
from bot.core import names
from bot.core.answers import Answer


def parse(intent: str, confidence: float | None = None, alarm: dict | None = None) -> dict:
    """The parse data Rasa hands the form (only the keys it reads)."""
    found = {"name": intent} if confidence is None else {"name": intent, "confidence": confidence}
    return {"intent": found, names.EMERGENCY: alarm} if alarm else {"intent": found}


HALF_SURE = SURE_STOP - 0.2
CASES = [
    # intent, confidence, question asked, text, the answer read (None: it interrupts)
    (names.STOP_TRIAGE, 0.99, "meets_job_demands", "stop", None),
    (names.STOP_TRIAGE, None, "meets_job_demands", "no more questions please", None),
    (names.STOP_TRIAGE, HALF_SURE, "meets_job_demands", "no I can't do the transfers", Answer.NO),
    (names.STOP_TRIAGE, HALF_SURE, "has_job_goal", "I honestly don't remember", Answer.UNSURE),
    (names.STOP_TRIAGE, HALF_SURE, "red_flags", "no", None),
    (names.STOP_TRIAGE, HALF_SURE, None, "no I can't", None),
    (names.STOP_TRIAGE, 0.99, "weeks_since_injury", "since last winter", Answer.YES),
    (names.ASK_WHY, 0.99, "meets_job_demands", "why do you ask?", None),
    (names.ASK_WHY, 0.99, "red_flags", "why do you need to know that?", None),
    (names.ASK_WHY, 0.99, "red_flags", "yes, why?", Answer.YES),  # the yes stands
    (names.STOP_TRIAGE, 0.99, "red_flags", "stop, I don't want to answer questions", None),
    (names.STOP_TRIAGE, 0.99, "tolerates_4_hours", "2 hours and then i have to stop", Answer.NO),
]


@pytest.mark.parametrize(("intent", "confidence", "question", "text", "expected"), CASES)
def test_an_interruption_answers_only_when_it_reads_as_an_answer_to_the_question(
    intent, confidence, question, text, expected
):
    reading = _answer_after_all(parse(intent, confidence), question, text)
    assert (reading and reading.kind) == expected


def test_a_sure_alarm_always_interrupts_and_an_unsure_one_on_an_ordinary_answer_does_not():
    sure = parse(names.EMERGENCY, 0.99, {"kind": "medical", "sure": True})
    unsure = parse(names.EMERGENCY, 0.7, {"kind": "medical", "sure": False})
    assert _answer_after_all(sure, "has_job_goal", "nothing lined up, don't know") is None
    assert _answer_after_all(unsure, "red_flags", "nothing lined up") is None
    reading = _answer_after_all(unsure, "has_job_goal",
                                "nothing lined up, don't know what I want to do")
    assert reading is not None and reading.kind in (Answer.NO, Answer.UNSURE)

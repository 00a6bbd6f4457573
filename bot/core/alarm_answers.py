"""What a patient's reply to an emergency alarm does: confirm it, leave it standing, or clear it.

After a medical alarm the assistant asks whether it is happening now, and reads the reply
as an answer to the safety checklist. After a suicide alarm it asks "are you having
thoughts of ending your life?", a question of its own: "not right now" or "hoy no" is
no denial there (the thoughts come and go), though it denies a red flag of the body. So
its replies have their own reader (`READERS`), learnt from replies written for
that question. Either way the reply is also read by the detector ("no, but I took all
my pills" clears nothing): after a medical alarm as an answer to the checklist, where "in
pain" can be a yes; after a suicide alarm as a message of its own ("No. I have a lot to
live for. I'm just in pain").
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.answers import Answer, AnswerModel
from bot.core.dismissals import insists
from bot.core.emergency import Detector, Kind
from bot.core.emergency.dataset import SAFETY_QUESTION, SELF_HARM_CHECK

SURE_NO_TO_SUICIDE = 0.85
"""How sure the reader must be of a no to the suicide question to clear the alarm.

Chosen by 5-fold cross-validation on the question's labelled replies, read as the
assistant reads them, with the detector's veto and insisting (`scripts/cv_alarm_answers.py`,
2026-12-05, again when the reader took the first words as typed): at 0.85 none of 252
replies that carry risk clears, and 206 of 288 plain noes do (190 before); at 0.8 two would
("no, im not gonna do anything today", "no estoy segura, tal vez"), at 0.5 ten ("not at
this moment"). A no read less surely keeps 988 in view and is asked about once more, with a
button to say no.
"""


class AlarmAnswer(StrEnum):
    """What a reply does to the alarm it answers."""

    CONFIRMS = "confirms"  # "no im not kidding": a yes, the advice again
    STANDS = "stands"  # not a no: the alarm is kept, the question asked once more
    CLEARS = "clears"  # a no: the assistant apologises or thanks, and goes on


READERS = {Kind.SELF_HARM: (SELF_HARM_CHECK, None)}
"""Per alarm kind: the answer reader for its replies, and the question the detector reads
them with. By default (a medical alarm), the safety checklist for both."""


def read_alarm_answer(
    text: str, kind: Kind, answers: AnswerModel, detector: Detector,
    sure_no: float = SURE_NO_TO_SUICIDE,
) -> AlarmAnswer:
    """What `text`, a reply to an alarm of `kind`, does to it (`sure_no`: for a suicide alarm)."""
    if insists(text):
        return AlarmAnswer.CONFIRMS
    question, asked = READERS.get(kind, (SAFETY_QUESTION, SAFETY_QUESTION))
    answer, probability = answers.weigh(question, text)
    said_no = answer is Answer.NO and (
        kind is not Kind.SELF_HARM or probability >= sure_no)
    if said_no and not detector.assess(text, asked).urgent:
        return AlarmAnswer.CLEARS
    return AlarmAnswer.STANDS

"""What a patient's reply to an emergency alarm does: confirm it, leave it standing, or clear it.

Each alarm asks a question of its own, so each has its own reader of the replies
(`READERS`), learnt from replies written for that question. After a medical alarm the
assistant asks whether it is happening now or started in the last few days: "it went away
after ten minutes", "its easing, ill lie down" or "not worth the ER" is no denial there
(signs that came today and passed still need care now), though it may read as a no to the
safety checklist. After a suicide alarm it asks "are you having thoughts of ending your
life?": "not right now" or "hoy no" is no denial there (the thoughts come and go), though
it denies a red flag of the body. Either way the reply is also read by the detector
("no, but I took all my pills" clears nothing): after a medical alarm as an answer to the
checklist, where "in pain" can be a yes; after a suicide alarm as a message of its own
("No. I have a lot to live for. I'm just in pain").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import cache

import yaml

from bot.core.answers import Answer, AnswerModel
from bot.core.callback_details import call_words
from bot.core.dismissals import (
    insists,
    put_off_words,
    reaching_out_words,
    retracts,
    tells_a_checkup,
    tells_being_unwell,
    tells_it_passed,
)
from bot.core.durations import Vocabulary, Weeks, load_vocabulary, weeks_since
from bot.core.emergency import Detector, Kind
from bot.core.emergency.dataset import MEDICAL_CHECK, SAFETY_QUESTION, SELF_HARM_CHECK
from bot.core.emergency.lexicon import load_lexicon
from bot.core.emergency.text import read, tokens, told_after_a_bare_no
from bot.core.help_called import acknowledges, says_help_has_them
from bot.core.questions import any_of, fold, only_asks, sentences, without_for_oneself
from bot.core.someone_else import (
    answers_me,
    asks_for_oneself,
    clauses,
    mentions_a_person,
    names_someone_else,
    people_named,
    says_a_word_of_oneself,
    shares_their_state,
    speaks_as_oneself,
    tails,
    tells_hearsay_of_oneself,
    tells_of_a_person_first,
    tells_of_another,
    tells_someone_else,
)
from bot.core.spacy_pipeline import PATTERNS_DIR

SURE_NO = {Kind.MEDICAL: 0.8, Kind.SELF_HARM: 0.85}
"""How sure the reader must be of a no to an alarm's check question to clear the alarm.

Each bar is chosen by 5-fold cross-validation on the question's labelled replies, read as
the assistant reads them, with the detector's veto and insisting
(`scripts/cv_alarm_answers.py`): the lowest at which no reply that carries risk clears.
A no read less surely keeps the number in view and is asked about once more, with a
one-click way out.
- The suicide question (2026-12-05, again when the reader took the first words as
  typed): at 0.85 none of 252 replies that carry risk clears, and 206 of 288 plain noes
  do (190 before); at 0.8 two would ("no, im not gonna do anything today", "no estoy
  segura, tal vez"), at 0.5 ten ("not at this moment").
- The check after a medical alarm (2026-12-06, stop 56, with the mis-tap replies): at 0.8
  none of 514 replies that tell the sign may still be there clears, and 287 of 439 noes
  do (stop 53: none of 408, 212 of 307); at 0.75 one would
  ("fue hace rato, no me salían bien las palabras y luego se me compuso"), at 0.5 four. A
  no that tells a check-up since (`tells_a_checkup`: "went to the er last night, no
  clot") clears at any bar: none of the 408 then clears, three more noes do.
"""


RECENT_WEEKS = 1.0
"""A sign told as starting less than this long ago began "in the last few days"."""
RECENT_TIMES = PATTERNS_DIR / "recent_times.yml"


def told_as_ones_own(alarm_text: str, detector: Detector) -> bool:
    """Whether the alarm's message told its risk in the writer's own words.

    "my wife passed away in march. i just want to go be with her", then "no, its my sister
    who keeps saying that, not me": the reply names another, yet the message spoke as the
    writer, so the writer is asked again (a review with fresh eyes, stop 55).
    """
    return any(speaks_as_oneself(sentence) for sentence in _risky(alarm_text, detector))


def told_of_another(alarm_text: str, detector: Detector) -> bool:
    """Whether the alarm's message told its risk of another person, never as the writer's.

    "my girlfriend keeps saying shes a burden and looked up stuff about hanging", then
    "what should i do for her": the reply speaks of her, and she is the one to help (a
    blind hand trial, stop 56: the writer was asked about their own thoughts instead).
    """
    risky = _risky(alarm_text, detector)
    return any(tells_of_another(sentence) for sentence in risky) and not any(
        speaks_as_oneself(sentence) for sentence in risky)


def tells_help_has_them(text: str, alarm_text: str, detector: Detector) -> bool:
    """Whether a reply to a medical alarm about one other person is the all-clear for them.

    "ok the ambulance took him. so which program would fit me", after 911 for a father,
    got "Please don't wait…": read as the writer's own yes (stops 69 to 71). Each part of
    the reply must be help that has them (`says_help_has_them`), a bare "ok" or thanks,
    or a question of which program fits the writer (`asks_for_oneself`), and one must say
    help has them: "the ambulance took forever, hes still on the floor" is none of them (a
    fresh review of stop 70 broke a looser reading), nor "the ambulance took him?". The
    alarm's message names one person and tells no risk of the writer's own ("my dad
    collapsed, i have chest pain"); a person the reply names is that one ("the ambulance
    took my mom", after "my dad collapsed"); no sign nor risk of one's own is told in the
    reply ("which program fits me with chest pain?", "…after my overdose"): fresh reviews
    of stop 72.
    """
    told = [part for sentence in re.split(r"(?<=[.!?])\s+|\n", text.strip())
            for part in ([sentence] if sentence.endswith("?") else clauses(sentence))]
    helped = [part for part in told if says_help_has_them(part)]
    named = _people(alarm_text)
    return bool(helped) and len(named) == 1 \
        and all(part in helped or acknowledges(part) or asks_for_oneself(part) for part in told) \
        and all(_people(part) <= named for part in helped) \
        and not any(speaks_as_oneself(sentence) for sentence in _risky(alarm_text, detector)) \
        and not any(_names_a_risk(without_for_oneself(part), detector) for part in told)


def _names_a_risk(text: str, detector: Detector) -> bool:
    """Whether a text names a sign or words of self-harm, or reads as an emergency at all.

    "…so which program would fit me after my overdose", "…before i end it": no all-clear
    (a final read of stop 72).
    """
    reading = read(text, detector.lexicon.scope)
    return detector.lexicon.names_a_sign(reading) or detector.lexicon.names_self_harm(
        reading) or detector.assess(text).urgent


def _people(text: str) -> set[str]:
    """The people a text names, by the last word of each ("my dad", "the guy": dad, guy)."""
    words = tokens(text)
    return {words[span.stop - 1] for span in people_named(words)}


def _risky(alarm_text: str, detector: Detector) -> list[str]:
    """The sentences of the alarm's message read as an emergency alone, or all of them.

    All when none is alone: a wish to join someone needs the death, told in another.
    """
    told = sentences(alarm_text)
    return [sentence for sentence in told if detector.assess(sentence).urgent] or told


def tells_a_recent_time(text: str, today: date | None = None) -> bool:
    """Whether the text puts something less than a week before today ("an hour ago")."""
    return _recent(_time_told(text, today))


def _time_told(text: str, today: date | None) -> Weeks:
    """How long ago the text puts something, if it says ("years ago" is unknown, not None)."""
    return weeks_since(text, today or date.today(), _recent_vocabulary())


def _recent(weeks: Weeks) -> bool:
    return isinstance(weeks, float) and weeks < RECENT_WEEKS


@cache
def _recent_vocabulary() -> Vocabulary:
    """The durations vocabulary with the hours and minutes of `recent_times.yml`."""
    base = load_vocabulary()
    extra = yaml.safe_load(RECENT_TIMES.read_text(encoding="utf-8"))
    return {**base, **{key: {**base[key], **extra[key]} for key in extra}}


class AlarmAnswer(StrEnum):
    """What a reply does to the alarm it answers."""

    CONFIRMS = "confirms"  # "no im not kidding": a yes, the advice again
    STANDS = "stands"  # not a no: the alarm is kept, the question asked once more
    CLEARS = "clears"  # a no: the assistant apologises or thanks, and goes on
    SOMEONE_ELSE = "someone_else"  # "its not me its him": 911 for them; the writer's clears
    SOMEONE_ELSE_TOO = "someone_else_too"  # read as a yes as well: 911 for them, the writer's
    # alarm stands and is asked about again

    @property
    def clears(self) -> bool:
        """Whether the writer's alarm is cleared, with or without advice for another."""
        return self in (AlarmAnswer.CLEARS, AlarmAnswer.SOMEONE_ELSE)


READERS = {Kind.MEDICAL: (MEDICAL_CHECK, SAFETY_QUESTION),
           Kind.SELF_HARM: (SELF_HARM_CHECK, None)}
"""Per alarm kind: the answer reader for its replies, and the question the detector reads
them with."""


DOUBT = 0.9
"""How sure the reader of answers to "is this happening now?" must be that a reply is a
doubt: "creo que sí" (0.59), "i guess so" (0.60) and "yes i dont know what to do" (0.87)
are read as unsure too, and they are yeses."""


def doubts_the_sign(text: str, kind: Kind, answers: AnswerModel, detector: Detector) -> bool:
    """Whether a reply to a medical alarm only says the patient does not know ("idk").

    The NLU may take it for a yes ("idk" read as `affirm`), which would give the whole
    advice again at each such reply (a hand probe, stop 57: three times). It is read as
    the reply it is, which leaves the alarm standing and asks once more, then gives a
    person to call. Only a sure doubt with no yes in it counts, and not one that insists
    ("idk, im not kidding"): that confirms the alarm. After a suicide alarm a doubt is no
    doubt: it confirms the alarm.
    """
    if kind is not Kind.MEDICAL or insists(text):
        return False
    answer, probability = answers.weigh(READERS[kind][0], text)
    words = detector.lexicon.scope.canon.rewrite(tokens(text))
    affirmations = detector.lexicon.scope.affirmations
    return answer is Answer.UNSURE and probability >= DOUBT and not any(
        word in affirmations for word in words)


def declines_to_call(text: str) -> bool:
    """Whether the reply says the patient will not call or reach out ("no quiero llamar").

    A word of calling or talking that is negated in its clause ("i dont want to talk to
    anyone", "no, no quiero que nadie me llame"), or said after "won't" or "can't" there
    ("i wont call"): the emergency reader keeps those for inability ("my legs won't
    move"), which here is a no to the call all the same. Such a no answers "please call
    or text 988 now" (or 911), not whether the thoughts or the signs are there.
    """
    scope = load_lexicon().scope
    words = read(text, scope).words
    reaching = call_words() | reaching_out_words()
    declined = [word.negated or any(_cannot(earlier.text, scope.inability)
                                    for earlier in words[:at] if earlier.clause == word.clause)
                for at, word in enumerate(words) if word.text in reaching]
    return bool(declined) and all(declined)


SURE_OF_ANOTHER = 0.5
"""In the detector's band of doubt, the probability from which a reply about another person
still tells a risk of the writer's own ("not me, my brother. im tired of everything too",
0.66); below it, near the bar, the model's guess on a few words about someone else, unless
they name a sign of the body of now ("my husband is bleeding a lot though", 0.49 after the
data of stop 74)."""


def asks_to_be_called(text: str) -> bool:
    """Whether the reply asks for a call or a person ("can someone call me", "talk to a nurse").

    Said while an alarm stands with 911 named ("can i talk to a real person instead of
    988"), it is still a request for the clinic's call-back (a fresh review of stop 71).
    """
    return bool(any_of((*put_off_words("to_be_called"), *put_off_words("person_asked")))
                .search(fold(text.lower())))


def speaks_of_reaching_out(text: str) -> bool:
    """Whether the reply speaks of a call or a text at all ("ok ill call", "calling them").

    While an alarm stands, it is about the advice, not the clinic's call-back, unless it
    asks for a person (`asks_to_be_called`: a third fresh review of stop 72).
    """
    return bool(any_of(put_off_words("reaching_out") + put_off_words("calls"))
                .search(fold(text.lower())))


def puts_off_the_call(text: str) -> bool:
    """Whether the reply says the patient will call or reach out, but later.

    "ok ill text 988 later", "le marco al doctor mañana", "ill go to the er tomorrow": a
    reaching-out word, the number or a place of care, and a word of later, in one clause;
    not a call asked for ("call me tomorrow") or made ("i already called"). It answers
    "please call now" with a "not now": the alarm does not wait for it (a blind hand
    trial of stop 59 got a canned "I don't diagnose" to it).
    """
    said = fold(text.lower())
    later, reach, called, done, now, past = (any_of(put_off_words(key)) for key in (
        "put_off", "reach_later", "to_be_called", "no_put_off", "calling_now", "told_of_the_past"))
    clauses = re.split(r"[,.;!?\n]|\b(?:but|pero|and|y|then)\b", said)
    if past.search(said) or any(reach.search(c) and now.search(c) for c in clauses):
        return False  # "ok calling now, talk later"
    return any(reach.search(clause) and later.search(clause)
               and not (called.search(clause) or done.search(clause)) for clause in clauses)


def only_declines_the_call(
    text: str, kind: Kind, answers: AnswerModel, detector: Detector, alarm_text: str = ""
) -> bool:
    """Whether a reply to an alarm turns the call down and says nothing that clears it.

    "i dont want to call anyone" answers "please call now", not whether the sign or the
    thoughts are there: the alarm stands. "no, i dont need to call anyone, that was years
    ago" also tells why: what it says besides the call is read as the reply it is (a
    fresh review of stop 57: the alarm was held for good).
    """
    if not declines_to_call(text):
        return False
    rest = ", ".join(part for part in re.split(r"[,.;!?\n]", text)
                     if part.strip() and not declines_to_call(part))
    return not rest or read_alarm_answer(rest, kind, answers, detector,
                                         alarm_text=alarm_text) is not AlarmAnswer.CLEARS


def another_at_risk(text: str, detector: Detector) -> Kind | None:
    """The danger a reply tells of another person beside the writer's own, if it tells one.

    "my dad is the one with the chest pain right now. and honestly my chest is tight too":
    the writer's alarm stands, and the father needs 911 as well. A part of the reply (a
    sentence, or what follows a clause's start in it) that opens by telling of a person, has
    no word of the writer's besides the person's name, and that the detector reads as an
    emergency alone, tells it; not "my wife made me text, i cant feel my legs", "my kids
    would be better off without me" (the writer's own), "yes. dont tell my wife" (named in
    passing) nor "wife says face is drooping" (what she says of the writer); nor any part of
    a reply that answers "me". The parts run from each clause to the end of its sentence
    ("not sure, and my dad fell and hit his head and wont wake up"), and each clause alone.
    An unsure reading gets the medical advice for them, whatever its kind ("más o menos y mi
    esposa se desmayó y no respira" had read as self-harm at 0.55: a fresh review, stop 63);
    either says 911. A frozen judge of replies naming other people (stop 63) had the other
    person's advice left out in 50 of 53 replies where both were at risk.
    """
    if answers_me(text):
        return None  # "its me!! my coworker just left, i still cant pee"
    parts = (part.strip().rstrip(".!?…") for sentence in sentences(text)
             for part in (*tails(sentence), *clauses(sentence)))
    for part in dict.fromkeys(parts):
        if tells_of_a_person_first(part) and not (
                says_a_word_of_oneself(part) or tells_hearsay_of_oneself(part)):
            verdict = detector.assess(part)
            lexicon = detector.lexicon
            if verdict.urgent and (verdict.sure or verdict.phrase
                                   or verdict.probability >= SURE_OF_ANOTHER
                                   or lexicon.names_a_sign(read(part, lexicon.scope))):
                return verdict.kind if verdict.sure else Kind.MEDICAL
    return None


def _cannot(word: str, inability: frozenset[str]) -> bool:
    """"won't", "can't", "unable": not "can" or "could" ("can someone call me")."""
    return word in inability and (word.endswith(("n't", "nt")) or word in {"cannot", "unable"})


@cache
def _yes_no_words() -> frozenset[str]:
    """The lexicon's words of yes and no: a reply that opens with one answers."""
    scope = load_lexicon().scope
    return frozenset(scope.affirmations | scope.negation)


def read_alarm_answer(
    text: str, kind: Kind, answers: AnswerModel, detector: Detector,
    sure_no: Mapping[Kind, float] = SURE_NO, today: date | None = None, alarm_text: str = "",
) -> AlarmAnswer:
    """What `text`, a reply to an alarm of `kind`, does to it (`sure_no`: the bars to clear).

    A yes to the suicide question ("maybe. some nights", "not right now") confirms the
    alarm: it is thanked, with 988, rather than asked about again with a button to say no
    (hand trial of stop 53). After a medical alarm a yes leaves it standing, asked about
    again: "Please don't wait"; and a no that tells a time in the last days ("no, that was
    an hour ago", "no, fue anoche") answers "did it start in the last few days?": it
    clears nothing unless it tells a check-up since (a fresh review of stop 53). Nor does
    a no that tells no time of its own after an alarm whose message (`alarm_text`) told
    the sign began in the last days ("both my legs went numb this morning", then "no"):
    the one-click way out stays. Nor does a no that only tells the sign has passed ("no,
    ya pasó", "not anymore"): when it began is still untold. A reply that says or names
    another person as the one the alarm was about ("its not me its him!! should i call
    911?", hand trial of stop 53; "es mi hijo") gets the advice for that person and clears
    the writer's alarm, but only when nothing in it tells a risk of the writer's own: not
    read as a yes, not an emergency to the detector, not "me". A reply that says so in so
    many words ("not me, my brother. but honestly i want to die too") but is read as a yes
    or an emergency as well ("not me, my buddy. he said he has a gun" an emergency;
    "should i call 911?" was a yes to the reader until it learnt replies that answer
    nothing, stop 62) gets the advice for that person
    and leaves the writer's alarm standing, asked about again; a reading in the detector's
    band of doubt, below `SURE_OF_ANOTHER`, is no such emergency ("no yo no, es mi
    hermano" read at its bar, once new NLU data moved the model by a hair: a fresh review
    of stop 60). One that only names another
    person as its answer counts for nothing then: "the one who noticed was my wife, my face
    is drooping" (a review with fresh eyes, stop 54). After a suicide alarm whose message
    told the risk in the writer's own words (`told_as_ones_own`), a reply about another
    person leaves the writer's alarm standing too. After an alarm whose message told it of
    another (`told_of_another`), a reply that speaks of a person ("what should i do for
    her") is about them. A reply that only asks ("is that normal?", "how long does it
    last?") clears nothing: the answer model read "is that normal?" to the suicide
    question as a sure no (a fresh review of stop 60); one it reads as a yes ("kinda?",
    "is it normal to think about it every day?") still confirms. Nor does one that takes
    the words back after a suicide alarm ("no. forget what i said about the rope"), and
    after one the detector also reads what follows a leading no alone ("no, i just want
    the pain to stop for good"). A no told with a question of the patient's own is read
    whole: weighing the words before the question alone cleared "no. what do i bring? a
    rope?" (a review with fresh eyes, stop 62), so such a no is asked about once more. A
    no that tells another person in danger (`another_at_risk`: "no that was years ago, im
    fine now. my husband is bleeding a lot though") is about them: a fresh review of stop
    63 found it cleared with an apology, and nothing said for the husband. Nor does a no
    to the suicide question that tells the writer is not well ("no im not ok", "no nothing
    helps", "no estoy bien": `tells_being_unwell`), which cleared it with an apology (a
    fresh review of stop 72).
    """
    if insists(text):
        return AlarmAnswer.CONFIRMS
    question, asked = READERS[kind]
    answer, probability = answers.weigh(question, text)
    verdict, me = detector.assess(text, asked), answers_me(text)
    rest = told_after_a_bare_no(text, detector.lexicon.scope, turned_only=False) \
        if kind is Kind.SELF_HARM and not verdict.urgent else None
    if rest:  # "no, i just want the pain to stop for good": the no answers, the rest tells
        verdict = max(verdict, detector.assess(rest), key=lambda said: said.urgent)
    urgent = verdict.urgent
    if not me and (tells_someone_else(text) or (not urgent and (
            names_someone_else(text) or (
                mentions_a_person(text) and told_of_another(alarm_text, detector))))):
        at_risk = (urgent and (verdict.sure or verdict.probability >= SURE_OF_ANOTHER)) \
            or answer is Answer.YES or shares_their_state(text) or (  # "i feel the same"
            kind is Kind.SELF_HARM and told_as_ones_own(alarm_text, detector))
        return AlarmAnswer.SOMEONE_ELSE_TOO if at_risk else AlarmAnswer.SOMEONE_ELSE
    if kind is Kind.SELF_HARM and (answer is Answer.YES or me):
        return AlarmAnswer.CONFIRMS
    checked = kind is Kind.MEDICAL and tells_a_checkup(text)
    recent = False
    if kind is Kind.MEDICAL and not checked:
        told = _time_told(text, today)
        recent = _recent(told) or (told is None and (
            tells_it_passed(text) or tells_a_recent_time(alarm_text, today)))
    taken_back = kind is Kind.SELF_HARM and (retracts(text) or tells_being_unwell(text))
    said_no = answer is Answer.NO and not (
        recent or me or taken_back or only_asks(text, _yes_no_words())) \
        and (probability >= sure_no[kind] or checked)
    if said_no and not urgent:  # "no, that was years ago. my husband is bleeding a lot tho"
        return AlarmAnswer.SOMEONE_ELSE if another_at_risk(text, detector) else AlarmAnswer.CLEARS
    return AlarmAnswer.STANDS

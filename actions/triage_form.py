"""Triage form, result and emergency: adapters over `bot.core.triage` and friends."""

from __future__ import annotations

from functools import cache
from typing import Any

import spacy
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import answer_the_faq, follow_with, latest, picks_an_answer
from actions.language import tracker_language
from bot.core import names
from bot.core.answers import Answer, load_answer_model
from bot.core.durations import hours_a_day, names_hours
from bot.core.emergency import Kind, load_detector
from bot.core.emergency.lexicon import load_lexicon
from bot.core.emergency.model import SAFETY_QUESTION
from bot.core.emergency.reply import (
    REMINDERS,
    cleared_alarm_question,
    interrupted_answer,
    times_asked,
)
from bot.core.emergency.text import is_bare_no
from bot.core.extract import (
    Reply,
    TriageReader,
    is_correction,
    quoted_answer,
    takes_back,
)
from bot.core.questions import asks_a_question, where_it_asks
from bot.core.spacy_pipeline import SPACY_DIR
from bot.core.triage import (
    SLOTS,
    Outcome,
    Rules,
    TriageRecord,
    decide,
    load_rules,
    next_question,
)
from bot.core.triage_turn import (
    MEASURED,
    action_before_the_reply,
    plan_turn,
    previous_question,
)
from bot.settings import Settings

# The form leaves these messages to the rules: interruptions always; digressions only when
# they ask something and do not answer the question (`bot.core.triage_turn`).
INTERRUPTIONS = {names.EMERGENCY, names.STOP_TRIAGE, names.ASK_WHY, names.CHANGE_LANGUAGE}
DIGRESSIONS = INTERRUPTIONS | {names.FAQ, names.BOT_CHALLENGE, names.OUT_OF_SCOPE,
                               names.REQUEST_HUMAN, names.ASK_WHICH_PROGRAM}
ASKS_WITHOUT_A_QUESTION = {names.REQUEST_HUMAN, names.ASK_WHICH_PROGRAM}  # "so which one?"
SURE_STOP = 0.9
"""The NLU's confidence from which "stop" stops the triage even when the reply also reads
as an answer: plain requests ("stop", "no more questions", "ya no quiero contestar") read
at 0.97 or more; answers that sound like giving up ("no I can't do the transfers") lower."""
ANSWERED_AFTER = frozenset({names.ACTION_TRIAGE_RESULT, names.ACTION_TRIAGE_CORRECT})
"""The actions a reply answers the last question again after, with a bare measure."""
AFTER_RESULT = {names.AFFIRM: names.ACTION_OFFER_HUMAN, names.DENY: names.UTTER_ANYTHING_ELSE,
                names.THANK: names.UTTER_THANK, names.GOODBYE: names.UTTER_GOODBYE}
"""What a plain reply to the result means: "yes, I'd like to talk it through", "no more",
thanks, goodbye. Each is read for new facts first: the NLU can take "ya my ortho said I'm
good to start exercising" for a goodbye."""


@cache
def reader() -> TriageReader:
    """The extraction helper over the project's spaCy pipeline (loaded once)."""
    return TriageReader(spacy.load(SPACY_DIR), load_answer_model(), load_detector())


@cache
def rules() -> Rules:
    """The clinic's triage rules (read once; restart the action server after edits)."""
    return load_rules(Settings.from_env().triage_rules_file)


class ValidateTriageForm(FormValidationAction):
    """Fills the triage record from free text and asks only what can change the outcome."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "validate_triage_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Just the next question, or none once the outcome is settled."""
        following = next_question(TriageRecord.from_slots(tracker.slots), rules())
        return [following] if following else []

    async def get_extraction_events(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Read the reply as an answer first, keep what else it tells (`bot.core.triage_turn`).

        Back from a cleared alarm, a reply that clears an alarm raised on the safety
        checklist, says more than a bare no and reads as a no to the checklist ("I meant
        the numbness in March, none of those now") is its answer. Otherwise the
        interrupted question is asked again (`resumed_question` words it), unless it was
        already asked twice: then the reply that raised the alarm is read as its answer
        (on the checklist, as "not sure"). A question asked twice is never asked a third
        time: a second unclear reply counts as "not sure", and so does a question of the
        patient's asked then (an FAQ is answered here, since the rules' answer would
        repeat the question). A model's alarm on the answer to the question just asked
        again, right after the patient cleared one, is taken as the answer with the number
        shown once more: alarming again would only loop (`_alarm_again`). A phrase that is
        an emergency on its own always alarms.
        """
        resumed = _action_before_form(tracker) == names.ACTION_EMERGENCY_RECOVER
        events = self._read_reply(dispatcher, tracker, resumed)
        if tracker.get_slot(names.RESUMED_QUESTION) and not resumed:
            events.append(SlotSet(names.RESUMED_QUESTION, None))
        return events

    def _read_reply(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, resumed: bool
    ) -> list[EventType]:
        said = latest(tracker)
        message, intent, text = said
        requested = tracker.get_slot("requested_slot")
        reply: Reply | None = None
        if resumed:
            interrupted = interrupted_answer(tracker.events)
            if interrupted is None:
                return []
            requested = interrupted[0]
            cleared = reader().answer(requested, text) if requested == SAFETY_QUESTION else None
            if cleared and cleared.kind is Answer.NO and not is_bare_no(text, load_lexicon().scope):
                reply, intent = cleared, None
            elif times_asked(tracker.events, requested) < 2:
                return []  # asked again, for the second time at most
            else:
                text, intent = interrupted[1], None
                if requested == SAFETY_QUESTION:
                    reply = Reply(Answer.UNSURE)
        if intent == names.EMERGENCY and _alarm_again(message, tracker, requested):
            found = message.get(names.EMERGENCY) or {}
            dispatcher.utter_message(response=REMINDERS[found.get("kind", Kind.MEDICAL.value)])
            intent = None
        if intent in INTERRUPTIONS:
            reading = _answer_after_all(message, requested, text)
            if reading is None:
                return []
            reply = reading
        if reply is not None:
            kind, value = reply
        elif requested:
            kind, value = reader().answer(
                requested, text, answered=[s for s in SLOTS if tracker.get_slot(s) is not None])
        else:
            kind, value = Answer.OTHER, None
        asked_twice = bool(requested) and times_asked(tracker.events, requested) >= 2
        asks = intent in DIGRESSIONS and (
            asks_a_question(text) or intent in ASKS_WITHOUT_A_QUESTION)
        heard = False
        if asks and asked_twice and intent != names.REQUEST_HUMAN and kind is Answer.OTHER:
            if intent == names.FAQ:
                answer_the_faq(dispatcher, message)  # here: asking it a third time would loop
                heard = True
            asks = False
        told = reader().read(text)
        if requested is None and _nothing_answered(tracker):
            told = {**reader().told_before(_earlier_messages(tracker)), **told}
        turn = plan_turn(
            requested, kind, value, told,
            requested if asked_twice else tracker.get_slot(names.TRIAGE_UNCLEAR),
            tracker.get_slot(names.TRIAGE_UNSURE) or (), rules(),
            asks_something=asks,
            corrected=_corrected(tracker, requested, text),
            taken_back=takes_back(text) and not asked_twice,
            answered=[slot for slot in SLOTS if tracker.get_slot(slot) is not None
                      and slot not in (tracker.get_slot(names.TRIAGE_UNSURE) or ())],
        )
        if turn.digression:
            return []
        if not (heard or resumed) and said.asks_beside and picks_an_answer(message):
            answer_the_faq(dispatcher, message)  # answered, then asked: "…. does comp pay?"
        for response in turn.say:
            dispatcher.utter_message(response=response)
        return [
            *(SlotSet(slot, v) for slot, v in turn.values.items()),
            SlotSet(names.TRIAGE_UNCLEAR, turn.unclear),
            SlotSet(names.TRIAGE_UNSURE, list(turn.unsure)),
        ]

    async def get_validation_events(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Keep every fact read from the message, not only the next question's answer.

        The values were checked while reading them, so there is nothing more to validate.
        """
        kept = (*SLOTS, names.TRIAGE_UNCLEAR, names.TRIAGE_UNSURE, names.RESUMED_QUESTION)
        return [SlotSet(k, v) for k, v in tracker.slots_to_validate().items() if k in kept]


class ActionTriageResult(Action):
    """Says which path fits and why, and records it in `recommended_program`."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return names.ACTION_TRIAGE_RESULT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Decide from the slots and explain the decision."""
        language = tracker_language(tracker)
        decision = decide(TriageRecord.from_slots(tracker.slots), rules(), language)
        if decision.outcome is Outcome.URGENT_CARE:
            return [FollowupAction(names.ACTION_EMERGENCY)]
        if decision.outcome is None:
            dispatcher.utter_message(response="utter_next_steps_other")
            return []
        for note in decision.first:
            dispatcher.utter_message(response=names.UTTER_RESULT_FIRST, note=_sentence(note))
        dispatcher.utter_message(response=names.result_response(decision.outcome.value))
        why = "".join(f"\n• {_sentence(reason)}" for reason in decision.reasons)
        notes = "".join(f"\n{_sentence(note)}" for note in decision.notes)
        dispatcher.utter_message(response=names.UTTER_WHY_SUGGESTED, reasons=f"{why}{notes}")
        programs = {Outcome.WORK_CONDITIONING, Outcome.WORK_HARDENING}
        follow_up = "utter_next_steps" if decision.outcome in programs else "utter_next_steps_other"
        dispatcher.utter_message(response=follow_up)
        return [SlotSet(names.RECOMMENDED_PROGRAM, decision.outcome.value)]


def _answer_after_all(
    message: dict[str, Any], requested: str | None, text: str
) -> Reply | None:
    """The reading of an interruption that is, read with the question asked, only an answer.

    None when it does interrupt. "Nothing lined up, don't know what I want to do" to "is
    there a job to go back to?": the form reads it as an answer and no alarm is raised;
    sure alarms always stand. A measure given to a question that asks for one ("since last
    winter") is its answer, whatever intent the NLU gives it ("stop", "goodbye"); so is a
    yes, a no or a "not sure" that the NLU only half takes for "stop" ("no I can't do the
    transfers", "I honestly don't remember", below `SURE_STOP`), except on the safety
    checklist, where a stop is never taken for a "none of these". There, a yes stands
    whatever the NLU takes the reply for ("yes, why do you ask?" is not only a question):
    a red flag is never dropped for a digression. The reading is returned so that the
    form does not read the same reply twice.
    """
    intent = message.get("intent") or {}
    if requested is None:
        return None
    if intent.get("name") != names.EMERGENCY:
        if requested == SAFETY_QUESTION:
            reading = reader().answer(requested, text)
            return reading if reading.kind is Answer.YES else None
        unsure_stop = (intent.get("name") == names.STOP_TRIAGE
                       and float(intent.get("confidence", 1.0)) < SURE_STOP)
        if not (requested in MEASURED or unsure_stop):
            return None
        reading = reader().answer(requested, text)  # "2 hours" is a no to "4 hours or more?"
        kinds = (Answer.YES, Answer.NO, Answer.UNSURE) if unsure_stop else (Answer.YES, Answer.NO)
        return reading if reading.kind in kinds else None
    found = message.get(names.EMERGENCY) or {}
    if not found or found.get("sure") or requested == SAFETY_QUESTION:
        return None
    if load_detector().assess(text, requested).urgent:
        return None
    return reader().answer(requested, text)


def _nothing_answered(tracker: Tracker) -> bool:
    return all(tracker.get_slot(slot) is None for slot in SLOTS)


def _earlier_messages(tracker: Tracker) -> list[str]:
    """What the patient typed in this session before the latest message (not button payloads)."""
    texts: list[str] = []
    for event in tracker.events:
        if event.get("event") in {"session_started", "restart"}:
            texts = []
        elif event.get("event") == "user" and not (event.get("text") or "/").startswith("/"):
            texts.append(event["text"])
    return texts[:-1]


def _alarm_again(message: dict[str, Any], tracker: Tracker, requested: str | None) -> bool:
    """Whether an alarm repeats one the patient has just cleared, on the same question.

    Phrases that are emergencies on their own ("I can't breathe") always alarm.
    """
    found = message.get(names.EMERGENCY) or {}
    return (bool(requested) and not found.get("certain")
            and cleared_alarm_question(tracker.events) == requested)


def _action_before_form(tracker: Tracker) -> str | None:
    """The action that ran before the form's current run (Rasa logs the form's first)."""
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    while actions and actions[-1] == names.TRIAGE_FORM:
        actions.pop()
    return actions[-1] if actions else None


def _corrected(tracker: Tracker, current: str | None, text: str) -> dict[str, Any]:
    """A new answer to the question asked before: a correction, or a late checklist answer.

    "Fever? none. Weak legs? no." sent once the next question is asked answers the safety
    checklist; the question asked is then asked again, as after a correction. A
    correction that repeats the answer on record changes nothing and asks nothing again.
    One that quotes an earlier answer corrects the question it names ("i said yes to the
    doctor thing but…"), whichever came last, and only if that one was answered. One
    that names a fact it changes ("espere, me equivoque antes, el doctor todavia no me da
    permiso", asked whether the job can be done) corrects that fact, not the question
    before: read as an answer to the question asked, it had also made the job undoable, a
    reason the patient never gave (a blind hand trial of stop 59).
    """
    previous = previous_question(tracker.events, current)
    if previous == SAFETY_QUESTION and (late := reader().checklist_reply(text)) is not None:
        return {previous: late}
    quote = quoted_answer(text)
    if quote is not None and quote.question is not None:
        if quote.question == current or tracker.get_slot(quote.question) is None:
            return {}
        previous = quote.question
    if previous is None or not is_correction(text):
        return {}
    changed = {slot: value for slot, value in reader().read(text).items()
               if slot != current and tracker.get_slot(slot) not in (None, value)}
    if changed:
        return changed
    kind, value = reader().answer(previous, text)
    changed = kind in (Answer.YES, Answer.NO) and value != tracker.get_slot(previous)
    return {previous: value} if changed else {}


class ActionTriageCorrect(Action):
    """After a result: change the answer the patient corrects, then decide again.

    Hours a day named in the correction change the hours, whichever question came last
    ("wait, i got that wrong. i can do 4 hours or more" had been asked what to change).
    Before any answer there is nothing to correct: a story read as one ("numbness in march
    but it went away… im a mover") starts the questions with what it tells, as a story
    does, and is not thanked for a change (a blind hand trial of stop 57).
    """

    def name(self) -> str:
        """Unique identifier of the action."""
        return "action_triage_correct"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Read the correction against the last question asked (and any facts it tells)."""
        if _nothing_answered(tracker):
            return [FollowupAction(names.TRIAGE_FORM)]
        text = latest(tracker).text
        changed = _changes(tracker, {**_late_measure(tracker, text), **reader().read(text),
                                     **_corrected(tracker, None, text)})
        if not changed:
            dispatcher.utter_message(response="utter_triage_what_changed")
            return []
        return _decide_again(dispatcher, tracker, changed)


class ActionAfterResult(Action):
    """A reply to the result, or to "what should I change?": never a dead end.

    Facts that differ from what the patient told before change the result, as a
    correction does ("yeah my ortho said I'm good to start exercising", or "truthfully I
    get real nervous going back near that saw", which the NLU may take for an FAQ); so
    does a new measure given to the last question, when that asked for one ("como 5
    horas" after "how many hours could you manage?"): a bare measure can mean nothing else.
    A question asked beside ("oh wait, she did clear me, how long does it last") is
    answered too, and only the words before it are read for what they change; an FAQ
    answer picked by guess (`picks_an_answer`) is not given.
    Otherwise a plain yes is taken as a wish to talk it through (the call back is offered),
    a no as "nothing more", thanks, goodbyes and a bare "ok" (or "k": it had offered the call
    back in a blind hand trial of stop 59) as themselves, and anything else (facts
    already known, a reply not understood) gets what the patient can do next.
    """

    def name(self) -> str:
        """Unique identifier of the action."""
        return "action_after_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Change the result when the reply tells something new, else offer the ways on."""
        changing = _change_the_result(dispatcher, tracker)
        if changing:
            return changing
        message, intent, text = latest(tracker)
        asks = where_it_asks(text)
        if (intent == names.FAQ or asks is not None) and picks_an_answer(message):
            answer_the_faq(dispatcher, message)
            return []
        if intent == names.AFFIRM and reader().acknowledges(text):
            return [FollowupAction(names.UTTER_ANYTHING_ELSE)]  # "k": heard, not "call me"
        return follow_with(dispatcher, AFTER_RESULT.get(intent, "utter_result_stands"))


class ActionFallback(Action):
    """A message the NLU cannot place: read for what it changes if a result stands.

    Right after the result a rule sends such a reply to `ActionAfterResult`; a turn later,
    after an FAQ answer in between, it went to the plain "could you say it another way?"
    (a hand trial of stop 62: "no. i DO have a kind of work i want to go back to"). A
    result of urgent care is left to the alarm's own rules; without a result, or when the
    reply changes nothing, the patient is asked to say it another way: the response is
    given here, as `utter_default` run as a follow-up would be followed by Rasa's own
    fallback, and the patient asked twice.
    """

    def name(self) -> str:
        """Unique identifier of the action."""
        return names.ACTION_FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Change the result when the reply tells something new, else ask to rephrase."""
        result = tracker.get_slot(names.RECOMMENDED_PROGRAM)
        if result not in (None, Outcome.URGENT_CARE.value) and tracker.active_loop_name is None:
            changing = _change_the_result(dispatcher, tracker)
            if changing:
                return changing
        dispatcher.utter_message(response=names.UTTER_DEFAULT)
        return []


def _change_the_result(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """The events that decide again when the latest reply changes a fact, else None.

    Only the words before a question asked beside are read ("oh wait, she did clear me,
    how long does it last"), and none of an FAQ about the programs.
    """
    said = latest(tracker)
    message, _, text = said
    asks = where_it_asks(text)
    if asks is not None:
        telling = text[:asks]
    else:
        telling = "" if said.asks_about_the_programs else text
    told = {**_late_measure(tracker, telling), **reader().read(telling),
            **_corrected(tracker, None, telling)} if telling else {}
    changed = _changes(tracker, told)
    if not changed:
        return None
    return _decide_again(dispatcher, tracker, changed, message if asks is not None else None)


def _late_measure(tracker: Tracker, text: str) -> dict[str, Any]:
    """The reply read as a new answer to the last question, if that asked for a measure.

    Hours a day answer the hours question whichever was asked last: "i can do 4 hours
    or more a day" after "how long ago were you injured?" tells no date. A bare measure
    answers the last question only as the reply to the result (or to "what should I
    change?"): "ok got one", after the referral answer that followed a result, had
    changed the hours to one a day (fresh reviews, stop 63).
    """
    asked = previous_question(tracker.events, None)
    replies_to_it = action_before_the_reply(tracker.events) in ANSWERED_AFTER
    told_hours = hours_a_day(text) is not None and (names_hours(text) or (
        asked == names.TOLERATES_4_HOURS and replies_to_it))  # not "ok got one"
    if not (told_hours or replies_to_it):
        return {}  # a bare measure a turn later may answer anything: "my appt is at 2"
    last = names.TOLERATES_4_HOURS if told_hours else asked
    if last not in MEASURED:
        return {}
    if last == names.TOLERATES_4_HOURS and not told_hours:
        return {}  # a plain "no" to "anything else?" is no measure
    kind, value = reader().answer(last, text)
    return {last: value} if kind in (Answer.YES, Answer.NO) else {}


def _changes(tracker: Tracker, facts: dict[str, Any]) -> dict[str, Any]:
    """The facts that differ from the conversation's record."""
    return {slot: value for slot, value in facts.items() if tracker.get_slot(slot) != value}


def _decide_again(
    dispatcher: CollectingDispatcher, tracker: Tracker, changed: dict[str, Any],
    asking: dict[str, Any] | None = None,
) -> list[EventType]:
    """Record the changed answers, then give the result again or ask what it now needs.

    The FAQ asked beside the change (`asking`: the message that asks it) is answered on
    the way.
    """
    dispatcher.utter_message(response="utter_triage_corrected")
    if asking is not None and picks_an_answer(asking):
        answer_the_faq(dispatcher, asking)
    slots = {**tracker.slots, **changed}
    settled = decide(TriageRecord.from_slots(slots), rules()).outcome is not None
    return [
        *(SlotSet(slot, value) for slot, value in changed.items()),
        SlotSet(names.RECOMMENDED_PROGRAM, None),
        FollowupAction(names.ACTION_TRIAGE_RESULT if settled else names.TRIAGE_FORM),
    ]


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


class ActionExplainQuestion(Action):
    """Answers "why do you ask?" for the question being asked."""

    def name(self) -> str:
        """Unique identifier of the action."""
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Explain the requested slot, or the purpose of the questions in general."""
        requested = tracker.get_slot("requested_slot")
        dispatcher.utter_message(
            response=names.why_response(requested if requested in SLOTS else names.RED_FLAGS)
        )
        return []

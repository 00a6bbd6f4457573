"""Emergency advice, and undoing a false alarm: adapters over `bot.core.emergency`."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import answer_the_faq, follow_with, latest, picks_an_answer
from bot.core import names
from bot.core.alarm_answers import (
    AlarmAnswer,
    another_at_risk,
    doubts_the_sign,
    only_declines_the_call,
    puts_off_the_call,
    read_alarm_answer,
    tells_help_has_them,
    told_of_another,
)
from bot.core.answers import load_answer_model
from bot.core.dismissals import dismisses, tells_a_checkup
from bot.core.emergency import Kind, load_detector
from bot.core.emergency.reply import (
    ANSWERED_SELF_HARM,
    DECLINED,
    HEARD_SELF_HARM,
    HELP_WITH_THEM,
    LINE_988,
    PUT_OFF,
    SOMEONE_ELSE,
    UNCLEAR_PROMPTS,
    advice,
    alarm_beneath,
    alarm_message,
    alarm_prompt,
    answers_the_alarm,
    answers_the_check,
    before_alarm,
    check_asked,
    clearing_reply,
    help_called_since_alarm,
    interrupted_answer,
    interrupted_loop,
    last_said,
    next_alarm_prompt,
    refuses_the_call,
    reminder_after_an_answer,
    replies_unclearly,
    reply_to_help_called,
    standing_alarm_answered,
    standing_alarm_reply,
    sure_advice,
)
from bot.core.help_called import acknowledges, says_help_was_called, tells_it_worsens
from bot.core.questions import asks_something
from bot.core.someone_else import asks_for_oneself
from bot.core.triage import Outcome

OTHERWISE = {names.DENY: names.UTTER_ANYTHING_ELSE, names.STOP_TRIAGE: names.UTTER_ANYTHING_ELSE,
             names.CORRECTION: names.ACTION_TRIAGE_CORRECT,
             names.DESCRIBE_SITUATION: names.TRIAGE_FORM,
             names.ASK_WHICH_PROGRAM: names.TRIAGE_FORM,
             names.OUT_OF_SCOPE: names.UTTER_OUT_OF_SCOPE, names.THANK: names.UTTER_THANK,
             names.GOODBYE: names.UTTER_GOODBYE}
"""What a reply means when it comes too long after an alarm to answer it."""

RESTORED_SLOTS = (names.RED_FLAGS, names.RECOMMENDED_PROGRAM)
RESUMED = {names.ASK_WHICH_PROGRAM: names.TRIAGE_FORM}
"""What the message that raised a false alarm outside a form asked for, done once it is cleared.

Only a plain request: a symptom told alone is read as a story of the injury once the
emergency is set aside, a weak reason to start the questions unasked.
"""


class ActionEmergency(Action):
    """911 (or 988) at once, a check question when unsure; stops any questionnaire.

    Every alarm sets `recommended_program` to urgent care. It runs on an emergency in
    the message, on a "yes" to the check question, and after a triage whose safety
    answer was a red flag (then there is no verdict in the message: a medical one). An
    unclear alarm that is a reply to the standing one gets that alarm's next prompt
    (`standing_alarm_answered`). A reply taken for a yes that only says the patient does
    not know ("idk") is handed to the recovery, as the reply it is (`doubts_the_sign`), and
    so is an unclear medical reading of a reply once the check question was asked
    (`answers_the_check`), while the recovery has a prompt left to give; sent back (a yes
    that insists), or after the last prompt, it gets the advice with no question. A
    reply that also tells another person is in danger ("my dad is the one with the chest
    pain right now. and my chest is tight too") gets the advice for them first
    (`another_at_risk`): the check question had asked only about the writer. A yes or a
    sure sign right after the advice itself gets 911 again in a few words, not the same
    advice (`sure_advice`), and so does a sign told after 911 was called ("its getting
    worse"): it is happening, so no check question. A reply to an alarm that says 911 was
    called or help is on its way (after a suicide alarm: 988 reached), with no sure sign in
    it, is handed to the recovery (`says_help_was_called`); a bare "ok" or "thanks" right
    after the reply to it gets a word of care (`reply_to_help_called`). A bare thanks or a
    goodbye, handed on by the recovery, is read as an "ok" is, not answered with "You're
    welcome! Anything else about the programs?" (left open at stop 71); after a suicide
    alarm a bare thanks gets a next step, no question (`standing_alarm_reply`).
    """

    def name(self) -> str:
        """Unique identifier of the action."""
        return names.ACTION_EMERGENCY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Advise on the message's emergency, or on the one already raised."""
        found = (tracker.latest_message or {}).get(names.EMERGENCY) or {}
        standing = tracker.get_slot(names.EMERGENCY_KIND) \
            if tracker.get_slot(names.EMERGENCY_CHECK) else None
        replies = answers_the_alarm(tracker.events)
        sent_back = tracker.latest_action_name == names.ACTION_EMERGENCY_RECOVER
        text, detector = latest(tracker).text, load_detector()
        alarm_text = alarm_message(tracker.events)[1].get("text") or ""
        called = bool(standing) and help_called_since_alarm(tracker.events, Kind(standing))
        bare = acknowledges(text)
        if standing and not (found.get("sure") or sent_back) and (
                says_help_was_called(text, called, Kind(standing))
                or (standing == Kind.MEDICAL.value
                    and tells_help_has_them(text, alarm_text, detector))):
            return [FollowupAction(names.ACTION_EMERGENCY_RECOVER)]  # "ok i called them"
        if not (found or sent_back) and standing and replies and doubts_the_sign(
                text, Kind(standing), load_answer_model(), detector):
            return [FollowupAction(names.ACTION_EMERGENCY_RECOVER)]  # not a yes: a reply
        worse = standing == Kind.MEDICAL.value and called and tells_it_worsens(text) \
            and found.get("kind") != Kind.SELF_HARM.value  # "its getting worse": 911 again
        checked = answers_the_check(found, standing, replies, check_asked(tracker.events))
        if checked and not (sent_back or worse) and next_alarm_prompt(
                Kind.MEDICAL, alarm_prompt(tracker.events)):  # a reply, with a prompt left
            return [FollowupAction(names.ACTION_EMERGENCY_RECOVER)]
        answered = standing_alarm_answered(found, standing, replies)
        if worse:  # told to call again if it gets worse: 911 again, whatever else it reads as
            kind, responses = Kind.MEDICAL, sure_advice(Kind.MEDICAL, tracker.events)
        elif answered:
            kind = answered
            thanked = sent_back and bare \
                and latest(tracker).intent in (names.THANK, names.GOODBYE)
            responses = (() if found else reply_to_help_called(  # "ok", after "i called 988"
                kind, tracker.events, False, bare,
            )) or standing_alarm_reply(kind, tracker.events, found, thanked, thanked and (
                told_of_another(alarm_text, detector)))
        elif found:
            kind = Kind(found["kind"])
            sure = bool(found["sure"]) or replies_unclearly(  # never a second question
                found, standing, replies)
            responses = sure_advice(kind, tracker.events) if sure else advice(kind, False)
        else:
            kind = Kind(tracker.get_slot(names.EMERGENCY_KIND) or Kind.MEDICAL)
            responses = reply_to_help_called(kind, tracker.events, False, bare) \
                or sure_advice(kind, tracker.events)
        other = another_at_risk(text, detector) if standing and replies else None
        if other is not None:  # the check question asked of the writer; told of another too
            dispatcher.utter_message(response=SOMEONE_ELSE[other.value])
        for response in responses:
            dispatcher.utter_message(response=response)
        return [
            SlotSet("red_flags", True),
            SlotSet(names.RECOMMENDED_PROGRAM, Outcome.URGENT_CARE.value),
            SlotSet(names.EMERGENCY_KIND, kind.value),
            SlotSet(names.EMERGENCY_CHECK, True),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
        ]


class ActionEmergencyRecover(Action):
    """A reply to an alarm: clear it when the patient says no, ask again when unclear.

    Runs on a "no", a "never mind", a correction, a story, a reply the NLU could not place
    or took for an FAQ while an alarm stands. A question about the programs, in words of
    what the FAQ answers or surely answered by it (`asks_the_faq_surely`), is answered, the
    alarm still standing and said again after the answer (`reminder_after_an_answer`: "its
    probably nothing lol, i just want to know about the program" got the answer alone in a
    blind hand trial of stop 59), unless the same reply clears it ("no, that was two years
    ago. how long does work hardening last?": cleared, then answered); a remark the NLU took
    for an FAQ ("kind of nervous it'll pop again"), or a question about the sign ("kinda. is
    that normal?", not about the soreness of exercise: a fresh review of stop 60), is
    weighed as a reply to the alarm. A yes told with a question ("yeah lately. do i need a
    referral") gets the answer, then the yes is heard as any yes is. A reply that reads as a
    no ("it went away in March, nothing like that now"; after a suicide alarm, a sure no to
    its own question, see `bot.core.alarm_answers`), or a click on "It started long ago, or
    it's a mistake" (whenever it comes), clears the alarm: apologise, restore what it
    changed, go back to the interrupted questions. A no that only waves the alarm away ("lol
    no im fine forget it") gets no apology for a mistake: the number again, and that what
    they said is taken seriously (`bot.core.dismissals`), while "no im not kidding" confirms
    it; after words about ending one's life, if the check question was not asked yet, it is
    asked once, directly, the alarm standing (a question beside is answered first: "lol
    relax im fine, forget i said it. parking?"); otherwise the alarm is cleared so the
    patient is not held, unless the words were taken back ("forget what i said"), which
    denies nothing. A typed "I really don't know" is not a no, whatever intent the NLU gives
    it. After a suicide alarm, a patient who asks to go on with the program questions is
    asked the direct question first if it was not asked yet, 988 said again beside it (blind
    hand trial of stop 55: the question came alone); then the questions go on, with thanks
    and 988 for later (no apology: the words were read right), since holding them in the
    advice helps no one (hand trial of stop 53); the conversation stays flagged for staff.
    An alarm that replaced one of the other kind falls back to it when cleared
    (`alarm_beneath`). A reply that does not read as a no keeps the advice standing and
    offers a one-click way out; a second such reply gets the number and a person to call;
    later ones the general answer (with 911 in it), so the patient is never stuck and never
    asked a third time; after a suicide alarm, 988 with a word of care and the number, in
    turn, never the general answer (`next_alarm_prompt`). Cleared outside a form, the
    message that raised the alarm is answered when it asked something: a question about
    which program fits starts the triage, an FAQ gets its answer, then "anything else?". A
    remark is not: read beside the symptom, its intent is a weak guess ("the program cost is
    a big worry for me. my chest…" read as asking which program fits), as during an alarm. A
    reply telling the alarm was about another person, with no risk of the writer's own in it
    ("no yo no, es mi cuñado"), gets 911 (and 988) for that person instead of an apology,
    then goes on the same way (outside a form, the "anything else?" hopes they get help
    first: the usual "Alright." is too light there); a reply that keeps the writer's alarm
    standing and tells another is in danger too ("my dad has chest pain right now, and my
    chest is tight too") gets the advice for them first (`another_at_risk`), and one that
    reads as a no and tells it is about them (`read_alarm_answer`); read as a yes as well
    ("its not me its him!! should i call 911?"), it gets the advice for that person and the
    standing alarm's next prompt. A question in such a reply ("what should i do for her",
    "¿que hago con mi hermano?") is about that person: the advice answers it, not the FAQ or
    the triage its intent names (a blind hand trial, stop 56). Inside the questions, the
    advice for them comes with a pause, not the next question: the patient goes on when
    ready, with a button or a typed answer (a blind hand trial, stop 57: "Right now, can you
    safely do the main tasks of that job" came right after 911 for a brother's stroke). A no
    to the call itself ("i dont want to call anyone", "gracias. no quiero llamar") clears
    nothing, unless the reply also says why ("that was years ago"): it gets 988 by text (or
    911 again), the alarm standing (a blind hand trial, stop 57: it had started the
    call-back questions). A reply to a medical alarm that is nothing but 911 called or help
    on its way ("ok i called them", "ya viene la ambulancia": `says_help_was_called`) is
    told it was right, and to call again if no one comes or it gets worse, not given the
    advice again nor the clinic's number (the `make run` trial of stop 70); one to a suicide
    alarm that is nothing but 988 reached ("ok i called 988") is thanked and told to keep
    talking with them, not asked the direct question again (that of stop 71), or, after an
    alarm told of another person, the advice for them (a fourth review of stop 72: a parent
    was asked about their own thoughts); a bare "ok" or "thanks" right after gets a word of
    care. The alarm stands, and the next reply is read as a reply to it; a no to it ("no",
    nobody came) clears nothing, unless it tells a check-up since. That is run as an action,
    not sent as text: the rule that ran the recovery was conditioned on the alarm it has
    just cleared, so only the rules that follow that action say what comes next (the
    fallback did), a plain "no" or "yes" to it included. A question the clearing reply asks
    itself ("no, that was last year. anyway how long is work hardening") is answered
    instead, by the FAQ the NLU picked for it: beside the "no", its intent is a weak guess
    (a correction, a request for the triage), the picked answer is not. One that asks what
    fits the writer ("ok so which one is for me", `asks_for_oneself`) starts the triage,
    after advice for another person too. After a medical alarm told of a person, a reply
    that is nothing but help that has them ("ok the ambulance took him. so which program
    would fit me": `tells_help_has_them`) clears it with a word of hope for them, then goes
    on the same way (stops 69 to 71 had "Please don't wait…" to it, read as the writer's own
    yes). Once 911 was called, a reply that says the sign grows ("worse now", "me duele
    mas": `tells_it_worsens`) gets 911 again, whether or not the detector reads it alone. A
    bare thanks or a goodbye while an alarm stands is handed on as an "ok" is; thanks or a
    goodbye that says more is weighed as any reply ("thanks but that was years ago", "nah
    that was years ago, bye" clear it).
    """

    def name(self) -> str:
        """Unique identifier of the action."""
        return names.ACTION_EMERGENCY_RECOVER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Restore what the alarm changed and resume an interrupted form, or ask again."""
        said = latest(tracker)
        message, intent, text = said
        clicked = intent == names.DENY and text.startswith("/")  # the one-click "not now"
        self_harm = tracker.get_slot(names.EMERGENCY_KIND) == Kind.SELF_HARM.value
        kind = Kind.SELF_HARM if self_harm else Kind.MEDICAL
        readers = load_answer_model(), load_detector()
        alarm_text = alarm_message(tracker.events)[1].get("text") or ""
        with_them = kind is Kind.MEDICAL and not clicked \
            and tells_help_has_them(text, alarm_text, readers[1])  # "the ambulance took him"
        answer = AlarmAnswer.CLEARS if clicked else AlarmAnswer.SOMEONE_ELSE if with_them \
            else read_alarm_answer(text, kind, *readers, alarm_text=alarm_text)
        elsewhere = answer in (AlarmAnswer.SOMEONE_ELSE, AlarmAnswer.SOMEONE_ELSE_TOO)
        other = None if elsewhere or answer is AlarmAnswer.CLEARS \
            else another_at_risk(text, readers[1])  # a clearing no was read for it already
        for_them = [SOMEONE_ELSE[other.value]] if other is not None else []
        if not (clicked or elsewhere) and only_declines_the_call(
                text, kind, *readers, alarm_text):  # a no to the call, not to the question
            for response in (*for_them, DECLINED[kind.value]):
                dispatcher.utter_message(response=response)
            return [SlotSet(names.EMERGENCY_CHECK, True)]
        called_before = help_called_since_alarm(tracker.events, kind)
        called = says_help_was_called(text, called_before, kind)
        if called and self_harm and told_of_another(alarm_text, readers[1]):
            dispatcher.utter_message(response=SOMEONE_ELSE[kind.value])  # 988 for a son
            return [SlotSet(names.EMERGENCY_CHECK, True)]
        bare = acknowledges(text)
        heard = reply_to_help_called(kind, tracker.events, called, bare) \
            if not (clicked or elsewhere) else ()
        if heard:  # the advice was followed
            for response in heard:
                dispatcher.utter_message(response=response)
            return [SlotSet(names.EMERGENCY_CHECK, True)]  # still standing
        if (intent in (names.THANK, names.GOODBYE) and bare) or (
                kind is Kind.MEDICAL and called_before and tells_it_worsens(text)):
            return [FollowupAction(names.ACTION_EMERGENCY)]  # as an "ok"; "its worse": 911
        goes_on = self_harm and not (clicked or elsewhere) and intent == names.ASK_WHICH_PROGRAM
        put_off = not (clicked or elsewhere or goes_on or answer.clears) \
            and puts_off_the_call(text) and not (  # "yes i have the pills, ill text later"
                answer is AlarmAnswer.CONFIRMS and readers[1].assess(text).urgent) \
            and last_said(tracker.events) != PUT_OFF[kind.value]  # said once in a row
        if not (answer is AlarmAnswer.CONFIRMS and not (put_off or goes_on)):
            for response in for_them:  # first; the advice alarm says it on a yes
                dispatcher.utter_message(response=response)
        if goes_on and not check_asked(tracker.events):  # asked once, directly, 988 in view
            for response in (LINE_988, advice(kind, sure=False)[-1]):
                dispatcher.utter_message(response=response)
            return [SlotSet(names.EMERGENCY_CHECK, True)]
        asks = (said.asks_beside or said.asks_the_faq_surely) and not said.asks_about_the_sign
        reminders = (PUT_OFF[kind.value],) if put_off else reminder_after_an_answer(
            kind, answer is AlarmAnswer.CONFIRMS, tracker.events)
        answered = picks_an_answer(message)
        waved_away = not (clicked or goes_on or elsewhere) and dismisses(text)
        ask_directly = waved_away and self_harm and not check_asked(tracker.events) \
            and answer is not AlarmAnswer.CONFIRMS  # "lol im fine, forget i said it. parking?"
        if not (goes_on or elsewhere or answer.clears or ask_directly) \
                and (answered or reminders) and (asks or (
                intent == names.FAQ and not answers_the_alarm(tracker.events))):
            if answered:
                answer_the_faq(dispatcher, message)  # the alarm still stands, said again
            if answer is AlarmAnswer.CONFIRMS and not put_off:
                return [FollowupAction(names.ACTION_EMERGENCY)]  # "yeah lately. do i need…"
            for response in reminders:
                dispatcher.utter_message(response=response)
            return [SlotSet(names.EMERGENCY_CHECK, True)]
        if put_off:  # "ok ill text 988 later": now, not later
            dispatcher.utter_message(response=PUT_OFF[kind.value])
            return [SlotSet(names.EMERGENCY_CHECK, True)]
        if not (clicked or goes_on) and not answers_the_alarm(tracker.events):
            return follow_with(dispatcher, OTHERWISE.get(intent, names.UTTER_DEFAULT))
        if goes_on:  # the thoughts told again on the way ("yeah sometimes. lets go on"): heard
            cleared = HEARD_SELF_HARM if answer is AlarmAnswer.CONFIRMS else ANSWERED_SELF_HARM
            answer = AlarmAnswer.CLEARS
        else:
            cleared = clearing_reply(kind, waved_away, tracker.events,
                                     checked=not clicked and tells_a_checkup(text))
            if answer is AlarmAnswer.SOMEONE_ELSE_TOO:  # 911 for him; and you?
                dispatcher.utter_message(response=SOMEONE_ELSE[kind.value])
                answer = AlarmAnswer.STANDS
            answer = AlarmAnswer.CLEARS if answer.clears else answer
            if answer is AlarmAnswer.CLEARS and not clicked and (
                    refuses_the_call(kind, tracker.events) or (
                        called_before and not elsewhere
                        and not tells_a_checkup(text))):
                answer = AlarmAnswer.STANDS
        cleared = HELP_WITH_THEM if with_them else SOMEONE_ELSE[kind.value] if elsewhere \
            else cleared
        if answer is AlarmAnswer.CONFIRMS:
            return [FollowupAction(names.ACTION_EMERGENCY)]  # with advice for another told
        if ask_directly:
            if asks and answered:
                answer_the_faq(dispatcher, message)
            for response in (cleared, advice(kind, sure=False)[-1]):
                dispatcher.utter_message(response=response)
            return [SlotSet(names.EMERGENCY_CHECK, True)]  # asked once, directly: still standing
        if answer is AlarmAnswer.STANDS:
            prompt = next_alarm_prompt(kind, alarm_prompt(tracker.events))
            dispatcher.utter_message(response=prompt or names.UTTER_DEFAULT)
            return [SlotSet(names.EMERGENCY_CHECK, True)]  # still standing: "yes" now confirms it
        beneath = alarm_beneath(tracker.events, kind)
        if beneath:  # the alarm this one replaced stands again, asked about again
            for response in (cleared, UNCLEAR_PROMPTS[beneath.value]):
                dispatcher.utter_message(response=response)
            return [SlotSet(names.EMERGENCY_KIND, beneath.value),
                    SlotSet(names.EMERGENCY_CHECK, True)]
        dispatcher.utter_message(response=cleared)
        events: list[EventType] = [
            SlotSet(slot, before_alarm(tracker.events, slot)) for slot in RESTORED_SLOTS
        ]
        events += [SlotSet(names.EMERGENCY_CHECK, False), SlotSet(names.EMERGENCY_KIND, None)]
        loop = interrupted_loop(tracker.events)
        if loop == names.TRIAGE_FORM and elsewhere and not with_them:  # they may be in danger
            return [*events, FollowupAction(names.UTTER_QUESTIONS_PAUSED_FOR_THEM)]
        if loop:
            question = interrupted_answer(tracker.events)
            resumed = [SlotSet(names.RESUMED_QUESTION, question[0])] if question else []
            return [*events, *resumed, FollowupAction(loop)]
        intent, raised = alarm_message(tracker.events)
        if goes_on:
            intent = names.ASK_WHICH_PROGRAM  # "lets go on with the questions": they start
        elif asks_for_oneself(text):  # "…ok so which one is for me", after any all-clear
            intent, raised = names.ASK_WHICH_PROGRAM, message
        elif asks_something(text) and not elsewhere:  # asked while clearing it: first
            intent = names.ASK_WHICH_PROGRAM if said.intent == names.ASK_WHICH_PROGRAM \
                else names.FAQ
            raised = message
        elif not asks_something(raised.get("text") or ""):
            intent = None  # a remark: its intent, read beside the symptom, is a weak guess
        if intent == names.FAQ:
            answer_the_faq(dispatcher, raised)
        ending = names.UTTER_ANYTHING_ELSE_FOR_THEM if elsewhere and not with_them \
            else names.UTTER_ANYTHING_ELSE
        return [*events, FollowupAction(RESUMED.get(intent, ending))]


"""What a reply to an alarm does to it (`bot.core.alarm_answers`), on the trained readers."""

from datetime import date

import pytest

from bot.core.alarm_answers import (
    AlarmAnswer,
    another_at_risk,
    declines_to_call,
    doubts_the_sign,
    only_declines_the_call,
    puts_off_the_call,
    read_alarm_answer,
    speaks_of_reaching_out,
    tells_a_recent_time,
    tells_help_has_them,
)
from bot.core.answers import ensure_answer_model, load_answer_model
from bot.core.emergency import Kind, ensure_detector, load_detector

CLEARS, STANDS, CONFIRMS = AlarmAnswer.CLEARS, AlarmAnswer.STANDS, AlarmAnswer.CONFIRMS
ELSEWHERE, ELSEWHERE_TOO = AlarmAnswer.SOMEONE_ELSE, AlarmAnswer.SOMEONE_ELSE_TOO


@pytest.fixture(scope="module")
def readers():
    ensure_answer_model()
    ensure_detector()
    return load_answer_model(), load_detector()


@pytest.mark.parametrize(("text", "expected"), [
    # a clear no
    ("no", CLEARS), ("nope", CLEARS), ("no im fine", CLEARS), ("No, I'm not", CLEARS),
    ("no, i'm not. i was just venting about my boss", CLEARS),
    ("no, para nada, estoy bien", CLEARS),
    ("no ma'am", CLEARS), ("no sir", CLEARS),  # the "no" the reading drops as a negation
    # a yes, or not a no to thoughts that come and go: thanked, with 988
    ("not right now", CONFIRMS), ("hoy no", CONFIRMS), ("yes", CONFIRMS),
    ("sometimes, at night", CONFIRMS), ("i dunno. maybe. some nights", CONFIRMS),
    ("no, im not gonna do anything today", CONFIRMS),
    # unsure: asked once more
    ("no estoy segura", STANDS),
    # a question answers nothing (a fresh review of stop 60: "is that normal?" cleared it)
    ("is that normal?", STANDS), ("es normal?", STANDS), ("what do you mean?", STANDS),
    ("kinda. is that normal?", CONFIRMS), ("kinda?", CONFIRMS),
    ("is it normal to think about it every day?", CONFIRMS),
    # a no that tells a danger of its own
    ("no, but i took all my pills an hour ago", CONFIRMS),
    # insisting: a yes
    ("no im not kidding", CONFIRMS),
    # about another person: 911 and 988 for them; read as a yes as well, the writer's
    # alarm stands; a risk of the writer's own, or "me", is the writer's yes
    ("no yo no, es mi cuñado. le hablo al 911?", ELSEWHERE),
    # a question or a name alone is no yes (stop 62: the reader learnt replies that do not
    # answer; it had read these as yeses for want of that class)
    ("its not me its him!! should i call 911?", ELSEWHERE), ("my coworker", ELSEWHERE),
    ("not me, my brother. but honestly i want to die too", ELSEWHERE_TOO),
    # a blind hand trial (stop 61): the writer's state pointed back at another's
    ("not me, my brother. i feel the same tho", ELSEWHERE_TOO),
    # a no that tells another in danger is about them (a fresh review, stop 63)
    ("no that was years ago, im fine now. my husband is bleeding a lot though", ELSEWHERE),
    ("its my dad, he said that. been feeling the same", ELSEWHERE_TOO),
    ("asking for a friend lol its me", CONFIRMS),
    ("me. not my coworker, i made that up bc i was embarrassed", CONFIRMS),
])
def test_a_reply_to_the_suicide_question(readers, text: str, expected: AlarmAnswer) -> None:
    assert read_alarm_answer(text, Kind.SELF_HARM, *readers) is expected


@pytest.mark.parametrize("text", [
    # a blind hand trial (stop 61), after an overdose amount looked up
    "no. just tired of it all. parking??", "nah just tired of everything",
    # the frozen judge of stop 62: a no that only takes the words back, a refusal
    "no. forget what i said about the rope. whats the address of the clinic",
    "Prefiero no contestar eso, señorita.", "no quiero hablar de eso", "orita no",
    "no, i just want the pain to stop for good",
    # a review with fresh eyes (stop 62): what follows a question is still the answer's
    "no. parking?? just tired of it all",
    "no. how much does it cost? i just want everything to stop",
    "no. cuanto cuesta? ya me canse de todo", "no. scratch that", "no. borra lo que dije",
    # a second fresh review: a question after the no is read with it
    "no. how long is the program? whats the point?", "no. what do i bring? a rope?",
    "no. ¿puedo llevar la cuerda?", "no. can i bring my gun to the appointment?",
    # a fresh review of stop 72: a no that tells the writer is not well
    "no im not ok", "no i'm not okay", "no nothing helps", "no, no estoy bien",
])
def test_a_reply_that_denies_nothing_keeps_a_suicide_alarm(readers, text: str) -> None:
    assert not read_alarm_answer(text, Kind.SELF_HARM, *readers).clears


@pytest.mark.parametrize("text", [
    "no. how much does it cost? still kinda numb", "no. does comp pay for it? it comes and goes",
    "no. cuanto cuesta? todavia lo siento",
])
def test_a_sign_told_after_a_question_keeps_a_medical_alarm(readers, text: str) -> None:
    assert not read_alarm_answer(text, Kind.MEDICAL, *readers).clears


@pytest.mark.parametrize("text", [
    "no, just tired of my back", "no im just tired of waiting on comp",
])
def test_a_no_with_an_ordinary_weariness_or_a_question_clears_a_suicide_alarm(
        readers, text: str) -> None:
    assert read_alarm_answer(text, Kind.SELF_HARM, *readers) is CLEARS


@pytest.mark.parametrize(("text", "expected"), [
    ("no, that was last year", CLEARS), ("nope, that was back in 2019", CLEARS),
    ("went to the er last night, no clot, just swelling from the surgery", CLEARS),
    ("yes it's happening now", STANDS), ("no im not joking", CONFIRMS),
    ("is that bad?", STANDS), ("should i be worried?", STANDS),
    # not a no to "is this happening now, or did it start in the last few days?"
    ("not right now", STANDS), ("it went away after ten minutes", STANDS),
    ("nah its probably nothing, not worth going to the er for nothing", STANDS),
    ("ya se le quitó, ahora habla bien", STANDS),
    # a no that tells a time in the last days answers "did it start in the last few days?"
    ("no, that was an hour ago", STANDS), ("no, fue anoche", STANDS),
    ("no, the doctor said it was nothing last year but its back today", STANDS),
    # a no that only tells the sign passed does not say when it began
    ("no, ya no", STANDS), ("no, ya pasó", STANDS), ("not anymore", STANDS),
    ("no its gone now", STANDS), ("no, it went away years ago", CLEARS),
    ("no, eso fue en 2019, ya pasó", CLEARS),
    # another person's sign: 911 for them; told as now, the writer's alarm stands too;
    # the writer's words left out are not that
    ("no, it was my uncle years ago", ELSEWHERE),
    ("typing for my coworker, his vision went double just now", ELSEWHERE_TOO),
    ("started tuesday. my mom thinks its nothing", STANDS),
    ("ahorita mismo, mi esposa ya va a sacar la troca", STANDS),
    # a tap of "yes" on the checklist told as a mistake (a blind hand trial, stop 56:
    # repeated in many words, it only got the 911 advice again)
    ("sorry wrong button, i meant no none of those", CLEARS), ("its a mistake", CLEARS),
    ("i told you its a mistake, i dont have any of that", CLEARS),
    ("wrong button but my legs are numb since this morning", STANDS),
])
def test_a_reply_to_the_medical_question(readers, text: str, expected: AlarmAnswer) -> None:
    """After a medical alarm, signs that passed today or are played down do not clear it."""
    assert read_alarm_answer(text, Kind.MEDICAL, *readers) is expected


@pytest.mark.parametrize(("text", "kind", "doubts"), [
    ("idk", Kind.MEDICAL, True),
    ("i dont know", Kind.MEDICAL, True),
    ("no se", Kind.MEDICAL, True),
    ("not sure", Kind.MEDICAL, True),
    ("yes", Kind.MEDICAL, False),
    ("yeah its happening", Kind.MEDICAL, False),
    ("sí", Kind.MEDICAL, False),
    # a fresh review of stop 57: yeses with a doubt in them, and a doubt that insists
    ("creo que sí", Kind.MEDICAL, False),
    ("i guess so", Kind.MEDICAL, False),
    ("yes, idk what to do", Kind.MEDICAL, False),
    ("yes i dont know what to do", Kind.MEDICAL, False),
    ("not really sure but yes", Kind.MEDICAL, False),
    ("idk, im not kidding", Kind.MEDICAL, False),
    ("idk", Kind.SELF_HARM, False),  # a doubt confirms a suicide alarm
])
def test_a_doubt_about_a_medical_alarm(readers, text: str, kind: Kind, doubts: bool) -> None:
    """Only a doubt is one: a yes the NLU reads as a yes stays a yes."""
    assert doubts_the_sign(text, kind, *readers) is doubts


@pytest.mark.parametrize(("text", "declines"), [
    ("i dont want to call anyone", True),
    ("i dont want to talk to anyone", True),
    ("im not calling 988", True),
    ("i wont call", True),               # "won't" is an inability to the emergency reader
    ("i cant call right now, im at work", True),
    ("gracias. no quiero llamar", True),
    ("no hablo ingles", False),  # a second fresh review (stop 60)
    ("no, no quiero que nadie me llame", True),
    ("no quiero hablar con nadie", True),
    ("please call me", False),
    ("can someone call me, i dont want to wait", False),  # "can", and what is denied
    ("can you text me instead", False),
    ("quiero hablar con alguien", False),
    ("no thanks", False),
    ("i dont want to die but i think about it", False),
    ("i cant talk right now, can someone call me back tomorrow", False),  # a call asked for
    # a blind hand trial (stop 57): a text turned down, a call asked for
    ("dont text me, call me please", False), ("no me escriban, llamenme", False),
])
def test_a_call_turned_down(text: str, declines: bool) -> None:
    """A no to the call itself, not to the question the alarm asked (blind trial, stop 57)."""
    assert declines_to_call(text) is declines


@pytest.mark.parametrize(("text", "later"), [
    # a blind hand trial (stop 59): "ok ill text 988 later. boots?" got a canned refusal
    ("ok ill text 988 later. boots?", True),
    ("ill call my doctor tomorrow", True),
    ("i will talk to my wife tonight", False),  # talking to someone else is no call put off
    ("le marco al doctor mañana", True),
    ("ok, le mando mensaje al 988 mas tarde", True),
    ("ok i will call 988", False),           # now
    ("i called 988 yesterday", False),       # done
    ("later i want to ask about parking", False),  # no call
    ("i cant talk right now, can someone call me back tomorrow", False),  # a call asked for
    # a fresh review (stop 60): more ways to put it off, and to ask for a call
    ("mañana le llamo al doctor", True),
    ("luego le hablo", True),
    ("ill go to the er tomorrow", True),
    ("ill see my doctor in the morning", True),
    ("the er is too far, ill wait till tomorrow", True),
    ("me pueden llamar mañana?", False),
    ("can you have someone call tomorrow", False),
    ("i already called 911 and they said come in tomorrow", False),
    # a second fresh review (stop 60): calling now, a name, "then"
    ("ok calling now, talk later", False),
    ("calling 911 now and ill text you later", False),
    ("me llamo ana y mañana tengo cita", False),
    ("llamo al medico y despues le cuento", False),
    ("ok ill go to the er after dinner", True),
    ("lo llamo en un rato", True),
    # a third fresh review (stop 60): a call back asked for, the past told, right away
    ("i want a call back tomorrow", False),
    ("quiero hablar con una persona mañana", False),
    ("that was last year, ill mention it to my doctor monday", False),
    ("llamo al 911 luego luego", False),
    ("ill give 988 a call tomorrow", True),
    ("", False),
])
def test_a_call_put_off_until_later(text: str, later: bool) -> None:
    assert puts_off_the_call(text) is later


@pytest.mark.parametrize(("text", "kind", "only"), [
    ("i dont want to call anyone", Kind.SELF_HARM, True),
    ("gracias. no quiero llamar", Kind.SELF_HARM, True),
    ("i dont want to call 911", Kind.MEDICAL, True),
    # a fresh review of stop 57: what the reply says besides the call clears the alarm
    ("no, i dont need to call anyone, that was years ago", Kind.MEDICAL, False),
    ("no, no tengo que llamar a nadie, eso fue hace años", Kind.MEDICAL, False),
    ("no", Kind.MEDICAL, False),
])
def test_a_reply_that_only_turns_the_call_down(readers, text: str, kind: Kind, only: bool):
    assert only_declines_the_call(text, kind, *readers) is only


@pytest.mark.parametrize(("text", "recent"), [
    ("no, that was an hour ago", True), ("no, that was this morning", True),
    ("no, that was 2 days ago", True), ("no, eso fue hace una hora", True),
    ("fue hace 20 minutos", True), ("no, fue esta tarde", True),
    ("no, that was 3 weeks ago", False), ("no, that was last year", False),
    ("no that was in march", False), ("no", False), ("no, that was years ago", False),
])
def test_a_time_in_the_last_days(text: str, recent: bool) -> None:
    assert tells_a_recent_time(text, date(2026, 12, 5)) is recent


@pytest.mark.parametrize(("reply", "expected"), [
    ("no", STANDS), ("nope, im fine", STANDS),  # the alarm itself said "this morning"
    ("no, that was back in 2019", CLEARS), ("no, that was years ago", CLEARS),
    ("went to the er, they said its a pinched nerve, no clot", CLEARS),
])
def test_a_bare_no_after_an_alarm_told_as_recent(readers, reply: str, expected: AlarmAnswer):
    told = "both my legs went numb this morning and i cant lift my right foot"
    assert read_alarm_answer(reply, Kind.MEDICAL, *readers, alarm_text=told) is expected


@pytest.mark.parametrize(("told", "reply", "expected"), [
    # the message spoke as the writer: the writer is asked again, with 988 for the other
    ("my wife passed away in march and i just want to go be with her",
     "no, its my sister who keeps saying that, not me", ELSEWHERE_TOO),
    ("my wife passed away and she was my everything. i just want to be with her",
     "not me, my sister", ELSEWHERE_TOO),
    ("mi papa murio el año pasado y quiero irme con el", "no yo no, solo el", ELSEWHERE_TOO),
    # it told of another: the writer's alarm clears
    ("my coworker keeps saying he wants to end it, i dont know what to do",
     "not me, my coworker", ELSEWHERE),
    ("mi hermano dice que ya no quiere vivir", "no yo no, es mi hermano", ELSEWHERE),
    ("", "not me, my brother", ELSEWHERE),
])
def test_a_reply_about_another_after_a_message_in_ones_own_words(
        readers, told: str, reply: str, expected: AlarmAnswer):
    assert read_alarm_answer(reply, Kind.SELF_HARM, *readers, alarm_text=told) is expected


@pytest.mark.parametrize(("told", "kind", "reply", "expected"), [
    # the message told of another: a reply that speaks of them gets the advice for them
    ("my girlfriend keeps saying shes a burden and looked up stuff about hanging on her phone",
     Kind.SELF_HARM, "what should i do for her", ELSEWHERE),
    ("mi hermano dice que ya se quiere matar", Kind.SELF_HARM, "que hago con mi hermano?",
     ELSEWHERE),
    ("my husband has crushing chest pain and hes sweating", Kind.MEDICAL,
     "what do i do for him", ELSEWHERE),
    # ...not when the reply tells a risk of the writer's own: the writer's alarm stands
    ("my girlfriend keeps saying shes a burden", Kind.SELF_HARM,
     "what should i do for her, honestly i want to die too", STANDS),
    # the message spoke as the writer: speaking of a person is no answer about them
    ("i feel like such a burden to my wife", Kind.SELF_HARM, "what should i do for her",
     STANDS),
    ("started tuesday, both legs numb", Kind.MEDICAL, "my mom thinks its nothing", STANDS),
])
def test_a_reply_that_speaks_of_the_person_the_alarm_told_of(
        readers, told: str, kind: Kind, reply: str, expected: AlarmAnswer):
    assert read_alarm_answer(reply, kind, *readers, alarm_text=told) is expected


@pytest.mark.parametrize(("text", "kind"), [
    # a frozen judge of replies naming others (stop 63): another person's danger beside
    ("my dad is the one with the crushing chest pain right now. and my chest is tight too",
     Kind.MEDICAL),
    ("yeah i think about it too. but my roommate just told me he has a gun and a plan tonight",
     Kind.SELF_HARM),
    ("si, y mi hermano se cayó del techo hace una hora y no se puede parar", Kind.MEDICAL),
    # the writer's own, a person named in passing, or a reply that answers "me"
    ("my wife made me text you, i cant feel my legs", None),
    ("yes. my kids would be better off without me", None),
    ("yes. please dont tell my wife", None),
    ("its me!! my buddy just left and i still cant feel my legs", None),
    # a fresh review (stop 63): what another says of the writer, told without "i"
    ("yes. wife says face is drooping on one side", None),
    ("yeah. my boss thinks its a stroke, face drooping on the left", None),
    ("yes. my roommate said goodbye and took a bottle of pills", Kind.SELF_HARM),
    # ...the person cut off from what happened to them at an "and"
    ("not sure, and my dad fell and hit his head and wont wake up", Kind.MEDICAL),
    # ...or at a "but" that opens a sentence (a fresh review, stop 63)
    ("no, that was last week. but my husband is bleeding and it wont stop", Kind.MEDICAL),
    # open at stop 73 ("bleeding a lot" read 0.48, under the bar for another's unsure
    # reading): a sign of the body of now counts under the bar since stop 74
    ("no, that was last week. but my husband is bleeding a lot", Kind.MEDICAL),
    # ...but not a few words about someone else that name no sign ("no yo no, es mi
    # hermano", stop 60)
    ("no, that was last week. but my husband is worried", None),
    # a bystander's words, found by a rule, not the model (0.08: stop 64)
    ("yes and my wife is unconscious", Kind.MEDICAL),
    ("no", None),
])
def test_another_at_risk_beside_the_writer(readers, text: str, kind: Kind | None) -> None:
    assert another_at_risk(text, readers[1]) == kind


@pytest.mark.parametrize(("text", "reaching"), [
    # a third review of stop 72: the clinic's call-back offer, while an alarm stood
    ("ok ill call", True), ("ok calling them", True), ("voy a llamar", True),
    ("ill text them", True), ("where is the clinic", False),
    ("ok", False), ("can you help me", False), ("", False),
])
def test_a_reply_that_speaks_of_reaching_out(text, reaching):
    assert speaks_of_reaching_out(text) is reaching


_DAD = "my dad just collapsed and isnt breathing right"


@pytest.mark.parametrize(("text", "alarm", "has_them"), [
    # stops 69 to 71: "Please don't wait…", read as the writer's own yes
    ("ok the ambulance took him. so which program would fit me", _DAD, True),
    ("ok the ambulance took him. which program fits me?", _DAD, True),
    ("the paramedics took her to the hospital", _DAD, True),
    ("ok thanks, the paramedics are taking him to the er", _DAD, True),
    ("se lo llevó la ambulancia", _DAD, True),
    ("ya se lo llevaron al hospital. ¿cuál programa me conviene?", _DAD, True),
    # a fresh review of stop 70: help that failed or is past; or more told beside it
    ("the ambulance took forever, hes still on the floor not moving", _DAD, False),
    ("vino la ambulancia pero se fue sin ella", _DAD, False),
    ("the ambulance took him but now my chest hurts", _DAD, False),
    ("the ambulance took him and i feel dizzy", _DAD, False),
    ("the ambulance took him?", _DAD, False), ("the ambulance took him 🙄", _DAD, False),
    ("they took him", _DAD, False),  # "they" may be anyone
    ("the ambulance took him", "my chest hurts", False),  # no person in the alarm
    # a fresh review of stop 72: the writer's own risk, another person, a sign asked about
    ("the ambulance took my dad", _DAD, True), ("the ambulance took my mom", _DAD, False),
    ("the ambulance took my dad. which program fits me",
     "my dad collapsed, i have chest pain and my arm is numb", False),
    ("the ambulance took my dad", "my dad just collapsed and my mom is having a seizure",
     False),
    ("the ambulance took him. which program fits me with chest pain?", _DAD, False),
    ("se lo llevo al hospital", _DAD, False),  # folded, maybe "I take him there"
    # stop 73: the people reader's names, not a list of this reader's own
    ("the paramedics took my roommate", "my roommate just passed out and wont wake up help",
     True),
    ("the ambulance took my roommate", _DAD, False),
    # fresh reviews of stop 73: one of many is no all-clear; "dads" may be a plural too,
    # so the alarm stands (the safe side)
    ("ok the ambulance took my coworker", "two of my coworkers passed out from the fumes, help",
     False),
    ("ok the ambulance took my dad", "my dads unconscious", False),
    # a final read of stop 72: a risk of the writer's own told in the question
    ("the ambulance took him. which program would fit me after my overdose", _DAD, False),
    ("ok the ambulance took him. so which program would fit me before i end it", _DAD, False),
])
def test_help_that_has_the_person_the_alarm_was_about(readers, text, alarm, has_them):
    assert tells_help_has_them(text, alarm, readers[1]) is has_them

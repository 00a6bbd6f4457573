"""Whether a reply to an alarm says help was called or is on its way: read narrowly."""

import pytest

from bot.core.alarm_answers import asks_to_be_called
from bot.core.emergency import Kind
from bot.core.help_called import (
    acknowledges,
    names_emergency_help,
    says_help_was_called,
    tells_it_worsens,
)


@pytest.mark.parametrize("text", [
    "ok i called them",  # the `make run` trial of stop 70: the clinic's number
    "I called 911.",
    "ive called 911 already",
    "called 911",
    "i called",
    "my wife called 911",
    "my husband already called 911",  # the `make run` trial of stop 71
    "my boss just called an ambulance",
    # the people reader's names (the `make run` trial of stop 72: "my roommate called 911"
    # got the advice again)
    "my roommate called 911",
    "my manager called 911",
    "a coworker already called 911",
    "the guy called an ambulance",
    "our neighbor called 911",
    "mi esposa me lleva al hospital",
    # a fresh review of stop 73: someone calling now, and in Spanish
    "my wife is calling 911",
    "my roommate's calling 911 now",
    "someone is calling an ambulance",
    "mi esposa llamó al 911",
    "mi compa ya llamó al 911",
    "ya llamaron al 911",
    "mi hermano está llamando al 911",
    # plurals and those whose work it is (README, still open after stop 73)
    "my coworkers called 911",
    "the guys are calling 911",
    "the nurse called 911",
    "security called an ambulance",
    "los muchachos llamaron al 911",
    "mis compañeros ya llamaron al 911",
    "la enfermera llamó al 911",
    "las enfermeras llamaron al 911",  # a fresh review
    "ok calling 911 now",
    "im calling them",
    "on the phone with 911",
    "the ambulance is on the way",
    "help is on the way",
    "theyre on their way",
    "paramedics are here",
    "my wife is driving me to the er",
    "ya llamé al 911",
    "ya llame",
    "the ambulance's on the way",
    "help's coming",
    "my wife's driving me to the er",
    "me lleva al hospital",
    "¡ya llegó la ambulancia!",
    "ok thanks i called them",
    "estoy llamando al 911",
    "ya viene la ambulancia",
    "me llevan a emergencias",
])
def test_help_called_or_on_its_way(text):
    assert says_help_was_called(text)


@pytest.mark.parametrize("text", [
    # a fresh review of stop 71: each was read so a clause at a time
    "i called 911 but they wont come",
    "ya llamé pero no vienen",
    "i called 911 and no one came",
    "i called them but it didnt go through",
    "the ambulance isnt coming",
    "the ambulance still isnt here",
    "i need help here",
    "please help im here alone",
    "theyre coming to get me",
    "they are coming to kill me",
    "ya vienen por mi",
    "i called my emergency contact",
    "i called my lawyer for help",
    "i called the number you gave me for the clinic",
    "i tried calling 911",
    "i thought about calling 911",
    "is help coming",
    "is the ambulance on the way",
    "cuando viene la ambulancia",
    "what if i called 911",
    "i called 911 and got a recording",
    "they said to wait",
    "i called 911 yesterday",
    "llamé al 911 la semana pasada",
    "yeah i called 911 lol like that helps",
    "i called them, jk",
    "im going to go to the er if it gets worse",
    "voy a ir a urgencias si empeora",
    "going to the hospital to see my mom",
    # ...and a second one: free words in a whole message, a question, an emoji
    "i called 911 and my phone died",
    "i called them off",
    "i called 911 to cancel",
    "i almost called 911",
    "i shouldve called 911",
    "theyre on their way to hurt me",
    "theyre here",
    "how long until help is here",
    "ambulance is on the way 🙄",
    "ems on the way haha",
    "paramedics arrived and left me here",
    "im at the er they discharged me",
    "estoy en urgencias y me dieron de alta",
    "omw to the er driving myself",
    "im in er a lot of pain",
    "help its coming back",
    "i need help coming down the stairs",
    "help i fell on the way to work",
    "my abuser is here help",
    "¿viene la ambulancia",
    "viene la ambulancia",
    # ...and a third: calls to anyone, driving oneself, police, questions without "?"
    "ya le hable",
    "my boss called them",
    "talking to them",
    "ok i called ya",
    "on my way to the er",
    "police are here",
    "im at the hospital",
    "la ambulancia viene",
    "ambulance coming",
    "ok ok ok ok i called them",
    # asked, denied, put off, or no call for help
    "should i call 911?",
    "i didnt call",
    "i havent called yet",
    "ill call them tomorrow",
    "llame al 911",  # the advice, said back
    "my boss called",
    "my roommate called",
    "the guy called me",
    "my wife is calling me",
    "mi esposa llamó",
    "mi esposa me llamó al trabajo",
    "llamaron a mi jefe",
    "i called my doctor",
    "the nurse said to call 911",
    "my coworkers think i should call 911",
    "los muchachos llamaron",
    "the nurses called me",
    "they called me a liar",
    "my wife is coming to pick me up",
    "yes its still happening",
    "ok",
    "",
])
def test_no_help_called_when_anything_leaves_a_doubt(text):
    assert not says_help_was_called(text)


@pytest.mark.parametrize(("text", "named"), [
    ("i called 911 and my phone died", True),
    ("the ambulance took forever", True),
    ("ya llamé a la ambulancia pero no contestan", True),
    ("texted 988", True),
    ("can someone from the clinic call me", False),
    ("i want to talk to a person", False),
    ("", False),
])
def test_emergency_help_named_in_a_reply(text, named):
    """While an alarm stands, such a reply is about the emergency, not the call-back."""
    assert names_emergency_help(text) is named


@pytest.mark.parametrize(("text", "bare"), [
    ("ok", True), ("ok thanks", True), ("gracias", True), ("ok.", True),
    ("muchas gracias", True), ("thank you so much", True), ("tysm", True),
    ("thanks again", True), ("thank you for listening", True),
    ("gracias por escucharme", True),  # a third review of stop 72
    ("yeah its worse now", False), ("ok nobody came", False), ("", False),
])
def test_a_bare_acknowledgement(text, bare):
    assert acknowledges(text) is bare


@pytest.mark.parametrize(("text", "asks"), [
    ("can i talk to a real person instead of 988", True),
    ("im waiting for the ambulance, can someone call my case manager", True),
    ("quiero hablar con una persona, no con el 911", True),
    ("el 911 dijo que no es emergencia, pueden llamarme", True),
    ("can i speak to someone instead of calling 911", True),
    ("quiero hablar con la enfermera antes de ir a urgencias", True),
    ("connect me to an agent, i already called 911", True),
    ("i called 911 and my phone died", False),
])
def test_a_request_for_a_person_beside_911(text, asks):
    """Still the clinic's call-back while an alarm stands (a fresh review of stop 71)."""
    assert asks_to_be_called(text) is asks


@pytest.mark.parametrize(("text", "told", "called"), [
    # the `make run` trial of stop 71: "please call 911 now" to help that came
    ("they're here now, thank you", True, True),
    ("ya llegaron, gracias", True, True),
    ("theyre coming", True, True),
    ("they're here now, thank you", False, False),  # "they" may be anyone
    ("theyre here to hurt me", True, False),
    ("they are here but they left", True, False),
])
def test_they_are_the_ones_called_once_help_was_called(text, told, called):
    assert says_help_was_called(text, told) is called


@pytest.mark.parametrize(("text", "reached"), [
    # the `make run` trial of stop 71: the 988 advice and the direct question again
    ("ok i called 988", True),
    ("i texted 988", True),
    ("ok im texting 988 now", True),
    ("im talking to the crisis line now", True),
    ("on the phone with 988 right now", True),
    ("I called the crisis line.", True),
    ("thanks, i just called the lifeline", True),
    ("ya llamé al 988", True),
    ("ya les escribí al 988", True),
    ("calling 988 now", True), ("ok texting 988 rn", True),  # a third review of stop 72
    ("estoy hablando con la línea de crisis", True),
    # a second review of stop 71, and calls that failed, were put off or were not to 988
    ("i called 988 and im going to do it anyway", False),
    # a fresh review of stop 72: "them" after goodbye letters, past calls, calls not answered
    ("i already texted them", False),
    ("ok i texted them", False),
    ("ive already called the hotline", False),
    ("i called 988 already", False),
    ("ive already talked to them", False),
    ("i dialed 988", False),
    ("estoy marcando al 988", False),
    ("i called 988 but nobody answered", False),
    ("i called 988 last year", False),
    ("should i call 988?", False),
    ("i didnt call 988", False),
    ("ill text them later", False),
    ("i called 911", False),
    ("i called my mom", False),
    ("i called them 🙄", False),
    ("llame al 988", False),  # the advice, said back
    ("ok", False),
    ("", False),
])
def test_the_crisis_line_reached_after_a_suicide_alarm(text, reached):
    assert says_help_was_called(text, kind=Kind.SELF_HARM) is reached
    assert says_help_was_called(text, told=True, kind=Kind.SELF_HARM) is reached


@pytest.mark.parametrize("text", ["ok i called 988", "im texting 988 now", "ya llamé al 988"])
def test_988_reached_is_no_911_called(text):
    """After a medical alarm, 988 reached is no answer to it."""
    assert not says_help_was_called(text, told=True)


@pytest.mark.parametrize(("text", "worse"), [
    # a third review of stop 72: after 911 called, each got the number and a way out
    ("worse", True), ("help its worse", True), ("hurts more now", True),
    ("me duele mas", True), ("cada vez peor", True), ("sigue empeorando", True),
    ("me duele mas y no llega la ambulancia", True), ("its getting worse", True),
    ("no its getting worse", True), ("its not better its worse", True),  # a final read
    ("if anything its worse", True), ("call again if it gets worse", False),
    ("its not worse", False), ("its not getting worse", False), ("no worse", False),
    ("nothing worse than waiting", False), ("no esta peor", False), ("i feel better", False),
    ("the paramedics are here", False), ("", False),
])
def test_a_reply_that_says_the_sign_grows(text, worse):
    assert tells_it_worsens(text) is worse

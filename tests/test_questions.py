"""Whether a patient's words ask something (`bot.core.questions`)."""

import pytest

from bot.core.questions import (
    about_the_sign,
    after_a_greeting,
    asking_clause,
    asks_a_question,
    asks_about_the_programs,
    asks_something,
    asks_what_an_faq_answers,
    only_asks,
    sentences,
    where_it_asks,
)


@pytest.mark.parametrize(
    ("text", "asks"),
    [("how long does it last?", True), ("what's an FCE", True), ("my boss is a pain", False),
     ("whats the number for the clinic", True), ("hows the first day", True),
     ("whatsapp is fine for me", False),
     ("yes", False), ("can I work while I do it", True), ("and how long is it", True),
     ("a can of paint is 10 lb", False), ("also how many days a week is it", True),
     ("also my back hurts", False), ("also when i lift i can only manage 20 lbs", False),
     # lead-ins, one after another, before a question word or a verb and its subject
     ("anyway do i need a referral for work hardening", True),
     ("ok so how many days a week", True), ("oh and is it covered by comp", True),
     ("btw can you do evening sessions", True), ("and can barely lift 10 lb", False),
     ("so do heavy lifting all day", False), ("anyway i fell off the dock", False),
     ("ok", False), ("so", False), ("so am i eligible", True), ("ok um how long is it", True),
     ("ok so does workers comp pay", True), ("so do my knees", False),
     ("ok so do the exercises twice a day, got it", False),
     ("btw when i hurt my back 6 weeks ago i was a roofer", False),
     ("ok so what i do is drive a forklift", False)],
)
def test_a_question_of_the_patients_own(text, asks):
    assert asks_a_question(text) is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [("¿qué es eso?", True), ("qué es work hardening", True), ("cuánto dura el programa", True),
     ("como 3 meses", False), ("quién sabe", False), ("sí, desde marzo", False),
     ("a qué hora empieza", True), ("de qué se trata", True), ("a mí me dijeron que sí", False),
     ("que va, me dijo que espere un mes más", False), ("que bueno que pregunta", False),
     ("que si me pagan durante el programa", True), ("y cuánto dura", True),
     ("pero cuánto cuesta", True), ("además cuánto cuesta", True),
     ("también cuál es el horario", True), ("por que me duele la espalda", False),
     ("y a qué hora empieza", True), ("bueno y cuánto dura", True), ("a", False)],
)
def test_a_question_of_the_patients_own_in_spanish(text, asks):
    assert asks_a_question(text) is asks


@pytest.mark.parametrize(
    ("text", "said"),
    [("my chest is tight. how much is it", ["my chest is tight.", "how much is it"]),
     ("my chest is tight\nhow much is it", ["my chest is tight", "how much is it"]),
     ("my chest is tight… is it covered", ["my chest is tight…", "is it covered"]),
     ("  me duele el pecho  ", ["me duele el pecho"]), ("", [""]), ("  \n ", [""]),
     ("my chest is tight\n\n\nhow much is it", ["my chest is tight", "how much is it"]),
     ("my legs give way 😰 is it covered?", ["my legs give way", "is it covered?"]),
     ("my legs give way; is it covered", ["my legs give way;", "is it covered"]),
     ("my legs give way - is it covered", ["my legs give way", "is it covered"]),
     ("my legs give way.is it covered", ["my legs give way.", "is it covered"]),
     ("my legs give way...is it covered", ["my legs give way...", "is it covered"]),
     ("it was 3.5 lb at 2.30", ["it was 3.5 lb at 2.30"]),
     ("a well-known one", ["a well-known one"])],
)
def test_a_message_is_split_into_sentences_and_lines(text, said):
    assert sentences(text) == said


@pytest.mark.parametrize(
    ("text", "asks"),
    [("my chest is tight all day. how much does the program cost", True),
     ("my chest is tight all day\nhow much does the program cost", True),
     ("my chest is tight all day… does insurance pay for it", True),
     ("me duele el pecho. cuánto dura el programa", True),
     ("how long is it? my chest is tight", True),
     # a later sentence that asks nothing about the programs, or is a remark
     ("the cost worries me. my chest has been tight all afternoon. is that normal", False),
     ("the cost worries me. when i lift my legs go numb", False),
     ("me preocupa el costo. pero cuando camino se me pasa", False),
     ("the cost worries me. my chest is tight", False),
     ("my chest is tight. could be the new gym routine. how much is the program", True),
     ("my chest is tight. could be the new gym routine", False),
     ("me duele el pecho desde la mañana", False), ("", False), ("...", False)],
)
def test_a_message_asks_something_in_any_of_its_sentences(text, asks):
    assert asks_something(text) is asks


@pytest.mark.parametrize(
    ("sentence", "programs", "faq"),
    [("how much does the program cost", True, True),
     ("how many hours a day is it?", False, True), ("who is on the staff?", False, True),
     ("do i need a referral", False, True), ("cuantas horas al dia son?", False, True),
     ("que ropa tengo que llevar?", False, True),
     ("can you help?", False, False), ("what should i do?", False, False),
     ("when can i start?", False, False), ("is that normal?", False, False),
     ("my shoulder hurts for hours after work", False, False)],
)
def test_the_nlu_reads_more_questions_as_about_the_programs_than_the_detector(
    sentence, programs, faq
):
    """The detector's list stays narrow: a sign told before these words must stay read."""
    assert asks_about_the_programs(sentence) is programs
    assert asks_what_an_faq_answers(sentence) is faq


@pytest.mark.parametrize(("text", "rest"), [
    ("hola buenas, cuánto dura el programa", "cuánto dura el programa"),
    ("Hi there!! how long is it", "how long is it"),
    ("good morning. what do i bring", "what do i bring"),
    ("hola", ""), ("hello!", ""), ("history of my back injury", ""),
    ("hey i hurt my back", "i hurt my back"), ("", ""),
])
def test_what_follows_the_greetings_that_open_a_message(text, rest):
    opened = after_a_greeting(text)
    assert (text[opened:] == rest) if rest else opened == 0


@pytest.mark.parametrize(("sentence", "at"), [
    ("how long is the program", 0),
    ("im a mover, whats the difference between hardening and conditioning", 12),
    ("soy cargador, cuanto dura el programa", 14),
    ("my back hurts, what should i do", None),  # asks which program fits: read whole
    ("i hurt my back, is that normal", None),
    ("i lift boxes, i drive a forklift", None),
    ("", None),
])
def test_where_a_sentence_starts_to_ask_what_an_faq_answers(sentence, at):
    assert asking_clause(sentence) == at


@pytest.mark.parametrize(("text", "asked"), [
    ("its probably nothing lol, how long does work conditioning last",
     "how long does work conditioning last"),
    ("kinda scared tbh. also does workers comp pay for this?",
     "also does workers comp pay for this?"),
    ("no. insurance covers it?", "insurance covers it?"),  # a later sentence may ask by its "?"
    ("no none of those, is there parking?", "is there parking?"),
    ("how many hours a day is it?", "how many hours a day is it?"),
    ("i can do 4 hours now, is that ok?", None),  # the first sentence needs a question's start
    ("4 hours?", None),
    # a fresh review (stop 60): what an FAQ answers named in the telling part asks nothing
    ("no. my therapist says im improving, right?", None),
    ("i lift 50 lb boxes. i had to miss work, is that bad?", None),
    ("no. i hurt my back lifting boxes 10 hours a day, what should i do?", None),
    ("6 weeks? is that too long?", None),
    # a second fresh review (stop 60): a question word and then its subject tells
    ("yeah, when i work 8 hours my back hurts", None),
    ("no, what my therapist said is to wait", None),
    ("yeah, which is why i missed work", None),
    ("sí, que mi doctor ya me dio la orden", None),
    ("yeah, what do i bring?", "what do i bring?"),
    # a third fresh review (stop 60): what the doctor said tells; a verb and its subject ask
    ("ok, what the doctor said yesterday was that im cleared to start the program", None),
    ("yes, do i need a referral", "do i need a referral"),
    ("how long is it?", None),  # no word of what an FAQ answers: the whole message asks
    ("yes he cleared me", None),
    ("", None),
    # while an alarm stands, only these are answered: the question names its matter
    ("whats the difference between the two", "whats the difference between the two"),
    ("no, cual es la diferencia?", "cual es la diferencia?"),
    ("kinda. is that normal?", None),
    ("will it hurt?", None),
])
def test_where_a_message_starts_to_ask_what_an_faq_answers(text, asked):
    at = where_it_asks(text)
    assert (None if at is None else text[at:]) == asked


def test_a_long_run_of_commas_is_read_in_linear_time():
    """One clause that starts like a question is weighed, not one per comma."""
    assert asking_clause("what, " * 20_000) is None



@pytest.mark.parametrize(("text", "only"), [
    ("is that normal?", True),
    ("what do you mean? why do you ask?", True),
    ("¿el workers comp todavia lo cubre si ya paso tanto tiempo?", True),
    ("kinda. is that normal?", False),
    ("no, is that normal?", False),
    ("sí, ¿por qué?", False),
    ("my legs are numb", False),
    ("", False),
])
def test_a_reply_that_only_asks_answers_nothing(text, only):
    assert only_asks(text, {"yes", "no", "si"}) is only


@pytest.mark.parametrize(("faq", "text", "about"), [
    ("faq/pain_during", "is that normal?", True),
    ("faq/diagnosis", "is that bad?", True),
    ("faq/duration", "how long will i feel like this?", True),
    ("faq/insurance", "is there medicine for this?", True),
    ("faq/duration", "how long does it last?", False),
    ("faq/get_started", "when can i start?", False),
    ("faq/duration", "cuanto dura el programa?", False),
])
def test_a_question_about_how_the_body_feels(faq, text, about):
    """While an alarm stands, these ask about the sign: no FAQ answers them."""
    assert about_the_sign(faq, text) is about

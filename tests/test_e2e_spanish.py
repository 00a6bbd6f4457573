"""End to end in Spanish: the real Rasa and action servers over REST (issue: Spanish).

What a Spanish-speaking patient meets: greetings, FAQs, the triage with its reasons, the
fallback, an emergency, switching language both ways, and replies that tell no language
("sí", "1") keeping the conversation's. Expected texts come from `locales/es.yml`, so a
translation fix never breaks a test; what is asserted is which language answers.
"""

from __future__ import annotations

import uuid

import pytest

from bot.core.clinic import load_clinic
from bot.core.language import Language, detect
from bot.core.locale import responses
from bot.settings import ROOT

pytestmark = pytest.mark.e2e  # real servers or processes (tests/conftest.py)

CLINIC = load_clinic(ROOT / "clinic.yml")
ES = responses(Language.ES)


def first_line(name: str, variation: int = -1) -> str:
    """The first line of a Spanish response (the last variation: the one without conditions)."""
    return ES[name][variation]["text"].splitlines()[0].replace("{clinic_name}", CLINIC.name)


def conversation(bot):
    sender = f"test-es-{uuid.uuid4().hex}"
    return sender, lambda text: "\n".join(m.get("text", "") for m in bot.say(text, sender))


def test_a_spanish_greeting_is_answered_in_spanish(running_bot):
    _, say = conversation(running_bot)
    assert first_line("utter_greet") in say("hola")


def test_a_question_told_beside_a_story_in_the_glossarys_words_gets_its_answer(running_bot):
    """A blind hand trial (stop 59): "orden del medico" was no word of the FAQ's, the story
    read whole as a correction, and the questions started instead. (The answer picked is
    still who the programs are for, "para entrar", not the referral: README, stop 59.)"""
    _, say = conversation(running_bot)
    said = say("el accidente de hace dos años fue horrible, el dolor era insoportable al "
               "principio, ahora ya estoy mejor pero no aguanto cargar. me lastime en el "
               "trabajo. necesito orden del medico para entrar?")
    assert said.startswith("Por lo general") and first_line("utter_ask_red_flags") not in said


@pytest.mark.parametrize(("question", "facts"), [
    ("cuanto dura el programa de work hardening?", ["4–8"]),
    ("cual es el telefono y el correo de la clinica", [CLINIC.phone, CLINIC.email]),
    ("necesito una orden del doctor para entrar al programa?", ["médico"]),
])
def test_a_spanish_question_gets_a_spanish_answer_with_the_same_facts(
        running_bot, question, facts):
    _, say = conversation(running_bot)
    said = say(question)
    assert detect(said) is Language.ES
    assert all(fact in said for fact in facts)


def test_the_triage_in_spanish_keeps_spanish_for_replies_that_tell_no_language(running_bot):
    _, say = conversation(running_bot)
    assert "¿" in say("cual programa me conviene?")  # the safety question, in Spanish
    assert first_line("utter_ask_medically_cleared") in say("no")  # "no" tells nothing
    answered = say("sí")  # "sí" neither
    assert "¿" in answered and detect(answered) is Language.ES


def test_switching_to_english_and_back_in_the_middle_of_the_triage(running_bot):
    _, say = conversation(running_bot)
    say("cual programa me conviene?")
    switched = say("english please")
    assert "I'll write in English" in switched
    assert "do you have any of these right now" in switched.lower()  # asked again, in English
    back = say("en español por favor")
    assert first_line("utter_language_changed") in back and "¿" in back


def at_a_result(bot, hours: str):
    """A Spanish triage told in one story, answered to its result; the result and `say`."""
    _, say = conversation(bot)
    say("me lastime la espalda cargando cajas de 60 libras en el almacen hace 3 meses, "
        "el doctor ya me dio permiso pero tengo miedo de volver")
    for reply in ("no, ninguna de esas", "sí, quiero volver a mi trabajo", "no", hours):
        answer = say(reply)
        if "Por qué le sugiero esto" in answer:
            break
    return answer, say


def test_a_whole_triage_in_spanish_gives_the_reasons_in_spanish(running_bot):
    answer, _ = at_a_result(running_bot, "sí, puedo hacer 4 horas")
    assert first_line("utter_result_work_hardening") in answer
    assert "Por qué le sugiero esto" in answer and "Why I suggest" not in answer


def test_a_correction_of_the_hours_after_the_result_changes_them_in_spanish(running_bot):
    """Found by a blind patient trial (stop 49): it asked what to change instead."""
    answer, say = at_a_result(running_bot, "como 2 horas nomas")
    assert "Por qué le sugiero esto" in answer
    assert first_line("utter_result_work_hardening") not in answer
    told = say("espere, me equivoque, si puedo 4 horas o mas")
    assert first_line("utter_triage_corrected") in told
    assert first_line("utter_result_work_hardening") in told


def test_a_language_the_assistant_does_not_speak_gets_the_bilingual_fallback(running_bot):
    _, say = conversation(running_bot)
    answer = say("Was ist der Unterschied zwischen den Programmen?")
    assert "Sorry, I didn't quite get that" in answer and "llame al 911" in answer


def test_french_does_not_switch_the_conversation_to_spanish(running_bot):
    """Found on a blind trial: French shares words with Spanish, and got the Spanish fallback."""
    _, say = conversation(running_bot)
    answer = say("je me suis blessé au dos au travail, quel programme?")
    assert answer.startswith("Sorry, I didn't quite get that") and "llame al 911" in answer
    assert say("what is work hardening").startswith("Work hardening")


def test_a_spanish_message_that_is_too_long_is_refused_in_spanish(running_bot):
    _, say = conversation(running_bot)
    answer = say("me duele la espalda y no se que hacer con el trabajo " * 200)
    assert first_line("utter_message_too_long") in answer


def test_a_cleared_self_harm_alarm_still_names_911_in_spanish(running_bot):
    _, say = conversation(running_bot)
    assert "988" in say("ya no le veo sentido a nada")
    cleared = say("no, nada de eso. hablaba del papeleo")
    assert first_line("utter_emergency_cleared_self_harm") in cleared
    assert "988" in cleared and "911" in cleared


def test_a_question_about_what_counts_as_an_emergency_gets_the_signs_in_spanish(running_bot):
    _, say = conversation(running_bot)
    answer = say("oiga y como se cuando algo ya es emergencia?")
    assert first_line("utter_faq/emergency_signs") in answer and "988" in answer


def test_thoughts_of_suicide_waved_away_get_988_again_not_an_apology(running_bot):
    _, say = conversation(running_bot)
    assert "988" in say("ya no le veo sentido a nada, quiero desaparecer")
    taken_back = say("no, olvídalo, era broma jaja")
    assert first_line("utter_emergency_dismissed_self_harm") in taken_back
    assert first_line("utter_emergency_cleared_self_harm") not in taken_back
    assert "988" in taken_back and "911" in taken_back
    answered = say("no, no pienso en eso")  # to the direct question asked after the joke
    assert first_line("utter_emergency_answered_self_harm") in answered
    assert first_line("utter_emergency_cleared_self_harm") not in answered


def test_a_call_turned_down_gets_988_by_text_not_the_call_back_questions(running_bot):
    """Stop 57, a blind hand trial: "gracias. no quiero llamar" asked for a phone number."""
    _, say = conversation(running_bot)
    assert "988" in say("si, a veces pienso en quitarme la vida")
    reply = say("gracias. no quiero llamar")
    assert first_line("utter_emergency_declined_self_harm") in reply
    assert "número de teléfono" not in reply


def test_the_difference_asked_for_in_few_words_gets_the_comparison(running_bot):
    """A blind hand trial (stop 59): "me explica la diferencia?" got the canned refusal."""
    _, say = conversation(running_bot)
    say("que es el work hardening?")
    assert first_line("utter_faq/difference") in say("me explica la diferencia?")


def test_a_call_put_off_until_tomorrow_is_asked_for_now(running_bot):
    _, say = conversation(running_bot)
    assert "988" in say("si, a veces pienso en quitarme la vida")
    reply = say("ok, le marco al 988 mañana")
    assert reply.startswith(first_line("utter_emergency_put_off_self_harm"))


def test_a_promise_not_to_act_gets_988_again_not_an_apology(running_bot):
    _, say = conversation(running_bot)
    assert "988" in say("ya soy una carga para mi familia, ellos estarían mejor sin mí")
    reply = say("no me voy a hacer nada, nomas estoy cansado")
    assert first_line("utter_emergency_dismissed_self_harm") in reply
    assert first_line("utter_emergency_cleared_self_harm") not in reply


def test_stroke_signs_that_passed_an_hour_ago_still_need_911(running_bot):
    """Hand trial of stop 53: "it went away" was read as a no, and the alarm cleared."""
    sender, say = conversation(running_bot)
    assert "911" in say("a mi esposo se le cayó un lado de la cara y no le salían las "
                        "palabras, fue hace una hora")
    reply = say("ya se le quitó, ahora habla bien. dice que no quiere ir al hospital, que "
                "está cansado nomás")
    assert "no espere" in reply and "911" in reply and "Perdón, le entendí mal" not in reply
    assert running_bot.tracker(f"rest:{sender}")["slots"]["emergency_check"] is True


def test_a_crisis_of_someone_else_gets_911_and_988_for_them_in_spanish(running_bot):
    sender, say = conversation(running_bot)
    assert "988" in say("mi cuñado dice que ya no quiere vivir")
    reply = say("no yo no, es mi cuñado. ¿le hablo al 911?")
    assert reply.startswith(first_line("utter_emergency_someone_else_self_harm"))
    assert "911" in reply and "988" in reply and "Perdón" not in reply
    assert running_bot.tracker(f"rest:{sender}")["slots"]["emergency_check"] is False


def test_what_to_do_for_the_person_at_risk_gets_advice_for_them_in_spanish(running_bot):
    """Blind hand trial of stop 56: "¿que hago con mi hermano?" got the answer about
    diagnoses (its intent), not help for the brother."""
    sender, say = conversation(running_bot)
    assert "988" in say("mi hermano dice que ya se quiere matar")
    reply = say("¿que hago con mi hermano?")
    assert reply.startswith(first_line("utter_emergency_someone_else_self_harm"))
    assert "988" in reply and "diagnóstico" not in reply
    assert running_bot.tracker(f"rest:{sender}")["slots"]["emergency_check"] is False


def test_a_no_that_only_tells_the_sign_passed_keeps_a_medical_alarm(running_bot):
    _, say = conversation(running_bot)
    assert "911" in say("se me durmió la mitad de la cara y el brazo izquierdo")
    reply = say("no, ya pasó")
    assert "no espere" in reply and first_line("utter_emergency_cleared") not in reply


def test_a_patient_checked_at_the_er_since_goes_on_with_the_questions(running_bot):
    _, say = conversation(running_bot)
    say("quiero saber qué programa me conviene")
    clearance = first_line("utter_ask_medically_cleared")
    assert clearance in say("no, ninguna")
    assert "911" in say("anoche sentí el pecho apretado y se me iba al brazo izquierdo")
    reply = say("ya me checaron en emergencias, era ansiedad y ya estoy bien. seguimos")
    assert clearance in reply and first_line("utter_emergency_checked") in reply


def test_a_false_alarm_outside_the_triage_is_cleared_without_the_fallback(running_bot):
    _, say = conversation(running_bot)
    alarm = say("siento el pecho muy apretado y pesado desde la tarde")
    assert "911" in alarm and detect(alarm) is Language.ES
    cleared = say("No, no me está pasando nada de eso.")
    assert first_line("utter_emergency_cleared") in cleared
    assert first_line("utter_anything_else") in cleared
    assert first_line("utter_default") not in cleared
    assert say("no").startswith("Cuídese")


def test_911_called_is_heard_in_spanish_not_answered_with_the_advice_again(running_bot):
    sender, say = conversation(running_bot)
    assert "911" in say("tengo mucha presion en el pecho desde hace rato y me falta el aire")
    reply = say("ya llamé al 911")
    assert reply.startswith(first_line("utter_emergency_called")) and "911" in reply
    assert first_line("utter_emergency_confirmed") not in reply
    assert running_bot.tracker(f"rest:{sender}")["slots"]["emergency_check"] is True
    assert say("ok") == first_line("utter_emergency_called_ok")


def test_988_reached_is_heard_in_spanish(running_bot):
    sender, say = conversation(running_bot)
    assert "988" in say("ya no quiero vivir")
    assert say("ya llamé al 988") == first_line("utter_emergency_called_self_harm")
    assert say("gracias") == first_line("utter_emergency_care_self_harm")
    assert running_bot.tracker(f"rest:{sender}")["slots"]["emergency_check"] is True

from datetime import date

import pytest

from bot.core.answers import Answer, ensure_answer_model, load_answer_model
from bot.core.emergency import ensure_detector, load_detector
from bot.core.extract import (
    Reply,
    TriageReader,
    is_correction,
    quoted_answer,
    takes_back,
)
from bot.core.spacy_pipeline import build_pipeline, load_patterns

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def reader():
    ensure_answer_model()
    ensure_detector()
    return TriageReader(build_pipeline(load_patterns()), load_answer_model(), load_detector())


def test_an_opening_story_fills_many_slots_at_once(reader):
    found = reader.read(
        "I hurt my back lifting at the warehouse 3 months ago, my doctor cleared me "
        "but I'm scared to go back",
        today=TODAY,
    )
    assert found == {
        "job_demand_level": "heavy",
        "weeks_since_injury": 13.0,
        "medically_cleared": True,
        "psychosocial_barriers": True,
        "has_job_goal": True,
    }


def test_a_denied_worry_says_nothing_about_the_job_to_go_back_to(reader):
    found = reader.read("I'm not worried about going back, my knee just isn't strong yet")
    assert "has_job_goal" not in found and "psychosocial_barriers" not in found


@pytest.mark.parametrize(
    "text",
    [
        # about the patient, not the job: only an answer about the job makes it a desk job
        "I never used to think twice about lifting, now I don't trust my back",
        # a place, not the job: a floor cleaner in office buildings
        "I strip and wax floors in office buildings at night",
    ],
)
def test_remarks_that_do_not_make_a_desk_job(reader, text):
    assert reader.read(text).get("job_demand_level") != "sedentary"


@pytest.mark.parametrize(("text", "goal"), [
    # a job offer is a job to go to (the blind trial of stop 51: read as no change)
    ("wait actually i have an offer from a moving company, i start when im ready", True),
    ("i got hired at the warehouse on 5th, start next month", True),
    ("ya me contrataron en una bodega", True),
    ("tengo una oferta de una compañía de mudanzas", True),
    ("no job offer yet, still looking", False),
])
def test_a_job_offer_is_a_job_to_go_to(reader, text, goal):
    assert reader.read(text, TODAY).get("has_job_goal") is goal


@pytest.mark.parametrize(("text", "weeks"), [
    # told to another question (the blind trial of stop 51: asked again later)
    ("about 3 months ago", 13.0), ("hace como 2 meses", 8.7),
    ("surgery was 2 weeks ago", None), ("for 3 months", None),
    ("i worked there since 2015, started 9 years ago at the plant and loved it", None),
])
def test_a_short_reply_that_only_dates_something_dates_the_injury(reader, text, weeks):
    assert reader.read(text, TODAY).get("weeks_since_injury") == weeks


def test_a_goal_is_not_an_ability(reader):
    found = reader.read("Yes, I intend to return to full duty at my station.")
    assert "meets_job_demands" not in found


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("warehouse, lifting 60-lb boxes", "heavy"),
        ("warehouse, lifting 50-lb boxes", "medium"),  # the fact sheet's limits are upper bounds
        ("I lift 60 lbs all day", "heavy"),
        ("i carry 120 pounds sometimes", "very_heavy"),
        ("boxes of 15 kg", "medium"),
        ("I'm a cashier", "light"),
        ("desk job, mostly typing", "sedentary"),
        ("I'm a firefighter", "very_heavy"),
        ("nurse aide, I help move patients", "medium"),
        ("it's pretty heavy work", "heavy"),
        ("I am a roofer climbing ladders", "heavy"),
        ("warehouse picker, boxes up to 40 lb", "medium"),
        ("I move furniture, more than 100 pounds at a time", "very_heavy"),
        ("software developer, I don't lift anything", "sedentary"),
        ("office job, nothing heavy", "sedentary"),
        ("i don't really lift at work", "sedentary"),
        ("cajera, lo mas pesado como 15 libras", "light"),
        ("what is work hardening", None),
        ("is that the same as regular physical therapy?", None),  # hand trial: not a job
        # the job named tells the level, not the place (a blind hand trial of stop 59)
        ("cashier at a warehouse store", "light"),
        ("hes a sewing machine operator at a garment factory", "light"),
        ("i drive a forklift in a warehouse", "heavy"),
        ("i work in a warehouse", "heavy"),
        # the patient's limits are not the job's level
        ("i can only lift 20 lb now", None),
        ("no, i can't lift anything heavy yet", None),
        ("construction, i can lift 80 lb on a good day", "heavy"),
        ("Duty belt is 25 lb, foot pursuits, fences", "medium"),  # a duty belt is no duty
        # a second fresh review (stop 60): "can" of the job's loads, not the patient
        ("the boxes can weigh up to 70 lb", "heavy"),
        ("depends, could be 100 lb sometimes", "heavy"),
        ("the weight limit at my job is 75 lb", "heavy"),
        ("i need to be able to lift 75 lb for my job", "heavy"),
        ("antes podia cargar 50 kilos en la obra", "very_heavy"),
        ("im a driver for a moving company", "very_heavy"),
        ("cant lift more than 10 lb right now", None),
        ("he said 20 lb max for now", None),
        # a third fresh review (stop 60): "i can" with the job's loads, "dr said"
        ("retail, i can carry 70 lb boxes off the truck", "heavy"),
        ("cajera, puedo cargar cajas de 25 kilos", "heavy"),
        ("dr said its a heavy job", "heavy"),
    ],
)
def test_job_demand_level(reader, text, level):
    assert reader.answer("job_demand_level", text).value == level


@pytest.mark.parametrize(("text", "level"), [
    # a blind hand trial of stop 59: "light exercise" made a nursing aide's job light
    ("sort of, he said light exercise", None),
    ("im on light duty at work", None),
    ("he cleared me for light work", None),
    ("i can only do light stuff right now", None),
    ("pt has me lifting 10 lbs", None),
    ("my restrictions are 15 pounds", None),
    ("no puedo cargar mas de 10 kilos", None),
    ("el doctor dice que solo ejercicio ligero", None),
    ("my job is light work", "light"),
    ("i lift 50 lb boxes all day at work", "medium"),
    # the stop 59 trial's limits in other words, told to the clearance question
    ("yes, light work only", None),
    ("si, solo trabajo ligero", None),
    ("me dio de alta para trabajo ligero", None),
    ("released to sedentary work only", None),
    ("i just started a desk job at a bank", "sedentary"),
    ("im a cashier, light work", "light"),
    ("i just do light assembly at a factory", "light"),
    ("solo hago trabajo ligero en la fabrica", "light"),
    ("my job is just desk work", "sedentary"),
])
def test_limits_told_in_passing_are_not_the_jobs_level(reader, text, level):
    assert reader.read(text).get("job_demand_level") == level


@pytest.mark.parametrize(("text", "level"), [
    ("just desk work", "sedentary"),
    ("yes, light work only", "light"),
    ("solo trabajo ligero", "light"),
])
def test_asked_about_the_job_light_work_limited_is_the_job(reader, text, level):
    assert reader.answer("job_demand_level", text) == Reply(Answer.YES, level)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # weights in pounds and kilos, in figures and in words
        ("cargo cajas de 50 libras", "medium"),
        ("sacos de 25 kilos", "heavy"),
        ("cajas de 15 kilogramos", "medium"),
        ("de 20 a 30 kilos", "heavy"),
        ("sacos de cincuenta libras", "medium"),
        ("muevo muebles, más de 100 libras", "very_heavy"),
        # light weights are light work when done standing or in a job above sedentary
        # (the fact sheet: "cashier, light assembly -> light"), sedentary when sitting
        ("cajera, lo más pesado son bolsas de 5 libras", "light"),
        ("en el almacén, cajas de 60 lbs", "heavy"),
        ("mesera, la charola llena pesa como siete kilos", "light"),
        ("acomodo cajitas de ocho libras", "sedentary"),
        ("cashier, bags of eight pounds at most", "light"),
        ("empaco fresas, las cajitas pesan ocho libras, parada todo el turno", "light"),
        ("I'm on my feet all day, boxes of 5 lb at most", "light"),
        ("hago facturas, sentada casi todo el día, cargo la laptop de cinco libras", "sedentary"),
        ("receptionist, I carry files of 3 pounds", "sedentary"),
        # "pesado" after "he" is "weighed", not "heavy": no denied lift, no level
        ("nunca lo he pesado, son cajas de muchos tamaños", None),
        # standing denied or only now and then, and lifting alone, make no standing job
        ("I'm a secretary, 5 lb files, and I can't be on my feet all day anymore", "sedentary"),
        ("trabajo en oficina, cargo carpetas de 5 libras, ya no aguanto estar de pie",
         "sedentary"),
        ("oficina, cargo carpetas de 5 libras, me pongo de pie cada hora", "sedentary"),
        # jobs and tasks named
        ("trabajo en la construcción", "heavy"),
        ("almacén", "heavy"),
        ("en el campo, en la pisca", "heavy"),
        ("trabajo en el fil con la uva", "heavy"),
        ("limpieza de casas", "medium"),
        ("empacadora de carne", "medium"),
        ("soy mecánico", "medium"),
        ("chofer de camión de reparto", "medium"),
        ("soy cajera", "light"),
        ("maestra de kínder", "light"),
        ("bombero", "very_heavy"),
        ("costurera en una fabrica de ropa", "light"),
        ("me lastime la muñeca cosiendo en la fabrica", "light"),
        # level words, denied lifting, a place that is not the job
        ("trabajo pesado", "heavy"),
        ("trabajo en una oficina, no cargo nada", "sedentary"),
        ("no cargo nada pesado, soy recepcionista", "sedentary"),
        ("limpieza de oficinas en la noche", "medium"),
        ("¿qué cuenta como pesado?", None),
    ],
)
def test_job_demand_level_in_spanish(reader, text, level):
    assert reader.answer("job_demand_level", text).value == level


@pytest.mark.parametrize(
    ("slot", "text", "reply"),
    [
        ("medically_cleared", "yes", Reply(Answer.YES, True)),
        ("medically_cleared", "nope, not yet", Reply(Answer.NO, False)),
        ("medically_cleared", "I am still in a sling", Reply(Answer.NO, False)),
        ("medically_cleared", "I'm waiting for surgery", Reply(Answer.NO, False)),
        ("medically_cleared", "I'm not sure", Reply(Answer.UNSURE)),
        # a yes that waits on something is not a clearance yet
        ("medically_cleared", "yes, as soon as the stitches come out", Reply(Answer.NO, False)),
        ("medically_cleared", "yes he cleared me once the swelling went down",
         Reply(Answer.YES, True)),
        ("medically_cleared", "yes he cleared me, if that matters", Reply(Answer.YES, True)),
        ("medically_cleared", "yeah I was cleared to exercise. I can go back to the gym if I want",
         Reply(Answer.YES, True)),
        # a blind hand trial (stop 57): an "ok" is no clearance, a denied verb is a no
        ("medically_cleared", "ok", Reply(Answer.OTHER)),
        ("medically_cleared", "he hasnt cleared me", Reply(Answer.NO, False)),
        ("medically_cleared", "ya mero, me falta una cita", Reply(Answer.NO, False)),
        ("medically_cleared", "yes; once the cast comes off", Reply(Answer.NO, False)),
        ("medically_cleared", "si ya tengo el permiso, nomas me falta entregar el papel",
         Reply(Answer.YES, True)),
        ("red_flags", "yes i read it, why?", Reply(Answer.OTHER)),
        ("red_flags", "yes, why?", Reply(Answer.YES, True)),
        ("red_flags", "si, por que?", Reply(Answer.YES, True)),
        # a question with no labelled replies of its own still reads a plain yes or no
        ("tolerates_4_hours", "no", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "yeah I could", Reply(Answer.YES, True)),
        ("red_flags", "no, none of those", Reply(Answer.NO, False)),
        ("red_flags", "i work in a warehouse, picking orders, lot of lifting boxes maybe 40 50 lbs",
         Reply(Answer.OTHER)),  # the job told: no answer to the checklist (stop 57 trial)
        ("red_flags", "it's been 3 months", Reply(Answer.OTHER)),
        ("red_flags", "no, i work in a warehouse", Reply(Answer.NO, False)),
        ("red_flags", "Yes", Reply(Answer.YES, True)),
        ("red_flags", "yeah my legs went numb this morning", Reply(Answer.YES, True)),
        ("red_flags", "I had chest pain last year, they said heartburn. nothing now",
         Reply(Answer.NO, False)),
        # the "yes" is about reading the list, and what follows takes it back: read by
        # that alone, it is a no (it was asked again while the whole reply read 0.32)
        ("red_flags", "Yes I read the list, and none of those apply to me.",
         Reply(Answer.NO, False)),
        ("red_flags", "Chest pain? no. Breathing fine. Its just my wrist",
         Reply(Answer.NO, False)),
        ("red_flags", "no, but my legs are numb", Reply(Answer.YES, True)),
        # found by the triage eval: spaced as typed, not "no , bladder", it reads as a no
        ("red_flags", "no, bladder and everything is fine and i didnt fall",
         Reply(Answer.NO, False)),
        ("red_flags", "fever? no. weak legs? yes", Reply(Answer.YES, True)),
        ("red_flags", "fever, no. weak legs, yes.", Reply(Answer.YES, True)),
        ("red_flags", "no fever, no numbness, weak legs, yes", Reply(Answer.YES, True)),
        ("red_flags", "none of those, yes.", Reply(Answer.NO, False)),  # no item ticked
        ("red_flags", "no chest pain, no fever, legs weak yes", Reply(Answer.YES, True)),
        ("red_flags", "no fever, no numbness, yes", Reply(Answer.NO, False)),  # a no confirmed
        ("red_flags", "yes, I read it and my legs are numb", Reply(Answer.YES, True)),
        ("has_job_goal", "I lost my job and I'm not looking for work", Reply(Answer.NO, False)),
        ("has_job_goal", "yeah, my old job at the warehouse", Reply(Answer.YES, True)),
        ("meets_job_demands", "no, I can't lift like I used to", Reply(Answer.NO, False)),
        ("meets_job_demands", "I'm back at full duty already", Reply(Answer.YES, True)),
        ("psychosocial_barriers",
         "honestly I'm scared it'll happen again and I can't sleep from the worry",
         Reply(Answer.YES, True)),
        ("psychosocial_barriers", "no, I'm not worried", Reply(Answer.NO, False)),
        ("weeks_since_injury", "nearly a year back", Reply(Answer.YES, 52.2)),
        ("weeks_since_injury", "I don't remember", Reply(Answer.UNSURE)),
        # fewer than 4 hours says no to the question ("less than 4 hours" is its button)
        ("tolerates_4_hours", "maybe 2 or 3 hours", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "4 hours or more", Reply(Answer.YES, True)),
        ("tolerates_4_hours", "Less than 4 hours", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "i can't do 4 hours yet", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "i guess 5?", Reply(Answer.YES, True)),  # a hedge, not a question
        ("tolerates_4_hours", "why 4 hours?", Reply(Answer.OTHER)),
        ("tolerates_4_hours", "is it 4 hours in a row or with breaks?", Reply(Answer.OTHER)),
        ("vocational_barriers", "why do you need to know that?", Reply(Answer.OTHER)),
        # hand trial: a checklist answer sent one question late answers the checklist
        ("medically_cleared", "Fever? none. Leg weakness? nope. all good", Reply(Answer.OTHER)),
        ("meets_job_demands", "not really, kneeling to stock bottom shelves kills me",
         Reply(Answer.NO, False)),
        # a second hand trial: naming the job does not say whether one can do it
        ("meets_job_demands", "loading trucks, boxes up to 70 lbs", Reply(Answer.OTHER)),
        ("meets_job_demands", "warehouse", Reply(Answer.OTHER)),
        ("has_job_goal", "warehouse", Reply(Answer.YES, True)),
        ("meets_job_demands", "yeah i can", Reply(Answer.YES, True)),
    ],
)
def test_answers_to_the_question_asked(reader, slot, text, reply):
    assert reader.answer(slot, text, TODAY) == reply


@pytest.mark.parametrize(
    ("slot", "text", "reply"),
    [
        ("medically_cleared", "sí, ya me dieron de alta", Reply(Answer.YES, True)),
        ("medically_cleared", "el doctor me dio el release", Reply(Answer.YES, True)),
        ("medically_cleared", "todavía no, me van a operar", Reply(Answer.NO, False)),
        ("medically_cleared", "ya mero, nomás me falta una cita", Reply(Answer.NO, False)),
        # a yes that waits on something is not a clearance yet
        ("medically_cleared", "sí, cuando me quiten el yeso", Reply(Answer.NO, False)),
        ("medically_cleared", "no sé, no le entendí al doctor", Reply(Answer.UNSURE)),
        ("red_flags", "no, nada de eso", Reply(Answer.NO, False)),
        ("red_flags", "sí, desde ayer no puedo controlar la orina", Reply(Answer.YES, True)),
        ("red_flags", "tengo dolor de pecho ahorita", Reply(Answer.YES, True)),
        # past and resolved: not a red flag now
        ("red_flags", "hace un año se me dormía la pierna pero ya se me quitó",
         Reply(Answer.NO, False)),
        ("red_flags", "no sé", Reply(Answer.UNSURE)),
        ("has_job_goal", "sí, quiero regresar al almacén", Reply(Answer.YES, True)),
        ("has_job_goal", "no, me corrieron", Reply(Answer.NO, False)),
        ("meets_job_demands", "no, estoy en light duty", Reply(Answer.NO, False)),
        ("meets_job_demands", "simón, ya hago todo", Reply(Answer.YES, True)),
        ("meets_job_demands", "cargo cajas de 50 libras", Reply(Answer.OTHER)),
        ("psychosocial_barriers", "sí, me da miedo lastimarme otra vez", Reply(Answer.YES, True)),
        ("psychosocial_barriers", "nel, estoy bien", Reply(Answer.NO, False)),
        ("vocational_barriers", "sí, llevo un año sin trabajar", Reply(Answer.YES, True)),
        ("vocational_barriers", "no, todo bien en el trabajo", Reply(Answer.NO, False)),
        ("weeks_since_injury", "hace como año y medio", Reply(Answer.YES, 78.3)),
        ("weeks_since_injury", "no me acuerdo", Reply(Answer.UNSURE)),
        ("weeks_since_injury", "¿para qué quiere saber?", Reply(Answer.OTHER)),
        ("tolerates_4_hours", "unas 3 horas nomás", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "sí puedo", Reply(Answer.YES, True)),
        ("tolerates_4_hours", "no creo", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "medio día sí aguanto", Reply(Answer.YES, True)),
        ("tolerates_4_hours", "menos de 4, me canso rápido", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "no creo que aguante las 4 horas", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "antes trabajaba 10 horas, ahorita como 2", Reply(Answer.NO, False)),
        ("tolerates_4_hours", "¿son 4 horas diarias?", Reply(Answer.OTHER)),
        ("tolerates_4_hours", "¿a qué hora empieza?", Reply(Answer.OTHER)),
        # a yes in doubt is "not sure" (hand trial); a yes outside the doubt stands
        ("medically_cleared", "pues no se si me dio permiso la doctora, nomas me dio la "
         "incapacidad", Reply(Answer.UNSURE)),
        ("medically_cleared", "not sure if it matters but yes he cleared me last week",
         Reply(Answer.YES, True)),
        # a checklist item named only to deny it ("fiebre? no") is a no; a symptom stated is not
        ("red_flags", "dolor de pecho no, nomás me duele la rodilla", Reply(Answer.NO, False)),
        ("red_flags", "fiebre ninguna, lo mío es el hombro", Reply(Answer.NO, False)),
        ("red_flags", "dolor de pecho no, pero se me duermen las piernas", Reply(Answer.YES, True)),
        ("red_flags", "fiebre no, dolor de pecho sí", Reply(Answer.YES, True)),
        ("red_flags", "tengo dolor de pecho, no sé qué hacer", Reply(Answer.YES, True)),
        ("red_flags", "numbness no, weakness yes", Reply(Answer.YES, True)),
    ],
)
def test_answers_in_spanish(reader, slot, text, reply):
    assert reader.answer(slot, text, TODAY) == reply


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("me lastimé la espalda en el almacén hace 3 meses, el doctor ya me dio de alta pero "
         "tengo miedo de regresar",
         {"job_demand_level": "heavy", "weeks_since_injury": 13.0, "medically_cleared": True,
          "psychosocial_barriers": True}),
        ("me corrieron después del accidente, fue en marzo",
         {"has_job_goal": False, "weeks_since_injury": 37.1}),
        ("trabajo en la construcción, me caí de un andamio hace 6 semanas y todavía traigo "
         "el yeso",
         {"job_demand_level": "heavy", "weeks_since_injury": 6.0, "medically_cleared": False}),
        ("hola, me lastimé el hombro cargando sacos de 25 kilos el 15 de julio",
         {"job_demand_level": "heavy", "weeks_since_injury": 19.7}),
        # a denied fear and a denied job say nothing
        ("no tengo miedo, nomás me duele", {}),
        # a clearance in doubt says nothing (Spanish dev conversation); a lack of one stands
        ("la neta no sé si me dio permiso, nunca le pregunté del ejercicio", {}),
        ("no estoy seguro si el doctor dijo que puedo", {}),
        ("no sé si me van a operar", {"medically_cleared": False}),
        ("no sé, creo que sí. el doctor me dio de alta", {"medically_cleared": True}),
    ],
)
def test_facts_told_in_spanish(reader, text, facts):
    assert reader.read(text, TODAY) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # hand trial (new-patient words): what a clinician said, told in passing
        ("ya my ortho said I'm good to start exercising", {"medically_cleared": True}),
        ("the physio said no lifting for another month", {"medically_cleared": False}),
        ("my doctor is on vacation", {}),
        ("not sure if he cleared me to exercise", {}),
        ("I don't know if my doctor said I can start", {}),
        # an item denied in passing never clears the whole checklist (review)
        ("Fever? none. Leg weakness? nope. all good", {}),
        ("I hurt my back at the warehouse. Numbness? no. Which program fits me?", {}),
        ("chest pain? no. weak legs? yes", {}),  # a red flag: the detector answers it
        ("is that the same as regular physical therapy?", {}),
        # the patient's own view after "but" is not what the doctor said
        ("The doc says I'm ready for the next step but I'm not strong enough yet", {}),
        ("sorry, he did clear me yesterday", {"medically_cleared": True}),
        ("no he did not clear me", {}),
    ],
)
def test_facts_told_in_passing(reader, text, facts):
    found = reader.read(text, TODAY)
    assert {k: v for k, v in found.items() if k in ("medically_cleared", "red_flags")} == facts
    if not facts and "warehouse" not in text:
        assert "job_demand_level" not in found


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        # hand trial: everyday words for an injury, not only "hurt" or "injured"
        ("tweaked my lower back 7 weeks ago", 7.0),
        ("I twisted my knee on a pallet 3 weeks ago", 3.0),
        ("threw out my back lifting a patient about 2 months ago", 8.7),
        ("pulled my shoulder 5 weeks ago stacking boxes", 5.0),
        ("slipped on the loading dock 4 weeks ago", 4.0),
        ("crushed two fingers in the press 10 weeks ago", 10.0),
        ("me doblé el tobillo en la obra hace 3 semanas", 3.0),
        ("me machuqué la mano hace 2 meses", 8.7),
        # of two times, the one with the injury counts
        ("off work 2 months, tweaked my back 3 months ago", 13.0),
        # the same verbs about something else tell no injury time (review)
        ("they cut my hours 3 weeks ago", None),
        ("got pulled from the line 2 weeks ago", None),
        ("tweaked my schedule 2 weeks ago", None),
        ("pulled a double 2 weeks ago", None),
        ("it slipped my mind 2 weeks ago", None),
        ("forklift driver 6 years, lots of twisting", None),
        ("got hit with a bill 3 weeks ago", None),
        ("crushing it at the gym since 5 weeks ago", None),
        ("me pegué un susto hace 2 semanas", None),
    ],
)
def test_the_time_of_an_injury_told_in_everyday_words(reader, text, weeks):
    assert reader.read(text, TODAY).get("weeks_since_injury") == weeks


@pytest.mark.parametrize(
    "text",
    ["just the second one, none of the rest", "the last one, nothing else",
     "nothing but the weakness", "numbness? no. weak legs? yes"],
)
def test_a_red_flag_picked_from_the_checklist_is_never_read_as_no(reader, text):
    """Found by a review: "none of the rest" or "nothing else" must not hide the pick."""
    assert reader.answer("red_flags", text, TODAY).kind is not Answer.NO


@pytest.mark.parametrize(("text", "kind"), [
    ("pues fíjese que sí", Answer.OTHER), ("fijese que si", Answer.OTHER),
    ("si pero poquito", Answer.YES),  # a leading yes that takes nothing back
])
def test_a_yes_to_the_checklist_the_red_flag_reader_misses_is_never_a_no(reader, text, kind):
    """Blind Spanish dev set: "pues fíjese que sí" was read as no, a red flag cleared."""
    assert reader.answer("red_flags", text, TODAY).kind is kind


@pytest.mark.parametrize(
    "text",
    ["yo me siento listo y ya queria empezar, hasta le dije a mi señora que ya mero, pero el "
     "doctor me dijo que todavia no",
     "I feel ready and told my wife I'm close, but the doctor said not yet"],
)
def test_the_clinicians_no_outweighs_the_patients_own_yes(reader, text):
    """Blind Spanish dev set: the patient's "ya mero" read as a clearance the doctor denied."""
    assert reader.answer("medically_cleared", text, TODAY) == Reply(Answer.NO, False)


@pytest.mark.parametrize(
    ("text", "reply"),
    [("ps cargo d todo, no se cuanto", Reply(Answer.UNSURE)),
     ("not sure, I move boxes all day", Reply(Answer.UNSURE)),
     ("not sure, maybe 40 lb boxes", Reply(Answer.YES, "medium")),
     # a job or a level named is an answer, however unsure the rest sounds
     ("no se cuanto, soy albañil", Reply(Answer.YES, "heavy")),
     ("no sé, no sé, trabajo pesado supongo", Reply(Answer.YES, "heavy"))],
)
def test_a_job_whose_weights_the_patient_does_not_know(reader, text, reply):
    """Unsure of the weights and giving none: unsure, not a level guessed from the job."""
    assert reader.answer("job_demand_level", text, TODAY) == reply


@pytest.mark.parametrize(
    ("text", "corrects"),
    [("perdón, me equivoqué", True), ("no, espere, quise decir que no", True),
     ("sí", False), ("wait, I was wrong", True)],
)
def test_a_correction(text, corrects):
    assert is_correction(text) is corrects


@pytest.mark.parametrize(
    ("text", "corrects", "taken_back"),
    [
        ("perdon le corrijo, si puedo", True, True),
        ("scratch  that, I can", True, True),
        ("I\u2019m wrong, it's no", True, True),
        ("I meant no", True, False),
        ("I meant to ask about insurance", True, False),
        ("perdón, sí tengo miedo", True, False),
        ("correction officer at the county jail", False, False),
        ("corrijo exámenes en la escuela", False, False),
        ("i said yes to the doctor thing but he hasnt cleared me", True, True),
        ("dije que no a lo de las horas pero si puedo 5", True, True),
        ("i said yes", False, False),  # no turn after it: it repeats the answer
        # everyday speech, not a quote (a review with fresh eyes, stop 59)
        ("i said no to overtime but my boss keeps asking", False, False),
        ("dije que no puedo cargar nada pero el jefe insiste", False, False),
        ("i told you no, i cant lift anything heavy but i can drive", False, False),
    ],
)
def test_an_answer_taken_back_in_so_many_words(text, corrects, taken_back):
    assert is_correction(text) is corrects
    assert takes_back(text) is taken_back


QUOTED = "actually wait, i said yes to the doctor thing but he hasnt really cleared me yet, sorry"


@pytest.mark.parametrize(
    ("text", "question", "rest"),
    [
        (QUOTED, "medically_cleared", "he hasnt really cleared me yet, sorry"),
        ("i said no to the hours one, but i can do 5 hours", "tolerates_4_hours",
         "i can do 5 hours"),
        ("dije que sí a lo del doctor pero todavía no me da permiso", "medically_cleared",
         "todavia no me da permiso"),
        ("i said no but i meant yes", None, "i meant yes"),
        # the answer itself quoted (a blind hand trial, stop 61)
        ("wait i said no job but i do have one i want to go back to", "has_job_goal",
         "i do have one i want to go back to"),
        ("i said yes to the do my job one but i cant lift yet", "meets_job_demands",
         "i cant lift yet"),  # the longest topic named
    ],
)
def test_a_quoted_answer_names_its_question_and_its_new_answer(text, question, rest):
    quote = quoted_answer(text)
    assert (quote.question, quote.rest) == (question, rest)


@pytest.mark.parametrize("text", [
    "i said no work worries but actually my boss yells at me",  # a fresh review (stop 62)
    "i said no work restrictions but actually i do have some",
    "i said yes job demands but i cant lift",
])
def test_a_quote_of_more_than_its_topic_names_no_question_unless_linked(text):
    assert quoted_answer(text) is None


@pytest.mark.parametrize("text", [
    "i said yes to the work question but actually no, nothing worries me at work",
    "dije que sí a lo del trabajo pero no, no me preocupa nada",
])
def test_work_named_as_a_question_is_not_the_job_goal(text):
    quote = quoted_answer(text)
    assert quote is None or quote.question != "has_job_goal"


def test_a_quoted_no_job_then_a_job_tells_a_job_goal(reader):
    assert reader.read("wait i said no job but i do have one i want to go back to",
                       TODAY).get("has_job_goal") is True


def test_a_quoted_answer_answers_the_question_it_names_and_tells_no_fact(reader):
    """A blind hand trial (stop 57): read whole, "i said yes to the doctor thing" was a
    clearance, and a yes to doing the job asked before it."""
    assert reader.answer("medically_cleared", QUOTED, TODAY) == Reply(Answer.NO, False)
    answered = ["red_flags", "medically_cleared", "has_job_goal"]
    assert reader.answer("meets_job_demands", QUOTED, TODAY, answered) == Reply(Answer.OTHER)
    assert "medically_cleared" not in reader.read(QUOTED, TODAY)


@pytest.mark.parametrize(
    ("question", "text", "reply"),
    [
        ("red_flags", "i said no to my doctor but yes to the leg weakness",
         Reply(Answer.YES, True)),
        ("red_flags", "i said no to the doctor thing but yes, the second one",
         Reply(Answer.YES, True)),  # never a quote on the checklist
        ("medically_cleared", "i said no to working extra hours but the doctor hasnt cleared me",
         Reply(Answer.NO, False)),
        ("tolerates_4_hours", "i said no to lifting but i can do 4 hours", Reply(Answer.YES, True)),
        ("meets_job_demands", "dije que no puedo cargar nada pero el jefe insiste",
         Reply(Answer.NO, False)),
        ("red_flags", "no 3 months", Reply(Answer.NO, False)),  # a no before a figure stays
        ("meets_job_demands", "10 hour shifts", Reply(Answer.OTHER)),
    ],
)
def test_everyday_words_like_a_quote_are_read_as_they_are(reader, question, text, reply):
    """A review with fresh eyes (stop 59) found a first version of the quotes wiping out a
    yes to the checklist and dropping answers to the question asked."""
    answered = ["red_flags", "medically_cleared", "has_job_goal", "job_demand_level"]
    assert reader.answer(question, text, TODAY, answered) == reply


@pytest.mark.parametrize(
    ("question", "text", "reply"),
    [
        ("tolerates_4_hours", "wrong button, 2 hours at most", Reply(Answer.NO, False)),
        ("meets_job_demands", "me equivoqué, no puedo con las cajas todavía",
         Reply(Answer.NO, False)),
        ("has_job_goal", "Sí. Me equivoqué antes.", Reply(Answer.YES, True)),
        ("red_flags", "weak legs, yes. scratch that, none of the others", Reply(Answer.YES, True)),
    ],
)
def test_the_new_answer_follows_the_words_that_take_one_back(reader, question, text, reply):
    """The words after the take-back are read; the whole reply when they say nothing,
    and always on the safety checklist."""
    assert reader.answer(question, text) == reply


@pytest.mark.parametrize("question", ["vocational_barriers", "psychosocial_barriers",
                                      "has_job_goal"])
@pytest.mark.parametrize(("text", "reply"), [
    # a blind hand trial (stop 59): read as a yes to "is anything at work worrying you?"
    ("6 hours probably", Reply(Answer.OTHER)),
    ("como 5 horas", Reply(Answer.OTHER)),
    ("4+ hrs easy", Reply(Answer.OTHER)),  # a blind hand trial (stop 61)
    ("6 horas fácil", Reply(Answer.OTHER)),
    ("yes, 6 hours shifts are hard", Reply(Answer.YES, True)),
])
def test_hours_alone_answer_only_the_hours_question(reader, question, text, reply):
    assert reader.answer(question, text, TODAY) == reply
    assert reader.answer("tolerates_4_hours", text, TODAY).kind is Answer.YES


@pytest.mark.parametrize(("text", "reply"), [
    # a blind hand trial (stop 61): the job lost, not the kind of work; asked again
    ("well they let me go in june. so not really? i used to do drywall", Reply(Answer.UNSURE)),
    ("they fired me. i used to do drywall", Reply(Answer.UNSURE)),
    ("pues no, me corrieron de la construccion", Reply(Answer.UNSURE)),
    # the kind of work left for good, or none named: a no
    ("no, i used to be a roofer but im never going back to that", Reply(Answer.NO, False)),
    ("no, ya no quiero ser albañil", Reply(Answer.NO, False)),
    ("no i want a different kind of work", Reply(Answer.NO, False)),
    # a review with fresh eyes (stop 62): retired, on disability, another career
    ("no, retired plumber", Reply(Answer.NO, False)),
    ("no im a truck driver and im going on disability", Reply(Answer.UNSURE)),  # 2nd review
    ("no, i was a roofer, now i want to be a teacher", Reply(Answer.NO, False)),
    # a second fresh review: on disability, laid off, looking for the same work: kept
    ("no, estoy de incapacidad, soy albañil", Reply(Answer.UNSURE)),
    # a third fresh review: "never" and "quit" about the employer leave the kind of work
    ("so not really? i used to do drywall, they never called me back", Reply(Answer.UNSURE)),
    ("no, nunca me llamaron, soy albañil", Reply(Answer.UNSURE)),
    ("no, i quit. i used to do drywall", Reply(Answer.UNSURE)),
    ("no, tengo 65 años y ya me voy a retirar, ya no voy a regresar al hotel",
     Reply(Answer.NO, False)),  # a dev conversation
    ("no, got laid off. looking for something else in construction", Reply(Answer.UNSURE)),
    ("not really, my old job is gone", Reply(Answer.NO, False)),
    ("no", Reply(Answer.NO, False)),
])
def test_a_no_that_names_a_kind_of_work_is_asked_again(reader, text, reply):
    assert reader.answer("has_job_goal", text, TODAY) == reply


@pytest.mark.parametrize("text", [
    # a third fresh review (stop 62): a first version ticked any checklist word after "no, but"
    "no, but i fell off a ladder at work, thats why im here",
    "no pero me cai en el trabajo hace 3 meses", "no, but what counts as numbness?",
])
def test_the_story_of_the_injury_after_a_no_is_no_red_flag(reader, text):
    assert reader.answer("red_flags", text, TODAY) == Reply(Answer.NO, False)


@pytest.mark.parametrize(("question", "text"), [
    ("medically_cleared", "dr cleared 4 hrs"),  # a fourth fresh review
    ("meets_job_demands", "sure, 8 hours"),
])
def test_hours_with_an_answer_are_that_answer(reader, question, text):
    assert reader.answer(question, text, TODAY) == Reply(Answer.YES, True)


@pytest.mark.parametrize(("text", "reply"), [
    # a blind hand trial (stop 59): read as a yes, work hardening came without the hours
    ("been off 9 months", Reply(Answer.OTHER)),
    ("been off 9 months, going crazy at home", Reply(Answer.OTHER)),
    ("no, been off 9 months", Reply(Answer.NO, False)),
    ("yes, even though ive been off 3 months", Reply(Answer.YES, True)),
    ("llevo 9 meses sin trabajar", Reply(Answer.OTHER)),
    ("sure, been doing pt for 6 weeks", Reply(Answer.YES, True)),
    ("claro, llevo 2 meses en el gym", Reply(Answer.YES, True)),
])
def test_a_time_ago_is_no_answer_to_the_hours_question(reader, text, reply):
    assert reader.answer("tolerates_4_hours", text, TODAY) == reply


@pytest.mark.parametrize(
    ("question", "text", "reply"),
    [
        # in the questions, the answer was lost and the question asked again
        ("red_flags", "no, how long is the program?", Reply(Answer.NO, False)),
        ("medically_cleared", "yes, is it covered by workers comp?", Reply(Answer.YES, True)),
        ("medically_cleared", "not yet, do i need a referral?", Reply(Answer.NO, False)),
        ("medically_cleared", "si, cuanto dura el programa?", Reply(Answer.YES, True)),
        ("tolerates_4_hours", "not sure, how long is the program each day?",
         Reply(Answer.UNSURE)),
        ("red_flags", "no. boots?", Reply(Answer.NO, False)),
        ("red_flags", "my chest hurts a lot, how long is the program?", Reply(Answer.YES, True)),
        ("red_flags", "no, does chest pain count as an emergency?", Reply(Answer.NO, False)),
        ("medically_cleared", "what does cleared mean?", Reply(Answer.OTHER)),
        ("medically_cleared", "do i need a referral?", Reply(Answer.OTHER)),
        # a fresh review (stop 60): a sign beside the question is a yes, or asked again;
        # words that answer nothing are no answer
        ("red_flags", "no, but i have numbness in my groin, how long is the program?",
         Reply(Answer.YES, True)),
        ("red_flags", "no, siento las piernas debiles, cuantas horas al dia?",
         Reply(Answer.YES, True)),
        ("red_flags", "no, how long is the program? i have trouble peeing since the fall",
         Reply(Answer.OTHER)),
        ("red_flags", "sorry, how long is the program?", Reply(Answer.OTHER)),
        ("red_flags", "gracias, cuanto dura el programa?", Reply(Answer.OTHER)),
        ("medically_cleared", "actually, is it covered?", Reply(Answer.OTHER)),
        ("has_job_goal", "wait, do i need a referral?", Reply(Answer.OTHER)),
        # a third fresh review: a sign told with or after the question is asked again
        ("red_flags", "no, how long is the program, my legs are numb?", Reply(Answer.OTHER)),
        ("red_flags", "no, do i need a referral? i wet myself yesterday?",
         Reply(Answer.YES, True)),  # stop 62: the detector reads the sign, an item named
        ("red_flags", "no, how long is the program with chest pain?", Reply(Answer.OTHER)),
        ("tolerates_4_hours", "wait, how long is the program?", Reply(Answer.OTHER)),
        ("tolerates_4_hours", "maybe 2 hours, whats the difference between the two?",
         Reply(Answer.NO, False)),
        ("tolerates_4_hours", "menos, me canso muy rápido. el comp lo cubre?",
         Reply(Answer.NO, False)),
        # a fourth fresh review: what follows the question answers it, not ours
        ("meets_job_demands", "do you take workers comp? yes i have a claim",
         Reply(Answer.OTHER)),
        ("medically_cleared", "do i need a referral? my doctor said no", Reply(Answer.OTHER)),
        ("red_flags", "how long is the program? no rush", Reply(Answer.OTHER)),
        ("red_flags", "how long is the program? none of those but my legs are numb",
         Reply(Answer.OTHER)),
    ],
)
def test_an_answer_before_a_question_of_ones_own_is_the_answer(reader, question, text, reply):
    """The words before the question are read when the whole reply reads as no answer;
    on the checklist, a red flag in the whole reply still counts."""
    assert reader.answer(question, text) == reply


@pytest.mark.parametrize("later", [
    ["what if my doctor has not cleared me?", "I lift 60 lb sacks of flour"],
    ["what if my doctor has not cleared me\nI lift 60 lb sacks of flour"],  # lines typed apart
])
def test_facts_told_before_the_triage_leave_out_questions(reader, later):
    told = reader.told_before(
        ["hola, I hurt my wrist at the bakery 6 weeks ago. what is work conditioning?", *later],
        TODAY)
    assert told == {"weeks_since_injury": 6.0, "job_demand_level": "heavy"}


@pytest.mark.parametrize(
    ("text", "able"),
    [
        # amounts on both sides of 4 hours: the whole reply decides, else the least
        ("pues quisiera decirle que todo el dia pero la verdad no paso de dos horas", False),
        ("mire, orita voy a terapia una hora, pero en la casa hago mis ejercicios y salgo a "
         "caminar, y yo creo que cuatro o cinco horas si las aguanto", True),
        ("no, 2 hours, but I want to work up to 8", False),
        ("2 horas, aunque quisiera hacer 8", False),
        ("2 hours but hopefully 4 soon", False),
        ("yes, 6 hours, but I need to stretch every hour", True),
        ("sí, unas 6 horas pero descansando cada hora", True),
        ("yes I can do 4 hours, but my PT is 1 hour on Tuesdays", True),
        ("Eight hours? no. Two hours? yes.", False),
        ("ocho horas? no, ni loco, tres cuando mucho", False),
        ("tal vez dos, tal vez cinco, no le puedo decir", None),  # sure they cannot say
    ],
)
def test_hours_on_both_sides_of_the_programs_four(reader, text, able):
    """Blind Spanish dev set and a review: a wish, a goal or a break is not the answer."""
    assert reader.answer("tolerates_4_hours", text, TODAY).value is able

"""Concepts, typos and the red flags made of two concepts."""

import pytest
import yaml

from bot.core.emergency.lexicon import LEXICON_FILE, load_lexicon
from bot.core.emergency.text import read, tokens
from bot.settings import ROOT

LEXICON = load_lexicon()


def concepts(text):
    found = LEXICON.clause_concepts(read(text, LEXICON.scope))
    return {(mark, name) for (_, mark), names in found.items() for name in names}


def combination(text):
    """The red flag of concepts said together that the text holds, every word of now."""
    return LEXICON.combination(read(text, LEXICON.scope), lambda at: True)


@pytest.mark.parametrize(
    ("word", "concept"),
    [("numbess", "NUMB"), ("suicdal", "SUICIDE"), ("chilles", "FEVER"), ("breathe", "BREATH"),
     ("pecho", "CHEST"), ("respirar", "BREATH")],
)
def test_concept_words_match_with_one_typo(word, concept):
    assert ("", concept) in concepts(f"i have {word}")


@pytest.mark.parametrize("text", ["every day the same", "never again", "there is nothing"])
def test_common_words_are_never_read_as_typos(text):
    assert concepts(text) == set()


def test_concepts_carry_how_they_are_said():
    assert concepts("no fever, but my back hurts") == {
        ("neg:", "FEVER"), ("", "BACK"), ("", "PAIN")}
    assert ("past:", "FEVER") in concepts("I had a fever two years ago")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("like my butt is asleep", ("medical", "NUMB+SADDLE")),
        ("tengo la mitad del cuerpo dormida", ("medical", "NUMB+ONE_SIDE")),
        ("coughing blood this morning", ("medical", "BLOOD+COUGH")),
        ("puked blood twice since lunch", ("medical", "BLOOD+VOMIT")),
        ("vomite sangre hace rato", ("medical", "BLOOD+VOMIT")),
        ("threw up, no blood", None),
        ("my blood pressure meds make me throw up", None),  # blood named as a measure
        ("the blood thinner makes me vomit", None),
        ("coughing since the blood draw", None),
        ("I have a fever and my back is killing me", None),
        ("fever with my back pain since yesterday", ("medical", "BACK+FEVER")),
        ("no fever, my back hurts", None),
        ("the fever in my back went away", None),
        ("swallowed a bunch of my sleeping pills on purpose", ("self_harm", "MEDICINE+ON_PURPOSE")),
        ("me tome las pastillas de proposito", ("self_harm", "MEDICINE+ON_PURPOSE")),
        ("cut my wrists on purpose", ("self_harm", "METHOD+ON_PURPOSE")),
        ("i didnt take extra pills on purpose, it was a mix up", None),
        ("my boss thinks i hurt myself on purpose", None),
        # real words one letter from a concept word are not its typos for the rule
        ("lost control of the ladder at work", None),
        ("my hands go numb on the crutch handles", None),
        ("lost control of the bladder at work", ("medical", "BLADDER_BOWEL+LOSS_OF_CONTROL")),
    ],
)
def test_two_concepts_in_one_clause_said_of_now_are_a_red_flag(text, found):
    assert combination(text) == found


@pytest.mark.parametrize(("text", "medical"), [
    ("i dont want to die, i think im having a heart attack, chest pain down my arm", True),
    ("no me quiero morir, me duele el pecho y me falta el aire", True),
    ("i want to die, my chest hurts", False),  # not denied
    ("i dont want to die, i just want my job back", False),  # no medical sign
    ("i dont want to die but i took all my pills", False),  # no medical sign: the pills
    ("no chest pain, i dont want to die", False),  # the medical sign is denied too
    # A blind trial (stop 49): "no se para" is no bleeding in "no sé para qué sigo".
    ("ya no se para que sigo, mi familia estaria mejor sin mi", False),
    ("no me quiero morir, la herida no se para", True),
    ("no me quiero morir, no se para que vine", False),
])
def test_a_denied_wish_to_die_beside_a_medical_sign_is_medical(text, medical):
    assert LEXICON.self_harm_denied(read(text, LEXICON.scope)) is medical



@pytest.mark.parametrize(("text", "only"), [
    ("my wife left and i cant go on", True),  # stop 54: read as medical by the model
    ("whats the point anymore, she took the kids", True),
    ("i feel like giving up. and i havent been able to pee since yesterday", False),  # denied
    ("i cant go on like this, my chest has been squeezing for an hour", False),
    ("cant put any weight on my leg since i fell", False),  # "weight on" is no sign alone
    ("my knee hurts", False), ("", False),
])
def test_a_message_that_names_nothing_but_warning_signs_of_suicide(text, only):
    assert LEXICON.names_only_self_harm(read(text, LEXICON.scope), lambda at: True) is only


@pytest.mark.parametrize(("text", "named"), [
    ("the one about the chest, that one. is someone still gonna call me", False),
    ("yeah i took a bunch of pills", True),
    ("yes, and whats the point anymore", True),
    ("yes but i would never kill myself", False),  # denied
    ("yes my legs", False),
])
def test_a_yes_to_the_checklist_that_names_self_harm(text, named):
    assert LEXICON.names_self_harm(read(text, LEXICON.scope)) is named


def test_phrases_are_split_like_messages():
    assert tokens("I can't breathe!") == ["i", "can't", "breathe", "!"]


def test_the_safety_reader_reads_intents_the_assistant_has():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    settings = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))["model"]
    named = settings["safety_reader_intents"]
    assert named and set(named) <= set(domain["intents"])


def test_phrases_of_the_lexicon_are_read_in_the_one_form_of_messages(tmp_path):
    raw = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    raw["concepts"]["NUMB"].append("cannot wiggle")
    raw["certain"]["medical"].append("cant swallow")
    path = tmp_path / "lexicon.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    lexicon = load_lexicon(path)
    reading = read("unable to wiggle my toes and not able to swallow", lexicon.scope)
    found = lexicon.clause_concepts(reading)
    assert "NUMB" in set().union(*found.values())
    assert lexicon.certain["medical"].in_([w.text for w in reading.words])


@pytest.mark.parametrize(("text", "person"), [
    ("my wife is unconscious", True), ("my wife's unconscious", True),
    ("he's unresponsive", True), ("mi bebé está inconsciente", True),
    # stop 73: the "s" typed bare ("my dads unconscious" read as no one)
    ("my dads unconscious", True), ("moms unresponsive", True),
    ("my husbands having a heart attack", True), ("the bosses are gone", False),
    # ...before a sign only: a plural is no person elsewhere (a fresh review of stop 73)
    ("the kids would be better off if i just collapsed", False),
    ("my managers are totally unresponsive about light duty", False),
    # ...before a whole sign only (a second fresh review of stop 73)
    ("my dads passed out", True), ("my moms passed the test today", False),
    ("my sons having a sleepover tonight", False), ("my friends collapsed lung", False),
    # stop 75: kin and children by the words patients use
    ("my toddler is not breathing", True), ("mi chamaca no reacciona", True),
    ("el chamaco esta inconsciente", True), ("my stepson passed out", True),
    ("ando desmayada nena jaja", False),  # a word of affection (a second review)
    # a person's name is not read with a typo
    ("sorry to bother you", False), ("we cried with laughter", False),
])
def test_another_person_is_read_from_the_people_lists(text, person):
    assert any(name == "ANOTHER" for _, name in concepts(text)) is person


@pytest.mark.parametrize(("text", "found"), [
    ("my wife just collapsed what do i do", True),
    ("my wife just collapsed!! what do i do?", True),  # the next sentence only cries
    ("HELP!!! my dad collapsed", True),
    ("mi jefe se desmayo, que hago", True),
    ("mi esposa se desmallo que hago", True),  # a common misspelling
    ("se acaba de desmayar mi jefe, que hago", True),
    ("my wife just collapsed", False),  # no cry: the model weighs it
    ("my dad passed out on the couch lol. can you help me pick a program", False),
    ("my dad passed out on the couch lol. help me pick a program", False),
    ("what do i do if my coworker passed out at work", False),  # supposes
    ("my mom fainted in june, what do i do about her appointments", False),  # the past
    ("i passed out, what do i do", False),  # the writer: no other person
    ("help, my dad did not collapse, he just sat down", False),  # denied
    # a second review of stop 67: a cry that says more, in a clause of its own, is no cry
    # for the collapse; nor is "just"
    ("help me understand the rules, my coworker fainted on the line and hr sent him home",
     False),
    ("my son passed out on the couch so can you help me reschedule", False),
    ("my husband just passed out watching tv lol", False),
    ("if my dad collapsed here would you guys call 911", False),
    # stop 74: a cry and its other choice is still nothing but the cry
    ("my dad passed out, should we call 911 or wait", True),
    ("mi esposo se desmayo, llamo al 911 o espero", True),
    ("my dad passed out on the couch lol, should i call him or text him", False),  # no cry
    # ...a fresh review: two cries joined by "or", and any other words after "or"
    ("my coworker collapsed on the line, what do we do or do we call 911", True),
    ("mi jefe se desmayo, que hacemos o llamamos al 911", True),
    ("my wife collapsed, what do i do or who do i call", True),
    ("my dad passed out, should we call 911 or take him to the er", True),
    ("my dad passed out watching tv, what do i do or let him be", False),
    ("my husband passed out on the couch after work, what do i do or nah lol", False),
    ("my coworker fainted at the blood drive. what should we do or is that normal", False),
    # ...a second review: after a cry to call 911 any other choice, and who to call after
    # "or"; not "who do i call" about something else
    ("my dad collapsed, should i call 911 or not", True),
    ("my wife fainted, should i call 911 or let her rest", True),
    ("mi papa se desmayo, llamo al 911 o no", True),
    ("my coworker fainted on the line, what do we do or who should we call", True),
    ("my husband passed out on the couch, what do i do or who do i call about his snoring",
     False),
    # stop 75: a cry typed in a panic, its long words one typo away
    ("my dad collapsed, shoud we call 911", True),
    ("my dad collapsed shoud i cal 911", True),
    ("wat do i do my wife collapsed", True),
    ("mi papa se desmayo, yamo al 911?", True),
    ("my dad passed out on the couch lol, shoud i call him or text him", False),
])
def test_another_persons_collapse_counts_beside_a_cry_for_help(text, found):
    assert (combination(text) == ("medical", "ANOTHER+COLLAPSED")) is found


@pytest.mark.parametrize(("text", "found"), [
    # stop 75: someone given CPR now, told by what those with them do
    ("theyre doing cpr on him rn", True),
    ("THE GUYS ARE DOING COMPRESSIONS ON MY FOREMAN", True),
    ("cpr in progress on my uncle", True),
    ("im doing compressions with the phone on speaker", True),
    ("le estamos dando compresiones a mi jefe", True),
    ("le estan haciendo rcp a mi compa", True),
    # ...not practice, a class or a job (a fresh review of stop 75), nor a story
    ("in class today we are doing cpr on the dummies", False),
    ("theyre doing cpr training at work tomorrow, can i join with my shoulder", False),
    ("doing compressions on patients is part of my job", False),
    ("en mi trabajo de salvavidas le estoy dando rcp a la gente a cada rato", False),
    ("le estamos dando rcp al muñeco en la clase", False),
    ("back in 2022 i was giving cpr to a guy till the ambulance got there", False),
    ("they are not doing cpr on him, he woke up", False),
    # ...nor a task of a job told bare, as the answer about its demands
    ("EMT, lifting stretchers down stairs and doing chest compressions for 10 min", False),
    # ...a second review: a class or a plan, a story of how one got hurt, a pulse that is
    # missing or a drill that is not, "of course"
    ("we are doing cpr refreshers at work tomorrow", False),
    ("i was doing cpr on my coworker when my back gave out", False),
    ("no pulse, theyre doing cpr on him", True),
    ("this is not a drill theyre doing cpr on him", True),
    ("of course theyre doing cpr on him", True),
    ("estamos haciendo rcp", True),
])
def test_someone_given_cpr_now_is_a_possible_emergency(text, found):
    given = {("medical", "ANOTHER+CPR_GIVEN"), ("medical", "CPR_UNDERWAY")}
    assert (combination(text) in given) is found


@pytest.mark.parametrize(("text", "found"), [
    # stop 73: "my wife won't wake up, what do i do" read 0.17
    ("my wife won't wake up, what do i do", True),
    ("help my dad wont wake up", True),
    ("my wife wont wake up", False),  # no cry: the model weighs it
    ("i hope i wont wake up tomorrow, what do i do", False),  # the writer's own wish
    ("what do i do if my son wont wake up for school", False),  # supposes
    ("my son wont wake up for school again, help or tips", False),  # a fresh review, stop 74
])
def test_someone_who_wont_wake_counts_beside_a_cry_for_help(text, found):
    assert (combination(text) == ("medical", "ANOTHER+WONT_WAKE")) is found


@pytest.mark.parametrize(("text", "told"), [
    ("mi esposo se desplomó, que hago", True),
    ("somebody just keeled over in the waiting area, what should we do", True),
    ("my mom is not waking up", True),
    ("my dad is unconscious", True),
    ("se desmayó una señora en la sala de espera", True),
    ("i passed out at work", False),  # the writer: no other person
    ("my mom fainted in june", False),  # told in the past
    ("my dad did not collapse, he sat down", False),  # denied
    ("the scaffolding collapsed", False),  # a thing
    ("my wife left me and i feel like im collapsing", False),  # not in one clause
    ("im not waking up with numbness anymore", False),
    ("my dads having a heart attack", True),  # stop 73: the "s" typed bare
    ("the kids would be better off if i just collapsed", False),  # the writer's own
    ("theyre giving him cpr right now", True),  # stop 75: CPR given now tells of another
    ("we did cpr training at work today", False),
])
def test_another_persons_body_in_danger_is_told_of_now(text, told):
    """What makes an alarm about someone else medical, whatever the model's kind."""
    assert LEXICON.tells_of_another(read(text, LEXICON.scope), lambda at: True) is told


@pytest.mark.parametrize(("text", "cry"), [
    ("what do i do my wife is unconscious", True),
    ("mi mama no reacciona que hago", True),
    ("what do i do if my legs go numb", False),
    ("what do i do, does it count as an emergency", False),
    ("is it bad that i cant sleep", False),
    # stop 75: typos in the long words of a cry of three words or more, at most half
    ("wat do i do my wife is unconscious", True),
    ("shoud we cal 911", True),
    ("debo yamar al 911", True),
    ("shoud wee cal 911", False),  # more typos than exact words
    ("que pago", False),  # two words: "que hago" is read exactly
    ("wat do i do if my legs go numb", False),  # still supposes
    ("what so i do", False),  # short words are read exactly
    ("que debe hacer el paciente", False),  # a real word is no typo (a fresh review)
])
def test_a_cry_for_help_is_no_question_about_what_counts(text, cry):
    words = LEXICON.scope.canon.rewrite(tokens(text))
    assert LEXICON.asks_what_to_do(words) is cry


@pytest.mark.parametrize(("text", "on_purpose"), [
    ("my daughter is cutting herself right now", True),
    ("mi hermana se esta cortando ahorita", True),
    ("took 20 relaxers on purpose", True),
    ("my dad is cutting himself off from everyone", False),  # not_signs
    ("se esta cortando las uñas", False),
    ("my husband keeps burning himself out at work", False),
    ("not on purpose, i slipped", False),
])
def test_an_act_of_self_harm_is_read_whoever_does_it(text, on_purpose):
    assert LEXICON.done_on_purpose(read(text, LEXICON.scope)) is on_purpose


@pytest.mark.parametrize("phrase", sorted(" ".join(p) for p in LEXICON.concepts))
def test_every_concept_phrase_read_alone_names_its_concept(phrase):
    """A phrase that holds a negation word ("no feeling") must not deny itself."""
    said = {name for mark, name in concepts(phrase) if mark != "neg:"}
    assert LEXICON.concepts[tuple(phrase.split())] <= said


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("there is no feeling in my left side since this morning", ("", "NUMB")),
        ("i try to pee and nothing comes out", ("", "LOSS_OF_CONTROL")),
        ("i have no bladder control since this morning", ("", "BLADDER_BOWEL")),
        ("the cut on my hand doesnt stop bleeding", ("", "SOAKING")),
        ("they would all be better off without me", ("", "BURDEN")),
        ("la herida no deja de sangrar", ("", "SOAKING")),
    ],
)
def test_a_negation_word_inside_a_sign_denies_nothing(text, found):
    assert found in concepts(text)


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("no feeling sick, no numbness", "NUMB"),
        ("the bleeding stopped, i have no fever", "FEVER"),
        ("they did the intake without me, no pain today", "PAIN"),
        # a negation word that only starts like a sign still denies its clause (a fresh
        # review of stop 66)
        ("no feeling of tightness or pressure in my chest", "CHEST"),
        ("no feeling like i cant breathe, just tired", "BREATH"),
        ("no control issues with bladder or bowels", "BLADDER_BOWEL"),
        ("nothing comes out of the wound, it looks clean", "WOUND"),
        ("it doesnt stop hurting at night", "PAIN"),
    ],
)
def test_a_negation_outside_a_sign_still_denies(text, denied):
    found = concepts(text)
    assert ("", denied) not in found
    assert ("neg:", denied) in found

"""Who a reply to an alarm says it was about: the writer, or another person."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.answers import TRAINING_DIR as ANSWERS_DIR
from bot.core.answers import load_answers
from bot.core.emergency.dataset import TRAINING_DIR, load_examples
from bot.core.emergency.text import tokens
from bot.core.someone_else import (
    answers_me,
    asks_for_oneself,
    names_someone_else,
    says_a_word_of_oneself,
    shares_their_state,
    tails,
    tells_hearsay_of_oneself,
    tells_of_a_person_first,
    tells_someone_else,
)

PEOPLE_SETS = Path(__file__).parent / "people_at_risk"


@pytest.mark.parametrize(("text", "told"), [
    ("its not me its him!! should i call 911?", True),  # hand trial of stop 53
    ("no soy yo, es mi hijo", True),
    ("not me, my brother in law", True),
    ("asking for a friend", True),
    ("typing for my coworker, he cant walk straight", True),
    ("texting for help", False),
    ("someone else would be better off without me", False),  # not the answer it opens with
    ("my roommate", True), ("no, mi compañero", True), ("my coworkers", True),
    # only that person, as a clause's last words (hand trial of stop 54)
    ("no i dont, it is only him", True), ("nope, just him", True), ("no yo no, solo él", True),
    ("no, only my brother on the night crew.", True),
    ("i just want to be with him", False), ("no, solo el dolor", False),
    ("i miss him so much. just him", False),  # a fresh review of stop 55: no no first
    ("nomas mi compa. pero yo tampoco estoy bien", False),
    ("no, just him. but i think about it too", False),
    # the person said first, then what they said or did (a frozen judge, stop 62)
    ("no, es mi papá, dice que es una carga y que mejor se muere", True),
    ("im fine. its my mom, she gave away her jewelry", True),
    ("yo estoy bien, es mi esposa. anoche dijo que ya no quiere vivir", True),
    ("yo estoy bien, es mi esposa. anoche me dijo que ya no quiere vivir", False),  # "me"
    ("no, its my wife. honestly i want to die too", False),  # the writer too
    # a review with fresh eyes (stop 62): the rest may tell of the writer
    ("no, its my dad. he knows i want to end it", False),
    ("its my wife. she knows i have the rope", False),
    ("no its my son. he found my stash of pills", False),
    ("no, es mi esposa. me voy a matar", False),
    ("no, es mi papá. nos vamos a matar juntos", False),  # a second fresh review
    ("no, my coworkers. we all feel that way", False),
    ("no, mi hermano. yo tambien quiero morirme", False),
    ("no, my dad died last year, i want to be with him", False),
    ("im fine, my wife is worried about me", False),
    # the writer, or no one named
    ("its not me, its the pain talking", False),
    ("no es mi hijo, soy yo", False),
    ("my wife says im a burden", False),
    ("no", False), ("yes", False), ("", False), ("man, i dont know", False),
])
def test_a_reply_that_says_it_was_another_person(text: str, told: bool) -> None:
    assert tells_someone_else(text) is told


@pytest.mark.parametrize(("text", "named"), [
    ("no, es mi hijo", True),
    ("my sister is the one who keeps saying it", True),
    ("the guy on my crew. i was telling you what he said", True),
    ("neighbor. she fell off her ladder", True),
    ("its my wife, she left and i cant go on", True),  # weak: read as a yes, it is not taken
    ("my dad did. i will too", False),  # a fresh review of stop 55: a yes of the writer's
    # the writer first, a denial, or a person who is not the answer
    ("me. not my coworker, i made that up", False),
    ("yo. dije que era mi primo pero era mentira", False),
    ("no es mi hijo, soy yo", False),
    ("my wife says im a burden", False),
    ("son las 3 y sigo igual", False),
    ("started tuesday. my mom thinks its nothing", False),
])
def test_a_reply_that_names_another_person_as_its_answer(text: str, named: bool) -> None:
    assert names_someone_else(text) is named


@pytest.mark.parametrize(("text", "me"), [
    ("me. not my coworker", True), ("yo.", True), ("its me", True), ("soy yo, perdón", True),
    ("asking for a friend lol its me", True),
    ("me? no way", False), ("not me", False), ("no yo", False), ("no soy yo", False),
    ("my brother", False), ("", False),
])
def test_a_reply_that_answers_me_first(text: str, me: bool) -> None:
    assert answers_me(text) is me


@pytest.mark.parametrize(("text", "shared"), [
    # a blind hand trial (stop 61): the writer's own risk, pointed back at another's
    ("not me, my brother. i feel the same tho", True),
    ("its my dad, he said that. been feeling the same", True),
    ("its my dad, he said that and honestly same", True),
    ("mi esposa lo dijo. y yo lo mismo", True), ("es mi hermano, pero yo también", True),
    ("my brother in law said it but yeah im having those thoughts too", True),
    # a part that names a person, or tells of them, is about them
    ("not me, my brother. im so worried about him too", False),
    ("its my dad. can you help him too?", False), ("my sister. she said the same", False),
    ("its my wife, she said it. im fine", False), ("no, es mi hermano. yo estoy bien", False),
    ("", False),
])
def test_a_reply_that_shares_the_state_of_another(text: str, shared: bool) -> None:
    assert shares_their_state(text) is shared


@pytest.mark.parametrize(("part", "first", "own"), [
    ("my dad is the one with the chest pain", True, False),
    ("and hes throwing up", True, False),
    ("pero mi esposo no sabe", True, False),
    ("my kids would be better off without me", True, True),
    ("mi esposa me escondió las pastillas", True, True),
    ("please dont tell my wife", False, False),
    ("my roommate just told me he has a gun", True, False),
    ("mi compa me dijo que ya no quiere vivir", True, False),
    ("my buddy told me my leg looks bad", True, True),
    ("i cant feel my legs", False, True),
    ("", False, False),
])
def test_a_part_that_tells_of_a_person(part: str, first: bool, own: bool) -> None:
    """Whether it tells of a person first, and whether it has a word of the writer's besides."""
    assert (tells_of_a_person_first(part), says_a_word_of_oneself(part)) == (first, own)


@pytest.mark.parametrize(("sentence", "parts"), [
    ("not sure, and my dad fell and hit his head",
     ["not sure, and my dad fell and hit his head", " and my dad fell and hit his head",
      "my dad fell and hit his head", "hit his head"]),
    ("sí, pero él no puede", ["sí, pero él no puede", " pero él no puede", "él no puede"]),
    ("rock and roll", ["rock and roll", "roll"]), ("", []),
])
def test_the_tails_of_a_sentence(sentence: str, parts: list[str]) -> None:
    assert tails(sentence) == parts


@pytest.mark.parametrize(("part", "hearsay"), [
    ("wife says face is drooping", True),
    ("my boss thinks its a stroke", True),
    ("my roommate said goodbye and took a bottle of pills", False),  # a fresh review, stop 63
    ("my coworker says he wants to end it", False), ("mi vecina dice que ella no puede", False),
    ("my roommate just told me he has a gun", False), ("my dad has chest pain", False),
    ("mi hija dice que se quiere morir", False), ("dice que ya no quiere vivir", False),
    ("my partner locked himself in with his pills and said goodbye", False),
])
def test_what_another_says_of_the_writer(part: str, hearsay: bool) -> None:
    assert tells_hearsay_of_oneself(part) is hearsay


def test_no_message_of_the_people_sets_is_training_data():
    """The judge and the dev set of who is at risk stay unseen by both readers."""
    people = {tuple(tokens(m["text"])) for f in PEOPLE_SETS.rglob("*.yml")
              for m in yaml.safe_load(f.read_text(encoding="utf-8"))["messages"]}
    training = [e.text for e in load_examples([TRAINING_DIR])] + \
        [a.text for a in load_answers([ANSWERS_DIR])]
    assert [t for t in training if len(tokens(t)) >= 4 and tuple(tokens(t)) in people] == []


@pytest.mark.parametrize(("reply", "asks"), [
    # `make run` trials of stop 68 and their review: a question of one's own, taken up
    ("ok the paramedics got him, he was awake when they left. sorry. so which program "
     "would fit me", True),
    ("no no hes fine now, ok so which one is for me", True),
    ("ok he's fine now, the medics checked him. so which one is for me", True),
    ("ya se lo llevaron, esta bien. y cual me conviene a mi?", True),
    ("no, that was last year. anyway which program fits me", True),
    # ...and questions for the other person, which the advice for them answers
    ("no its my mom not me, what should i do for her", False),
    ("its not me its my dad. what do i do?", False),
    ("its my dad, he collapsed. can you help me", False),
    ("its not me its my coworker, the paramedics took him. what program would be good for "
     "them", False),
    ("cual programa le toca a el", False),
    ("its my son. which one is for him", False),
    ("not me, my wife. how long does work hardening last?", False),  # not what fits me
    ("oh which reminds me my left arm is numb", False),  # tells
    # ...and requests for help with the other person, from a review of stop 69
    ("no its my wife, she collapsed. can you call 911 for me?", False),
    ("not me, my dad. can you put me through to a nurse?", False),
    ("no soy yo, es mi esposo, se desmayo. ¿que me conviene hacer, lo llevo o llamo al 911?",
     False),
])
def test_a_question_of_what_fits_the_writer_is_told_apart(reply, asks):
    assert asks_for_oneself(reply) is asks

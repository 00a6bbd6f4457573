"""Whether a message tells of someone's death (`bot.core.losses`)."""

import pytest

from bot.core.losses import tells_a_loss


@pytest.mark.parametrize(("text", "loss"), [
    # a blind hand trial (stop 57): the answer came, and not a word about the loss
    ("my buddy died in the same scaffold collapse that hurt my back. what is work hardening",
     True),
    ("mi mamá falleció el mes pasado y yo sigo con la lesión del hombro. qué es el work "
     "hardening?", True),
    ("my dad passed away last month so ive been sad", True),
    ("sí, se murió mi papá en marzo", True),
    ("my coworker was killed in the crash", True),
    ("hi. my brother in law from the crew died in june", True),
    ("my phone died", False),
    ("i almost died in that fall", False),
    ("my dad didnt die, he just got hurt", False),
    ("if my wife died i dont know what id do", False),
    ("si se muere mi papá no sé qué haría", False),
    ("dying to get back to work, my boss keeps calling", False),
    # a fresh review (stop 59): nobody died
    ("my buddy almost died in the collapse. what is work hardening?", False),
    ("my brother could have died", False),
    ("casi se muere mi papá en el accidente", False),
    # a blind hand trial (stop 59): "passed" alone, then words the lexicon leaves out
    ("my brother passed last week and the company let me go", True),
    ("i lost my dad in march", True),
    ("perdí a mi papá hace poco", True),
    ("my parents died when i was young", True),
    ("mis abuelos murieron el año pasado", True),
    ("my mom passed", True),
    ("my dad passed out at work", False),
    ("my son passed the test", False),
    ("my daughter passed with honors", False),
    ("my kids passed their exams", False),
    # a second fresh review (stop 60)
    ("my coworker passed 50 lb boxes to me all day", False),
    ("my supervisor passed along my paperwork", False),
    ("i lost touch with my brother", False),
    ("i lost contact with my coworker after the accident", False),
    ("my grandma passed in march", True),
    # a third fresh review (stop 60)
    ("my coworker passed a pallet to me and i twisted my back", False),
    ("my coworker passed in front of the forklift", False),
    ("my husband passed from covid", True),
    ("i lost my job and my wife is mad", False),
    ("i lost feeling in my hand", False),
    ("i never lost anyone", False),
    # a fourth fresh review (stop 60)
    ("since my dad passed i cant focus", True),
    ("my dad passed 2 weeks ago", True),
    ("my mom passed a few months ago", True),
    ("i lost my kids in the divorce", False),
    ("perdí a mis hijos en el divorcio", False),
    ("my coworker passed 2 boxes to me", False),
    ("he passed me the drill and i dropped it", False),
    ("my son passed i'm so proud", False),
    ("my son passed 2 years of college", False),
    ("i lost my wife to cancer during the custody fight", True),
    # a second fresh review of the same change
    ("i lost my dad during my divorce", True),
    ("i lost my brother, custody of his kids went to me", True),
    ("after my son passed i took him out to dinner", False),
    ("my mom passed a couple years ago", True),
    ("since my mom passed my back got worse", True),
    ("", False),
])
def test_a_loss_is_someone_named_who_died(text, loss):
    assert tells_a_loss(text) is loss

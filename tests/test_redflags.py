import pytest

from bot.redflags import Mention, emergency_kinds, mentions
from bot.spacy_pipeline import build_pipeline, load_patterns


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(load_patterns())


def urgent(nlp, text, ranking=()):
    return emergency_kinds(mentions(nlp(text.lower())), ranking)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I suddenly lost control of my bladder this morning", "bladder_bowel"),
        ("i wet myself and didn't notice", "bladder_bowel"),
        ("I can't pee since yesterday", "bladder_bowel"),
        ("my groin feels numb", "saddle_numbness"),
        ("numbness in my inner thighs and butt", "saddle_numbness"),
        ("my legs are getting weaker every day", "limb_weakness"),
        ("my leg just gave out on the stairs", "limb_weakness"),
        ("sudden weakness in my left arm", "limb_weakness"),
        ("I have chest pain", "chest_pain"),
        ("there's a crushing pressure in my chest", "chest_pain"),
        ("my chest feels really tight", "chest_pain"),
        ("I'm short of breath walking to the car", "breathing"),
        ("I can't breathe properly", "breathing"),
        ("fever and chills with my back pain", "fever_back_pain"),
        ("my back is killing me and I have a fever", "fever_back_pain"),
        ("I fell off a ladder today and the pain is unbearable", "severe_pain_after_accident"),
        ("severe pain after a car accident an hour ago", "severe_pain_after_accident"),
        ("my face is drooping and my speech is slurred", "stroke_signs"),
        ("I think I'm having a stroke", "stroke_signs"),
        ("sometimes I want to kill myself", "self_harm"),
        ("I've been feeling suicidal", "self_harm"),
        ("not sure if it's chest pain or heartburn", "chest_pain"),
        ("I don't think it's serious but my chest hurts", "chest_pain"),
        ("no fever, but my legs are suddenly weak", "limb_weakness"),
        ("wait, I suddenly can't feel my legs and I wet myself", "bladder_bowel"),
        ("i cant feel my legs", "limb_weakness"),
        ("i suddenly cant control my bladder and my legs feel weak", "bladder_bowel"),
        ("i suddenly cant control my bladder and my legs feel weak", "limb_weakness"),
        ("I can't hold my pee anymore", "bladder_bowel"),
    ],
)
def test_emergencies_are_recognised(nlp, text, kind):
    assert kind in urgent(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't have chest pain",
        "i dont have chest pain",
        "no numbness in my groin",
        "no fever or chills",
        "I have no trouble breathing",
        "never lost control of my bladder",
        "without any leg weakness",
        "I hurt my back lifting boxes at the warehouse",
        "what is work hardening",
        "my knee is sore after the exercises",
        "how long does work conditioning last",
        "I pulled my groin at work last month",
    ],
)
def test_negated_and_ordinary_messages_raise_no_alarm(nlp, text):
    assert urgent(nlp, text) == ()


def test_the_nlu_can_raise_the_alarm_alone_but_not_against_a_negation(nlp):
    ranking = [("emergency", 0.4), ("faq", 0.6)]
    assert urgent(nlp, "something is very wrong with me", ranking) == ("unspecified",)
    assert urgent(nlp, "something is very wrong with me", [("emergency", 0.1)]) == ()
    assert urgent(nlp, "I don't have chest pain", [("emergency", 0.9)]) == ()


def test_kinds_are_listed_once_in_order():
    found = [Mention("chest_pain", "chest pain", False), Mention("breathing", "breathless", False),
             Mention("chest_pain", "chest tight", False), Mention("stroke_signs", "x", True)]
    assert emergency_kinds(found) == ("chest_pain", "breathing")

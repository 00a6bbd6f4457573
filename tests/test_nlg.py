"""The response generator answers in the conversation's language (`bot.adapters.nlg`)."""

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.adapters.nlg import BilingualNLG
from bot.core.language import Language
from bot.core.locale import responses
from bot.settings import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
CLINIC = {"clinic_name": "Northside", "clinic_phone": "(555) 010-4477",
          "clinic_hours": "Monday to Friday", "clinic_hours_es": "lunes a viernes"}


def said_in(*languages):
    """User messages, the newest last, each telling `language` (None: telling nothing)."""
    return [UserUttered("…", parse_data={"language": lang} if lang else {}) for lang in languages]


def reply(name, languages=(), **slots):
    events = [SlotSet(k, v) for k, v in {**CLINIC, **slots}.items()] + said_in(*languages)
    tracker = DialogueStateTracker.from_events("patient", events, DOMAIN.slots)
    return asyncio.run(BilingualNLG(domain=DOMAIN).generate(name, tracker, "rest"))


@pytest.mark.parametrize("languages", [(), ("en",), (None, None), ("es", "en"), ("es", "en", None)])
def test_english_until_a_message_is_in_spanish(languages):
    text = reply("utter_goodbye", languages)["text"]
    assert text.startswith("Take care")
    assert "Monday to Friday" in text


@pytest.mark.parametrize("languages", [("es",), ("en", "es"), ("es", None, None)])
def test_spanish_with_the_spanish_values_of_the_clinic_slots(languages):
    text = reply("utter_goodbye", languages)["text"]
    assert text == responses(Language.ES)["utter_goodbye"][0]["text"].format(
        **{**CLINIC, "clinic_hours": "lunes a viernes"})
    assert "(555) 010-4477" in text


def test_spanish_keeps_the_variation_rasa_would_choose():
    spoken = reply("utter_ask_red_flags", ("es",), triage_unclear="red_flags")
    assert spoken["text"] == responses(Language.ES)["utter_ask_red_flags"][0]["text"]
    assert [b["payload"] for b in spoken["buttons"]] == [
        b["payload"] for b in responses(Language.ES)["utter_ask_red_flags"][0]["buttons"]]


def test_a_button_payload_sets_the_language_too():
    events = [UserUttered("/greet", parse_data={
        "entities": [{"entity": "language", "value": "es"}]})]
    tracker = DialogueStateTracker.from_events("patient", events, DOMAIN.slots)
    spoken = asyncio.run(BilingualNLG(domain=DOMAIN).generate("utter_thank", tracker, "rest"))
    assert spoken["text"] == responses(Language.ES)["utter_thank"][0]["text"]


def test_keyword_values_from_actions_fill_spanish_texts_too():
    tracker = DialogueStateTracker.from_events("patient", said_in("es"), DOMAIN.slots)
    spoken = asyncio.run(BilingualNLG(domain=DOMAIN).generate(
        "utter_why_suggested", tracker, "rest", reasons="\n• uno"))
    assert spoken["text"].endswith("\n• uno")


@pytest.mark.parametrize(("languages", "said"), [(("es",), "mañana a las 7:00 a. m."),
                                                 (("en",), "tomorrow at 7:00 am")])
def test_an_actions_value_is_quoted_in_the_conversations_language(languages, said):
    """An action passes both: `clinic_opens` and `clinic_opens_es` (`bot.core.locale`)."""
    tracker = DialogueStateTracker.from_events("patient", [
        *(SlotSet(k, v) for k, v in CLINIC.items()), *said_in(*languages)], DOMAIN.slots)
    spoken = asyncio.run(BilingualNLG(domain=DOMAIN).generate(
        "utter_callback_requested_closed", tracker, "rest", callback_display="(555) 201-3344",
        clinic_opens="tomorrow at 7:00 am", clinic_opens_es="mañana a las 7:00 a. m."))
    assert said in spoken["text"]


def told(text, language=None):
    """A tracker whose latest message is `text` (in `language`, if it tells one)."""
    events = [SlotSet(k, v) for k, v in CLINIC.items()] + [
        UserUttered(text, parse_data={"language": language} if language else {})]
    return DialogueStateTracker.from_events("patient", events, DOMAIN.slots)


def spoken(nlg, name, tracker):
    return asyncio.run(nlg.generate(name, tracker, "rest"))["text"]


def test_the_first_reply_to_a_loss_says_sorry_first_and_only_once():
    """A blind hand trial (stop 57): "my buddy died…" got the answer and nothing more."""
    nlg, tracker = BilingualNLG(domain=DOMAIN), told("my buddy died in the collapse. what is it")
    assert spoken(nlg, "utter_thank", tracker).startswith("I'm so sorry for your loss. You're")
    assert spoken(nlg, "utter_thank", tracker).startswith("You're welcome")


def test_sorry_in_spanish():
    tracker = told("mi mamá falleció el mes pasado", "es")
    sorry = responses(Language.ES)["utter_sorry_for_loss"][0]["text"]
    assert spoken(BilingualNLG(domain=DOMAIN), "utter_thank", tracker).startswith(sorry + " ")


@pytest.mark.parametrize(("text", "name"), [
    ("my phone died, sorry for the late reply", "utter_thank"),
    ("my dad died and i want to join him", "utter_emergency_self_harm"),
])
def test_no_sorry_without_a_loss_nor_before_emergency_advice(text, name):
    nlg, tracker = BilingualNLG(domain=DOMAIN), told(text)
    assert "sorry for your loss" not in spoken(nlg, name, tracker)
    assert "sorry for your loss" not in spoken(nlg, "utter_thank", tracker)


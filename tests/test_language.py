import pytest

from bot.core.inbound import opens_chat
from bot.core.language import Language, conversation_language, detect, named


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hola", Language.ES),
        ("gracias!", Language.ES),
        ("buenos dias", Language.ES),
        ("me duele la espalda desde hace tres meses", Language.ES),
        ("que es work hardening", Language.ES),  # Spanglish is Spanish
        ("el adjuster dice que necesito light duty", Language.ES),
        ("CUANTO DURA EL PROGRAMA", Language.ES),
        ("tengo miedo de volver", Language.ES),
        ("hello", Language.EN),
        ("hi", Language.EN),
        ("thanks", Language.EN),
        ("what is work hardening", Language.EN),
        ("i hurt my back at the warehouse", Language.EN),
        ("light duty", Language.EN),
        ("3 months ago", Language.EN),
        # Replies that tell nothing keep the conversation's language.
        ("sí", None),
        ("si", None),
        ("no", None),
        ("ok", None),
        ("1", None),
        ("", None),
        ("😀🙏", None),
        ("y", None),
    ],
)
def test_the_language_of_a_message_or_none_when_it_does_not_tell(text, expected):
    assert detect(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en español por favor", Language.ES),
        ("spanish please", Language.ES),
        ("Español", Language.ES),
        ("hábleme en inglés", Language.EN),
        ("english please", Language.EN),
        ("can we switch to English?", Language.EN),
        ("do you speak english or spanish", None),  # names both: not a request for one
        ("what is work hardening", None),
    ],
)
def test_the_language_a_request_to_switch_names(text, expected):
    assert named(text) == expected


@pytest.mark.parametrize(
    ("parses", "expected"),
    [
        ([], Language.EN),
        ([{}, {"language": "es"}], Language.ES),  # newest first: the newest that told
        ([{"language": "en"}, {"language": "es"}], Language.EN),
        ([{"entities": [{"entity": "language", "value": "es"}]}], Language.ES),  # a payload
        ([{"entities": [{"entity": "PROGRAM", "value": "es"}]}], Language.EN),
        ([{"language": "fr"}, {"language": "es"}], Language.ES),  # not one it speaks
    ],
)
def test_the_conversation_is_in_the_language_of_the_latest_message_that_told_one(
        parses, expected):
    assert conversation_language(parses) is expected


@pytest.mark.parametrize(
    ("text", "opens"),
    [("/greet", True), ('/greet{"language":"es"}', True), (' /greet{"language": "en"} ', True),
     ('/change_language{"language":"es"}', False), ("/greet{}", False), ("hello", False),
     ('/greet{"language":"fr"}', False)],
)
def test_the_widgets_greeting_in_either_language_opens_the_chat(text, opens):
    assert opens_chat(text) is opens

import pytest

from bot.core.input_guard import Unreadable, unreadable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Unreadable.EMPTY),
        ("   \n\t", Unreadable.EMPTY),
        ("😀🙏💪", Unreadable.NO_LATIN_WORDS),
        ("???!!!", Unreadable.NO_LATIN_WORDS),
        ("12345", Unreadable.NO_LATIN_WORDS),
        ("仕事の強化とは何ですか", Unreadable.NO_LATIN_WORDS),
        ("что такое рабочая подготовка", Unreadable.NO_LATIN_WORDS),
        ("¿Qué es el acondicionamiento laboral?", None),
        ("cuanto dura el programa de work hardening", None),
        ("sí", None),
        ("adiós", None),
        ("inscríbame por favor", None),
        ("deja de preguntarme cosas", None),
        ("me va a llegar un bill a mi casa?", None),
        ("ay no, le di a la respuesta equivocada", None),
        ("no me dejan volver al trabajo hasta que termine la terapia", None),
        ("O que é o condicionamento de trabalho? Eu não sei", Unreadable.OTHER_LANGUAGE),
        ("Was ist der Unterschied zwischen den Programmen?", Unreadable.OTHER_LANGUAGE),
        ("Comment est-ce que je peux commencer le programme?", Unreadable.OTHER_LANGUAGE),
        ("what is work hardening", None),
        ("WH?", None),
        ("hi 👋", None),
        ("how long is work conditioning, I hurt my back", None),
        ("my doctor says I need el programa de work hardening", None),
        ("x" * 10_000, None),
        ("<script>alert(1)</script>", None),
    ],
)
def test_unreadable(text, expected):
    assert unreadable(text) == expected

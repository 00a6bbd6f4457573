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
        ("¿Qué es el acondicionamiento laboral?", Unreadable.NOT_ENGLISH),
        ("Was ist der Unterschied zwischen den Programmen?", Unreadable.NOT_ENGLISH),
        ("Comment est-ce que je peux commencer le programme?", Unreadable.NOT_ENGLISH),
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

"""Whether a reply waves away what was said (`bot.core.dismissals`)."""

import pytest

from bot.core.dismissals import dismisses, insists, retracts, tells_a_checkup, tells_it_passed


@pytest.mark.parametrize(
    ("text", "waves_away"),
    [("lol no im fine forget it", True), ("Never mind.", True), ("nvm", True), ("jk", True),
     ("no im just kidding", True), ("nah just joking lol", True), ("forget I said anything", True),
     ("ignore that, I'm fine", True), ("don't worry about it", True), ("NEVERMIND!!", True),
     ("olvídalo, no es nada", True), ("era broma jaja", True), ("no me hagas caso", True),
     ("déjelo así", True), ("No, no importa.", False),  # "ya no importa" is hopelessness
     # a no that says what was meant, or when: not waved away
     ("no, that was years ago", False), ("no, I meant the paperwork", False),
     ("no, nada de eso. hablaba del papeleo", False), ("no", False), ("nope", False),
     ("no, it went away in March", False), ("no lo sé", False),
     # the words only inside others
     ("my foreman never minds the noise", False), ("the joker at work", False),
     ("forgetting things lately", False), ("nmol", False), ("", False),
     # denied: meant
     ("no im not kidding", False), ("no, not joking", False), ("no es broma", False),
     ("no es de broma", False), ("im not joking about this", False), ("no kidding", False),
     ("ya no importa", False),
     # curly apostrophes, as phones type them; the usted form
     ("don\u2019t worry about it", True), ("no le haga caso", True),
     # a promise not to act on thoughts the patient did have (the blind trial of stop 51)
     ("i'm not gonna do anything, just tired of it. can we keep going", True),
     ("no me voy a hacer nada", True), ("I won\u2019t act on it", True),
     ("no voy a hacer nada malo, tranquila", True),
     ("im not going to hurt myself", True),
     # the same words about something else
     ("the doctor wont do anything until the mri", False), ("no voy a hacer nada pesado", False)],
)
def test_a_reply_that_waves_away_what_was_said(text: str, waves_away: bool) -> None:
    assert dismisses(text) is waves_away


@pytest.mark.parametrize(("text", "taken_back"), [
    ("no. forget what i said about the rope", True), ("nvm, im fine", True),
    ("olvídelo, no dije nada", True), ("no me haga caso", True), ("ignore me lol", True),
    ("no. disregard that", True), ("no, lets drop it", True), ("no. scratch that", True),
    ("no. borra lo que dije", True), ("no, haz como que no dije nada", True),
    # the words were not meant, or were wrong: no taking back
    ("no, i was joking", False), ("no, I meant the paperwork", False), ("nope", False),
    ("era broma", False), ("forgetting things lately", False), ("", False),
    ("no, im in albuquerque nm", False),
])
def test_a_reply_that_takes_its_words_back(text: str, taken_back: bool) -> None:
    assert retracts(text) is taken_back


@pytest.mark.parametrize(("text", "insisting"), [
    ("no im not kidding", True), ("no, not joking", True), ("no es broma", True),
    ("no es de broma, de verdad", True), ("jk", False), ("no", False), ("im fine", False),
    ("no kidding", True),
    ("no scratch that, it was years ago", False), ("no i take it back", False),  # stop 62
])
def test_a_reply_that_denies_waving_it_away(text: str, insisting: bool) -> None:
    assert insists(text) is insisting


@pytest.mark.parametrize(("text", "checked"), [
    ("went to the ER, no clot, they said its just post-op swelling. can we keep going?", True),
    ("ya fui a emergencias, era ansiedad, estoy bien", True),
    ("me checaron en la clinica y no era nada", True),
    ("the ER said it was a pulled muscle", True),
    # denied, or not a checkup
    ("i never went to the er, it went away on its own", False),
    ("no, that was years ago", False), ("no fui a emergencias", False), ("", False),
])
def test_a_reply_that_tells_the_patient_was_checked_since(text: str, checked: bool) -> None:
    assert tells_a_checkup(text) is checked


@pytest.mark.parametrize(("text", "passed"), [
    ("no, ya pasó", True), ("no, ya no", True), ("not anymore", True),
    ("its gone now", True), ("ya se me quitó", True), ("i'm fine now", True),
    ("no ya pasó", True), ("no its gone", True), ("no not anymore", True),  # the answer's no
    # denied, or not told
    ("it hasnt gone away", False), ("it never went away", False), ("no", False),
    ("yes, still there", False), ("", False),
])
def test_a_reply_that_tells_the_sign_has_passed(text: str, passed: bool) -> None:
    assert tells_it_passed(text) is passed

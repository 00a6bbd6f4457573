"""Whether a reply waves away what was said (`bot.core.dismissals`)."""

import pytest

from bot.core.dismissals import (
    dismisses,
    insists,
    retracts,
    tells_a_checkup,
    tells_being_unwell,
    tells_it_passed,
)


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


@pytest.mark.parametrize(("text", "unwell"), [
    # fresh reviews of stop 72: each cleared a suicide alarm with an apology
    ("no im not ok", True), ("no im not fine", True), ("no nothing helps", True),
    ("no, no estoy bien", True), ("no estoy bien", True),  # typed without a comma: unwell
    ("nope not ok at all", True), ("no im not safe", True), ("not great tbh", True),
    ("no me siento nada bien", True), ("no no one cares", True),
    ("no, i wouldnt. not well lately though", True), ("no i dont feel safe", True),
    ("no im not feeling well", True), ("no im struggling", True), ("no not too good", True),
    ("no im nto ok", True), ("no just really depressed and tired", True),
    ("no, no estoy a salvo", True), ("no pero estoy muy mal", True), ("no, ando mal", True),
    # a plain no, or well told
    ("no im ok", False), ("no im fine", False), ("no, estoy bien", False),
    ("nope im good thanks", False), ("no, not at all", False), ("no. i'm safe", False),
    ("no, nothing like that, im doing well", False), ("no way", False), ("no", False),
    ("no bien gracias", False), ("no para nada estoy bien", False), ("", False),
    # a second review of stop 72: a thing not well, or the thoughts denied outright
    ("no im not suicidal its just that nothing helps my back pain", False),
    ("no. my back is not ok but im not suicidal", False),
    ("no, no es eso, no me siento bien de la espalda", False),
    ("no, no pienso en eso, pero no estoy bien de la rodilla", False),
    ("no nobody cares about my back pain lol", False),
    # the frozen judge of 2026-12-06: plain noes the first version took for despair
    ("No thank you, I'm fine. I wrote I'm done because I finished the intake form.", False),
    ("No. I'm frustrated, not hopeless. Big difference. What are the hours?", False),
    ("no. my english not so good, i mean i hurt me in the job, my hand.", False),
    ("no im not ok my husband left", True), ("no im not ok in my head", True),
])
def test_a_reply_that_tells_the_writer_is_not_well(text: str, unwell: bool) -> None:
    assert tells_being_unwell(text) is unwell

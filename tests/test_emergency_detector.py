"""The emergency detector on messages it once got wrong, and what it is made of."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.core.emergency import Detector, Kind, ensure_detector, load_detector
from bot.core.emergency.dataset import LABELS, TRAINING_DIR, load_examples, ordinary_messages
from bot.core.emergency.model import Scores
from bot.core.emergency.text import tokens

HERE = Path(__file__).parent / "emergency"
REGRESSION = load_examples([HERE / "regression.yml"])


@pytest.fixture(scope="module")
def detector():
    ensure_detector()
    return load_detector()


@pytest.fixture(scope="module")
def training():
    """The training messages, read once: each read of the files takes about 10 s."""
    return load_examples([TRAINING_DIR])


@pytest.fixture(scope="module")
def training_phrasings(training):
    """The training messages of four words or more, as their words."""
    read = ((e.text, tuple(tokens(e.text))) for e in training)
    return [(text, words) for text, words in read if len(words) >= 4]


def _tracked(case):
    if case.status == "open":
        return pytest.param(case, marks=pytest.mark.xfail(strict=True, reason="open error"))
    return case


@pytest.mark.parametrize("case", [_tracked(c) for c in REGRESSION], ids=lambda c: c.text[:40])
def test_regression_cases(detector, case):
    verdict = detector.assess(case.text, case.asked)
    assert verdict.kind == Kind(case.label), verdict


def test_only_false_alarms_may_stay_open():
    assert all(c.label == "none" for c in REGRESSION if c.status == "open")


def test_regression_cases_are_never_training_data(training):
    """Bare answers ("yes") are everywhere; any longer phrasing must be new to the model."""
    texts = {e.text.strip().lower() for e in training}
    phrasings = [c.text for c in REGRESSION if len(c.text.split()) > 2]
    assert [t for t in phrasings if t.strip().lower() in texts] == []


@pytest.mark.parametrize("frozen", sorted(p.parent.name for p in HERE.glob("*/SHA256SUMS")))
def test_no_message_of_a_frozen_set_is_training_data(training_phrasings, frozen: str):
    """Writers who never met can still write the same common line ("i want to die"):
    such a message is taken out of the training data, so the frozen sets stay unseen."""
    final = {tuple(tokens(e.text)) for e in load_examples([HERE / frozen])}
    assert [text for text, words in training_phrasings if words in final] == []


@pytest.mark.parametrize(("intent", "kept"), [
    ("faq/insurance", True), ("greet", True), ("describe_situation", True),
    ("emergency", False), ("affirm", False), ("deny", False), ("correction", False),
    ("faq/emergency_signs", False),
])
def test_nlu_examples_are_ordinary_messages_except_urgent_and_context_replies(
        tmp_path, intent, kept):
    (tmp_path / "nlu.yml").write_text(
        f'version: "3.1"\nnlu:\n- intent: {intent}\n  examples: |\n    - a line\n'
        "- regex: ignored\n  examples: |\n    - x\n", encoding="utf-8")
    assert [(e.text, e.label) for e in ordinary_messages([tmp_path])] == (
        [("a line", "none")] if kept else [])


def test_every_training_file_is_labelled_and_covers_every_label(training):
    assert {e.label for e in training} == set(LABELS)
    assert all(e.text.strip() for e in training)


@pytest.mark.parametrize("text", ["", "   ", "😀🙏💪", "<script>alert(1)</script>", "x" * 100_000,
                                  "'; drop table events; --", "仕事の強化とは何ですか"])
def test_bad_input_is_read_quickly_and_raises_no_alarm(detector, text):
    start = time.perf_counter()
    assert detector.assess(text).kind is Kind.NONE
    assert time.perf_counter() - start < 1.0


def test_a_sure_emergency_needs_no_check_question_and_an_unclear_one_gets_one(detector):
    assert detector.assess("i want to kill myself").sure is True
    low, high = detector.thresholds.ask, detector.thresholds.sure
    assert 0 < low < high <= 1


class _Model:
    """A stand-in for the model that reads each text by `read`, to test the decision alone."""

    def read_all(self, texts, lexicon, readings, asked=None) -> list[Scores]:
        return [self.read(t, lexicon, r, asked) for t, r in zip(texts, readings, strict=True)]


class _Fixed(_Model):
    """A model that reads every message the same way."""

    def __init__(self, scores: Scores) -> None:
        self.scores = scores

    def read(self, text, lexicon, reading, asked=None) -> Scores:
        return self.scores


@pytest.mark.parametrize(("text", "urgent", "self_harm", "kind"), [
    ("none of those, but i swallowed all my pills an hour ago", 0.95, 0.93, Kind.SELF_HARM),
    ("yes the leg weakness, since this morning", 0.99, 0.00, Kind.MEDICAL),
    ("yes im having one of those", 0.33, 0.90, Kind.MEDICAL),  # unsure on its own
    ("yeah that one", 0.01, 0.75, Kind.MEDICAL),
    # stop 54: read as self-harm by the model, but it names no warning sign nor a means
    ("the one about the chest, that one. is someone still gonna call me", 0.97, 0.96,
     Kind.MEDICAL),
])
def test_a_yes_to_the_checklist_is_medical_unless_the_message_is_self_harm_on_its_own(
        detector, text, urgent, self_harm, kind):
    fixed = Detector(detector.lexicon, _Fixed(Scores(urgent, self_harm, said_yes=0.999)),
                     detector.thresholds)
    assert fixed.assess(text, "red_flags").kind is kind


@pytest.mark.parametrize(("text", "flagged"), [
    ("a pallet jack caught my heel an hour ago, i literally cannot step on it. boss says "
     "finish the shift. will this mess up my evaluation", True),
    ("slipped on the ice 20 min ago. i cant put my foot down", True),
    ("havent been able to stand on that leg since i fell off the ladder yesterday", True),
    ("me cai de la escalera hace media hora y no me puedo parar", True),
    ("choque hace 2 horas, la pierna no me sostiene", True),
    ("slipped this morning. cant walk far since", False),           # a limit of stamina
    ("i fell 2 years ago and still cant put weight on it for long", False),
    ("fell at work in march and cant walk on it without the brace", False),  # not recent
    ("is it an emergency if i fell today and cant put weight on it?", False),  # asked
    ("i didnt fall today, i just cant walk on it", False),          # the injury denied
    ("tripped yesterday but i can walk on it fine", False),
    ("fell off the truck this morning, no i can still walk on it", False),
    # found by a fresh review
    ("fell off the ladder 20min ago and cant walk", True),
    ("i slipped on the ice an hour ago and cant walk on it, is that bad?", True),
    ("slipped on the ice this morning. no i literally cant step on it", True),
    ("fell off the ladder this morning\ncant walk on it\nis it bad", True),
    ("me torci el tobillo hoy, no lo puedo apoyar", True),
    ("saw my doc yesterday about the knee i twisted in march. she says i still cant put any "
     "weight on it for a month", False),                              # long past
    ("hoy fui al doctor por la caida de hace 3 meses. no puedo pisar", False),
    ("slipped on the ice yesterday, went to urgent care, xray was clean. i cant put weight "
     "on it for a few days", False),                                  # seen to
    ("i filed the accident report yesterday and my employer wont support the claim", False),
    ("i got caught in traffic this morning, cant walk to the clinic from the bus stop", False),
    ("i slipped up yesterday. i cant get up the stairs at your building", False),
    ("if i fall again today and cant walk, do i call you", False),     # hypothetical
    ("i fell off a ladder today. just kidding. i cant walk on my knee since march", False),
    # stop 74: still down where one fell, and a time told as "been" before its unit
    ("slipped on black ice getting the mail, its been 3 hrs and im still on the floor in "
     "the hallway bc every time i try to stand my hip screams", True),
    ("me cai hace rato y sigo en el piso", True),
    ("i fell in march and was still on the floor when my wife got home", False),  # long past
    ("my phone fell and its still on the floor lol", False),  # no injury of the writer
    ("i fell at work, its been 3 weeks and i still cant put weight on it", False),  # not new
    # ...a fresh review: what is still on the floor, a sofa, days told with "been"
    ("slipped on some grease at work today, it was still on the floor from the night shift",
     False),
    ("rolled my ankle on a pallet today at work, the pallet is still on the floor", False),
    ("me lastime la espalda hoy, sigo tirado en el sofa descansando", False),
    ("been 12 days since my fall and still cant stand on that leg, my surgeon says thats "
     "normal", False),
    ("fell off the ladder, been 2 hours and i cant put weight on my foot", True),
    # ...a second review: "i'm" typed with its apostrophe, "todavía", a thing still lying
    # there, a shift's hours
    ("slipped on the ice an hour ago, i'm still on the floor, what do i do", True),
    ("me cai hace 2 horas, todavia estoy en el piso", True),
    ("slipped on some grease at work today, it was still lying on the floor from the night "
     "shift", False),
    ("slipped at work, been doing 8 hour shifts on light duty since, still cant put weight "
     "on it for a full shift, how do i ask for more time off", False),
])
def test_a_new_injury_and_a_leg_that_bears_no_weight_are_a_red_flag_across_the_message(
        detector, text, flagged):
    assert _read_by_the_rules(detector, text) == (
        (Kind.MEDICAL, False, "NEW_INJURY+NO_WEIGHT") if flagged else (Kind.NONE, True, ""))


def _read_by_the_rules(detector: Detector, text: str) -> tuple[Kind, bool, str]:
    """The verdict of a detector whose model calls every message calm."""
    calm = Detector(detector.lexicon, _Fixed(Scores(0.05, 0.0, said_yes=0.0)),
                    detector.thresholds)
    verdict = calm.assess(text)
    return verdict.kind, verdict.sure, verdict.phrase


@pytest.mark.parametrize(("text", "flagged"), [
    ("my dad died last year and i want to join him", True),  # stop 54: read as past only
    ("my wife passed away in march. i just want to be with her again", True),
    ("since my brother killed himself i keep thinking i should join him", True),
    ("mi hijo murio en el choque y le pido a dios que me lleve con el", True),
    ("mi esposa fallecio hace un año, ya quiero irme con ella", True),
    # a death with no wish, a wish with no death, or one denied, past or asked about
    ("my dad died last year and i miss him every day", False),
    ("my coworker is in the program, i want to join him", False),
    ("my dad died last year and i dont want to join him, i have my kids", False),
    ("my mom passed away, i want to join the program for her", False),
    ("is it normal to want to be with my mom since she died?", False),
    ("my dad didnt die, he wants me to join him at his shop", False),
    # a fresh review of stop 55: words of other senses
    ("i passed my FCE last week and cant wait to join them back on the crew", False),
    ("i missed a week bc my uncle died, i had to go be with my family in mexico", False),
    ("mi jefe murio hace un año, el nuevo jefe es buena onda, quiero seguirlo", False),
    ("la lesion fue grave pero la terapia me ayuda y quiero seguirla", False),
])
def test_a_wish_to_join_someone_who_died_is_a_warning_sign_across_the_message(
        detector, text, flagged):
    assert _read_by_the_rules(detector, text) == (
        (Kind.SELF_HARM, False, "DEATH+REUNION") if flagged else (Kind.NONE, True, ""))


@pytest.mark.parametrize(("text", "asked"), [
    ("i lost control of my bladder after the accident", True),  # blind hand trial, stop 55
    ("cant feel my groin right after the injury", True),
    # over, long ago, denied, or asked about
    ("i lost control of my bladder right after the accident, in 2019", False),
    ("i was suicidal for a while after the accident but not anymore", False),
    ("i lost control of my bladder after the accident, it went away in a week", False),
    ("i didnt lose control of my bladder after the accident", False),
    ("did you lose control of your bladder after the accident?", False),
])
def test_a_red_flag_placed_only_at_the_time_of_the_injury_is_asked_about(detector, text, asked):
    verdict = _read_by_the_rules(detector, text)
    assert (verdict[0] is not Kind.NONE, verdict[1]) == ((True, False) if asked else (False, True))


class _ReadsQuestionsAsCalm(_Model):
    """A model for which any question in a message weighs against an emergency, and a
    "maybe" leaves it unclear."""

    def read(self, text, lexicon, reading, asked=None) -> Scores:
        urgent = 0.2 if any(w in text for w in ("how", "cuanto", "?")) else (
            0.5 if "maybe" in text else 0.93)
        return Scores(urgent, self_harm=0.0, said_yes=0.0)


@pytest.mark.parametrize(("text", "kind", "sure"), [
    ("it started an hour ago. how much is the program", Kind.MEDICAL, False),
    ("it started an hour ago\nhow much is the program", Kind.MEDICAL, False),
    ("empezo hace una hora. cuanto cuesta el programa", Kind.MEDICAL, False),
    ("it started an hour ago. how much is the program. it is worse now", Kind.MEDICAL, False),
    ("it started an hour ago maybe. how much is the program", Kind.NONE, True),  # unclear
    # a remark, kept with the sign; but the sign's sentence alone reads very sure
    ("it started an hour ago. how it goes away when i rest", Kind.MEDICAL, False),
    # told after the question: read alone (`_told_after_asking`)
    ("how much is the program? it started an hour ago", Kind.MEDICAL, False),
    ("it started an hour ago how much is the program", Kind.NONE, True),   # one sentence
    ("it started an hour ago", Kind.MEDICAL, True),
])
def test_a_sign_told_before_a_question_is_read_without_the_question(detector, text, kind, sure):
    reads = Detector(detector.lexicon, _ReadsQuestionsAsCalm(), detector.thresholds)
    verdict = reads.assess(text)
    assert (verdict.kind, verdict.sure) == (kind, sure)


class _DilutedByLength(_Model):
    """A model for which a sign is clear in a short text and lost in a long one."""

    def read(self, text, lexicon, reading, asked=None) -> Scores:
        sign = "numb" in text and len(text.split()) <= 12
        clear = 0.5 if "maybe" in text else 0.95
        return Scores(clear if sign else 0.1, self_harm=0.0, said_yes=0.0)


STORY = "hurt my back in feb lifting a resident at the home, been doing pt for months since"


@pytest.mark.parametrize(("text", "kind", "sure"), [
    (f"{STORY}. since last night my legs are numb", Kind.MEDICAL, False),
    (f"{STORY}\nsince last night my legs are numb\nis the program 5 days", Kind.MEDICAL, False),
    (f"{STORY}. since last night my legs are numb maybe", Kind.NONE, True),  # unclear alone
    (f"{STORY}. are my legs numb?", Kind.NONE, True),                       # asks
    (f"{STORY}, and since last night my legs are numb", Kind.NONE, True),   # one sentence
    ("since last night my legs are numb", Kind.MEDICAL, True),
    # no time of now, but the present tense; the past tense tells a story
    (f"{STORY}. my legs are numb", Kind.MEDICAL, False),
    (f"{STORY}. my legs went numb", Kind.NONE, True),
    (f"{STORY}. my legs went numb and i cant feel them", Kind.MEDICAL, False),
    (f"{STORY}. in march my legs are numb", Kind.NONE, True),               # a past time
    # told as over after it
    # a sign of today that passed may still need care: over in another sentence, it stands
    (f"{STORY}. since last night my legs are numb. all good now", Kind.MEDICAL, False),
    (f"{STORY}. since last night my legs are numb. it hasnt gone away", Kind.MEDICAL, False),
    # a long sentence is read in runs of clauses
    (f"{STORY}, my adjuster is slow and my boss calls every week and the forms never end "
     "and nobody ever answers the phone at the office, and since last night my legs are "
     "numb", Kind.MEDICAL, False),
    (f"{STORY}; since last night my legs are numb; is the program 5 days", Kind.MEDICAL, False),
])
def test_a_sign_told_in_one_sentence_of_a_long_message_is_read_alone(
        detector, text, kind, sure):
    reads = Detector(detector.lexicon, _DilutedByLength(), detector.thresholds)
    verdict = reads.assess(text)
    assert (verdict.kind, verdict.sure) == (kind, sure)


@pytest.mark.parametrize(("text", "kind"), [
    ("what number do i call, i took all my pills", Kind.SELF_HARM),
    ("cual es el numero de la linea de crisis, me quiero matar", Kind.SELF_HARM),
    ("whats the crisis line? i have the pills right here", Kind.SELF_HARM),
    ("whats the difference, my back is killing me", Kind.NONE),
    ("can i do the program, i had chest pain last year but its fine now", Kind.NONE),
    # a second review of stop 74: "who do i call" about a bill is a question, no cry
    ("who do i call about the ambulance bill from when i coughed up blood?", Kind.NONE),
])
def test_a_sign_told_after_a_question_is_read_without_the_question(detector, text, kind):
    """Found in review (stop 50): the question about help outweighed what followed it."""
    verdict = detector.assess(text)
    assert verdict.kind is kind and (kind is Kind.NONE or not verdict.sure)


@pytest.mark.parametrize(("text", "asks"), [
    ("if both legs go numb out of nowhere is that 911", True),
    ("si se me duermen las dos piernas de repente es para llamar al 911", True),
    ("what counts as an emergency after back surgery", True),
    ("chest pressure and sweating, should i go to the er", True),
    ("my chest is crushing and my left arm is numb", False),
    ("coughing up blood since my surgery", False),
    ("", False),
])
def test_a_question_about_what_counts_or_a_supposition_is_marked(detector, text, asks):
    assert detector.asks_what_counts(text) is asks


@pytest.mark.parametrize("text", [
    "i stock shelves. i dont want to live anymore, how many hours a day is it? how much does "
    "the program cost?",
    "soy cajera. ya no quiero vivir, puedo empezar? cuanto cuesta el programa?",
    "hola. ya no quiero vivir, que tengo que llevar? how much does the program cost?",
])
def test_a_sign_in_the_sentence_of_a_practical_question_is_still_read(detector, text):
    """Found in review: with the NLU's wider list of questions about the programs, the
    detector left these sentences, sign and all, out of its reading."""
    assert detector.assess(text).kind is Kind.SELF_HARM


@pytest.mark.parametrize(("urgent", "kind"), [
    (0.40, Kind.NONE),     # "nothing lined up, don't know what I want to do"
    (0.61, Kind.MEDICAL),  # "todavia no. me tome un frasco de tylenol hace una hora..."
    (0.67, Kind.MEDICAL),  # "about 10 weeks. chest pain since lunch but honestly..."
])
def test_the_reader_in_context_clears_only_a_weak_reading(detector, urgent, kind):
    scores = Scores(urgent, self_harm=0.1, said_yes=0.0, in_context=0.05)
    fixed = Detector(detector.lexicon, _Fixed(scores), detector.thresholds)
    assert fixed.assess("some answer", "medically_cleared").kind is kind


@pytest.mark.parametrize(("text", "asked", "urgent"), [
    ("yes, why do you ask?", "red_flags", True),
    ("si, quiero hablar con una persona", "red_flags", True),
    ("yes talk to a person", "red_flags", True),
    ("yes, none of those", "red_flags", False),             # the rest denies
    ("yes i had a fever in december, fine now", "red_flags", False),  # the rest is over
    ("why do you ask?", "red_flags", False),                # no yes
    ("yes, why do you ask?", "medically_cleared", False),   # not the checklist
    ("la tercera", "red_flags", True),                      # an item picked by its place
    ("solo la primera", "red_flags", True),
    ("only the first", "red_flags", True),
    ("number 2", "red_flags", True),
    ("not the first one, none", "red_flags", False),        # denied
    ("what is the third one?", "red_flags", False),         # asked about
    ("no, la primera vez que me lastime fue en 2019", "red_flags", False),
    ("the second one", "meets_job_demands", False),         # not the checklist
])
def test_a_leading_yes_to_the_checklist_is_a_possible_red_flag_whatever_follows(
        detector, text, asked, urgent):
    fixed = Detector(detector.lexicon, _Fixed(Scores(0.01, 0.01, said_yes=0.01, in_context=0.01)),
                     detector.thresholds)
    verdict = fixed.assess(text, asked)
    assert verdict.urgent is urgent
    assert not verdict.sure or not urgent  # shown with the check question

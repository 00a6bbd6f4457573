"""How a message is read for emergencies: negation scope, pseudo-negations, time."""

import pytest

from bot.core.emergency.lexicon import load_lexicon
from bot.core.emergency.text import (
    affirmed_items,
    after_a_leading_yes,
    denied_items,
    in_the_present,
    is_bare_no,
    joined,
    negated_words,
    normalise,
    read,
    takes_back,
    tokens,
    told_after_a_bare_no,
    told_as_over,
)

SCOPE = load_lexicon().scope


def denied_in(text):
    return [w.text for w in read(text, SCOPE).words if w.negated]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("no chest pain", ["chest", "pain"]),
        ("I don't have chest pain", ["have", "chest", "pain"]),
        ("no numbness, tingling or weakness", ["numbness", "tingling", "or", "weakness"]),
        ("no fever, but my legs went numb", ["fever"]),
        ("no fever and my legs are numb", ["fever"]),
        ("no fever and chills", ["fever", "and", "chills"]),
        ("not sure if its chest pain", []),
        ("not gonna lie my left arm went numb", []),
        ("no idea why but my chest is crushing", []),
        ("nothing helps the pain in my chest", []),
        ("I've never felt pain like this in my chest", []),
        ("pain like nothing ive ever felt in my hip", []),  # a comparison, not a denial
        ("nothing like this numbness before", ["like", "this", "numbness", "before"]),
        ("I can't feel my legs", []),
        ("my leg won't stop bleeding", []),
        ("no one answers at my doctor's office", []),
        ("i cant tell if i need to pee or not and when i sit my butt feels asleep", []),
        ("no tengo dolor de pecho", ["tengo", "dolor", "de", "pecho"]),
        ("no siento las piernas", []),
        ("Chest pain? no. Breathing fine.", ["chest", "pain"]),
        ("fever? nope, numbness? yes", ["fever"]),
        ("¿Dolor de pecho? No.", ["dolor", "de", "pecho"]),
        ("chest pain? no idea, it comes and goes", []),
        ("is it chest pain? it hurts a lot", []),
        ("numbness? no. weak legs? yes", ["numbness"]),
        ("bladder control? no", []),  # a function answered no is lost, not denied
        ("nothing heavy while i was at work my left arm went numb", ["heavy"]),
        ("no pain for a while, then my chest got tight", ["pain", "for", "a", "while"]),
        ("not today", ["today"]),
        ("not right now, no", ["right", "now"]),
        ("hoy no", ["hoy"]),
        ("ahorita no", ["ahorita"]),
        ("today no numbness", ["numbness"]),  # the "no" negates what follows, not the day
        ("no. today my legs went numb", []),
        ("right now not able to move my legs", []),  # an inability, read as "can't"
        ("no soy capaz de mover las piernas", []),
        ("not able to say, no pain though", ["pain"]),
        # not wanting to die denies a wish; not wanting to live, or to make a fuss, does not
        ("i dont want to die or anything", ["want", "to", "die", "or", "anything"]),
        ("no quiero morirme", ["quiero", "morirme"]),
        ("i dont want to live anymore", []),
        ("ya no quiero vivir asi", []),
        ("dont want to overreact my chest is tight", []),
        ("no quiero ir a emergencias pero me duele el pecho", []),
    ],
)
def test_negation_reaches_to_the_end_of_its_clause_only(text, negated):
    assert denied_in(text) == negated


@pytest.mark.parametrize(
    ("text", "past", "now"),
    [
        ("the numbness I had in March went away", True, False),
        ("my chest hurt two years ago", True, False),
        ("the pain was unbearable at first", True, False),
        ("I fell an hour ago and the pain is unbearable", False, True),
        ("it went away but now it's back again", True, True),
        ("my legs went numb this morning", False, True),
        ("me cai hace dos anos", True, False),
        ("me cai hace un rato", False, True),
        ("passed out at work once in 2019", True, False),
        ("i slit my wrist a little while ago", False, True),
        ("not today", False, False),
        ("hoy no", False, False),
        ("cant pee, not since yesterday", False, True),
        ("not today, but last night my chest was crushing", False, True),
        ("orine poquito en la manana y ahorita nada", False, True),
        ("i havent today", False, True),
        ("my legs went numb last week but fine now", True, False),  # "now" ends "fine now"
        ("chest pain back then, my legs are numb now", True, True),
        ("was fine now its numb again", False, True),  # "now" opens the news
        ("i was ok now i feel like ending it", False, True),
        ("i thought i was gonna die when the trench caved in", True, False),  # a fear, told
        ("pense que me iba a morir cuando se cayo la carga", True, False),
        ("cleared last month. the last 2 days both legs got weak", True, True),  # a count
    ],
)
def test_clauses_told_in_the_past_or_now(text, past, now):
    reading = read(text, SCOPE)
    assert bool(reading.past_clauses) is past
    assert bool(reading.now_clauses) is now


@pytest.mark.parametrize(("text", "clauses"), [
    ("pienso en el accidente una y otra vez", 1),  # an idiom, not a break
    ("i keep replaying it over and over", 1),
    ("pienso en el accidente y no duermo", 2),
    ("for a while now my legs are numb", 2),
])
def test_idioms_made_with_and_do_not_end_a_clause(text, clauses):
    assert len({w.clause for w in read(text, SCOPE).words}) == clauses


def test_sentences_that_ask_are_known():
    reading = read("My chest hurts. What if it gets worse? Call me", SCOPE)
    assert reading.questions == {1}
    assert [w.sentence for w in reading.words if w.text in ("chest", "worse", "call")] == [0, 1, 2]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("coughing up blood a little, does that count?", ["does", "that", "count"]),
        ("tos con sangre desde ayer, es grave?", ["es", "grave"]),
        ("my chest hurts, is that bad", []),  # no question mark: a statement
        # a sentence of its own, still a hypothetical ("what if": the lexicon's `asking`)
        ("what if im coughing up blood, does that count?", ["does", "that", "count"]),
        ("does coughing up blood count?", ["does", "coughing", "up", "blood", "count"]),
        ("my chest hurts, is that bad for the program or should i wait?",
         ["my", "chest", "hurts", "is", "that", "bad", "for", "the", "program", "or",
          "should", "i", "wait"]),
        ("blood in my cough,", []),
    ],
)
def test_a_question_tagged_on_a_statement_asks_about_it_not_in_it(text, asked):
    reading = read(text, SCOPE)
    assert [w.text for w in reading.words if w.sentence in reading.questions] == asked


def test_normalising_folds_case_quotes_accents_and_letter_runs():
    assert normalise("I CAN\u2019T BREATHE") == "i can't breathe"
    assert normalise("Me duele el pecho, ¿qué hago?") == "me duele el pecho, ¿que hago?"
    assert normalise("helppppp") == "helpp"


@pytest.mark.parametrize(
    ("typed", "written"),
    [("no , bladder is fine .", "no, bladder is fine."), ("weak legs? yes", "weak legs? yes"),
     ("Fever?NO. legs ... numb", "fever? no. legs... numb")],
)
def test_tokens_are_written_back_spaced_one_way(typed, written):
    assert joined(tokens(typed)) == written


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("right now not able to move my legs", "right now can't move my legs"),
        ("I'm unable to feel my feet", "i can't feel my feet"),
        ("im not able to pee", "i can't pee"),
        ("cant feel my foot, cannot lift it", "can't feel my foot, can't lift it"),
        ("i wasnt able to pee all day", "i wasnt able to pee all day"),  # the tense kept
        ("i cant say i have any of those", "i not any of those"),  # a hedged no
        ("i wouldnt say i cant walk", "i not walk"),
        ("no puedo decir que tenga alguno", "no alguno"),
        ("i cant say i can feel my legs", "i can't say i can feel my legs"),  # a symptom
        ("no soy capaz de mover las piernas", "no puedo mover las piernas"),
        ("no logra hablar bien", "no puede hablar bien"),
        ("not able", "not able"),  # only the whole phrase
        ("i am able to walk", "i am able to walk"),
        ("just the second one, none of the rest", "just the second one, only that"),  # a pick
        ("la segunda, ninguna de las otras", "la segunda, nada mas"),
    ],
)
def test_an_inability_is_read_in_one_form(typed, read_as):
    assert SCOPE.canon.rewrite(tokens(typed)) == tokens(read_as)


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("the last 3 days", "the last few days"),
        ("past two hours my chest", "past few hours my chest"),
        ("last 2 nights", "last few nights"),
        ("the last 10 days", "the last 10 days"),  # not a few
        ("last 3 weeks", "last 3 weeks"),  # not days or hours
        ("3 days", "3 days"),  # no lead
        ("last 3", "last 3"),
        ("my knee gave way", "my knee buckled"),
        ("my legs keep giving out", "my legs keep buckling"),
    ],
)
def test_a_short_count_of_days_is_read_as_a_few(typed, read_as):
    assert SCOPE.canon.rewrite(tokens(typed)) == tokens(read_as)


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("my dad's not breathing", "my dad isnt breathing"),
        ("the guy's not breathing", "the guy isnt breathing"),
        ("he's not breathing", "he isnt breathing"),
        ("hes not breathing", "he isnt breathing"),
        ("she is not breathing", "she isnt breathing"),
        ("they are not breathing", "they isnt breathing"),
        ("it's not bad", "it is not bad"),
        ("my dad's truck is fine", "my dad's truck is fine"),  # a possessive, not before "not"
        ("im not breathing hard anymore", "im not breathing hard anymore"),  # denies
        ("'s not", "'s not"),  # no word before the contraction
        ("moms not breathing", "mom isnt breathing"),  # a person's name, no apostrophe
        ("my dads not moving", "my dad is not moving"),
        ("this not good", "this not good"),  # no person
        ("baby not breathing", "baby isnt breathing"),  # a person's name, no verb
        ("my boss not answering", "my boss is not answering"),
    ],
)
def test_a_contraction_before_not_is_read_as_is(typed, read_as):
    assert SCOPE.canon.rewrite(tokens(typed)) == tokens(read_as)


@pytest.mark.parametrize(
    ("text", "rest", "taken_back"),
    [("yes, why?", "why?", False), ("si por que", "por que", False),
     ("yeah can i talk to a human", "can i talk to a human", False),
     ("yes none", "none", True), ("si, ninguno", "ninguno", True),
     ("yes i read it and nothing applies", "i read it and nothing applies", True),
     ("yes i had a fever back then", "i had a fever back then", True),
     ("yes i read them, nothing like this", "i read them, nothing like this", True),
     ("yes, not sure its serious", "not sure its serious", False)],  # "not sure" denies nothing
)
def test_what_follows_a_leading_yes_and_whether_it_takes_it_back(text, rest, taken_back):
    assert after_a_leading_yes(text, SCOPE) == rest
    assert takes_back(rest, SCOPE) is taken_back


@pytest.mark.parametrize("text", [
    "why?", "yes", "yes.", "ok yes",
    # "ya" before a verb or a pronoun is "already" (the blind trial of stop 51)
    "ya fui a emergencias, era ansiedad, estoy bien", "ya me checaron y estoy bien",
    "ya no tengo nada de eso",
])
def test_a_reply_without_a_leading_yes_and_more_has_nothing_after_it(text):
    assert after_a_leading_yes(text, SCOPE) is None


def test_tokens_are_bounded_for_huge_messages():
    assert len(tokens("pain " * 100_000)) == 400
    assert tokens("") == []
    assert tokens("😀🙏💪") == []


def test_negated_words_reads_a_token_list_like_a_spacy_doc():
    words = ["i", "do", "n't", "feel", "scared", ",", "i", "am", "worried"]
    assert negated_words(words, SCOPE)[4] is True
    assert negated_words(words, SCOPE)[8] is False
    assert negated_words(["i", "ca", "n't", "feel", "my", "legs"], SCOPE)[5] is False
    # spaCy splits "hasnt" (blind hand trial, stop 57: "he hasnt really cleared me")
    assert negated_words(["he", "has", "nt", "really", "cleared", "me"], SCOPE)[4] is True


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("no, but my legs are numb", "my legs are numb"),
        ("nope but i cant breathe", "i cant breathe"),
        ("no pero me falta el aire", "me falta el aire"),
        ("No, nothing like that is happening to me.", None),
        ("no chest pain but my legs are numb", None),  # "no" here denies chest pain
        ("no, but", None),
        ("not yet, cant hold my arm up long enough", None),  # "not yet" is a whole answer
        ("not yet, but my calf is swollen and hot", "my calf is swollen and hot"),
        ("not really, but my chest is tight", "my chest is tight"),
        ("no, yet my legs are numb", "my legs are numb"),
    ],
)
def test_a_leading_no_but_turns_to_news_of_its_own(text, rest):
    assert told_after_a_bare_no(text, SCOPE) == rest


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("weak legs? yes", False),
        ("fever? nope", False),
        ("what if I can't breathe?", True),
        ("chest pain? no idea", True),
    ],
)
def test_a_question_answered_at_once_no_longer_asks(text, asks):
    assert bool(read(text, SCOPE).questions) is asks


@pytest.mark.parametrize(
    ("text", "bare"),
    [("no", True), ("Nope.", True), ("no no", True), ("/deny", True),
     ("no, none of those", False), ("no not now", False), ("", False), ("yes", False)],
)
def test_a_bare_no_says_nothing_more(text, bare):
    assert is_bare_no(text, SCOPE) is bare


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("numbness? no. weak legs? yes", ["weak legs"]),
        ("fever? yeah. chest pain? yes", ["fever", "chest pain"]),
        ("breathing ok? yes", []),
        ("weak legs? not sure", []),
        ("yes, weak legs", []),
        ("weak legs, yes. scratch that, none of the others", ["weak legs"]),
        ("fever, no. numbness: yeah", ["numbness"]),
        ("no fever, no numbness, weak legs, yes", ["weak legs"]),
        ("the second one, yes i think", []),  # the yes does not end the entry
        ("no chest pain, no fever, legs weak yes", ["legs weak"]),
        ("no fever, no numbness, yes", []),  # the yes confirms a denial
        ("no numbness or weakness yes", []),
        ("unable to lift my foot, yes", ["can't lift my foot"]),
    ],
)
def test_items_asked_and_ticked_at_once(text, items):
    assert affirmed_items(text, SCOPE) == items


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Fever? none. Leg weakness? nope. all good", ["fever", "leg weakness"]),
        ("numbness? no. weak legs? yes", ["numbness"]),
        ("bladder control? no", []),  # a function: its no says it is lost
        ("no fever, no numbness", []),  # not asked and answered
        ("me duele el pecho, no", []),  # a tag question as often as a denial
    ],
)
def test_items_asked_and_denied_at_once(text, items):
    assert denied_items(text, SCOPE) == items


@pytest.mark.parametrize(("text", "present"), [
    ("since lunch my left leg and arm feel heavy", True),
    ("everything went numb and i cant see the right half", True),
    ("desde la comida siento pesado el brazo", True),
    ("i dont want to be here anymore", True),
    ("i hit my head", False),            # may be a story: neither tense
    ("my legs gave out", False),
    ("i wanted to die", False),
    ("my arm was numb and weak", False),
    ("in march i cant feel my legs", False),  # a time of the past
    ("", False),
])
def test_a_message_told_in_the_present_tense(text, present):
    assert in_the_present(read(text, SCOPE), SCOPE) is present


@pytest.mark.parametrize(("text", "over"), [
    ("pins and needles for 10 min then back to normal", True),
    ("all good now", True), ("ya se me quito", True),
    ("the guys made me sit down", False), ("it has not gone away", False),
    ("it hasnt gone away", False), ("", False),
])
def test_a_text_that_tells_something_as_over(text, over):
    assert told_as_over(read(text, SCOPE), SCOPE) is over

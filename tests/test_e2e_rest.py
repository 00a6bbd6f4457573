"""End to end: the real Rasa and action servers, spoken to over the REST channel."""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import pairwise

import pytest
import requests
from smtp_inbox import body, shows_a_555_number
from sqlalchemy import create_engine, text
from website_chat import WORK_HARDENING_RESULT, first_line, question

from bot.core.clinic import load_clinic
from bot.settings import ROOT, Settings

pytestmark = pytest.mark.e2e  # real servers or processes (tests/conftest.py)

CLINIC = load_clinic(ROOT / "clinic.yml")
MEDICAL_REVIEW_RESULT = first_line(ROOT / "domain.yml", "utter_result_medical_review")
NOT_UNDERSTOOD = first_line(ROOT / "domain.yml", "utter_default")
REGULAR_PT = first_line(ROOT / "data/responses/faq.yml", "utter_faq/regular_pt_difference")
EMERGENCY_SIGNS = first_line(ROOT / "data/responses/faq.yml", "utter_faq/emergency_signs")
DIFFERENCE = first_line(ROOT / "data/responses/faq.yml", "utter_faq/difference")
WHAT_IS_WORK_HARDENING = first_line(ROOT / "data/responses/faq.yml",
                                    "utter_faq/what_is_work_hardening")


def reply_text(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex}"


def test_greeting_carries_the_safety_notice_and_clinic_name(running_bot):
    messages = running_bot.say("hello", new_sender())
    answer = reply_text(messages)
    assert CLINIC.name in answer
    assert "not medical advice" in answer and "911" in answer
    assert any(m.get("buttons") for m in messages)


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        (
            "what's the difference between work hardening and work conditioning?",
            ["Work conditioning is", "Work hardening uses a team",
             "tasks set up to be like your job", "2–4", "6–8", "3–5", "4–8 weeks",
             "(physical or occupational)"],
        ),
        ("so what exactly is work hardening", ["A team works with you", "real work tasks"]),
        ("whats work conditioning", ["Strength", "2–4 hours a day", "One kind of therapist"]),
        ("how many weeks does it usually take", ["4–8 weeks"]),
        ("do I need a referral from my doctor", ["referral", "claim adjuster", CLINIC.phone]),
        ("will workers comp pay for it", ["Workers' compensation", "can't promise"]),
        ("how can I reach the clinic", [CLINIC.phone, CLINIC.email, CLINIC.address, CLINIC.hours]),
        ("what should I wear to the first session", ["closed toes", "water bottle"]),
        ("are you a robot?", ["computer program, not a person"]),
    ],
)
def test_answers_carry_the_facts(running_bot, question, facts):
    answer = reply_text(running_bot.say(question, new_sender()))
    for fact in facts:
        assert fact in answer, f"{fact!r} missing from answer to {question!r}:\n{answer}"


@pytest.mark.parametrize(("question", "hours", "weeks"), [
    ("how many hours a day is it", "hours a day", "weeks"),
    ("¿cuántas horas al día son?", "horas al día", "semanas"),
    ("how many days a week do i go", "days a week", "weeks"),
])
def test_a_question_about_hours_or_days_is_answered_with_them_first(
        running_bot, question: str, hours: str, weeks: str):
    """The answer on time opens with each program's hours and days, then its weeks."""
    answer = reply_text(running_bot.say(question, new_sender()))
    assert hours in answer and answer.index(hours) < answer.index(weeks), answer


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "x" * 10_000,
        "😀🙏💪",
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        "'; DROP TABLE events; --",
        "¿Qué es el acondicionamiento laboral?",
        "仕事の強化とは何ですか",
        "{\"intent\": \"greet\"}",
    ],
    ids=["empty", "blank", "10k-chars", "emoji", "html", "sql", "spanish", "japanese", "json"],
)
def test_bad_input_gets_a_reply_not_an_error(running_bot, message):
    messages = running_bot.say(message, new_sender())
    assert messages and all(m.get("text") for m in messages)


def test_conversation_is_stored_in_the_sql_tracker_store(running_bot):
    sender = new_sender()
    running_bot.say("hi", sender)
    running_bot.say("how long is work conditioning", sender)
    engine = create_engine(running_bot.database_url, future=True)
    with engine.connect() as conn:
        types = conn.execute(
            text("SELECT type_name FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": f"rest:{sender}"}
        ).scalars().all()
    assert types.count("user") == 2 and types.count("bot") >= 2
    assert "slot" in types


def user_events(bot, conversation: str) -> list[dict]:
    return [e for e in bot.tracker(conversation)["events"] or [] if e["event"] == "user"]


def test_http_api_requires_the_token_in_the_url_or_as_a_bearer_header(running_bot):
    sender = new_sender()
    running_bot.say("hi", sender)
    url = f"{running_bot.rasa_url}/conversations/rest:{sender}/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=10).status_code == 401
    assert requests.get(url, headers={"Authorization": "Bearer wrong"},
                        timeout=10).status_code == 401
    by_url = requests.get(url, params={"token": running_bot.token}, timeout=10).json()
    by_header = running_bot.tracker(f"rest:{sender}")
    assert by_url["slots"]["clinic_phone"] == by_header["slots"]["clinic_phone"] == CLINIC.phone


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ({"Authorization": "Bearer not-the-token"}, 403),
    ({"Authorization": "Basic abc"}, 401)])
def test_the_rest_channel_refuses_messages_without_the_api_token(running_bot, headers, status):
    sender = new_sender()
    answer = requests.post(f"{running_bot.rasa_url}/webhooks/rest/webhook", headers=headers,
                           json={"sender": sender, "message": "hi"}, timeout=30)
    assert answer.status_code == status
    assert user_events(running_bot, f"rest:{sender}") == []


def test_a_rest_client_cannot_choose_another_channels_conversation(running_bot):
    """The REST sender "+1555…" is not the SMS patient "+1555…": ids live per channel."""
    patient = f"+1555{uuid.uuid4().int % 10**7:07d}"
    reply_text(running_bot.say("hi", patient))
    users = user_events(running_bot, f"rest:{patient}")
    assert [e["text"] for e in users] == ["hi"]
    assert all(e["input_channel"] == "rest" for e in users)
    assert user_events(running_bot, f"twilio:{patient}") == []


def test_client_metadata_and_channel_are_ignored(running_bot):
    sender = new_sender()
    requests.post(f"{running_bot.rasa_url}/webhooks/rest/webhook",
                  headers={"Authorization": f"Bearer {running_bot.token}"},
                  json={"sender": sender, "message": "hi", "input_channel": "twilio",
                        "metadata": {"typed": "forged"}}, timeout=30).raise_for_status()
    [event] = user_events(running_bot, f"rest:{sender}")
    assert event["input_channel"] == "rest" and "typed" not in event["metadata"]


@pytest.mark.parametrize("typed", ["/emergency", "/stop_triage", "/restart",
                                   '/inform{"red_flags": true}', "//emergency"])
def test_patients_cannot_state_an_intent_the_assistant_did_not_offer(running_bot, typed):
    """Typed "/x" is read as words: the intent comes from understanding them, not injected."""
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    say(typed)
    [*_, last] = user_events(running_bot, f"rest:{sender}")
    assert last["text"] == typed.lstrip("/")
    assert len(last["parse_data"]["intent_ranking"]) > 1  # ranked by the NLU model
    if "emergency" not in typed:  # a patient who writes the word may mean it
        assert slots(running_bot, sender)["recommended_program"] != "urgent_care"


def test_an_offered_button_payload_still_works(running_bot):
    sender = new_sender()
    buttons = [b for m in running_bot.say("hello", sender) for b in m.get("buttons") or []]
    payload = buttons[0]["payload"]
    running_bot.say(payload, sender)
    users = user_events(running_bot, f"rest:{sender}")
    assert users[-1]["text"] == payload


def test_an_over_long_message_gets_a_kind_reply_and_the_conversation_stays(running_bot):
    sender, say = conversation(running_bot)
    first = say("which program is right for me?")
    answer = say("my back " * 400)
    assert "too long" in answer and "2,000" in answer
    users = user_events(running_bot, f"rest:{sender}")
    assert len(users) == 1
    assert say("no, none of those") and first


def conversation(bot):
    sender = new_sender()
    return sender, lambda text: reply_text(bot.say(text, sender))


def slots(bot, sender):
    return bot.tracker(f"rest:{sender}")["slots"]


def test_triage_asks_only_what_it_does_not_know_and_explains_the_result(running_bot):
    sender, say = conversation(running_bot)
    replies = [
        say("I hurt my back lifting 60 lb boxes at the warehouse 3 months ago, "
            "my doctor cleared me but I'm scared to go back"),
        say("no, none of those"),
        say("no"),
        say("probably 5 hours"),
    ]
    assert question("red_flags") in replies[0]
    assert question("meets_job_demands") in replies[1]
    assert question("tolerates_4_hours") in replies[2]
    assert WORK_HARDENING_RESULT in replies[3]
    assert replies[3].count("\n• ") >= 3 and "not a diagnosis" in replies[3]
    told = "\n".join(replies)
    for already_answered in ("medically_cleared", "weeks_since_injury", "has_job_goal",
                             "job_demand_level", "psychosocial_barriers"):
        assert question(already_answered) not in told
    record = slots(running_bot, sender)
    assert record["red_flags"] is False and record["medically_cleared"] is True
    assert record["weeks_since_injury"] == 13.0 and record["job_demand_level"] == "heavy"
    assert record["psychosocial_barriers"] is True and record["meets_job_demands"] is False
    assert record["tolerates_4_hours"] is True
    assert record["recommended_program"] == "work_hardening"
    assert record["requested_slot"] is None


def test_faq_why_and_emergency_in_the_middle_of_the_triage(running_bot):
    sender, say = conversation(running_bot)
    assert question("red_flags") in say("which program is right for me?")
    faq = say("wait, what's an FCE?")
    assert "functional capacity evaluation" in faq.lower() and question("red_flags") in faq
    why = say("why do you ask?")
    assert "emergency" in why and question("red_flags") in why
    urgent = say("I have crushing pressure in my chest right now")
    assert urgent.startswith("This could be an emergency. Please call 911 now")
    record = slots(running_bot, sender)
    assert record["red_flags"] is True and record["recommended_program"] == "urgent_care"
    assert record["requested_slot"] is None


def test_facts_told_before_the_triage_are_not_asked_again(running_bot):
    """Found by a hand trial: the date told with an FAQ was asked again at the end."""
    sender, say = conversation(running_bot)
    say("I hurt my back lifting 60 lb boxes at the warehouse 3 months ago. "
        "what is work conditioning?")
    assert question("red_flags") in say("which program is right for me?")
    say("no, none of those")
    record = slots(running_bot, sender)
    assert record["weeks_since_injury"] == 13.0 and record["job_demand_level"] == "heavy"


def test_which_program_asked_mid_triage_is_answered_not_misread(running_bot):
    _, say = conversation(running_bot)
    say("which program is right for me?")
    told = say("so which program is right for me?")
    assert "That is what these questions are for" in told and question("red_flags") in told


def test_a_later_message_corrects_an_earlier_answer(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    say("no, none of those")
    assert question("has_job_goal") in say("yes")
    result = say("sorry, actually my doctor hasn't cleared me yet")
    assert MEDICAL_REVIEW_RESULT in result
    record = slots(running_bot, sender)
    assert record["medically_cleared"] is False
    assert record["recommended_program"] == "medical_review"


INSURANCE = first_line(ROOT / "data/responses/faq.yml", "utter_faq/insurance")
DURATION = "4–8 weeks"


@pytest.mark.parametrize(("reply", "answer"), [
    # a blind hand trial (stop 59): the answer kept, the question dropped
    ("yeah dr said im ok to exercise. also does workers comp pay for this?", INSURANCE),
    ("yes he cleared me, how long does work hardening last", DURATION),
    # read whole, the answer was lost: the question asked again (a trial of stop 59)
    ("yes, is it covered by workers comp?", INSURANCE),
])
def test_a_reply_that_answers_then_asks_gets_its_answer_and_the_next_question(
        running_bot, reply, answer):
    sender, say = at_the_clearance_question(running_bot)
    told = say(reply)
    assert answer in told and question("has_job_goal") in told.split(answer, 1)[1]
    assert slots(running_bot, sender)["medically_cleared"] is True


def test_a_no_to_the_checklist_with_a_question_is_kept_and_the_question_answered(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    told = say("no, how long is the program?")
    assert DURATION in told and question("medically_cleared") in told.split(DURATION, 1)[1]
    assert slots(running_bot, sender)["red_flags"] is False


def test_a_correction_of_an_answer_further_back_is_no_answer_to_the_question_asked(
        running_bot):
    """A blind hand trial (stop 59): asked whether the job can be done, a correction of the
    doctor's answer also made the job undoable, a reason the patient never gave."""
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    say("no")
    say("yes")
    assert question("meets_job_demands") in say("yes, back to my warehouse job lifting 60 lb "
                                                "boxes")
    assert MEDICAL_REVIEW_RESULT in say("wait, i was wrong before, my doctor hasnt cleared me")
    assert slots(running_bot, sender)["meets_job_demands"] is None
    assert question("meets_job_demands") in say("sorry, he did clear me yesterday")


def test_a_remark_after_the_result_gets_no_canned_answer_picked_by_guess(running_bot):
    """A blind hand trial (stop 59): the remark got "I don't diagnose… medications"."""
    _, say = at_the_clearance_question(running_bot)
    assert MEDICAL_REVIEW_RESULT in say("sort of, he said light exercise")
    told = say("maybe? i was a nursing aide but idk if i want to go back, maybe something "
               "less physical")
    assert "diagnose" not in told and "medications" not in told


def test_a_correction_after_the_result_with_a_question_gets_both(running_bot):
    sender, say = at_a_result(running_bot)
    told = say("oh wait, she did clear me yesterday, how long does work hardening last")
    assert "I've changed that" in told and DURATION in told
    assert question("has_job_goal") in told.split(DURATION, 1)[1]
    assert slots(running_bot, sender)["medically_cleared"] is True


def at_a_result(bot):
    """A new conversation, just told "see your doctor first"."""
    sender, say = conversation(bot)
    say("which program is right for me?")
    say("no, none of those")
    assert MEDICAL_REVIEW_RESULT in say("not yet")
    return sender, say


@pytest.mark.parametrize(
    "correction",
    ["oh wait, I was wrong, she did clear me yesterday",
     "ya my ortho said I'm good to start exercising"],  # hand trial: no correction words
)
def test_a_correction_after_the_result_changes_it(running_bot, correction):
    sender, say = at_a_result(running_bot)
    changed = say(correction)
    assert "I've changed that" in changed and question("has_job_goal") in changed
    assert slots(running_bot, sender)["medically_cleared"] is True


def test_a_correction_after_the_result_and_an_faq_changes_it(running_bot):
    """A hand trial (stop 62): one turn after an FAQ answer, the result's rules no longer
    held and the correction got "say it another way" (later, a canned FAQ answer)."""
    sender, say = conversation(running_bot)
    for reply in ("which program is right for me?", "no, none of those", "yes, cleared",
                  "no, no job to go back to", "how long does work hardening last?"):
        say(reply)
    changed = say("no. i DO have a kind of work i want to go back to")
    assert "I've changed that" in changed and question("meets_job_demands") in changed
    assert slots(running_bot, sender)["has_job_goal"] is True


def test_a_remark_not_understood_later_is_still_read_against_the_result(running_bot):
    """Read by the fallback action, whatever turn it comes in after the result."""
    sender, say = at_a_result(running_bot)
    assert "anything else" in say("ok")
    changed = say("ortho ok'd me tues fwiw")
    assert "I've changed that" in changed and question("has_job_goal") in changed
    assert slots(running_bot, sender)["medically_cleared"] is True


def test_a_bare_number_after_the_result_and_an_faq_changes_no_hours(running_bot):
    """Fresh reviews (stop 63): "ok got one", after the referral answer, was one hour a
    day, and turned work hardening into work conditioning."""
    sender, say = conversation(running_bot)
    say("I hurt my back lifting 60 lb boxes at the warehouse 3 months ago, "
        "my doctor cleared me but I'm scared to go back")
    say("no, none of those")
    say("no")
    assert WORK_HARDENING_RESULT in say("probably 5 hours")
    say("do i need a referral?")
    for reply in ("ok got one", "my appt with ortho is at 2"):
        assert "I've changed that" not in say(reply)
    assert slots(running_bot, sender)["recommended_program"] == "work_hardening"


def test_a_goodbye_after_the_result_is_said_once(running_bot):
    """A fresh review (stop 63): "ok bye" got the goodbye, then "say it another way"."""
    _, say = at_a_result(running_bot)
    told = say("ok bye")
    assert NOT_UNDERSTOOD not in told and told.strip()


def test_a_message_not_understood_after_the_result_is_asked_about_once(running_bot):
    """Not twice: `utter_default` as a follow-up was followed by Rasa's own fallback."""
    sender, say = at_a_result(running_bot)
    say("ok")
    told = say("qqq zzz")
    assert told.count(NOT_UNDERSTOOD) == 1 and "call 911" in told
    assert slots(running_bot, sender)["recommended_program"] == "medical_review"


@pytest.mark.parametrize(
    ("replies", "expected"),
    [(["no"], "anything else"),
     (["no", "no"], "Take care"),
     (["what does a typical day look like?"], "warm-up"),
     (["k"], "anything else")],  # a blind hand trial (stop 59): "k" got the call back offered
)
def test_plain_replies_to_the_result_lead_somewhere(running_bot, replies, expected):
    """Found by a hand trial: "yes" or "no" after the result got "Sorry, I didn't get that"."""
    _, say = at_a_result(running_bot)
    told = [say(reply) for reply in replies][-1]
    assert expected in told and NOT_UNDERSTOOD not in told


def offer_of_a_person() -> str:
    """How the offer of a person ends, as the clinic's opening hours call for now."""
    if CLINIC.opening_hours.is_open(dt.datetime.now(dt.UTC)):
        return "Would you like the clinic to call you back?"
    return "Would you like a call back?"


def test_yes_after_the_result_offers_a_person(running_bot):
    _, say = at_a_result(running_bot)
    told = say("yes")
    assert offer_of_a_person() in told and NOT_UNDERSTOOD not in told


def at_the_date_question(bot, hours: str = "about 5 hours"):
    """A new conversation where only the time since the injury is left to ask."""
    sender, say = conversation(bot)
    say("I work construction carrying 60 lb bags and my doctor cleared me, "
        "I'm anxious about going back")
    say("no, none of those")
    assert question("tolerates_4_hours") in say("no")
    assert question("weeks_since_injury") in say(hours)
    return sender, say


def test_time_since_injury_is_asked_before_recommending_a_program(running_bot):
    sender, say = at_the_date_question(running_bot)
    result = say("about 2 and a half years ago")
    assert WORK_HARDENING_RESULT in result and "more than two years" in result
    # the clinic looks at the case on its own: said before the program (trial of stop 51)
    assert result.index("more than two years") < result.index(WORK_HARDENING_RESULT)
    assert slots(running_bot, sender)["weeks_since_injury"] == 130.4


@pytest.mark.parametrize("when", ["last winter", "since last winter"])
def test_a_date_is_an_answer_whatever_intent_the_nlu_gives_it(running_bot, when):
    """Found by the conversation harness: "since last winter" was read as "stop"."""
    sender, say = at_the_date_question(running_bot)
    assert WORK_HARDENING_RESULT in say(when)
    assert slots(running_bot, sender)["weeks_since_injury"] > 0


@pytest.mark.parametrize(("reply", "changed"), [
    ("like 3 weeks ago", True), ("hace como 3 semanas", True), ("no", False)])
def test_a_new_measure_after_the_result_answers_the_last_question_again(
        running_bot, reply, changed):
    """Found by a hand trial: "como 5 horas" after the result got "that does not change it"."""
    sender, say = at_the_date_question(running_bot)
    assert WORK_HARDENING_RESULT in say("about 2 and a half years ago")
    told = say(reply)
    assert ("changed that" in told or "cambi" in told) is changed and NOT_UNDERSTOOD not in told
    assert (slots(running_bot, sender)["weeks_since_injury"] == 3.0) is changed


def test_hours_a_day_after_the_result_change_the_hours_not_the_date(running_bot):
    """Found by a blind patient trial (stop 49): "i can do 4 hours or more a day" after
    the result said "I've changed that" and gave the same result: it was read as an
    injury "a day" ago, not as the hours."""
    sender, say = at_the_date_question(running_bot, "about 2 hours")
    assert WORK_HARDENING_RESULT not in say("6 months ago")
    told = say("i can do 4 hours or more a day")
    assert "changed that" in told and WORK_HARDENING_RESULT in told
    record = slots(running_bot, sender)
    assert record["tolerates_4_hours"] is True and record["weeks_since_injury"] == 26.1


def test_a_correction_of_the_hours_after_the_result_changes_them(running_bot):
    """Found by a blind patient trial (stop 49), in Spanish: a correction that names the
    hours, after the result, was asked "what would you like to change?"."""
    sender, say = at_the_date_question(running_bot, "about 2 hours")
    assert WORK_HARDENING_RESULT not in say("6 months ago")
    told = say("wait, i got that wrong. i can do 4 hours or more")
    assert "changed that" in told and WORK_HARDENING_RESULT in told
    assert slots(running_bot, sender)["tolerates_4_hours"] is True


def test_a_correction_that_quotes_an_answer_corrects_the_question_it_names(running_bot):
    """A blind hand trial (stop 57): read whole, "i said yes to the doctor thing" was a yes
    to doing the job (the question asked last), and the clearance stayed."""
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    say("no, none of those")
    say("yes")
    say("yes, office admin at a trucking company")
    say("no, i cant sit more than an hour")
    told = say("actually wait, i said yes to the doctor thing but he hasnt really cleared "
               "me yet, sorry")
    assert "changed that" in told and MEDICAL_REVIEW_RESULT in told
    record = slots(running_bot, sender)
    assert record["medically_cleared"] is False and record["meets_job_demands"] is False


def test_a_loss_told_beside_a_question_gets_a_sorry_then_the_answer(running_bot):
    """A blind hand trial (stop 57) got a refusal, then the answer alone (stop 59)."""
    _, say = conversation(running_bot)
    told = say("my buddy died in the same scaffold collapse that hurt my back. what is "
               "work hardening")
    assert told.startswith("I'm so sorry for your loss. ") and WHAT_IS_WORK_HARDENING in told


def test_the_job_told_in_reply_to_the_safety_checklist_does_not_clear_it(running_bot):
    """A blind hand trial (stop 57): the job's weights were taken for "none of these"."""
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    told = say("i work in a warehouse, picking orders, lot of lifting boxes maybe 40 50 lbs")
    assert question("red_flags", retry=True) in told
    assert question("medically_cleared") not in told
    record = slots(running_bot, sender)
    assert record["red_flags"] is None and record["job_demand_level"] == "medium"


def test_a_story_read_as_a_correction_before_any_answer_changes_nothing(running_bot):
    """A blind hand trial (stop 57): a first message told as over ("went away") was read as
    a correction, thanked for a change, and its question after a comma was lost."""
    _, say = conversation(running_bot)
    told = say("i had numbness down my leg in march but it went away after the injection. "
               "no fever no bladder issues. the pain was unbearable at first but its way "
               "better now. im a mover, whats the difference between hardening and "
               "conditioning")
    assert "changed that" not in told and DIFFERENCE in told


def test_a_question_asked_twice_is_not_asked_again_after_an_faq(running_bot):
    """Found by the conversation harness: each FAQ asked the hours question again, 21 times."""
    sender, say = at_the_date_question(running_bot)
    assert "4–8 weeks" in say("how long does work hardening last?")
    answered = say("how long does work hardening last?")
    assert "4–8 weeks" in answered and "Let's go on" in answered
    assert question("weeks_since_injury") not in answered
    assert "weeks_since_injury" in slots(running_bot, sender)["triage_unsure"]


def test_an_unclear_answer_is_asked_again_once_then_the_triage_goes_on(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    say("no, none of those")
    assert question("medically_cleared", retry=True) in say("🤷")  # not read as a yes or a no
    went_on = say("purple")
    assert "Let's go on" in went_on and MEDICAL_REVIEW_RESULT in went_on
    assert slots(running_bot, sender)["triage_unsure"] == ["medically_cleared"]


def test_not_sure_is_an_answer(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    say("no, none of those")
    result = say("I'm not sure")
    assert MEDICAL_REVIEW_RESULT in result and "not sure your doctor has cleared you" in result
    record = slots(running_bot, sender)
    assert record["recommended_program"] == "medical_review"


def test_a_rough_guess_is_asked_for_when_the_date_is_not_known(running_bot):
    _, say = at_the_date_question(running_bot)
    assert question("weeks_since_injury", retry=True) in say("I honestly don't remember")
    result = say("no idea, sorry")
    assert WORK_HARDENING_RESULT in result and "two years" not in result


def test_red_flags_answered_yes_in_the_form_means_urgent_care(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    assert "911" in say("yes")
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_a_negated_symptom_is_not_an_emergency(running_bot):
    _, say = conversation(running_bot)
    assert "911 now" not in say("I don't have chest pain, what is work conditioning?")


def test_self_harm_gets_the_crisis_line_not_the_medical_advice(running_bot):
    sender, say = conversation(running_bot)
    reply = say("honestly some days I want to end my life")
    assert "988" in reply and "This could be an emergency" not in reply
    record = slots(running_bot, sender)
    assert record["emergency_kind"] == "self_harm"
    assert record["recommended_program"] == "urgent_care"


def test_a_false_alarm_is_cleared_and_the_triage_resumes_at_its_question(running_bot):
    sender, say = at_the_clearance_question(running_bot)
    assert "911" in say("my chest has felt really tight and heavy all afternoon")
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"
    resumed = say("no, sorry, that was years ago, it's fine now")
    assert resumed.startswith("I'm sorry, I misunderstood you")
    assert question("medically_cleared") in resumed
    record = slots(running_bot, sender)
    assert record["red_flags"] is False and record["recommended_program"] is None
    assert record["emergency_check"] is False and record["requested_slot"] == "medically_cleared"


@pytest.mark.parametrize("asked", ["what kind of symptoms mean i should go to the ER?",
                                   "how bad does it have to be to call 911"])
def test_a_question_about_what_counts_as_an_emergency_gets_the_signs(running_bot, asked):
    sender, say = conversation(running_bot)
    answer = say(asked)
    assert answer.startswith(EMERGENCY_SIGNS) and "988" in answer
    assert slots(running_bot, sender)["recommended_program"] is None  # no alarm


def test_a_question_naming_a_sign_gets_911_the_check_question_then_the_signs(running_bot):
    sender, say = conversation(running_bot)
    alarm = say("is crushing chest pain that goes to my arm an emergency")  # sure alone
    assert alarm.startswith(first_line(ROOT / "domain.yml", "utter_emergency"))
    assert first_line(ROOT / "domain.yml", "utter_emergency_check") in alarm
    answer = say("no, i was just asking")
    assert EMERGENCY_SIGNS in answer
    assert slots(running_bot, sender)["recommended_program"] is None


def at_the_clearance_question(bot):
    """A triage begun and its safety checklist denied: the next question is the doctor's."""
    sender, say = conversation(bot)
    say("which program is right for me?")
    assert question("medically_cleared") in say("no, none of those")
    return sender, say


def replied_to_an_alarm(bot, told: str, number: str, reply: str) -> tuple[str, str]:
    """At the clearance question, an alarm raised (its `number` shown), then `reply` to it:
    the conversation and the assistant's answer."""
    sender, say = at_the_clearance_question(bot)
    assert number in say(told)
    return sender, say(reply)


def test_thoughts_of_suicide_waved_away_are_still_taken_seriously(running_bot):
    sender, say = at_the_clearance_question(running_bot)
    assert "988" in say("been saving up my oxy. this weekend is it")
    taken_back = say("lol no im fine forget it")
    waved_away = first_line(ROOT / "domain.yml", "utter_emergency_dismissed_self_harm")
    assert taken_back.startswith(waved_away)
    assert "misunderstood" not in taken_back and "988" in taken_back and "911" in taken_back
    assert first_line(ROOT / "domain.yml", "utter_emergency_self_harm_check") in taken_back
    assert slots(running_bot, sender)["emergency_check"] is True  # asked once, directly
    answered = say("no")
    thanks = first_line(ROOT / "domain.yml", "utter_emergency_answered_self_harm")
    assert answered.startswith(thanks)
    assert "misunderstood" not in answered and "988" in answered
    assert question("medically_cleared") in answered  # not held: the triage goes on
    assert slots(running_bot, sender)["emergency_check"] is False


def test_thoughts_waved_away_with_a_question_still_get_the_direct_question(running_bot):
    """The stop 61 trial's words: taken back with a question beside, the alarm must still
    be asked about directly; the question is answered first. A first version of stop 62
    answered the question and showed 988 again, but never asked."""
    sender, say = at_the_clearance_question(running_bot)
    assert "988" in say("been saving up my oxy. this weekend is it")
    reply = say("lol relax im fine, forget i said it. is there parking?")
    assert first_line(ROOT / "domain.yml", "utter_emergency_dismissed_self_harm") in reply
    assert first_line(ROOT / "domain.yml", "utter_emergency_self_harm_check") in reply
    assert "misunderstood" not in reply
    assert slots(running_bot, sender)["emergency_check"] is True
    say("no. just tired of it all. parking??")
    assert slots(running_bot, sender)["emergency_check"] is True  # no denial: still standing


def test_a_promise_not_to_act_is_not_taken_for_a_misunderstanding(running_bot):
    sender, reply = replied_to_an_alarm(
        running_bot, "sometimes i think theyd all be better off without me around", "988",
        "i'm not gonna do anything, just tired of it. can we keep going")
    # not a no to the thoughts: thanked, with 988, and asked directly (stop 53)
    assert reply.startswith(first_line(ROOT / "domain.yml", "utter_emergency_heard_self_harm"))
    assert "misunderstood" not in reply and "ending your life?" in reply
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_a_patient_checked_at_the_er_since_goes_on_with_the_questions(running_bot):
    sender, reply = replied_to_an_alarm(
        running_bot, "my calf got swollen and hot last night, i had knee surgery 3 weeks ago",
        "911", "went to the er last night, no clot, just swelling from the surgery. can we go on")
    assert reply.startswith(first_line(ROOT / "domain.yml", "utter_emergency_checked"))
    assert "misunderstood" not in reply
    assert question("medically_cleared") in reply  # the blind trial of stop 51: held
    assert slots(running_bot, sender)["emergency_check"] is False


PAUSED = first_line(ROOT / "domain.yml", "utter_questions_paused_for_them")


@pytest.mark.parametrize("told", [
    "my dads having a heart attack",  # stop 73: read as no one, no alarm
    "my husbands unconscious on the floor",
])
def test_another_persons_body_in_danger_gets_911_not_988(running_bot, told):
    sender, say = conversation(running_bot)
    answer = say(told)
    assert "911" in answer and "ending your life" not in answer
    assert slots(running_bot, sender)["emergency_kind"] == "medical"


def test_an_alarm_about_someone_else_gets_911_for_them(running_bot):
    """Hand trial of stop 53: "its not me its him!! should i call 911?" was read as a no
    about the writer and got an apology. It gets 911 and 988 for him, the writer's alarm
    is cleared (the alarm told of him, and the reply tells nothing of the writer's: until
    stop 62 the reader took its question for a yes and asked the writer once more), and
    the triage goes on at the question the alarm interrupted once the patient is ready (a
    blind hand trial, stop 57: not in the same reply as the advice for him)."""
    sender, reply = replied_to_an_alarm(
        running_bot, "my buddy at work keeps saying he wants to end it all, he means it",
        "988", "its not me its him!! should i call 911?")
    someone_else = first_line(ROOT / "domain.yml", "utter_emergency_someone_else_self_harm")
    assert reply.startswith(someone_else) and PAUSED in reply
    assert "911" in reply and "988" in reply and "sorry" not in reply.lower()
    assert question("medically_cleared") not in reply
    assert slots(running_bot, sender)["emergency_check"] is False
    went_on = reply_text(running_bot.say("/ask_which_program", sender))  # the button
    assert went_on.startswith(question("medically_cleared"))


@pytest.mark.parametrize(("told", "number", "reply", "for_them", "still"), [
    ("my chest feels tight and heavy right now", "911",
     "my dad is the one with the crushing chest pain right now. and honestly my chest is "
     "tight too", "utter_emergency_someone_else", "911"),
    ("i keep thinking everyone would be better off without me", "988",
     "yeah i think about it too. but my roommate just told me he has a gun and a plan tonight",
     "utter_emergency_someone_else_self_harm", "988"),
])
def test_another_at_risk_beside_the_writer_gets_the_advice_for_them_too(
        running_bot, told, number, reply, for_them, still):
    """A frozen judge of replies naming others (stop 63): the writer's alarm held, but
    nothing was said for the other person in 50 of 53 replies where both were at risk."""
    sender, answer = replied_to_an_alarm(running_bot, told, number, reply)
    assert answer.startswith(first_line(ROOT / "domain.yml", for_them))
    assert still in answer.split("\n", 1)[1] and "sorry" not in answer.lower()
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_a_no_that_tells_another_is_in_danger_gets_the_advice_for_them(running_bot):
    """A fresh review (stop 63): the writer's alarm was cleared with an apology, and the
    next question asked, with nothing said for the husband."""
    sender, answer = replied_to_an_alarm(
        running_bot, "my chest feels tight and heavy right now", "911",
        "no that was years ago, im fine now. my husband is bleeding a lot though")
    assert answer.startswith(first_line(ROOT / "domain.yml", "utter_emergency_someone_else"))
    assert "sorry" not in answer.lower() and question("medically_cleared") not in answer
    assert slots(running_bot, sender)["emergency_check"] is False


def test_an_answer_typed_after_the_pause_goes_on_with_the_questions(running_bot):
    """A fresh review of stop 57: after the pause, only the button had a way on."""
    sender, reply = replied_to_an_alarm(
        running_bot, "my buddy at work keeps saying he wants to end it all, he means it",
        "988", "no, not me. my coworker")
    assert PAUSED in reply
    went_on = reply_text(running_bot.say("yes", sender))
    assert NOT_UNDERSTOOD not in went_on and "?" in went_on


def test_a_no_that_says_why_besides_the_call_clears_the_alarm(running_bot):
    sender, say = conversation(running_bot)
    assert "911" in say("my chest is crushing and my left arm is numb")
    cleared = say("no, i dont need to call anyone, that was years ago")
    assert "misunderstood" in cleared and "have someone take you" not in cleared
    assert slots(running_bot, sender)["emergency_check"] is False


def test_a_wish_told_as_ones_own_is_asked_about_again_after_naming_another(running_bot):
    """A review with fresh eyes, stop 55: the message spoke as the writer ("i just want to
    go be with her"); a reply that names a sister gets 988 for her, and the writer is asked
    once more rather than cleared."""
    sender, reply = replied_to_an_alarm(
        running_bot, "my wife passed away in march and i just want to go be with her", "988",
        "no, its my sister who keeps saying that, not me")
    assert reply.startswith(first_line(ROOT / "domain.yml",
                                       "utter_emergency_someone_else_self_harm"))
    assert "988" in reply and "sorry" not in reply.lower()
    assert slots(running_bot, sender)["emergency_check"] is True


def test_what_to_do_for_the_person_the_alarm_told_of_gets_advice_for_them(running_bot):
    """Blind hand trial of stop 56: "what should i do for her" after an alarm about a
    girlfriend got the question about the writer's own thoughts, then an apology."""
    sender, reply = replied_to_an_alarm(
        running_bot, "my girlfriend keeps saying shes a burden and looked up stuff about "
        "hanging on her phone", "988", "what should i do for her")
    assert reply.startswith(first_line(ROOT / "domain.yml",
                                       "utter_emergency_someone_else_self_harm"))
    assert "988" in reply and "sorry" not in reply.lower()
    assert PAUSED in reply and question("medically_cleared") not in reply  # when ready
    assert slots(running_bot, sender)["emergency_check"] is False


def test_what_to_do_for_them_outside_the_questions_starts_no_questions(running_bot):
    """"what should i do for her" is taken for "which program is for me?": outside the
    questions, the advice for her is the answer, then the ending that hopes she gets help."""
    _, say = conversation(running_bot)
    assert "988" in say("my girlfriend keeps saying shes a burden and looked up stuff about "
                        "hanging on her phone")
    reply = say("what should i do for her")
    assert first_line(ROOT / "domain.yml", "utter_anything_else_for_them") in reply
    assert "for your safety" not in reply


def test_advice_for_someone_else_outside_the_questions_hopes_they_get_help(running_bot):
    """Hand trial of stop 54: after 911 for a wife with signs of a stroke, "Alright. Is
    there anything else?" was too light. The ending hopes they get help first, and a "no"
    to it ends the chat kindly."""
    _, say = conversation(running_bot)
    assert "911" in say("my wife says her left arm went numb and her words sound weird, "
                        "started 10 min ago")
    cleared = say("its her not me. what do i do")
    assert cleared.startswith(first_line(ROOT / "domain.yml", "utter_emergency_someone_else"))
    assert first_line(ROOT / "domain.yml", "utter_anything_else_for_them") in cleared
    assert "Alright." not in cleared and "sorry" not in cleared.lower()
    assert say("no").startswith("Take care")


@pytest.mark.parametrize(("alarm", "cleared", "first"), [
    ("ugh hang on, our dishwasher just dropped on the floor by the walk-in and hes not "
     "answering us, help",
     "ok the paramedics got him, he was awake when they left. sorry. so which program "
     "would fit me", "utter_emergency_someone_else"),
    ("sorry one sec, my coworker isnt waking up in the break room what do we do",
     "no no hes fine, he was just sleeping off a double lol. ok so which one is for me",
     "utter_emergency_cleared"),  # a misreading: he is fine
])
def test_asking_which_program_fits_after_advice_for_another_starts_the_questions(
        running_bot, alarm, cleared, first):
    """`make run` trials of stop 68: the coworker was fine or taken care of, then "so which
    program would fit me" got only "is there anything you'd like to know?". A question for
    oneself is taken up once the alarm is cleared; one for the other person is not (above)."""
    sender, say = conversation(running_bot)
    assert "911" in say(alarm)
    reply = say(cleared)
    assert reply.startswith(first_line(ROOT / "domain.yml", first))
    assert first_line(ROOT / "domain.yml", "utter_anything_else_for_them") not in reply
    record = slots(running_bot, sender)
    assert record["emergency_check"] is False and record["requested_slot"]


def test_a_yes_told_in_words_gets_no_second_check_question(running_bot):
    """`make run` trial of stop 68: "yes its happening right now…" reads as a possible sign
    itself, and got "Is this happening now…?" a second time. Now it is read as the reply it
    is: the alarm stands, and the patient is urged not to wait."""
    sender, say = conversation(running_bot)
    check = first_line(ROOT / "domain.yml", "utter_emergency_check")
    assert check in say("quick one before i start, my chest hurts pretty bad, should i call "
                        "911 or go to urgent care")
    reply = say("yes its happening right now, since about 20 min")
    assert "911" in reply and check not in reply
    assert slots(running_bot, sender)["emergency_check"] is True


@pytest.mark.parametrize("said", [
    # `make run` trial of stop 69: each reply got the same 911 text
    ("my chest has been tight and my left arm feels weird since lunch",
     "yeah its still going on right now", "ok", "ok"),
    # ...and of stop 70: a reply that names the sign again, read as a sure alarm itself
    ("quick q before i start - my left leg has been swollen and hot since yesterday, cast "
     "came off monday", "yeah it started yesterday", "ok"),
])
def test_a_yes_right_after_the_advice_is_not_answered_with_the_same_advice(running_bot, said):
    """After a sure alarm, each reply differs from the one before it, each still says
    911, and none offers a way to say it was a mistake."""
    sender, say = conversation(running_bot)
    replies = [say(text) for text in said]
    assert all("911" in reply for reply in replies)
    assert all(later != before for before, later in pairwise(replies)), replies
    assert not any("got it wrong" in reply for reply in replies)
    assert slots(running_bot, sender)["emergency_check"] is True


CALLED = first_line(ROOT / "domain.yml", "utter_emergency_called")
CALLED_OK = first_line(ROOT / "domain.yml", "utter_emergency_called_ok")


@pytest.mark.parametrize(("alarm", "reply"), [
    # the `make run` trial of stop 70: the clinic's number and "call you back?"
    ("my chest has been tight and my left arm feels weird since lunch", "ok i called them"),
    ("my left leg is swollen and hot since my cast came off", "the ambulance is on the way"),
    # the `make run` trial of stop 72: anyone the people reader names may have called
    ("my dads unconscious on the kitchen floor", "my roommate called 911"),
])
def test_911_called_after_an_alarm_is_heard_not_answered_with_the_advice_again(
        running_bot, alarm, reply):
    sender, say = conversation(running_bot)
    assert "911" in say(alarm)
    answer = say(reply)
    assert answer == CALLED and "call 911 again" in answer
    state = slots(running_bot, sender)  # the alarm stands
    assert state["emergency_check"] is True and state["recommended_program"] == "urgent_care"
    assert say("ok") == CALLED_OK  # a bare "ok": a word of care, once
    worse = say("yeah its worse now")  # a yes that says more gets 911 again
    assert "911" in worse and worse != CALLED


@pytest.mark.parametrize("after", ["no", "nope"])
def test_a_no_after_911_called_clears_nothing(running_bot, after):
    """A fourth fresh review of stop 71: "no" after "Good. You did the right thing…" got
    the apology for a misreading, and the alarm was cleared ("no", nobody came)."""
    sender, say = conversation(running_bot)
    assert "911" in say("my chest has been tight and my left arm feels weird since lunch")
    assert say("ok i called them") == CALLED
    answer = say(after)
    assert "911" in answer and "misunderstood" not in answer
    assert slots(running_bot, sender)["emergency_check"] is True


def test_911_called_told_late_or_twice_is_heard_without_repeats(running_bot):
    """A fourth fresh review of stop 71: told after the first replies, "ok i called 911"
    got "Please call 911 now"; told twice, the same reply twice."""
    _, say = conversation(running_bot)
    assert "911" in say("my chest has been tight and my left arm feels weird since lunch")
    say("yes")
    say("ok")
    assert say("ok i called 911") == CALLED
    assert say("theyre on their way") == CALLED_OK
    # the `make run` trial of stop 71: "they" are the ones called
    assert say("they're here now, thank you") == CALLED


CONFIRMED = first_line(ROOT / "domain.yml", "utter_emergency_confirmed")
THANKS = first_line(ROOT / "domain.yml", "utter_thank")


def test_a_sign_told_after_911_called_gets_911_again_without_the_check_question(running_bot):
    """The `make run` trial of stop 71: "its getting worse", after "Good…" and "Take
    care…", got the advice and "Is this happening now…?"."""
    sender, say = conversation(running_bot)
    assert "911" in say("i cant catch my breath and my lips look kind of blue")
    assert say("my wife just called 911") == CALLED
    assert say("thanks") == CALLED_OK  # thanks, as a bare "ok" is
    worse = say("its getting worse")
    assert worse == CONFIRMED and "happening now" not in worse
    assert slots(running_bot, sender)["emergency_check"] is True


@pytest.mark.parametrize(("alarm", "number"), [
    ("my chest has been tight and my left arm feels weird since lunch", "911"),
    ("i dont want to be alive anymore", "988"),
])
@pytest.mark.parametrize("thanks", ["thanks", "thank you", "ok thank you"])
def test_thanks_for_the_advice_is_no_end_of_the_alarm(running_bot, alarm, number, thanks):
    """The trial of stop 71: "thanks" after 911 or 988 got "You're welcome! Is there
    anything else you'd like to know about the programs?"."""
    sender, say = conversation(running_bot)
    assert number in say(alarm)
    answer = say(thanks)
    assert number in answer and THANKS not in answer
    assert slots(running_bot, sender)["emergency_check"] is True


def test_thanks_again_and_again_after_988_never_repeats_nor_tells_a_call(running_bot):
    """The `make run` trial of stop 72: the thanks for telling twice, the direct question
    between; then, once, "Thank you for reaching out to them" with no call told."""
    sender, say = conversation(running_bot)
    replies = [say(text) for text in ("i dont see the point of anything anymore", "thanks",
                                      "thank you", "thanks")]
    assert all(later != before for before, later in pairwise(replies)), replies
    assert "988" in replies[1] and "ending your life?" not in replies[1]
    assert not any("reaching out" in reply for reply in replies)
    assert slots(running_bot, sender)["emergency_check"] is True


def test_thanks_long_after_the_advice_is_still_no_end_of_the_alarm(running_bot):
    """A second review of stop 72: the third "thanks" got "You're welcome! Is there
    anything else…" while the alarm stood."""
    _, say = conversation(running_bot)
    replies = [say(text) for text in ("my chest feels tight", "thanks", "ok", "thanks",
                                      "thanks")]
    assert all("911" in reply and THANKS not in reply for reply in replies), replies
    assert all(later != before for before, later in pairwise(replies)), replies


def test_waiting_for_the_ambulance_while_it_gets_worse_gets_911_again(running_bot):
    """A second review of stop 72: it got the advice and "Is this happening now…?"."""
    _, say = conversation(running_bot)
    assert "911" in say("my chest hurts really bad and my left arm is numb")
    assert say("ok i called 911") == CALLED
    assert say("still waiting on the ambulance and the pain is worse") == CONFIRMED


@pytest.mark.parametrize(("alarm", "reply", "number"), [
    # fresh reviews of stop 72. The first: read as 988 reached, or a no that cleared it
    ("i wrote goodbye letters to my kids, i dont want to be here anymore",
     "i already texted them", "988"),
    ("i want to kill myself", "no im not ok", "988"),
    ("i want to kill myself", "no nothing helps", "988"),
    # the second: no reply at all (the two actions handed it back and forth), or the
    # call-back offer where the alarm's recovery had answered
    ("my son told me he wants to kill himself", "yes i called 988", "988"),
    ("mi hijo me dijo que se quiere matar", "si, ya llame al 988", "988"),
    ("i want to kill myself", "ok i called them", "988"),
    # the third: the call-back offer, or "good luck with your recovery"
    ("i want to kill myself", "ok ill call", "988"),
    ("i want to kill myself", "thanks bye", "988"),
    ("my chest feels tight and my left arm is numb", "bye", "911"),
    # the fourth: a parent asked about their own thoughts
    ("my son told me he wants to kill himself", "ok i called 988", "988"),
])
def test_a_reply_that_neither_ends_nor_clears_an_alarm_keeps_it_with_the_number(
        running_bot, alarm, reply, number):
    sender, say = conversation(running_bot)
    assert number in say(alarm)
    answer = say(reply)
    assert number in answer
    assert not any(words in answer for words in (
        "reaching out", "sorry", "call you back", "good luck"))
    assert slots(running_bot, sender)["emergency_check"] is True


@pytest.mark.parametrize("reply", ["nah that was years ago, bye",
                                   "that was 2 years ago. thanks bye"])
def test_a_goodbye_that_says_it_was_long_ago_clears_the_alarm(running_bot, reply):
    """A fourth review of stop 72: every goodbye was taken for a bare one."""
    sender, say = conversation(running_bot)
    assert "911" in say("my chest feels tight and my left arm is numb")
    assert "911" not in say(reply).split("\n")[-1]
    assert slots(running_bot, sender)["emergency_check"] is False


def test_help_that_has_the_person_clears_the_alarm_and_the_question_is_answered(running_bot):
    """Stops 69 to 71: "Please don't wait…", read as the writer's own yes."""
    sender, say = conversation(running_bot)
    assert "911" in say("my dad just collapsed and isnt breathing right")
    answer = say("ok the ambulance took him. so which program would fit me")
    assert answer.startswith(first_line(ROOT / "domain.yml", "utter_emergency_help_with_them"))
    assert "Please don't wait" not in answer and "?" in answer  # the questions start
    assert slots(running_bot, sender)["emergency_check"] is False
    # help that failed is no all-clear
    sender, say = conversation(running_bot)
    assert "911" in say("my dad just collapsed and isnt breathing right")
    assert "911" in say("the ambulance took forever, hes still on the floor not moving")
    assert slots(running_bot, sender)["emergency_check"] is True


def test_not_well_told_again_and_again_never_gets_the_general_answer(running_bot):
    """A third review of stop 72: the third "no im not ok" got "Sorry, I didn't quite get
    that"; before, it had cleared the alarm."""
    sender, say = conversation(running_bot)
    replies = [say(text) for text in ("i want to kill myself", "no im not ok",
                                      "no nothing helps", "no im not ok", "no")]
    assert all("988" in reply for reply in replies), replies
    assert all(later != before for before, later in pairwise(replies)), replies
    assert not any(first_line(ROOT / "domain.yml", "utter_default") in r for r in replies)
    assert slots(running_bot, sender)["emergency_check"] is True


@pytest.mark.parametrize("worse", ["hurts more now", "help its worse", "me duele mas"])
def test_a_sign_said_to_grow_after_911_called_gets_911_again(running_bot, worse):
    """A third review of stop 72: read as no emergency alone, these got the number and
    the one-click way out."""
    _, say = conversation(running_bot)
    assert "911" in say("my chest hurts really bad and my left arm is numb")
    assert say("ok i called 911") == CALLED
    assert say(worse) in (CONFIRMED, first_line(ROOT / "locales" / "es.yml",
                                                "utter_emergency_confirmed"))


def test_988_reached_after_a_suicide_alarm_is_thanked_not_asked_again(running_bot):
    """The trial of stop 71: "ok i called 988" got 988 and the direct question again."""
    sender, say = conversation(running_bot)
    assert "988" in say("i dont want to be alive anymore")
    answer = say("ok i called 988")
    assert answer == first_line(ROOT / "domain.yml", "utter_emergency_called_self_harm")
    assert "911" in answer and "ending your life?" not in answer
    assert say("ok") == first_line(ROOT / "domain.yml", "utter_emergency_care_self_harm")
    assert say("ok") == answer  # a fourth review of stop 72: not the direct question
    assert slots(running_bot, sender)["emergency_check"] is True
    # still standing: a sure sign told now gets the advice at once
    assert "911" in say("i took all my pills")


def test_a_yes_that_says_more_after_911_called_gets_911_again(running_bot):
    """A fresh review of stop 71: "yeah its worse now" had got "Take care"."""
    _, say = conversation(running_bot)
    assert "911" in say("my chest has been tight and my left arm feels weird since lunch")
    assert say("ok i called them") == CALLED
    worse = say("yeah its worse now")
    assert "911" in worse and CALLED_OK not in worse


@pytest.mark.parametrize("reply", [
    "i called them but now i cant breathe",  # a sure sign: the advice
    # fresh reviews of stop 71: read as help called, or given the call-back questions
    "i called 911 and my phone died",
    "theyre on their way to hurt me",
    "ya llamé a emergencias pero no contestan",
])
def test_a_reply_that_is_not_only_911_called_is_read_as_before(running_bot, reply):
    _, say = conversation(running_bot)
    assert "911" in say("my chest has been tight and my left arm feels weird since lunch")
    answer = say(reply)
    assert "911" in answer and CALLED not in answer and "phone number" not in answer


def test_a_request_for_a_person_beside_911_still_gets_the_call_back(running_bot):
    """A fresh review of stop 71: it had been taken for a reply about the call."""
    _, say = conversation(running_bot)
    assert "911" in say("my chest has been tight and my left arm feels weird since lunch")
    answer = say("the ambulance is coming but can someone from the clinic call me later")
    assert "call you back" in answer or "phone number" in answer, answer


def test_thoughts_of_suicide_are_not_answered_as_help_called(running_bot):
    """After a 988 alarm the reading is not used: "i called 988 and im going to do it
    anyway" (a fresh review of stop 71) must not get "Good, you did the right thing"."""
    _, say = conversation(running_bot)
    assert "988" in say("whats the point anymore. theres no future for me")
    assert CALLED not in say("ok i called them")


def test_a_clear_no_to_the_suicide_question_clears_the_alarm(running_bot):
    """Read by the question's own reader, a sure no ("no im not thinking about killing
    myself, i was just so angry" is still read as a disclosure: an open regression case)."""
    sender, cleared = replied_to_an_alarm(running_bot, "sometimes i just want to die", "988",
                                          "no, i'm not. i was just venting about my boss")
    assert cleared.startswith("Thank you for telling me, and I'm sorry if I got you wrong")
    assert "988" in cleared and question("medically_cleared") in cleared
    assert slots(running_bot, sender)["emergency_check"] is False


@pytest.mark.parametrize("reply", ["is that normal?", "kinda. is that normal?"])
def test_a_question_about_the_thoughts_keeps_a_suicide_alarm_and_gets_no_faq(
        running_bot, reply):
    """A fresh review (stop 60): "is that normal?" cleared the alarm with an apology, and
    both got the answer on soreness during exercise."""
    sender, told = replied_to_an_alarm(running_bot, "some days i wonder whats the point "
                                       "of anything", "988", reply)
    soreness = first_line(ROOT / "data/responses/faq.yml", "utter_faq/pain_during")
    assert "988" in told and soreness not in told and "got you wrong" not in told
    assert slots(running_bot, sender)["emergency_check"] is True


def test_a_yes_to_the_suicide_question_with_a_question_gets_both(running_bot):
    """A fresh review (stop 60): the answer came, and the yes was not heard."""
    sender, told = replied_to_an_alarm(running_bot, "some days i wonder whats the point "
                                       "of anything", "988", "yeah lately. do i need a referral")
    referral = first_line(ROOT / "data/responses/faq.yml", "utter_faq/referral").split("{")[0]
    assert referral in told and "988" in told.split(referral, 1)[1]
    assert slots(running_bot, sender)["emergency_check"] is True


def test_a_question_about_the_program_during_a_suicide_alarm_is_answered(running_bot):
    sender, told = replied_to_an_alarm(running_bot, "some days i wonder whats the point "
                                       "of anything", "988", "how long does it last?")
    assert DURATION in told and "988" in told.split(DURATION, 1)[1]
    assert slots(running_bot, sender)["emergency_check"] is True


def test_thoughts_told_again_are_heard_once_and_the_questions_can_go_on(running_bot):
    """Hand trial of stop 53: the whole 988 advice was sent five times in a row, to the
    thoughts told again and to each request to go on with the questions."""
    advice = first_line(ROOT / "domain.yml", "utter_emergency_self_harm")
    sender, say = at_the_clearance_question(running_bot)
    assert advice in say("my wife works double shifts now bc of me. shed be better off "
                         "without me dragging her down tbh")
    heard = say("i mean i dont know. i wouldnt do anything. i just think about it sometimes")
    assert advice not in heard and "988" in heard and "ending your life?" in heard
    going_on = say("ok ill text them later maybe. can we finish the program questions")
    assert advice not in going_on and "988" in going_on and "misunderstood" not in going_on
    assert question("medically_cleared") in going_on
    assert slots(running_bot, sender)["emergency_check"] is False


def test_the_direct_question_asked_on_the_way_to_the_questions_shows_988(running_bot):
    """Blind hand trial of stop 55: after a sure suicide alarm, asking to go on got the
    direct question alone, with no number in view."""
    _, say = conversation(running_bot)
    assert "988" in say("honestly i want to kill myself")
    asked = say("ok i hear you. can we go on with the program questions")
    check = first_line(ROOT / "domain.yml", "utter_emergency_self_harm_check")
    assert "988" in asked and asked.rstrip().endswith(check)


def test_thoughts_told_in_few_words_after_a_suicide_alarm_are_heard(running_bot):
    """Tried on `make run` in stop 53: "i just think about it sometimes" was taken for
    something the assistant does not do ("I'm sorry, I can't help with that")."""
    _, say = at_the_clearance_question(running_bot)
    assert "988" in say("my wife works double shifts now bc of me. shed be better off "
                        "without me")
    heard = say("i just think about it sometimes")
    assert "988" in heard and "can't help with that" not in heard


def test_not_right_now_keeps_a_suicide_alarm_standing(running_bot):
    """Thoughts that come and go: "not right now" denies nothing, unlike after a medical alarm."""
    sender, reply = replied_to_an_alarm(running_bot, "sometimes i just want to die", "988",
                                        "not right now")
    assert "misunderstood" not in reply and "988" in reply
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_a_denied_joke_confirms_rather_than_clears(running_bot):
    sender, say = conversation(running_bot)
    assert "988" in say("been saving up my oxy. this weekend is it")
    reply = say("no im not kidding")
    assert first_line(ROOT / "domain.yml", "utter_emergency_dismissed_self_harm") not in reply
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_a_false_alarm_outside_the_triage_is_cleared_and_the_assistant_waits(running_bot):
    sender, say = conversation(running_bot)
    assert "911" in say("my chest has felt really tight and heavy all afternoon")
    cleared = say("no, sorry, that was years ago, it's fine now")
    assert cleared.startswith("I'm sorry, I misunderstood you")
    assert cleared.endswith("anything else you'd like to know about the programs?")
    assert NOT_UNDERSTOOD not in cleared
    assert slots(running_bot, sender)["emergency_check"] is False
    assert say("no").startswith("Take care")


@pytest.mark.parametrize(("opening", "then"), [
    ("which program is right for me? my chest has felt really tight and heavy all afternoon",
     "Let's see which program may fit you"),
    ("how long does work hardening last? my chest has felt really tight and heavy all afternoon",
     "4–8 weeks"),
    # the question in a later sentence, without "?"
    ("my chest has felt really tight and heavy all afternoon. does insurance pay for work "
     "hardening", "Workers' compensation often covers these programs"),
])
def test_a_false_alarm_outside_the_triage_goes_back_to_what_the_patient_asked(
        running_bot, opening, then):
    sender, say = conversation(running_bot)
    assert "911" in say(opening)
    cleared = say("no, sorry, that was years ago, it's fine now")
    assert cleared.startswith("I'm sorry, I misunderstood you")
    assert then in cleared
    assert slots(running_bot, sender)["emergency_check"] is False


def test_a_question_asked_while_clearing_a_false_alarm_is_answered_first(running_bot):
    """The new question, not the one told with the alarm ("how much does it cost")."""
    _, say = conversation(running_bot)
    assert "911" in say("my chest is tight right now. how much does it cost")
    cleared = say("no sorry, that was last year, its fine now. "
                  "anyway how long does work hardening last")
    assert cleared.startswith("I'm sorry, I misunderstood you")
    assert "4–8 weeks" in cleared and "Prices vary" not in cleared


def test_a_sign_told_before_a_question_of_another_kind_gets_the_numbers_and_the_check(
        running_bot):
    """The question's words weigh against an emergency: read without them, it is one."""
    sender, say = conversation(running_bot)
    reply = say("my chest is tight all day. how much does the program cost")
    assert "911" in reply and "Is this happening now" in reply
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


@pytest.mark.parametrize(("opening", "reply", "answer"), [
    # a blind hand trial (stop 59): the referral answer alone, the stroke confirmed
    ("my chest is tight all day. how much does the program cost",
     "yeah since this morning but i feel ok. so do i need a referral?", "You need a referral"),
    ("since yesterday when i wipe i cant feel down there and i havent peed since last night",
     "really? its probably nothing lol, how long does work hardening last", "4–8 weeks"),
    # the final trial of stop 59: the question after a comma was not heard
    ("since yesterday when i wipe i cant feel down there and i havent peed since last night",
     "its probably nothing lol, how long does work conditioning last", "4–8 weeks"),
])
def test_a_question_asked_while_an_alarm_stands_is_answered_and_the_alarm_said_again(
        running_bot, opening, reply, answer):
    sender, say = conversation(running_bot)
    assert "911" in say(opening)
    told = say(reply)
    assert answer in told and "911" in told.split(answer, 1)[1]
    assert slots(running_bot, sender)["emergency_check"] is True


def test_a_no_with_a_question_clears_the_alarm_then_gets_its_answer(running_bot):
    """A fresh review of stop 59: the question with a "?" was answered, the alarm kept."""
    sender, say = conversation(running_bot)
    assert "911" in say("my chest is tight all day. how much does the program cost")
    told = say("no, that was two years ago. how long does work hardening last?")
    assert told.startswith("I'm sorry, I misunderstood you") and "4–8 weeks" in told
    assert slots(running_bot, sender)["emergency_check"] is False


def test_the_alarm_said_again_after_answers_stops_after_the_number_and_a_person(running_bot):
    _, say = conversation(running_bot)
    assert "911" in say("my chest is tight all day. how much does the program cost")
    replies = [say(question) for question in (
        "how long does work hardening last?", "what should i wear?",
        "do i need a referral?", "how long does work hardening last?")]
    assert ["911" in told for told in replies] == [True, True, False, False]


def test_a_remark_beside_a_false_alarm_outside_the_triage_is_not_taken_for_a_request(
        running_bot):
    _, say = conversation(running_bot)
    assert "911" in say("the program cost is a big worry for me. "
                        "my chest has felt really tight and heavy all afternoon")
    cleared = say("no, sorry, that was years ago, it's fine now")
    assert cleared.startswith("I'm sorry, I misunderstood you")
    assert cleared.endswith("anything else you'd like to know about the programs?")
    assert len(cleared.splitlines()) == 2  # neither an FAQ answer nor the triage between


def test_a_cleared_self_harm_alarm_still_names_911(running_bot):
    """Denying thoughts of suicide does not deny the body: the alarm may have been of the
    wrong kind ("couldn't get the words out" read as despair, not a stroke). Shown with an
    ordinary misunderstanding, whose kind the detector reads right."""
    sender, say = conversation(running_bot)
    assert "988" in say("i dont see the point of any of it anymore")
    assert slots(running_bot, sender)["emergency_kind"] == "self_harm"
    cleared = say("no, nothing like that. i meant the paperwork")
    assert cleared.startswith("Thank you for telling me, and I'm sorry if I got you wrong")
    assert "988" in cleared and "call 911" in cleared
    assert slots(running_bot, sender)["emergency_check"] is False


def test_a_false_alarm_on_the_safety_checklist_is_asked_again_unless_the_reply_answers_it(
    running_bot,
):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    assert "911" in say("yeah numbness")
    assert "Let's go back to the safety check" in say("no")  # "not now" is not "none of these"
    assert "This could be an emergency" in say("yeah numbness")
    told = say("oh I meant the numbness I had in March, it went away. none of those now")
    assert question("medically_cleared") in told
    assert slots(running_bot, sender)["red_flags"] is False


@pytest.mark.parametrize(("alarm", "reply", "despair"), [
    # hand trial of stop 53: read as a possible sign of thoughts of suicide, whose "no"
    # then cleared the foot drop too; now 988 in one line beside the medical prompt
    ("both my legs went numb this morning and i cant lift my right foot, it drags",
     "nah its probably nothing, not worth going to the er for nothing", True),
    ("chest got tight and my left arm is tingly, sweating like crazy",
     "its getting a bit better actually, i think i just overdid it. i'll lie down", False),
])
def test_a_sign_played_down_after_an_alarm_keeps_it_and_asks_not_to_wait(
        running_bot, alarm: str, reply: str, despair: bool):
    sender, say = conversation(running_bot)
    assert "911" in say(alarm)
    urged = say(reply)
    assert "Please don't wait" in urged and "misunderstood" not in urged
    assert ("988" in urged) is despair
    assert "ending your life?" not in urged  # no question about suicide instead of the body
    assert slots(running_bot, sender)["emergency_kind"] == "medical"
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_a_bare_no_does_not_clear_an_alarm_whose_message_said_it_began_this_morning(
        running_bot):
    """Tried on `make run` in stop 53: after "not worth going to the er", a plain "no"
    cleared the foot drop that began this morning."""
    sender, say = conversation(running_bot)
    assert "911" in say("both my legs went numb this morning and i cant lift my right foot")
    assert "Please don't wait" in say("nah its probably nothing, not worth going to the er")
    still = say("no")
    assert "call 911" in still and "misunderstood" not in still
    assert slots(running_bot, sender)["emergency_check"] is True


def test_a_no_to_a_suicide_alarm_raised_on_top_of_a_medical_one_keeps_the_medical_one(
        running_bot):
    """A review of stop 53: the ER refused in words that read surely as despair, then a no
    to the suicide question cleared the foot drop too."""
    sender, say = conversation(running_bot)
    assert "911" in say("both my legs went numb this morning and i cant lift my right foot")
    assert "988" in say("i dont want to go to the er, whats the point")
    back = say("no im not suicidal, i just hate hospitals")
    assert "Please don't wait" in back and "911" in back
    assert slots(running_bot, sender)["emergency_kind"] == "medical"
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_a_no_thanks_to_the_call_is_no_denial_of_the_thoughts(running_bot):
    """A review of stop 53: "no thanks" to "please call 988 now" cleared the alarm."""
    sender, say = at_the_clearance_question(running_bot)
    say("my wife works double shifts now bc of me. shed be better off without me")
    assert "ending your life?" in say("yes")
    heard = say("yes")
    assert "988" in heard and "ending your life?" not in heard
    refused = say("no thanks")
    assert "988" in refused and "sorry if I got you wrong" not in refused
    assert slots(running_bot, sender)["emergency_check"] is True


def test_an_unclear_reply_to_an_alarm_gets_one_more_question_then_a_person(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    assert "911" in say("yeah numbness")
    assert "Please don't wait" in say("hmm I'm not sure")
    still = say("I really don't know")
    assert "talk it over with a person" in still and CLINIC.phone in still
    assert "Please don't wait" not in still
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"
    assert "I misunderstood you" in say("/deny")  # the button, offered again


def test_a_doubt_read_as_a_yes_is_a_reply_to_the_alarm_not_a_yes(running_bot):
    """Stop 57: the NLU took "idk" for a yes, and the whole advice came three times."""
    _, say = conversation(running_bot)
    assert "911" in say("my leg went numb again")
    assert "Please don't wait" in say("idk")
    assert "talk it over with a person" in say("idk")
    third = say("idk")
    assert "This could be an emergency" not in third and "Please don't wait" not in third
    assert "In an emergency, call 911" in third  # the general answer, never a third ask


def test_a_doubt_that_insists_gets_the_advice(running_bot):
    """A fresh review of stop 57: "idk, im not kidding" sent the turn back and forth
    between the advice and the recovery until Rasa stopped it, with no reply at all. Right
    after the advice itself, it gets 911 in a few words (`sure_advice`)."""
    _, say = conversation(running_bot)
    assert "911" in say("my leg went numb again")
    assert "Please call 911 now" in say("idk, im not kidding")


@pytest.mark.parametrize("declined", ["i dont want to call anyone", "no i wont call"])
def test_a_call_turned_down_after_thoughts_told_gets_988_by_text_not_a_call_back(
        running_bot, declined):
    """Stop 57, a blind hand trial: "i dont want to call anyone" started the call-back
    questions ("What phone number should the clinic call?") in the middle of a crisis."""
    sender, say = conversation(running_bot)
    assert "988" in say("whats the point anymore. theres no future for me")
    say("yeah i think about it")
    reply = say(declined)
    assert "text 988" in reply and "911" in reply
    assert "phone number" not in reply and "sorry if I got you wrong" not in reply
    state = slots(running_bot, sender)
    assert state["emergency_check"] is True and state["recommended_program"] == "urgent_care"
    assert state["requested_slot"] is None


PUT_OFF = first_line(ROOT / "domain.yml", "utter_emergency_put_off")
PUT_OFF_SELF_HARM = first_line(ROOT / "domain.yml", "utter_emergency_put_off_self_harm")
WHAT_TO_BRING = first_line(ROOT / "data/responses/faq.yml", "utter_faq/what_to_bring")


def test_a_call_put_off_until_later_is_asked_for_now_and_its_question_answered(running_bot):
    """A blind hand trial (stop 59): "ok ill text 988 later. boots?" got a canned "I don't
    diagnose… medications" after thoughts told."""
    sender, say = conversation(running_bot)
    assert "988" in say("whats the point anymore. theres no future for me")
    say("sometimes yeah")
    reply = say("ok ill text 988 later. boots?")
    assert reply.startswith(WHAT_TO_BRING) and PUT_OFF_SELF_HARM in reply
    assert "diagnose" not in reply
    state = slots(running_bot, sender)
    assert state["emergency_check"] is True and state["recommended_program"] == "urgent_care"


def test_a_call_to_911_put_off_until_tomorrow_is_asked_for_now(running_bot):
    sender, say = conversation(running_bot)
    assert "911" in say("my left arm and face went numb an hour ago and my words are slurred")
    reply = say("ill call my doctor tomorrow")
    assert reply.startswith(PUT_OFF) and "sorry" not in reply.lower()
    assert slots(running_bot, sender)["emergency_check"] is True


def test_thanks_for_thoughts_told_are_not_said_twice_in_a_row(running_bot):
    """Stop 57, a blind hand trial: "ok" and "i dont know what to do" after thoughts told
    each got the same thanks; the second gets a next step and a way on instead."""
    heard = first_line(ROOT / "domain.yml", "utter_emergency_heard_self_harm")
    stay = first_line(ROOT / "domain.yml", "utter_emergency_stay_self_harm")
    _, say = conversation(running_bot)
    assert "988" in say("honestly i want to kill myself, i cant do this anymore")
    asked = say("yes. i looked up how many pills it would take")
    assert heard in asked and "ending your life?" in asked  # the direct question, once
    assert heard in say("ok")  # a yes to it
    second = say("i dont know what to do")
    assert stay in second and heard not in second
    third = say("ok")
    assert heard in third and stay not in third
    assert question("red_flags") in say("/ask_which_program")  # the button: the questions


def test_a_call_to_911_turned_down_leaves_the_medical_alarm_standing(running_bot):
    sender, say = conversation(running_bot)
    assert "911" in say("my chest is crushing and my left arm is numb")
    reply = say("i dont want to call 911")
    assert "emergency room" in reply and "misunderstood" not in reply
    assert slots(running_bot, sender)["emergency_check"] is True


def test_a_yes_after_the_alarm_was_asked_about_again_confirms_it(running_bot):
    _, say = conversation(running_bot)
    say("which program is right for me?")
    say("yeah numbness")
    assert "Please don't wait" in say("hmm I'm not sure")
    assert "This could be an emergency" in say("yes")


def test_changing_the_subject_never_clears_an_emergency(running_bot):
    sender, say = conversation(running_bot)
    assert "911" in say("fell off the scaffold an hour ago and I can't put any weight on my leg")
    answered = say("how long does work hardening last?")
    assert "4–8 weeks" in answered and NOT_UNDERSTOOD not in answered
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"
    assert "911" in say("which program is right for me?")


def test_a_common_spanish_emergency_is_answered_in_spanish(running_bot):
    sender, say = conversation(running_bot)
    assert "Llame al 911" in say("me duele mucho el pecho y no puedo respirar")
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_a_reply_the_assistant_cannot_read_still_carries_the_911_line(running_bot):
    _, say = conversation(running_bot)
    for unreadable in ("qwpoeiru zxmcnv", "仕事の強化とは何ですか", "😀🙏"):
        assert "In an emergency, call 911" in say(unreadable)


# Found by a hand trial as a new patient, in words no one on the team had written.


def test_a_question_mid_checklist_is_answered_and_a_late_checklist_answer_counts(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    faq = say("is that the same as regular physical therapy?")
    assert REGULAR_PT in faq and question("red_flags") in faq
    went_on = say("ok which one should I do")  # asked twice already: "not sure", go on
    assert "Let's go on" in went_on and question("medically_cleared") in went_on
    late = say("Fever? none. Leg weakness? nope. all good")
    assert question("medically_cleared") in late and MEDICAL_REVIEW_RESULT not in late
    record = slots(running_bot, sender)
    assert record["red_flags"] is False and record["triage_unsure"] == []
    assert record["medically_cleared"] is None and record["job_demand_level"] is None


@pytest.mark.parametrize(("reply", "clears", "apology"), [
    ("yes, I want to talk to a person", "no, nothing like that is happening to me",
     "I misunderstood you"),
    ("sí, quiero hablar con una persona", "no, no me está pasando nada de eso", "le entendí mal"),
])
def test_a_yes_to_the_checklist_that_asks_for_a_person_is_a_red_flag_first(
        running_bot, reply, clears, apology):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    assert "911" in say(reply)
    record = slots(running_bot, sender)
    assert record["recommended_program"] == "urgent_care" and record["handoff"] is None
    assert apology in say(clears)  # a no that also answers the checklist: the triage goes on
    record = slots(running_bot, sender)
    assert record["red_flags"] is False and record["requested_slot"] == "medically_cleared"


def test_a_no_to_the_checklist_that_asks_for_a_person_is_offered_a_call_back(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    offer = say("no, I want to talk to a person")
    assert "911 now" not in offer and "call" in offer and "back?" in offer
    assert slots(running_bot, sender)["recommended_program"] is None


def test_a_remark_taken_for_an_faq_after_an_alarm_is_weighed_as_a_reply_to_it(running_bot):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    assert "911" in say("yeah numbness")
    weighed = say("I'm kind of nervous it'll pop again tbh")
    assert "Please don't wait" in weighed
    assert slots(running_bot, sender)["recommended_program"] == "urgent_care"


def test_pain_idioms_start_the_triage_without_an_alarm(running_bot):
    sender, say = conversation(running_bot)
    opening = say("my shoulder is killing me after lifting crates all week, which program?")
    assert question("red_flags") in opening and "988" not in opening
    say("no, none of those")
    say("yes my doctor cleared me")
    say("yes, back to the grocery store")
    answer = say("not really, kneeling to stock bottom shelves kills me")
    assert "988" not in answer and "911" not in answer
    assert slots(running_bot, sender)["meets_job_demands"] is False


@pytest.mark.parametrize(("reply", "stops"), [
    ("no I can't do the transfers", False),  # a final-set conversation: read as "stop" (0.79)
    ("stop asking me questions", True),
])
def test_a_no_that_sounds_like_giving_up_answers_and_a_plain_stop_stops(
        running_bot, reply, stops):
    sender, say = conversation(running_bot)
    say("which program is right for me?")
    say("no, none of those")
    say("yes my doctor cleared me")
    assert question("meets_job_demands") in say("yes, the same home care agency")
    answer = say(reply)
    record = slots(running_bot, sender)
    assert ("I've stopped the questions" in answer) is stops
    assert record["meets_job_demands"] is (None if stops else False)
    assert (record["requested_slot"] is None) is stops


def test_a_call_back_asked_for_with_the_number_is_confirmed_at_once(running_bot):
    sender, say = conversation(running_bot)
    confirmed = say("Can someone call me back? my number is 555 201 3344, mornings are best")
    assert "(555) 201-3344" in confirmed and "mornings" in confirmed
    assert "I already said" not in confirmed and "Would you like" not in confirmed
    record = slots(running_bot, sender)
    assert (record["callback_phone"], record["callback_time"]) == ("+15552013344", "mornings")
    assert record["callback_requested"] is True


def test_a_call_back_lands_in_the_queue_and_notifies_the_clinic(running_bot, mailbox):
    sender, say = conversation(running_bot)
    say("please call me back at (555) 201-3344 after 4pm, this is Dee")
    mail = mailbox.wait_for(f"/staff/conversations/rest:{sender}")
    assert mail["Subject"] == "New call-back request" and not shows_a_555_number(body(mail))
    with create_engine(running_bot.database_url).connect() as db:
        row = db.execute(text("SELECT phone, preferred_time, name, status FROM"
                              " callback_requests WHERE sender_id = :s"),
                         {"s": f"rest:{sender}"}).one()
    assert tuple(row) == ("+15552013344", "after 4pm", "Dee", "new")


def test_a_call_back_without_a_number_asks_for_it_and_keeps_the_time(running_bot):
    sender, say = conversation(running_bot)
    assert "What phone number" in say("please ask the clinic to call me back, afternoons are best")
    assert "doesn't look like a phone number" in say("I don't know it by heart")
    confirmed = say("it's 555.010.9999, ask for Rosa")
    assert "(555) 010-9999" in confirmed and "afternoons" in confirmed
    record = slots(running_bot, sender)
    assert (record["callback_phone"], record["callback_time"], record["callback_name"]) == (
        "+15550109999", "afternoons", "Rosa")


def test_the_offer_tells_the_truth_about_whether_anyone_is_there(running_bot):
    _, say = conversation(running_bot)
    offer = say("can I talk to a real person")
    now = dt.datetime.now(dt.UTC)
    if CLINIC.opening_hours.is_open(now):
        assert CLINIC.phone in offer and "call you back?" in offer
    else:
        opens = CLINIC.opening_hours.opens(now)
        assert "not in right now" in offer and opens in offer and "call back?" in offer


def test_the_number_is_asked_for_at_most_twice(running_bot):
    sender, say = conversation(running_bot)
    assert "back?" in say("can I talk to a real person")
    assert "What phone number" in say("yes please")
    assert "doesn't look like a phone number" in say("the same one as before")
    ended = say("you have it on file")
    assert "can't find a phone number" in ended and CLINIC.phone in ended
    assert slots(running_bot, sender)["requested_slot"] is None


def test_an_emergency_interrupts_the_call_back_questions(running_bot):
    sender, say = conversation(running_bot)
    say("can I talk to someone at the clinic")
    assert "What phone number" in say("yes")
    assert "911" in say("wait, I suddenly can't feel my legs and I wet myself")
    record = slots(running_bot, sender)
    assert record["requested_slot"] is None and record["recommended_program"] == "urgent_care"


def test_the_log_carries_no_message_text_and_no_dependency_noise(running_bot):
    secret = f"my back hurts since the forklift hit me {uuid.uuid4().hex}"
    running_bot.say(secret, f"log-{uuid.uuid4().hex}")
    log = running_bot.log.read_text(errors="replace")
    assert "Rasa server is up and running" in log and "Action endpoint is up" in log
    assert secret not in log and "forklift" not in log
    assert "DeprecationWarning" not in log and "Traceback" not in log


def test_calls_with_the_api_token_are_not_rate_limited(running_bot):
    """A clinic's gateway sends every patient's messages from one address and one token."""
    sender = new_sender()
    limit = Settings.from_env().rate_limits.per_conversation
    for _ in range(limit + 5):
        assert running_bot.say("how long does work conditioning last?", sender)
    assert len(user_events(running_bot, f"rest:{sender}")) == limit + 5


def test_the_rasa_server_refuses_a_huge_body_before_reading_it(running_bot):
    answer = requests.post(f"{running_bot.rasa_url}/webhooks/rest/webhook",
                           headers={"Authorization": f"Bearer {running_bot.token}"},
                           data=b'{"sender": "x", "message": "' + b"9" * 2_000_000 + b'"}',
                           timeout=60)
    assert answer.status_code == 413


def test_the_action_server_refuses_a_body_over_its_cap(running_bot):
    """rasa-sdk answers its PayloadTooLarge as a 500; below the cap the same body is read."""
    url = f"{running_bot.action_url}/webhook"
    headers = {"Content-Type": "application/json"}
    read = requests.post(url, data=b"9" * 2_000_000, headers=headers, timeout=60)
    assert read.status_code == 400 and "parsing body as json" in read.text
    refused = requests.post(url, data=b"9" * 33_000_000, headers=headers, timeout=60)
    assert "exceeds the size limit" in refused.text


@pytest.mark.parametrize(("body", "content_type"), [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b'{"sender": "x"}', "application/json"),
    (b'{"sender": "x", "message": {"a": 1}}', "application/json"),
    (b'{"sender": [1], "message": "hi"}', "application/json"),
    (b"\xff\xfe\x00", "application/octet-stream"),
])
def test_a_malformed_message_gets_a_400_never_a_server_error(running_bot, body, content_type):
    answer = requests.post(f"{running_bot.rasa_url}/webhooks/rest/webhook", data=body,
                           headers={"Authorization": f"Bearer {running_bot.token}",
                                    "Content-Type": content_type}, timeout=30)
    assert answer.status_code == 400
    assert answer.text == 'expected {"sender": "...", "message": "..."}'


@pytest.mark.parametrize(("server", "method", "path"), [
    ("rasa_url", "GET", "/nope"),
    ("rasa_url", "POST", "/webhooks/nope/webhook"),
    ("rasa_url", "GET", "/conversations/x/tracker/extra"),
    ("web_url", "GET", "/nope"),
    ("web_url", "POST", "/staff/nope"),
])
def test_an_unknown_route_is_a_404(running_bot, server, method, path):
    answer = requests.request(method, getattr(running_bot, server) + path, timeout=30,
                              headers={"Authorization": f"Bearer {running_bot.token}"})
    assert answer.status_code == 404


def test_two_messages_of_one_conversation_at_once_are_both_answered_in_order(running_bot):
    from concurrent.futures import ThreadPoolExecutor

    sender = new_sender()
    questions = ("what is work hardening", "how long is work conditioning")
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda q: reply_text(running_bot.say(q, sender)), questions))
    assert replies[0].startswith("Work hardening is")
    assert replies[1].startswith("How much time each program usually takes")
    turns: dict[str, list[str]] = {}
    for event in running_bot.tracker(f"rest:{sender}")["events"]:
        if event["event"] == "user":
            turns[event["text"]] = asked = []
        elif event["event"] == "bot" and turns:
            asked.append(event["text"])
    answered = {q: "\n".join(texts) for q, texts in turns.items()}
    assert answered == dict(zip(questions, replies, strict=True))


def test_the_model_cannot_be_swapped_over_the_http_api(running_bot):
    """A swapped-in model would lack the reply for turns whose action failed."""
    answer = requests.put(f"{running_bot.rasa_url}/model", json={"model_file": "x.tar.gz"},
                          headers={"Authorization": f"Bearer {running_bot.token}"}, timeout=30)
    assert answer.status_code == 403
    assert answer.text == "Restart the assistant to load a new model."


def test_a_buttons_title_typed_out_reads_as_its_click(running_bot):
    """A blind hand trial (stop 61): the recovery button's words, typed instead of
    clicked, were read as words and raised the alarm again."""
    sender, _ = at_the_clearance_question(running_bot)
    assert "911" in reply_text(running_bot.say("my chest has felt really tight and heavy "
                                               "all afternoon", sender))
    unclear = running_bot.say("idk", sender)
    [title] = [b["title"] for m in unclear for b in m.get("buttons") or []]
    resumed = reply_text(running_bot.say(f"  {title.upper()} ", sender))
    assert resumed.startswith("I'm sorry, I misunderstood you")
    assert question("medically_cleared") in resumed
    [*_, last] = user_events(running_bot, f"rest:{sender}")
    assert last["text"] == "/deny" and last["metadata"]["typed"] == title.upper()
    assert slots(running_bot, sender)["recommended_program"] is None

"""End to end: the real Rasa and action servers, spoken to over the REST channel."""

from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import create_engine, text

from bot.clinic import load_clinic
from bot.settings import ROOT

CLINIC = load_clinic(ROOT / "clinic.yml")


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
            ["Work conditioning is", "Work hardening is", "multidisciplinary", "simulated",
             "2–4", "6–8", "3–5", "4–8 weeks", "physical or occupational therapist"],
        ),
        ("so what exactly is work hardening", ["multidisciplinary", "simulated work tasks"]),
        ("whats work conditioning", ["strength", "2–4 hours a day", "one discipline"]),
        ("how many weeks does it usually take", ["4–8 weeks"]),
        ("do I need a referral from my doctor", ["referral", "claim adjuster", CLINIC.phone]),
        ("will workers comp pay for it", ["Workers' compensation", "can't promise"]),
        ("how can I reach the clinic", [CLINIC.phone, CLINIC.email, CLINIC.address, CLINIC.hours]),
        ("what should I wear to the first session", ["closed-toe shoes", "water bottle"]),
        ("I want to talk to a real person", [CLINIC.phone]),
        ("are you a robot?", ["automated assistant"]),
    ],
)
def test_answers_carry_the_facts(running_bot, question, facts):
    answer = reply_text(running_bot.say(question, new_sender()))
    for fact in facts:
        assert fact in answer, f"{fact!r} missing from answer to {question!r}:\n{answer}"


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
    engine = create_engine(f"sqlite:///{running_bot.database}", future=True)
    with engine.connect() as conn:
        types = conn.execute(
            text("SELECT type_name FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        ).scalars().all()
    assert types.count("user") == 2 and types.count("bot") >= 2
    assert "slot" in types


def test_http_api_requires_the_token(running_bot):
    sender = new_sender()
    running_bot.say("hi", sender)
    url = f"{running_bot.rasa_url}/conversations/{sender}/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=10).status_code == 401
    tracker = requests.get(url, params={"token": running_bot.token}, timeout=10).json()
    assert tracker["slots"]["clinic_phone"] == CLINIC.phone


def test_ctrl_c_stops_both_servers(running_bot):
    """Runs last in this module: it stops the shared servers."""
    assert running_bot.stop() == 0
    for url in (running_bot.rasa_url, running_bot.action_url):
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=2)

"""The scale-out stack through nginx: two Rasa servers sharing PostgreSQL and Redis.

REST turns go round-robin, so one conversation's turns land on both servers; the website
chat sticks to one; staff pages, the call-back queue and background work run once.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from urllib.parse import quote

import requests
import socketio
from running_bot import bot_command
from sqlalchemy import select
from staff_fixtures import faq, store, talk
from staff_web_fixtures import PASSWORD, StaffClient

from bench import scale_proof
from bench.scale_proof import Patient, same_as_alone
from bot.records.db import events, make_engine

STAFF = "dana.ortiz@clinic.example"


def patients(scaled) -> tuple[Patient, Patient]:
    """One patient through nginx, and one on the first Rasa server alone."""
    return scale_proof.patients(scaled.stack, scaled.token)


def test_a_triage_keeps_its_state_when_its_turns_land_on_different_servers(scaled):
    through_nginx, alone = patients(scaled)
    sender = f"scaled-{uuid.uuid4().hex[:10]}"
    servers = through_nginx.play(sender, "triage")
    assert set(servers) == {f"127.0.0.1:{port}" for port in scaled.stack.rasa_ports}
    slots, _ = through_nginx.outcome(sender)
    assert slots["recommended_program"] and slots["weeks_since_injury"]
    assert same_as_alone(through_nginx, alone, "triage", sender)


def test_the_website_and_its_chat_answer_through_nginx(scaled):
    page = requests.get(f"{scaled.url}/", timeout=30)
    assert page.status_code == 200 and f'data-socket-url="{scaled.url}"' in page.text
    answered, replies = threading.Event(), []
    client = socketio.Client()
    client.on("session_confirm", lambda _: client.emit(
        "user_uttered", {"message": "how long does work hardening take?",
                         "session_id": session}))
    client.on("bot_uttered", lambda data: (replies.append(data["text"]), answered.set()))
    session = uuid.uuid4().hex
    client.connect(f"{scaled.url}?route={uuid.uuid4().hex}", transports=["polling"],
                   headers={"Origin": scaled.url})
    try:
        client.emit("session_request", {"session_id": session})
        assert answered.wait(60)
    finally:
        client.eio.disconnect(abort=True)
    assert "week" in replies[0]


def test_the_call_back_queue_and_the_dashboard_see_every_server(scaled):
    through_nginx, _ = patients(scaled)
    sender = f"scaled-{uuid.uuid4().hex[:10]}"
    through_nginx.say(sender, "hi", 1)
    through_nginx.say(sender, "Can someone call me back? my number is 555 201 3344, "
                              "mornings are best", 2)
    scaled.add_staff(STAFF, PASSWORD)
    staff = StaffClient(scaled.url)
    assert staff.login(STAFF).status_code == 303
    queue = staff.get("/staff/callbacks")
    assert queue.status_code == 200 and "(555) 201-3344" in queue.text
    assert quote(f"rest:{sender}", safe="") in staff.get("/staff").text


def test_retention_deletes_old_conversations_from_the_shared_database(scaled):
    through_nginx, _ = patients(scaled)
    recent = f"scaled-{uuid.uuid4().hex[:10]}"
    through_nginx.say(recent, "hi", 1)
    old = f"rest:scaled-old-{uuid.uuid4().hex[:10]}"
    engine = make_engine(scaled.stack.database_url)
    try:
        store(engine, faq(talk(old, ago=dt.timedelta(days=400)), "how long", "duration"))
        done = bot_command(scaled.stack.database_url, "retention")
        assert done.returncode == 0, done.stderr
        with engine.connect() as db:
            left = set(db.scalars(select(events.c.sender_id).distinct()))
    finally:
        engine.dispose()
    assert old not in left and f"rest:{recent}" in left
    log = (scaled.stack.dir / "servers.log").read_text()
    assert log.count("Retention:") == 1  # the website's daily run, once for the whole stack

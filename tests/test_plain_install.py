"""A plain install, as a clinic starts it: no messaging channel configured, conversations in
the database it was given; the load benchmark's smoke run loses no event; a hung action
server still leaves no patient without a reply (an emergency included); a Rasa server
killed mid-triage comes back with the triage's answers kept; a crashed action server is
started again; a database restarted (PostgreSQL) or locked (SQLite) loses no turn; the
website serves throughout.

One start covers both (a full stack takes about 20 s): the database is PostgreSQL when the
run has one (`.ci/run` starts a server and sets BOT_TEST_POSTGRES_URL), SQLite otherwise.
The PostgreSQL server is one of the test's own, on a free port: the test stops and starts
it, so it holds no other test's connections and no test's result hangs on the order.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import requests
import yaml
from channel_standin import NO_CHANNELS
from launcher import free_port
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench.load import lost_events, run_load
from bot.core.clinic import load_clinic
from bot.core.triage import load_rules
from bot.records.conversations import (
    ConversationQuery,
    get_conversation,
    list_conversations,
    refresh_summaries,
)
from bot.records.db import make_engine, session_factory
from bot.settings import ROOT

POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL")
POSTGRES_SCRIPT = str(ROOT / "scripts" / "postgres_for_tests.sh")


CLINIC = load_clinic(ROOT / "clinic.yml")


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text", "") for reply in replies]


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def wait_for(bot, server: str, url: str) -> None:
    """Until the supervisor has started `server` again and it answers at `url`; the website
    serves all along."""
    deadline = time.monotonic() + 120
    while not (f"Started the {server} again." in bot.log.read_text() and answers(url)):
        assert time.monotonic() < deadline, bot.log.read_text()[-3000:]
        assert requests.get(bot.web_url, timeout=5).status_code == 200
        time.sleep(0.2)


@dataclass(frozen=True)
class Postgres:
    """A throw-away PostgreSQL server of `scripts/postgres_for_tests.sh`."""

    folder: str
    port: int
    url: str

    def run(self, command: str) -> None:
        subprocess.run([POSTGRES_SCRIPT, command, self.folder, str(self.port)], check=True)


@pytest.fixture
def postgres() -> Iterator[Postgres | None]:
    """A server of the test's own when the run has PostgreSQL (None: SQLite). Its folder
    is directly in /tmp: the `postgres` user cannot enter pytest's temporary folders."""
    if not POSTGRES_URL:
        yield None
        return
    folder, port = f"/tmp/bot-plain-postgres-{uuid.uuid4().hex[:8]}", free_port()
    started = subprocess.run([POSTGRES_SCRIPT, "start", folder, str(port)], check=True,
                             capture_output=True, text=True)
    server = Postgres(folder, port, started.stdout.strip())
    try:
        yield server
    finally:
        server.run("stop")
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def database_unavailable(database_url: str, postgres: Postgres | None) -> Iterator[None]:
    """PostgreSQL stopped inside the block and started again after it; or SQLite locked by
    another writer, released 2 s into the block (a write waits for it)."""
    if postgres is not None:
        postgres.run("pause")
        try:
            engine = create_engine(database_url)
            with pytest.raises(OperationalError):
                engine.connect().close()  # really down
            engine.dispose()
            yield
        finally:
            postgres.run("resume")
        return
    lock = sqlite3.connect(make_url(database_url).database, isolation_level=None,
                           check_same_thread=False)
    lock.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(2, lock.execute, ("ROLLBACK",))
    release.start()
    try:
        yield
    finally:
        release.join()
        lock.close()


def test_rest_and_socketio_only_faults_survived_the_triage_stored_a_clean_stop(
        tmp_path, postgres, start_bot):
    bot = start_bot(postgres and postgres.url, extra_env=NO_CHANNELS)
    if postgres:
        assert bot.database_url == postgres.url
    load = run_load(bot.rasa_url, users=3, seconds=5, token=bot.token,  # `make bench`'s smoke
                    origin=bot.web_url)
    assert load.turns >= 10 and load.errors == 0, load
    sent, lost = lost_events(bot.database_url, load.ledger)
    assert sent > load.turns and lost == 0
    patient = f"plain-{uuid.uuid4().hex}"
    assert bot.say("hi", patient)  # a session under way
    hung = bot.server_pid("serve-actions")
    os.kill(hung, signal.SIGSTOP)  # hung: it takes the calls and never answers
    sent = time.monotonic()
    assert texts(bot.say("which program is right for me?", patient)) == [
        f"Sorry, I can't finish that right now. Please try again in a minute, or call "
        f"{CLINIC.name} at {CLINIC.phone} ({CLINIC.hours}). In an emergency, call 911."]
    assert time.monotonic() - sent < 8  # the Rasa server gives up on the action after 4 s
    [faq] = texts(bot.say("how long is work conditioning?", patient))  # needs no action
    assert faq.startswith("How much time each program usually takes")
    [advice] = texts(bot.say("crushing pain in my chest and i cant breathe",
                             f"plain-{uuid.uuid4().hex}"))  # a new one: its start fails too
    assert advice.startswith("This could be an emergency. Please call 911 now")
    newcomer = f"plain-{uuid.uuid4().hex}"
    [faq] = texts(bot.say("how long is work conditioning?", newcomer))
    # the session was started without actions
    assert faq.startswith("How much time each program usually takes")
    started = bot.tracker(f"rest:{newcomer}")
    assert [e["event"] for e in started["events"]][:3] == ["action", "session_started", "slot"]
    assert started["slots"]["clinic_phone"] == CLINIC.phone
    os.kill(hung, signal.SIGCONT)
    deadline = time.monotonic() + 30
    while "can't finish" in " ".join(reply := texts(bot.say("which program is right for me?",
                                                            patient))):
        assert time.monotonic() < deadline
        time.sleep(1)
    assert reply[0].startswith("Let's see which program may fit you.")
    bot.say("no, none of those", patient)
    before = bot.tracker(f"rest:{patient}")["slots"]

    os.kill(bot.server_pid("serve-rasa"), signal.SIGKILL)  # Rasa restarted mid-triage
    wait_for(bot, "Rasa server", bot.rasa_url)
    after = bot.tracker(f"rest:{patient}")["slots"]
    assert after == before and after["red_flags"] is False and after["requested_slot"]
    reply = texts(bot.say("yes my doctor cleared me", patient))
    assert reply and not any("can't finish" in r or "didn't quite get" in r for r in reply)
    assert bot.tracker(f"rest:{patient}")["slots"]["medically_cleared"] is True

    os.kill(hung, signal.SIGKILL)  # a crash, as the OOM killer does
    wait_for(bot, "action server", f"{bot.action_url}/health")
    sender = f"plain-{uuid.uuid4().hex}"
    for message in ("hello", "which program is right for me?", "yes"):
        assert bot.say(message, sender)
    reader = f"plain-{uuid.uuid4().hex}"
    assert bot.say("hi", reader)
    with database_unavailable(bot.database_url, postgres):
        [faq] = texts(bot.say("how long is work conditioning?", reader))
    assert faq.startswith("How much time each program usually takes")
    assert bot.say("thanks", reader)  # PostgreSQL: what waited is stored now, before this
    log = bot.log.read_text()
    credentials = yaml.safe_load((tmp_path / "credentials.yml").read_text())
    assert bot.stop() == 0  # as on Ctrl-C: every server stops, and cleanly
    for url in (bot.rasa_url, bot.action_url, bot.web_url):
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=2)
    assert "Messaging channels: none configured; only REST and socket.io are on" in log
    assert set(credentials) == {"bot.adapters.channels.rest.ApiRestInput",
                                "bot.adapters.socketio.WebsiteChatInput"}

    engine = create_engine(bot.database_url, future=True)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT type_name, action_name FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": f"rest:{sender}"},
        ).all()
        said = conn.execute(text("SELECT data FROM events WHERE sender_id = :s AND "
                                 "type_name = 'user' ORDER BY id"), {"s": f"rest:{reader}"})
        said = [json.loads(data)["text"] for (data,) in said]
    engine.dispose()
    assert [t for t, _ in rows].count("user") == 3
    assert ("action", "action_triage_result") in rows
    assert said == ["hi", "how long is work conditioning?", "thanks"]  # each once, in order

    engine = make_engine(bot.database_url)  # `run` migrated the staff tables into the same one
    with session_factory(engine)() as session:
        refresh_summaries(session)
        listed = list_conversations(session, ConversationQuery(text=sender)).rows
        detail = get_conversation(session, f"rest:{sender}", load_rules(ROOT / "triage_rules.yml"))
    engine.dispose()
    assert [(r.sender_id, r.turns, r.channel) for r in listed] == [(f"rest:{sender}", 3, "rest")]
    assert [t.text for t in detail.turns if t.speaker == "patient"] == [
        "hello", "which program is right for me?", "yes"]

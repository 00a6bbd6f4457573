import datetime as dt
import os
import socket
import subprocess
import sys

import pytest
from launcher import free_port
from running_bot import bot_command
from sqlalchemy import select
from staff_fixtures import faq, store, talk

from bot.records.accounts import LoginRefused, audit_log, authenticate
from bot.records.db import events, make_engine, migrate, session_factory
from bot.records.retention import deleted_reference
from bot.settings import ROOT, Settings

pytestmark = pytest.mark.e2e  # real servers or processes (tests/conftest.py)


def test_run_refuses_to_start_without_its_database(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://bot:s3cret@127.0.0.1:{free_port()}/rehab",
        "BOT_VAR_DIR": str(tmp_path),
        "BOT_API_TOKEN": "x",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "cannot reach the database" in result.stderr
    assert "Not starting: conversations would be lost" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


def test_run_refuses_to_start_when_a_port_is_taken(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, capture_output=True, text=True,
            timeout=300, env={**os.environ, "BOT_VAR_DIR": str(tmp_path), "BOT_API_TOKEN": "x",
                              "BOT_SECRET_KEY": "y" * 32, "BOT_WEB_PORT": str(port),
                              "BOT_RASA_PORT": str(free_port()),
                              "BOT_ACTION_PORT": str(free_port())},
        )
    assert result.returncode == 1
    assert f"already listens on port {port} (BOT_WEB_PORT)" in result.stderr
    assert "Traceback" not in result.stderr


def test_staff_accounts_from_the_command_line(database_url):
    added = bot_command(database_url, "staff", "add", "Ann@Clinic.example",
                        stdin="correct horse battery\n")
    assert added.returncode == 0, added.stderr
    assert "Created staff account ann@clinic.example" in added.stdout
    again = bot_command(database_url, "staff", "add", "ann@clinic.example",
                        stdin="another long password\n")
    assert again.returncode == 1 and "already a staff account" in again.stderr
    short = bot_command(database_url, "staff", "add", "bo@clinic.example", stdin="short\n")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    changed = bot_command(database_url, "staff", "passwd", "ann@clinic.example",
                          stdin="a brand new passphrase\n")
    assert changed.returncode == 0, changed.stderr
    listed = bot_command(database_url, "staff", "list")
    assert listed.stdout.splitlines()[0].startswith("ann@clinic.example  admin  created ")
    assert "bo@clinic.example" not in listed.stdout
    for result in (added, again, short, changed, listed):
        assert "horse" not in result.stdout + result.stderr
        assert "passphrase" not in result.stdout + result.stderr

    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        now = dt.datetime.now(dt.UTC)
        assert authenticate(session, "ann@clinic.example", "a brand new passphrase", now)
        with pytest.raises(LoginRefused):
            authenticate(session, "ann@clinic.example", "correct horse battery", now)
        entries = [(e.action, e.target) for e in audit_log(session)]
        assert entries == [("staff_password", "ann@clinic.example"),
                           ("staff_add", "ann@clinic.example")]
        assert all(e.staff_email.startswith("cli") for e in audit_log(session))
    engine.dispose()


SECRET = "a clinic's secret key for the tests"


def reference(sender_id: str) -> str:
    """The audit log's keyed hash of a deleted conversation's id, under SECRET."""
    return deleted_reference(sender_id, Settings.from_env({"BOT_SECRET_KEY": SECRET}).audit_key)


def test_roles_and_disabled_accounts_from_the_command_line(database_url):
    def staff(*args: str, password: str = "") -> str:
        result = bot_command(database_url, "staff", *args, stdin=password + "\n")
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "(admin)" in staff("add", "ann@clinic.example", password="correct horse battery")
    assert "(reviewer)" in staff("add", "bo@clinic.example", password="another long secret")
    assert "(admin)" in staff("add", "cy@clinic.example", "--role", "admin",
                              password="a third long secret")
    assert "bo@clinic.example is now admin" in staff("role", "bo@clinic.example", "admin")
    staff("disable", "cy@clinic.example")
    assert "cy@clinic.example  admin  DISABLED since" in staff("list")
    wrong = bot_command(database_url, "staff", "role", "bo@clinic.example", "owner")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        now = dt.datetime.now(dt.UTC)
        with pytest.raises(LoginRefused, match="not right"):
            authenticate(session, "cy@clinic.example", "a third long secret", now)
    staff("enable", "cy@clinic.example")
    with session_factory(engine)() as session:
        assert authenticate(session, "cy@clinic.example", "a third long secret", now)
        actions = [e.action for e in audit_log(session)]
    engine.dispose()
    assert actions[:4] == ["staff_enable", "staff_disable", "staff_role", "staff_add"]


def test_retention_and_forget_from_the_command_line(database_url):
    now = dt.datetime.now(dt.UTC)
    engine = make_engine(database_url)
    migrate(database_url)
    store(engine, faq(talk("rest:old", ago=dt.timedelta(days=40), now=now), "how long", "duration"),
          faq(talk("rest:recent", ago=dt.timedelta(days=2), now=now), "how long", "duration"),
          faq(talk("rest:other", ago=dt.timedelta(days=1), now=now), "how long", "duration"))
    retention = bot_command(database_url, "retention", BOT_RETENTION_DAYS="30")
    assert retention.returncode == 0, retention.stderr
    assert "Deleted 1 conversations older than 30 days." in retention.stdout
    forget = bot_command(database_url, "forget", "rest:recent", BOT_SECRET_KEY=SECRET)
    assert forget.returncode == 0 and "Deleted conversation 'rest:recent'" in forget.stdout
    unknown = bot_command(database_url, "forget", "nobody", BOT_SECRET_KEY=SECRET)
    assert unknown.returncode == 1 and "No conversation with sender id 'nobody'" in unknown.stderr
    assert "Conversation ids carry their channel, e.g. 'twilio:" in unknown.stderr
    bare = bot_command(database_url, "forget", "other", BOT_SECRET_KEY=SECRET)
    assert bare.returncode == 1 and "stored under this id: 'rest:other'." in bare.stderr
    bad = bot_command(database_url, "retention", "--days", "0")
    assert bad.returncode == 2 and "at least 1" in bad.stderr
    with engine.connect() as connection:
        left = connection.execute(select(events.c.sender_id).distinct()).scalars().all()
    assert left == ["rest:other"]
    with session_factory(engine)() as session:
        assert [(e.action, e.target, e.detail) for e in audit_log(session)] == [
            ("forget", reference("other"), "nothing to delete"),
            ("forget", reference("nobody"), "nothing to delete"),
            ("forget", reference("rest:recent"), "deleted"),
            ("retention", None, "1 conversations older than 30 days deleted"),
        ]
    engine.dispose()


def test_data_commands_need_the_database():
    result = bot_command(f"postgresql://bot:s3cret@127.0.0.1:{free_port()}/rehab", "staff", "list")
    assert result.returncode == 1 and "cannot reach the database" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout

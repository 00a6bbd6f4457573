"""Databases for the staff data tests, and conversations written as Rasa writes them.

`database_url` is a fresh SQLite file, and a fresh PostgreSQL schema when
BOT_TEST_POSTGRES_URL is set (dropped afterwards, so runs are independent). The
conversations come from the seeding script's `Conversation` builder: one source of
Rasa event shapes for the seed, the benchmark and the tests.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from bot.records.db import make_engine, migrate, session_factory
from scripts.seed_conversations import Conversation, insert

POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL")
NOW = dt.datetime(2025, 3, 14, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database (SQLite file, or a PostgreSQL schema of its own)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'staff.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("BOT_TEST_POSTGRES_URL is not set")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_engine(database_url: str) -> Iterator[Engine]:
    """The migrated database's engine."""
    migrate(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(db_engine: Engine) -> Iterator[Session]:
    """A session on the migrated database."""
    with session_factory(db_engine)() as session:
        yield session


def talk(sender: str, ago: dt.timedelta = dt.timedelta(days=1), channel: str = "rest",
         now: dt.datetime = NOW) -> Conversation:
    """A new conversation that started `ago` before `now`, session events included."""
    return Conversation(sender, (now - ago).timestamp(), channel).session()


def faq(conversation: Conversation, text: str, key: str) -> Conversation:
    """The patient asks an FAQ and gets its answer."""
    conversation.wait(20).user(text, "faq", faq=key).action("utter_faq")
    return conversation.utter(f"utter_faq/{key}").listen()


def store(engine: Engine, *conversations: Conversation) -> None:
    """Write the conversations' events into Rasa's `events` table."""
    insert(engine, [row for conversation in conversations for row in conversation.rows])


def call_back(conversation: Conversation, phone: str = "+15552013344",
              time: str | None = "mornings", name: str | None = None) -> Conversation:
    """The patient asks for a call back with their number; the assistant confirms it."""
    conversation.wait(20).user(f"can someone call me back? {phone} {time or ''}",
                               "request_human").action("action_offer_human")
    for slot, value in (("callback_phone", phone), ("callback_time", time),
                        ("callback_name", name)):
        if value:
            conversation.slot(slot, value)
    conversation.slot("handoff", "confirm").action("action_callback_confirm")
    conversation.bot(f"Thank you. The team will call you at {phone}.")
    return conversation.slot("callback_requested", True).listen()

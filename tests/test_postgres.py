"""The same bot with its conversations in PostgreSQL (when the test run has one).

`.ci/run` installs and starts a PostgreSQL server and sets BOT_TEST_POSTGRES_URL.
"""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

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
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not POSTGRES_URL, reason="BOT_TEST_POSTGRES_URL is not set")]


def test_conversations_and_the_triage_record_are_stored_in_postgres(start_bot):
    bot = start_bot(POSTGRES_URL)
    sender = f"pg-{uuid.uuid4().hex}"
    for message in ("hello", "which program is right for me?", "yes"):
        assert bot.say(message, sender)
    assert bot.stop() == 0
    engine = create_engine(POSTGRES_URL, future=True)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT type_name, action_name FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": f"rest:{sender}"},
        ).all()
    assert [t for t, _ in rows].count("user") == 3
    assert ("action", "action_triage_result") in rows

    engine = make_engine(POSTGRES_URL)  # `run` migrated the staff tables into the same database
    with session_factory(engine)() as session:
        refresh_summaries(session)
        listed = list_conversations(session, ConversationQuery(text=sender)).rows
        detail = get_conversation(session, f"rest:{sender}", load_rules(ROOT / "triage_rules.yml"))
    engine.dispose()
    assert [(r.sender_id, r.turns, r.channel) for r in listed] == [(f"rest:{sender}", 3, "rest")]
    assert [t.text for t in detail.turns if t.speaker == "patient"] == [
        "hello", "which program is right for me?", "yes"]

"""Retention and "forget me": whole conversations go, Rasa's events and our rows together."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from staff_fixtures import NOW, faq, store, talk

from bot.records.accounts import add_staff, audit
from bot.records.conversations import (
    ConversationQuery,
    iter_conversations,
    refresh_summaries,
    set_review,
)
from bot.records.db import (
    AuditLog,
    ConversationMessage,
    ConversationSummary,
    Review,
    StaffUser,
    Tag,
    events,
)
from bot.records.retention import (
    apply_retention,
    delete_older_than,
    deleted_reference,
    forget_conversation,
    hide_deleted_ids,
)
from scripts.seed_conversations import Conversation

KEY = b"audit key for tests"

DAY = dt.timedelta(days=1)


def counts(session, sender_id: str) -> dict[str, int]:
    def count(table, column):
        return session.scalar(select(func.count()).select_from(table).where(
            column == sender_id))

    return {
        "events": count(events, events.c.sender_id),
        "summaries": count(ConversationSummary, ConversationSummary.sender_id),
        "messages": count(ConversationMessage, ConversationMessage.sender_id),
        "reviews": count(Review, Review.sender_id),
        "tags": count(Tag, Tag.sender_id),
    }


OLD_EVENTS = 15  # the session start with the clinic's slots, one question and its answer
GONE = {"events": 0, "summaries": 0, "messages": 0, "reviews": 0, "tags": 0}


@pytest.fixture
def stored(db_engine, db_session):
    """An old conversation, one that is old but came back recently, and a recent one."""
    old = faq(talk("old", ago=400 * DAY), "how long does it take", "duration")
    returning = faq(talk("returning", ago=500 * DAY), "what is work hardening",
                    "what_is_work_hardening")
    back = faq(Conversation("returning", (NOW - 2 * DAY).timestamp()).session(), "hi again",
               "team")
    recent = faq(talk("recent", ago=3 * DAY), "do I need a referral", "referral")
    store(db_engine, old, returning, back, recent)
    refresh_summaries(db_session, now=NOW)
    for sender in ("old", "returning", "recent"):
        set_review(db_session, sender, reviewed=True, note="seen", tags=["t1", "t2"],
                   staff_email="ann@clinic.example", now=NOW)
    add_staff(db_session, "ann@clinic.example", "correct horse battery")
    audit(db_session, "ann@clinic.example", "view_conversation", target="old")
    return db_session


def test_retention_deletes_old_conversations_whole_and_nothing_else(stored):
    before = {sender: counts(stored, sender) for sender in ("returning", "recent")}
    assert counts(stored, "old") == {"events": OLD_EVENTS, "summaries": 1, "messages": 1,
                                     "reviews": 1, "tags": 2}
    assert delete_older_than(stored, 365, NOW, audit_key=KEY) == 1
    assert counts(stored, "old") == GONE
    assert {sender: counts(stored, sender) for sender in ("returning", "recent")} == before
    assert stored.scalar(select(func.count()).select_from(StaffUser)) == 1
    assert stored.scalar(select(AuditLog.target)) == deleted_reference("old", KEY)  # kept
    assert delete_older_than(stored, 365, NOW, audit_key=KEY) == 0


def test_retention_by_days(stored):
    assert delete_older_than(stored, 2, NOW, audit_key=KEY) == 2
    assert [r.sender_id for r in iter_conversations(stored, ConversationQuery())] == ["returning"]
    with pytest.raises(ValueError):
        delete_older_than(stored, 0, NOW, audit_key=KEY)


def test_retention_checks_rasas_events_not_only_the_summaries(db_engine, stored):
    """A patient wrote again after the last refresh: the stale summary must not decide."""
    store(db_engine, faq(Conversation("old", (NOW - DAY).timestamp()), "me again", "contact"))
    assert delete_older_than(stored, 365, NOW, audit_key=KEY) == 0
    assert counts(stored, "old")["events"] == OLD_EVENTS + 5


def test_retention_of_events_never_summarised(db_engine, db_session):
    store(db_engine, faq(talk("unindexed", ago=400 * DAY), "how long", "duration"))
    assert delete_older_than(db_session, 365, NOW, audit_key=KEY) == 1
    assert counts(db_session, "unindexed") == GONE


def test_forget_deletes_one_conversation_entirely(stored):
    assert forget_conversation(stored, "recent", audit_key=KEY) is True
    assert counts(stored, "recent") == GONE
    assert counts(stored, "old")["events"] == OLD_EVENTS
    assert forget_conversation(stored, "recent", audit_key=KEY) is False
    assert forget_conversation(stored, "'; DELETE FROM events; --", audit_key=KEY) is False
    assert counts(stored, "old")["events"] == OLD_EVENTS


def test_the_audit_log_keeps_a_keyed_hash_of_a_deleted_conversation_not_its_id(stored):
    audit(stored, "ann@clinic.example", "review", "recent")
    audit(stored, "ann@clinic.example", "review", "old")
    assert forget_conversation(stored, "recent", audit_key=KEY) is True
    targets = set(stored.scalars(select(AuditLog.target)))
    hashed = deleted_reference("recent", KEY)
    assert targets == {hashed, "old"} and "recent" not in hashed
    assert hashed == deleted_reference("recent", KEY) != deleted_reference("recent", b"other")


def test_retention_hashes_ids_of_conversations_deleted_before_ids_were_hashed(stored):
    audit(stored, "ann@clinic.example", "review", "+15551230000")  # deleted long ago
    audit(stored, "ann@clinic.example", "export_nlu", "+15551230000")
    audit(stored, "ann@clinic.example", "review", "recent")
    audit(stored, "root", "staff_add", "ann@clinic.example", "admin")
    apply_retention(stored, 365, NOW, audit_key=KEY, by="root")
    targets = [target for target in stored.scalars(select(AuditLog.target)) if target]
    assert "+15551230000" not in targets
    assert targets.count(deleted_reference("+15551230000", KEY)) == 2
    assert {"recent", "ann@clinic.example", deleted_reference("old", KEY)} <= set(targets)
    assert hide_deleted_ids(stored, KEY) == 0  # once hashed, never hashed again


def test_conversations_after_a_deletion_are_still_indexed(db_engine, stored):
    """SQLite hands out a deleted top id again; the watermark must follow it down."""
    assert forget_conversation(stored, "recent", audit_key=KEY) is True
    store(db_engine, faq(talk("newcomer", ago=DAY), "what is work conditioning",
                         "what_is_work_conditioning"))
    refresh_summaries(stored, now=NOW)
    assert {r.sender_id for r in iter_conversations(stored, ConversationQuery())} == {
        "old", "returning", "newcomer"}


def test_without_rasas_table_retention_and_forget_still_work(db_session):
    assert delete_older_than(db_session, 30, NOW, audit_key=KEY) == 0
    assert forget_conversation(db_session, "anyone", audit_key=KEY) is False

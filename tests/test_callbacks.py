"""The call-back queue and the notification outbox, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from staff_fixtures import NOW, call_back, store, talk

from bot.records.accounts import add_staff
from bot.records.callbacks import NEWS_FOR, assign, counts, queue, set_status
from bot.records.conversation_query import ConversationQuery
from bot.records.conversations import list_conversations
from bot.records.db import AuditLog, CallbackRequest, IndexState, Notification
from bot.records.exports import to_csv
from bot.records.retention import forget_conversation
from bot.records.summaries import refresh_summaries
from scripts.seed_conversations import emergency

RECENT = dt.timedelta(minutes=5)


def refresh(session, now=NOW + RECENT):
    refresh_summaries(session, now=now)


def notifications(session) -> list[tuple[str, str]]:
    return [(n.kind, n.sender_id) for n in session.scalars(select(Notification).order_by(
        Notification.id))]


@pytest.fixture
def fold(db_engine, db_session):
    """Store conversations and fold them, with "now" a few minutes after they happened."""
    def run(*conversations):
        store(db_engine, *conversations)
        refresh(db_session)
    return run


def test_a_confirmed_request_is_queued_with_its_details_and_notified_once(fold, db_session):
    fold(call_back(talk("p1", RECENT), time="after 3pm", name="Rosa"))
    [row] = queue(db_session)
    request = row.request
    assert (request.phone, request.preferred_time, request.name, request.status) == (
        "+15552013344", "after 3pm", "Rosa", "new")
    assert notifications(db_session) == [("callback", "p1")]
    assert counts(db_session) == {"new": 1, "called": 0, "no_answer": 0, "done": 0}


def test_asking_again_updates_the_open_request(fold, db_session):
    conversation = call_back(talk("p2", RECENT), phone="+15552013344")
    fold(call_back(conversation, phone="+15558670199", time=None))
    [row] = queue(db_session)
    assert row.request.phone == "+15558670199"
    assert notifications(db_session) == [("callback", "p2")]


def test_after_done_a_new_request_opens_a_new_row(fold, db_session, db_engine):
    fold(call_back(talk("p3", RECENT)))
    [row] = queue(db_session)
    assert set_status(db_session, row.request.id, "done", "nurse@clinic.example")
    assert queue(db_session) == []
    fold(call_back(talk("p3", RECENT).wait(60)))
    assert [r.request.status for r in queue(db_session, show_done=True)] == ["new", "done"]
    assert notifications(db_session) == [("callback", "p3"), ("callback", "p3")]


def test_old_requests_are_queued_but_notify_nobody(fold, db_session):
    fold(call_back(talk("p4", NEWS_FOR + dt.timedelta(hours=1))))
    assert len(queue(db_session)) == 1
    assert notifications(db_session) == []


def test_an_emergency_notifies_once_even_when_folded_again(fold, db_session):
    fold(emergency(talk("p5", RECENT)))
    db_session.execute(update(IndexState).values(last_event_id=0))
    db_session.commit()
    refresh(db_session)
    assert notifications(db_session) == [("emergency", "p5")]


def test_status_and_assignment_record_who_and_when(fold, db_session):
    fold(call_back(talk("p6", RECENT)))
    nurse = add_staff(db_session, "nurse@clinic.example", "correct horse battery staple")
    db_session.commit()
    [row] = queue(db_session)
    assert not set_status(db_session, row.request.id, "lost", "x@clinic.example")
    assert not set_status(db_session, 999_999, "done", "x@clinic.example")
    assert not assign(db_session, row.request.id, 999_999, "x@clinic.example")
    assert set_status(db_session, row.request.id, "no_answer", "nurse@clinic.example")
    assert assign(db_session, row.request.id, nurse.id, "admin@clinic.example")
    [row] = queue(db_session)
    assert (row.request.status, row.request.status_by, row.assignee) == (
        "no_answer", "nurse@clinic.example", "nurse@clinic.example")
    assert row.request.status_at is not None and row.request.assigned_at is not None
    actions = db_session.scalars(select(AuditLog.action).where(AuditLog.target == "p6"))
    assert sorted(actions) == ["callback_assign", "callback_status"]


def test_left_a_number_is_a_filter_and_in_the_csv(fold, db_session):
    fold(call_back(talk("p7", RECENT), time="tuesday afternoon", name="Dee"),
         emergency(talk("p8", RECENT)))
    page = list_conversations(db_session, ConversationQuery.from_params({"flag": "left_number"}),
                              now=NOW + RECENT)
    assert [row.sender_id for row in page.rows] == ["p7"]
    csv = to_csv(page.rows, dt.UTC)
    assert "callback_phone,callback_time,callback_name" in csv.splitlines()[0]
    assert "tuesday afternoon,Dee" in csv


def test_forgetting_a_conversation_removes_its_requests_and_notifications(
        fold, db_session):
    fold(call_back(talk("p9", RECENT)))
    assert forget_conversation(db_session, "p9", audit_key=b"k" * 32)
    assert db_session.scalars(select(CallbackRequest)).all() == []
    assert db_session.scalars(select(Notification)).all() == []

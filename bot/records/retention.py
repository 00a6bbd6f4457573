"""Deleting conversations: after the retention period, or when a patient asks to be forgotten.

The only code that deletes conversation data. A conversation goes as a whole: Rasa's
events and our summary, messages, review and tags, in one transaction per chunk, under
the same lock as the summary refresh so a refresh cannot bring a half-deleted
conversation back. Staff accounts and the audit log are kept, but the audit log keeps
no deleted conversation's id (an SMS patient's is their phone number): it becomes a
keyed hash (`deleted_reference`), so staff can still check "was this one deleted?" with
the clinic's key, and nobody can read the number back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.records.accounts import audit
from bot.records.db import (
    AuditLog,
    CallbackRequest,
    ConversationMessage,
    ConversationSummary,
    Notification,
    Review,
    Tag,
    Takeover,
    events,
)
from bot.records.summaries import clamp_watermark, has_events_table, lock_index

CHUNK = 500
CONVERSATION_ACTIONS = ("view_conversation", "review", "export_nlu", "delete_conversation",
                        "forget")
"""Audit actions whose target is a conversation's id (the others name staff accounts)."""


def deleted_reference(sender_id: str, key: bytes) -> str:
    """What the audit log keeps of a deleted conversation's id: a keyed hash."""
    return "deleted:" + hmac.new(key, sender_id.encode(), hashlib.sha256).hexdigest()[:24]


def delete_older_than(session: Session, days: int, now: dt.datetime, *, audit_key: bytes) -> int:
    """Delete conversations whose last event is more than `days` days old; returns how many."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = now - dt.timedelta(days=days)
    old = set(session.scalars(select(ConversationSummary.sender_id).where(
        ConversationSummary.last_event_at < cutoff)))
    if has_events_table(session):
        old |= set(session.scalars(
            select(events.c.sender_id).group_by(events.c.sender_id)
            .having(func.max(events.c.timestamp) < cutoff.timestamp())))
    session.rollback()
    senders = sorted(old)
    deleted = 0
    for start in range(0, len(senders), CHUNK):
        deleted += len(_delete(session, senders[start:start + CHUNK], audit_key,
                               keep_after=cutoff)[0])
    return deleted


def apply_retention(
    session: Session, days: int, now: dt.datetime, *, audit_key: bytes, by: str
) -> int:
    """Delete what is past retention and record it in the audit log (`by` whom)."""
    count = delete_older_than(session, days, now, audit_key=audit_key)
    hide_deleted_ids(session, audit_key)
    audit(session, by, "retention", detail=f"{count} conversations older than {days} days deleted")
    return count


def forget_conversation(session: Session, sender_id: str, *, audit_key: bytes) -> bool:
    """Delete one conversation entirely; False if there was nothing to delete."""
    return _delete(session, [sender_id], audit_key)[1] > 0


def hide_deleted_ids(session: Session, audit_key: bytes) -> int:
    """Hash every audit target that names a conversation no longer stored; how many ids.

    Deleting hashes its own entries at once; this catches the rest: conversations deleted
    before the audit log hashed ids, or removed from the database by other means.
    """
    targets = sorted(set(session.scalars(select(AuditLog.target).where(
        AuditLog.action.in_(CONVERSATION_ACTIONS), AuditLog.target.is_not(None),
        AuditLog.target.not_like("deleted:%")))))
    gone = []
    for start in range(0, len(targets), CHUNK):
        chunk = targets[start:start + CHUNK]
        stored = set(stored_among(session, chunk))
        gone += [target for target in chunk if target not in stored]
    for target in gone:
        session.execute(update(AuditLog).where(AuditLog.target == target).values(
            target=deleted_reference(target, audit_key)))
    session.commit()
    return len(gone)


def stored_among(session: Session, candidates: list[str]) -> list[str]:
    """Which of these conversation ids are stored (in Rasa's events or our summaries)."""
    found = set(session.scalars(select(ConversationSummary.sender_id).where(
        ConversationSummary.sender_id.in_(candidates))))
    if has_events_table(session):
        found |= set(session.scalars(select(events.c.sender_id).distinct().where(
            events.c.sender_id.in_(candidates))))
    return [candidate for candidate in candidates if candidate in found]


def _delete(
    session: Session, senders: list[str], audit_key: bytes,
    keep_after: dt.datetime | None = None,
) -> tuple[list[str], int]:
    """Delete these conversations in one transaction: (senders deleted, rows deleted).

    With `keep_after`, a conversation that got an event since then (the patient came
    back while retention ran) is kept.
    """
    try:
        state = lock_index(session)
        deleted = 0
        if has_events_table(session):
            if keep_after is not None:
                back = set(session.scalars(select(events.c.sender_id).where(
                    events.c.sender_id.in_(senders),
                    events.c.timestamp >= keep_after.timestamp())))
                senders = [sender for sender in senders if sender not in back]
            deleted += session.execute(
                delete(events).where(events.c.sender_id.in_(senders))).rowcount
            clamp_watermark(session, state)
        for model in (ConversationMessage, Tag, Review, CallbackRequest, Notification,
                      Takeover, ConversationSummary):
            deleted += session.execute(
                delete(model).where(model.sender_id.in_(senders))
                .execution_options(synchronize_session=False)).rowcount
        if deleted:
            for sender in senders:
                session.execute(update(AuditLog).where(AuditLog.target == sender).values(
                    target=deleted_reference(sender, audit_key)))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return senders, deleted

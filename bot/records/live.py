"""Conversations as they happen: who is chatting now, what was just said, who has joined.

Read for the staff's live view, which polls these every couple of seconds over one
server-sent-events connection per page: each call is one or two indexed queries, and a
page asks for the turns after the last one it has, never the whole transcript again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.records.accounts import audit
from bot.records.db import ConversationSummary, Takeover, events
from bot.records.summaries import has_events_table, read_json, read_user_event

LIVE_FOR = dt.timedelta(minutes=30)
"""A conversation with an event this recent counts as going on."""
_S = ConversationSummary


@dataclass(frozen=True)
class LiveRow:
    """A conversation in the live view."""

    sender_id: str
    started_at: dt.datetime
    last_event_at: dt.datetime
    channel: str | None
    asked_for_person: bool
    urgent: bool
    first_message: str | None
    joined_by: str | None


@dataclass(frozen=True)
class LiveTurn:
    """One message: from the patient, the assistant, or a staff member (by name)."""

    event_id: int
    at: dt.datetime
    who: str
    text: str
    staff_name: str | None = None


def last_event_id(session: Session) -> int:
    """The newest event's id, 0 before Rasa stored anything: has anything happened."""
    if not has_events_table(session):
        return 0
    return session.scalar(select(func.max(events.c.id))) or 0


def live_conversations(session: Session, now: dt.datetime) -> list[LiveRow]:
    """Conversations with a patient message and recent activity; waiting for a person first."""
    joined = dict(session.execute(
        select(Takeover.sender_id, Takeover.staff_name).where(Takeover.left_at.is_(None))).all())
    summaries = session.scalars(
        select(_S).where(_S.turns > 0, _S.last_event_at >= now - LIVE_FOR)
        .order_by(_S.human_requested.desc(), _S.last_event_at.desc()).limit(200))
    return [LiveRow(s.sender_id, s.started_at, s.last_event_at, s.channel, s.human_requested,
                    s.urgent, s.first_message, joined.get(s.sender_id)) for s in summaries]


def turns_after(session: Session, sender_id: str, after_id: int = 0,
                limit: int = 500) -> list[LiveTurn]:
    """The conversation's messages after event `after_id`, oldest first."""
    if not has_events_table(session):
        return []
    rows = session.execute(
        select(events.c.id, events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id == sender_id, events.c.id > after_id,
               events.c.type_name.in_(("user", "bot")))
        .order_by(events.c.id).limit(limit)).all()
    turns = []
    for row in rows:
        data = read_json(row.data)
        at = dt.datetime.fromtimestamp(row.timestamp or 0.0, dt.UTC)
        if row.type_name == "user":
            message = read_user_event(data)
            if not message.opened_chat:
                turns.append(LiveTurn(row.id, at, "patient", message.typed or message.text))
            continue
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        staff = metadata.get("staff_name")
        text = data.get("text") if isinstance(data.get("text"), str) else ""
        turns.append(LiveTurn(row.id, at, "staff" if staff else "assistant", text,
                              staff if isinstance(staff, str) else None))
    return turns


def active_takeover(session: Session, sender_id: str) -> Takeover | None:
    """Who is in the conversation now, if anyone."""
    return session.scalar(select(Takeover).where(Takeover.sender_id == sender_id,
                                                 Takeover.left_at.is_(None)))


def record_join(session: Session, sender_id: str, email: str, name: str,
                now: dt.datetime) -> None:
    """Note that `email` joined the conversation (audited)."""
    session.add(Takeover(sender_id=sender_id, staff_email=email, staff_name=name[:80],
                         joined_at=now))
    audit(session, email, "takeover_join", sender_id)


def record_message(session: Session, sender_id: str, email: str) -> None:
    """Audit that a staff message was sent (never its text: that is in the conversation)."""
    audit(session, email, "takeover_message", sender_id)


def record_leave(session: Session, sender_id: str, email: str, now: dt.datetime) -> bool:
    """Note that the conversation was handed back to the assistant; False if nobody was in."""
    takeover = active_takeover(session, sender_id)
    if takeover is None:
        return False
    takeover.left_at = now
    audit(session, email, "takeover_leave", sender_id, f"joined by {takeover.staff_email}")
    return True

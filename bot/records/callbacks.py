"""The clinic's call-back queue and the notifications it and emergencies raise.

Requests come from the conversations themselves (the summary refresh reads the slot the
assistant sets when it confirms a call back), so every Rasa server's conversations land
in one queue with nothing written by the action server. One request stays open per
conversation: a patient who asks again updates it. A new request, or a conversation's
first emergency advice, also puts a row in the notification outbox, at most once each,
and only while it is news (`NEWS_FOR`): folding old conversations again never mails the
clinic about last month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from bot.records.accounts import audit
from bot.records.db import (
    CALLBACK_STATUSES,
    CallbackRequest,
    ConversationSummary,
    Notification,
    StaffUser,
)

NEWS_FOR = dt.timedelta(hours=12)
"""Older requests and emergencies than this, at the time they are folded, notify nobody."""
OPEN = tuple(status for status in CALLBACK_STATUSES if status != "done")
STATUS_LABELS = {"new": "New", "called": "Called", "no_answer": "No answer", "done": "Done"}


@dataclass(frozen=True)
class Asked:
    """A conversation asked for the clinic: a call back (with its details) or an emergency."""

    kind: str
    sender_id: str
    at: dt.datetime
    phone: str | None = None
    preferred_time: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class QueueRow:
    """A call-back as the queue shows it."""

    request: CallbackRequest
    outcome: str | None
    assignee: str | None


def record_asks(session: Session, asked: Sequence[Asked], now: dt.datetime) -> None:
    """Open or update call-back requests and queue notifications (in the caller's transaction)."""
    for ask in asked:
        news = now - ask.at <= NEWS_FOR
        if ask.kind == "callback":
            if _open_or_update(session, ask) and news:
                _notify(session, ask)
        elif news and not session.scalar(select(Notification.id).where(
                Notification.sender_id == ask.sender_id, Notification.kind == ask.kind)):
            _notify(session, ask)


def _open_or_update(session: Session, ask: Asked) -> bool:
    """Update the conversation's open request, or open one; True when it is new."""
    details = {"phone": ask.phone, "preferred_time": ask.preferred_time, "name": ask.name}
    current = session.scalar(select(CallbackRequest).where(
        CallbackRequest.sender_id == ask.sender_id, CallbackRequest.status.in_(OPEN)))
    if current is not None:
        for key, value in details.items():
            setattr(current, key, value)
        return False
    session.add(CallbackRequest(sender_id=ask.sender_id, requested_at=ask.at, status="new",
                                **details))
    return True


def _notify(session: Session, ask: Asked) -> None:
    session.add(Notification(kind=ask.kind, sender_id=ask.sender_id, created_at=ask.at,
                             attempts=0))


def queue(session: Session, show_done: bool = False, limit: int = 200) -> list[QueueRow]:
    """Open requests first (oldest first: they have waited longest), then done ones."""
    done_last = case((CallbackRequest.status == "done", 1), else_=0)
    query = (
        select(CallbackRequest, ConversationSummary.outcome, StaffUser.email)
        .join(ConversationSummary, ConversationSummary.sender_id == CallbackRequest.sender_id)
        .outerjoin(StaffUser, StaffUser.id == CallbackRequest.assigned_to)
        .order_by(done_last, CallbackRequest.requested_at)
        .limit(limit)
    )
    if not show_done:
        query = query.where(CallbackRequest.status.in_(OPEN))
    return [QueueRow(request, outcome, email) for request, outcome, email in session.execute(query)]


def counts(session: Session) -> dict[str, int]:
    """Requests per status (every status present, zero when none)."""
    found = dict(session.execute(
        select(CallbackRequest.status, func.count()).group_by(CallbackRequest.status)).all())
    return {status: found.get(status, 0) for status in CALLBACK_STATUSES}


def set_status(session: Session, request_id: int, status: str, by: str,
               now: dt.datetime | None = None) -> bool:
    """Record a call's result; False when the request or the status is unknown."""
    if status not in CALLBACK_STATUSES:
        return False
    now = now or dt.datetime.now(dt.UTC)
    request = session.get(CallbackRequest, request_id)
    if request is None:
        return False
    request.status, request.status_by, request.status_at = status, by, now
    audit(session, by, "callback_status", request.sender_id, f"request {request_id}: {status}")
    return True


def assign(session: Session, request_id: int, staff_id: int | None, by: str,
           now: dt.datetime | None = None) -> bool:
    """Give the request to a staff member (None: to nobody); False when either is unknown."""
    now = now or dt.datetime.now(dt.UTC)
    request = session.get(CallbackRequest, request_id)
    staff = session.get(StaffUser, staff_id) if staff_id is not None else None
    if request is None or (staff_id is not None and (staff is None or staff.disabled_at)):
        return False
    request.assigned_to, request.assigned_at = staff_id, now if staff_id else None
    audit(session, by, "callback_assign", request.sender_id,
          f"request {request_id}: {staff.email if staff else 'nobody'}")
    return True


def staff_to_assign(session: Session) -> list[tuple[int, str]]:
    """Active staff accounts, by email."""
    return list(session.execute(select(StaffUser.id, StaffUser.email)
                                .where(StaffUser.disabled_at.is_(None))
                                .order_by(StaffUser.email)).all())


def pending_notifications(
    session: Session, max_attempts: int, limit: int = 50
) -> list[Notification]:
    """Notifications not sent yet, oldest first, that have not failed too often."""
    return list(session.scalars(
        select(Notification)
        .where(Notification.sent_at.is_(None), Notification.attempts < max_attempts)
        .order_by(Notification.id).limit(limit)))


def mark_sent(session: Session, notification_ids: Iterable[int], now: dt.datetime) -> None:
    """Record notifications as sent."""
    session.execute(update(Notification).where(Notification.id.in_(list(notification_ids)))
                    .values(sent_at=now, last_error=None))
    session.commit()


def mark_failed(session: Session, notification_id: int, error: str) -> None:
    """Count a failed attempt; the error is a short reason, never message text."""
    session.execute(update(Notification).where(Notification.id == notification_id).values(
        attempts=Notification.attempts + 1, last_error=error[:200]))
    session.commit()


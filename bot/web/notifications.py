"""Tell the clinic about new call-back requests and emergencies, by email and/or webhook.

The website runs one background task (one per installation, however many Rasa servers
there are): every few seconds it folds new conversation events into the summaries,
which queues a notification for each new call-back request and each conversation's
first emergency advice (`bot.records.callbacks`), then sends what is queued. Sending
after the commit means a mail server that is down delays a notification but never loses
it; a notification is retried `MAX_ATTEMPTS` times. Mails and webhook calls hold a link
to the conversation's staff page and the time, never anything the patient wrote: mail
is not a safe place for health data, and the staff page asks for a login. SMTP is the
standard library's `smtplib`, in a thread; the webhook body is signed with HMAC-SHA256.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage

import aiohttp
from sanic import Sanic
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.core.clinic import load_clinic
from bot.records.callbacks import NEWS_FOR, mark_failed, mark_sent, pending_notifications
from bot.records.conversations import refresh_summaries
from bot.records.db import Notification
from bot.settings import Notify, Settings
from bot.web.rendering import LocalTimes

logger = logging.getLogger(__name__)

EVERY_SECONDS = 5.0
MAX_ATTEMPTS = 20
TIMEOUT_SECONDS = 15
SUBJECTS = {
    "callback": "New call-back request",
    "emergency": "Emergency advice given in a chat",
}
BODIES = {
    "callback": "A patient asked the assistant for a call back at {at}.",
    "emergency": ("The assistant gave emergency advice (911 or 988) in a chat at {at}. "
                  "Please review the conversation."),
}


def message_for(kind: str, at: str, link: str) -> tuple[str, str]:
    """The subject and body of a notification: what happened, when, and the link."""
    body = (f"{BODIES[kind].format(at=at)}\n\nOpen it on the staff pages (log in first):\n"
            f"{link}\n\nFor privacy, this message does not include what the patient wrote.\n")
    return SUBJECTS[kind], body


def signature(secret: str, body: bytes) -> str:
    """The webhook's `X-Signature` header: "sha256=" and the body's HMAC."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_email(notify: Notify, subject: str, body: str) -> None:
    """Send one mail through the configured SMTP server (blocking: run it in a thread)."""
    mail = EmailMessage()
    mail["Subject"], mail["From"] = subject, notify.smtp_from
    mail["To"] = ", ".join(notify.email_to)
    mail.set_content(body)
    host, port = notify.smtp_host or "", notify.smtp_port
    if notify.smtp_tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    with server:
        if notify.smtp_tls == "starttls":
            server.starttls(context=ssl.create_default_context())
        if notify.smtp_user and notify.smtp_password:
            server.login(notify.smtp_user, notify.smtp_password)
        server.send_message(mail)


async def post_webhook(notify: Notify, payload: dict[str, str]) -> None:
    """POST the signed JSON payload; any answer but 2xx is a failure."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json",
               "X-Signature": signature(notify.webhook_secret or "", body)}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as client, client.post(
            notify.webhook_url or "", data=body, headers=headers) as answer:
        answer.raise_for_status()


async def deliver(settings: Settings, notification: Notification, local_time: str) -> None:
    """Send one notification every configured way; raises when one of them fails."""
    link = f"{settings.site_url}/staff/conversations/{notification.sender_id}"
    notify = settings.notify
    if notify.email_to:
        subject, body = message_for(notification.kind, local_time, link)
        await asyncio.to_thread(send_email, notify, subject, body)
    if notify.webhook_url:
        await post_webhook(notify, {
            "kind": notification.kind, "at": notification.created_at.isoformat(),
            "conversation_url": link})


async def notify_forever(app: Sanic) -> None:
    """The background task: fold new events, then send what is queued; every few seconds."""
    while True:
        await notify_once(app.ctx.settings, app.ctx.sessions)
        await asyncio.sleep(EVERY_SECONDS)


async def notify_once(settings: Settings, sessions: Callable[[], Session]) -> int:
    """One round; returns how many notifications were sent."""
    try:
        pending = await asyncio.to_thread(_fold_and_read, sessions)
    except SQLAlchemyError as error:
        logger.warning("Notifications wait: database not ready (%s)", type(error).__name__)
        return 0
    if not pending:
        return 0
    now = dt.datetime.now(dt.UTC)
    local = LocalTimes(load_clinic(settings.clinic_file).opening_hours.zone, now)
    sent = 0
    for notification in pending:
        if now - notification.created_at > NEWS_FOR:
            await asyncio.to_thread(_record, sessions, notification.id, None)
            continue  # old news (the clinic set up notifications later): the queue has it
        try:
            await deliver(settings, notification, local.when(notification.created_at))
        except (TimeoutError, OSError, smtplib.SMTPException, aiohttp.ClientError) as error:
            logger.warning("Notification %d not sent: %s", notification.id, type(error).__name__)
            await asyncio.to_thread(_record, sessions, notification.id, type(error).__name__)
            continue
        await asyncio.to_thread(_record, sessions, notification.id, None)
        sent += 1
    return sent


def _fold_and_read(sessions: Callable[[], Session]) -> list[Notification]:
    with sessions() as db:
        refresh_summaries(db)
        return pending_notifications(db, MAX_ATTEMPTS)


def _record(sessions: Callable[[], Session], notification_id: int, error: str | None) -> None:
    with sessions() as db:
        if error is None:
            mark_sent(db, [notification_id], dt.datetime.now(dt.UTC))
        else:
            mark_failed(db, notification_id, error)

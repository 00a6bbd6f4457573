"""Notifications reach a real SMTP server (aiosmtpd) and a real webhook, with no patient text."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json

import pytest
from aiohttp import web
from launcher import free_port
from smtp_inbox import Smtp, shows_a_555_number
from smtp_inbox import body as mail_text
from sqlalchemy import select
from staff_fixtures import call_back, store, talk

from bot.records.db import Notification, make_engine, migrate, session_factory
from bot.settings import ROOT, Settings
from bot.web.notifications import message_for, notify_once, signature
from scripts.seed_conversations import emergency

SECRET = "webhook secret"
SITE = "https://clinic.example"


@pytest.fixture
def smtp():
    server = Smtp()
    server.start()
    yield server, server.inbox
    server.stop()


@pytest.fixture
def setup(tmp_path, smtp):
    controller, _ = smtp
    url = f"sqlite:///{tmp_path / 'notify.db'}"
    migrate(url)
    engine = make_engine(url)
    hook_port = free_port()
    settings = Settings.from_env({
        "DATABASE_URL": url, "BOT_NOTIFY_EMAIL": "intake@clinic.example",
        "BOT_SMTP_HOST": "127.0.0.1", "BOT_SMTP_PORT": str(controller.port),
        "BOT_SMTP_TLS": "none", "BOT_STAFF_URL": SITE,
        "BOT_NOTIFY_WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/hook",
        "BOT_NOTIFY_WEBHOOK_SECRET": SECRET,
    }, root=ROOT)
    yield settings, engine, session_factory(engine), hook_port
    engine.dispose()


async def _with_webhook(port: int, calls: list, coroutine):
    async def hook(request: web.Request) -> web.Response:
        calls.append((request.headers.get("X-Signature"), await request.read()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        return await coroutine
    finally:
        await runner.cleanup()


def test_new_requests_and_emergencies_are_mailed_and_posted_once(setup, smtp):
    settings, engine, sessions, hook_port = setup
    _, inbox = smtp
    now = dt.datetime.now(dt.UTC)
    store(engine, call_back(talk("web-a1", dt.timedelta(minutes=3), now=now)),
          emergency(talk("web-a2", dt.timedelta(minutes=2), now=now)))
    calls: list = []
    sent = asyncio.run(_with_webhook(hook_port, calls, notify_once(settings, sessions)))
    assert sent == 2
    subjects = sorted(mail["Subject"] for mail in inbox.mails)
    assert subjects == ["Emergency advice given in a chat", "New call-back request"]
    for mail in inbox.mails:
        text = mail_text(mail)
        assert f"{SITE}/staff/conversations/web-a" in text
        assert not shows_a_555_number(text) and "call me" not in text  # nor patient text
    for header, posted in calls:
        assert header == "sha256=" + hmac.new(SECRET.encode(), posted, hashlib.sha256).hexdigest()
    assert sorted(json.loads(posted)["kind"] for _, posted in calls) == ["callback", "emergency"]
    assert asyncio.run(_with_webhook(hook_port, calls, notify_once(settings, sessions))) == 0
    assert len(inbox.mails) == 2 and len(calls) == 2


def test_a_mail_server_that_is_down_delays_the_notification_but_never_loses_it(setup, smtp):
    settings, engine, sessions, hook_port = setup
    controller, inbox = smtp
    controller.stop()
    store(engine, call_back(talk("web-b1", dt.timedelta(minutes=1),
                                 now=dt.datetime.now(dt.UTC))))
    calls: list = []
    assert asyncio.run(_with_webhook(hook_port, calls, notify_once(settings, sessions))) == 0
    with sessions() as db:
        [waiting] = db.scalars(select(Notification)).all()
        assert (waiting.sent_at, waiting.attempts) == (None, 1)
        assert waiting.last_error and not shows_a_555_number(waiting.last_error)
    controller.start()
    assert asyncio.run(_with_webhook(hook_port, calls, notify_once(settings, sessions))) == 1
    assert [mail["Subject"] for mail in inbox.mails] == ["New call-back request"]


@pytest.mark.parametrize("kind", ["callback", "emergency"])
def test_the_message_says_what_and_when_and_links_to_it(kind):
    subject, body = message_for(kind, "Dec 1, 2:05 pm CST", f"{SITE}/staff/conversations/x")
    assert subject and "Dec 1, 2:05 pm CST" in body and f"{SITE}/staff/conversations/x" in body


def test_the_webhook_signature_is_an_hmac_of_the_body():
    assert signature("k", b"{}") == "sha256=" + hmac.new(b"k", b"{}", hashlib.sha256).hexdigest()
    assert signature("k", b"{}") != signature("k", b"{ }")

"""Live conversations at /staff/live, and a staff member joining one (take-over).

The list and each conversation update by themselves over server-sent events: the page
opens one stream, and the server sends what changed every `POLL_SECONDS` (a cheap check of
the newest event id first). Joining pauses the assistant and tells the patient, on the
channel they use, that a named person has joined; staff messages go the same way; "hand
back" tells the patient and resumes the assistant. All of it goes through the Rasa
server's own HTTP API (`/conversations/<id>/tracker/events`, the latest input channel as
output), so the patient's conversation stays one record whichever server holds it.
While paused, the Rasa server still answers an emergency at once
(`bot.adapters.unanswered_turns`). Every join, message and hand-back is audited.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import quote

import aiohttp
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from bot.core.inbound import channel_label
from bot.records.conversations import refresh_summaries
from bot.records.db import ConversationSummary
from bot.records.live import (
    LiveRow,
    LiveTurn,
    active_takeover,
    last_event_id,
    live_conversations,
    record_join,
    record_leave,
    record_message,
    turns_after,
)
from bot.web.rendering import LocalTimes, clinic_of
from bot.web.site import texts_per_language
from bot.web.staff import clinic_zone, error_page, protect, require_staff, staff_db, staff_page

blueprint = Blueprint("staff_live", url_prefix="/staff/live")
blueprint.on_request(require_staff)
blueprint.on_response(protect)

POLL_SECONDS = 1.5
STREAM_SECONDS = 300
"""A stream ends after this; the browser's EventSource opens a new one by itself."""
MAX_MESSAGE = 1000
PUSHABLE = frozenset({"socketio", "twilio", "telegram", "slack", "facebook", "callback"})
"""Channels the clinic can write to first; the REST API only ever answers."""


class RasaUnavailable(RuntimeError):
    """The Rasa server did not take the events."""


def staff_name(email: str) -> str:
    """The name a patient sees: the email's first word ("maria.lopez@…" is "Maria")."""
    local = email.split("@", 1)[0]
    first = local.replace("_", ".").replace("-", ".").split(".")[0]
    return first[:1].upper() + first[1:] if first else "A staff member"


async def send_to_patient(request: Request, sender_id: str, events: list[dict[str, Any]]) -> None:
    """Append events to the conversation on the Rasa server, sending its bot messages."""
    settings = request.app.ctx.settings
    url = f"{settings.rasa_api_url}/conversations/{quote(sender_id, safe='')}/tracker/events"
    params = {"output_channel": "latest", "execute_side_effects": "true"}
    headers = {"Authorization": f"Bearer {settings.api_token or ''}"}  # not in proxies' logs
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as client, \
                client.post(url, params=params, json=events, headers=headers) as answer:
            if answer.status != 200:
                raise RasaUnavailable(f"HTTP {answer.status}")
    except (aiohttp.ClientError, TimeoutError) as error:
        raise RasaUnavailable(type(error).__name__) from error


def _rows_json(rows: list[LiveRow], local: LocalTimes) -> list[dict[str, Any]]:
    return [{"id": row.sender_id, "url": f"/staff/live/{quote(row.sender_id, safe='')}",
             "last": local.when(row.last_event_at), "channel": channel_label(row.channel),
             "asked": row.asked_for_person, "urgent": row.urgent,
             "preview": row.first_message or "", "joined": row.joined_by or ""}
            for row in rows]


def _turns_json(turns: list[LiveTurn], local: LocalTimes) -> list[dict[str, Any]]:
    return [{"id": turn.event_id, "who": turn.who, "name": turn.staff_name or "",
             "at": local.time(turn.at), "text": turn.text} for turn in turns]


def _local(request: Request) -> LocalTimes:
    return LocalTimes(clinic_zone(request), dt.datetime.now(dt.UTC))


def _list_now(request: Request) -> list[dict[str, Any]]:
    with staff_db(request) as db:
        refresh_summaries(db)
        return _rows_json(live_conversations(db, dt.datetime.now(dt.UTC)), _local(request))


@blueprint.get("/")
async def live_list(request: Request) -> HTTPResponse:
    """Conversations going on now; the page keeps itself up to date."""
    rows = await asyncio.to_thread(_list_now, request)
    return staff_page(request, "staff/live.html", section="live", rows=rows)


@blueprint.get("/stream")
async def live_list_stream(request: Request) -> None:
    """Server-sent events: the list again whenever a new event was stored."""
    await _stream(request, "rows", lambda: _list_now(request), lambda _sent: None)


@blueprint.get("/<sender_id:str>", unquote=True)
async def live_conversation(request: Request, sender_id: str) -> HTTPResponse:
    """One conversation as it happens, with join, message and hand-back."""
    def read() -> tuple[list[LiveTurn], Any, tuple[str | None, str]]:
        with staff_db(request) as db:
            refresh_summaries(db)
            return (turns_after(db, sender_id), active_takeover(db, sender_id),
                    _patient(db, sender_id))
    turns, takeover, (channel, language) = await asyncio.to_thread(read)
    if not turns:
        return error_page(request, 404, "Not found", "There is no such conversation.")
    clinic = clinic_of(request)
    return staff_page(request, "staff/live_conversation.html", section="live", sender_id=sender_id,
                 turns=_turns_json(turns, _local(request)), takeover=takeover,
                 me=request.ctx.staff.email, channel=channel_label(channel), language=language,
                 can_join=channel in PUSHABLE,
                 clinic_open=clinic.opening_hours.is_open(dt.datetime.now(dt.UTC)),
                 live_url=_here(sender_id), stream_url=f"{_here(sender_id)}/stream",
                 max_message=MAX_MESSAGE)


@blueprint.get("/<sender_id:str>/stream", unquote=True)
async def live_conversation_stream(request: Request, sender_id: str) -> None:
    """Server-sent events: the conversation's new messages, after `?after=<event id>`."""
    after = [int(request.args.get("after", "0")) if request.args.get("after", "").isdigit()
             else 0]

    def read() -> list[dict[str, Any]]:
        with staff_db(request) as db:
            return _turns_json(turns_after(db, sender_id, after[0]), _local(request))

    def sent(turns: list[dict[str, Any]]) -> None:
        if turns:
            after[0] = turns[-1]["id"]

    await _stream(request, "turns", read, sent)


async def _stream(request: Request, event: str, read: Any, sent: Any) -> None:
    response = await request.respond(content_type="text/event-stream",
                                     headers={"X-Accel-Buffering": "no"})
    seen = None
    until = time.monotonic() + STREAM_SECONDS
    while time.monotonic() < until:
        mark = await asyncio.to_thread(_mark, request)
        if mark != seen:
            data = await asyncio.to_thread(read)
            if data or seen is None:
                await response.send(f"event: {event}\ndata: {json.dumps(data)}\n\n")
                sent(data)
            seen = mark
        else:
            await response.send(": still here\n\n")
        await asyncio.sleep(POLL_SECONDS)
    await response.eof()


def _mark(request: Request) -> int:
    with staff_db(request) as db:
        return last_event_id(db)


@cache
def takeover_texts() -> dict[str, dict[str, str]]:
    """What the patient is told when staff join and leave, per language."""
    return texts_per_language("takeover_texts.yml")


def patient_notice(kind: str, language: str, **values: str) -> str:
    """The `joined` or `left` notice in the conversation's language (English if unknown)."""
    texts = takeover_texts()
    return texts.get(language, texts["en"])[kind].format(**values)


def _patient(db: Any, sender_id: str) -> tuple[str | None, str]:
    """The patient's channel and the conversation's language."""
    summary = db.get(ConversationSummary, sender_id)
    return (summary.channel, summary.language) if summary else (None, "en")


@blueprint.post("/<sender_id:str>/join", unquote=True)
async def join(request: Request, sender_id: str) -> HTTPResponse:
    """Pause the assistant and tell the patient who has joined."""
    email = request.ctx.staff.email
    with staff_db(request) as db:
        takeover = active_takeover(db, sender_id)
        channel, language = _patient(db, sender_id)
    if takeover is not None:
        return error_page(request, 409, "Someone is already there",
                      f"{takeover.staff_name} ({takeover.staff_email}) is in this chat now.")
    if channel not in PUSHABLE:
        return error_page(request, 400, "Cannot join",
                      "This patient's channel cannot receive messages from the clinic.")
    name = staff_name(email)
    text = patient_notice("joined", language, name=name, clinic=clinic_of(request).name)
    failed = await _send(request, sender_id, [{"event": "pause"}, _said(text, name)])
    if failed:
        return failed
    with staff_db(request) as db:
        record_join(db, sender_id, email, name, dt.datetime.now(dt.UTC))
    return redirect(_here(sender_id), status=303)


@blueprint.post("/<sender_id:str>/message", unquote=True)
async def message(request: Request, sender_id: str) -> HTTPResponse:
    """Send the staff member's message to the patient."""
    text = " ".join((request.form.get("text") or "").split())[:MAX_MESSAGE]
    email = request.ctx.staff.email
    with staff_db(request) as db:
        takeover = active_takeover(db, sender_id)
    if takeover is None or takeover.staff_email != email:
        return error_page(request, 409, "Join first",
                          "Join the chat before you write to the patient.")
    if not text:
        return redirect(_here(sender_id), status=303)
    failed = await _send(request, sender_id, [_said(f"{takeover.staff_name}: {text}",
                                                    takeover.staff_name)])
    if failed:
        return failed
    with staff_db(request) as db:
        record_message(db, sender_id, email)
    return redirect(_here(sender_id), status=303)


@blueprint.post("/<sender_id:str>/leave", unquote=True)
async def leave(request: Request, sender_id: str) -> HTTPResponse:
    """Tell the patient, then give the conversation back to the assistant."""
    with staff_db(request) as db:
        takeover = active_takeover(db, sender_id)
        _, language = _patient(db, sender_id)
    if takeover is None:
        return redirect(_here(sender_id), status=303)
    text = patient_notice("left", language, name=takeover.staff_name)
    failed = await _send(request, sender_id, [_said(text, takeover.staff_name),
                                              {"event": "resume"}])
    if failed:
        return failed
    with staff_db(request) as db:
        record_leave(db, sender_id, request.ctx.staff.email, dt.datetime.now(dt.UTC))
    return redirect(_here(sender_id), status=303)


def _said(text: str, name: str) -> Mapping[str, Any]:
    return {"event": "bot", "text": text, "metadata": {"staff_name": name}}


async def _send(request: Request, sender_id: str, events: list[Any]) -> HTTPResponse | None:
    try:
        await send_to_patient(request, sender_id, events)
    except RasaUnavailable:
        return error_page(request, 503, "Not sent",
                      "The assistant's server did not answer, so the patient was not told. "
                      "Try again in a minute.")
    return None


def _here(sender_id: str) -> str:
    return f"/staff/live/{quote(sender_id, safe='')}"

"""Simulated patients for Locust: FAQ visits, triages, emergencies and call-backs.

Over the REST channel (as a messaging platform's webhook or a clinic's own site would
call it) and over socket.io (as the website's chat widget talks). `bench/run.py` runs it
headless for `make bench`; it also runs on its own:

    BOT_API_TOKEN=... BENCH_ORIGIN=http://localhost:8000 \
        locust -f bench/locustfile.py --host http://127.0.0.1:5005

Each visit is a new conversation (`bench/visits.yml`). What every conversation was sent
and answered is written as JSON to $BENCH_LEDGER when the run stops, so that the
benchmark can count the events the tracker store should hold (none may be lost).
"""

from __future__ import annotations

import json
import os
import queue
import random
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import socketio
from locust import FastHttpUser, User, constant, events, task

from bench.visits import VISITS, Turn, turns

QUIET_S = 0.25
"""A socket.io turn is over once no reply came for this long (the channel has no end mark)."""
REPLY_TIMEOUT_S = 30.0

LEDGER: dict[str, dict[str, int]] = defaultdict(lambda: {"user": 0, "bot": 0})
"""Conversation id -> messages the server acknowledged and replies the patient received."""


def pick(book: str) -> tuple[str, list[Turn]]:
    """A kind of visit, at random by its weight."""
    kinds = VISITS[book]
    kind = random.choices(list(kinds), weights=[k["weight"] for k in kinds.values()])[0]
    return kind, turns(kinds[kind])


def missing(expect: str | None, replies: list[str]) -> str | None:
    """Why the replies are wrong for the turn, or None."""
    if not replies:
        return "no reply"
    if expect and not any(expect.lower() in reply.lower() for reply in replies):
        return f"the reply lacks {expect!r}"
    return None


@events.test_stop.add_listener
def _write_ledger(**_: Any) -> None:
    path = os.environ.get("BENCH_LEDGER")
    if path:
        Path(path).write_text(json.dumps(LEDGER), encoding="utf-8")


class RestVisitor(FastHttpUser):
    """Someone whose messages come over Rasa's REST channel, one visit after another."""

    abstract = True
    wait_time = constant(0)
    book = "clinic"
    channel_prefix = "rest"

    def on_start(self) -> None:
        """The API token, once per simulated patient."""
        token = os.environ.get("BOT_API_TOKEN", "")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    @task
    def visit(self) -> None:
        """One visit, a new conversation; it ends at the first wrong or missing reply."""
        kind, steps = pick(self.book)
        sender = uuid.uuid4().hex
        conversation = LEDGER[f"{self.channel_prefix}:{sender}"]
        for text, expect in steps:
            with self.client.post("/webhooks/rest/webhook", name=f"REST {kind}",
                                  json={"sender": sender, "message": text},
                                  headers=self.headers, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                    return
                conversation["user"] += 1
                replies = [r.get("text", "") for r in response.json()]
                conversation["bot"] += len(replies)
                wrong = missing(expect, replies)
                if wrong:
                    response.failure(wrong)
                    return


class RestPatient(RestVisitor):
    """The clinic's patients over REST (with the API token from $BOT_API_TOKEN)."""

    weight = 3


class WebsitePatient(User):
    """A patient in the website's chat widget: socket.io, one session per visit.

    The widget's page is on the clinic website, so its socket sends that origin
    ($BENCH_ORIGIN), which the Rasa server checks like a browser's. The transport is
    long-polling, socket.io's fallback: the Python client's websocket library
    (websocket-client) cannot read the compressed frames of the Rasa server's websockets,
    which browsers read. Polling costs the server an HTTP request per message and poll.
    """

    weight = 1
    wait_time = constant(0)

    @task
    def visit(self) -> None:
        """One visit in a new chat session, as the widget opens it."""
        kind, steps = pick("clinic")
        replies: queue.Queue[str] = queue.Queue()
        client = socketio.Client(reconnection=False)
        client.on("bot_uttered", lambda data: replies.put((data or {}).get("text", "")))
        confirmed: queue.Queue[str] = queue.Queue()
        client.on("session_confirm", confirmed.put)
        session = uuid.uuid4().hex
        started = time.perf_counter()
        try:
            # `route`, as the widget sends it: nginx keeps the visit's polls on one server
            client.connect(f"{self.host}?route={uuid.uuid4().hex}", transports=["polling"],
                           wait_timeout=10,
                           headers={"Origin": os.environ.get("BENCH_ORIGIN") or self.host})
            client.emit("session_request", {"session_id": session})
            confirmed.get(timeout=REPLY_TIMEOUT_S)
            conversation = LEDGER[f"web:{session}"]
            for text, expect in steps:
                if not self._turn(client, replies, conversation, kind, text, expect):
                    return
        except (socketio.exceptions.ConnectionError, queue.Empty) as error:
            self._report(f"socket.io {kind}", (time.perf_counter() - started) * 1000, error)
            time.sleep(1)
        finally:  # a closing poll can wait 30 s for its answer: the patient has left by then
            threading.Thread(target=client.disconnect, daemon=True).start()

    def _turn(self, client: socketio.Client, replies: queue.Queue[str],
              conversation: dict[str, int], kind: str, text: str,
              expect: str | None) -> bool:
        """One message; the turn's time is the time to its first reply.

        The turn's other replies are awaited until `QUIET_S` passes without one, and
        while the reply the turn expects has not come, for up to `REPLY_TIMEOUT_S`.
        """
        while not replies.empty():  # a late reply of the turn before, not this one's
            replies.get_nowait()
            conversation["bot"] += 1
        started = time.perf_counter()
        client.emit("user_uttered", {"message": text})
        got = [replies.get(timeout=REPLY_TIMEOUT_S)]
        elapsed_ms = (time.perf_counter() - started) * 1000
        conversation["user"] += 1
        while True:
            waiting = missing(expect, got) is not None
            try:
                got.append(replies.get(timeout=REPLY_TIMEOUT_S if waiting else QUIET_S))
            except queue.Empty:
                break
        conversation["bot"] += len(got)
        wrong = missing(expect, got)
        self._report(f"socket.io {kind}", elapsed_ms, AssertionError(wrong) if wrong else None)
        return wrong is None

    def _report(self, name: str, elapsed_ms: float, error: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type="socket.io", name=name, response_time=elapsed_ms,
            response_length=0, exception=error, context={})

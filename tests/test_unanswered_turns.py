"""The Rasa server's guard on the action server: give up fast, then fail fast for a while."""

import asyncio
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import aiohttp
import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.adapters.unanswered_turns import Breaker, fail_fast, watching_turn


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("events", "closed"), [
    ([], True),
    ([("fail", 0)], False),
    ([("fail", 0), ("wait", 4.9)], False),
    ([("fail", 0), ("wait", 5)], True),
    ([("fail", 0), ("wait", 5), ("fail", 0), ("wait", 1)], False),
    ([("fail", 0), ("ok", 0)], True),
])
def test_calls_stop_for_five_seconds_after_a_failure(events, closed):
    clock = Clock()
    breaker = Breaker(cool_down=5, clock=clock)
    for what, seconds in events:
        clock.now += seconds
        if what != "wait":
            breaker.record(ok=what == "ok")
    assert breaker.closed() is closed


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_after_a_refused_call_the_next_fails_at_once_without_the_network():
    endpoint = EndpointConfig(f"http://127.0.0.1:{closed_port()}/webhook")
    clock = Clock()
    fail_fast(endpoint, Breaker(cool_down=5, clock=clock))

    async def call() -> str:
        try:
            await endpoint.request(json={}, method="post")
        except aiohttp.ClientConnectionError as error:
            return str(error)
        return "answered"

    assert "Cannot connect" in asyncio.run(call())
    assert asyncio.run(call()) == "the action server failed moments ago"
    clock.now += 5
    assert "Cannot connect" in asyncio.run(call())


class Answers(BaseHTTPRequestHandler):
    """An action server that answers every call with the status in the path."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = int(self.path.strip("/"))
        body = b'{"action_name": "a", "error": "declined"}' if status == 400 else b"{}"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(("status", "turn_failed"), [(500, True), (502, True), (400, False),
                                                    (200, False)])
def test_an_action_that_raised_fails_its_turn_but_a_declined_one_does_not(status, turn_failed):
    server = HTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    breaker = Breaker(cool_down=5)
    endpoint = EndpointConfig(f"http://127.0.0.1:{server.server_port}/{status}")
    fail_fast(endpoint, breaker)

    async def call() -> None:
        try:
            await endpoint.request(json={}, method="post")
        except aiohttp.ClientError:
            pass

    with watching_turn() as failed:
        asyncio.run(call())
    server.shutdown()
    assert bool(failed) is turn_failed
    assert breaker.closed()  # the server answered: it is up

"""The Rasa server's guard on the action server: give up fast, then fail fast for a while."""

import asyncio
import socket

import aiohttp
import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.adapters.unanswered_turns import Breaker, fail_fast


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

"""The sliding-window rate limiter, with a hand-moved clock."""

from __future__ import annotations

import pytest

from bot.core.rate_limit import RateLimiter, address_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("limit", "hits_at", "refused_at"), [
    (3, [0, 1, 2, 3], {3: 57}),          # the 4th within a minute waits for the 1st to age
    (3, [0, 1, 2, 60], {}),              # the window slides: at 60 s the first one is gone
    (1, [0, 30, 59.5, 60], {1: 30, 2: 1}),
    (2, [0, 0, 0, 0], {2: 60, 3: 60}),   # refused hits do not count against the client
])
def test_hits_over_the_limit_in_any_window_are_refused_with_the_wait(limit, hits_at,
                                                                      refused_at):
    clock = Clock()
    limiter = RateLimiter(limit, window=60, clock=clock)
    waits = {}
    for n, at in enumerate(hits_at):
        clock.now = 1000.0 + at
        wait = limiter.hit("patient")
        if wait is not None:
            waits[n] = wait
    assert waits == refused_at


def test_keys_are_counted_apart_and_memory_stays_bounded():
    clock = Clock()
    limiter = RateLimiter(1, window=60, max_keys=100, clock=clock)
    assert limiter.hit("a") is None and limiter.hit("b") is None
    assert limiter.hit("a") == 60
    for n in range(1000):
        limiter.hit(f"address-{n}")
    assert len(limiter._hits) == 100
    assert limiter.hit("a") is None  # dropped as the oldest: a fresh start, never a crash


@pytest.mark.parametrize(("address", "key"), [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),          # one home's block counts once
    ("[2001:db8:1:2:ffff::9]", "2001:db8:1:2::/64"),        # Sanic brackets forwarded IPv6
    ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),                  # IPv4 seen through IPv6
    ("unix:/run/bot.sock", "unix:/run/bot.sock"),
    ("unknown", "unknown"),
])
def test_addresses_are_counted_per_client_not_per_ipv6_address(address, key):
    assert address_key(address) == key

"""How many requests one client may make in a minute: a sliding window per key.

Written here rather than taken from `limits`: its current releases need packaging>=21,
and Rasa 3.6 pins packaging 20.9. The window is exact (a timestamp per request, at most
`limit` kept per key), memory is bounded (the keys idle longest are dropped first once
`max_keys` is reached), and the clock is passed in so tests need no sleeping.
Per process: with several servers each keeps its own count, which only makes the limit
looser by the number of servers.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    """At most `limit` hits per key in any `window` seconds."""

    limit: int
    window: float = 60.0
    max_keys: int = 100_000
    clock: Callable[[], float] = time.monotonic
    _hits: OrderedDict[str, deque[float]] = field(default_factory=OrderedDict, repr=False)

    def hit(self, key: str) -> int | None:
        """Count one request; None if allowed, else the seconds to wait before the next."""
        now = self.clock()
        hits = self._hits.pop(key, None) or deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        self._hits[key] = hits
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        return None


def address_key(address: str) -> str:
    """The key an address is counted under: IPv6 per /64, the block one home or phone gets.

    One IPv6 client can use any of its 2^64 addresses, so counting each would not limit it.
    Anything that is not an address (a UNIX socket name) counts as itself.
    """
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)

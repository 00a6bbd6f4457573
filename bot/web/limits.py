"""Rate limits on the public channels: messages per conversation and per address.

Webhooks come from the platforms' own servers, so there only the conversation counts
(one SMS patient cannot flood the bot; everyone else is still answered); the website's
socket.io messages count per browser address too. A refused webhook gets 429 with
Retry-After; a refused website message gets a kind reply instead. Calls made with the
API token (REST, the HTTP API) are not limited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, text

from bot.core.rate_limit import RateLimiter, address_key
from bot.settings import RateLimits

TOO_MANY_RESPONSE = "utter_too_many_messages"


class RateLimited(SanicException):
    """Too many messages: answered 429 with the seconds to wait."""

    status_code = 429
    quiet = True

    def __init__(self, retry_after: int) -> None:
        """`retry_after`: seconds until the next message is accepted."""
        super().__init__(f"Too many messages. Try again in {retry_after} seconds.")
        self.retry_after = retry_after


@dataclass
class ChannelLimits:
    """The limiters of one Rasa server process."""

    address: RateLimiter
    conversation: RateLimiter

    @classmethod
    def from_settings(cls, limits: RateLimits) -> ChannelLimits:
        """Limiters for the configured rates (per minute)."""
        return cls(RateLimiter(limits.per_address), RateLimiter(limits.per_conversation))

    def check(self, conversation: str, address: str | None = None) -> None:
        """Count a message; raise RateLimited when its address or conversation is over."""
        for limiter, key in ((self.address, address), (self.conversation, conversation)):
            wait = limiter.hit(key) if key is not None else None
            if wait is not None:
                raise RateLimited(wait)


def install(app: Sanic, limits: RateLimits) -> None:
    """Give a Rasa server its limiters and its 429 answer."""
    trust_proxies(app, limits)
    app.ctx.channel_limits = ChannelLimits.from_settings(limits)
    app.error_handler.add(RateLimited, too_many)


def trust_proxies(app: Sanic, limits: RateLimits) -> None:
    """Read clients' addresses from X-Forwarded-For only behind the configured proxies."""
    app.config.update({"PROXIES_COUNT": limits.trusted_proxies or None,
                       "REAL_IP_HEADER": None, "FORWARDED_SECRET": None})


def client_key(request: Request) -> str:
    """The key a request's client is counted under (see `bot.core.rate_limit.address_key`)."""
    return address_key(request.remote_addr or request.ip or "unknown")


async def too_many(_request: Request, error: RateLimited) -> HTTPResponse:
    """429 with Retry-After and a plain reason (no patient text)."""
    return text(str(error), status=429, headers={"Retry-After": str(error.retry_after)})


def limits_of(app: Sanic) -> ChannelLimits:
    """The server's limiters."""
    return app.ctx.channel_limits

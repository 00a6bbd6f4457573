"""What every webhook of ours shares: how it is built, refusing a request, reading JSON.

A refused request never reaches the bot, so nothing of it is stored; the log says why,
without the request's content (it may hold health data) or any secret.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class WebhookInput(InputChannel, ABC):
    """One platform's webhook, at /webhooks/<channel_name>/webhook, built from its settings.

    Rasa builds it from the credentials.yml entry that `bot.adapters.channels.config` writes (the
    fields of `settings_type`) and mounts its blueprint under /webhooks/<channel_name>/.
    """

    channel_name: ClassVar[str]
    settings_type: ClassVar[type]

    @classmethod
    def name(cls) -> str:
        """Rasa's name for the channel, which is also the webhook's URL prefix."""
        return cls.channel_name

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build from the channel's credentials.yml entry."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(cls.settings_type(**credentials))

    def __init__(self, channel: Any) -> None:
        """`channel`: the channel's settings (a `bot.settings` dataclass)."""
        self.channel = channel

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """GET / answers a health check; the platform's routes come from `add_routes`."""
        webhook = Blueprint(f"clinic_{self.name()}")

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        self.add_routes(webhook, on_new_message)
        return webhook

    @abstractmethod
    def add_routes(self, webhook: Blueprint, on_new_message: OnNewMessage) -> None:
        """Add the platform's /webhook route (and listeners) to the blueprint."""


def refuse(channel: str, status: int, reason: str) -> HTTPResponse:
    """Answer `status` with a short reason (401 unsigned, 403 wrong, 400 malformed)."""
    logger.warning("%s webhook: refused a request (%s): %s", channel, status, reason)
    return response.text(reason, status=status)


def json_object(request: Request) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is not one."""
    try:
        value = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None

"""The REST channel as a server-to-server API: the API token, and nothing chosen by clients.

Rasa's RestInput takes anyone's messages, with any `sender`, `input_channel` and
`metadata`: knowing a patient's id was enough to write into their conversation and read
back answers built from it. This one, at the same URL (/webhooks/rest/webhook), needs
the API token (`Authorization: Bearer <token>`, or `?token=` as Rasa's HTTP API takes
it), keeps its conversations under `rest:` (`bot.core.inbound`), ignores the client's
channel and metadata, and answers with the bot's messages as Rasa's does.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.channels.replies import (
    as_offered,
    may_pick_an_option,
    offered_buttons,
    too_long_reply,
)
from bot.adapters.channels.signatures import bearer_token, same_secret
from bot.adapters.channels.webhook import OnNewMessage, json_object, refuse
from bot.core.inbound import (
    conversation_id,
    too_long,
)

logger = logging.getLogger(__name__)


def api_token(request: Request) -> str | None:
    """The token a request carries: the bearer header, else the `token` query argument."""
    return bearer_token(request.headers.get("Authorization")) or request.args.get("token")


async def bearer_as_token_argument(request: Request) -> None:
    """Rasa's HTTP API reads its token from `?token=` only; take the bearer header too.

    A token in the URL ends up in proxies' logs; a header does not. Rasa still does the
    checking: this only hands it the header's token where it looks.
    """
    token = bearer_token(request.headers.get("Authorization"))
    if token is not None and "token" not in request.args:
        request.args["token"] = [token]


class ApiRestInput(InputChannel):
    """POST /webhooks/rest/webhook `{"sender": ..., "message": ...}` with the API token."""

    @classmethod
    def name(cls) -> str:
        """Rasa's name for the channel, and the URL prefix."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Built from its credentials.yml entry, which holds the API token."""
        if not credentials or not credentials.get("token"):
            cls.raise_missing_credentials_exception()
        return cls(str(credentials["token"]))

    def __init__(self, token: str) -> None:
        """`token`: the API token (BOT_API_TOKEN)."""
        self.token = token

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """GET / (health) and POST /webhook."""
        rest = Blueprint("clinic_rest")

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            token = api_token(request)
            if token is None:
                return refuse("REST", 401, "missing API token (Authorization: Bearer ...)")
            if not same_secret(self.token, token):
                return refuse("REST", 403, "wrong API token")
            body = json_object(request) or {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or not isinstance(text, str):
                return refuse("REST", 400, 'expected {"sender": "...", "message": "..."}')
            agent = request.app.ctx.agent
            if too_long(text):
                refusal = too_long_reply(agent, text)
                return response.json([{"recipient_id": sender, "text": refusal}])
            conversation = conversation_id(self.name(), sender)
            offered = await offered_buttons(agent, conversation) \
                if may_pick_an_option(text) else []
            text, typed = as_offered(text, offered)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(
                    text, collector, conversation, input_channel=self.name(),
                    metadata={"typed": typed} if typed else None))
            except CancelledError:
                logger.error("REST channel: the bot did not answer in time")
            except Exception as error:  # answered with what was said so far, as Rasa does
                logger.error("REST channel: the message failed (%s)", type(error).__name__)
            return response.json([
                {**message, "recipient_id": sender} for message in collector.messages])

        return rest

"""A generic gateway: it posts messages with a shared secret, answers go to CALLBACK_URL.

For gateways Rasa has no connector for (a clinic's own SMS provider, a kiosk). Rasa's
CallbackInput accepts anyone's messages; this one needs `Authorization: Bearer
<CALLBACK_TOKEN>` and sends the same header with every answer, so each side can tell
the other is genuine. Answers are plain text with numbered options, one POST each:
`{"recipient_id": "<sender>", "text": "..."}`.
"""

from __future__ import annotations

import logging

import aiohttp
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.channels.output import PlainTextOutput
from bot.adapters.channels.replies import deliver
from bot.adapters.channels.signatures import bearer_token, same_secret
from bot.adapters.channels.webhook import OnNewMessage, WebhookInput, json_object, refuse
from bot.settings import CallbackChannel

logger = logging.getLogger(__name__)

SEND_TIMEOUT = aiohttp.ClientTimeout(total=15)
"""The webhook waits for the answers it sends, so a hanging gateway must not hold it long."""


class CallbackOutput(PlainTextOutput):
    """Posts each answer to the gateway's CALLBACK_URL."""

    channel_name = "callback"

    def __init__(self, channel: CallbackChannel) -> None:
        """The gateway's address and the shared token."""
        super().__init__()
        self.channel = channel

    async def send_part(self, recipient_id: str, text: str) -> None:
        """POST one answer as JSON."""
        try:
            async with aiohttp.ClientSession(timeout=SEND_TIMEOUT) as session, session.post(
                self.channel.url, json={"recipient_id": recipient_id, "text": text},
                headers={"Authorization": f"Bearer {self.channel.token}"},
            ) as answer:
                if answer.status >= 400:
                    logger.error("The callback gateway refused an answer: HTTP %s", answer.status)
        except (TimeoutError, aiohttp.ClientError) as error:
            logger.error("The callback gateway could not be reached: %s", type(error).__name__)


class CallbackInput(WebhookInput):
    """POST /webhooks/callback/webhook with `{"sender": ..., "message": ...}`."""

    channel_name = "callback"
    settings_type = CallbackChannel

    def get_output_channel(self) -> CallbackOutput:
        """The output channel to the gateway."""
        return CallbackOutput(self.channel)

    def add_routes(self, webhook: Blueprint, on_new_message: OnNewMessage) -> None:
        """The gateway's messages, with the shared token."""

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            token = bearer_token(request.headers.get("Authorization"))
            if token is None:
                return refuse("Callback", 401, "missing Authorization: Bearer token")
            if not same_secret(self.channel.token, token):
                return refuse("Callback", 403, "wrong bearer token")
            body = json_object(request) or {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or not isinstance(text, str):
                return refuse("Callback", 400, 'expected {"sender": "...", "message": "..."}')
            await deliver(request, on_new_message, self.get_output_channel(),
                          sender, text, self.name())
            return response.json({"status": "ok"})

"""Slack: signed Events API requests in, answers out as mrkdwn through `chat.postMessage`.

Rasa's SlackInput checks the signature but answers a forged request with 400 and
crashes (500) on malformed JSON; this subclass keeps its message parsing and answers
401/403/400 instead, ignores Slack's retries (the first delivery is already being
answered), and sends through a Slack client whose API address is a setting.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.channels.output import PlainTextOutput, Style
from bot.adapters.channels.plaintext import to_slack
from bot.adapters.channels.replies import deliver_each
from bot.adapters.channels.webhook import OnNewMessage, WebhookInput, json_object, refuse
from bot.settings import SlackChannel

logger = logging.getLogger(__name__)

SLACK = Style(markup=to_slack, max_chars=4000)
"""Slack shows messages up to 4,000 characters whole (it truncates past 40,000)."""


class SlackOutput(PlainTextOutput):
    """Posts answers to the conversation they came from, in Slack's mrkdwn."""

    channel_name = "slack"
    style_for_all = SLACK

    def __init__(self, channel: SlackChannel, conversation: str | None = None) -> None:
        """`conversation`: the Slack channel id to answer in (default: a DM to the user)."""
        super().__init__()
        self.conversation = conversation
        self.client = AsyncWebClient(token=channel.token, base_url=channel.api_url)

    async def send_part(self, recipient_id: str, text: str) -> None:
        """Post one message."""
        try:
            await self.client.chat_postMessage(channel=self.conversation or recipient_id, text=text)
        except SlackApiError as error:
            logger.error("Slack refused a message: %s", error.response.get("error"))
        except (TimeoutError, aiohttp.ClientError) as error:
            logger.error("Slack could not be reached: %s", type(error).__name__)


class SlackInput(WebhookInput, RasaSlackInput):
    """POST /webhooks/slack/webhook: Slack's signed Events API requests."""

    channel_name = "slack"
    settings_type = SlackChannel

    def __init__(self, channel: SlackChannel) -> None:
        """Rasa's Slack channel, answering direct messages and mentions of the app."""
        RasaSlackInput.__init__(self, channel.token, slack_signing_secret=channel.signing_secret)
        self.channel = channel

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> SlackOutput:
        """An output channel answering in Slack channel `channel` (default: a DM)."""
        return SlackOutput(self.channel, channel or self.slack_channel)

    def add_routes(self, webhook: Blueprint, on_new_message: OnNewMessage) -> None:
        """Events (direct messages and mentions) and Slack's URL check."""

        @webhook.route("/webhook", methods=["POST"])
        async def event(request: Request) -> HTTPResponse:
            refused = self._refusal(request)
            if refused:
                return refused
            if request.headers.get("X-Slack-Retry-Num"):
                return response.text("", headers={"X-Slack-No-Retry": "1"})
            body = json_object(request)
            if body is None:
                return refuse("Slack", 400, "expected a JSON object")
            if body.get("type") == "url_verification":
                return response.json({"challenge": str(body.get("challenge", ""))})
            event = body.get("event")
            if not isinstance(event, dict):
                return refuse("Slack", 400, "expected an event")
            users = _app_users(body)
            where = {"out_channel": event.get("channel")}
            if not self._is_user_message(body) or not self._is_supported_channel(body, where):
                return response.text("ignored")
            sender, text = event.get("user"), event.get("text")
            if not isinstance(sender, str) or not isinstance(text, str):
                return refuse("Slack", 400, "expected event.user and event.text")
            task = asyncio.create_task(self._answer(
                request, on_new_message, event.get("channel"), sender,
                self._sanitize_user_message(text, users),
            ))
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
            return response.text("")

    async def _answer(
        self,
        request: Request,
        on_new_message: OnNewMessage,
        conversation: str | None,
        sender: str,
        text: str,
    ) -> None:
        """Answer after Slack got its 200: it retries anything slower than 3 seconds."""
        try:
            await deliver_each(request, on_new_message, self.get_output_channel(conversation),
                               [(sender, text)], self.name())
        except Exception:
            logger.exception("Slack message could not be answered")

    def _refusal(self, request: Request) -> HTTPResponse | None:
        signature = request.headers.get("X-Slack-Signature")
        timestamp = request.headers.get("X-Slack-Request-Timestamp")
        if not signature or not timestamp:
            return refuse("Slack", 401, "missing X-Slack-Signature or X-Slack-Request-Timestamp")
        # Rasa's check (with its replay window) logs what it cannot parse at ERROR level:
        # only well-formed headers reach it, so no caller can write into the log.
        if (not timestamp.isdigit() or not signature.isascii()
                or not self.is_request_from_slack_authentic(request)):
            return refuse("Slack", 403, "bad or expired X-Slack-Signature")
        return None


def _app_users(body: dict[str, Any]) -> list[str]:
    """The app's own user ids, whose @-mentions are dropped from the patient's text."""
    authorizations = body.get("authorizations")
    if not isinstance(authorizations, list):
        return []
    return [a["user_id"] for a in authorizations
            if isinstance(a, dict) and isinstance(a.get("user_id"), str)]

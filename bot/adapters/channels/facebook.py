"""Facebook Messenger: signed page webhooks in, plain-text answers out (Send API).

Rasa's FacebookInput accepts a bad signature with a 200 ("not validated"), knows only
the SHA-1 header, reads only the first message of a batch and crashes on malformed JSON.
This one checks `X-Hub-Signature-256` (or `X-Hub-Signature` when that is all there is),
refuses events for another page, answers every text message of a batch, and sends with
`appsecret_proof` through a Graph API address that is a setting.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import requests
from fbmessenger import MessengerClient
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.channels.output import PlainTextOutput, Style
from bot.adapters.channels.replies import deliver_each
from bot.adapters.channels.signatures import hub_ok, same_secret
from bot.adapters.channels.webhook import OnNewMessage, WebhookInput, json_object, refuse
from bot.settings import FacebookChannel

logger = logging.getLogger(__name__)

MESSENGER = Style(max_chars=2000)
"""The Send API refuses text longer than 2,000 characters."""


class MessengerOutput(PlainTextOutput):
    """Sends answers as Messenger text messages from the clinic's page."""

    channel_name = "facebook"
    style_for_all = MESSENGER

    def __init__(self, channel: FacebookChannel) -> None:
        """A Send API client for the page, signed with the app secret."""
        super().__init__()
        self.client = MessengerClient(channel.page_access_token, app_secret=channel.secret)
        self.client.graph_url = f"{channel.api_url.rstrip('/')}/v{self.client.api_version}"

    async def send_part(self, recipient_id: str, text: str) -> None:
        """Send one message (fbmessenger blocks, so it runs in a worker thread)."""
        try:
            result = await asyncio.to_thread(
                self.client.send, {"text": text}, recipient_id, "RESPONSE", timeout=15
            )
        except (requests.RequestException, ValueError) as error:
            logger.error("Messenger could not be reached: %s", type(error).__name__)
            return
        refused = result.get("error") if isinstance(result, dict) else None
        if refused is not None:
            logger.error("Messenger refused a message: error %s",
                         refused.get("code") if isinstance(refused, dict) else refused)


class MessengerInput(WebhookInput):
    """GET and POST /webhooks/facebook/webhook: subscription check and page events."""

    channel_name = "facebook"
    settings_type = FacebookChannel

    def get_output_channel(self) -> MessengerOutput:
        """The output channel for this page."""
        return MessengerOutput(self.channel)

    def add_routes(self, webhook: Blueprint, on_new_message: OnNewMessage) -> None:
        """The subscription check (verify token) and the signed page events."""

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") != "subscribe" or not same_secret(
                self.channel.verify, token
            ):
                return refuse("Messenger", 403, "wrong hub.verify_token")
            return response.text(request.args.get("hub.challenge") or "")

        @webhook.route("/webhook", methods=["POST"])
        async def events(request: Request) -> HTTPResponse:
            sha256 = request.headers.get("X-Hub-Signature-256")
            sha1 = request.headers.get("X-Hub-Signature")
            if not sha256 and not sha1:
                return refuse("Messenger", 401, "missing X-Hub-Signature-256")
            if not hub_ok(self.channel.secret, request.body, sha256, sha1):
                return refuse("Messenger", 403, "bad X-Hub-Signature-256")
            entries = _entries(json_object(request))
            if entries is None:
                return refuse("Messenger", 400, "expected a page event with entry[].messaging[]")
            if any(str(entry.get("id")) != self.channel.page_id for entry in entries):
                return refuse("Messenger", 403, "event for another page")
            messages = _text_messages(entries)
            if messages is None:
                return refuse("Messenger", 400, "expected messaging[].sender.id")
            output = self.get_output_channel()  # one API client for the whole batch
            await deliver_each(request, on_new_message, output, messages, self.name())
            return response.text("EVENT_RECEIVED")


def _entries(body: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    """The entries of a well-formed page event, else None."""
    entries = body.get("entry") if body and body.get("object") == "page" else None
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("messaging"), list)
        and all(isinstance(event, dict) for event in entry["messaging"])
        for entry in entries
    ):
        return None
    return entries


def _text_messages(entries: list[dict[str, Any]]) -> list[tuple[str, str]] | None:
    """(sender id, text) of each message a person sent (echoes and receipts skipped).

    None when a message has no sender id. A message without text (a photo) comes with
    empty text, so that the patient is asked to type instead of getting no answer.
    """
    found = []
    for event in (event for entry in entries for event in entry["messaging"]):
        message, sender = event.get("message"), event.get("sender")
        if not isinstance(message, dict) or message.get("is_echo"):
            continue
        if not isinstance(sender, dict) or not isinstance(sender.get("id"), str | int):
            return None
        text = message.get("text")
        found.append((str(sender["id"]), text if isinstance(text, str) else ""))
    return found

"""Twilio SMS and WhatsApp: a signed webhook in, answers out through Twilio's API.

Rasa's own TwilioInput checks no signature and sends through a blocking client; this one
refuses unsigned requests and messages for another account or number, answers from the
number the patient wrote to, and sends with Twilio's asynchronous client. SMS answers are
GSM-7 text cut for "MORE" (see `bot.adapters.channels.sms`); WhatsApp keeps typographic text.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bot.adapters.channels.output import PlainTextOutput, Style
from bot.adapters.channels.replies import deliver
from bot.adapters.channels.signatures import public_url, twilio_ok
from bot.adapters.channels.sms import MAX_BODY_CHARS, screen_fits, sms_fits, to_gsm
from bot.adapters.channels.webhook import OnNewMessage, WebhookInput, refuse
from bot.settings import TwilioChannel

logger = logging.getLogger(__name__)

SMS = Style(charset=to_gsm, first_fits=sms_fits, max_chars=MAX_BODY_CHARS)
WHATSAPP = Style(first_fits=screen_fits, max_chars=MAX_BODY_CHARS)
WHATSAPP_PREFIX = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
_REQUIRED = ("AccountSid", "From", "To", "Body")
_QUIET = logging.getLogger(f"{__name__}.http")
_QUIET.setLevel(logging.WARNING)


class TwilioOutput(PlainTextOutput):
    """Sends answers by SMS or WhatsApp, from the clinic's number of the same kind."""

    channel_name = "twilio"

    def __init__(self, channel: TwilioChannel, number: str | None = None) -> None:
        """`number`: the clinic's number to send from (default: the first of its kind)."""
        super().__init__()
        self.channel = channel
        self.number = number
        self.client = Client(
            channel.account_sid, channel.auth_token,
            http_client=AsyncTwilioHttpClient(pool_connections=False, logger=_QUIET, timeout=15),
        )
        self.client.api.base_url = channel.api_url

    def style(self, recipient_id: str) -> Style:
        """SMS, or WhatsApp for `whatsapp:` recipients."""
        return WHATSAPP if recipient_id.startswith(WHATSAPP_PREFIX) else SMS

    def sender_for(self, recipient_id: str) -> str:
        """The number we answer from: the one written to, else the first of the same kind."""
        if self.number:
            return self.number
        whatsapp = recipient_id.startswith(WHATSAPP_PREFIX)
        return next(
            (n for n in self.channel.numbers if n.startswith(WHATSAPP_PREFIX) == whatsapp),
            self.channel.numbers[0],
        )

    async def send_part(self, recipient_id: str, text: str) -> None:
        """Send one message through Twilio's Messages API."""
        try:
            await self.client.messages.create_async(
                to=recipient_id, from_=self.sender_for(recipient_id), body=text
            )
        except TwilioRestException as error:
            logger.error("Twilio refused a message: HTTP %s, error %s", error.status, error.code)
        except (TimeoutError, aiohttp.ClientError) as error:
            logger.error("Twilio could not be reached: %s", type(error).__name__)


class TwilioInput(WebhookInput):
    """POST /webhooks/twilio/webhook: Twilio's form-encoded SMS and WhatsApp messages."""

    channel_name = "twilio"
    settings_type = TwilioChannel

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build from the credentials.yml entry (settings plus our public address)."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        fields = {key: value for key, value in credentials.items() if key != "public_url"}
        channel = TwilioChannel(**{**fields, "numbers": tuple(fields["numbers"])})
        return cls(channel, credentials.get("public_url", ""))

    def __init__(self, channel: TwilioChannel, public_url: str = "") -> None:
        """`public_url`: our address as Twilio calls it, when a proxy stands in between."""
        super().__init__(channel)
        self.public_url = public_url

    def get_output_channel(self) -> TwilioOutput:
        """An output channel for messages the bot starts (HTTP API)."""
        return TwilioOutput(self.channel)

    def add_routes(self, webhook: Blueprint, on_new_message: OnNewMessage) -> None:
        """Incoming messages; the answers go out through the API, so the reply is empty."""

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            form = _form(request)
            refused = self._refusal(request, form)
            if refused:
                return refused
            await deliver(
                request, on_new_message, TwilioOutput(self.channel, form.get("To")),
                form.get("From"), form.get("Body"), self.name(),
            )
            return response.text(EMPTY_TWIML, content_type="text/xml")

    def _refusal(self, request: Request, form: RequestParameters) -> HTTPResponse | None:
        signature = request.headers.get("X-Twilio-Signature")
        if not signature:
            return refuse("Twilio", 401, "missing X-Twilio-Signature")
        url = public_url(self.public_url, request.url, request.path, request.query_string)
        if not twilio_ok(self.channel.auth_token, url, form, signature):
            return refuse("Twilio", 403, "bad X-Twilio-Signature")
        if any(form.get(field) is None for field in _REQUIRED) or not form.get("From"):
            return refuse("Twilio", 400, f"expected the form fields {', '.join(_REQUIRED)}")
        if form.get("AccountSid") != self.channel.account_sid:
            return refuse("Twilio", 403, "message for another Twilio account")
        if form.get("To") not in self.channel.numbers:
            return refuse("Twilio", 403, "message for a number that is not ours")
        return None


def _form(request: Request) -> RequestParameters:
    """The POST form with its blank fields, which Twilio signs too (Sanic's `form` drops them)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return RequestParameters()
    try:
        return RequestParameters(parse_qs(request.body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        return RequestParameters()

"""Telegram: updates in through a webhook with a secret token, answers out as plain text.

Rasa's own TelegramInput checks no secret (anyone who finds the URL can post as any
chat) and calls Telegram's getMe on every update. This one registers its webhook with
a secret token at start-up, after checking that the token belongs to the configured bot
(a wrong token would take over another bot's updates), and refuses updates without it.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.channels.output import PlainTextOutput, Style
from bot.adapters.channels.replies import deliver
from bot.adapters.channels.signatures import same_secret
from bot.adapters.channels.webhook import OnNewMessage, WebhookInput, json_object, refuse
from bot.settings import TelegramChannel

logger = logging.getLogger(__name__)

TELEGRAM = Style(max_chars=4096)
"""Telegram's longest message is 4,096 characters."""

GREETING = "/greet"
"""Telegram sends "/start" when someone opens the bot; the assistant greets them."""

_START = re.compile(r"/start(@\w+)?(\s.*)?", re.DOTALL)


class TelegramOutput(PlainTextOutput):
    """Sends answers as plain-text Telegram messages (no parse mode: nothing is markup)."""

    channel_name = "telegram"
    style_for_all = TELEGRAM

    def __init__(self, bot: Bot) -> None:
        """`bot`: the aiogram client, shared with the input channel."""
        super().__init__()
        self.bot = bot

    async def send_part(self, recipient_id: str, text: str) -> None:
        """Send one message to the chat."""
        try:
            await self.bot.send_message(recipient_id, text)
        except TelegramAPIError as error:
            logger.error("Telegram refused a message: %s", type(error).__name__)


class TelegramInput(WebhookInput):
    """POST /webhooks/telegram/webhook: Telegram's updates, with the secret token."""

    channel_name = "telegram"
    settings_type = TelegramChannel

    def __init__(self, channel: TelegramChannel) -> None:
        """One aiogram client for the process, pointed at `channel.api_url`."""
        super().__init__(channel)
        self.bot = Bot(
            channel.token, server=TelegramAPIServer.from_base(channel.api_url), timeout=15
        )

    def get_output_channel(self) -> TelegramOutput:
        """The output channel for this bot."""
        return TelegramOutput(self.bot)

    async def register_webhook(self) -> None:
        """Point Telegram at our webhook, with the secret token it must send back."""
        try:
            me = await self.bot.get_me()
            if (me.username or "").casefold() != self.channel.bot_name.casefold():
                logger.error(
                    "TELEGRAM_TOKEN belongs to @%s, not to TELEGRAM_BOT_NAME @%s: "
                    "webhook not registered", me.username, self.channel.bot_name,
                )
                return
            await self.bot.request("setWebhook", {
                "url": self.channel.webhook_url,
                "secret_token": self.channel.secret_token,
                "allowed_updates": json.dumps(["message"]),
            })
        except TelegramAPIError as error:
            logger.error("Telegram webhook not registered: %s", error)
            return
        logger.info("Telegram webhook registered for @%s", self.channel.bot_name)

    def add_routes(self, webhook: Blueprint, on_new_message: OnNewMessage) -> None:
        """Updates; the webhook is registered when the server starts."""

        @webhook.listener("before_server_start")
        async def register(_app: Sanic, _loop: Any) -> None:
            await self.register_webhook()

        @webhook.listener("after_server_stop")
        async def close(_app: Sanic, _loop: Any) -> None:
            await self.bot.session.close()

        @webhook.route("/webhook", methods=["POST"])
        async def update(request: Request) -> HTTPResponse:
            secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
            if not secret:
                return refuse("Telegram", 401, "missing X-Telegram-Bot-Api-Secret-Token")
            if not same_secret(self.channel.secret_token, secret):
                return refuse("Telegram", 403, "bad X-Telegram-Bot-Api-Secret-Token")
            body = json_object(request)
            if body is None or not isinstance(body.get("update_id"), int):
                return refuse("Telegram", 400, "expected a Telegram update")
            message = body.get("message")
            if message is None:
                return response.text("ignored")
            chat = message.get("chat") if isinstance(message, dict) else None
            if not isinstance(chat, dict) or not isinstance(chat.get("id"), int):
                return refuse("Telegram", 400, "expected message.chat.id")
            text = message.get("text") if isinstance(message.get("text"), str) else ""
            await deliver(
                request, on_new_message, self.get_output_channel(), str(chat["id"]),
                GREETING if _START.fullmatch(text.strip()) else text, self.name(),
            )
            return response.text("ok")

"""Which messaging channels are on, as Rasa's credentials.yml entries and start-up lines.

Rasa finds a channel class by the module path used as its credentials key; the values
(secrets included) go only into the generated credentials file (mode 0600), never into
logs. This module imports nothing of Rasa, so the supervisor stays light.
"""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import urlsplit

from bot.settings import Channels

WEBHOOK_PATH = "/webhooks/{name}/webhook"
"""Where Rasa mounts a channel's webhook (its name is the URL prefix)."""

CLASSES = {
    "twilio": "bot.adapters.channels.twilio.TwilioInput",
    "telegram": "bot.adapters.channels.telegram.TelegramInput",
    "slack": "bot.adapters.channels.slack.SlackInput",
    "facebook": "bot.adapters.channels.facebook.MessengerInput",
    "callback": "bot.adapters.channels.callback.CallbackInput",
}


def credentials(channels: Channels) -> dict[str, dict[str, object]]:
    """The credentials.yml entries of the channels that are on."""
    entries: dict[str, dict[str, object]] = {}
    for name, path in CLASSES.items():
        channel = getattr(channels, name)
        if channel is not None:
            entries[path] = asdict(channel)
    if channels.twilio:
        entries[CLASSES["twilio"]] |= {
            "numbers": list(channels.twilio.numbers), "public_url": channels.public_url,
        }
    return entries


def start_up_lines(channels: Channels, local_url: str) -> list[str]:
    """What the start-up log says about messaging channels: which, and their webhooks."""
    base = channels.public_url or local_url
    lines = []
    if channels.twilio:
        numbers = ", ".join(channels.twilio.numbers)
        lines.append(f"Twilio channel:    POST {webhook_url(base, 'twilio')} (for {numbers})")
    if channels.telegram:
        lines.append(
            f"Telegram channel:  POST {channels.telegram.webhook_url} "
            f"(@{channels.telegram.bot_name}; registered with Telegram at start-up)"
        )
    if channels.slack:
        lines.append(f"Slack channel:     POST {webhook_url(base, 'slack')}")
    if channels.facebook:
        lines.append(
            f"Messenger channel: GET+POST {webhook_url(base, 'facebook')} "
            f"(page {channels.facebook.page_id})"
        )
    if channels.callback:
        gateway = urlsplit(channels.callback.url)
        port = f":{gateway.port}" if gateway.port else ""
        lines.append(
            f"Callback channel:  POST {webhook_url(base, 'callback')} "
            f"(answers to {gateway.scheme}://{gateway.hostname}{port})"
        )
    return lines or ["Messaging channels: none configured; only REST and socket.io are on"]


def webhook_url(base: str, name: str) -> str:
    """Where Rasa serves channel `name`'s webhook, under the server's address `base`."""
    return base + WEBHOOK_PATH.format(name=name)

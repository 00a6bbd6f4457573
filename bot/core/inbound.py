"""What a message from outside may bring into a conversation, on every channel.

Three rules, kept here so that every channel applies the same ones:
- a conversation's id is the platform's id behind the channel's name (`twilio:+1555…`,
  `web:<id>`, `rest:<id>`), so no client of one channel can reach another channel's
  conversation by sending its id (an SMS patient's id is their phone number);
- "/intent" text is Rasa's way to skip understanding and state an intent; a patient may
  only send the payloads the assistant just offered (a button) and the widget's own (the
  session start, and its language switch), so "/emergency" or "/restart" typed by anyone
  reaches the bot as plain text;
- a message longer than MAX_MESSAGE_CHARS is refused with a kind reply before it costs
  any work, and the conversation stays where it was.
Nothing here imports Rasa.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

MAX_MESSAGE_CHARS = 2000
"""Longer than any answer the assistant asks for, far below what would slow it down."""

_WIDGET_PAYLOAD = re.compile(
    r'/(?P<intent>greet|change_language)(?:\{\s*"language"\s*:\s*"(?:en|es)"\s*\})?')
"""Payloads our own widget sends unprompted: `/greet` as a chat opens (with the page's
language on the Spanish page), `/change_language{"language": "es"}` from its switch."""

_PREFIXES = {"socketio": "web"}
"""Channels whose conversation ids carry another name than Rasa's name for the channel."""

INTENT_PREFIX = "/"

CHANNEL_LABELS = {
    "socketio": "Website chat", "twilio": "SMS or WhatsApp", "telegram": "Telegram",
    "slack": "Slack", "facebook": "Messenger", "callback": "Clinic gateway",
    "rest": "REST API",
}
"""What staff read for Rasa's channel names."""


def channel_label(channel: str | None) -> str:
    """A channel's name for people ("socketio" is the website chat)."""
    return CHANNEL_LABELS.get(channel or "", channel or "\N{EN DASH}")


def prefix(channel: str) -> str:
    """The namespace of a channel's conversation ids ("web" for the website's socket.io)."""
    return _PREFIXES.get(channel, channel)


def conversation_id(channel: str, platform_id: str) -> str:
    """The conversation id of the person `platform_id` on `channel`."""
    return f"{prefix(channel)}:{platform_id}"


def platform_id(channel: str, conversation: str) -> str:
    """The platform's own id for a conversation of `channel` (to send it answers)."""
    return conversation.removeprefix(f"{prefix(channel)}:")


def opens_chat(text: str) -> bool:
    """Whether the message is the widget's own greeting as a chat opens (not the patient's)."""
    found = _WIDGET_PAYLOAD.fullmatch(text.strip())
    return found is not None and found["intent"] == "greet"


def states_an_intent(text: str) -> bool:
    """Whether the text is written as Rasa's "/intent" (only then do offered buttons matter)."""
    return text.strip().startswith(INTENT_PREFIX)


def payloads(buttons: Iterable[Mapping[str, Any]]) -> set[str]:
    """The payloads of offered buttons."""
    return {str(button.get("payload")) for button in buttons}


def patient_text(text: str, offered: Collection[str]) -> str:
    """The message as the bot should read it: an offered payload stays one, "/x" is text.

    A stated intent is kept only when it is one of the payloads `offered` in the bot's
    last turn or a session start; any other leading "/" is dropped, so the words are
    understood like anything else the patient types.
    """
    stripped = text.strip()
    if not states_an_intent(text) or stripped in offered or _WIDGET_PAYLOAD.fullmatch(stripped):
        return text
    return stripped.lstrip(INTENT_PREFIX).strip()


def too_long(text: str) -> bool:
    """Whether a message is over the length any channel accepts."""
    return len(text) > MAX_MESSAGE_CHARS

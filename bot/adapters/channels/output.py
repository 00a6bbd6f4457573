"""Send bot messages as text in each platform's style; the base of our output channels.

Rasa hands an output channel a message's text, buttons and the response that made it
(`utter_action`). Here that becomes the parts to send now (`Style.now`) and, on SMS-like
channels, the parts kept for "MORE" (`Style.later`); a platform subclass only says how
one part is sent (`send_part`). Emergency advice is never cut or held back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rasa.core.channels.channel import OutputChannel

from bot.adapters.channels.plaintext import button_title, to_plain, with_options
from bot.adapters.channels.sms import first_and_rest, split
from bot.core.emergency.reply import ADVICE_RESPONSES
from bot.core.inbound import platform_id


@dataclass(frozen=True)
class BotMessage:
    """One message of the bot, as sent or as read back from the conversation store."""

    text: str
    buttons: tuple[Mapping[str, Any], ...] = ()
    urgent: bool = False

    @classmethod
    def of(
        cls, text: str | None, buttons: Sequence[Mapping[str, Any]] | None, response: str | None
    ) -> BotMessage:
        """Build from Rasa's fields; `response` is the `utter_action` that produced it."""
        return cls(text or "", tuple(buttons or ()), response in ADVICE_RESPONSES)


@dataclass(frozen=True)
class Style:
    """How one platform shows a message: markup, charset, size limits, cutting."""

    markup: Callable[[str], str] = to_plain
    charset: Callable[[str], str] = str
    first_fits: Callable[[str], bool] | None = None
    max_chars: int | None = None

    @property
    def cuts(self) -> bool:
        """Whether long answers are cut, with the rest sent on "MORE"."""
        return self.first_fits is not None

    def body(self, message: BotMessage) -> str:
        """The whole message: text, then its options numbered."""
        titles = [self.markup(button_title(button)) for button in message.buttons]
        return self.charset(with_options(self.markup(message.text), titles))

    def now(self, message: BotMessage) -> list[str]:
        """The parts to send when the bot says the message."""
        body = self.body(message)
        if self.first_fits is not None and not message.urgent:
            first, rest = first_and_rest(body, self.first_fits)
            if rest:
                return [first]
        return self._parts(body)

    def later(self, message: BotMessage) -> list[str]:
        """The parts held back for "MORE" (none unless the message was cut)."""
        if self.first_fits is None or message.urgent:
            return []
        return self._parts(first_and_rest(self.body(message), self.first_fits)[1])

    def _parts(self, text: str) -> list[str]:
        if not text:
            return []
        limit = self.max_chars
        return split(text, lambda part: len(part) <= limit) if limit else [text]


class PlainTextOutput(OutputChannel, ABC):
    """An output channel that sends text only, in the style its platform needs."""

    channel_name: ClassVar[str]
    style_for_all = Style()

    @classmethod
    def name(cls) -> str:
        """Rasa's name for the channel (stored with each message of the conversation)."""
        return cls.channel_name

    def style(self, recipient_id: str) -> Style:
        """The style for one recipient (Twilio: SMS or WhatsApp)."""
        return self.style_for_all

    @abstractmethod
    async def send_part(self, recipient_id: str, text: str) -> None:
        """Send one part through the platform; failures are logged, not raised."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send a message without buttons."""
        await self._send(recipient_id, BotMessage.of(text, (), kwargs.get("utter_action")))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send a message with its buttons as numbered options."""
        await self._send(recipient_id, BotMessage.of(text, buttons, kwargs.get("utter_action")))

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Quick replies are buttons by another name."""
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Text channels get an image as its link."""
        await self.send_part(platform_id(self.name(), recipient_id), image)

    async def _send(self, recipient_id: str, message: BotMessage) -> None:
        """Rasa hands over the conversation id; the platform gets its own id back."""
        recipient_id = platform_id(self.name(), recipient_id)
        for part in self.style(recipient_id).now(message):
            await self.send_part(recipient_id, part)

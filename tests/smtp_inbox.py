"""A real local SMTP server (aiosmtpd) that keeps the mail it gets, for notification tests."""

from __future__ import annotations

import email
import re
import time
from email.message import Message

from aiosmtpd.controller import Controller
from launcher import free_port


def shows_a_555_number(text: str) -> bool:
    """Whether `text` shows a test phone number; "555" inside a hex id is not one."""
    return re.search(r"(?<![0-9a-f])\(?555|\+1\s?555", text) is not None


def body(mail: Message) -> str:
    """A mail's text, decoded (long lines arrive quoted-printable)."""
    return mail.get_payload(decode=True).decode(mail.get_content_charset() or "utf-8")


class Inbox:
    """aiosmtpd's handler: keeps every mail it receives."""

    def __init__(self) -> None:
        self.mails: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, text: str, timeout: float = 30) -> Message:
        """The first mail whose body holds `text`, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for mail in self.mails:
                if text in body(mail):
                    return mail
            time.sleep(0.2)
        raise AssertionError(f"no mail with {text!r} in {timeout} s")


class Smtp:
    """A local SMTP server that can be stopped and started again on its port."""

    def __init__(self) -> None:
        self.inbox, self.port = Inbox(), free_port()
        self.controller: Controller | None = None

    @property
    def env(self) -> dict[str, str]:
        """The settings that send the assistant's notifications here."""
        return {"BOT_NOTIFY_EMAIL": "intake@clinic.example", "BOT_SMTP_HOST": "127.0.0.1",
                "BOT_SMTP_PORT": str(self.port), "BOT_SMTP_TLS": "none"}

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

"""A loopback stand-in for the messaging platforms' APIs, recording what the bot sends.

One HTTP server answers as Twilio's Messages API, Telegram's Bot API, Slack's Web API,
Facebook's Graph API (Send API) and a callback gateway, each under its own path prefix,
with the minimal success bodies their client libraries parse.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Received:
    """One request the bot made to a platform."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    fields: dict[str, Any]


class PlatformStandIn:
    """Start with `start()`, point the API URL settings at `url`, read `received`."""

    def __init__(self, telegram_username: str) -> None:
        self.telegram_username = telegram_username
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def sent(self, prefix: str, match: Callable[[Received], bool] = lambda r: True,
             count: int = 1, timeout: float = 0) -> list[Received]:
        """Requests under `prefix` that `match`, waiting up to `timeout` for `count` of them."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [r for r in self.received if r.path.startswith(prefix) and match(r)]
            if len(found) >= count or time.monotonic() >= deadline:
                return found
            time.sleep(0.1)

    def _record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    def _answer(self, received: Received) -> tuple[int, dict[str, Any]]:
        path, fields = received.path, received.fields
        if re.fullmatch(r"/twilio/2010-04-01/Accounts/\w+/Messages\.json", path):
            return 201, {"sid": f"SM{len(self.received):032d}", "status": "queued",
                         "to": fields.get("To"), "from": fields.get("From"),
                         "body": fields.get("Body")}
        if path.endswith("/getMe"):
            return 200, {"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Clinic",
                                                "username": self.telegram_username}}
        if path.endswith("/setWebhook"):
            return 200, {"ok": True, "result": True}
        if path.endswith("/sendMessage"):
            return 200, {"ok": True, "result": {
                "message_id": len(self.received), "date": int(time.time()),
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
                "text": fields.get("text")}}
        if path.endswith("/chat.postMessage"):
            return 200, {"ok": True, "channel": fields.get("channel"), "ts": "1.000001"}
        if path.endswith("/me/messages"):
            return 200, {"recipient_id": fields["recipient"]["id"], "message_id": "m_1"}
        if path.startswith("/callback"):
            return 200, {"ok": True}
        return 404, {"error": f"no stand-in for {path}"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urlsplit(self.path)
                kind = self.headers.get("Content-Type", "")
                if "json" in kind:
                    fields = json.loads(body or b"{}")
                else:
                    fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                received = Received(
                    url.path, {k: v[0] for k, v in parse_qs(url.query).items()},
                    {k.lower(): v for k, v in self.headers.items()}, fields,
                )
                standin._record(received)
                status, answer = standin._answer(received)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_: Any) -> None:
                pass

        return Handler


# The platforms' settings of the test session's bot (tests/conftest.py): every channel on.
PUBLIC_URL = "https://chat.clinic.example"
ACCOUNT_SID = "AC" + "1234abcd" * 4
TWILIO_TOKEN = "twilio-auth-token-for-tests"
SMS_NUMBER, WHATSAPP_NUMBER = "+15550100001", "whatsapp:+15550100002"
TELEGRAM_TOKEN = "123456:stand-in-telegram-token"
TELEGRAM_SECRET = "telegram-secret-token-for-tests"
TELEGRAM_HOOK = "https://chat.clinic.example/webhooks/telegram/webhook"
SLACK_TOKEN, SLACK_SECRET = "xoxb-slack-token-for-tests", "slack-signing-secret-for-tests"
FB_VERIFY, FB_SECRET, FB_TOKEN, FB_PAGE = "fb-verify", "fb-app-secret", "fb-page-token", "4242"
CALLBACK_TOKEN = "callback-token-for-tests"
SECRETS = (TWILIO_TOKEN, TELEGRAM_TOKEN, TELEGRAM_SECRET, SLACK_TOKEN, SLACK_SECRET,
           FB_VERIFY, FB_SECRET, FB_TOKEN, CALLBACK_TOKEN)


def channel_env(url: str) -> dict[str, str]:
    """The environment that turns every channel on, their APIs pointed at `url`."""
    return {
        "BOT_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_NUMBER": f"{SMS_NUMBER}, {WHATSAPP_NUMBER}",
        "TWILIO_API_URL": f"{url}/twilio",
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_BOT_NAME": "@ClinicRehabBot",
        "TELEGRAM_WEBHOOK_URL": TELEGRAM_HOOK, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": f"{url}/telegram",
        "SLACK_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_URL": f"{url}/slack/api/",
        "FACEBOOK_VERIFY": FB_VERIFY, "FACEBOOK_SECRET": FB_SECRET,
        "FACEBOOK_PAGE_ACCESS_TOKEN": FB_TOKEN, "FACEBOOK_PAGE_ID": FB_PAGE,
        "FACEBOOK_API_URL": f"{url}/facebook",
        "CALLBACK_URL": f"{url}/callback", "CALLBACK_TOKEN": CALLBACK_TOKEN,
    }


# Every channel's variable emptied: a plain install, whatever the environment around it.
NO_CHANNELS = dict.fromkeys(channel_env(""), "")

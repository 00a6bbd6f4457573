"""The website chat's Rasa channel: Rasa's socket.io channel, made safe for patients.

With `session_persistence`, the browser names its conversation in a `session_request`
and Rasa sends every reply to a socket.io room of that name. This channel replaces
Rasa's two handlers:
- `session_request`: Rasa 3.6 joins the room with `sio.enter_room(...)` but does not
  await it (a coroutine since python-socketio 5.10), so every reply was lost. The session
  id must be unguessable (the widget makes 128 random bits), otherwise a new one is
  issued; the conversation is `web:<id>` (`bot.core.inbound`).
- `user_uttered`: Rasa's trusts the `session_id` inside each message, so any socket could
  write into any conversation. Here a message belongs to the session its socket joined,
  client metadata is dropped (except the title of an offered button, for staff), only
  offered payloads stay payloads, and an over-long message, or one over the rate limits
  (per browser address and per conversation), gets a kind reply instead.
Its replies also name the response they came from (`utter_action`, see
`WebsiteChatOutput`). The channel's name ("socketio") and its events stay Rasa's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint
from socketio import AsyncRedisManager, AsyncServer

from bot.adapters.channels.replies import (
    as_offered,
    domain_text,
    may_pick_an_option,
    offered_buttons,
    too_long_reply,
)
from bot.core.inbound import (
    conversation_id,
    too_long,
)
from bot.web.limits import TOO_MANY_RESPONSE, RateLimited, client_key, limits_of

_SESSION_ID = re.compile(r"[0-9a-f]{32}")
REDIS_CHANNEL = "rehab-website-chat"


def session_id_from(data: Any) -> str:
    """The session id the browser asked for if it is unguessable, else a new one."""
    asked = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(asked, str) and _SESSION_ID.fullmatch(asked):
        return asked
    return uuid.uuid4().hex


def typed_of(data: Mapping[str, Any]) -> object:
    """The button title the widget says was clicked, if it says one (not trusted yet)."""
    metadata = data.get("metadata")
    return metadata.get("typed") if isinstance(metadata, dict) else None


def typed_title(typed: object, text: str, buttons: list[Mapping[str, Any]]) -> str | None:
    """The title the patient clicked, kept for staff when it is an offered button's."""
    chosen = any(b.get("payload") == text and b.get("title") == typed for b in buttons)
    return typed if chosen and isinstance(typed, str) else None


class WebsiteChatOutput(SocketIOOutput):
    """Rasa's socket.io output, with each message naming the response it came from.

    Rasa keeps a response's name in the bot message (`utter_action`, from
    `BotUttered.message()`) but its socket.io output drops it. The widget needs it to know
    which messages form a triage result (`utter_result_<outcome>` and what follows), so
    that the patient can save or print them. Texts a custom action writes have no name.
    A staff member's message (`bot.web.live`) carries their name (`staff_name`), so the
    widget shows it as a person's, not the assistant's.
    """

    PASSED_ON = ("utter_action", "staff_name")

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self._extra: dict[str, str] = {}

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message (Rasa may split it into parts), each part named."""
        self._extra = {key: value for key in self.PASSED_ON
                       if isinstance(value := message.get(key), str)}
        try:
            await super().send_response(recipient_id, message)
        finally:
            self._extra = {}

    async def _send_message(self, socket_id: str, response: Any) -> None:
        await super()._send_message(socket_id, {**response, **self._extra})


class WebsiteChatInput(SocketIOInput):
    """Rasa's `socketio` channel with sessions bound to sockets and checked input.

    With `redis_url` (several Rasa servers), replies go through Redis to whichever server
    holds the patient's socket: a staff member's message, or a turn that reached another
    server, still arrives (python-socketio's `AsyncRedisManager`).
    """

    redis_url: str | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebsiteChatInput:
        """Rasa's reading of the credentials, plus the shared Redis server."""
        channel = super().from_credentials(credentials)
        assert isinstance(channel, WebsiteChatInput)
        channel.redis_url = (credentials or {}).get("redis_url")
        return channel

    def get_output_channel(self) -> WebsiteChatOutput | None:
        """The output for messages the clinic starts (a staff member joining, `bot.web.live`).

        Rasa builds it from the input channel; the base class would drop the names above.
        """
        return WebsiteChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's blueprint, with `session_request` and `user_uttered` replaced."""
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by SocketIOInput.blueprint
        if self.redis_url:
            sio.manager = AsyncRedisManager(self.redis_url, channel=REDIS_CHANNEL)
            sio.manager.set_server(sio)
        sessions: dict[str, str] = {}
        addresses: dict[str, str] = {}

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], _auth: Any = None) -> bool:
            request = environ.get("sanic.request")
            addresses[sid] = client_key(request) if request else "unknown"
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            session_id = session_id_from(data)
            previous = sessions.get(sid)
            if previous is not None:
                await sio.leave_room(sid, previous, namespace=self.namespace)
            sessions[sid] = conversation_id(self.name(), session_id)
            await sio.enter_room(sid, sessions[sid], namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            sessions.pop(sid, None)
            addresses.pop(sid, None)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_uttered(sid: str, data: Any = None) -> None:
            conversation = sessions.get(sid)
            text = data.get("message") if isinstance(data, dict) else None
            if conversation is None or not isinstance(text, str):
                return
            output = WebsiteChatOutput(sio, self.bot_message_evt)
            app = next(iter(blueprint.apps))
            agent = app.ctx.agent
            try:
                limits_of(app).check(conversation, addresses.get(sid, "unknown"))
            except RateLimited:
                slow_down = domain_text(agent, TOO_MANY_RESPONSE, text)
                await output.send_text_message(conversation, slow_down)
                return
            if too_long(text):
                await output.send_text_message(conversation, too_long_reply(agent, text))
                return
            claimed = typed_of(data)
            buttons = await offered_buttons(agent, conversation) \
                if claimed or may_pick_an_option(text) else []
            clicked = typed_title(claimed, text.strip(), buttons)
            text, typed_out = as_offered(text, buttons)
            typed = typed_out or clicked
            await on_new_message(UserMessage(
                text, output, conversation, input_channel=self.name(),
                metadata={"typed": typed} if typed else None,
            ))

        return blueprint

"""The website chat's Rasa channel: Rasa's socket.io channel with working session persistence.

With `session_persistence`, the browser names its conversation in a `session_request`
and Rasa sends every reply to a socket.io room of that name. Rasa 3.6 joins the room with
`sio.enter_room(...)` but does not await it, and since python-socketio 5.10 that is a
coroutine: the room is never joined and every reply is lost (Rasa logs "coroutine
'AsyncServer.enter_room' was never awaited"). This channel replaces that one handler;
messages, replies and the channel's name stay Rasa's. It also refuses a session id that
is not a short string, which the original would store as the conversation's key.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

MAX_SESSION_ID = 128


def session_id_from(data: Any) -> str:
    """The session id the browser asked for, or a new one if it sent none or a bad one."""
    asked = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(asked, str) and 0 < len(asked) <= MAX_SESSION_ID and asked.isprintable():
        return asked
    return uuid.uuid4().hex


class WebsiteChatInput(SocketIOInput):
    """Rasa's `socketio` channel whose `session_request` really joins the session's room."""

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's blueprint, with the `session_request` handler replaced."""
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by SocketIOInput.blueprint

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            session_id = session_id_from(data)
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint

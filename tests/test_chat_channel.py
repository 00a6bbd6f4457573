"""The website chat's socket.io channel: replies reach every tab of a persistent session."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import socketio
from python_server import python_server

from bot.web.chat_channel import MAX_SESSION_ID, session_id_from

# A Sanic app with only the channel; "Rasa" answers by echoing the conversation id and text.
SERVER = """
import sys
from sanic import Sanic
from bot.web.chat_channel import WebsiteChatInput

async def echo(message):
    reply = f"{message.sender_id}: {message.text}"
    await message.output_channel.send_text_message(message.sender_id, reply)

channel = WebsiteChatInput(session_persistence=True)
app = Sanic("chat_channel_test")
app.blueprint(channel.blueprint(echo))
app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, motd=False)
"""


@pytest.fixture(scope="module")
def channel_url() -> Iterator[str]:
    with python_server(SERVER) as url:
        yield url


class Tab:
    """One browser tab's socket.io connection (long-polling, as the widget uses)."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient()
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.replies: asyncio.Queue[dict] = asyncio.Queue()
        self.client.on("session_confirm", self.confirmed.put)
        self.client.on("bot_uttered", self.replies.put)

    async def join(self, url: str, data: object) -> str:
        await self.client.connect(url, transports=["polling"])
        await self.client.emit("session_request", data)
        return await asyncio.wait_for(self.confirmed.get(), 10)

    async def close(self) -> None:
        # A graceful disconnect waits for the pending long-poll (up to the 25 s ping).
        await self.client.eio.disconnect(abort=True)


async def conversation(url: str, session_id: str) -> tuple[list[str], list[dict]]:
    first, second = Tab(), Tab()
    confirmed = [await first.join(url, {"session_id": session_id}),
                 await second.join(url, {"session_id": session_id})]
    await first.client.emit("user_uttered", {"message": "hello", "session_id": session_id})
    replies = [await asyncio.wait_for(tab.replies.get(), 10) for tab in (first, second)]
    for tab in (first, second):
        await tab.close()
    return confirmed, replies


def test_replies_reach_every_tab_of_the_session(channel_url):
    session_id = "a" * 32
    confirmed, replies = asyncio.run(conversation(channel_url, session_id))
    assert confirmed == [session_id, session_id]
    assert replies == [{"text": f"{session_id}: hello"}] * 2


async def confirm(url: str, data: object) -> str:
    tab = Tab()
    try:
        return await tab.join(url, data)
    finally:
        await tab.close()


@pytest.mark.parametrize(
    "data", [None, "not a dict", {}, {"session_id": None}, {"session_id": 42},
             {"session_id": ""}, {"session_id": "x" * (MAX_SESSION_ID + 1)},
             {"session_id": "line\nbreak"}],
)
def test_a_bad_session_request_gets_a_new_session(channel_url, data):
    session_id = asyncio.run(confirm(channel_url, data))
    assert len(session_id) == 32 and int(session_id, 16) >= 0


def test_session_id_from_keeps_a_good_id():
    assert session_id_from({"session_id": "abc-123"}) == "abc-123"
    assert session_id_from({"session_id": "é" * MAX_SESSION_ID}) == "é" * MAX_SESSION_ID

"""The website chat's socket.io channel: sessions bound to sockets, checked input.

The channel runs in a real Sanic server spoken to by real socket.io clients; "Rasa"
behind it is a stand-in that echoes what reached it (conversation id, text, metadata),
with one offered button, so that what the channel lets through is visible; asked for "a
result", it sends a turn the way Rasa's processor does (`BotUttered.message()` each).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import socketio
from python_server import python_server

from bot.adapters.socketio import session_id_from
from bot.core.inbound import MAX_MESSAGE_CHARS

pytestmark = pytest.mark.e2e  # real servers or processes (tests/conftest.py)

PER_CONVERSATION = 12
PER_ADDRESS = 5
SERVER = """
import sys
from types import SimpleNamespace
from sanic import Sanic
from bot.web.limits import install
from bot.settings import RateLimits
from bot.adapters.socketio import WebsiteChatInput

RESULT_TURN = [
    {"text": "You may fit", "timestamp": 1.0, "utter_action": "utter_result_work_hardening"},
    {"text": "Why I suggest this:", "timestamp": 1.0},
    {"text": "Next steps\\n\\nor call", "buttons": [{"title": "OK", "payload": "ok"}],
     "timestamp": 1.0, "utter_action": "utter_next_steps"},
]

async def echo(message):
    if message.text == "a result":
        for bot_message in RESULT_TURN:
            await message.output_channel.send_response(message.sender_id, dict(bot_message))
        return
    reply = f"{message.sender_id}|{message.text}|{message.metadata}"
    await message.output_channel.send_text_message(message.sender_id, reply)

class Turns:
    async def retrieve(self, sender_id):
        return None

channel = WebsiteChatInput(session_persistence=True)
app = Sanic("chat_channel_test")
app.ctx.agent = SimpleNamespace(tracker_store=Turns(), domain=SimpleNamespace(responses={
    "utter_message_too_long": [{"text": "too long, max {max_chars}"}],
    "utter_too_many_messages": [{"text": "slow down"}]}))
install(app, RateLimits(per_address=int(sys.argv[2]), per_conversation=int(sys.argv[3])))
app.blueprint(channel.blueprint(echo))
app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, motd=False)
"""

SESSION = "a" * 32
OTHER = "b" * 32
FLOODED = "c" * 32
NAMED = "e" * 32


@pytest.fixture(scope="module")
def channel_url() -> Iterator[str]:
    with python_server(SERVER, "1000", str(PER_CONVERSATION)) as url:
        yield url


@pytest.fixture(scope="module")
def strict_url() -> Iterator[str]:
    """A server that allows one address only PER_ADDRESS messages a minute."""
    with python_server(SERVER, str(PER_ADDRESS), "1000") as url:
        yield url


class Tab:
    """One browser tab's socket.io connection (long-polling, as the widget uses)."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient()
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.replies: asyncio.Queue[dict] = asyncio.Queue()
        self.client.on("session_confirm", self.confirmed.put)
        self.client.on("bot_uttered", self.replies.put)

    async def connect(self, url: str) -> None:
        await self.client.connect(url, transports=["polling"])

    async def join(self, url: str, data: object) -> str:
        await self.connect(url)
        await self.client.emit("session_request", data)
        return await asyncio.wait_for(self.confirmed.get(), 10)

    async def say(self, message: object, **extra: object) -> None:
        await self.client.emit("user_uttered", {"message": message, **extra})

    async def reply(self, timeout: float = 10) -> str | None:
        try:
            return (await asyncio.wait_for(self.replies.get(), timeout))["text"]
        except TimeoutError:
            return None

    async def message(self) -> dict:
        """The next bot message whole, as the widget receives it."""
        return await asyncio.wait_for(self.replies.get(), 10)

    async def close(self) -> None:
        # A graceful disconnect waits for the pending long-poll (up to the 25 s ping).
        await self.client.eio.disconnect(abort=True)


def run(scenario):
    return asyncio.run(scenario())


def test_replies_reach_every_tab_of_the_session_under_a_web_id(channel_url):
    async def scenario():
        first, second = Tab(), Tab()
        confirmed = [await first.join(channel_url, {"session_id": SESSION}),
                     await second.join(channel_url, {"session_id": SESSION})]
        await first.say("hello", session_id=SESSION)
        replies = [await tab.reply() for tab in (first, second)]
        for tab in (first, second):
            await tab.close()
        return confirmed, replies

    confirmed, replies = run(scenario)
    assert confirmed == [SESSION, SESSION]
    assert replies == [f"web:{SESSION}|hello|None"] * 2


def test_a_socket_writes_only_into_the_session_it_joined(channel_url):
    async def scenario():
        victim, intruder, stranger = Tab(), Tab(), Tab()
        await victim.join(channel_url, {"session_id": SESSION})
        await intruder.join(channel_url, {"session_id": OTHER})
        await stranger.connect(channel_url)
        await intruder.say("what did you tell them?", session_id=SESSION)
        await stranger.say("and me?", session_id=SESSION)
        seen = await intruder.reply(), await victim.reply(2), await stranger.reply(2)
        for tab in (victim, intruder, stranger):
            await tab.close()
        return seen

    to_intruder, to_victim, to_stranger = run(scenario)
    assert to_intruder == f"web:{OTHER}|what did you tell them?|None"
    assert to_victim is None and to_stranger is None


def test_each_reply_names_the_response_it_came_from(channel_url):
    """The widget tells a triage result by its responses' names (`utter_action`)."""
    async def scenario():
        tab = Tab()
        await tab.join(channel_url, {"session_id": NAMED})
        await tab.say("a result")
        messages = [await tab.message() for _ in range(4)]
        await tab.close()
        return messages

    ok = [{"content_type": "text", "title": "OK", "payload": "ok"}]
    assert run(scenario) == [
        {"text": "You may fit", "utter_action": "utter_result_work_hardening"},
        {"text": "Why I suggest this:"},  # a text a custom action wrote: no name
        {"text": "Next steps", "quick_replies": [], "utter_action": "utter_next_steps"},
        {"text": "or call", "quick_replies": ok, "utter_action": "utter_next_steps"},
    ]


@pytest.mark.parametrize(("typed", "reaches"), [
    ("/emergency", "emergency"), ("/restart", "restart"), ('/inform{"a": 1}', 'inform{"a": 1}'),
    ("/greet", "/greet"), ("hello /there", "hello /there"),
    ('/greet{"language":"es"}', '/greet{"language":"es"}'),
    ('/change_language{"language":"en"}', '/change_language{"language":"en"}'),
    ('/change_language{"language":"fr"}', 'change_language{"language":"fr"}'),
    ('/greet{"language":"es", "x": 1}', 'greet{"language":"es", "x": 1}')])
def test_only_the_widgets_own_payloads_stay_stated_intents(channel_url, typed, reaches):
    async def scenario():
        tab = Tab()
        await tab.join(channel_url, {"session_id": SESSION})
        await tab.say(typed, metadata={"typed": "Yes", "input_channel": "twilio"})
        reply = await tab.reply()
        await tab.close()
        return reply

    assert run(scenario) == f"web:{SESSION}|{reaches}|None"


@pytest.mark.parametrize("message", ["x" * (MAX_MESSAGE_CHARS + 1), "9" * 100_000])
def test_an_over_long_message_gets_a_kind_reply_and_never_reaches_the_bot(channel_url, message):
    async def scenario():
        tab = Tab()
        await tab.join(channel_url, {"session_id": SESSION})
        await tab.say(message)
        replies = [await tab.reply(), await tab.reply(2)]
        await tab.close()
        return replies

    assert run(scenario) == [f"too long, max {MAX_MESSAGE_CHARS:,}", None]


@pytest.mark.parametrize(
    "data", [None, "not a dict", {}, {"session_id": None}, {"session_id": 42},
             {"session_id": ""}, {"session_id": "abc-123"}, {"session_id": "+15551234567"},
             {"session_id": "a" * 31}, {"session_id": "A" * 32}, {"session_id": "line\nbreak"}],
)
def test_a_guessable_or_bad_session_request_gets_a_new_session(channel_url, data):
    async def scenario():
        tab = Tab()
        try:
            return await tab.join(channel_url, data)
        finally:
            await tab.close()

    session_id = run(scenario)
    assert session_id_from({"session_id": session_id}) == session_id
    asked = data.get("session_id") if isinstance(data, dict) else None
    assert len(session_id) == 32 and session_id != asked


def test_a_flood_from_one_conversation_gets_a_kind_reply_and_others_go_on(channel_url):
    async def scenario():
        flooder, other = Tab(), Tab()
        await flooder.join(channel_url, {"session_id": FLOODED})
        await other.join(channel_url, {"session_id": OTHER})
        replies = []
        for n in range(PER_CONVERSATION + 1):
            await flooder.say(f"message {n}")
            replies.append(await flooder.reply())
        await other.say("still me")
        answered = await other.reply()
        for tab in (flooder, other):
            await tab.close()
        return replies, answered

    replies, answered = run(scenario)
    assert replies[:-1] == [f"web:{FLOODED}|message {n}|None" for n in range(PER_CONVERSATION)]
    assert replies[-1] == "slow down"
    assert answered == f"web:{OTHER}|still me|None"


def test_new_session_ids_do_not_escape_the_limit_per_address(strict_url):
    async def scenario():
        tabs = [Tab() for _ in range(PER_ADDRESS + 1)]
        replies = []
        for n, tab in enumerate(tabs):  # a fresh session for every message, one address
            await tab.join(strict_url, {"session_id": f"{n:x}".rjust(32, "d")})
            await tab.say(f"message {n}")
            replies.append(await tab.reply())
        for tab in tabs:
            await tab.close()
        return replies

    replies = run(scenario)
    assert all(reply.endswith(f"|message {n}|None") for n, reply in enumerate(replies[:-1]))
    assert replies[-1] == "slow down"

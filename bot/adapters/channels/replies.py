"""Read a patient's reply against the bot's last turn: "2" picks option 2, "MORE" the rest.

The options and the cut answer are read back from the conversation store (the events
since the patient's last message), never from memory, so they survive a restart and
several server processes. "MORE" is answered here and not stored: the stored
conversation already holds the whole answer once, and "MORE" is not a question for the
bot. A picked option reaches the bot as the button's payload, exactly as a click on the
website would, with what the patient typed kept in the message's metadata.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic.request import Request

from bot.adapters.channels.output import BotMessage, PlainTextOutput
from bot.adapters.channels.plaintext import chosen_payload, titled_payload
from bot.adapters.channels.sms import is_more
from bot.core import locale
from bot.core.inbound import (
    MAX_MESSAGE_CHARS,
    conversation_id,
    patient_text,
    payloads,
    states_an_intent,
    too_long,
)
from bot.core.language import Language, detect
from bot.web.limits import RateLimited, limits_of

logger = logging.getLogger(__name__)


async def last_turn(agent: Agent, sender_id: str) -> list[BotMessage]:
    """What the bot said since the patient's last message (nothing once the session ended).

    Whether the session ended is Rasa's own rule (`MessageProcessor._has_session_expired`,
    private but stable on the pinned 3.6 line), so "1" or "MORE" is never read against a
    turn that Rasa itself would no longer continue.
    """
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None or agent.processor is None or agent.processor._has_session_expired(tracker):
        return []
    said = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            said.append(
                BotMessage.of(event.text, event.data.get("buttons"),
                              event.metadata.get("utter_action"))
            )
    return said[::-1]


TOO_LONG_RESPONSE = "utter_message_too_long"


def domain_text(agent: Agent, response: str, said: str = "") -> str:
    """A response's text, for what a channel answers by itself before any NLU.

    In the language of what the patient `said` when it tells one (English otherwise):
    the conversation's own language is not read for a message that is turned away.
    """
    language = detect(said) or Language.EN
    variations = locale.responses(language).get(response) or agent.domain.responses[response]
    return variations[0]["text"]


def too_long_reply(agent: Agent, said: str = "") -> str:
    """The domain's kind answer to a message over the length limit."""
    return domain_text(agent, TOO_LONG_RESPONSE, said).replace(
        "{max_chars}", f"{MAX_MESSAGE_CHARS:,}")


async def offered_buttons(agent: Agent, conversation: str) -> list[Mapping[str, Any]]:
    """Every button of the bot's last turn."""
    return [button for message in await last_turn(agent, conversation)
            for button in message.buttons]


MAX_TITLE_CHARS = 80
"""No button's title is longer (`tests/test_plaintext.py` checks the domain's): a longer
message cannot pick an option, and its channel need not read the turn's buttons."""


def may_pick_an_option(text: str) -> bool:
    """Whether a message may be an offered payload or a title typed out."""
    return states_an_intent(text) or len(text.strip()) <= MAX_TITLE_CHARS


def as_offered(
    text: str, buttons: Sequence[Mapping[str, Any]],
    pick: Callable[[str, Sequence[Mapping[str, Any]]], str | None] = titled_payload,
) -> tuple[str, str | None]:
    """The message as the bot should read it, and what was typed to pick a button, if any.

    On the website a patient may type a button's words instead of clicking it. Read as
    words, "It started long ago, or it's a mistake" met the NLU and the emergency
    detector, and raised the alarm it was meant to clear (a blind hand trial, stop 61).
    A title typed out in full is read as the click it means; the messaging channels also
    take an option's number (`pick=chosen_payload`). What was typed is kept for staff.
    """
    picked = None if states_an_intent(text) else pick(text, buttons)
    if picked is not None:
        return picked, text.strip()
    return patient_text(text, payloads(buttons)), None


async def deliver(
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    output: PlainTextOutput,
    sender_id: str,
    text: str,
    input_channel: str,
) -> None:
    """Answer "MORE" from the last turn, or pass the message (or picked payload) to the bot.

    `sender_id` is the platform's id; the conversation is kept under the channel's
    namespace (`bot.core.inbound`), and answers go back to the platform's id. Every
    message counts towards the conversation's rate limit, over-long ones too; over it,
    RateLimited is raised (a webhook answers 429; see `deliver_each` for batches).
    """
    conversation = conversation_id(input_channel, sender_id)
    limits_of(request.app).check(conversation)
    style = output.style(sender_id)
    if too_long(text):
        for part in style.now(BotMessage(too_long_reply(request.app.ctx.agent, text))):
            await output.send_part(sender_id, part)
        return
    turn = await last_turn(request.app.ctx.agent, conversation)
    if style.cuts and is_more(text):
        rest = [part for message in turn for part in style.later(message)]
        for part in rest:
            await output.send_part(sender_id, part)
        if rest:
            return
    offered = next((message.buttons for message in reversed(turn) if message.buttons), ())
    text, typed = as_offered(text, offered, chosen_payload)
    await on_new_message(UserMessage(text, output, conversation, input_channel=input_channel,
                                     metadata={"typed": typed} if typed else None))


async def deliver_each(
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    output: PlainTextOutput,
    messages: Iterable[tuple[str, str]],
    input_channel: str,
) -> None:
    """`deliver` each (sender id, text) of a request that is answered 200 whatever happens.

    Used where a 429 cannot help: a batch (one flooding sender must not cost the others
    their answers, and a retried batch would repeat the answered ones) and Slack, whose
    200 is sent before answering. A message over its conversation's limit is skipped.
    """
    for sender_id, text in messages:
        try:
            await deliver(request, on_new_message, output, sender_id, text, input_channel)
        except RateLimited:
            logger.warning("%s: a message over the rate limit was not answered", input_channel)

"""A reply on every turn, even when the action server is down or hung.

Rasa waits up to 5 minutes for a custom action, and when one fails it logs the error and
sends nothing: the patient is left with silence, an emergency included. Here the Rasa
server waits `ACTION_TIMEOUT_SECONDS` at most; after a failure it does not call the action
server again for `COOL_DOWN_SECONDS` (a turn can call several actions, and each would wait
again); and a turn in which an action failed ends there, with a reply from the Rasa server
itself (`reply_without_actions`) rather than the guesses Rasa would go on to make from a
half-updated conversation: the emergency advice when the message held an emergency, else
an apology with the clinic's number. The reply is stored in the conversation like any
other, so staff see what the patient saw. The failed action leaves no other trace, so the
patient's next message is read afresh.

Rasa has no setting for the action timeout and no hook for a failed action; both are set
here, on the running server's objects, when it starts. The breaker is a few lines of our
own: the circuit-breaker libraries on PyPI are either synchronous or unmaintained.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import aiohttp
import rasa.core.actions.action
from rasa.core.actions.action import create_bot_utterance
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet
from rasa.utils.endpoints import EndpointConfig

from bot.core import names
from bot.core.emergency.reply import advice_while_paused, reply_without_actions

ACTION_TIMEOUT_SECONDS = 4
"""Leaves time, within 5 s of the message, for the reply that says the action failed."""
COOL_DOWN_SECONDS = 5.0
"""How long after a failure the action server is taken to be still down."""

_failed_calls: ContextVar[list[str] | None] = ContextVar("failed_action_calls", default=None)
"""The action calls that failed in the turn being handled (None outside a turn)."""
_paused_turn: ContextVar[bool] = ContextVar("paused_turn", default=False)
"""Whether the turn being handled found the conversation paused (a staff member has it)."""


@contextmanager
def watching_turn() -> Iterator[list[str]]:
    """Within the block, failed action calls are listed in the list it gives."""
    failed: list[str] = []
    token = _failed_calls.set(failed)
    try:
        yield failed
    finally:
        _failed_calls.reset(token)


@dataclass
class Breaker:
    """Whether to call the action server: not within `cool_down` seconds of a failure."""

    cool_down: float = COOL_DOWN_SECONDS
    clock: Callable[[], float] = time.monotonic
    failed_at: float | None = None

    def closed(self) -> bool:
        """True when calls may go through."""
        return self.failed_at is None or self.clock() - self.failed_at >= self.cool_down

    def record(self, ok: bool) -> None:
        """Note how a call went."""
        self.failed_at = None if ok else self.clock()


def fail_fast(endpoint: EndpointConfig, breaker: Breaker) -> None:
    """Make calls to `endpoint` fail at once while `breaker` is open; note failed calls.

    A server that is down or hung opens the breaker; an error answer (an action that
    raised) fails that turn only. A 400 is Rasa's way for an action to decline, not a
    failure.
    """
    request = endpoint.request

    async def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            if not breaker.closed():
                raise aiohttp.ClientConnectionError("the action server failed moments ago")
            try:
                response = await request(*args, **kwargs)
            except (TimeoutError, aiohttp.ClientConnectionError):
                breaker.record(ok=False)
                raise
        except (TimeoutError, aiohttp.ClientError) as failure:
            turn = _failed_calls.get()
            if turn is not None and getattr(failure, "status", None) != 400:
                turn.append(type(failure).__name__)
            raise
        breaker.record(ok=True)
        return response

    endpoint.request = guarded  # type: ignore[method-assign]


async def refuse_model_swap(request: Any) -> Any:
    """Sanic request middleware: no `PUT /model`.

    A model swapped in over the HTTP API would come without the guard above; a new model
    is loaded by restarting the assistant.
    """
    if request.method == "PUT" and request.path.rstrip("/") == "/model":
        from sanic.response import text

        return text("Restart the assistant to load a new model.", status=403)
    return None


def limit_action_calls(seconds: float = ACTION_TIMEOUT_SECONDS) -> None:
    """Make the Rasa server give up on a custom action after `seconds`."""
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = seconds


def answer_every_turn(agent: Agent, clinic_slots: Mapping[str, str]) -> None:
    """Have `agent` end a turn whose action failed with a reply of its own.

    A session whose start (`actions/session.py`, which sets `clinic_slots`) failed is
    started here instead, so the turn goes on: an FAQ is still answered, and the session
    is a new one rather than the tail of the patient's last visit.
    """
    processor = agent.processor
    assert processor is not None
    if processor.action_endpoint is not None:
        fail_fast(processor.action_endpoint, Breaker())
    handle, predict_more = processor.handle_message, processor.should_predict_another_action
    run_predictions, update_session = (processor._run_prediction_loop,
                                       processor._update_tracker_session)

    async def start_session_here_if_failed(tracker: Any, *args: Any) -> None:
        failed = _failed_calls.get()
        before = len(failed) if failed is not None else 0
        await update_session(tracker, *args)
        if failed is not None and len(failed) > before:  # what `action_session_start` does
            del failed[before:]
            tracker.update(SessionStarted())
            for slot, value in clinic_slots.items():
                tracker.update(SlotSet(slot, value))
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))

    async def predict_unless_failed(output_channel: Any, tracker: Any, *rest: Any) -> None:
        _paused_turn.set(tracker.is_paused())  # read from the tracker the turn already has
        if not _failed_calls.get():  # an action before the loop failed: guesses only from here
            await run_predictions(output_channel, tracker, *rest)

    async def handle_message(message: UserMessage) -> Any:
        paused = _paused_turn.set(False)
        try:
            with watching_turn() as failed:
                result = await handle(message)
            if failed:
                await _reply_without_actions(agent, message, clinic_slots, reply_without_actions)
            elif _paused_turn.get():
                await _reply_without_actions(agent, message, clinic_slots, advice_while_paused)
        finally:
            _paused_turn.reset(paused)
        return result

    processor.handle_message = handle_message  # type: ignore[method-assign]
    processor._run_prediction_loop = predict_unless_failed  # type: ignore[method-assign]
    processor._update_tracker_session = start_session_here_if_failed  # type: ignore[method-assign]
    processor.should_predict_another_action = (  # type: ignore[method-assign]
        lambda action: not _failed_calls.get() and predict_more(action))


async def _reply_without_actions(
    agent: Agent, message: UserMessage, clinic_slots: Mapping[str, str],
    choose: Callable[[Mapping[str, Any] | None], tuple[str, ...]],
) -> None:
    """Store, then send, the replies `choose` picks from the message's emergency verdict.

    For a turn whose action failed, and for a turn while staff have taken over (Rasa
    says nothing then, but an emergency still gets its advice at once). Stored first, so
    that the conversation ends the turn listening even if sending fails.
    """
    processor, channel = agent.processor, message.output_channel
    assert processor is not None
    tracker = await processor.get_tracker(message.sender_id)
    for slot, value in clinic_slots.items():
        if tracker.get_slot(slot) is None:
            tracker.update(SlotSet(slot, value))
    parsed = tracker.latest_message.parse_data if tracker.latest_message else {}
    replies = []
    chosen = choose(parsed.get(names.EMERGENCY))  # type: ignore[attr-defined]
    if not chosen:
        return
    for name in chosen:
        reply = await agent.nlg.generate(name, tracker, channel.name())
        if reply:
            replies.append(create_bot_utterance({**reply, "utter_action": name}))
            tracker.update(replies[-1])
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    await processor.save_tracker(tracker)
    for uttered in replies:
        await channel.send_response(message.sender_id, uttered.message())

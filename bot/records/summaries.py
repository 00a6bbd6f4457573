"""Read Rasa's `events` into conversation summaries, incrementally, for fast staff lists.

Rasa stores every event of every conversation as a JSON row; listing 10 000 conversations
from that directly would mean parsing all of them on each page view. `refresh_summaries`
reads only the rows above a watermark (the last `events.id` processed), in short
transactions so that Rasa's own writes never wait long, and folds them into one summary
row per conversation plus a searchable row per patient message. Only user events (their
text, intent and language) and a few slots (outcome, emergency kind, call-back details)
are JSON-decoded; everything else needs just the indexed columns.

Event ids are not always committed in order on PostgreSQL (two conversations saving at
once), so a gap just below recent events holds the watermark back until it fills or
`GAP_GRACE_SECONDS` pass; re-reading is harmless because each summary remembers the last
event it applied (one conversation's events are written in order, under Rasa's lock).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import case, func, inspect, select, update
from sqlalchemy.orm import Session

from bot.core import names
from bot.core.inbound import opens_chat
from bot.core.language import DEFAULT, Language, told
from bot.records.callbacks import Asked, record_asks
from bot.records.db import ConversationMessage, ConversationSummary, IndexState, events
from bot.settings import ROOT

RASA_FALLBACK_THRESHOLD = 0.3  # the FallbackClassifier's default
FALLBACK_ACTIONS = frozenset({names.UTTER_DEFAULT, names.ACTION_DEFAULT_FALLBACK})
HUMAN_OFFERS = frozenset({names.ACTION_OFFER_HUMAN, names.UTTER_REQUEST_HUMAN})
"""What the assistant does when a patient asks for a person. The flag needs both the ask
and the offer: inside a form a reply such as "4 hours or more" can carry that intent and
still be read, rightly, as an answer; and a plain "ok" to a result runs the offer too."""
SELF_HARM = "self_harm"
RESET_EVENTS = frozenset({"session_started", "restart"})
PAYLOAD_PREFIX = "/"  # "/greet": an intent given directly, not words the NLU read
MAX_TYPED = 200
PREVIEW_CHARS = 80  # of the first message, in the conversation list
BATCH_SIZE = 5000
GAP_GRACE_SECONDS = 60.0
LANGUAGES = tuple(language.value for language in Language)
"""The languages a conversation can be in (`bot.core.language`)."""
DEFAULT_LANGUAGE = DEFAULT.value


@dataclass(frozen=True)
class UserMessage:
    """What a patient said and how the NLU read it."""

    text: str
    intent: str | None
    confidence: float | None
    topic: str | None
    channel: str | None
    typed: str | None = None  # a picked option as the patient saw or typed it ("1")
    language: str | None = None  # the language the message told, if it told one

    @property
    def low_confidence(self) -> bool:
        """The assistant fell back, or was unsure what the patient meant."""
        return self.intent == names.NLU_FALLBACK or (
            self.confidence is not None and self.confidence < fallback_threshold()
        )

    @property
    def opened_chat(self) -> bool:
        """The website widget's own "/greet" as the chat opens: nothing the patient said.

        On the Spanish page it carries the language: `/greet{"language": "es"}`.
        """
        return self.typed is None and opens_chat(self.text)

    @property
    def worded(self) -> bool:
        """Words the patient wrote: not a picked option, a stated "/intent" or nothing."""
        text = self.text.strip()
        return self.typed is None and bool(text) and not text.startswith(PAYLOAD_PREFIX)


@cache
def fallback_threshold(config: Path = ROOT / "config.yml") -> float:
    """The FallbackClassifier's threshold in `config.yml`.

    Below it the assistant itself treats a message as not understood, so the dashboard
    flags it the same way.
    """
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8")).get("pipeline") or []
    for component in pipeline:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", RASA_FALLBACK_THRESHOLD))
    return 0.0  # no FallbackClassifier: the assistant never falls back on confidence


def read_user_event(data: Mapping[str, Any]) -> UserMessage:
    """The message in a Rasa `user` event; tolerant of missing or odd fields.

    For an FAQ the confidence is the FAQ answer selector's in the answer it picked: the
    intent's is the classifier's that the message is one of the many FAQ questions,
    which says nothing about whether the answer fit.
    """
    parse = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
    intent = parse.get("intent") if isinstance(parse.get("intent"), dict) else {}
    name = intent.get("name") if isinstance(intent.get("name"), str) else None
    picked = names.faq_pick(parse) if name == names.FAQ else {}
    scores = (picked.get("confidence"), intent.get("confidence"))
    confidence = next((float(s) for s in scores if isinstance(s, int | float)), None)
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    channel = data.get("input_channel")
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    typed = metadata.get("typed")
    typed = typed.strip()[:MAX_TYPED] if isinstance(typed, str) else ""
    return UserMessage(
        text=text,
        intent=name,
        confidence=confidence,
        topic=_topic(name, intent, picked),
        channel=channel[:64] if isinstance(channel, str) and channel else None,
        typed=typed or None,
        language=said_in.value if (said_in := told(parse)) else None,
    )


def _topic(name: str | None, intent: Mapping[str, Any], picked: Mapping[str, Any]) -> str | None:
    """The intent, or for FAQs the question asked ("faq/duration")."""
    if name != names.FAQ:
        return name
    full = intent.get("full_retrieval_intent_name")
    if isinstance(full, str) and full.startswith("faq/"):
        return full
    key = picked.get("intent_response_key")
    return key if isinstance(key, str) else name


def preview(text: str) -> str:
    """About the first `PREVIEW_CHARS` characters on one line, cut between words ("…")."""
    line = " ".join(text.split())
    if len(line) <= PREVIEW_CHARS:
        return line
    cut = line[:PREVIEW_CHARS]
    if line[PREVIEW_CHARS] != " " and " " in cut:  # do not end inside a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def event_time(timestamp: float | None) -> dt.datetime:
    """An event's time as aware UTC (Rasa stores Unix seconds)."""
    return dt.datetime.fromtimestamp(timestamp or 0.0, dt.UTC)


def has_events_table(session: Session) -> bool:
    """Rasa creates `events` on its first start; before that there is nothing to show."""
    return inspect(session.connection()).has_table(events.name)


def refresh_summaries(session: Session, now: dt.datetime | None = None) -> int:
    """Fold events above the watermark into the summaries; returns how many were read.

    Commits after each batch. When nothing is new it only reads (two indexed lookups),
    so the staff pages can call it on every view without taking a write lock.
    """
    if not has_events_table(session) or _nothing_new(session):
        return 0
    now = now or dt.datetime.now(dt.UTC)
    total = 0
    while True:
        read, more = _refresh_batch(session, now)
        total += read
        if not more:
            return total


def _nothing_new(session: Session) -> bool:
    mark = session.scalar(select(IndexState.last_event_id).where(IndexState.id == 1))
    return mark == (session.scalar(select(func.max(events.c.id))) or 0)


def lock_index(session: Session) -> IndexState:
    """Take the index's write lock (one refresh or deletion at a time) and return its state.

    Writing first makes SQLite take its write lock before anything is read, and makes
    PostgreSQL lock the row, so two refreshes never fold the same events twice.
    """
    session.execute(
        update(IndexState)
        .where(IndexState.id == 1)
        .values(last_event_id=IndexState.last_event_id)
        .execution_options(synchronize_session=False)
    )
    return session.get(IndexState, 1, populate_existing=True)


def clamp_watermark(session: Session, state: IndexState) -> None:
    """After events were deleted, SQLite may reuse their ids: read again from the top."""
    highest = session.execute(select(func.max(events.c.id))).scalar() or 0
    state.last_event_id = min(state.last_event_id, highest)


# The JSON is fetched only where it is read: patient messages and a few slots.
CALLBACK_SLOTS = (names.CALLBACK_PHONE, names.CALLBACK_TIME, names.CALLBACK_NAME)
"""Slots folded into the summary's columns of the same name (cut to the column's width)."""
DECODED_SLOTS = (names.RECOMMENDED_PROGRAM, names.EMERGENCY_KIND, names.CALLBACK_REQUESTED,
                 *CALLBACK_SLOTS)
ROW_COLUMNS = (
    events.c.id, events.c.sender_id, events.c.type_name, events.c.timestamp,
    events.c.action_name,
    case(
        (events.c.type_name == "user", events.c.data),
        (events.c.action_name.in_(DECODED_SLOTS), events.c.data),
        else_=None,
    ).label("data"),
)


def _refresh_batch(session: Session, now: dt.datetime) -> tuple[int, bool]:
    try:
        state = lock_index(session)
        clamp_watermark(session, state)
        rows = session.execute(
            select(*ROW_COLUMNS)
            .where(events.c.id > state.last_event_id)
            .order_by(events.c.id)
            .limit(BATCH_SIZE)
        ).all()
        _apply(session, rows, now)
        state.last_event_id, complete = _watermark(state.last_event_id, rows, now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return len(rows), complete and len(rows) == BATCH_SIZE


def _watermark(start: int, rows: Iterable[Any], now: dt.datetime) -> tuple[int, bool]:
    """The highest id below which every event has been read; False if held back by a gap."""
    mark = start
    recent = now.timestamp() - GAP_GRACE_SECONDS
    for row in rows:
        if row.id > mark + 1 and (row.timestamp or 0) > recent:
            return mark, False
        mark = row.id
    return mark, True


def _apply(session: Session, rows: list[Any], now: dt.datetime) -> None:
    """Fold rows into plain tallies, then write each changed summary once (bulk).

    `reviewed` is the staff's, so a refresh never writes it back.
    """
    senders = list(dict.fromkeys(row.sender_id for row in rows))
    table = ConversationSummary.__table__
    stored = {
        summary.sender_id: summary
        for chunk in _chunks(senders, 500)
        for summary in session.execute(select(table).where(table.c.sender_id.in_(chunk)))
    }
    tallies = {sender: Tally.of(summary) for sender, summary in stored.items()}
    messages: list[dict[str, Any]] = []
    asked: list[Asked] = []
    for row in rows:
        tally = tallies.get(row.sender_id)
        if tally is None:
            tally = tallies[row.sender_id] = Tally(row.sender_id, row.timestamp or 0.0)
        elif row.id <= tally.last_event_id:
            continue
        urgent_before = tally.urgent
        message = tally.apply(row)
        if tally.urgent and not urgent_before:
            asked.append(Asked("emergency", tally.sender_id, event_time(row.timestamp)))
        if _requests_a_call(row) and tally.callback_phone:
            asked.append(Asked("callback", tally.sender_id, event_time(row.timestamp),
                               tally.callback_phone, tally.callback_time, tally.callback_name))
        if message is not None and message.text.strip() and not message.opened_chat:
            messages.append({
                "sender_id": row.sender_id, "at": event_time(row.timestamp),
                "text": message.text, "text_lower": message.text.lower(),
                "topic": message.topic,
            })
    session.bulk_insert_mappings(ConversationSummary, [
        {**tally.columns(), "reviewed": False}
        for sender, tally in tallies.items() if sender not in stored
    ])
    session.bulk_update_mappings(ConversationSummary, [
        tally.columns() for sender, tally in tallies.items() if sender in stored
    ])
    if messages:
        session.execute(ConversationMessage.__table__.insert(), messages)
    record_asks(session, asked, now)


def _requests_a_call(row: Any) -> bool:
    """The confirmation of a call-back request (the slot the action sets)."""
    return (row.type_name == "slot" and row.action_name == names.CALLBACK_REQUESTED
            and read_json(row.data).get("value") is True)


@dataclass(slots=True)
class Tally:
    """A conversation's summary while events are folded in (plain attributes: fast)."""

    sender_id: str
    started: float
    last: float = 0.0
    last_event_id: int = 0
    channel: str | None = None
    turns: int = 0
    fallback_turns: int = 0
    outcome: str | None = None
    urgent: bool = False
    urgent_kind: str | None = None
    fallback: bool = False
    human_requested: bool = False
    triage_started: bool = False
    form_active: bool = False
    turn_fallback: bool = False
    turn_asks_human: bool = False  # the current patient message asks for a person
    first_message: str | None = None  # a preview of the first words the patient wrote
    callback_phone: str | None = None
    callback_time: str | None = None
    callback_name: str | None = None
    language: str = DEFAULT_LANGUAGE  # of the latest message that told one
    previous_language: str | None = None  # what it was before the last switch, if it switched
    first_message_language: str | None = None  # the preview's

    @classmethod
    def of(cls, summary: Any) -> Tally:
        """The tally a stored summary (a row of the table) left off with."""
        names = [name for name in cls.__slots__ if name not in ("started", "last")]
        return cls(started=summary.started_at.timestamp(),
                   last=summary.last_event_at.timestamp(),
                   **{name: getattr(summary, name) for name in names})

    def _fell_back(self) -> None:
        """The current patient message was not understood (counted once per message)."""
        self.fallback = True
        if self.turns and not self.turn_fallback:
            self.fallback_turns += 1
            self.turn_fallback = True

    def _advised(self, kind: Any) -> None:
        """Emergency advice was given: self-harm outranks medical.

        A cleared false alarm (the slot set back to None) keeps the flag: the advice was
        shown, and staff should see it.
        """
        if kind in (SELF_HARM, "medical"):
            self.urgent = True
            if self.urgent_kind != SELF_HARM:
                self.urgent_kind = kind

    def _speaks(self, language: str | None) -> None:
        """A message told its language (`bot.core.language.told`).

        A change after the patient's first turn is a switch, and the language switched
        from is kept; before it (the Spanish page's greeting, a first message in Spanish)
        it is the conversation's language from the start.
        """
        if language is None or language == self.language:
            return
        if self.turns:
            self.previous_language = self.language
        self.language = language

    @property
    def triage_open(self) -> bool:
        """A triage is under way, or was started and never reached a result."""
        return self.form_active or (self.triage_started and self.outcome is None)

    def columns(self) -> dict[str, Any]:
        """The summary row's values."""
        started = event_time(self.started)
        values = {name: getattr(self, name) for name in self.__slots__}
        del values["started"], values["last"]
        return {**values, "started_at": started,
                "last_event_at": event_time(max(self.last, self.started)),
                "triage_open": self.triage_open}

    def apply(self, row: Any) -> UserMessage | None:
        """Fold in one event row; returns the patient's message for user events.

        The chat widget's greeting as it opens is no patient turn: a chat opened and
        closed unused is not a conversation to list.
        """
        self.last_event_id = row.id
        self.last = max(self.last, row.timestamp or 0.0)
        kind, action = row.type_name, row.action_name
        if kind == "user":
            message = read_user_event(read_json(row.data))
            self.channel = message.channel or self.channel
            self._speaks(message.language)
            if message.opened_chat:
                return message
            self.turns += 1
            if self.first_message is None and message.worded:
                self.first_message = preview(message.text)
                self.first_message_language = self.language
            self.turn_fallback = False
            self.turn_asks_human = message.intent == names.REQUEST_HUMAN
            if message.low_confidence and not self.form_active:
                self._fell_back()  # inside the triage, the form reads what the NLU cannot
            return message
        if kind == "action":
            self.urgent |= action == names.ACTION_EMERGENCY
            self.human_requested |= self.turn_asks_human and action in HUMAN_OFFERS
            if action in FALLBACK_ACTIONS:
                self._fell_back()
        elif kind == "active_loop":
            self.form_active = action == names.TRIAGE_FORM
            self.triage_started |= self.form_active
        elif kind == "slot" and action == names.RECOMMENDED_PROGRAM:
            value = read_json(row.data).get("value")
            self.outcome = value[:32] if isinstance(value, str) and value else None
        elif kind == "slot" and action == names.EMERGENCY_KIND:
            self._advised(read_json(row.data).get("value"))
        elif kind == "slot" and action in CALLBACK_SLOTS:
            value = read_json(row.data).get("value")
            width = ConversationSummary.__table__.c[action].type.length
            text = value.strip()[:width] if isinstance(value, str) else ""
            setattr(self, action, text or None)
        elif kind in RESET_EVENTS:
            self.form_active = False
        return None


def read_json(data: str | None) -> dict[str, Any]:
    """An event's JSON object; {} for anything else (never raises)."""
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]

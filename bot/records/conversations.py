"""What staff ask of the stored conversations: filtered lists, a transcript, an overview.

Lists and the overview read the summaries kept by `bot.records.summaries` (call
`refresh_summaries` first: it is cheap when nothing is new), so a page costs a count and
a page query on indexed columns however many conversations there are. A transcript is
read from Rasa's `events` for that one conversation, so it is always complete. Times are
aware UTC; dates (filters, days of the overview) are days in the clinic's time zone, given
by the caller. Conversations in which the patient never wrote (an opened chat window) are
left out of lists and counts. A transcript's messages carry the language they were
written in (the conversation's language as each turn ended), never a translation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from bot.core.triage import Rules, TriageRecord, decide
from bot.records.conversation_query import (
    FLAGS,
    OUTCOMES,
    ConversationQuery,
    day_start,
    filters,
    idle_since,
    order,
)
from bot.records.db import ConversationMessage, ConversationSummary, Review, Tag, events
from bot.records.summaries import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    PAYLOAD_PREFIX,
    Tally,
    UserMessage,
    event_time,
    has_events_table,
    read_json,
    refresh_summaries,
)

__all__ = [
    "FLAGS", "LANGUAGES", "OUTCOMES", "ConversationDetail", "ConversationQuery", "ConversationRow",
    "Overview", "PageOf", "Turn", "channels", "get_conversation",
    "iter_conversations", "list_conversations", "overview",
    "refresh_summaries", "set_review",
]

MAX_NOTE, MAX_TAG, MAX_TAGS = 10_000, 64, 20
_S = ConversationSummary
FRESH = {"populate_existing": True}  # refresh and retention write around the ORM


@dataclass(frozen=True)
class ConversationRow:
    """One line of the conversation list."""

    sender_id: str
    started_at: dt.datetime
    last_event_at: dt.datetime
    channel: str | None
    turns: int
    outcome: str | None
    flags: tuple[str, ...]
    reviewed: bool
    tags: tuple[str, ...] = ()
    first_message: str | None = None  # a preview of the first words the patient wrote
    callback_phone: str | None = None  # E.164
    callback_time: str | None = None
    callback_name: str | None = None
    language: str = DEFAULT_LANGUAGE  # "en" or "es": of the latest message that told one
    previous_language: str | None = None  # the language it switched from, if it switched
    first_message_language: str = DEFAULT_LANGUAGE  # the language the preview is written in


@dataclass(frozen=True)
class PageOf:
    """A page of rows and where it sits in the whole list."""

    rows: list[ConversationRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the list has (at least 1, so "page 1 of 1" when empty)."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Turn:
    """One message of a transcript, or the chat opening (`speaker` "event").

    A patient who picked an option has `typed` (the button's title, or the "1" they
    texted) and `choice`: the title of the button they picked, as offered just before.
    `language` is the conversation's language when the turn (a patient message and the
    replies to it) ended: that of the message itself when it told one.
    """

    event_id: int
    at: dt.datetime
    speaker: str
    text: str
    intent: str | None = None
    confidence: float | None = None
    buttons: tuple[str, ...] = ()
    low_confidence: bool = False
    typed: str | None = None
    topic: str | None = None
    choice: str | None = None
    language: str = DEFAULT_LANGUAGE

    @property
    def is_payload(self) -> bool:
        """An intent given directly ("/greet"): no words, so no training example."""
        return self.speaker == "patient" and self.text.startswith(PAYLOAD_PREFIX)


@dataclass(frozen=True)
class ConversationDetail:
    """A whole conversation: transcript, final triage slots with reasons, the review."""

    row: ConversationRow
    turns: list[Turn]
    slots: dict[str, object]
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    note: str
    reviewed_by: str | None
    reviewed_at: dt.datetime | None

    @property
    def worded_turns(self) -> list[Turn]:
        """The patient messages that can become NLU training examples."""
        return [t for t in self.turns if t.speaker == "patient" and not t.is_payload]


@dataclass(frozen=True)
class Overview:
    """Counts for the dashboard over a range of days (of the conversations' start)."""

    total: int
    per_day: list[tuple[dt.date, int]]
    outcomes: dict[str, int]
    fallback_rate: float
    topics: list[tuple[str, int]]
    urgent_per_day: list[tuple[dt.date, int]]
    channels: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)  # by the conversations' language


def list_conversations(
    session: Session, query: ConversationQuery, now: dt.datetime | None = None
) -> PageOf:
    """One page of the matching conversations; a page past the end shows the last one."""
    where = filters(query, now)
    total = session.execute(select(func.count()).select_from(_S).where(*where)).scalar_one()
    pages = PageOf([], total, 1, query.per_page).pages
    page = min(query.page, pages)
    stmt = (select(_S).where(*where).order_by(*order(query.sort)).execution_options(**FRESH)
            .limit(query.per_page).offset((page - 1) * query.per_page))
    return PageOf(_rows(session, session.scalars(stmt).all(), now), total, page, query.per_page)


def iter_conversations(
    session: Session, query: ConversationQuery, now: dt.datetime | None = None
) -> Iterator[ConversationRow]:
    """Every matching conversation in the query's order, paging ignored (for exports)."""
    stmt = (select(_S).where(*filters(query, now)).order_by(*order(query.sort))
            .execution_options(**FRESH))
    for chunk in session.execute(stmt).scalars().partitions(500):
        yield from _rows(session, chunk, now)


def get_conversation(
    session: Session, sender_id: str, rules: Rules, now: dt.datetime | None = None
) -> ConversationDetail | None:
    """The conversation's transcript, slots, triage reasons and review; None if unknown."""
    summary = session.get(_S, sender_id, **FRESH)
    rows = session.execute(
        select(events.c.id, events.c.type_name, events.c.timestamp, events.c.action_name,
               events.c.data)
        .where(events.c.sender_id == sender_id).order_by(events.c.id)
    ).all() if has_events_table(session) else []
    if summary is None and not rows:
        return None
    turns, slots = [], {}
    offered: dict[str, str] = {}  # payload: title, of the buttons the assistant last showed
    tally = Tally(sender_id, rows[0].timestamp or 0.0) if rows else None
    turn_start = 0  # the first message of the turn under way: it ends with the next user event
    for row in rows:
        if row.type_name == "user":
            _written_in(turns, turn_start, tally.language)
            turn_start = len(turns)
        message = tally.apply(row)
        at = event_time(row.timestamp)
        if message is not None:
            turns.append(_patient_turn(row.id, at, message, offered))
        elif row.type_name == "bot":
            data = read_json(row.data)
            buttons = _buttons(data)
            offered = {payload: title for title, payload in buttons} or offered
            text = data.get("text")
            turns.append(Turn(row.id, at, "assistant", text if isinstance(text, str) else "",
                              buttons=tuple(title for title, _ in buttons)))
        elif row.type_name == "slot" and row.action_name:
            slots[row.action_name] = read_json(row.data).get("value")
    if tally is not None:
        _written_in(turns, turn_start, tally.language)
        summary = _S(**tally.columns(), reviewed=bool(summary and summary.reviewed))
    slots = {name: value for name, value in slots.items() if value is not None}
    try:
        decision = decide(TriageRecord.from_slots(slots), rules)
    except (TypeError, ValueError):  # slots written by an older, different bot
        decision = decide(TriageRecord(), rules)
    review = session.get(Review, sender_id, **FRESH)
    return ConversationDetail(
        row=_rows(session, [summary], now)[0], turns=turns, slots=slots,
        reasons=decision.reasons if decision.outcome else (),
        notes=decision.notes if decision.outcome else (),
        note=review.note if review else "",
        reviewed_by=review.reviewed_by if review else None,
        reviewed_at=review.reviewed_at if review else None,
    )


def set_review(
    session: Session, sender_id: str, *, reviewed: bool, note: str, tags: Sequence[str],
    staff_email: str, now: dt.datetime,
) -> None:
    """Save a review, replacing the tags (a string is read as comma-separated tags).

    LookupError for an unknown conversation; ValueError for a note or tags too long.
    """
    summary = session.get(_S, sender_id, **FRESH)
    if summary is None:
        raise LookupError(f"no conversation {sender_id!r}")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValueError(f"The note is too long (at most {MAX_NOTE} characters).")
    names = list(dict.fromkeys(_tag_names([tags] if isinstance(tags, str) else tags)))
    if len(names) > MAX_TAGS or any(len(name) > MAX_TAG for name in names):
        raise ValueError(f"At most {MAX_TAGS} tags of at most {MAX_TAG} characters each.")
    review = session.get(Review, sender_id) or Review(sender_id=sender_id)
    review.note = note
    review.reviewed_by, review.reviewed_at = staff_email, now
    summary.reviewed = reviewed
    session.add(review)
    session.execute(delete(Tag).where(Tag.sender_id == sender_id))
    if names:
        session.execute(insert(Tag), [{"sender_id": sender_id, "name": name} for name in names])
    session.commit()


def _tag_names(tags: Sequence[str]) -> Iterator[str]:
    """Tags as stored: comma-separated parts, lower-case, single spaces, no empties."""
    for tag in tags:
        for part in tag.split(","):
            if name := " ".join(part.split()).lower():
                yield name


def overview(
    session: Session, date_from: dt.date, date_to: dt.date, zone: dt.tzinfo = dt.UTC
) -> Overview:
    """Counts over the conversations started in the range (topics: messages sent in it).

    The days are `zone`'s. Which day a conversation started on is worked out here, not
    in SQL (SQLite knows no time zones); only the start and the urgent flag are read.
    """
    date_from, date_to = min(date_from, date_to), max(date_from, date_to)
    start, end = day_start(date_from, zone), day_start(date_to + dt.timedelta(days=1), zone)
    where = (_S.turns > 0, _S.started_at >= start, _S.started_at < end)

    def grouped(column: Any) -> dict[str, int]:
        stmt = select(column, func.count()).where(*where).group_by(column)
        return dict(session.execute(stmt).all())

    def days(counts: Mapping[dt.date, int]) -> list[tuple[dt.date, int]]:
        span = (date_to - date_from).days + 1
        every = (date_from + dt.timedelta(days=n) for n in range(span))
        return [(day, counts.get(day, 0)) for day in every]

    started, urgent = Counter(), Counter()
    for at, was_urgent in session.execute(select(_S.started_at, _S.urgent).where(*where)):
        day = at.astimezone(zone).date()
        started[day] += 1
        urgent[day] += was_urgent
    turns, fallback_turns = session.execute(
        select(func.coalesce(func.sum(_S.turns), 0), func.coalesce(func.sum(_S.fallback_turns), 0))
        .where(*where)).one()
    outcomes = grouped(func.coalesce(_S.outcome, "none"))
    m = ConversationMessage
    topics = session.execute(
        select(m.topic, func.count())
        .where(m.at >= start, m.at < end, m.topic.is_not(None))
        .group_by(m.topic).order_by(func.count().desc(), m.topic)
    ).all()
    return Overview(
        total=started.total(),
        per_day=days(started),
        outcomes={outcome: outcomes.get(outcome, 0) for outcome in OUTCOMES},
        fallback_rate=fallback_turns / turns if turns else 0.0,
        topics=[(topic, count) for topic, count in topics],
        urgent_per_day=days(urgent),
        channels=grouped(func.coalesce(_S.channel, "unknown")),
        languages={**dict.fromkeys(LANGUAGES, 0), **grouped(_S.language)},
    )


def channels(session: Session) -> list[str]:
    """The channels conversations came from (for the filter menu)."""
    stmt = select(_S.channel).where(_S.channel.is_not(None)).distinct().order_by(_S.channel)
    return list(session.scalars(stmt))


def _rows(
    session: Session, summaries: Sequence[ConversationSummary], now: dt.datetime | None
) -> list[ConversationRow]:
    senders = [summary.sender_id for summary in summaries]
    tags: dict[str, list[str]] = {}
    if senders:
        stmt = select(Tag.sender_id, Tag.name).where(Tag.sender_id.in_(senders))
        for sender, name in session.execute(stmt.order_by(Tag.name)):
            tags.setdefault(sender, []).append(name)
    quiet_since = idle_since(now)
    return [
        ConversationRow(
            sender_id=s.sender_id, started_at=s.started_at, last_event_at=s.last_event_at,
            channel=s.channel, turns=s.turns, outcome=s.outcome,
            flags=tuple(flag for flag, on in (
                ("urgent", s.urgent), ("self_harm", s.urgent_kind == "self_harm"),
                ("fallback", s.fallback),
                ("human_requested", s.human_requested),
                ("left_number", s.callback_phone is not None),
                ("abandoned", s.triage_open and s.last_event_at < quiet_since)) if on),
            reviewed=s.reviewed, tags=tuple(tags.get(s.sender_id, ())),
            first_message=s.first_message, callback_phone=s.callback_phone,
            callback_time=s.callback_time, callback_name=s.callback_name,
            language=s.language or DEFAULT_LANGUAGE, previous_language=s.previous_language,
            first_message_language=(s.first_message_language or s.language
                                    or DEFAULT_LANGUAGE),
        )
        for s in summaries
    ]


def _written_in(turns: list[Turn], start: int, language: str) -> None:
    """The turn from `start` on ended in `language`: so were its messages written."""
    turns[start:] = [replace(turn, language=language) for turn in turns[start:]]


def _patient_turn(
    event_id: int, at: dt.datetime, message: UserMessage, offered: Mapping[str, str]
) -> Turn:
    """A patient's message; the chat widget's greeting as it opens is an "event"."""
    choice = offered.get(message.text.strip(), message.typed) if message.typed else None
    return Turn(event_id, at, "event" if message.opened_chat else "patient", message.text,
                message.intent, message.confidence, (), message.low_confidence, message.typed,
                message.topic, choice)


def _buttons(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (title, payload) of the buttons in a Rasa `bot` event."""
    extra = data.get("data") if isinstance(data.get("data"), dict) else {}
    buttons = extra.get("buttons") if isinstance(extra.get("buttons"), list) else []
    return [(str(b.get("title", "")), str(b.get("payload", "")))
            for b in buttons if isinstance(b, dict)]

"""The conversation list's filter, sort and page, as staff set them in the query string.

`ConversationQuery.from_params` never fails: a value it cannot use means "no filter",
so a hand-edited or stale link still shows a list. `filters` turns a query into
conditions on the indexed summary columns. Dates are days in the query's time zone (the
clinic's): "from Dec 1" starts at the clinic's midnight, whatever UTC says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.sql import ColumnElement

from bot.core.triage import Outcome
from bot.records.db import ConversationMessage, ConversationSummary
from bot.records.summaries import LANGUAGES

FLAGS = ("urgent", "self_harm", "fallback", "human_requested", "left_number", "abandoned")
OUTCOMES = (*(outcome.value for outcome in Outcome), "none")
SORTS = ("started", "last", "turns", "channel", "outcome")
ABANDONED_AFTER = dt.timedelta(minutes=30)
MAX_PER_PAGE, MAX_TEXT = 200, 200
_S = ConversationSummary
DEFAULT_SORT = "-started"
_UNREVIEWED_URGENT = and_(_S.urgent.is_(True), _S.reviewed.is_(False))
_EMERGENCIES_FIRST = (case(
    (and_(_UNREVIEWED_URGENT, _S.urgent_kind == "self_harm"), 0),
    (_UNREVIEWED_URGENT, 1),
    else_=2,
),)
_ORDER = {"started": _S.started_at, "last": _S.last_event_at, "turns": _S.turns,
          "channel": func.coalesce(_S.channel, ""), "outcome": func.coalesce(_S.outcome, "")}


@dataclass(frozen=True)
class ConversationQuery:
    """A filter, sort and page of the conversation list (also the export's selection)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outcome: str | None = None
    flag: str | None = None
    reviewed: bool | None = None
    channel: str | None = None
    text: str | None = None
    language: str | None = None  # the conversation's (last) language, one of LANGUAGES
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = 50
    zone: dt.tzinfo = dt.UTC  # whose days `date_from` and `date_to` are

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any], zone: dt.tzinfo = dt.UTC
    ) -> ConversationQuery:
        """Read query-string values; anything unusable falls back to "no filter".

        `zone` is not in the query string: it is the clinic's, from its settings.
        """
        def text(name: str, limit: int) -> str | None:
            value = params.get(name)
            value = " ".join(value.split())[:limit] if isinstance(value, str) else ""
            return value or None

        def one_of(name: str, allowed: Sequence[str]) -> str | None:
            value = text(name, 32)
            return value if value in allowed else None

        date_from, date_to = parse_date(text("from", 10)), parse_date(text("to", 10))
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
        sort = text("sort", 10) or ""
        return cls(
            date_from=date_from, date_to=date_to,
            outcome=one_of("outcome", OUTCOMES), flag=one_of("flag", FLAGS),
            reviewed={"yes": True, "no": False}.get(text("reviewed", 3) or ""),
            channel=text("channel", 64), text=text("q", MAX_TEXT),
            language=one_of("language", LANGUAGES),
            sort=sort if sort.removeprefix("-") in SORTS else DEFAULT_SORT,
            page=min(max(_int(text("page", 9), 1), 1), 1_000_000),
            per_page=min(max(_int(text("per_page", 4), 50), 1), MAX_PER_PAGE),
            zone=zone,
        )

    def to_params(self) -> dict[str, str]:
        """The query-string values that `from_params` reads back (defaults left out)."""
        values = {
            "from": self.date_from and self.date_from.isoformat(),
            "to": self.date_to and self.date_to.isoformat(),
            "outcome": self.outcome, "flag": self.flag,
            "reviewed": None if self.reviewed is None else ("yes" if self.reviewed else "no"),
            "channel": self.channel, "q": self.text, "language": self.language,
            "sort": None if self.sort == DEFAULT_SORT else self.sort,
            "page": None if self.page == 1 else str(self.page),
            "per_page": None if self.per_page == 50 else str(self.per_page),
        }
        return {key: value for key, value in values.items() if value}


def filters(query: ConversationQuery, now: dt.datetime | None) -> list[ColumnElement]:
    """Conditions for the query's filters (conversations with a patient message only)."""
    where: list[ColumnElement] = [_S.turns > 0]
    if query.date_from:
        where.append(_S.started_at >= day_start(query.date_from, query.zone))
    if query.date_to:
        where.append(_S.started_at < day_start(query.date_to + dt.timedelta(days=1), query.zone))
    if query.outcome:
        where.append(_S.outcome.is_(None) if query.outcome == "none"
                     else _S.outcome == query.outcome)
    if query.flag == "abandoned":
        where += [_S.triage_open.is_(True), _S.last_event_at < idle_since(now)]
    elif query.flag == "self_harm":
        where.append(_S.urgent_kind == "self_harm")
    elif query.flag == "left_number":
        where.append(_S.callback_phone.is_not(None))
    elif query.flag in FLAGS:
        where.append(getattr(_S, query.flag).is_(True))
    if query.reviewed is not None:
        where.append(_S.reviewed.is_(query.reviewed))
    if query.channel:
        where.append(_S.channel == query.channel)
    if query.language:
        where.append(_S.language == query.language)
    if query.text:
        pattern = "%" + _escape_like(query.text.lower()) + "%"
        said = select(ConversationMessage.sender_id).where(
            ConversationMessage.text_lower.like(pattern, escape="\\"))
        where.append(or_(_S.sender_id.in_(said), func.lower(_S.sender_id).like(pattern,
                                                                               escape="\\")))
    return where


def order(sort: str) -> tuple[ColumnElement, ...]:
    """ORDER BY for a sort key, with the sender id to keep pages stable.

    The default order (newest first) puts unreviewed conversations that got emergency
    advice on top, self-harm before medical, so that staff see them first.
    """
    key = _ORDER[sort.removeprefix("-")]
    if sort.startswith("-"):
        keys = (key.desc(), _S.sender_id.desc())
    else:
        keys = (key.asc(), _S.sender_id.asc())
    return (*_EMERGENCIES_FIRST, *keys) if sort == DEFAULT_SORT else keys


def idle_since(now: dt.datetime | None) -> dt.datetime:
    """Conversations quiet since before this, with a triage open, count as abandoned."""
    return (now or dt.datetime.now(dt.UTC)) - ABANDONED_AFTER


def day_start(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """Midnight at the start of `day` in `zone` (the clinic's days are not UTC's)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse_date(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD date from a query string; None for anything else."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isascii() and value.isdigit() else default

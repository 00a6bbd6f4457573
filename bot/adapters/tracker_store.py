"""Rasa's SQL tracker store, cheaper per turn and patient with a busy or missing database.

Rasa's store, on every turn, reads and JSON-decodes every event of the conversation's
session, counts them again to save, opens a new SQLite connection for each (SQLAlchemy
1.4's default for files) and does it all inside the server's event loop: 45 % of the
Rasa server's time under load when issue 16 profiled it (docs/benchmarks.md has this
store's figures, before and after). This store keeps:
- **a write-through cache** of each recent conversation's latest session: a turn costs one
  indexed look-up of the conversation's latest event id. When it is the id this server
  stored or read last, nobody else wrote since (another Rasa server sharing the database
  included), and the cached events are replayed instead of read and decoded; otherwise
  the session is read as Rasa reads it. This relies on the `events` table only ever
  gaining and losing rows (as Rasa, retention and deletion do), never rows changed in
  place.
- **our engine** (`bot.records.db.make_engine`): pooled connections; for SQLite, WAL and a
  30 s busy timeout; parameters (patients' words) kept out of error texts.
- **waiting events**: when a save fails (database locked past the timeout, or down), the
  patient is still answered, and the events this server could not store wait in its
  memory (never evicted from the cache): the conversation's next save writes them before
  its own, in the same transaction, and any later save on this server writes those of
  other conversations. They are lost if the server stops first, and dropped (with a
  warning) if another server stored the same conversation meanwhile.
Database work runs in worker threads, writes apart from reads, so a write waiting for a
lock does not stall every other conversation. Several Rasa servers may share the
database with the lock store they need anyway (Redis; one conversation's turns are never
handled by two servers at once). Rasa's `FailSafeTrackerStore` still wraps this store.
A cached session's events are the same objects as those of the trackers built from it;
Rasa changes a stored event in place only by replaying it, to the same result.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot.records.db import make_engine

logger = logging.getLogger(__name__)

DEFAULT_CACHE_SIZE = 256
"""Conversations kept; a session's events take roughly 100-300 kB as Python objects."""


@dataclass
class CachedSession:
    """A conversation's latest session as this server last stored or read it."""

    last_id: int | None
    """The conversation's latest event id in the database then (None: it had none)."""
    events: list[Event]
    """The session's events: the `stored` ones first, then any still pending."""
    stored: int


def session_events(events: Sequence[Event]) -> list[Event]:
    """The events of the latest session, by Rasa's rule.

    From the latest `SessionStarted` timestamp on, as `SQLTrackerStore._event_query` has it.
    """
    starts = [e.timestamp for e in events if isinstance(e, SessionStarted)]
    return [e for e in events if e.timestamp >= max(starts)] if starts else list(events)


class CachingSQLTrackerStore(SQLTrackerStore):
    """Rasa's `SQLTrackerStore` with a write-through cache and pending events.

    Configured in endpoints.yml as `type: bot.adapters.tracker_store.CachingSQLTrackerStore`
    with `database_url` (a SQLAlchemy URL), and optionally `cache_size` and, for SQLite,
    `busy_timeout_s` (how long a write waits for a lock before its events wait instead).
    """

    def __init__(self, domain: Domain | None = None, host: str | None = None,
                 event_broker: Any = None, database_url: str = "sqlite:///rasa.db",
                 cache_size: int = DEFAULT_CACHE_SIZE, busy_timeout_s: float = 30,
                 **_: Any) -> None:
        TrackerStore.__init__(self, domain, event_broker)
        self.engine = make_engine(database_url, busy_timeout_s)
        create_tables(self.engine, self.Base.metadata)
        self.sessionmaker = sessionmaker(bind=self.engine)
        self._cache: OrderedDict[str, CachedSession] = OrderedDict()
        self._cache_size = cache_size
        self._reads = ThreadPoolExecutor(4, thread_name_prefix="tracker-read")
        self._writes = ThreadPoolExecutor(4, thread_name_prefix="tracker-write")

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session, from the cache when it is still current."""
        cached = self._cache.get(sender_id)
        try:
            latest, rows = await asyncio.get_running_loop().run_in_executor(
                self._reads, self._read_session, sender_id,
                cached.last_id if cached else None, cached is not None)
        except SQLAlchemyError:
            if cached is None:
                raise
            logger.warning("The database could not be read; a conversation goes on from "
                           "this server's memory")
            return self._tracker(sender_id, cached.events) if cached.events else None
        if rows is not None:
            if cached and cached.stored < len(cached.events):
                _dropped(cached)
            events = deserialise_events([json.loads(data) for data in rows])
            fresh = CachedSession(latest, events, len(events))
            if self._cache.get(sender_id) is cached:  # no save landed while this read ran
                self._remember(sender_id, fresh)
            cached = fresh
        return self._tracker(sender_id, cached.events) if cached and cached.events else None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events (and any pending), then cache its latest session."""
        await self.stream_events(tracker)
        events = list(tracker.events)
        cached = self._cache.get(tracker.sender_id)
        known = cached if cached and _starts_with(events, cached.events[:cached.stored]) \
            else None
        try:
            last_id = await self._in_writer(self._write, tracker.sender_id, events, known)
        except SQLAlchemyError:
            if known is None:
                raise  # nothing known of what is stored: Rasa's fail-safe takes over
            logger.warning("The database could not be written; %d events of a conversation "
                           "wait for the next save", len(events) - known.stored)
            self._remember(tracker.sender_id, CachedSession(known.last_id, events, known.stored))
            return
        if known is None:  # counted like Rasa: what the database holds is read next time
            self._remember(tracker.sender_id, None)
        else:
            self._remember_stored(tracker.sender_id, last_id, events)
        await self._write_waiting()

    async def _write_waiting(self) -> None:
        """Write what other conversations left waiting, now that the database takes writes."""
        for sender_id, cached in list(self._cache.items()):
            if cached.stored == len(cached.events):
                continue
            try:
                last_id = await self._in_writer(self._write, sender_id, cached.events, cached,
                                                True)
            except SQLAlchemyError:
                return
            if last_id is None:
                _dropped(cached)
                self._remember(sender_id, None)
            elif self._cache.get(sender_id) is cached:
                self._remember_stored(sender_id, last_id, cached.events)

    async def _in_writer(self, *call: Any) -> Any:
        """Run a write in the writers' threads (apart from reads: a write can wait 30 s)."""
        return await asyncio.get_running_loop().run_in_executor(self._writes, *call)

    def _read_session(self, sender_id: str, known_last_id: int | None,
                      known: bool) -> tuple[int | None, list[str] | None]:
        """The latest event id, and the session's serialised events.

        The events are None when what this server knows (`known_last_id`) is still current.
        """
        with self.engine.connect() as connection:
            latest = connection.execute(self._latest_id(sender_id)).scalar()
            if known and latest == known_last_id:
                return latest, None
            table = self.SQLEvent.__table__
            rows = connection.execute(sa.select(table.c.data).where(
                self._in_latest_session(sender_id)).order_by(table.c.id))
            return latest, list(rows.scalars())

    def _write(self, sender_id: str, events: list[Event], known: CachedSession | None,
               only_if_current: bool = False) -> int | None:
        """Insert the events not yet stored, in one transaction; the new latest event id.

        With `only_if_current`, nothing is written (None) unless `known` is still current.
        """
        table = self.SQLEvent.__table__
        with self.engine.begin() as connection:
            latest = connection.execute(self._latest_id(sender_id)).scalar()
            if known is not None and latest == known.last_id:
                stored = known.stored
            elif only_if_current:
                return None
            else:
                stored = connection.execute(sa.select(sa.func.count()).where(
                    self._in_latest_session(sender_id))).scalar_one()
            rows = [self._row(sender_id, event) for event in events[stored:]]
            if not rows:
                return latest
            connection.execute(table.insert(), rows)
            return connection.execute(self._latest_id(sender_id)).scalar_one()

    def _latest_id(self, sender_id: str) -> sa.sql.Select:
        table = self.SQLEvent.__table__
        return sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)

    def _in_latest_session(self, sender_id: str) -> sa.sql.ColumnElement:
        """Rasa's rule for the latest session's events (`SQLTrackerStore._event_query`)."""
        table = self.SQLEvent.__table__
        start = sa.select(sa.func.max(table.c.timestamp)).where(
            table.c.sender_id == sender_id,
            table.c.type_name == SessionStarted.type_name).scalar_subquery()
        return sa.and_(table.c.sender_id == sender_id,
                       sa.or_(table.c.timestamp >= start, start.is_(None)))

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """An event as Rasa's `events` table holds it (as `SQLTrackerStore.save` writes it)."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name,
                "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
                "action_name": data.get("name"), "data": json.dumps(data)}

    def _tracker(self, sender_id: str, events: list[Event]) -> DialogueStateTracker:
        return DialogueStateTracker.from_events(sender_id, list(events), self.domain.slots)

    def _remember_stored(self, sender_id: str, last_id: int | None,
                         events: Sequence[Event]) -> None:
        """Cache a conversation whose events are now all stored, up to `last_id`."""
        latest = session_events(events)
        self._remember(sender_id, CachedSession(last_id, latest, len(latest)))

    def _remember(self, sender_id: str, cached: CachedSession | None) -> None:
        if cached is None:
            self._cache.pop(sender_id, None)
            return
        self._cache[sender_id] = cached
        self._cache.move_to_end(sender_id)
        excess = len(self._cache) - self._cache_size
        if excess > 0:  # the least recent first; never this one, nor one whose events wait
            stale = [key for key, entry in self._cache.items()
                     if key != sender_id and entry.stored == len(entry.events)][:excess]
            for key in stale:
                del self._cache[key]


def _dropped(cached: CachedSession) -> None:
    logger.warning("Another writer stored a conversation whose %d events were waiting here; "
                   "the stored conversation is kept", len(cached.events) - cached.stored)


def _starts_with(events: Sequence[Event], prefix: Sequence[Event]) -> bool:
    """Whether `events` begins with exactly these event objects (a tracker built from them)."""
    return len(events) >= len(prefix) and all(a is b for a, b in zip(events, prefix,
                                                                       strict=False))


def create_tables(engine: sa.engine.Engine, metadata: sa.MetaData, attempts: int = 30) -> None:
    """Create Rasa's `events` table if missing, waiting for the database to come up.

    As Rasa's store does, but for `attempts` seconds, not forever: the supervisor restarts.
    """
    for attempt in range(attempts):
        try:
            metadata.create_all(engine)
            return
        except SQLAlchemyError:
            if attempt == attempts - 1:
                raise
            logger.warning("The database is not reachable yet; trying again in 1 s")
            time.sleep(1)

"""Our own tables (staff, conversation summaries, reviews, audit log) next to Rasa's `events`.

They live in the tracker store's database so that one backup holds everything, but Rasa's
`events` table stays Rasa's: it is described here only to be read (and, by retention,
deleted from), it is not part of `Base.metadata`, and migrations never create or alter
it. The schema is created and upgraded by Alembic (`migrate`, scripts in `migrations/`),
so an upgrade keeps the data. Datetimes are stored as naive UTC and handed out as aware
UTC, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    create_engine,
    event,
    false,
    text,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "bot_alembic_version"

Base = declarative_base(
    metadata=MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
)

# Rasa's SQL tracker store table (rasa/core/tracker_store.py, SQLEvent), read-only for us.
events = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime, stored naive so that SQLite and PostgreSQL agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Refuse naive datetimes: their time zone would be a guess."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware (UTC) datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Mark stored values as UTC again."""
        return None if value is None else value.replace(tzinfo=dt.UTC)


class StaffUser(Base):
    """A staff account: email and an Argon2 hash, never the password."""

    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    last_login_at = Column(UTCDateTime)
    session_version = Column(Integer, nullable=False, default=0, server_default="0")
    role = Column(String(16), nullable=False, default="reviewer", server_default="reviewer")
    disabled_at = Column(UTCDateTime)


class LoginThrottle(Base):
    """Failed sign-ins per email, known or not, so a lockout reveals nothing."""

    __tablename__ = "staff_login_throttle"

    email = Column(String(254), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    last_failed_at = Column(UTCDateTime, nullable=False)
    locked_until = Column(UTCDateTime)


class ConversationSummary(Base):
    """One conversation (a Rasa sender_id), summarised from its events for fast lists.

    `last_event_id` makes re-reading an event harmless; `triage_open` (a triage is under
    way, or started without a result) becomes the "abandoned" flag once the conversation
    has been idle long enough, which depends on the time of the query. `triage_started`,
    `form_active`, `turn_fallback` and `turn_asks_human` carry the folding state from one
    refresh to the next.
    `first_message` is a preview of the first words the patient wrote (their text, so it
    goes with the row when the conversation is deleted). `language` is the language slot's
    last value ("en" while never set) and `previous_language` the one it switched from, if
    it switched after the patient's first turn; `first_message_language` is the language as
    the first message's turn ended (None while it has not: then it is `language`).
    """

    __tablename__ = "conversation_summaries"

    sender_id = Column(String(255), primary_key=True)
    started_at = Column(UTCDateTime, nullable=False, index=True)
    last_event_at = Column(UTCDateTime, nullable=False, index=True)
    last_event_id = Column(Integer, nullable=False)
    channel = Column(String(64), index=True)
    turns = Column(Integer, nullable=False, default=0)
    fallback_turns = Column(Integer, nullable=False, default=0)
    outcome = Column(String(32), index=True)
    urgent = Column(Boolean, nullable=False, default=False, index=True)
    urgent_kind = Column(String(16), index=True)  # "medical" or "self_harm"; the gravest given
    fallback = Column(Boolean, nullable=False, default=False, index=True)
    human_requested = Column(Boolean, nullable=False, default=False, index=True)
    triage_started = Column(Boolean, nullable=False, default=False)
    form_active = Column(Boolean, nullable=False, default=False)
    turn_fallback = Column(Boolean, nullable=False, default=False)
    turn_asks_human = Column(Boolean, nullable=False, default=False, server_default=false())
    triage_open = Column(Boolean, nullable=False, default=False, index=True)
    reviewed = Column(Boolean, nullable=False, default=False, index=True)
    first_message = Column(String(100))
    # The latest call-back details the patient gave (E.164 number, time and name in their
    # words), whether or not the request was completed: "left a number".
    callback_phone = Column(String(16), index=True)
    callback_time = Column(String(80))
    callback_name = Column(String(80))
    language = Column(String(8), nullable=False, default="en", server_default="en", index=True)
    previous_language = Column(String(8))
    first_message_language = Column(String(8))


class ConversationMessage(Base):
    """A patient's message, lower-cased for search; also the source of topics and NLU data."""

    __tablename__ = "conversation_messages"
    __table_args__ = (Index("ix_conversation_messages_at_topic", "at", "topic"),)

    id = Column(Integer, primary_key=True)
    sender_id = Column(
        String(255), ForeignKey("conversation_summaries.sender_id"), nullable=False, index=True
    )
    at = Column(UTCDateTime, nullable=False)
    text = Column(Text, nullable=False)
    text_lower = Column(Text, nullable=False)
    topic = Column(String(255))


class Review(Base):
    """A staff member's review of one conversation (the summary carries `reviewed`)."""

    __tablename__ = "conversation_reviews"

    sender_id = Column(
        String(255), ForeignKey("conversation_summaries.sender_id"), primary_key=True
    )
    reviewed_by = Column(String(254))
    reviewed_at = Column(UTCDateTime)
    note = Column(Text, nullable=False, default="")


class Tag(Base):
    """A staff label on a conversation."""

    __tablename__ = "conversation_tags"

    sender_id = Column(
        String(255), ForeignKey("conversation_summaries.sender_id"), primary_key=True
    )
    name = Column(String(64), primary_key=True, index=True)


class AuditLog(Base):
    """Who did what to which conversation or account, and when."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, index=True)
    staff_email = Column(String(254), nullable=False)
    action = Column(String(64), nullable=False)
    target = Column(String(255))
    detail = Column(Text)


CALLBACK_STATUSES = ("new", "called", "no_answer", "done")
"""A call-back's states; the first three are open (the queue shows them first)."""
OPEN_CALLBACK_STATUSES = ("new", "no_answer")


class CallbackRequest(Base):
    """A patient's request to be called back, built from their conversation's events.

    One open request per conversation: asking again updates it. Status changes and the
    assignment record who and when (the audit log keeps the history).
    """

    __tablename__ = "callback_requests"

    id = Column(Integer, primary_key=True)
    sender_id = Column(
        String(255), ForeignKey("conversation_summaries.sender_id"), nullable=False, index=True
    )
    requested_at = Column(UTCDateTime, nullable=False, index=True)
    phone = Column(String(16), nullable=False)
    preferred_time = Column(String(80))
    name = Column(String(80))
    status = Column(String(16), nullable=False, default="new", index=True)
    status_by = Column(String(254))
    status_at = Column(UTCDateTime)
    assigned_to = Column(Integer, ForeignKey("staff_users.id"), index=True)
    assigned_at = Column(UTCDateTime)


class Notification(Base):
    """Something the clinic is told about (a call-back, an emergency): an outbox row.

    Written with the summary refresh, in the same transaction, and sent afterwards by the
    website's background task, so a notification is neither lost nor sent twice when
    the mail server is down. It holds no message text: the mail carries only a link.
    """

    __tablename__ = "notifications"

    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False)  # "callback" or "emergency"
    sender_id = Column(
        String(255), ForeignKey("conversation_summaries.sender_id"), nullable=False, index=True
    )
    created_at = Column(UTCDateTime, nullable=False)
    sent_at = Column(UTCDateTime, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    last_error = Column(String(200))


class Takeover(Base):
    """A staff member in a patient's chat, from joining until handing back to the assistant.

    The assistant's pause itself lives in Rasa's events (pause and resume); this row says
    who joined and when, for the live view and the audit.
    """

    __tablename__ = "takeovers"

    id = Column(Integer, primary_key=True)
    sender_id = Column(
        String(255), ForeignKey("conversation_summaries.sender_id"), nullable=False, index=True
    )
    staff_email = Column(String(254), nullable=False)
    staff_name = Column(String(80), nullable=False)
    joined_at = Column(UTCDateTime, nullable=False)
    left_at = Column(UTCDateTime, index=True)


class IndexState(Base):
    """How far the summaries have read `events` (a single row, id 1)."""

    __tablename__ = "index_state"

    id = Column(Integer, primary_key=True)
    last_event_id = Column(Integer, nullable=False, default=0)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter: only our tables and their parts, never Rasa's `events`."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in Base.metadata.tables


def make_engine(database_url: str, busy_timeout_s: float = 30) -> Engine:
    """An engine for our tables and Rasa's; SQLite gets foreign keys, WAL and patience.

    WAL lets the staff pages read while Rasa writes; the long busy timeout makes a write
    wait for Rasa's short transactions instead of failing. SQLite connections are pooled
    (SQLAlchemy 1.4 would open and close a file per transaction). Parameters are kept
    out of error texts: they hold patients' words (see `bot.runtime.log_privacy`).
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
    if url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, future=True, poolclass=QueuePool, hide_parameters=True,
        connect_args={"timeout": busy_timeout_s, "check_same_thread": False},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker:
    """Sessions whose objects stay readable after commit (pages render after the commit)."""
    return sessionmaker(engine, future=True, expire_on_commit=False)


def alembic_config(connection: Connection) -> Config:
    """Alembic's configuration for our scripts, without an alembic.ini.

    For a new revision: `command.revision(alembic_config(conn), message, autogenerate=True)`.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


class DatabaseUnavailable(RuntimeError):
    """The conversation database cannot be reached; the message says why."""


def check_database(engine: Engine) -> None:
    """Connect once, so that the bot never starts without its conversation store.

    Rasa falls back to an in-memory tracker store when the SQL one fails, which would
    silently lose every conversation; a clear refusal to start is better.
    """
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(
            f"cannot reach the database {display_url(engine.url)}: {exc.orig or exc}"
        ) from exc


def display_url(database_url: str | URL) -> str:
    """The database URL with its password hidden, for logs and messages."""
    return make_url(database_url).render_as_string(hide_password=True)


def migrate(database: str | Engine) -> None:
    """Create or upgrade our tables to the latest revision; a no-op when already there.

    Alembic's INFO lines are silenced: every command migrates first, and they would
    otherwise clutter each one's output.
    """
    logging.getLogger("alembic").setLevel(logging.WARNING)
    engine = database if isinstance(database, Engine) else make_engine(database)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        if engine is not database:
            engine.dispose()

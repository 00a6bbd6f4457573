"""Our tables: created and upgraded by Alembic, next to Rasa's `events`, never touching it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, func, inspect, select, text
from staff_fixtures import faq, store, talk

from bot.records.accounts import audit
from bot.records.conversations import (
    ConversationQuery,
    list_conversations,
    refresh_summaries,
    set_review,
)
from bot.records.db import (
    VERSION_TABLE,
    AuditLog,
    Base,
    ConversationMessage,
    StaffUser,
    alembic_config,
    events,
    include_object,
    make_engine,
    migrate,
    session_factory,
)
from bot.records.summaries import Tally
from scripts.seed_conversations import Conversation

OURS = {"staff_users", "staff_login_throttle", "audit_log", "index_state",
        "conversation_summaries", "conversation_messages", "conversation_reviews",
        "conversation_tags", "callback_requests", "notifications", "takeovers", VERSION_TABLE}


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def shape(engine, table: str) -> tuple:
    inspector = inspect(engine)
    columns = [(c["name"], str(c["type"]), c["nullable"], c["default"])
               for c in inspector.get_columns(table)]
    return columns, inspector.get_indexes(table), inspector.get_pk_constraint(table)


def same_shape(one: tuple, other: tuple) -> bool:
    """The same columns, indexes and key, in any order (a downgrade appends columns)."""
    def key(found: tuple) -> tuple:
        columns, indexes, primary = found
        return sorted(columns), sorted(map(str, indexes)), primary

    return key(one) == key(other)


def test_migrate_creates_our_tables_only_and_is_idempotent(database_url):
    migrate(database_url)
    assert tables(database_url) == OURS
    migrate(database_url)
    assert tables(database_url) == OURS
    engine = make_engine(database_url)
    with engine.connect() as connection:
        head = ScriptDirectory.from_config(alembic_config(connection)).get_heads()
        assert connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all() == [
            tuple(head)]
    engine.dispose()


def test_the_migration_matches_the_models_and_leaves_rasas_table_alone(database_url):
    engine = make_engine(database_url)
    store(engine, faq(talk("p1"), "how long does it take", "duration"))
    before = shape(engine, "events")
    migrate(database_url)
    assert shape(engine, "events") == before
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        unfiltered = MigrationContext.configure(connection, opts={"compare_type": True})
        dropped = [diff[1].name for diff in compare_metadata(unfiltered, Base.metadata)
                   if diff[0] == "remove_table"]
    assert "events" in dropped  # what include_object protects against
    engine.dispose()


def test_our_view_of_events_is_rasas_table():
    from rasa.core.tracker_store import SQLTrackerStore

    rasa = SQLTrackerStore.SQLEvent.__table__
    assert [(c.name, type(c.type), c.nullable) for c in events.columns] == [
        (c.name, type(c.type), c.nullable) for c in rasa.columns]
    assert "events" not in Base.metadata.tables


def test_migrating_a_database_in_use_keeps_everything(database_url):
    migrate(database_url)
    engine = make_engine(database_url)
    store(engine, faq(talk("p1"), "how long does it take", "duration"))
    with session_factory(engine)() as session:
        refresh_summaries(session)
        set_review(session, "p1", reviewed=True, note="checked", tags=["ok"],
                   staff_email="ann@clinic.example", now=dt.datetime.now(dt.UTC))
        session.add(StaffUser(email="ann@clinic.example", password_hash="x",
                              created_at=dt.datetime.now(dt.UTC)))
        session.commit()
    migrate(database_url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(events)) == len(
            faq(talk("p1"), "how long does it take", "duration").rows)
        page = list_conversations(session, ConversationQuery())
        assert [(r.sender_id, r.reviewed, r.tags) for r in page.rows] == [("p1", True, ("ok",))]
        assert session.scalar(select(StaffUser.email)) == "ann@clinic.example"
    engine.dispose()


SUMMARY_0001 = (
    "INSERT INTO conversation_summaries (sender_id, started_at, started_on,"
    " last_event_at, last_event_id, turns, fallback_turns, urgent, fallback,"
    " human_requested, triage_started, form_active, turn_fallback, triage_open,"
    " reviewed) VALUES ('{sender}', '2026-11-01 10:00:00', '2026-11-01',"
    " '2026-11-01 10:05:00', 7, 2, 0, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE,"
    " FALSE, FALSE)")
"""A conversation's summary row as the first revision (and every one since) can hold it."""


def test_upgrading_from_the_first_revision_keeps_the_rows_and_adds_the_emergency_kind(
    database_url,
):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(text(SUMMARY_0001.format(sender="old")))
    migrate(database_url)
    with engine.connect() as connection:
        assert connection.execute(text(
            "SELECT sender_id, urgent, urgent_kind FROM conversation_summaries")).all() == [
            ("old", True, None)]
    engine.dispose()


def test_upgrading_puts_each_stored_conversation_under_its_channels_namespace(database_url):
    """Conversations stored before ids had a namespace keep their events, review and tags."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
    store(engine, faq(talk("+15551230000", channel="twilio"), "how long", "duration"),
          faq(talk("0123456789abcdef" * 2, channel="socketio"), "is it covered", "duration"),
          faq(talk("gateway-7"), "what is it", "duration"),
          faq(talk("twilio:+15551230000"), "what is it", "duration"),  # a REST client's
          faq(talk("g" * 252), "what is it", "duration"))
    with engine.begin() as connection:  # the review as revision 0002 stored it
        connection.execute(text(SUMMARY_0001.format(sender="+15551230000")))
        connection.execute(text(
            "INSERT INTO conversation_reviews (sender_id, reviewed, reviewed_by, note)"
            " VALUES ('+15551230000', TRUE, 'ann@clinic.example', 'called back')"))
        connection.execute(text("INSERT INTO conversation_tags (sender_id, name)"
                                " VALUES ('+15551230000', 'sms')"))
        connection.execute(text("UPDATE conversation_summaries SET reviewed = TRUE"))
    with session_factory(engine)() as session:
        audit(session, "ann@clinic.example", "review", "+15551230000")
        session.commit()
    migrate(database_url)
    with session_factory(engine)() as session:
        refresh_summaries(session)
        session.commit()
        stored = set(session.scalars(select(events.c.sender_id).distinct()))
        page = list_conversations(session, ConversationQuery())
        targets = set(session.scalars(select(AuditLog.target)))
    engine.dispose()
    renamed = {"twilio:+15551230000", "web:" + "0123456789abcdef" * 2, "rest:gateway-7",
               "rest:twilio:+15551230000",  # chosen by a REST client: stays apart, under rest
               "rest:sha256:" + hashlib.sha256(b"g" * 252).hexdigest()}  # too long to prefix
    assert stored == renamed == {row.sender_id for row in page.rows}
    sms = next(row for row in page.rows if row.sender_id == "twilio:+15551230000")
    assert sms.reviewed and sms.tags == ("sms",) and targets == {"twilio:+15551230000"}


def test_times_go_in_and_out_as_utc(db_session):
    local = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    db_session.add(AuditLog(at=local, staff_email="ann@clinic.example", action="login"))
    db_session.commit()
    stored = db_session.scalar(select(AuditLog.at).execution_options(populate_existing=True))
    assert stored == local and stored.tzinfo == dt.UTC and stored.hour == 14
    db_session.add(AuditLog(at=dt.datetime(2025, 3, 14), staff_email="x", action="login"))
    with pytest.raises(Exception, match="naive datetime"):
        db_session.commit()


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_dropping_the_unread_columns_keeps_every_message_and_review(database_url):
    """A copy of a database at revision 0004, with a message and a review, upgraded."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0004")
    downgraded_shape = shape(engine, "conversation_messages")
    with engine.begin() as connection:
        connection.execute(text(SUMMARY_0001.format(sender="web:ab12")))
        connection.execute(text("UPDATE conversation_summaries SET reviewed = TRUE"))
        connection.execute(text(
            "INSERT INTO conversation_messages (event_id, sender_id, at, text, text_lower,"
            " intent, confidence, topic) VALUES (41, 'web:ab12', '2026-11-01 10:01:00',"
            " 'How long is it?', 'how long is it?', 'faq', 0.97, 'faq/duration')"))
        connection.execute(text(
            "INSERT INTO conversation_reviews (sender_id, reviewed, reviewed_by, reviewed_at,"
            " note) VALUES ('web:ab12', TRUE, 'ann@clinic.example', '2026-11-02 09:00:00',"
            " 'called back')"))
    migrate(database_url)
    inspector = inspect(engine)
    assert {c["name"] for c in inspector.get_columns("conversation_messages")} == {
        "id", "sender_id", "at", "text", "text_lower", "topic"}
    assert "reviewed" not in {c["name"] for c in inspector.get_columns("conversation_reviews")}
    assert "ix_conversation_messages_event_id" not in {
        i["name"] for i in inspector.get_indexes("conversation_messages")}
    with engine.connect() as connection:
        assert connection.execute(text(
            "SELECT sender_id, text, topic FROM conversation_messages")).all() == [
            ("web:ab12", "How long is it?", "faq/duration")]
        assert connection.execute(text(
            "SELECT sender_id, reviewed_by, note FROM conversation_reviews")).all() == [
            ("web:ab12", "ann@clinic.example", "called back")]
    with session_factory(engine)() as session:
        [row] = list_conversations(session, ConversationQuery()).rows
        assert row.sender_id == "web:ab12" and row.reviewed
    with engine.begin() as connection:  # and back, for a clinic that must downgrade
        command.downgrade(alembic_config(connection), "0004")
        assert connection.execute(text(
            "SELECT reviewed, note FROM conversation_reviews")).all() == [(True, "called back")]
    assert same_shape(shape(engine, "conversation_messages"), downgraded_shape)
    engine.dispose()


QUESTION = "Is work hardening covered by my insurance?"


def as_0005_stored_it(connection, sender: str, conversation) -> None:
    """The summary and messages revision 0005's code kept: the widget's greeting a turn."""
    metadata = MetaData()

    def table(name: str) -> Table:
        return Table(name, metadata, autoload_with=connection)

    rows = conversation.rows
    start = dt.datetime.fromtimestamp(rows[0]["timestamp"], dt.UTC).replace(tzinfo=None)
    said = [json.loads(row["data"]) for row in rows if row["type_name"] == "user"]
    connection.execute(table("conversation_summaries").insert(), [{
        "sender_id": sender, "started_at": start, "started_on": start.date(),
        "last_event_at": start, "last_event_id": connection.execute(
            select(func.max(events.c.id))).scalar(),
        "channel": "socketio", "turns": len(said), "fallback_turns": 0, "urgent": False,
        "fallback": False, "human_requested": False, "triage_started": False,
        "form_active": False, "turn_fallback": False, "triage_open": False, "reviewed": True}])
    connection.execute(table("conversation_messages").insert(), [
        {"sender_id": sender, "at": start, "text": data["text"],
         "text_lower": data["text"].lower(), "topic": data["parse_data"]["intent"]["name"]}
        for data in said])
    connection.execute(text("INSERT INTO conversation_tags (sender_id, name) VALUES"
                            f" ('{sender}', 'called')"))
    connection.execute(text("UPDATE index_state SET last_event_id ="
                            " (SELECT max(id) FROM events)"))


def test_upgrading_to_0006_gives_stored_conversations_their_preview(database_url):
    """Stored conversations are folded again: a preview, no greeting turn, review kept."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
    chat = talk("web:ab12", channel="socketio").wait(2).user("/greet", "greet", 1.0)
    faq(chat.say("utter_greet"), QUESTION, "insurance")
    store(engine, chat)
    with engine.begin() as connection:
        as_0005_stored_it(connection, "web:ab12", chat)
        connection.execute(text(SUMMARY_0001.format(sender="rest:no-events-left")))
    migrate(database_url)
    columns = {c["name"] for c in inspect(engine).get_columns("conversation_summaries")}
    assert "first_message" in columns and "started_on" not in columns
    with session_factory(engine)() as session:
        refresh_summaries(session)
        rows = {r.sender_id: r for r in list_conversations(session, ConversationQuery()).rows}
        said = session.execute(select(ConversationMessage.text)).scalars().all()
    assert (rows["web:ab12"].turns, rows["web:ab12"].first_message) == (1, QUESTION)
    assert rows["web:ab12"].reviewed and rows["web:ab12"].tags == ("called",)
    assert (rows["rest:no-events-left"].turns, rows["rest:no-events-left"].flags) == (
        2, ("urgent",))
    assert said == [QUESTION]  # the greeting is gone, nothing is there twice
    with engine.begin() as connection:  # and back, for a clinic that must downgrade
        command.downgrade(alembic_config(connection), "0005")
        days = dict(connection.execute(text(
            "SELECT sender_id, started_on FROM conversation_summaries")).all())
    assert "first_message" not in {
        c["name"] for c in inspect(engine).get_columns("conversation_summaries")}
    started = dt.datetime.fromtimestamp(chat.rows[0]["timestamp"], dt.UTC).date()
    assert {sender: str(day) for sender, day in days.items()} == {
        "web:ab12": str(started), "rest:no-events-left": "2026-11-01"}
    engine.dispose()


LANGUAGE_COLUMNS = ("language", "previous_language", "first_message_language")
AFTER_0008 = ("turn_asks_human",)


def spoke(c: Conversation, text: str, language: str | None = None) -> Conversation:
    """The patient writes (the message telling `language`, if given); the assistant answers."""
    return c.wait(5).user(text, "out_of_scope", language=language).bot("…").listen()


def as_0007_stored_it(connection, up_to: int) -> None:
    """The summaries revision 0007's code kept, of the events up to `up_to`.

    That code folded events as today's does, without the language: the same tallies, the
    language columns left out.
    """
    summaries = Table("conversation_summaries", MetaData(), autoload_with=connection)
    tallies: dict[str, Tally] = {}
    for row in connection.execute(select(events).where(events.c.id <= up_to)
                                  .order_by(events.c.id)):
        tally = tallies.setdefault(row.sender_id, Tally(row.sender_id, row.timestamp))
        tally.apply(row)
    values = [{**{name: value for name, value in tally.columns().items()
                  if name not in (*LANGUAGE_COLUMNS, *AFTER_0008)}, "reviewed": False}
              for tally in tallies.values()]
    assert set(values[0]) == set(summaries.c.keys())  # every column 0007 had, no other
    connection.execute(summaries.insert(), values)
    connection.execute(text("UPDATE index_state SET last_event_id = :id"), {"id": up_to})


def languages_shown(session) -> dict[str, tuple]:
    return {row.sender_id: (row.language, row.previous_language, row.first_message_language)
            for row in list_conversations(session, ConversationQuery(per_page=200)).rows}


def test_upgrading_to_0008_keeps_every_stored_conversation_english(database_url):
    """A database of revision 0007 (the assistant spoke English only), then Spanish arrives."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0007")
    greeted = talk("web:greeted", channel="socketio").wait(1).user("/greet", "greet", 1.0)
    conversations = {
        "rest:english": spoke(spoke(talk("rest:english"), "how long is it?"), "thanks"),
        "web:greeted": greeted.say("utter_greet"),  # opened, nothing written
        "rest:later-spanish": spoke(talk("rest:later-spanish"), "hello"),
    }
    store(engine, *conversations.values())
    with engine.begin() as connection:
        as_0007_stored_it(connection, up_to=connection.execute(
            select(func.max(events.c.id))).scalar())
        connection.execute(text("INSERT INTO conversation_tags (sender_id, name)"
                                " VALUES ('rest:english', 'kept')"))
        connection.execute(text("UPDATE conversation_summaries SET reviewed = TRUE"
                                " WHERE sender_id = 'rest:english'"))
        before = connection.execute(text(
            "SELECT * FROM conversation_summaries ORDER BY sender_id")).mappings().all()
    downgraded_shape = shape(engine, "conversation_summaries")

    migrate(database_url)
    with engine.connect() as connection:
        after = connection.execute(text(
            "SELECT * FROM conversation_summaries ORDER BY sender_id")).mappings().all()
    assert [{k: v for k, v in row.items() if k not in (*LANGUAGE_COLUMNS, *AFTER_0008)}
            for row in after] == [
        dict(row) for row in before]  # nothing else changed, no row lost
    assert {row["sender_id"]: tuple(row[c] for c in LANGUAGE_COLUMNS) for row in after} == {
        "rest:english": ("en", None, "en"), "rest:later-spanish": ("en", None, "en"),
        "web:greeted": ("en", None, None)}  # nothing written: no preview
    later = conversations["rest:later-spanish"].clock + 60
    store(engine, spoke(Conversation("rest:later-spanish", later), "¿hablan español?", "es"))
    with session_factory(engine)() as session:
        refresh_summaries(session)
        assert languages_shown(session)["rest:later-spanish"] == ("es", "en", "en")
        assert list_conversations(session, ConversationQuery(language="es")).total == 1
        [kept] = list_conversations(session, ConversationQuery(text="rest:english")).rows
        assert kept.reviewed and kept.tags == ("kept",)

    with engine.begin() as connection:  # and back, for a clinic that must downgrade
        command.downgrade(alembic_config(connection), "0007")
        back = connection.execute(text(
            "SELECT sender_id, reviewed FROM conversation_summaries ORDER BY sender_id")).all()
    assert same_shape(shape(engine, "conversation_summaries"), downgraded_shape)
    assert [sender for sender, _ in back] == [row["sender_id"] for row in before]
    engine.dispose()


def test_upgrading_to_0008_before_rasa_stored_anything(database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0007")
    migrate(database_url)
    columns = {c["name"]: c for c in inspect(engine).get_columns("conversation_summaries")}
    assert set(LANGUAGE_COLUMNS) <= set(columns) and not columns["language"]["nullable"]
    assert "ix_conversation_summaries_language" in {
        i["name"] for i in inspect(engine).get_indexes("conversation_summaries")}
    engine.dispose()

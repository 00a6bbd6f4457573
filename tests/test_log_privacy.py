"""Database errors reach the log without the patient's words they were about to store."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from bot.records.db import make_engine
from bot.runtime import log_privacy

MARKER = "my back hurts zq81kd"


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """What the root logger prints, the way our servers print it."""
    stream, factory = io.StringIO(), logging.getLogRecordFactory()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)
    logging.setLogRecordFactory(factory)


def failed_insert(engine) -> IntegrityError:
    """A real constraint error whose statement carried the marker as a parameter."""
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, data TEXT)"))
        connection.execute(text("INSERT INTO events VALUES (1, 'x')"))
    with pytest.raises(IntegrityError) as caught, engine.begin() as connection:
        connection.execute(text("INSERT INTO events VALUES (1, :data)"), {"data": MARKER})
    return caught.value


def log_the_error(error: Exception) -> None:
    """Logged the ways Rasa, Sanic and rasa-sdk do: with the traceback, and as text."""
    try:
        raise error
    except IntegrityError:
        logging.getLogger("rasa.core.tracker_store").exception("could not save")
    logging.getLogger("sanic.error").error("Exception occurred: %s", error)
    logging.getLogger("rasa_sdk").error(f"failed: {error}")


def test_without_the_guard_the_error_text_carries_the_patients_words(tmp_path, log):
    log_the_error(failed_insert(create_engine(f"sqlite:///{tmp_path}/a.db")))
    assert MARKER in log.getvalue()


def test_a_database_error_from_rasas_own_engine_is_logged_without_parameters(tmp_path, log):
    log_privacy.install()
    log_privacy.install()
    log_the_error(failed_insert(create_engine(f"sqlite:///{tmp_path}/a.db")))
    printed = log.getvalue()
    assert MARKER not in printed
    for logger in ("rasa.core.tracker_store", "sanic.error", "rasa_sdk"):
        [line] = [line for line in printed.splitlines() if line.startswith(f"ERROR {logger}:")]
        assert logger == "rasa.core.tracker_store" or "UNIQUE constraint failed" in line
    assert "INSERT INTO events VALUES (1, ?)" in printed  # the statement itself is kept


def test_our_engines_keep_parameters_out_of_error_texts(tmp_path):
    error = failed_insert(make_engine(f"sqlite:///{tmp_path}/a.db"))
    assert MARKER not in str(error) and "INSERT INTO events" in str(error)


@pytest.mark.parametrize(("msg", "args", "shown"), [
    ("saved %s", ("[parameters: ('my back',)]",), f"saved {log_privacy.HIDDEN}"),
    ("failed [parameters: ('my back',)]\nnext line", (), f"failed {log_privacy.HIDDEN}\nnext line"),
    ("%s and %s", ("one",), None),  # malformed: left for the handler to report
    ("%(a)s", ({"b": 1},), None),
    ("failed: %s", ("GET /conversations/x/tracker?token=s3cret&a=1",),
     "failed: GET /conversations/x/tracker?token=…&a=1"),
    ("plain %d turns", (3,), "plain 3 turns"),
])
def test_messages_that_hold_parameters_have_them_cut(msg, args, shown):
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, msg, args, None)
    given = record.args
    log_privacy.hide_parameters(record)
    if shown is None:
        assert record.msg == msg and record.args is given
    else:
        assert record.getMessage() == shown

"""Keep patients' words out of the log when the database reports an error (and tokens).

SQLAlchemy puts a failed statement's parameters (a message's text, a stored event's
JSON) into its error's text, and Rasa, Sanic and rasa-sdk log such errors whole. Our own
engines are made with `hide_parameters`, but Rasa builds its tracker store's engine
itself. So every log record is checked as it is made, whoever logs it and whichever
handler prints it: a database error in it is told to hide its parameters, and a message
that already holds them has them cut. A record factory rather than a handler filter,
because Rasa replaces the root handlers when it configures its logging.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy.exc import StatementError

_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
_TOKEN = re.compile(r"(token=)[^&\s\"']+")
"""An API token in a logged URL (Sanic logs the URL of a request that failed)."""
HIDDEN = "[parameters hidden]"


def install() -> None:
    """Check every log record of this process (once; a second call changes nothing)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "hides_parameters", False):
        return

    def make_record(*args: object, **kwargs: object) -> logging.LogRecord:
        return hide_parameters(factory(*args, **kwargs))

    make_record.hides_parameters = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)


def hide_parameters(record: logging.LogRecord) -> logging.LogRecord:
    """The record with database parameters hidden from its exception and its message."""
    error = record.exc_info[1] if record.exc_info else None
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, StatementError):
            error.hide_parameters = True
        error = error.__cause__ or error.__context__
    if isinstance(record.msg, str):
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is the handler's to report, as usual
            return record
        if "[parameters:" in message or "token=" in message:
            message = _TOKEN.sub(r"\1…", _PARAMETERS.sub(HIDDEN, message))
            record.msg, record.args = message, None
    return record

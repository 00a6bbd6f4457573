"""Alembic environment: our tables only, on the connection `bot.records.db.migrate` hands over.

Rasa's `events` table (and anything else in the database that is not ours) is left out
of autogenerate by `include_object`, so no revision can ever drop or alter it. Revisions
spell our column types in plain SQLAlchemy, so they never import the application.
"""

from typing import Any

from alembic import context

from bot.records.db import VERSION_TABLE, Base, UTCDateTime, include_object


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write UTCDateTime columns as the DateTime they are stored as."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    include_object=include_object,
    render_item=render_item,
    version_table=VERSION_TABLE,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

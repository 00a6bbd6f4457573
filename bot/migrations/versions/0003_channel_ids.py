"""Conversation ids carry their channel: `twilio:+1555…`, `web:<id>`, `rest:<id>`.

Until now a conversation's id was the platform's own id, so a REST client could write
into an SMS patient's conversation by sending their phone number. Conversations stored
before keep working: each one's id gets its channel's name in front (the channel of its
first patient message; `socketio`, the website, becomes `web`), in Rasa's `events` and
in every table of ours, so a patient who writes again continues where they were.
The names are spelled here, not imported: a revision records what was true when written.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PREFIXES = {"socketio": "web"}
CHILDREN = ("conversation_messages", "conversation_reviews", "conversation_tags")


def upgrade() -> None:
    """Rename every conversation whose channel is known and whose id has no namespace."""
    bind = op.get_bind()
    tables = sa.MetaData()
    tables.reflect(bind)
    if "events" not in tables.tables:
        return
    events = tables.tables["events"]
    summaries = tables.tables["conversation_summaries"]
    audit = tables.tables["audit_log"]
    for old, new in _renames(bind, events).items():
        bind.execute(sa.update(events).where(events.c.sender_id == old).values(sender_id=new))
        row = bind.execute(sa.select(summaries).where(summaries.c.sender_id == old)).first()
        if row is not None:
            bind.execute(sa.insert(summaries).values({**row._mapping, "sender_id": new}))
            for child in (tables.tables[name] for name in CHILDREN):
                bind.execute(sa.update(child).where(child.c.sender_id == old)
                             .values(sender_id=new))
            bind.execute(sa.delete(summaries).where(summaries.c.sender_id == old))
        bind.execute(sa.update(audit).where(audit.c.target == old).values(target=new))


def _renames(bind: sa.engine.Connection, events: sa.Table) -> dict[str, str]:
    """Old id -> namespaced id, from the channel of each conversation's patient messages."""
    renames: dict[str, str] = {}
    rows = bind.execute(sa.select(events.c.sender_id, events.c.data)
                        .where(events.c.type_name == "user").order_by(events.c.id))
    for sender_id, data in rows:
        if sender_id in renames:
            continue
        try:
            channel = json.loads(data or "{}").get("input_channel")
        except ValueError:
            continue
        if isinstance(channel, str) and channel:
            prefix = PREFIXES.get(channel, channel)
            if not sender_id.startswith(f"{prefix}:"):
                renames[sender_id] = f"{prefix}:{sender_id}"
    return renames


def downgrade() -> None:
    """Ids stay namespaced: taking the names off again would merge channels' conversations."""

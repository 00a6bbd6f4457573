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

import hashlib
import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PREFIXES = {"socketio": "web"}
MAX_ID = 255
CHILDREN = ("conversation_messages", "conversation_reviews", "conversation_tags")


def upgrade() -> None:
    """Rename every stored conversation to its channel's namespace."""
    bind = op.get_bind()
    tables = sa.MetaData()
    tables.reflect(bind)
    if "events" not in tables.tables:
        return
    renames = _renames(bind, tables.tables["events"])
    # Two passes through temporary ids: a new id may equal another conversation's old id
    # ("twilio:+1555…" chosen by a REST client), which must not be merged into it.
    run = uuid.uuid4().hex
    parked = {old: f"0003-migrating:{run}:{n}" for n, old in enumerate(renames)}
    for moves in (parked.items(), ((parked[old], new) for old, new in renames.items())):
        for old, new in moves:
            _rename(bind, tables, old, new)


def _rename(bind: sa.engine.Connection, tables: sa.MetaData, old: str, new: str) -> None:
    """Move one conversation's events, summary, review, tags and audit entries to `new`."""
    events = tables.tables["events"]
    summaries = tables.tables["conversation_summaries"]
    audit = tables.tables["audit_log"]
    bind.execute(sa.update(events).where(events.c.sender_id == old).values(sender_id=new))
    row = bind.execute(sa.select(summaries).where(summaries.c.sender_id == old)).first()
    if row is not None:
        bind.execute(sa.insert(summaries).values({**row._mapping, "sender_id": new}))
        for child in (tables.tables[name] for name in CHILDREN):
            bind.execute(sa.update(child).where(child.c.sender_id == old).values(sender_id=new))
        bind.execute(sa.delete(summaries).where(summaries.c.sender_id == old))
    bind.execute(sa.update(audit).where(audit.c.target == old).values(target=new))


def _renames(bind: sa.engine.Connection, events: sa.Table) -> dict[str, str]:
    """Old id -> namespaced id, for every stored conversation.

    Every id is renamed, even one that already looks namespaced: before this revision a
    REST client could pick any id and channel, so "twilio:+1555…" sent as "twilio" must not
    become the real SMS patient's conversation. The channel is that of the first patient
    message; a conversation with none gets "legacy". An id too long for the 255-character
    column once prefixed is replaced by its SHA-256 (such an id never came from a platform).
    """
    channels: dict[str, str] = {}
    rows = bind.execute(sa.select(events.c.sender_id, events.c.type_name, events.c.data)
                        .order_by(events.c.id))
    for sender_id, kind, data in rows:
        channels.setdefault(sender_id, "")
        if kind != "user" or channels[sender_id]:
            continue
        try:
            channel = json.loads(data or "{}").get("input_channel")
        except ValueError:
            channel = None
        if isinstance(channel, str):
            channels[sender_id] = channel
    renames: dict[str, str] = {}
    taken: set[str] = set()
    for old, channel in channels.items():
        new = _namespaced(PREFIXES.get(channel, channel) or "legacy", old)
        if new in taken:  # a made-up channel name met a real one: keep both apart
            new = _namespaced("legacy", f"sha256:{hashlib.sha256(old.encode()).hexdigest()}")
        renames[old] = new
        taken.add(new)
    return renames


def _namespaced(prefix: str, sender_id: str) -> str:
    new = f"{prefix}:{sender_id}"
    if len(new) <= MAX_ID:
        return new
    return f"{prefix[:64]}:sha256:{hashlib.sha256(sender_id.encode()).hexdigest()}"


def downgrade() -> None:
    """Ids stay namespaced: taking the names off again would merge channels' conversations."""

"""A preview of the patient's first message; days are the clinic's, so no UTC date column.

`first_message` is shown in the conversation list. Every summary whose events Rasa still
has is folded again from them (the staff's reviews and tags are kept), so conversations
stored before this revision get their preview too, and the chat widget's automatic
greeting no longer counts as a patient turn in them; the next staff page does the
folding, once. A summary without events keeps what it has.

`started_on` (the UTC day a conversation started) goes: date filters and the overview
now count the clinic's local days, from `started_at`. Columns are added and dropped in
place (SQLite 3.35 and later can), never by copying `conversation_summaries`: SQLite
would refuse to drop the old copy while messages, reviews and tags point at it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FOLDED = {
    "last_event_id": "0", "channel": "NULL", "turns": "0", "fallback_turns": "0",
    "outcome": "NULL", "urgent": "FALSE", "urgent_kind": "NULL", "fallback": "FALSE",
    "human_requested": "FALSE", "triage_started": "FALSE", "form_active": "FALSE",
    "turn_fallback": "FALSE", "triage_open": "FALSE",
}
"""What a summary has folded from events, back to where a new conversation starts."""
STORED = "sender_id IN (SELECT sender_id FROM events)"


def upgrade() -> None:
    """Add the preview, drop the UTC day, and have the summaries folded again."""
    with op.batch_alter_table("conversation_summaries", recreate="never") as batch:
        batch.drop_index(op.f("ix_conversation_summaries_started_on"))
        batch.drop_column("started_on")
        batch.add_column(sa.Column("first_message", sa.String(length=100), nullable=True))
    if not sa.inspect(op.get_bind()).has_table("events"):
        return  # Rasa has stored nothing yet
    op.execute(f"DELETE FROM conversation_messages WHERE {STORED}")
    op.execute("UPDATE conversation_summaries SET "
               + ", ".join(f"{column} = {value}" for column, value in FOLDED.items())
               + f" WHERE {STORED}")
    op.execute("UPDATE index_state SET last_event_id = 0")


def downgrade() -> None:
    """Bring back the UTC day of each conversation's start; drop the preview.

    The day comes back nullable (SQLite adds no NOT NULL column without a default);
    revision 0005's code writes it for every conversation.
    """
    with op.batch_alter_table("conversation_summaries", recreate="never") as batch:
        batch.drop_column("first_message")
        batch.add_column(sa.Column("started_on", sa.Date(), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    day = "date(started_at)" if sqlite else "CAST(started_at AS DATE)"
    op.execute(f"UPDATE conversation_summaries SET started_on = {day}")
    op.create_index(op.f("ix_conversation_summaries_started_on"), "conversation_summaries",
                    ["started_on"])

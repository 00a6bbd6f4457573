"""Drop what nothing reads: a message's Rasa event id, intent and confidence, a review's flag.

The summary's `reviewed` is the one the dashboard reads and filters on; the review row's
copy could only drift from it. A message keeps its text (search) and topic (the
overview's topics); the transcript and the NLU export read Rasa's own events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the index first, then the columns (batch mode rebuilds SQLite tables)."""
    op.drop_index(op.f("ix_conversation_messages_event_id"), table_name="conversation_messages")
    with op.batch_alter_table("conversation_messages") as batch:
        batch.drop_column("event_id")
        batch.drop_column("intent")
        batch.drop_column("confidence")
    with op.batch_alter_table("conversation_reviews") as batch:
        batch.drop_column("reviewed")


def downgrade() -> None:
    """Add the columns back as 0004 had them, filled from what is still known."""
    with op.batch_alter_table("conversation_reviews") as batch:
        batch.add_column(sa.Column("reviewed", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.execute(
        "UPDATE conversation_reviews SET reviewed = (SELECT s.reviewed FROM"
        " conversation_summaries s WHERE s.sender_id = conversation_reviews.sender_id)"
    )
    with op.batch_alter_table("conversation_reviews") as batch:
        batch.alter_column("reviewed", server_default=None)
    with op.batch_alter_table("conversation_messages") as batch:
        batch.add_column(sa.Column("confidence", sa.Float(), nullable=True))
        batch.add_column(sa.Column("intent", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("event_id", sa.Integer(), nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("conversation_messages") as batch:
        batch.alter_column("event_id", server_default=None)
    op.create_index(op.f("ix_conversation_messages_event_id"), "conversation_messages",
                    ["event_id"])

"""Drop what nothing reads: a message's Rasa event id and intent, a review's own flag.

The summary's `reviewed` is the one the dashboard reads and filters on; the review row's
copy could only drift from it. A message's topic and confidence stay (they feed the
dashboard's topics and the NLU export); its event id (and its index) and raw intent did
not feed anything.

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
    with op.batch_alter_table("conversation_reviews") as batch:
        batch.drop_column("reviewed")


def downgrade() -> None:
    """Add the columns back, filled from what is still known."""
    with op.batch_alter_table("conversation_reviews") as batch:
        batch.add_column(sa.Column("reviewed", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.execute(
        "UPDATE conversation_reviews SET reviewed = (SELECT s.reviewed FROM"
        " conversation_summaries s WHERE s.sender_id = conversation_reviews.sender_id)"
    )
    with op.batch_alter_table("conversation_messages") as batch:
        batch.add_column(sa.Column("intent", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("event_id", sa.Integer(), nullable=False,
                                   server_default="0"))
    op.create_index(op.f("ix_conversation_messages_event_id"), "conversation_messages",
                    ["event_id"])

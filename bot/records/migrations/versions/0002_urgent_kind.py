"""Which emergency advice a conversation got: medical (911) or self-harm (988).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column; conversations indexed before it keep just their `urgent` flag."""
    with op.batch_alter_table("conversation_summaries") as batch:
        batch.add_column(sa.Column("urgent_kind", sa.String(length=16), nullable=True))
        batch.create_index(op.f("ix_conversation_summaries_urgent_kind"), ["urgent_kind"])


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("conversation_summaries") as batch:
        batch.drop_index(op.f("ix_conversation_summaries_urgent_kind"))
        batch.drop_column("urgent_kind")

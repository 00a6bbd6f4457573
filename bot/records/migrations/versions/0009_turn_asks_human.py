"""Whether the patient's latest message asked for a person, kept between refreshes.

The "asked for a person" flag now needs the ask and the assistant's offer together (a
plain "ok" to a triage result runs the offer too), and a refresh can fall between the
two. Conversations summarised before keep the flag they have; the column starts false,
which is right for every conversation whose latest turn is already folded. Added in
place, never by copying `conversation_summaries` (see 0006).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column, false everywhere."""
    with op.batch_alter_table("conversation_summaries", recreate="never") as batch:
        batch.add_column(sa.Column("turn_asks_human", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    """Drop the column (the intents stay in the events)."""
    with op.batch_alter_table("conversation_summaries", recreate="never") as batch:
        batch.drop_column("turn_asks_human")

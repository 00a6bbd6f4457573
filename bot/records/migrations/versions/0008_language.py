"""The conversation's language ("en", "es"), and the one it switched from, on the summary.

`language` is that of the latest patient message that told one (`bot.core.language`);
`previous_language` what it was before the last switch after the patient's first turn;
`first_message_language` the language of the patient's first written message (the list's
preview is in it). Before this revision the assistant spoke English only and no stored
message carries a language, so every conversation already summarised is English: the
columns are added with that value, and nothing is folded again (call-backs already
handled must not come back as new requests). Columns are added in place, never by copying
`conversation_summaries` (see 0006).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns; every conversation stored so far is in English."""
    with op.batch_alter_table("conversation_summaries", recreate="never") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=False,
                                   server_default="en"))
        batch.add_column(sa.Column("previous_language", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("first_message_language", sa.String(length=8),
                                   nullable=True))
    op.create_index(op.f("ix_conversation_summaries_language"), "conversation_summaries",
                    ["language"])
    op.execute("UPDATE conversation_summaries SET first_message_language = 'en'"
               " WHERE first_message IS NOT NULL")


def downgrade() -> None:
    """Drop the columns (the language stays in the events)."""
    op.drop_index(op.f("ix_conversation_summaries_language"),
                  table_name="conversation_summaries")
    with op.batch_alter_table("conversation_summaries", recreate="never") as batch:
        batch.drop_column("first_message_language")
        batch.drop_column("previous_language")
        batch.drop_column("language")

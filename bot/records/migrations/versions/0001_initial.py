"""Initial schema: staff accounts, conversation summaries and messages, reviews, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SUMMARY_INDEXES = (
    "started_at", "started_on", "last_event_at", "channel", "outcome",
    "urgent", "fallback", "human_requested", "triage_open", "reviewed",
)


def upgrade() -> None:
    """Create our tables; Rasa's `events` table is not touched."""
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("session_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_users_email")),
    )
    op.create_table(
        "staff_login_throttle",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_staff_login_throttle")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("staff_email", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    index_state = op.create_table(
        "index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_state")),
    )
    op.bulk_insert(index_state, [{"id": 1, "last_event_id": 0}])
    op.create_table(
        "conversation_summaries",
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("last_event_at", sa.DateTime(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("fallback_turns", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("fallback", sa.Boolean(), nullable=False),
        sa.Column("human_requested", sa.Boolean(), nullable=False),
        sa.Column("triage_started", sa.Boolean(), nullable=False),
        sa.Column("form_active", sa.Boolean(), nullable=False),
        sa.Column("turn_fallback", sa.Boolean(), nullable=False),
        sa.Column("triage_open", sa.Boolean(), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sender_id", name=op.f("pk_conversation_summaries")),
    )
    for column in SUMMARY_INDEXES:
        op.create_index(
            op.f(f"ix_conversation_summaries_{column}"), "conversation_summaries", [column]
        )
    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_lower", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=255), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("topic", sa.String(length=255), nullable=True),
        _summary_key("conversation_messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
    )
    for column in ("event_id", "sender_id"):
        op.create_index(
            op.f(f"ix_conversation_messages_{column}"), "conversation_messages", [column]
        )
    op.create_index(
        "ix_conversation_messages_at_topic", "conversation_messages", ["at", "topic"]
    )
    op.create_table(
        "conversation_reviews",
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=254), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _summary_key("conversation_reviews"),
        sa.PrimaryKeyConstraint("sender_id", name=op.f("pk_conversation_reviews")),
    )
    op.create_table(
        "conversation_tags",
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        _summary_key("conversation_tags"),
        sa.PrimaryKeyConstraint("sender_id", "name", name=op.f("pk_conversation_tags")),
    )
    op.create_index(op.f("ix_conversation_tags_name"), "conversation_tags", ["name"])


def downgrade() -> None:
    """Drop our tables (and with them every review, tag, account and audit entry)."""
    for table in (
        "conversation_tags", "conversation_reviews", "conversation_messages",
        "conversation_summaries", "index_state", "audit_log", "staff_login_throttle",
        "staff_users",
    ):
        op.drop_table(table)


def _summary_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["sender_id"], ["conversation_summaries.sender_id"],
        name=op.f(f"fk_{table}_sender_id_conversation_summaries"),
    )

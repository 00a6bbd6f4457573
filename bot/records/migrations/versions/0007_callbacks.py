"""Call-back requests (the staff's queue), notifications, take-overs and "left a number".

`callback_phone`, `callback_time` and `callback_name` on the summary are folded from the
conversation's slots; the queue rows and notifications are written by the same refresh.
Revision 0006 (released together with this one) has every summary folded again, which
fills them for conversations stored before; the fold never notifies about a request or an
emergency twice (`bot.records.summaries`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """New tables, three summary columns, and a fresh fold of every summary."""
    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("preferred_time", sa.String(length=80), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_by", sa.String(length=254), nullable=True),
        sa.Column("status_at", sa.DateTime(), nullable=True),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["sender_id"], ["conversation_summaries.sender_id"],
                                name=op.f("fk_callback_requests_sender_id_conversation_summaries")),
        sa.ForeignKeyConstraint(["assigned_to"], ["staff_users.id"],
                                name=op.f("fk_callback_requests_assigned_to_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_requests")),
    )
    for column in ("sender_id", "requested_at", "status", "assigned_to"):
        op.create_index(op.f(f"ix_callback_requests_{column}"), "callback_requests", [column])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["sender_id"], ["conversation_summaries.sender_id"],
                                name=op.f("fk_notifications_sender_id_conversation_summaries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(op.f("ix_notifications_sender_id"), "notifications", ["sender_id"])
    op.create_index(op.f("ix_notifications_sent_at"), "notifications", ["sent_at"])
    op.create_table(
        "takeovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("staff_email", sa.String(length=254), nullable=False),
        sa.Column("staff_name", sa.String(length=80), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["sender_id"], ["conversation_summaries.sender_id"],
                                name=op.f("fk_takeovers_sender_id_conversation_summaries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takeovers")),
    )
    op.create_index(op.f("ix_takeovers_sender_id"), "takeovers", ["sender_id"])
    op.create_index(op.f("ix_takeovers_left_at"), "takeovers", ["left_at"])
    op.add_column("conversation_summaries", sa.Column("callback_phone", sa.String(16)))
    op.add_column("conversation_summaries", sa.Column("callback_time", sa.String(80)))
    op.add_column("conversation_summaries", sa.Column("callback_name", sa.String(80)))
    op.create_index(op.f("ix_conversation_summaries_callback_phone"),
                    "conversation_summaries", ["callback_phone"])


def downgrade() -> None:
    """Drop what upgrade added (the queue's statuses go with it)."""
    op.drop_index(op.f("ix_conversation_summaries_callback_phone"),
                  table_name="conversation_summaries")
    for column in ("callback_name", "callback_time", "callback_phone"):
        op.drop_column("conversation_summaries", column)
    op.drop_table("takeovers")
    op.drop_table("notifications")
    op.drop_table("callback_requests")

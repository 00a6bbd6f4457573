"""Staff roles (admin, reviewer) and disabled accounts.

Accounts made before roles existed could do everything: they become admins, so no
clinic loses access by upgrading; new accounts are reviewers unless made admins.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns; existing accounts are admins."""
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("role", sa.String(length=16), nullable=False,
                                   server_default="admin"))
        batch.add_column(sa.Column("disabled_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("staff_users") as batch:
        batch.alter_column("role", server_default="reviewer")


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("disabled_at")
        batch.drop_column("role")

"""Sign-in throttling per client and per username, a decaying failure counter, and
a per-user session generation that revokes every session opened before it was raised.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_failed_at", TS))
    op.create_table(
        "sign_in_throttle",
        sa.Column("client_key", sa.String(120), primary_key=True),  # "remote:ADDRESS" or "username:NAME"
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", TS, nullable=False),
        sa.Column("blocked_until", TS),
        sa.CheckConstraint("failures >= 0", name="ck_sign_in_throttle_failures"),
    )
    op.create_index("ix_sign_in_throttle_last_failure_at", "sign_in_throttle", ["last_failure_at"])


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("last_failed_at")
        batch.drop_column("session_generation")

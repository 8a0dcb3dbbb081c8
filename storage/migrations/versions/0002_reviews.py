"""Review marks (an auditor's agree/disagree and comment per answer) and uploaded baselines.

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

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_marks",
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("agree", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("reviewer_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("marked_at", TS, nullable=False),
    )
    op.create_table(
        "baselines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("questionnaire_id", sa.String(80), nullable=False),
        sa.Column("baseline_id", sa.String(80), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_at", TS, nullable=False),
        sa.Column("registered_by", sa.String(60), nullable=False),
        sa.UniqueConstraint("questionnaire_id", "content_hash", name="uq_baselines_questionnaire_id_content_hash"),
    )


def downgrade() -> None:
    op.drop_table("baselines")
    op.drop_table("review_marks")

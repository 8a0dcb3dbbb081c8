"""Evidence files behind answers, "bukti cukup / kurang" on review marks, the school's tasks
(the action plan carried out), and the counts behind "what similar schools improved first".

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

TS = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fk(column: str, table: str, referred: str, ondelete: str | None = "CASCADE", **options) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{referred}.id", ondelete=ondelete,
                                                         name=f"fk_{table}_{column}_{referred}"), **options)


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", BIG_ID, primary_key=True),
        _fk("assessment_id", "evidence", "assessments", nullable=False),
        sa.Column("assessment_version", sa.Integer(), nullable=False),
        _fk("school_id", "evidence", "schools", nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        _fk("uploaded_by_id", "evidence", "users", None),
        sa.Column("uploaded_at", TS, nullable=False),
        sa.UniqueConstraint("assessment_id", "question_id", "sha256",
                            name="uq_evidence_assessment_id_question_id_sha256"),
    )  # fmt: skip
    op.create_index("ix_evidence_school_id", "evidence", ["school_id"])
    with op.batch_alter_table("review_marks") as batch:
        batch.add_column(sa.Column("evidence_ok", sa.Boolean()))
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("school_id", "tasks", "schools", nullable=False),
        sa.Column("questionnaire_id", sa.String(80), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("owner", sa.String(120), nullable=False),
        sa.Column("due_date", sa.Date()),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("note", sa.Text()),
        _fk("source_assessment_id", "tasks", "assessments", "SET NULL"),
        sa.Column("source_period", sa.String(6), nullable=False),
        _fk("created_by_id", "tasks", "users", None),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("completed_at", TS),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("school_id", "questionnaire_id", "question_id",
                            name="uq_tasks_school_id_questionnaire_id_question_id"),
        sa.CheckConstraint("status IN ('belum', 'berjalan', 'selesai')", name="ck_tasks_status"),
    )  # fmt: skip
    def school_key(table: str) -> list[sa.Column]:
        return [_fk("school_id", table, "schools"), sa.Column("questionnaire_id", sa.String(80)),
                sa.Column("period", sa.String(6))]  # fmt: skip

    op.create_table(
        "school_improvement_pairs", *school_key("school_improvement_pairs"),
        sa.Column("province_code", sa.String(2), nullable=False),
        sa.Column("jenjang", sa.String(3), nullable=False),
        _fk("assessment_id", "school_improvement_pairs", "assessments", nullable=False),
        _fk("previous_assessment_id", "school_improvement_pairs", "assessments", nullable=False),
        sa.PrimaryKeyConstraint("school_id", "questionnaire_id", "period", name="pk_school_improvement_pairs"),
    )  # fmt: skip
    op.create_table(
        "school_improvements", *school_key("school_improvements"),
        sa.Column("question_id", sa.String(80)),
        sa.PrimaryKeyConstraint("school_id", "questionnaire_id", "period", "question_id",
                                name="pk_school_improvements"),
    )  # fmt: skip
    group = ("questionnaire_id", "period", "jenjang", "province_code")
    sizes = {"questionnaire_id": 80, "period": 6, "jenjang": 3, "province_code": 2, "question_id": 80}
    for name, key in (("agg_improvement_pairs", group), ("agg_improvements", (*group, "question_id"))):
        op.create_table(name, *(sa.Column(c, sa.String(sizes[c])) for c in key),
                        sa.Column("n", sa.Integer(), nullable=False),
                        sa.PrimaryKeyConstraint(*key, name=f"pk_{name}"))  # fmt: skip
    from storage.aggregates.improvements import rebuild_improvements

    rebuild_improvements(op.get_bind())


def downgrade() -> None:
    for name in ("agg_improvements", "agg_improvement_pairs", "school_improvements", "school_improvement_pairs",
                 "tasks"):  # fmt: skip
        op.drop_table(name)
    with op.batch_alter_table("review_marks") as batch:
        batch.drop_column("evidence_ok")
    op.drop_index("ix_evidence_school_id", "evidence")
    op.drop_table("evidence")

"""The per-question answer counts as one JSON row per group (agg_answer_tallies) instead of one
row per group and question (agg_answers): a submission writes 12 rows there, not 984.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

KEY = ("questionnaire_version_id", "period", "province_code", "kabupaten_kota", "jenjang", "school_status")
COUNTS = ("n0", "n1", "n2", "n3", "na")


def _key(table: str) -> list[sa.Column]:
    return [
        sa.Column("questionnaire_version_id", sa.Integer(),
                  sa.ForeignKey("questionnaire_versions.id", ondelete="CASCADE", name=f"fk_{table}_version")),
        sa.Column("period", sa.String(6)), sa.Column("province_code", sa.String(2)),
        sa.Column("kabupaten_kota", sa.String(100)), sa.Column("jenjang", sa.String(3)),
        sa.Column("school_status", sa.String(6)),
    ]  # fmt: skip


def upgrade() -> None:
    op.create_table("agg_answer_tallies", *_key("agg_answer_tallies"), sa.Column("tallies", sa.Text(), nullable=False),
                    sa.PrimaryKeyConstraint(*KEY, name="pk_agg_answer_tallies"))  # fmt: skip
    from storage.aggregates.rebuild import _answer_tallies

    _answer_tallies(op.get_bind())  # from the stored answers: agg_answers may be empty (see 0006)
    op.drop_table("agg_answers")


def downgrade() -> None:
    table = op.create_table(
        "agg_answers", *_key("agg_answers"), sa.Column("question_id", sa.String(80)),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in COUNTS),
        sa.PrimaryKeyConstraint(*KEY, "question_id", name="pk_agg_answers"),
    )  # fmt: skip
    from storage.aggregates.tallies import decode

    bind = op.get_bind()
    rows = [{**dict(zip(KEY, key, strict=True)), "question_id": q, **dict(zip(COUNTS, counts, strict=True))}
            for *key, text in bind.execute(sa.text(f"SELECT {', '.join(KEY)}, tallies FROM agg_answer_tallies"))  # noqa: S608
            for q, counts in decode(text).items()]  # fmt: skip
    for start in range(0, len(rows), 1000):
        bind.execute(table.insert(), rows[start : start + 1000])
    op.drop_table("agg_answer_tallies")

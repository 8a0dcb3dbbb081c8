"""Aggregates maintained on write (storage/aggregates/), filled from the stored results; and the
index the auditor's paged school table walks (province, kabupaten/kota, name, NPSN).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = {
    "agg_counts": [sa.Column("kind", sa.String(10)), sa.Column("value", sa.String(80))],
    "agg_score_buckets": [sa.Column("bucket", sa.SmallInteger())],
    "agg_scores": [sa.Column("bucket", sa.SmallInteger()), sa.Column("score", sa.Float())],
    "agg_domain_points": [sa.Column("domain_id", sa.String(80)), sa.Column("points", sa.Integer()),
                          sa.Column("max_points", sa.Integer())],
    "agg_answers": [sa.Column("question_id", sa.String(80))],
}
COUNTS = {"agg_answers": ("n0", "n1", "n2", "n3", "na")}


def upgrade() -> None:
    for name, own in TABLES.items():
        key = [
            sa.Column("questionnaire_version_id", sa.Integer(),
                      sa.ForeignKey("questionnaire_versions.id", ondelete="CASCADE",
                                    name=f"fk_{name}_version")),
            sa.Column("period", sa.String(6)), sa.Column("province_code", sa.String(2)),
            sa.Column("kabupaten_kota", sa.String(100)), sa.Column("jenjang", sa.String(3)),
            sa.Column("school_status", sa.String(6)),
        ]  # fmt: skip
        counts = [sa.Column(c, sa.Integer(), nullable=False) for c in COUNTS.get(name, ("n",))]
        op.create_table(name, *key, *own, *counts,
                        sa.PrimaryKeyConstraint(*(c.name for c in (*key, *own)), name=f"pk_{name}"))  # fmt: skip
    op.create_index("ix_schools_place_name", "schools", ["province_code", "kabupaten_kota", "name", "npsn"])
    # agg_answers stays empty here: 0010 replaced it by agg_answer_tallies and fills those.
    from storage.aggregates.rebuild import rebuild_counts

    rebuild_counts(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_schools_place_name", "schools")
    for name in reversed(TABLES):
        op.drop_table(name)

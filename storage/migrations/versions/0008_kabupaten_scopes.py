"""Kabupaten/kota scopes: schools get their BPS kabupaten_code, filled where the name
identifies it (storage/kabupaten.py); auditors and leaders may be scoped to kabupaten/kota
and limited to a set of jenjang.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JENJANG = ("SD", "SMP", "SMA", "SMK", "SLB")


def upgrade() -> None:
    op.add_column("schools", sa.Column("kabupaten_code", sa.String(4), nullable=True))
    op.create_index("ix_schools_kabupaten_code_jenjang", "schools", ["kabupaten_code", "jenjang"])
    op.create_table(
        "user_kabupaten",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kabupaten_code", sa.String(4), primary_key=True),
        sa.CheckConstraint("length(kabupaten_code) = 4", name="ck_user_kabupaten_kabupaten_code"),
    )
    op.create_table(
        "user_jenjang",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("jenjang", sa.String(3), primary_key=True),
        sa.CheckConstraint(f"jenjang IN ({', '.join(repr(j) for j in JENJANG)})", name="ck_user_jenjang_jenjang"),
    )
    from storage.kabupaten import code_for

    bind = op.get_bind()
    schools = sa.table("schools", sa.column("province_code"), sa.column("kabupaten_kota"),
                       sa.column("kabupaten_code"))  # fmt: skip
    places = bind.execute(sa.select(schools.c.province_code, schools.c.kabupaten_kota).distinct()).all()
    for province_code, kabupaten_kota in places:
        code = code_for(province_code, kabupaten_kota)
        if code is not None:
            bind.execute(sa.update(schools).values(kabupaten_code=code).where(
                schools.c.province_code == province_code, schools.c.kabupaten_kota == kabupaten_kota))  # fmt: skip


def downgrade() -> None:
    op.drop_table("user_jenjang")
    op.drop_table("user_kabupaten")
    op.drop_index("ix_schools_kabupaten_code_jenjang", "schools")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("kabupaten_code")

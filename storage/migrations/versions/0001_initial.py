"""Initial tables: provinces, schools, users and scopes, questionnaire versions,
assessments, answers, scores, the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# BPS codes. Frozen here, as a migration must not change when the code does.
PROVINCES = [
    ("11", "Aceh"), ("12", "Sumatera Utara"), ("13", "Sumatera Barat"), ("14", "Riau"),
    ("15", "Jambi"), ("16", "Sumatera Selatan"), ("17", "Bengkulu"), ("18", "Lampung"),
    ("19", "Kepulauan Bangka Belitung"), ("21", "Kepulauan Riau"), ("31", "DKI Jakarta"),
    ("32", "Jawa Barat"), ("33", "Jawa Tengah"), ("34", "DI Yogyakarta"), ("35", "Jawa Timur"),
    ("36", "Banten"), ("51", "Bali"), ("52", "Nusa Tenggara Barat"), ("53", "Nusa Tenggara Timur"),
    ("61", "Kalimantan Barat"), ("62", "Kalimantan Tengah"), ("63", "Kalimantan Selatan"),
    ("64", "Kalimantan Timur"), ("65", "Kalimantan Utara"), ("71", "Sulawesi Utara"),
    ("72", "Sulawesi Tengah"), ("73", "Sulawesi Selatan"), ("74", "Sulawesi Tenggara"),
    ("75", "Gorontalo"), ("76", "Sulawesi Barat"), ("81", "Maluku"), ("82", "Maluku Utara"),
    ("91", "Papua Barat"), ("92", "Papua Barat Daya"), ("94", "Papua"), ("95", "Papua Selatan"),
    ("96", "Papua Tengah"), ("97", "Papua Pegunungan"),
]  # fmt: skip

TS = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    provinces = op.create_table(
        "provinces",
        sa.Column("code", sa.String(2), primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
    )
    op.bulk_insert(provinces, [{"code": c, "name": n} for c, n in PROVINCES])
    op.create_table(
        "questionnaire_versions",
        _id(),
        sa.Column("questionnaire_id", sa.String(80), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_at", TS, nullable=False),
        sa.Column("registered_by", sa.String(60), nullable=False),
        sa.UniqueConstraint("questionnaire_id", "version", name="uq_questionnaire_versions_questionnaire_id_version"),
    )
    op.create_table(
        "users",
        _id(),
        sa.Column("username", sa.String(60), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("national", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", TS),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_sign_in_at", TS),
        sa.CheckConstraint("role IN ('sekolah', 'auditor', 'pimpinan', 'admin')", name="ck_users_role"),
        sa.CheckConstraint("failed_attempts >= 0", name="ck_users_failed_attempts"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("at", TS, nullable=False, index=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), index=True),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.String(80)),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_table(
        "schools",
        _id(),
        sa.Column("npsn", sa.String(8), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("jenjang", sa.String(3), nullable=False),
        sa.Column("status", sa.String(6), nullable=False),
        sa.Column("province_code", sa.String(2), sa.ForeignKey("provinces.code"), nullable=False),
        sa.Column("kabupaten_kota", sa.String(100), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("jenjang IN ('SD', 'SMP', 'SMA', 'SMK', 'SLB')", name="ck_schools_jenjang"),
        sa.CheckConstraint("status IN ('negeri', 'swasta')", name="ck_schools_status"),
        sa.CheckConstraint("length(npsn) = 8", name="ck_schools_npsn_length"),
    )
    op.create_index("ix_schools_province_jenjang", "schools", ["province_code", "jenjang"])
    op.create_index("ix_schools_jenjang", "schools", ["jenjang"])
    op.create_table(
        "user_provinces",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("province_code", sa.String(2), sa.ForeignKey("provinces.code"), primary_key=True),
    )
    op.create_table(
        "user_schools",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("school_id", sa.Integer(), sa.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_user_schools_school_id", "user_schools", ["school_id"])
    op.create_table(
        "assessments",
        _id(),
        sa.Column("school_id", sa.Integer(), sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("questionnaire_id", sa.String(80), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), sa.ForeignKey("questionnaire_versions.id"), nullable=False),
        sa.Column("period", sa.String(6), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("submitted_at", TS),
        sa.Column("reviewed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("reviewed_at", TS),
        sa.Column("return_reasons", sa.Text()),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'verified', 'returned')", name="ck_assessments_status"),
        sa.CheckConstraint("length(period) = 6", name="ck_assessments_period"),
        sa.UniqueConstraint(
            "school_id", "questionnaire_id", "period", name="uq_assessments_school_id_questionnaire_id_period"
        ),
    )
    op.create_index(
        "ix_assessments_questionnaire_period_status", "assessments", ["questionnaire_id", "period", "status"]
    )
    op.create_table(
        "answers",
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("value", sa.SmallInteger()),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.CheckConstraint(
            "(value IS NULL AND not_applicable) OR (value IS NOT NULL AND NOT not_applicable)",
            name="ck_answers_value_or_na",
        ),
    )
    op.create_table(
        "results",
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("score", sa.Float()),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("maturity_level", sa.SmallInteger()),
        sa.Column("readiness_band", sa.String(80)),
        sa.Column("target", sa.Float()),
        sa.Column("gap", sa.Float()),
        sa.Column("completeness", sa.Float(), nullable=False),
        sa.Column("scored_at", TS, nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
    )
    op.create_table(
        "domain_scores",
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("domain_id", sa.String(80), primary_key=True),
        sa.Column("score", sa.Float()),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("maturity_level", sa.SmallInteger()),
        sa.Column("target", sa.Float()),
        sa.Column("gap", sa.Float()),
    )
    _append_only_audit_log()


def _append_only_audit_log() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def downgrade() -> None:
    for table in (
        "domain_scores", "results", "answers", "assessments", "user_schools", "user_provinces",
        "schools", "audit_log", "users", "questionnaire_versions", "provinces", "meta",
    ):  # fmt: skip
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_log_append_only()")

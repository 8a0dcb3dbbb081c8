"""The tables, as typed SQLAlchemy 2 models.

Sized for the whole country: about 440,000 schools, two periods a year and a few
questionnaires, so several million assessments over the years. The indexes
serve the views' queries: schools by province and jenjang, one school's history,
and every stored score of one questionnaire and period.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JENJANG = ("SD", "SMP", "SMA", "SMK", "SLB")
SCHOOL_STATUSES = ("negeri", "swasta")
ASSESSMENT_STATUSES = ("draft", "submitted", "verified", "returned")

# Big ids where the table only grows; SQLite needs INTEGER to auto-increment.
BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in Python on both backends (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("datetimes must be timezone-aware")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Province(Base):
    __tablename__ = "provinces"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # BPS code, e.g. "13"
    name: Mapped[str] = mapped_column(String(60))


class School(Base):
    __tablename__ = "schools"
    __table_args__ = (
        CheckConstraint(_in("jenjang", JENJANG), name="jenjang"),
        CheckConstraint(_in("status", SCHOOL_STATUSES), name="status"),
        CheckConstraint("length(npsn) = 8", name="npsn_length"),
        Index("ix_schools_province_jenjang", "province_code", "jenjang"),
        Index("ix_schools_jenjang", "jenjang"),
        # The auditor's paged table walks this index in its order (storage/school_table.py).
        Index("ix_schools_place_name", "province_code", "kabupaten_kota", "name", "npsn"),
        # A kabupaten/kota scope: its schools, by jenjang (storage/access.py).
        Index("ix_schools_kabupaten_code_jenjang", "kabupaten_code", "jenjang"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    npsn: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    jenjang: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(6))
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    kabupaten_kota: Mapped[str] = mapped_column(String(100))
    # BPS code, e.g. "1371" (Kota Padang); its first two digits are the province's. None: not known.
    kabupaten_code: Mapped[str | None] = mapped_column(String(4))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", ("sekolah", "auditor", "pimpinan", "admin")), name="role"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)  # kept lower-case
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    national: Mapped[bool] = mapped_column(Boolean, default=False)  # pimpinan only: the whole country
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when an admin resets the password: the user must choose their own at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)  # decays: see auth.throttle
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised by sign-out, a password change or reset, deactivation and a role or scope change:
    # a session signed in under an older generation is refused at its next data call.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The belajar.id (OpenID Connect) address linked by an admin, kept lower-case; never from a token alone.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    totp_secret: Mapped[str | None] = mapped_column(String(400))  # Fernet-encrypted (auth.totp)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # a code's step is accepted once
    # Set by an admin's reset: the next password sign-in must enrol again, whatever the role.
    totp_must_enrol: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def __repr__(self) -> str:
        # Never the hash: this string can end up in logs and tracebacks.
        return f"User(id={self.id!r}, username={self.username!r}, role={self.role!r}, active={self.active!r})"


class SignInThrottle(Base):
    """Recent sign-in failures of one remote address or one username (auth.throttle decides)."""

    __tablename__ = "sign_in_throttle"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures"),)
    client_key: Mapped[str] = mapped_column(String(120), primary_key=True)  # "remote:ADDRESS" or "username:NAME"
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(Base):
    """One of an account's one-time TOTP recovery codes, salted and hashed (auth.totp)."""

    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserPreference(Base):
    """A user's own remembered choice, such as the questionnaire in view."""

    __tablename__ = "user_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class UserSchool(Base):
    """An operator's school(s)."""

    __tablename__ = "user_schools"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True, index=True)


class UserProvince(Base):
    """An auditor's provinces, or a provincial leader's province."""

    __tablename__ = "user_provinces"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), primary_key=True)


class UserKabupaten(Base):
    """An auditor's or leader's kabupaten/kota, by BPS code (e.g. a dinas pendidikan kabupaten)."""

    __tablename__ = "user_kabupaten"
    __table_args__ = (CheckConstraint("length(kabupaten_code) = 4", name="kabupaten_code"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kabupaten_code: Mapped[str] = mapped_column(String(4), primary_key=True)


class UserJenjang(Base):
    """The jenjang an auditor's or leader's scope is limited to; none: every jenjang.
    E.g. SD and SMP for a kabupaten dinas, SMA, SMK and SLB for a provincial one."""

    __tablename__ = "user_jenjang"
    __table_args__ = (CheckConstraint(_in("jenjang", JENJANG), name="jenjang"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    jenjang: Mapped[str] = mapped_column(String(3), primary_key=True)


class QuestionnaireVersion(Base):
    """The YAML text exactly as loaded, so every assessment's questionnaire can be recovered."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of yaml_text
    yaml_text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=False)  # the version new assessments use
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(60))


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        # At most one per school, questionnaire and period; also serves a school's history.
        UniqueConstraint("school_id", "questionnaire_id", "period"),
        # Dashboards: every assessment of one questionnaire and period, by status.
        Index("ix_assessments_questionnaire_period_status", "questionnaire_id", "period", "status"),
        CheckConstraint(_in("status", ASSESSMENT_STATUSES), name="status"),
        CheckConstraint("length(period) = 6", name="period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    questionnaire_id: Mapped[str] = mapped_column(String(80))
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    period: Mapped[str] = mapped_column(String(6))  # semester: "2025-1" or "2025-2"
    status: Mapped[str] = mapped_column(String(10), default="draft")
    version: Mapped[int] = mapped_column(Integer)  # optimistic lock: +1 on every change
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reasons: Mapped[str | None] = mapped_column(Text)

    __mapper_args__ = {"version_id_col": version}


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (
        CheckConstraint(
            "(value IS NULL AND not_applicable) OR (value IS NOT NULL AND NOT not_applicable)", name="value_or_na"
        ),
    )
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int | None] = mapped_column(SmallInteger)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class AssessmentResult(Base):
    """The overall result, written with the submission; the full Result is kept as JSON."""

    __tablename__ = "results"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    maturity_level: Mapped[int | None] = mapped_column(SmallInteger)
    readiness_band: Mapped[str | None] = mapped_column(String(80))
    target: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    completeness: Mapped[float] = mapped_column(Float)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    result_json: Mapped[str] = mapped_column(Text)


class DomainScore(Base):
    __tablename__ = "domain_scores"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    domain_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    maturity_level: Mapped[int | None] = mapped_column(SmallInteger)
    target: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)


class AuditEntry(Base):
    """Append-only: triggers refuse UPDATE and DELETE (see the first migration)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(60))  # "system:cli" for the command line
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON; never a password or hash


class Meta(Base):
    """Facts about the database itself, e.g. demo = "true" for the synthetic data set."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

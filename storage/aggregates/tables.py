"""The aggregate tables: small sums over the stored results, kept equal to them on every write.

Each row belongs to one questionnaire version, one period and one group of schools. A group
is a place (the nation, a province, or a kabupaten/kota in it), optionally narrowed to one
jenjang and one status (negeri/swasta); '' in a column means "any". So one scored assessment
counts in 12 groups: 3 places x (any or its jenjang) x (any or its status), and any filter a
dashboard offers reads one group, or a few summed (an auditor's several provinces).

The period LATEST holds each school's latest scored period of the version (the peer medians
on Hasil), for the national groups by jenjang only.

Counts that fall to 0 stay as rows with n = 0; readers skip them. A question whose tallies
fall to 0 leaves its group's JSON object.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..models import Base

ANY = ""
LATEST = "latest"  # six characters, like "2025-1"
BUCKETS_PER_POINT = 10  # overall scores are bucketed by tenths: 0..1000


class GroupKey:
    """The columns that name a version, a period and a group; the first part of every primary key."""

    @declared_attr
    def questionnaire_version_id(cls) -> Mapped[int]:
        # Named short: the naming convention's name would pass PostgreSQL's 63 characters.
        return mapped_column(ForeignKey("questionnaire_versions.id", ondelete="CASCADE",
                                        name=f"fk_{cls.__tablename__}_version"), primary_key=True)  # fmt: skip

    period: Mapped[str] = mapped_column(String(6), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    kabupaten_kota: Mapped[str] = mapped_column(String(100), primary_key=True)
    jenjang: Mapped[str] = mapped_column(String(3), primary_key=True)
    school_status: Mapped[str] = mapped_column(String(6), primary_key=True)


class AggregateCount(GroupKey, Base):
    """Schools per assessment status (submitted, verified), readiness band and overall maturity level."""

    __tablename__ = "agg_counts"
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # status | band | maturity
    value: Mapped[str] = mapped_column(String(80), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class AggregateScoreBucket(GroupKey, Base):
    """Overall scores per tenth of a point: where the median lies, without reading every score."""

    __tablename__ = "agg_score_buckets"
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class AggregateScore(GroupKey, Base):
    """Every distinct overall score (the stored double, exactly) with its count, by bucket:
    the median is read from the one or two buckets that hold the middle."""

    __tablename__ = "agg_scores"
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    score: Mapped[float] = mapped_column(Float, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class AggregateDomainPoints(GroupKey, Base):
    """Domain results by (points, max_points): the exact rational score 100·points/max_points."""

    __tablename__ = "agg_domain_points"
    domain_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    points: Mapped[int] = mapped_column(Integer, primary_key=True)
    max_points: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class AggregateAnswerTallies(GroupKey, Base):
    """Per group, every question's count of schools that answered 0, 1, 2, 3 and 'na' (every scale
    runs 0..3), as one JSON object {question id: [n0, n1, n2, n3, na]}. One row per group, so a
    submission writes 12 rows here, not 12 for each question (984 for 82 questions)."""

    __tablename__ = "agg_answer_tallies"
    tallies: Mapped[str] = mapped_column(Text)


# The tables of plain counts, which add in SQL; the answer tallies add in Python (tallies.py).
COUNT_TABLES = (AggregateCount, AggregateScoreBucket, AggregateScore, AggregateDomainPoints)
TABLES = (*COUNT_TABLES, AggregateAnswerTallies)
KEY_COLUMNS = ("questionnaire_version_id", "period", "province_code", "kabupaten_kota", "jenjang", "school_status")
TALLY_SIZE = 5  # n0, n1, n2, n3, na


def key_columns(table) -> tuple[str, ...]:
    """The primary key in the order rows are written: the group first, then the table's own part."""
    own = [c.name for c in table.__table__.primary_key.columns if c.name not in KEY_COLUMNS]
    return (*KEY_COLUMNS, *own)


def value_columns(table) -> tuple[str, ...]:
    return tuple(c.name for c in table.__table__.columns if not c.primary_key)


def bucket_of(score: float) -> int:
    return min(100 * BUCKETS_PER_POINT, max(0, int(score * BUCKETS_PER_POINT)))


def domain_score(points: int, max_points: int) -> float:
    """The engine's own expression, so the value is the stored double exactly."""
    return 100 * points / max_points

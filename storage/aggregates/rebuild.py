"""Recompute every aggregate from the stored results, inside the database: after a restore,
a migration, or a bulk load that went around the data layer (`python -m storage rebuild-aggregates`).

The finest groups (a kabupaten/kota, one jenjang, one status) are summed from the stored
results in one pass each; the 11 coarser groups are sums of those rows (in SQL for the plain
counts, in Python for the answer tallies' JSON rows).
"""

from __future__ import annotations

from sqlalchemy import Integer, and_, case, cast, delete, func, insert, literal, select
from sqlalchemy.engine import Connection

from ..models import Answer, Assessment, AssessmentResult, DomainScore, School
from . import tallies
from .contributions import SCORED, groups
from .tables import (
    ANY,
    BUCKETS_PER_POINT,
    COUNT_TABLES,
    KEY_COLUMNS,
    LATEST,
    AggregateAnswerTallies,
    AggregateCount,
    AggregateDomainPoints,
    AggregateScore,
    AggregateScoreBucket,
    key_columns,
    value_columns,
)

PLACE = (School.province_code, School.kabupaten_kota, School.jenjang, School.status)


def _bucket(connection: Connection, score):
    scaled = score * BUCKETS_PER_POINT
    # SQLite's CAST truncates, which is the floor for scores >= 0; PostgreSQL's rounds.
    return cast(scaled if connection.dialect.name == "sqlite" else func.floor(scaled), Integer)


def _scored():
    key = (Assessment.questionnaire_version_id, Assessment.period, *PLACE)
    query = (select().select_from(Assessment).join(School, School.id == Assessment.school_id)
             .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
             .where(Assessment.status.in_(SCORED)))  # fmt: skip
    return key, query


def _cells(connection: Connection) -> None:
    key, base = _scored()
    counts = [*key_columns(AggregateCount), "n"]
    for kind, value, extra in (
        ("status", Assessment.status, None),
        ("band", AssessmentResult.readiness_band, AssessmentResult.readiness_band.is_not(None)),
        ("maturity", cast(AssessmentResult.maturity_level, AggregateCount.value.type),
         AssessmentResult.maturity_level.is_not(None)),
    ):  # fmt: skip
        query = base.add_columns(*key, literal(kind), value, func.count()).group_by(*key, value)
        connection.execute(insert(AggregateCount).from_select(counts, query if extra is None else query.where(extra)))
    bucket = _bucket(connection, AssessmentResult.score)
    scored = base.where(AssessmentResult.score.is_not(None))
    connection.execute(insert(AggregateScoreBucket).from_select(
        [*KEY_COLUMNS, "bucket", "n"], scored.add_columns(*key, bucket, func.count()).group_by(*key, bucket)))
    connection.execute(insert(AggregateScore).from_select(
        [*KEY_COLUMNS, "bucket", "score", "n"],
        scored.add_columns(*key, bucket, AssessmentResult.score, func.count()).group_by(*key, AssessmentResult.score)))
    domains = base.join(DomainScore, and_(DomainScore.assessment_id == Assessment.id, DomainScore.max_points > 0))
    point_key = (DomainScore.domain_id, DomainScore.points, DomainScore.max_points)
    connection.execute(insert(AggregateDomainPoints).from_select(
        [*KEY_COLUMNS, "domain_id", "points", "max_points", "n"],
        domains.add_columns(*key, *point_key, func.count()).group_by(*key, *point_key)))


def _answer_tallies(connection: Connection) -> None:
    """The finest groups' per-question counts, summed in SQL; folded into every group in Python."""
    key, base = _scored()
    answers = base.join(Answer, Answer.assessment_id == Assessment.id)
    counts = [func.sum(case((and_(Answer.not_applicable.is_(False), Answer.value == v), 1), else_=0))
              for v in range(4)] + [func.sum(case((Answer.not_applicable.is_(True), 1), else_=0))]
    finest = answers.add_columns(*key, Answer.question_id, *counts).group_by(*key, Answer.question_id)
    tallies.write_rebuilt(connection, connection.execute(finest), groups)


# Which of province, kabupaten/kota, jenjang and status each coarser group keeps.
COARSER = [(p, k, j, s) for p, k in ((False, False), (True, False), (True, True))
           for j in (False, True) for s in (False, True) if not (k and j and s)]  # fmt: skip


def _roll_up(connection: Connection) -> None:
    """The 11 coarser groups: sums of the finest ones (kabupaten/kota, jenjang and status all set)."""
    for table in COUNT_TABLES:
        t = table.__table__
        rest = [t.c[k] for k in key_columns(table)[len(KEY_COLUMNS):]]
        values = [t.c[v] for v in value_columns(table)]
        finest = and_(t.c.period != LATEST, *(t.c[k] != ANY for k in KEY_COLUMNS[2:]))
        for kept in COARSER:
            place = [t.c[k] if keep else literal(ANY) for k, keep in zip(KEY_COLUMNS[2:], kept, strict=True)]
            grouped = [t.c[k] for k, keep in zip(KEY_COLUMNS[2:], kept, strict=True) if keep]
            query = (select(t.c.questionnaire_version_id, t.c.period, *place, *rest, *(func.sum(v) for v in values))
                     .where(finest).group_by(t.c.questionnaire_version_id, t.c.period, *grouped, *rest))  # fmt: skip
            connection.execute(insert(t).from_select([*key_columns(table), *value_columns(table)], query))


def _latest(connection: Connection) -> None:
    """Each school's latest scored assessment per version, in the national groups by jenjang."""
    latest = (select(Assessment.school_id, Assessment.questionnaire_version_id,
                     func.max(Assessment.period).label("period"))
              .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
              .where(Assessment.status.in_(SCORED))
              .group_by(Assessment.school_id, Assessment.questionnaire_version_id).subquery())  # fmt: skip
    base = (select().select_from(Assessment)
            .join(latest, and_(latest.c.school_id == Assessment.school_id, latest.c.period == Assessment.period,
                               latest.c.questionnaire_version_id == Assessment.questionnaire_version_id))
            .join(School, School.id == Assessment.school_id)
            .where(Assessment.status.in_(SCORED)))  # fmt: skip
    key = (Assessment.questionnaire_version_id, literal(LATEST), literal(ANY), literal(ANY), School.jenjang,
           literal(ANY))  # fmt: skip
    grouped = (Assessment.questionnaire_version_id, School.jenjang)
    connection.execute(insert(AggregateCount).from_select(
        [*key_columns(AggregateCount), "n"],
        base.add_columns(*key, literal("status"), Assessment.status, func.count())
        .group_by(*grouped, Assessment.status)))
    domains = base.join(DomainScore, and_(DomainScore.assessment_id == Assessment.id, DomainScore.max_points > 0))
    point_key = (DomainScore.domain_id, DomainScore.points, DomainScore.max_points)
    connection.execute(insert(AggregateDomainPoints).from_select(
        [*KEY_COLUMNS, "domain_id", "points", "max_points", "n"],
        domains.add_columns(*key, *point_key, func.count()).group_by(*grouped, *point_key)))  # fmt: skip


def rebuild_counts(connection: Connection) -> None:
    """The tables of plain counts only (migration 0006 ran this before the tallies' table existed)."""
    for table in COUNT_TABLES:
        connection.execute(delete(table))
    _cells(connection)
    _roll_up(connection)
    _latest(connection)


def rebuild_aggregates(connection: Connection) -> None:
    """Delete every aggregate row and compute them again, in the caller's transaction."""
    rebuild_counts(connection)
    connection.execute(delete(AggregateAnswerTallies))
    _answer_tallies(connection)

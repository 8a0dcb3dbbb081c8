"""What one scored assessment adds to the aggregate tables, and writing a difference of those.

A change to a result is applied as after − before: the contribution of the changed
assessments as the database held them before, subtracted, and as it holds them now, added.
Every path (submit, verify, return, bulk import, a school moved to another group, a
questionnaire version changed) is then the same arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import TextClause, select, text
from sqlalchemy.orm import Session

from ..models import Answer, Assessment, AssessmentResult, DomainScore, School
from . import tallies
from .tables import (
    ANY,
    COUNT_TABLES,
    LATEST,
    TALLY_SIZE,
    AggregateAnswerTallies,
    AggregateCount,
    AggregateDomainPoints,
    AggregateScore,
    AggregateScoreBucket,
    bucket_of,
    key_columns,
    value_columns,
)

SCORED = ("submitted", "verified")
CHUNK = 500  # SQLite limits the bound values per query

# (table name, primary key values) -> counts (one value; for the answer tallies the key is the
# group and the question id, and the counts are five)
Rows = dict[tuple[str, tuple], list[int]]


def groups(province: str, kab: str, jenjang: str, status: str) -> list[tuple[str, str, str, str]]:
    """The 12 groups one school counts in."""
    places = ((ANY, ANY), (province, ANY), (province, kab))
    return [(p, k, j, s) for p, k in places for j in (ANY, jenjang) for s in (ANY, status)]


def _add(rows: Rows, table, key: tuple, values: Iterable[int], sign: int = 1) -> None:
    counts = rows.setdefault((table.__tablename__, key), [0] * (TALLY_SIZE if table is AggregateAnswerTallies else 1))
    for i, v in enumerate(values):
        counts[i] += sign * v


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def contribution(session: Session, assessment_ids: Iterable[int], *, latest: bool = False) -> Rows:
    """The rows these assessments make, as the database holds them now (only scored ones count).
    latest=True: only the rows of the LATEST period (see latest_contribution)."""
    rows: Rows = {}
    ids = sorted(set(assessment_ids))
    facts = {}
    for chunk in _chunks(ids):
        facts.update((r[0], r[1:]) for r in session.execute(
            select(Assessment.id, Assessment.questionnaire_version_id, Assessment.period, Assessment.status,
                   School.province_code, School.kabupaten_kota, School.jenjang, School.status,
                   AssessmentResult.score, AssessmentResult.readiness_band, AssessmentResult.maturity_level)
            .join(School, School.id == Assessment.school_id)
            .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
            .where(Assessment.id.in_(chunk), Assessment.status.in_(SCORED))))  # fmt: skip
    keys = {}
    for aid, fact in facts.items():
        version_id, period, status, province, kab, jenjang, school_status, score, band, maturity = fact
        if latest:
            if jenjang:
                keys[aid] = [(version_id, LATEST, ANY, ANY, jenjang, ANY)]
                _add(rows, AggregateCount, (*keys[aid][0], "status", status), (1,))
            continue
        keys[aid] = [(version_id, period, *g) for g in groups(province, kab, jenjang, school_status)]
        for key in keys[aid]:
            _add(rows, AggregateCount, (*key, "status", status), (1,))
            if band is not None:
                _add(rows, AggregateCount, (*key, "band", band), (1,))
            if maturity is not None:
                _add(rows, AggregateCount, (*key, "maturity", str(maturity)), (1,))
            if score is not None:
                _add(rows, AggregateScoreBucket, (*key, bucket_of(score)), (1,))
                _add(rows, AggregateScore, (*key, bucket_of(score), score), (1,))
    scored = sorted(keys)
    for chunk in _chunks(scored):
        for aid, domain_id, points, max_points in session.execute(
            select(DomainScore.assessment_id, DomainScore.domain_id, DomainScore.points, DomainScore.max_points)
            .where(DomainScore.assessment_id.in_(chunk), DomainScore.max_points > 0)
        ):  # fmt: skip
            for key in keys[aid]:
                _add(rows, AggregateDomainPoints, (*key, domain_id, points, max_points), (1,))
        if latest:
            continue
        for aid, question_id, value, na in session.execute(
            select(Answer.assessment_id, Answer.question_id, Answer.value, Answer.not_applicable)
            .where(Answer.assessment_id.in_(chunk))
        ):  # fmt: skip
            vector = (0, 0, 0, 0, 1) if na else tuple(int(value == v) for v in range(4)) + (0,)
            for key in keys[aid]:
                _add(rows, AggregateAnswerTallies, (*key, question_id), vector)
    return rows


def latest_of(session: Session, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """For (school id, questionnaire version id) pairs: the assessment of the latest scored period."""
    found = []
    for school_id, version_id in sorted(set(pairs)):
        aid = session.scalar(
            select(Assessment.id)
            .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
            .where(Assessment.school_id == school_id, Assessment.questionnaire_version_id == version_id,
                   Assessment.status.in_(SCORED))
            .order_by(Assessment.period.desc()).limit(1))  # fmt: skip
        if aid is not None:
            found.append(aid)
    return found


def latest_contribution(session: Session, pairs: Iterable[tuple[int, int]]) -> Rows:
    """The LATEST period's rows: each school's latest scored assessment of a version, in the
    national groups by jenjang, for its count and its domain results (the peer medians)."""
    return contribution(session, latest_of(session, pairs), latest=True)


def difference(after: Rows, before: Rows) -> Rows:
    if not before:  # a first submission, or one after a return: nothing to subtract
        return {k: v for k, v in after.items() if any(v)}
    out: Rows = {}
    for k in after.keys() | before.keys():
        a, b = after.get(k), before.get(k)
        delta = [x - y for x, y in zip(a or [0] * len(b), b or [0] * len(a), strict=True)]
        if any(delta):
            out[k] = delta
    return out


_BY_NAME = {t.__tablename__: t for t in COUNT_TABLES}


def _columns(table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return key_columns(table), value_columns(table)


def apply(session: Session, rows: Rows) -> None:
    """Add these counts to the tables (insert a row, or add to the one there), in key order
    so that concurrent writers take row locks in the same order."""
    by_table: dict[str, list] = defaultdict(list)
    for (table, key), counts in rows.items():
        by_table[table].append((key, counts))
    postgres = session.get_bind().dialect.name == "postgresql"
    for name in sorted(by_table):
        if name == tallies.NAME:
            tallies.apply_tallies(session, by_table[name])
            continue
        table = _BY_NAME[name]
        keys, values = _columns(table)
        ordered = sorted(by_table[name])
        if postgres:  # one statement over arrays: an executemany of upserts costs a round trip per row
            columns = list(zip(*((*key, *counts) for key, counts in ordered), strict=True))
            session.execute(_unnest_upsert(table), {f"c{i}": _array_literal(c) for i, c in enumerate(columns)})
            continue
        # The driver's executemany of one prepared statement: SQLAlchemy's per-row parameter
        # processing cost more than the writes.
        session.connection().exec_driver_sql(_sqlite_upsert(table), [(*key, *counts) for key, counts in ordered])


def _sqlite_upsert(table) -> str:
    keys, values = _columns(table)
    added = ", ".join(f"{v} = {table.__tablename__}.{v} + excluded.{v}" for v in values)
    # Only our own table and column names go into the text; the values are bound.
    return (f"INSERT INTO {table.__tablename__} ({', '.join(keys + values)}) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in keys + values)}) ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}")


def _array_literal(values) -> str:
    """A PostgreSQL array literal: one text parameter per column instead of a list the driver
    adapts element by element (that adaptation cost more than the upsert). Strings are quoted
    and escaped; a float's repr reads back as the same double."""
    def element(v) -> str:
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return repr(v)

    return "{" + ",".join(map(element, values)) + "}"


_ARRAY_TYPES = {"INTEGER": "integer[]", "SMALLINT": "smallint[]", "FLOAT": "float8[]"}


def _unnest_upsert(table) -> TextClause:
    """INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE, adding the counts (PostgreSQL)."""
    keys, values = _columns(table)
    names = keys + values
    casts = [f"CAST(:c{i} AS {_ARRAY_TYPES.get(str(table.__table__.c[n].type).split('(')[0], 'text[]')})"
             for i, n in enumerate(names)]  # fmt: skip
    added = ", ".join(f"{v} = {table.__tablename__}.{v} + excluded.{v}" for v in values)
    # Only our own table and column names go into the text; the values are bound arrays.
    sql = (f"INSERT INTO {table.__tablename__} ({', '.join(names)}) SELECT * FROM unnest({', '.join(casts)}) "  # noqa: S608
           f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}")  # fmt: skip
    return text(sql)


def table_rows(session: Session, table) -> Rows:
    """Every non-zero row of one table, as Rows (for tests and the rebuild check)."""
    keys, values = _columns(table)
    out: Rows = {}
    for row in session.execute(select(*(table.__table__.c[k] for k in keys + values))):
        counts = list(row[len(keys):])
        if any(counts):
            out[(table.__tablename__, tuple(row[: len(keys)]))] = counts
    return out


def all_rows(session: Session) -> Rows:
    out: Rows = {}
    for table in COUNT_TABLES:
        out.update(table_rows(session, table))
    out.update(tallies.unfold(session))
    return out


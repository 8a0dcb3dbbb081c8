"""What one scored assessment adds to the aggregate tables, and writing a difference of those.

A change to a result is applied as after − before: the contribution of the changed
assessments as the database held them before, subtracted, and as it holds them now, added.
Every path (submit, verify, return, bulk import, a school moved to another group, a
questionnaire version changed) is then the same arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
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
from .upsert import add_counts

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


def contribution(session: Session, assessment_ids: Iterable[int], pairs: Iterable[tuple[int, int]] = ()) -> Rows:
    """The rows these assessments make, as the database holds them now (only scored ones count),
    and the LATEST period's rows of each (school id, questionnaire version id) pair: the latest
    scored assessment of that version, in the national groups by jenjang, for its count and
    its domain results (the peer medians). Read over the connection: the caller flushed."""
    connection = session.connection()
    full = set(assessment_ids)
    latest = set(latest_of(connection, pairs))
    facts = {}
    for chunk in _chunks(sorted(full | latest)):
        facts.update((r[0], r[1:]) for r in connection.execute(
            select(Assessment.id, Assessment.questionnaire_version_id, Assessment.period, Assessment.status,
                   School.province_code, School.kabupaten_kota, School.jenjang, School.status,
                   AssessmentResult.score, AssessmentResult.readiness_band, AssessmentResult.maturity_level)
            .join(School, School.id == Assessment.school_id)
            .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
            .where(Assessment.id.in_(chunk), Assessment.status.in_(SCORED))))  # fmt: skip
    rows: Rows = {}
    keys: dict[int, list[tuple]] = defaultdict(list)  # the groups an assessment's domain results go to
    answer_keys: dict[int, list[tuple]] = {}  # and its answers (not LATEST)
    for aid, fact in facts.items():
        version_id, period, status, province, kab, jenjang, school_status, score, band, maturity = fact
        if aid in latest and jenjang:
            key = (version_id, LATEST, ANY, ANY, jenjang, ANY)
            keys[aid].append(key)
            _add(rows, AggregateCount, (*key, "status", status), (1,))
        if aid not in full:
            continue
        answer_keys[aid] = [(version_id, period, *g) for g in groups(province, kab, jenjang, school_status)]
        keys[aid].extend(answer_keys[aid])
        for key in answer_keys[aid]:
            _add(rows, AggregateCount, (*key, "status", status), (1,))
            if band is not None:
                _add(rows, AggregateCount, (*key, "band", band), (1,))
            if maturity is not None:
                _add(rows, AggregateCount, (*key, "maturity", str(maturity)), (1,))
            if score is not None:
                _add(rows, AggregateScoreBucket, (*key, bucket_of(score)), (1,))
                _add(rows, AggregateScore, (*key, bucket_of(score), score), (1,))
    for chunk in _chunks(sorted(keys)):
        for aid, domain_id, points, max_points in connection.execute(
            select(DomainScore.assessment_id, DomainScore.domain_id, DomainScore.points, DomainScore.max_points)
            .where(DomainScore.assessment_id.in_(chunk), DomainScore.max_points > 0)
        ):  # fmt: skip
            for key in keys[aid]:
                _add(rows, AggregateDomainPoints, (*key, domain_id, points, max_points), (1,))
    _add_tallies(connection, rows, answer_keys)
    return rows


def _add_tallies(connection, rows: Rows, keys: dict[int, list[tuple]]) -> None:
    """Each answer counted in its slot of [n0, n1, n2, n3, na], in each of its assessment's groups."""
    name = AggregateAnswerTallies.__tablename__
    for chunk in _chunks(sorted(keys)):
        for aid, question_id, value, na in connection.execute(
            select(Answer.assessment_id, Answer.question_id, Answer.value, Answer.not_applicable)
            .where(Answer.assessment_id.in_(chunk))
        ):  # fmt: skip
            slot = 4 if na else value if value in (0, 1, 2, 3) else None
            if slot is None:  # a value outside the scale counts nowhere, as in the rebuild
                continue
            for key in keys[aid]:
                counts = rows.get((name, (*key, question_id)))
                if counts is None:
                    counts = rows[(name, (*key, question_id))] = [0] * TALLY_SIZE
                counts[slot] += 1


def latest_of(connection, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """For (school id, questionnaire version id) pairs: the assessment of the latest scored period.
    One query per chunk of schools (a bulk import names hundreds); a school has a few scored
    assessments, one per version and period."""
    wanted = set(pairs)
    best: dict[tuple[int, int], tuple[str, int]] = {}
    for chunk in _chunks(sorted({school_id for school_id, _ in wanted})):
        for school_id, version_id, period, aid in connection.execute(
            select(Assessment.school_id, Assessment.questionnaire_version_id, Assessment.period, Assessment.id)
            .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
            .where(Assessment.school_id.in_(chunk), Assessment.status.in_(SCORED))
        ):  # fmt: skip
            pair = (school_id, version_id)
            if pair in wanted and (pair not in best or period > best[pair][0]):
                best[pair] = (period, aid)
    return [aid for _, aid in best.values()]


def difference(after: Rows, before: Rows) -> Rows:
    out: Rows = {}
    for k, a in after.items():
        b = before.get(k)
        delta = a if b is None else [x - y for x, y in zip(a, b, strict=True)]
        if any(delta):
            out[k] = delta
    for k, b in before.items():
        if k not in after and any(b):
            out[k] = [-y for y in b]
    return out


_BY_NAME = {t.__tablename__: t for t in COUNT_TABLES}


def apply(session: Session, rows: Rows) -> None:
    """Add these counts to the tables (insert a row, or add to the one there)."""
    by_table: dict[str, list] = defaultdict(list)
    for (table, key), counts in rows.items():
        by_table[table].append((key, counts))
    for name in sorted(by_table):
        if name == tallies.NAME:
            tallies.apply_tallies(session, by_table[name])
        else:
            table = _BY_NAME[name]
            add_counts(session.connection(), table, key_columns(table), [(*k, *c) for k, c in by_table[name]])


def table_rows(session: Session, table) -> Rows:
    """Every non-zero row of one table, as Rows (for tests and the rebuild check)."""
    keys, values = key_columns(table), value_columns(table)
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


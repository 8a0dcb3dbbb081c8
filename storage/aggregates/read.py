"""Reading the aggregate tables: counts, exact medians and answer tallies over a selection of
groups, summed in the database. A national dashboard reads a few thousand small rows.

A selection is a set of versions, one or more periods, one or more places (the nation, a
province, a kabupaten/kota) and optionally one jenjang and one status. `by` splits the
result by one more column (period, province_code, kabupaten_kota, jenjang or school_status).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from .tables import (
    ANY,
    AggregateAnswerTallies,
    AggregateCount,
    AggregateDomainPoints,
    AggregateScore,
    AggregateScoreBucket,
    domain_score,
)
from .tallies import sum_tallies

Place = tuple[str, str]  # (province code, kabupaten/kota); ANY for "any"
NATION: Place = (ANY, ANY)


@dataclass(frozen=True)
class Selection:
    version_ids: Sequence[int]
    periods: Sequence[str]
    places: Sequence[Place]  # summed; empty selects nothing
    jenjang: str | tuple[str, ...] = ANY  # a tuple: those jenjang summed (a scope limited to them)
    school_status: str = ANY


def _where(t, sel: Selection, by: str | None) -> list[ColumnElement[bool]]:
    found = [t.c.questionnaire_version_id.in_(list(sel.version_ids)), t.c.period.in_(list(sel.periods))]
    if by == "province_code":  # every province of the selection's places, each on its own
        found += [t.c.province_code != ANY, t.c.kabupaten_kota == ANY]
        provinces = sorted({p for p, _ in sel.places if p != ANY})
        if provinces:
            found.append(t.c.province_code.in_(provinces))
        elif NATION not in sel.places:
            found.append(t.c.province_code.in_([]))
    elif by == "kabupaten_kota":  # inside the selection's provinces
        provinces = sorted({p for p, _ in sel.places})
        found += [t.c.province_code.in_(provinces), t.c.kabupaten_kota != ANY]
    else:
        found.append(or_(*(and_(t.c.province_code == p, t.c.kabupaten_kota == k) for p, k in sel.places))
                     if sel.places else t.c.province_code.in_([]))  # fmt: skip
    for column, value in (("jenjang", sel.jenjang), ("school_status", sel.school_status)):
        if isinstance(value, tuple):  # each school counts in one jenjang group: their sum counts each once
            found.append(t.c[column].in_(list(value)))
        else:  # split by a column the selection already fixes: that one group only
            found.append(t.c[column] != ANY if by == column and value == ANY else t.c[column] == value)
    return found


def _by(t, by: str | None) -> list:
    return [t.c[by]] if by else []


def counts(session: Session, sel: Selection, kind: str, by: str | None = None) -> dict[str, dict[str, int]]:
    """group (the `by` value, '' without one) -> value -> schools, for kind status, band or maturity."""
    t = AggregateCount.__table__
    query = (select(*_by(t, by), t.c.value, func.sum(t.c.n)).where(t.c.kind == kind, *_where(t, sel, by))
             .group_by(*_by(t, by), t.c.value))  # fmt: skip
    out: dict[str, dict[str, int]] = {}
    for row in session.execute(query):
        group, value, n = (row[0], row[1], row[2]) if by else (ANY, row[0], row[1])
        if n:
            out.setdefault(group, {})[value] = int(n)
    return out


def _middle_positions(total: int) -> tuple[int, int]:
    return (total - 1) // 2, total // 2


def _median(counted: list[tuple[float, int]], skipped: int, total: int) -> float:
    """The median of `total` values, of which the `skipped` smallest lie before `counted`
    (ascending values with their counts)."""
    wanted, seen, picked = _middle_positions(total), skipped, []
    for value, n in counted:
        picked += [value] * sum(1 for w in wanted if seen <= w < seen + n)
        seen += n
    return (picked[0] + picked[1]) / 2


def median_scores(session: Session, sel: Selection, by: str | None = None) -> dict[str, tuple[float, int]]:
    """group -> (exact median overall score, schools with a score). The bucket counts say in which
    one or two tenths of a point the middle lies; only those buckets' exact scores are read."""
    tb, ts = AggregateScoreBucket.__table__, AggregateScore.__table__
    buckets: dict[str, list[tuple[int, int]]] = {}
    query = (select(*_by(tb, by), tb.c.bucket, func.sum(tb.c.n)).where(*_where(tb, sel, by))
             .group_by(*_by(tb, by), tb.c.bucket).order_by(*_by(tb, by), tb.c.bucket))  # fmt: skip
    for row in session.execute(query):
        group, bucket, n = (row[0], row[1], row[2]) if by else (ANY, row[0], row[1])
        if n:
            buckets.setdefault(group, []).append((bucket, int(n)))
    wanted: dict[str, tuple[int, list[int]]] = {}  # group -> (values before the buckets, buckets)
    for group, found in buckets.items():
        total = sum(n for _, n in found)
        low, high = _middle_positions(total)
        seen, before, picked = 0, 0, []
        for bucket, n in found:
            if seen + n > low and seen <= high:
                before = before if picked else seen
                picked.append(bucket)
            seen += n
        wanted[group] = (before, picked)
    all_buckets = sorted({b for _, picked in wanted.values() for b in picked})
    scores: dict[str, list[tuple[float, int]]] = {}
    if all_buckets:
        query = (select(*_by(ts, by), ts.c.bucket, ts.c.score, func.sum(ts.c.n))
                 .where(*_where(ts, sel, by), ts.c.bucket.in_(all_buckets))
                 .group_by(*_by(ts, by), ts.c.bucket, ts.c.score).order_by(*_by(ts, by), ts.c.score))  # fmt: skip
        for row in session.execute(query):
            group, bucket, value, n = (row[0], row[1], row[2], row[3]) if by else (ANY, *row)
            if n and group in wanted and bucket in wanted[group][1]:
                scores.setdefault(group, []).append((value, int(n)))
    out = {}
    for group, found in buckets.items():
        total = sum(n for _, n in found)
        out[group] = (_median(scores[group], wanted[group][0], total), total)
    return out


def domain_medians(session: Session, sel: Selection, by: str | None = None) -> dict[str, dict[str, tuple[float, int]]]:
    """group -> domain id -> (exact median domain score, schools with a score in it)."""
    t = AggregateDomainPoints.__table__
    query = (select(*_by(t, by), t.c.domain_id, t.c.points, t.c.max_points, func.sum(t.c.n))
             .where(*_where(t, sel, by)).group_by(*_by(t, by), t.c.domain_id, t.c.points, t.c.max_points))
    found: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for row in session.execute(query):
        group, domain_id, points, max_points, n = row if by else (ANY, *row)
        if n:
            found.setdefault((group, domain_id), []).append((domain_score(points, max_points), int(n)))
    out: dict[str, dict[str, tuple[float, int]]] = {}
    for (group, domain_id), counted in found.items():
        counted.sort()
        total = sum(n for _, n in counted)
        out.setdefault(group, {})[domain_id] = (_median(counted, 0, total), total)
    return out


def answer_tallies(session: Session, sel: Selection) -> dict[str, tuple[int, int, int, int, int]]:
    """question id -> schools that answered 0, 1, 2, 3 and 'na'."""
    t = AggregateAnswerTallies.__table__
    return {q: tuple(v) for q, v in sum_tallies(session, _where(t, sel, None)).items()}


def periods(session: Session, version_ids: Sequence[int], up_to: str, limit: int) -> list[str]:
    """The latest `limit` periods up to `up_to` with any scored assessment, newest first."""
    t = AggregateCount.__table__
    query = (select(t.c.period).distinct()
             .where(t.c.questionnaire_version_id.in_(list(version_ids)), t.c.period <= up_to, t.c.period != "latest",
                    t.c.province_code == ANY, t.c.jenjang == ANY, t.c.school_status == ANY, t.c.kind == "status",
                    t.c.n > 0)
             .order_by(t.c.period.desc()).limit(limit))  # fmt: skip
    return list(session.scalars(query))

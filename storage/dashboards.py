"""Aggregates for the auditors' comparisons and the leaders' dashboards.

They read stored scores and answers and never score again. Every aggregate says
how many schools it is built from and is withheld (value None) below
MIN_SCHOOLS, here where it is computed, so no view can point at one school
through a median, a distribution or a ranking. Medians are computed inside the
database (window functions work on SQLite and PostgreSQL alike), so a national
dashboard moves a few hundred rows, not a million.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .aggregates import MIN_SCHOOLS
from .assessments import check_period
from .models import Answer, Assessment, AssessmentResult, DomainScore, Province, School
from .results import SCORED
from .school_table import ANY_SCHOOL, SchoolFilter, SchoolRow, conditions, rows
from .tx import unit_of_work

T = TypeVar("T")
WEAKEST = 10
TREND_PERIODS = 6  # three school years
# Every answer scale runs from 0 to 3 (the questionnaire schema requires both ends).
TOP_VALUE = 3


@dataclass(frozen=True)
class Aggregate(Generic[T]):
    """A figure over `schools` schools; `value` is None when it is withheld (too few schools)."""

    schools: int
    value: T | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None


def gated(schools: int, make: Callable[[], T]) -> Aggregate[T]:
    return Aggregate(schools, make() if schools >= MIN_SCHOOLS else None)


@dataclass(frozen=True)
class GroupMedian:
    key: str  # province code, kabupaten/kota, jenjang or status
    name: str
    schools: int
    median: float | None  # None: fewer than MIN_SCHOOLS schools


@dataclass(frozen=True)
class TrendPoint:
    period: str
    schools: int
    median: float | None
    domains: dict[str, float]  # median per domain; only domains with enough schools


@dataclass(frozen=True)
class QuestionFigure:
    """One question over the selection: how many schools answered it (not 'na'),
    how many of those answered below 2, and the mean answer as a share of the top value."""

    question_id: str
    answered: int
    below_two: int
    mean_share: float


@dataclass(frozen=True)
class Dashboard:
    questionnaire_id: str
    period: str
    registered: int  # schools in scope that fit the filter
    assessed: int  # of them, with a submitted or verified assessment this period
    verified: int
    median_score: Aggregate[float]
    bands: Aggregate[dict[str, int]]  # band id -> schools
    median_domains: Aggregate[dict[str, float]]
    ranking: list[GroupMedian]  # provinces; inside one province its kabupaten/kota; inside those, none
    bands_by_jenjang: dict[str, Aggregate[dict[str, int]]]
    bands_by_status: dict[str, Aggregate[dict[str, int]]]
    trend: list[TrendPoint]
    weakest: Aggregate[list[QuestionFigure]]


def _scored(questionnaire_id: str, where: list[ColumnElement[bool]], period: str | None,
            filters: SchoolFilter | None = None) -> Select:  # fmt: skip
    """FROM schools with their submitted or verified assessment (of `period`, or of every period),
    and its overall result. Given `filters` that do not need the result, the result is left out:
    its rows are large (the full result as JSON), and domain scores and answers do not need them."""
    on = [Assessment.school_id == School.id, Assessment.questionnaire_id == questionnaire_id,
          Assessment.status.in_(SCORED)]  # fmt: skip
    if period is not None:
        on.append(Assessment.period == period)
    query = select(School.id).select_from(School).join(Assessment, and_(*on))
    if filters is None or filters.readiness_band is not None:
        query = query.join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
    return query.where(*where)


def _medians(session: Session, base: Select, value, groups: Sequence) -> dict[tuple, tuple[float, int]]:
    """group values -> (median of `value`, how many non-null values).

    The database counts each distinct value per group (scores take few distinct
    values), and the exact median is read off those counts: one sort in the
    database and a few hundred rows to Python, on SQLite and PostgreSQL alike."""
    query = (base.with_only_columns(*groups, value, func.count()).where(value.is_not(None))
             .group_by(*groups, value).order_by(*groups, value))  # fmt: skip
    counts: dict[tuple, list[tuple[float, int]]] = {}
    for row in session.execute(query):
        counts.setdefault(tuple(row[:-2]), []).append((row[-2], row[-1]))
    return {group: (_middle(found), sum(n for _, n in found)) for group, found in counts.items()}


def _middle(counted: list[tuple[float, int]]) -> float:
    """The median of values given in ascending order with their counts."""
    total = sum(n for _, n in counted)
    wanted, seen, picked = ((total - 1) // 2, total // 2), 0, []
    for value, n in counted:
        picked += [value] * sum(1 for w in wanted if seen <= w < seen + n)
        seen += n
    return (picked[0] + picked[1]) / 2


def _shown_median(found: tuple[float | None, int] | None) -> tuple[float | None, int]:
    if found is None:
        return None, 0
    median, schools = found
    return (median if schools >= MIN_SCHOOLS else None), schools


def _domain_medians(session: Session, base: Select, extra: Sequence = ()) -> dict[tuple, dict[str, float]]:
    """(extra group values) -> domain id -> median, for domains with enough schools."""
    found = _medians(session, base.join(DomainScore, DomainScore.assessment_id == Assessment.id),
                     DomainScore.score, [*extra, DomainScore.domain_id])  # fmt: skip
    out: dict[tuple, dict[str, float]] = {}
    for (*group, domain_id), (median, schools) in found.items():
        if schools >= MIN_SCHOOLS:
            out.setdefault(tuple(group), {})[domain_id] = median
    return out


def _band_counts(session: Session, base: Select, group=None) -> dict[object, Aggregate[dict[str, int]]]:
    columns = [group] if group is not None else []
    query = base.with_only_columns(*columns, AssessmentResult.readiness_band, func.count()) \
        .group_by(*columns, AssessmentResult.readiness_band)  # fmt: skip
    counts: dict[object, dict[str, int]] = {}
    for row in session.execute(query):
        key = row[0] if group is not None else None
        if row[-2] is not None:
            counts.setdefault(key, {})[row[-2]] = row[-1]
    found = {key: gated(sum(c.values()), lambda c=c: c) for key, c in counts.items()}
    # The groups add up to the shown whole: withheld groups of fewer than MIN_SCHOOLS schools in all
    # would be the whole minus the shown ones, so the smallest shown ones are withheld too.
    withheld = sum(a.schools for a in found.values() if not a.shown)
    for key in sorted((k for k, a in found.items() if a.shown), key=lambda k: (found[k].schools, str(k))):
        if not 0 < withheld < MIN_SCHOOLS:
            break
        found[key] = Aggregate(found[key].schools)
        withheld += found[key].schools
    return found


def _question_figures(session: Session, base: Select, schools: int) -> Aggregate[list[QuestionFigure]]:
    if schools < MIN_SCHOOLS:
        return Aggregate(schools)
    query = (base.join(Answer, Answer.assessment_id == Assessment.id)
             .where(Answer.not_applicable.is_(False))
             .with_only_columns(Answer.question_id, func.count(), func.sum(case((Answer.value < 2, 1), else_=0)),
                                func.avg(Answer.value))
             .group_by(Answer.question_id))  # fmt: skip
    figures = [QuestionFigure(qid, answered, int(below), float(mean) / TOP_VALUE)
               for qid, answered, below, mean in session.execute(query) if answered >= MIN_SCHOOLS]  # fmt: skip
    return Aggregate(schools, figures)


def _count(session: Session, base: Select) -> int:
    return session.scalar(base.with_only_columns(func.count())) or 0


@unit_of_work()
def domain_spread(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL
) -> Aggregate[list[SchoolRow]]:
    """The filter's scored schools, for a box plot per domain; withheld below MIN_SCHOOLS schools,
    and so is a domain scored by fewer (its key leaves every row's `domains`)."""
    authorize(session, actor, Action.READ, "scores")
    scored = [r for r in rows(session, actor, questionnaire_id, period, filters) if r.scored]
    return gated(len(scored), lambda: _thin_domains(scored))


def _thin_domains(scored: list[SchoolRow]) -> list[SchoolRow]:
    counts = Counter(d for r in scored for d, score in r.domains.items() if score is not None)
    kept = {d for d, n in counts.items() if n >= MIN_SCHOOLS}
    if all(set(r.domains) <= kept for r in scored):
        return scored
    return [replace(r, domains={d: v for d, v in r.domains.items() if d in kept}) for r in scored]


@unit_of_work()
def commonly_missed(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL,
    limit: int = WEAKEST,
) -> Aggregate[list[QuestionFigure]]:  # fmt: skip
    """The questions most often answered below 2 by the filter's scored schools, most first."""
    authorize(session, actor, Action.READ, "scores")
    check_period(period)
    base = _scored(questionnaire_id, conditions(session, actor, filters), period, filters)
    found = _question_figures(session, base, _count(session, base))
    if not found.shown:
        return found
    missed = sorted((f for f in found.value if f.below_two), key=lambda f: (-f.below_two, f.question_id))
    return Aggregate(found.schools, missed[:limit])


@unit_of_work()
def domain_medians(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL
) -> Aggregate[dict[str, float]]:
    """Median score per domain over the filter's scored schools (e.g. one province or one jenjang)."""
    authorize(session, actor, Action.READ, "scores")
    check_period(period)
    base = _scored(questionnaire_id, conditions(session, actor, filters), period, filters)
    schools = _count(session, base)
    return gated(schools, lambda: _domain_medians(session, base).get((), {}))


@unit_of_work()
def dashboard(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL
) -> Dashboard:
    """Everything a leader's dashboard shows for the scope, narrowed by the filter
    (a province, a kabupaten/kota inside it, a jenjang...)."""
    authorize(session, actor, Action.READ, "scores")
    check_period(period)
    # A dashboard narrows by place and kind of school; states and bands are what it counts.
    filters = replace(filters, readiness_band=None, assessment_state=None, search=None)
    where = conditions(session, actor, filters)
    base = _scored(questionnaire_id, where, period)
    registered = session.scalar(select(func.count()).select_from(School).where(*where)) or 0
    by_status = dict(session.execute(
        base.with_only_columns(Assessment.status, func.count()).group_by(Assessment.status)).all())
    assessed = sum(by_status.values())
    trend = _trend(session, questionnaire_id, period, where, filters)
    now = next((p for p in trend if p.period == period), TrendPoint(period, assessed, None, {}))
    return Dashboard(
        questionnaire_id, period, registered, assessed, by_status.get("verified", 0),
        median_score=Aggregate(assessed, now.median),
        bands=_band_counts(session, base).get(None, Aggregate(0)),
        median_domains=Aggregate(assessed, now.domains if now.median is not None else None),
        ranking=_ranking(session, base, filters),
        bands_by_jenjang=_band_counts(session, base, School.jenjang),
        bands_by_status=_band_counts(session, base, School.status),
        trend=trend,
        weakest=_weakest(session, _scored(questionnaire_id, where, period, filters), assessed),
    )  # fmt: skip


def _ranking(session: Session, base: Select, filters: SchoolFilter) -> list[GroupMedian]:
    if filters.kabupaten_kota is not None:
        return []  # below a kabupaten/kota the view lists schools, not medians
    if filters.province_code is None:
        names = dict(session.execute(select(Province.code, Province.name)).all())
        group = School.province_code
    else:
        names, group = {}, School.kabupaten_kota
    found = _medians(session, base, AssessmentResult.score, [group])
    out = []
    for (key,), entry in found.items():
        median, schools = _shown_median(entry)
        out.append(GroupMedian(key, names.get(key, key), schools, median))
    return sorted(out, key=lambda g: (g.median is None, -(g.median or 0), g.name))


def _trend(session: Session, questionnaire_id: str, period: str, where: list, filters: SchoolFilter
           ) -> list[TrendPoint]:  # fmt: skip
    """Medians of the last TREND_PERIODS periods up to `period`, oldest first."""
    periods = list(session.scalars(
        select(Assessment.period).distinct()
        .where(Assessment.questionnaire_id == questionnaire_id, Assessment.period <= period)
        .order_by(Assessment.period.desc()).limit(TREND_PERIODS)))  # fmt: skip
    in_periods = Assessment.period.in_(periods)
    overall = _medians(session, _scored(questionnaire_id, where, None).where(in_periods), AssessmentResult.score,
                       [Assessment.period])  # fmt: skip
    domains = _domain_medians(session, _scored(questionnaire_id, where, None, filters).where(in_periods),
                              [Assessment.period])  # fmt: skip
    points = []
    for (when,), entry in sorted(overall.items()):
        median, schools = _shown_median(entry)
        points.append(TrendPoint(when, schools, median, domains.get((when,), {}) if median is not None else {}))
    return points


def _weakest(session: Session, base: Select, schools: int) -> Aggregate[list[QuestionFigure]]:
    found = _question_figures(session, base, schools)
    if not found.shown:
        return found
    return Aggregate(schools, sorted(found.value, key=lambda f: (f.mean_share, f.question_id))[:WEAKEST])

"""The leaders' dashboards, read from the aggregates (storage/aggregates/): a national
dashboard sums a few thousand small rows, whatever the number of schools, and never reads a
stored score or answer.

Every aggregate says how many schools it is built from and is withheld (value None) below
MIN_SCHOOLS, here where it is computed, so no view can point at one school through a median,
a distribution or a ranking. Medians are exact: the aggregates hold every distinct score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import Scope, authorize, scope_of_actor
from .aggregates import MIN_SCHOOLS
from .aggregates.read import NATION, Place, Selection, answer_tallies, counts, median_scores, periods
from .aggregates.read import domain_medians as read_domain_medians
from .aggregates.tables import ANY
from .assessments import check_period
from .errors import InvalidInput
from .models import Province, QuestionnaireVersion, School
from .school_table import ANY_SCHOOL, SchoolFilter, conditions
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
    # The same jenjang and status in the province(s) around the view and in the nation ("" key):
    # what a kabupaten/kota or a province compares itself with.
    comparisons: list[GroupMedian]
    bands_by_jenjang: dict[str, Aggregate[dict[str, int]]]
    bands_by_status: dict[str, Aggregate[dict[str, int]]]
    trend: list[TrendPoint]
    weakest: Aggregate[list[QuestionFigure]]


def _scope_places(session: Session, scope: Scope) -> list[Place]:
    """The aggregate places the scope sees whole: the nation, its provinces, or the
    kabupaten/kota of its codes (the aggregates name a kabupaten/kota by its schools' name)."""
    if scope.national:
        return [NATION]
    places: list[Place] = [(p, ANY) for p in scope.province_codes]
    if scope.kabupaten_codes:
        query = (select(School.province_code, School.kabupaten_kota).distinct()
                 .where(School.kabupaten_code.in_(scope.kabupaten_codes))
                 .order_by(School.province_code, School.kabupaten_kota))  # fmt: skip
        places += [(p, k) for p, k in session.execute(query)]
    return places


def _narrowed(session: Session, places: list[Place], filters: SchoolFilter) -> list[Place]:
    """The scope's places inside the filter's province and kabupaten/kota, never beyond the scope."""
    province, kab = filters.province_code, filters.kabupaten_kota or ANY
    if province is None and not kab:
        return places
    out: list[Place] = []
    for p, k in places:
        if k != ANY:  # a kabupaten/kota of the scope
            if province in (None, p) and kab in (ANY, k):
                out.append((p, k))
        elif province is not None:  # the nation, or a province of the scope
            if p in (ANY, province):
                out.append((province, kab))
        else:  # a kabupaten/kota name without its province: wherever in the scope it is
            query = select(School.province_code).distinct().where(School.kabupaten_kota == kab)
            if p != ANY:
                query = query.where(School.province_code == p)
            out += [(q, kab) for q in session.scalars(query)]
    return list(dict.fromkeys(out))


def _selection(session: Session, actor: Actor, questionnaire_id: str, period_list: list[str],
               filters: SchoolFilter) -> Selection:  # fmt: skip
    """The aggregate groups that make up the filter, within the actor's scope."""
    if filters.readiness_band or filters.assessment_state or filters.search:
        raise InvalidInput("Dashboards are by place, jenjang and status; not by band, state or search.")
    version_ids = list(session.scalars(select(QuestionnaireVersion.id)
                                       .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)))  # fmt: skip
    scope = scope_of_actor(session, actor)
    places = _narrowed(session, _scope_places(session, scope), filters)
    return Selection(version_ids, period_list, places, _jenjang(scope, filters), filters.status or ANY)


def _jenjang(scope: Scope, filters: SchoolFilter) -> str | tuple[str, ...]:
    """The jenjang to sum: the filter's (only if the scope allows it), else the scope's limit, else any."""
    if filters.jenjang is not None:
        return filters.jenjang if scope.jenjang_allowed(filters.jenjang) else ()
    return scope.jenjang or ANY


def _gated_groups(found: dict[str, dict[str, int]]) -> dict[str, Aggregate[dict[str, int]]]:
    """Band counts per group; the groups add up to the shown whole, so when the withheld groups
    hold fewer than MIN_SCHOOLS schools in all, the smallest shown ones are withheld too."""
    out = {key: gated(sum(c.values()), lambda c=c: c) for key, c in found.items()}
    withheld = sum(a.schools for a in out.values() if not a.shown)
    for key in sorted((k for k, a in out.items() if a.shown), key=lambda k: (out[k].schools, str(k))):
        if not 0 < withheld < MIN_SCHOOLS:
            break
        out[key] = Aggregate(out[key].schools)
        withheld += out[key].schools
    return out


@unit_of_work()
def domain_medians(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL
) -> Aggregate[dict[str, float]]:
    """Median score per domain over the filter's scored schools (e.g. one province or one jenjang)."""
    authorize(session, actor, Action.READ, "scores")
    check_period(period)
    conditions(session, actor, filters)  # checks the filter and the province's scope
    selection = _selection(session, actor, questionnaire_id, [period], filters)
    schools = sum(counts(session, selection, "status").get("", {}).values())
    found = read_domain_medians(session, selection).get("", {})
    return gated(schools, lambda: {d: m for d, (m, n) in found.items() if n >= MIN_SCHOOLS})


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
    registered = session.scalar(select(func.count()).select_from(School).where(*where)) or 0
    now = _selection(session, actor, questionnaire_id, [period], filters)
    by_status = counts(session, now, "status").get("", {})
    bands = counts(session, now, "band").get("", {})
    assessed = sum(by_status.values())
    trend = _trend(session, replace(now, periods=periods(session, now.version_ids, period, TREND_PERIODS)))
    point = next((p for p in trend if p.period == period), TrendPoint(period, assessed, None, {}))
    return Dashboard(
        questionnaire_id, period, registered, assessed, by_status.get("verified", 0),
        median_score=Aggregate(assessed, point.median),
        bands=gated(sum(bands.values()), lambda: bands),
        median_domains=Aggregate(assessed, point.domains if point.median is not None else None),
        ranking=_ranking(session, now, filters),
        comparisons=_comparisons(session, now),
        bands_by_jenjang=_gated_groups(counts(session, now, "band", by="jenjang")),
        bands_by_status=_gated_groups(counts(session, now, "band", by="school_status")),
        trend=trend,
        weakest=_weakest(session, now, assessed),
    )  # fmt: skip


def _ranking(session: Session, selection: Selection, filters: SchoolFilter) -> list[GroupMedian]:
    if filters.kabupaten_kota is not None:
        return []  # below a kabupaten/kota the view lists schools, not medians
    own = {k for _, k in selection.places if k != ANY}
    if own:  # a scope of kabupaten/kota: those, and no others of their provinces
        names, by = {}, "kabupaten_kota"
    elif filters.province_code is None:
        names = dict(session.execute(select(Province.code, Province.name)).all())
        by = "province_code"
    else:
        names, by = {}, "kabupaten_kota"
    out = []
    for key, (median, schools) in median_scores(session, selection, by=by).items():
        if own and key not in own:
            continue
        out.append(GroupMedian(key, names.get(key, key), schools, median if schools >= MIN_SCHOOLS else None))
    return sorted(out, key=lambda g: (g.median is None, -(g.median or 0), g.name))


def _comparisons(session: Session, selection: Selection) -> list[GroupMedian]:
    """Medians of the provinces around the view's places and of the nation, for the same jenjang
    and status; each withheld below MIN_SCHOOLS. None for a view of the whole nation."""
    if list(selection.places) == [NATION] or not selection.places:
        return []
    names = dict(session.execute(select(Province.code, Province.name)).all())
    around = sorted({p for p, k in selection.places if k != ANY} - {p for p, k in selection.places if k == ANY})
    out = []
    for key, places in [*((p, [(p, ANY)]) for p in around), (ANY, [NATION])]:
        found = median_scores(session, replace(selection, places=places)).get(ANY)
        median, schools = found if found else (None, 0)
        out.append(GroupMedian(key, names.get(key, ""), schools, median if schools >= MIN_SCHOOLS else None))
    return out


def _trend(session: Session, selection: Selection) -> list[TrendPoint]:
    """Medians of the last TREND_PERIODS periods up to the dashboard's, oldest first."""
    overall = median_scores(session, selection, by="period")
    domains = read_domain_medians(session, selection, by="period")
    points = []
    for when, (median, schools) in sorted(overall.items()):
        shown = schools >= MIN_SCHOOLS
        kept = {d: m for d, (m, n) in domains.get(when, {}).items() if n >= MIN_SCHOOLS} if shown else {}
        points.append(TrendPoint(when, schools, median if shown else None, kept))
    return points


def _weakest(session: Session, selection: Selection, schools: int) -> Aggregate[list[QuestionFigure]]:
    if schools < MIN_SCHOOLS:
        return Aggregate(schools)
    figures = []
    for qid, (n0, n1, n2, n3, _) in answer_tallies(session, selection).items():
        answered = n0 + n1 + n2 + n3
        if answered >= MIN_SCHOOLS:
            figures.append(QuestionFigure(qid, answered, n0 + n1, (n1 + 2 * n2 + 3 * n3) / answered / TOP_VALUE))
    return Aggregate(schools, sorted(figures, key=lambda f: (f.mean_share, f.question_id))[:WEAKEST])

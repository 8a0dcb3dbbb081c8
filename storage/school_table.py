"""The table of schools in a user's scope, with each school's stored scores for one
questionnaire and period: the auditor's main view and the leader's drill-down.

The auditor's page reads it a page at a time (keyset pagination in the database) and
exports it as a stream of pages; nothing is scored again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from auth import Action, Actor
from scoring.messages import msg

from .access import authorize, deny, province_in_scope, school_scope
from .assessments import EDITABLE, check_period
from .errors import InvalidInput
from .limits import MAX_SEARCH, check_text
from .models import (
    ASSESSMENT_STATUSES,
    JENJANG,
    SCHOOL_STATUSES,
    Answer,
    Assessment,
    AssessmentResult,
    DomainScore,
    Province,
    QuestionnaireVersion,
    School,
)
from .questionnaires import stored_questionnaire
from .results import SCORED
from .schools import school_id_in_scope
from .tx import unit_of_work

NOT_STARTED = "not_started"
ASSESSMENT_STATES = (NOT_STARTED, *ASSESSMENT_STATUSES)
MIN_COMPARE, MAX_COMPARE = 2, 8


@dataclass(frozen=True)
class SchoolFilter:
    """Which schools of the scope a view shows; None means any."""

    province_code: str | None = None
    kabupaten_kota: str | None = None
    jenjang: str | None = None
    status: str | None = None  # negeri / swasta
    readiness_band: str | None = None
    assessment_state: str | None = None  # not_started, draft, submitted, verified, returned
    search: str | None = None  # part of the name, or the whole NPSN

    def problems(self) -> list[str]:
        found = []
        if self.jenjang is not None and self.jenjang not in JENJANG:
            found.append(f"jenjang '{self.jenjang}' must be one of {', '.join(JENJANG)}")
        if self.status is not None and self.status not in SCHOOL_STATUSES:
            found.append(f"status '{self.status}' must be negeri or swasta")
        if self.assessment_state is not None and self.assessment_state not in ASSESSMENT_STATES:
            found.append(f"assessment state '{self.assessment_state}' must be one of {', '.join(ASSESSMENT_STATES)}")
        return found


ANY_SCHOOL = SchoolFilter()


@dataclass(frozen=True)
class SchoolRow:
    npsn: str
    name: str
    jenjang: str
    status: str
    province_code: str
    province: str
    kabupaten_kota: str
    assessment_id: int | None
    assessment_state: str  # NOT_STARTED or the assessment's status
    questionnaire_version: str | None
    updated_at: datetime | None
    score: float | None  # stored scores: only for a submitted or verified assessment
    maturity_level: int | None
    readiness_band: str | None
    completeness: float | None  # share of questions answered
    domains: dict[str, float | None] = field(default_factory=dict)

    @property
    def scored(self) -> bool:
        return self.assessment_state in SCORED


def conditions(session: Session, actor: Actor, filters: SchoolFilter) -> list[ColumnElement[bool]]:
    """Where-clauses on School, Assessment and AssessmentResult: the scope, then the filter.
    A filter on a province outside the scope is an access error, not an empty table."""
    problems = filters.problems()
    if problems:
        raise InvalidInput("Filter not valid: " + "; ".join(problems))
    if filters.province_code is not None and not province_in_scope(session, actor, filters.province_code):
        raise deny(actor, Action.READ, "province", filters.province_code)
    found = [school_scope(actor)]
    for column, value in (
        (School.province_code, filters.province_code), (School.kabupaten_kota, filters.kabupaten_kota),
        (School.jenjang, filters.jenjang), (School.status, filters.status),
        (AssessmentResult.readiness_band, filters.readiness_band),
    ):  # fmt: skip
        if value is not None:
            found.append(column == value)
    if filters.assessment_state == NOT_STARTED:
        found.append(Assessment.id.is_(None))
    elif filters.assessment_state is not None:
        found.append(Assessment.status == filters.assessment_state)
    search = (filters.search or "").strip()
    if search:
        check_text("search", search, MAX_SEARCH)
        found.append(or_(func.lower(School.name).contains(search.lower(), autoescape=True),
                         School.npsn == search.upper()))  # fmt: skip
    return found


def with_assessment(query: Select, questionnaire_id: str, period: str) -> Select:
    """Schools, each with its assessment of this questionnaire and period (if any) and
    that assessment's stored result (only when it is submitted or verified)."""
    return query.outerjoin(
        Assessment,
        and_(Assessment.school_id == School.id, Assessment.questionnaire_id == questionnaire_id,
             Assessment.period == period),
    ).outerjoin(AssessmentResult, and_(AssessmentResult.assessment_id == Assessment.id,
                                       Assessment.status.in_(SCORED)))  # fmt: skip


# Sort orders of the table, each a keyset: the columns, then NPSN to break ties.
SORTS = ("place", "score")
PAGE_SIZE = 50
UNSCORED_LAST = 1000.0  # above every score: unscored schools sort after scored ones


def _sort_key(sort: str) -> list:
    if sort == "place":  # walks ix_schools_place_name in order
        return [School.province_code, School.kabupaten_kota, School.name, School.npsn]
    if sort == "score":  # weakest first
        return [func.coalesce(AssessmentResult.score, UNSCORED_LAST), School.npsn]
    raise InvalidInput(f"Sort '{sort}' must be one of {', '.join(SORTS)}.")


def rows(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter,
    npsns: Sequence[str] | None = None, *, sort: str = "place", after: Sequence | None = None,
    limit: int | None = None,
) -> list[SchoolRow]:  # fmt: skip
    """The filter's schools in `sort` order: after the keyset `after` (the sort values of the
    previous page's last row), at most `limit` of them. Domain scores and answer counts are read
    for the rows found only."""
    check_period(period)
    where = conditions(session, actor, filters)
    if npsns is not None:
        where.append(School.npsn.in_(list(npsns)))
    key = _sort_key(sort)
    if after is not None:
        if len(after) != len(key):
            raise InvalidInput(msg("table.page_position"))
        where.append(tuple_(*key) > tuple_(*(literal(v) for v in after)))
    query = with_assessment(
        select(School.npsn, School.name, School.jenjang, School.status, School.province_code, Province.name,
               School.kabupaten_kota, Assessment.id, Assessment.status, Assessment.questionnaire_version_id,
               Assessment.updated_at, AssessmentResult.score, AssessmentResult.maturity_level,
               AssessmentResult.readiness_band, AssessmentResult.completeness)
        .select_from(School).join(Province, Province.code == School.province_code),
        questionnaire_id, period,
    ).where(*where).order_by(*key)  # fmt: skip
    found = session.execute(query if limit is None else query.limit(limit)).all()
    scored = [r[7] for r in found if r[8] in SCORED]
    domains: dict[int, dict[str, float | None]] = {}
    answered: dict[int, int] = {}
    for chunk in _chunks(scored):
        for assessment_id, domain_id, score in session.execute(
            select(DomainScore.assessment_id, DomainScore.domain_id, DomainScore.score)
            .where(DomainScore.assessment_id.in_(chunk))
        ):  # fmt: skip
            domains.setdefault(assessment_id, {})[domain_id] = score
    for chunk in _chunks([r[7] for r in found if r[8] in EDITABLE]):
        answered.update(session.execute(
            select(Answer.assessment_id, func.count()).where(Answer.assessment_id.in_(chunk))
            .group_by(Answer.assessment_id)).all())  # fmt: skip
    totals = _question_counts(session, {r[9] for r in found if r[8] in EDITABLE})
    versions = _version_names(session, {r[9] for r in found if r[9] is not None})
    out = []
    for (npsn, name, jenjang, status, code, province, kab, assessment_id, state, version_id, updated_at, score,
         maturity, band, completeness) in found:  # fmt: skip
        if state in EDITABLE:
            completeness = answered.get(assessment_id, 0) / totals[version_id]
        out.append(SchoolRow(npsn, name, jenjang, status, code, province, kab, assessment_id, state or NOT_STARTED,
                             versions.get(version_id), updated_at, score, maturity, band, completeness,
                             domains.get(assessment_id, {})))  # fmt: skip
    return out


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):  # SQLite limits the bound values per query
        yield ids[start : start + size]


def sort_values(row: SchoolRow, sort: str) -> tuple:
    """The keyset of a row: where the next page starts."""
    if sort == "place":
        return (row.province_code, row.kabupaten_kota, row.name, row.npsn)
    return (UNSCORED_LAST if row.score is None else row.score, row.npsn)


def _question_counts(session: Session, version_ids: set[int]) -> dict[int, int]:
    rows_ = session.scalars(select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(version_ids)))
    return {row.id: len(stored_questionnaire(row).questions()) for row in rows_}


def _version_names(session: Session, version_ids: set[int]) -> dict[int, str]:
    query = select(QuestionnaireVersion.id, QuestionnaireVersion.version)
    return dict(session.execute(query.where(QuestionnaireVersion.id.in_(version_ids))).all())


@unit_of_work()
def school_table(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL
) -> list[SchoolRow]:
    """Every school in the actor's scope that fits the filter, by province, kabupaten/kota and
    name, with its assessment state and stored scores for this questionnaire and period."""
    authorize(session, actor, Action.READ, "schools")
    return rows(session, actor, questionnaire_id, period, filters)


@unit_of_work()
def compare_schools(
    session: Session, actor: Actor, questionnaire_id: str, period: str, npsns: Sequence[str]
) -> list[SchoolRow]:
    """2 to 8 schools, in the order given, each of which must be in the actor's scope."""
    authorize(session, actor, Action.READ, "schools")
    wanted = list(dict.fromkeys(n.strip().upper() for n in npsns))
    if not MIN_COMPARE <= len(wanted) <= MAX_COMPARE:
        raise InvalidInput(f"Pick {MIN_COMPARE} to {MAX_COMPARE} schools to compare ({len(wanted)} picked).")
    for npsn in wanted:
        school_id_in_scope(session, actor, npsn, Action.READ)
    found = {r.npsn: r for r in rows(session, actor, questionnaire_id, period, ANY_SCHOOL, wanted)}
    return [found[n] for n in wanted]


@dataclass(frozen=True)
class FilterOptions:
    provinces: list[tuple[str, str]]  # (BPS code, name) with schools in scope
    kabupaten_kota: dict[str, list[str]]  # province code -> names, sorted
    periods: list[str]  # periods with any assessment of the questionnaire, newest first


@unit_of_work()
def filter_options(session: Session, actor: Actor, questionnaire_id: str) -> FilterOptions:
    """What the filters of the views can offer, within the actor's scope."""
    authorize(session, actor, Action.READ, "schools")
    places = session.execute(
        select(School.province_code, Province.name, School.kabupaten_kota).distinct()
        .join(Province, Province.code == School.province_code).where(school_scope(actor))
        .order_by(School.province_code, School.kabupaten_kota)
    ).all()  # fmt: skip
    provinces = list(dict.fromkeys((code, name) for code, name, _ in places))
    kabupaten: dict[str, list[str]] = {}
    for code, _, kab in places:
        kabupaten.setdefault(code, []).append(kab)
    periods = session.scalars(
        select(Assessment.period).distinct().where(Assessment.questionnaire_id == questionnaire_id)
        .order_by(Assessment.period.desc())
    )  # fmt: skip
    return FilterOptions(provinces, kabupaten, list(periods))

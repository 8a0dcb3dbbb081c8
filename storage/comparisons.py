"""The auditor's comparisons (Bandingkan): the spread of each domain over the filter's scored
schools, and the questions they most often answer below 2.

Their filters can hold anything the school table offers (a readiness band, a state, a search),
which no aggregate group matches, so they read the stored scores and answers of the filter's
schools, inside the database. The leaders' dashboards read the aggregates instead
(storage/dashboards.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .aggregates import MIN_SCHOOLS
from .assessments import check_period
from .dashboards import TOP_VALUE, WEAKEST, Aggregate, QuestionFigure, gated
from .models import Answer, Assessment, AssessmentResult, School
from .results import SCORED
from .school_table import ANY_SCHOOL, SchoolFilter, SchoolRow, conditions, rows
from .tx import unit_of_work


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



"""On Hasil: "Sekolah serupa paling sering memperbaiki ini lebih dulu" — the questions schools of the
same jenjang most often raised from below 2 to 2 or more between two consecutive periods,
nationally and in the school's province. Read from a few count rows (aggregates/improvements.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import Action, Actor

from ..access import authorize
from ..assessments import _load
from ..tx import unit_of_work
from .improvements import NATIONAL, AggregateImprovement, AggregateImprovementPairs
from .peers import MIN_SCHOOLS


@dataclass(frozen=True)
class Improved:
    question_id: str
    schools: int  # how many schools raised it; never below MIN_SCHOOLS
    share: float  # of the schools with two consecutive periods in the group


@dataclass(frozen=True)
class SimilarImproved:
    place: str  # '' for the nation, else the province code
    period: str | None  # the later period of the pair the figures are for; None when none qualifies
    schools: int  # schools of the group with two consecutive periods
    questions: list[Improved] = field(default_factory=list)


def _for_place(session: Session, questionnaire_id: str, jenjang: str, place: str, up_to: str,
               among: set[str] | None, limit: int) -> SimilarImproved:  # fmt: skip
    """The latest period up to `up_to` whose group has at least MIN_SCHOOLS schools with a pair."""
    pairs = AggregateImprovementPairs
    found = session.execute(
        select(pairs.period, pairs.n)
        .where(pairs.questionnaire_id == questionnaire_id, pairs.jenjang == jenjang, pairs.province_code == place,
               pairs.period <= up_to, pairs.n >= MIN_SCHOOLS)
        .order_by(pairs.period.desc()).limit(1)).one_or_none()  # fmt: skip
    if found is None:
        return SimilarImproved(place, None, 0)
    agg = AggregateImprovement
    query = (select(agg.question_id, agg.n)
             .where(agg.questionnaire_id == questionnaire_id, agg.jenjang == jenjang, agg.province_code == place,
                    agg.period == found.period, agg.n >= MIN_SCHOOLS)
             .order_by(agg.n.desc(), agg.question_id).limit(limit))  # fmt: skip
    if among is not None:
        query = query.where(agg.question_id.in_(sorted(among)))
    questions = [Improved(q, n, n / found.n) for q, n in session.execute(query)]
    return SimilarImproved(place, found.period, found.n, questions)


@unit_of_work()
def similar_schools_improved(
    session: Session, actor: Actor, assessment_id: int, among: set[str] | None = None, limit: int = 5
) -> tuple[SimilarImproved, SimilarImproved]:
    """(national, provincial) figures for this assessment's jenjang, up to its period; `among`
    keeps only those questions (the school's own actions). Each count has >= MIN_SCHOOLS schools."""
    authorize(session, actor, Action.READ, "assessment", assessment_id)
    assessment, school = _load(session, actor, assessment_id, Action.READ)
    args = (session, assessment.questionnaire_id, school.jenjang)
    return (_for_place(*args, NATIONAL, assessment.period, among, limit),
            _for_place(*args, school.province_code, assessment.period, among, limit))  # fmt: skip

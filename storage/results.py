"""Stored scores, for one assessment, one school's history, or a whole scope.
Dashboards read these rows; nothing here scores answers again."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import Action, Actor
from scoring.engine import Result

from .access import authorize, deny, province_in_scope, school_scope
from .assessments import _load, check_period
from .errors import NotFound
from .models import Assessment, AssessmentResult, DomainScore, QuestionnaireVersion, School
from .schools import school_id_in_scope
from .tx import unit_of_work

SCORED = ("submitted", "verified")


@dataclass(frozen=True)
class ScoreRow:
    npsn: str
    name: str
    jenjang: str
    status: str  # negeri / swasta
    province_code: str
    kabupaten_kota: str
    assessment_id: int
    assessment_status: str
    score: float | None
    maturity_level: int | None
    readiness_band: str | None
    domains: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryRow:
    assessment_id: int
    questionnaire_id: str
    questionnaire_version: str
    period: str
    status: str
    score: float | None
    maturity_level: int | None
    readiness_band: str | None


@unit_of_work()
def get_result(session: Session, actor: Actor, assessment_id: int) -> Result:
    """The full stored result (scores, gaps, actions) of a submitted assessment."""
    authorize(session, actor, Action.READ, "assessment", assessment_id)
    _load(session, actor, assessment_id, Action.READ)
    stored = session.scalar(select(AssessmentResult.result_json).where(AssessmentResult.assessment_id == assessment_id))
    if stored is None:
        raise NotFound("result of assessment", assessment_id)
    return Result.model_validate_json(stored)


@unit_of_work()
def scores_in_scope(
    session: Session,
    actor: Actor,
    questionnaire_id: str,
    period: str,
    *,
    province_code: str | None = None,
    jenjang: str | None = None,
    statuses: tuple[str, ...] = SCORED,
    with_domains: bool = True,
) -> list[ScoreRow]:
    """Every stored score of one questionnaire and period that the actor may see:
    one row per school, with its domain scores. Two queries, whatever the size."""
    authorize(session, actor, Action.READ, "scores")
    check_period(period)
    if province_code is not None and not province_in_scope(session, actor, province_code):
        raise deny(actor, Action.READ, "province", province_code)
    conditions = [
        Assessment.questionnaire_id == questionnaire_id,
        Assessment.period == period,
        Assessment.status.in_(statuses),
        school_scope(actor),
    ]
    if province_code is not None:
        conditions.append(School.province_code == province_code)
    if jenjang is not None:
        conditions.append(School.jenjang == jenjang)
    overall = session.execute(
        select(
            School.npsn, School.name, School.jenjang, School.status, School.province_code, School.kabupaten_kota,
            Assessment.id, Assessment.status, AssessmentResult.score, AssessmentResult.maturity_level,
            AssessmentResult.readiness_band,
        )
        .join(Assessment, Assessment.school_id == School.id)
        .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .where(*conditions)
        .order_by(School.province_code, School.kabupaten_kota, School.name)
    ).all()  # fmt: skip
    domains: dict[int, dict[str, float | None]] = {}
    if with_domains and overall:
        query = (
            select(DomainScore.assessment_id, DomainScore.domain_id, DomainScore.score)
            .join(Assessment, Assessment.id == DomainScore.assessment_id)
            .join(School, School.id == Assessment.school_id)
            .where(*conditions)
        )
        for assessment_id, domain_id, domain_score in session.execute(query):
            domains.setdefault(assessment_id, {})[domain_id] = domain_score
    return [ScoreRow(*row, domains=domains.get(row[6], {})) for row in overall]


@unit_of_work()
def school_history(session: Session, actor: Actor, npsn: str, questionnaire_id: str | None = None) -> list[HistoryRow]:
    """Every assessment of one school, oldest period first, with its stored score if any."""
    authorize(session, actor, Action.READ, "school", npsn)
    school_id = school_id_in_scope(session, actor, npsn, Action.READ)
    query = (
        select(
            Assessment.id, Assessment.questionnaire_id, QuestionnaireVersion.version, Assessment.period,
            Assessment.status, AssessmentResult.score, AssessmentResult.maturity_level, AssessmentResult.readiness_band,
        )
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_version_id)
        .outerjoin(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .where(Assessment.school_id == school_id)
        .order_by(Assessment.questionnaire_id, Assessment.period)
    )  # fmt: skip
    if questionnaire_id is not None:
        query = query.where(Assessment.questionnaire_id == questionnaire_id)
    return [HistoryRow(*row) for row in session.execute(query)]

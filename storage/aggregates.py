"""National aggregates that any signed-in role may read, because they reveal no school.

An aggregate built from fewer than MIN_SCHOOLS schools could point at one school,
so the data layer withholds it, not the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .models import Assessment, DomainScore, QuestionnaireVersion, School
from .results import SCORED
from .tx import unit_of_work

MIN_SCHOOLS = 5


@dataclass(frozen=True)
class PeerMedian:
    schools: int  # how many schools make it up
    domains: dict[str, float] = field(default_factory=dict)  # empty when withheld

    @property
    def shown(self) -> bool:
        return self.schools >= MIN_SCHOOLS


@unit_of_work()
def peer_medians(session: Session, actor: Actor, questionnaire_id: str, version: str, jenjang: str) -> PeerMedian:
    """Median domain scores over each school's latest submitted or verified assessment
    of this questionnaire version, nationally, for one jenjang; withheld below MIN_SCHOOLS
    schools. Versions are not mixed: their domains may differ."""
    authorize(session, actor, Action.READ, "peer_median", f"{questionnaire_id}@{version}/{jenjang}")
    version_ids = select(QuestionnaireVersion.id).where(QuestionnaireVersion.questionnaire_id == questionnaire_id,
                                                        QuestionnaireVersion.version == version)
    scored = (Assessment.questionnaire_version_id.in_(version_ids), Assessment.status.in_(SCORED),
              School.jenjang == jenjang)
    latest = (
        select(Assessment.school_id, func.max(Assessment.period).label("period"))
        .join(School, School.id == Assessment.school_id)
        .where(*scored)
        .group_by(Assessment.school_id)
        .subquery()
    )
    rows = session.execute(
        select(Assessment.school_id, DomainScore.domain_id, DomainScore.score)
        .join(latest, (latest.c.school_id == Assessment.school_id) & (latest.c.period == Assessment.period))
        .join(School, School.id == Assessment.school_id)
        .join(DomainScore, DomainScore.assessment_id == Assessment.id)
        .where(*scored)
    ).all()
    schools = len({r.school_id for r in rows})
    if schools < MIN_SCHOOLS:
        return PeerMedian(schools)
    by_domain: dict[str, list[float]] = {}
    for row in rows:
        if row.score is not None:
            by_domain.setdefault(row.domain_id, []).append(row.score)
    return PeerMedian(schools, {d: median(v) for d, v in by_domain.items() if len(v) >= MIN_SCHOOLS})

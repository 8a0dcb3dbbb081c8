"""The peer medians on Hasil: any signed-in role may read them, because they reveal no school."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import Action, Actor

from ..access import authorize
from ..models import QuestionnaireVersion
from ..tx import unit_of_work
from .read import NATION, Selection, counts, domain_medians
from .tables import LATEST

# An aggregate built from fewer schools could point at one school, so the data layer withholds it.
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
    schools. Versions are not mixed: their domains may differ. Read from the aggregates."""
    authorize(session, actor, Action.READ, "peer_median", f"{questionnaire_id}@{version}/{jenjang}")
    version_ids = list(session.scalars(select(QuestionnaireVersion.id).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id, QuestionnaireVersion.version == version)))
    selection = Selection(version_ids, [LATEST], [NATION], jenjang=jenjang)
    schools = sum(counts(session, selection, "status").get("", {}).values())
    if schools < MIN_SCHOOLS:
        return PeerMedian(schools)
    found = domain_medians(session, selection).get("", {})
    return PeerMedian(schools, {d: median for d, (median, n) in found.items() if n >= MIN_SCHOOLS})

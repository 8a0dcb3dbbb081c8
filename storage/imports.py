"""An answers file filled in offline becomes the school's draft, in one transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from auth import Action, Actor
from scoring.models import Answers

from .access import authorize
from .assessments import AssessmentInfo, get_assessment, get_or_create_assessment, save_draft
from .errors import StaleVersion
from .tx import unit_of_work


@unit_of_work(write=True)
def import_draft(
    session: Session, actor: Actor, npsn: str, questionnaire_id: str, period: str, answers: Answers,
    expected_version: int | None,
) -> AssessmentInfo:
    """Replace this period's draft with `answers`, creating the draft if there is none.

    `expected_version` is the version the operator saw when confirming (None: there was no
    draft then), so a change made meanwhile by someone else is refused, not overwritten.
    Nothing is stored unless everything is."""
    authorize(session, actor, Action.EDIT_ASSESSMENT, "school", npsn)
    # The undecorated steps share this one transaction.
    info = get_or_create_assessment.__wrapped__(session, actor, npsn, questionnaire_id, period)
    info = get_assessment.__wrapped__(session, actor, info.id)
    stored = info.answers.answers if info.answers else {}
    if expected_version is not None and expected_version != info.version or expected_version is None and stored:
        raise StaleVersion(info.id, expected_version or 0, info.version)
    changes = {qid: None for qid in stored if qid not in answers.answers} | dict(answers.answers)
    save_draft.__wrapped__(session, actor, info.id, changes, info.version)
    return get_assessment.__wrapped__(session, actor, info.id)

"""An auditor's review of a submitted assessment: agree or disagree with each answer,
with a comment, then verify it or return it to the school with reasons.

The marks live in their own table so the school can read them next to its answers
once the review is finished (returned or verified).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NamedTuple

from sqlalchemy import Boolean, ForeignKey, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from auth import Action, Actor, Role
from scoring.messages import msg

from .access import authorize
from .assessments import AssessmentInfo, _info, _load, _touch
from .audit import record
from .errors import InvalidInput, WrongStatus
from .limits import MAX_COMMENT, MAX_RETURN_REASONS, check_text
from .models import Base, QuestionnaireVersion, UTCDateTime, utcnow
from .questionnaires import stored_questionnaire
from .tx import unit_of_work

# The school sees the auditor's marks once the review has an outcome, not while it is under way.
VISIBLE_TO_SCHOOL = ("returned", "verified")


class ReviewMarkRow(Base):
    __tablename__ = "review_marks"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    agree: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    # "bukti cukup / kurang": whether the attached evidence supports the answer (None: not judged).
    evidence_ok: Mapped[bool | None] = mapped_column(Boolean)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewMark(NamedTuple):
    agree: bool
    comment: str | None
    evidence_ok: bool | None = None  # True: bukti cukup, False: bukti kurang


def _marks(session: Session, assessment_id: int) -> dict[str, ReviewMark]:
    rows = session.execute(
        select(ReviewMarkRow.question_id, ReviewMarkRow.agree, ReviewMarkRow.comment, ReviewMarkRow.evidence_ok)
        .where(ReviewMarkRow.assessment_id == assessment_id)
        .order_by(ReviewMarkRow.question_id)
    )
    return {qid: ReviewMark(agree, comment, evidence_ok) for qid, agree, comment, evidence_ok in rows}


@unit_of_work()
def review_comments(session: Session, actor: Actor, assessment_id: int) -> dict[str, ReviewMark]:
    """question id -> (agree, comment) of the auditor's review of this assessment.
    A school operator sees them once the assessment is returned or verified."""
    authorize(session, actor, Action.READ, "assessment", assessment_id)
    assessment, _ = _load(session, actor, assessment_id, Action.READ)
    if actor.role == Role.SEKOLAH and assessment.status not in VISIBLE_TO_SCHOOL:
        return {}
    return _marks(session, assessment_id)


@unit_of_work(write=True)
def mark_question(
    session: Session, actor: Actor, assessment_id: int, question_id: str, agree: bool | None,
    comment: str | None = None, evidence_ok: bool | None = None,
) -> None:  # fmt: skip
    """Store (or, with agree=None, clear) the auditor's mark on one answer of a submitted assessment;
    `evidence_ok` is "bukti cukup" (True) or "bukti kurang" (False), None when not judged."""
    authorize(session, actor, Action.REVIEW_ASSESSMENT, "assessment", assessment_id)
    assessment, _ = _load(session, actor, assessment_id, Action.REVIEW_ASSESSMENT)
    if assessment.status != "submitted":
        raise WrongStatus(f"Only a submitted assessment can be reviewed; assessment {assessment_id} is "
                          f"{assessment.status}.")  # fmt: skip
    questionnaire = stored_questionnaire(session.get(QuestionnaireVersion, assessment.questionnaire_version_id))
    if questionnaire.question(question_id) is None:
        raise InvalidInput(msg("review.unknown_question", qid=question_id, questionnaire=questionnaire.id,
                               version=questionnaire.version))  # fmt: skip
    comment = check_text("comment", (comment or "").strip(), MAX_COMMENT, multiline=True) or None
    session.execute(delete(ReviewMarkRow).where(ReviewMarkRow.assessment_id == assessment_id,
                                                ReviewMarkRow.question_id == question_id))  # fmt: skip
    if agree is not None:
        session.add(ReviewMarkRow(assessment_id=assessment_id, question_id=question_id, agree=agree, comment=comment,
                                  evidence_ok=evidence_ok, reviewer_id=actor.user_id, marked_at=utcnow()))  # fmt: skip
    action = "review_clear" if agree is None else "review_mark"
    record(session, actor, action, "assessment", assessment_id, question=question_id, agree=agree, comment=comment,
           evidence_ok=evidence_ok)


@unit_of_work(write=True)
def finish_review(
    session: Session,
    actor: Actor,
    assessment_id: int,
    decision: Literal["verified", "returned"],
    expected_version: int,
    reasons: str = "",
) -> AssessmentInfo:
    """Verify the assessment, or return it to the school with reasons, in one transaction
    with the marks as they stand. An assessment with a 'disagree' mark cannot be verified."""
    authorize(session, actor, Action.REVIEW_ASSESSMENT, "assessment", assessment_id)
    _load(session, actor, assessment_id, Action.REVIEW_ASSESSMENT)
    marks = _marks(session, assessment_id)
    disagreed = sorted(q for q, m in marks.items() if not m.agree)
    if decision == "verified":
        if disagreed:
            raise InvalidInput(msg("review.disagreed", count=len(disagreed), ids=", ".join(disagreed[:10])))
        # The undecorated steps (functools.wraps keeps them as __wrapped__) run inside this
        # transaction, so the marks, the new status and the log entries commit together.
        info = verify.__wrapped__(session, actor, assessment_id, expected_version)
    elif decision == "returned":
        info = return_assessment.__wrapped__(session, actor, assessment_id, reasons, expected_version)
    else:
        raise InvalidInput(f"Decision '{decision}' must be 'verified' or 'returned'.")
    record(session, actor, "review_finished", "assessment", assessment_id, decision=decision,
           agreed=len(marks) - len(disagreed), disagreed=disagreed)  # fmt: skip
    return info


@unit_of_work(write=True)
def verify(session: Session, actor: Actor, assessment_id: int, expected_version: int) -> AssessmentInfo:
    """An auditor confirms a submitted assessment."""
    authorize(session, actor, Action.REVIEW_ASSESSMENT, "assessment", assessment_id)
    assessment, _ = _load(session, actor, assessment_id, Action.REVIEW_ASSESSMENT)
    if assessment.status != "submitted":
        raise WrongStatus(
            f"Only a submitted assessment can be verified; assessment {assessment_id} is {assessment.status}."
        )
    _touch(session, actor, assessment, expected_version, status="verified", reviewed_by_id=actor.user_id,
           reviewed_at=utcnow())  # fmt: skip
    record(session, actor, "verify", "assessment", assessment_id, version=assessment.version)
    return _info(session, assessment_id)


@unit_of_work(write=True)
def return_assessment(
    session: Session, actor: Actor, assessment_id: int, reasons: str, expected_version: int
) -> AssessmentInfo:
    """An auditor sends a submitted assessment back to the school, saying why."""
    authorize(session, actor, Action.REVIEW_ASSESSMENT, "assessment", assessment_id)
    assessment, _ = _load(session, actor, assessment_id, Action.REVIEW_ASSESSMENT)
    if assessment.status != "submitted":
        raise WrongStatus(
            f"Only a submitted assessment can be returned; assessment {assessment_id} is {assessment.status}."
        )
    if not reasons.strip():
        raise InvalidInput(msg("review.reason_needed"))
    check_text("reasons", reasons.strip(), MAX_RETURN_REASONS, multiline=True)
    _touch(session, actor, assessment, expected_version, status="returned", reviewed_by_id=actor.user_id,
           reviewed_at=utcnow(), return_reasons=reasons.strip())  # fmt: skip
    record(session, actor, "return", "assessment", assessment_id, reasons=reasons.strip(), version=assessment.version)
    return _info(session, assessment_id)

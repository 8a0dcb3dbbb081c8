"""Evidence behind answers: up to 3 files a question, kept in the database with their SHA-256.

Files belong to one assessment (and record the assessment's version when attached). They
change only while the assessment is a draft or returned; once submitted they are read-only.
Every read goes through the assessment's own where-clause (storage.access.school_scope),
and every download is written to the audit log. Aggregates and exports see only a count.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from auth import Action, Actor

from .access import authorize, deny, school_scope
from .assessments import EDITABLE, _load
from .audit import record
from .errors import NotFound
from .evidence_files import (
    MAX_FILE_NAME,
    MAX_FILES_PER_QUESTION,
    SCHOOL_QUOTA_BYTES,
    EvidenceRefused,
    _mib,
    clean_file,
)
from .limits import limit_error
from .models import Assessment, Base, BigId, QuestionnaireVersion, School, UTCDateTime, utcnow
from .questionnaires import stored_questionnaire
from .tx import unit_of_work


class EvidenceRow(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id", "sha256"),  # the same file twice on one question
        Index("ix_evidence_school_id", "school_id"),  # the school's quota
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    assessment_version: Mapped[int] = mapped_column(Integer)  # the assessment's version when attached
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(80))
    file_name: Mapped[str] = mapped_column(String(MAX_FILE_NAME))
    media_type: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    question_id: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime
    assessment_version: int


@dataclass(frozen=True)
class EvidenceFile:
    file_name: str
    media_type: str
    content: bytes


def _file_name(file_name: str, question_id: str) -> str:
    """The name without any folder (a browser may send one), checked like any other text."""
    name = os.path.basename(str(file_name).replace("\\", "/")).strip() or "bukti"
    error = limit_error("file_name", name, MAX_FILE_NAME)
    if error is not None:
        raise EvidenceRefused("evidence.bad_name", name[:60], question_id, problem=str(error).split(": ", 1)[1])
    return name


def _school_usage(session: Session, school_id: int) -> int:
    return session.scalar(select(func.coalesce(func.sum(EvidenceRow.size), 0))
                          .where(EvidenceRow.school_id == school_id)) or 0  # fmt: skip


@unit_of_work(write=True)
def attach_evidence(
    session: Session, actor: Actor, assessment_id: int, question_id: str, file_name: str, data: bytes
) -> EvidenceInfo:
    """Check the file and store it as evidence for one question of an editable assessment,
    or raise EvidenceRefused (nothing stored) saying why."""
    authorize(session, actor, Action.EDIT_ASSESSMENT, "assessment", assessment_id)
    name = _file_name(file_name, question_id)
    assessment, school = _load(session, actor, assessment_id, Action.EDIT_ASSESSMENT)
    if assessment.status not in EDITABLE:
        raise EvidenceRefused("evidence.read_only", name, question_id, status=assessment.status)
    questionnaire = stored_questionnaire(session.get(QuestionnaireVersion, assessment.questionnaire_version_id))
    if questionnaire.question(question_id) is None:
        raise EvidenceRefused("evidence.unknown_question", name, question_id)
    media_type, content = clean_file(name, question_id, bytes(data))
    digest = hashlib.sha256(content).hexdigest()
    # One writer per school at a time, so two uploads cannot both fit the last of the quota.
    session.execute(select(School.id).where(School.id == school.id).with_for_update())
    on_question = session.execute(
        select(EvidenceRow.sha256).where(EvidenceRow.assessment_id == assessment_id,
                                         EvidenceRow.question_id == question_id)).scalars().all()  # fmt: skip
    if digest in on_question:
        raise EvidenceRefused("evidence.duplicate", name, question_id)
    if len(on_question) >= MAX_FILES_PER_QUESTION:
        raise EvidenceRefused("evidence.too_many", name, question_id, max=MAX_FILES_PER_QUESTION)
    used = _school_usage(session, school.id)
    if used + len(content) > SCHOOL_QUOTA_BYTES:
        raise EvidenceRefused("evidence.quota", name, question_id, quota=_mib(SCHOOL_QUOTA_BYTES), used=_mib(used))
    row = EvidenceRow(assessment_id=assessment_id, assessment_version=assessment.version, school_id=school.id,
                      question_id=question_id, file_name=name, media_type=media_type, size=len(content),
                      sha256=digest, content=content, uploaded_by_id=actor.user_id, uploaded_at=utcnow())  # fmt: skip
    session.add(row)
    session.flush()
    record(session, actor, "evidence_attach", "assessment", assessment_id, question=question_id, file=name,
           media_type=media_type, size=len(content), sha256=digest, uploaded_size=len(data))  # fmt: skip
    return _info(session, row.id)


def _info_query():
    from .models import User

    return (select(EvidenceRow.id, EvidenceRow.question_id, EvidenceRow.file_name, EvidenceRow.media_type,
                   EvidenceRow.size, EvidenceRow.sha256, User.username, EvidenceRow.uploaded_at,
                   EvidenceRow.assessment_version)
            .outerjoin(User, User.id == EvidenceRow.uploaded_by_id))  # fmt: skip


def _info(session: Session, evidence_id: int) -> EvidenceInfo:
    return EvidenceInfo(*session.execute(_info_query().where(EvidenceRow.id == evidence_id)).one())


@unit_of_work()
def list_evidence(session: Session, actor: Actor, assessment_id: int) -> dict[str, list[EvidenceInfo]]:
    """question id -> the evidence attached to it (no content), oldest first."""
    authorize(session, actor, Action.READ, "assessment", assessment_id)
    _load(session, actor, assessment_id, Action.READ)
    rows = session.execute(_info_query().where(EvidenceRow.assessment_id == assessment_id)
                           .order_by(EvidenceRow.question_id, EvidenceRow.id))  # fmt: skip
    found: dict[str, list[EvidenceInfo]] = {}
    for row in rows:
        found.setdefault(row.question_id, []).append(EvidenceInfo(*row))
    return found


def _in_scope(session: Session, actor: Actor, evidence_id: int, action: Action) -> EvidenceRow:
    """The evidence row, if its assessment's school is in the actor's scope (the assessment's where-clause)."""
    query = (select(EvidenceRow).join(Assessment, Assessment.id == EvidenceRow.assessment_id)
             .join(School, School.id == Assessment.school_id)
             .where(EvidenceRow.id == evidence_id, school_scope(actor)))  # fmt: skip
    row = session.scalar(query)
    if row is not None:
        return row
    if session.get(EvidenceRow, evidence_id) is None:
        raise NotFound("evidence", evidence_id)
    raise deny(actor, action, "evidence", evidence_id)


@unit_of_work(write=True)
def download_evidence(session: Session, actor: Actor, evidence_id: int) -> EvidenceFile:
    """The stored file, for whoever may read its assessment; every download is audit-logged."""
    authorize(session, actor, Action.READ, "evidence", evidence_id)
    row = _in_scope(session, actor, evidence_id, Action.READ)
    record(session, actor, "evidence_download", "evidence", evidence_id, assessment=row.assessment_id,
           question=row.question_id, sha256=row.sha256)  # fmt: skip
    return EvidenceFile(row.file_name, row.media_type, row.content)


@unit_of_work(write=True)
def remove_evidence(session: Session, actor: Actor, evidence_id: int) -> None:
    """Take a file away from a draft or returned assessment."""
    authorize(session, actor, Action.EDIT_ASSESSMENT, "evidence", evidence_id)
    row = _in_scope(session, actor, evidence_id, Action.EDIT_ASSESSMENT)
    status = session.scalar(select(Assessment.status).where(Assessment.id == row.assessment_id))
    if status not in EDITABLE:
        raise EvidenceRefused("evidence.read_only", row.file_name, row.question_id, status=status)
    record(session, actor, "evidence_remove", "assessment", row.assessment_id, question=row.question_id,
           file=row.file_name, sha256=row.sha256)  # fmt: skip
    session.delete(row)


@unit_of_work()
def evidence_counts(session: Session, actor: Actor, assessment_id: int) -> dict[str, int]:
    """question id -> how many files: all that exports and summaries carry of the evidence."""
    authorize(session, actor, Action.READ, "assessment", assessment_id)
    _load(session, actor, assessment_id, Action.READ)
    return count_by_question(session, assessment_id)


def count_by_question(session: Session, assessment_id: int) -> dict[str, int]:
    rows = session.execute(select(EvidenceRow.question_id, func.count()).where(
        EvidenceRow.assessment_id == assessment_id).group_by(EvidenceRow.question_id))  # fmt: skip
    return dict(rows.all())


@unit_of_work()
def school_evidence_usage(session: Session, actor: Actor, assessment_id: int) -> tuple[int, int]:
    """(bytes used by the school's evidence, the quota), for the page to show."""
    authorize(session, actor, Action.READ, "assessment", assessment_id)
    _, school = _load(session, actor, assessment_id, Action.READ)
    return _school_usage(session, school.id), SCHOOL_QUOTA_BYTES

"""The action plan carried out: tasks a school makes from its result's actions, one per question.

A task belongs to the school and the questionnaire, not to one assessment, so it carries
over from period to period. A task marked "selesai" shows beside its question when the next
assessment is started, as a reminder to update the answer; the answer never changes by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from auth import Action, Actor
from scoring.engine import Result, score_after

from .access import authorize, deny, school_scope
from .assessments import _load, _stored_answers
from .audit import record
from .errors import InvalidInput, NotFound, StaleVersion
from .limits import MAX_NOTE, limit_error
from .models import (
    Assessment,
    AssessmentResult,
    Base,
    QuestionnaireVersion,
    School,
    UTCDateTime,
    _in,
    utcnow,
)
from .questionnaires import stored_questionnaire
from .schools import school_id_in_scope
from .tx import unit_of_work

TASK_STATUSES = ("belum", "berjalan", "selesai")
OPEN = ("belum", "berjalan")
MAX_OWNER = 120

TEXTS: dict[str, tuple[str, str]] = {
    "task.owner": ("penanggung jawab: {problem}", "owner: {problem}"),
    "task.owner_needed": ("penanggung jawab: tuliskan nama orang yang mengerjakan tugas ini",
                          "owner: write the name of the person who does this task"),
    "task.note": ("catatan: {problem}", "note: {problem}"),
    "task.due": ("tenggat: '{value}' bukan tanggal antara 2020 dan 2100", "due date: '{value}' is not a date "
                 "between 2020 and 2100"),
    "task.status": ("status: '{value}' harus belum, berjalan atau selesai",
                    "status: '{value}' must be belum, berjalan or selesai"),
    "task.no_result": ("penilaian ini belum punya hasil; kirim penilaian dulu",
                       "this assessment has no result yet; submit it first"),
    "task.not_an_action": ("pertanyaan {question} tidak ada di rencana aksi hasil ini",
                           "question {question} is not in this result's action plan"),
    "task.exists": ("pertanyaan {question} sudah punya tugas; ubah tugas itu",
                    "question {question} already has a task; change that one"),
}


class TaskRefused(InvalidInput):
    def __init__(self, code: str, **values):
        self.code, self.values = code, values
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        indonesian, english = TEXTS[self.code]
        return (english if lang == "en" else indonesian).format(**self.values)


class TaskRow(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("school_id", "questionnaire_id", "question_id"),  # one task per question; serves reads
        CheckConstraint(_in("status", TASK_STATUSES), name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[str] = mapped_column(String(80))
    question_id: Mapped[str] = mapped_column(String(80))
    owner: Mapped[str] = mapped_column(String(MAX_OWNER))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    source_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"))
    source_period: Mapped[str] = mapped_column(String(6))  # the period of the result it came from
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)
    __mapper_args__ = {"version_id_col": version}


@dataclass(frozen=True)
class TaskInfo:
    id: int
    npsn: str
    questionnaire_id: str
    question_id: str
    owner: str
    due_date: date | None
    status: str
    note: str | None
    source_period: str
    updated_at: datetime
    completed_at: datetime | None
    version: int

    def overdue(self, today: date) -> bool:
        return self.status != "selesai" and self.due_date is not None and self.due_date < today


def _to_info(row: TaskRow, npsn: str) -> TaskInfo:
    return TaskInfo(row.id, npsn, row.questionnaire_id, row.question_id, row.owner, row.due_date, row.status,
                    row.note, row.source_period, row.updated_at, row.completed_at, row.version)  # fmt: skip


def _owner(owner: str) -> str:
    owner = (owner or "").strip()
    if not owner:
        raise TaskRefused("task.owner_needed")
    error = limit_error("owner", owner, MAX_OWNER)
    if error is not None:
        raise TaskRefused("task.owner", problem=str(error).split(": ", 1)[1])
    return owner


def _note(note: str | None) -> str | None:
    note = (note or "").strip()
    error = limit_error("note", note, MAX_NOTE, multiline=True)
    if error is not None:
        raise TaskRefused("task.note", problem=str(error).split(": ", 1)[1])
    return note or None


def _due(due_date: object) -> date | None:
    if due_date is None:
        return None
    if not isinstance(due_date, date) or isinstance(due_date, datetime) or not 2020 <= due_date.year <= 2100:
        raise TaskRefused("task.due", value=str(due_date)[:40])
    return due_date


def _status(status: str) -> str:
    if status not in TASK_STATUSES:
        raise TaskRefused("task.status", value=str(status)[:40])
    return status


@unit_of_work(write=True)
def create_task(
    session: Session, actor: Actor, assessment_id: int, question_id: str, owner: str,
    due_date: date | None = None, note: str | None = None,
) -> TaskInfo:
    """A task for one action of this assessment's result."""
    authorize(session, actor, Action.EDIT_ASSESSMENT, "assessment", assessment_id)
    assessment, school = _load(session, actor, assessment_id, Action.EDIT_ASSESSMENT)
    stored = session.scalar(select(AssessmentResult.result_json).where(AssessmentResult.assessment_id == assessment_id))
    if stored is None:
        raise TaskRefused("task.no_result")
    if question_id not in {a.question for a in Result.model_validate_json(stored).actions}:
        raise TaskRefused("task.not_an_action", question=str(question_id)[:80])
    owner, note, due_date = _owner(owner), _note(note), _due(due_date)
    existing = select(TaskRow.id).where(TaskRow.school_id == school.id, TaskRow.questionnaire_id ==
                                        assessment.questionnaire_id, TaskRow.question_id == question_id)  # fmt: skip
    if session.scalar(existing) is not None:
        raise TaskRefused("task.exists", question=question_id)
    now = utcnow()
    row = TaskRow(school_id=school.id, questionnaire_id=assessment.questionnaire_id, question_id=question_id,
                  owner=owner, due_date=due_date, status="belum", note=note,
                  source_assessment_id=assessment_id, source_period=assessment.period,
                  created_by_id=actor.user_id, created_at=now, updated_at=now)  # fmt: skip
    session.add(row)
    session.flush()
    record(session, actor, "task_create", "task", row.id, npsn=school.npsn, question=question_id, owner=owner,
           due_date=due_date, assessment=assessment_id)  # fmt: skip
    return _to_info(row, school.npsn)


def _task_in_scope(session: Session, actor: Actor, task_id: int, action: Action) -> tuple[TaskRow, str]:
    found = session.execute(select(TaskRow, School.npsn).join(School, School.id == TaskRow.school_id)
                            .where(TaskRow.id == task_id, school_scope(actor))).one_or_none()  # fmt: skip
    if found is not None:
        return found[0], found[1]
    if session.get(TaskRow, task_id) is None:
        raise NotFound("task", task_id)
    raise deny(actor, action, "task", task_id)


KEEP = object()


@unit_of_work(write=True)
def update_task(
    session: Session, actor: Actor, task_id: int, expected_version: int, *,
    owner: object = KEEP, due_date: object = KEEP, status: object = KEEP, note: object = KEEP,
) -> TaskInfo:
    """Change what the school changed of one task; the rest stays as stored."""
    authorize(session, actor, Action.EDIT_ASSESSMENT, "task", task_id)
    row, npsn = _task_in_scope(session, actor, task_id, Action.EDIT_ASSESSMENT)
    if row.version != expected_version:
        raise StaleVersion(task_id, expected_version, row.version)
    changes = {}
    if owner is not KEEP:
        changes["owner"] = _owner(owner)
    if due_date is not KEEP:
        changes["due_date"] = _due(due_date)
    if note is not KEEP:
        changes["note"] = _note(note)
    if status is not KEEP:
        changes["status"] = _status(status)
        if changes["status"] != row.status:
            row.completed_at = utcnow() if changes["status"] == "selesai" else None
    for key, value in changes.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise StaleVersion(task_id, expected_version, expected_version + 1) from None
    record(session, actor, "task_update", "task", task_id, npsn=npsn, question=row.question_id,
           **{k: v for k, v in changes.items()})  # fmt: skip
    return _to_info(row, npsn)


@unit_of_work(write=True)
def delete_task(session: Session, actor: Actor, task_id: int) -> None:
    authorize(session, actor, Action.EDIT_ASSESSMENT, "task", task_id)
    row, npsn = _task_in_scope(session, actor, task_id, Action.EDIT_ASSESSMENT)
    record(session, actor, "task_delete", "task", task_id, npsn=npsn, question=row.question_id)
    session.delete(row)


def _order(task: TaskInfo, today: date) -> tuple:
    return (not task.overdue(today), TASK_STATUSES.index(task.status), task.due_date or date.max, task.question_id)


@unit_of_work()
def list_tasks(session: Session, actor: Actor, npsn: str, questionnaire_id: str, today: date) -> list[TaskInfo]:
    """The school's plan for one questionnaire: overdue tasks first, then by status and due date."""
    authorize(session, actor, Action.READ, "school", npsn)
    school_id = school_id_in_scope(session, actor, npsn, Action.READ)
    rows = session.scalars(select(TaskRow).where(TaskRow.school_id == school_id,
                                                 TaskRow.questionnaire_id == questionnaire_id))  # fmt: skip
    return sorted((_to_info(r, npsn) for r in rows), key=lambda t: _order(t, today))


@unit_of_work()
def task_reminders(session: Session, actor: Actor, assessment_id: int) -> dict[str, TaskInfo]:
    """question id -> a task marked selesai in an earlier period: beside the question of a new
    assessment, a reminder to update its answer (nothing changes by itself)."""
    authorize(session, actor, Action.READ, "assessment", assessment_id)
    assessment, school = _load(session, actor, assessment_id, Action.READ)
    rows = session.scalars(select(TaskRow).where(
        TaskRow.school_id == school.id, TaskRow.questionnaire_id == assessment.questionnaire_id,
        TaskRow.status == "selesai", TaskRow.source_period < assessment.period))  # fmt: skip
    return {r.question_id: _to_info(r, school.npsn) for r in rows}


@dataclass(frozen=True)
class Projection:
    period: str
    score: float | None  # the latest result's overall score
    projected: float | None  # the same answers with every open task's question at 3
    open_questions: tuple[str, ...]


@unit_of_work()
def projected_score(session: Session, actor: Actor, npsn: str, questionnaire_id: str) -> Projection | None:
    """The latest result's score and what it becomes when the open tasks are done (the engine's
    score_after); None when the school has no result on this questionnaire."""
    authorize(session, actor, Action.READ, "school", npsn)
    school_id = school_id_in_scope(session, actor, npsn, Action.READ)
    latest = session.execute(
        select(Assessment.id, Assessment.period, AssessmentResult.score)
        .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .where(Assessment.school_id == school_id, Assessment.questionnaire_id == questionnaire_id)
        .order_by(Assessment.period.desc()).limit(1)).one_or_none()  # fmt: skip
    if latest is None:
        return None
    assessment, _ = _load(session, actor, latest.id, Action.READ)
    open_questions = tuple(sorted(session.scalars(select(TaskRow.question_id).where(
        TaskRow.school_id == school_id, TaskRow.questionnaire_id == questionnaire_id,
        TaskRow.status.in_(OPEN)))))  # fmt: skip
    questionnaire = stored_questionnaire(session.get(QuestionnaireVersion, assessment.questionnaire_version_id))
    known = [q for q in open_questions if questionnaire.question(q) is not None]
    projected = score_after(questionnaire, _stored_answers(session, assessment), known)
    return Projection(latest.period, latest.score, projected, open_questions)

"""Assessments: start, save drafts, submit with scores, verify or return.

draft → submitted → verified, or submitted → returned → submitted again.
Every change checks the version counter the caller last saw, so one operator
never silently overwrites another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from auth import Action, Actor
from scoring.engine import score
from scoring.loader import Problem, check_answers
from scoring.messages import msg
from scoring.models import AnswerEntry, Answers, Baseline, Questionnaire
from scoring.models import School as ScoringSchool

from .access import authorize, deny, province_in_scope, school_scope
from .aggregates.hook import changing as aggregates_changing
from .aggregates.improvements import assessment_changing as improvements_changing
from .audit import record
from .baselines import stored_baseline_for
from .errors import Incomplete, InvalidAnswers, InvalidInput, NotFound, StaleVersion, WrongStatus
from .limits import MAX_NOTE, check_text
from .models import (
    Answer,
    Assessment,
    AssessmentResult,
    DomainScore,
    Province,
    QuestionnaireVersion,
    School,
    User,
    utcnow,
)
from .questionnaires import _version_row, stored_questionnaire
from .schools import school_id_in_scope
from .tx import unit_of_work

PERIOD = re.compile(r"^20\d\d-[12]$")
EDITABLE = ("draft", "returned")


@dataclass(frozen=True)
class AssessmentInfo:
    id: int
    npsn: str
    school_name: str
    questionnaire_id: str
    questionnaire_version: str
    period: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str | None
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    return_reasons: str | None
    answers: Answers | None = None  # only from get_assessment


def check_period(period: str) -> str:
    if not PERIOD.match(period):
        raise InvalidInput(f"Period '{period}' must be a year and semester, like 2025-1 or 2025-2.")
    return period


def _load(session: Session, actor: Actor, assessment_id: int, action: Action) -> tuple[Assessment, School]:
    """The assessment and its school, if the school is in the actor's scope."""
    query = (
        select(Assessment, School)
        .join(School, School.id == Assessment.school_id)
        .where(Assessment.id == assessment_id, school_scope(actor))
    )
    found = session.execute(query).one_or_none()
    if found is not None:
        return found[0], found[1]
    if session.get(Assessment, assessment_id) is None:
        raise NotFound("assessment", assessment_id)
    raise deny(actor, action, "assessment", assessment_id)


def _info_query() -> Select:
    """Assessments with what AssessmentInfo names: school, questionnaire version, who changed them."""
    updater, reviewer = aliased(User), aliased(User)
    return (
        select(Assessment, School.npsn, School.name, QuestionnaireVersion.version, updater.username, reviewer.username)
        .join(School, School.id == Assessment.school_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_version_id)
        .outerjoin(updater, updater.id == Assessment.updated_by_id)
        .outerjoin(reviewer, reviewer.id == Assessment.reviewed_by_id)
    )


def _info(session: Session, assessment_id: int, with_answers: bool = False) -> AssessmentInfo:
    row = session.execute(_info_query().where(Assessment.id == assessment_id)).one()
    return _to_info(row, _stored_answers(session, row[0]) if with_answers else None)


def _to_info(row, answers: Answers | None = None) -> AssessmentInfo:
    a, npsn, name, qversion, updated_by, reviewed_by = row
    return AssessmentInfo(
        a.id, npsn, name, a.questionnaire_id, qversion, a.period, a.status, a.version, a.created_at,
        a.updated_at, updated_by, a.submitted_at, reviewed_by, a.reviewed_at, a.return_reasons, answers,
    )  # fmt: skip


def _stored_answers(session: Session, assessment: Assessment, school: School | None = None) -> Answers:
    qv = session.get(QuestionnaireVersion, assessment.questionnaire_version_id)
    rows = session.execute(select(Answer.question_id, Answer.value, Answer.not_applicable, Answer.note)
                           .where(Answer.assessment_id == assessment.id))  # plain rows: no ORM objects to track
    entries = {qid: AnswerEntry(value="na" if na else value, note=note) for qid, value, na, note in rows}
    scoring_school = None
    if school is not None:
        province = session.get(Province, school.province_code).name
        scoring_school = ScoringSchool(npsn=school.npsn, name=school.name, jenjang=school.jenjang, province=province)
    return Answers(questionnaire=qv.questionnaire_id, version=qv.version, school=scoring_school, answers=entries)


@unit_of_work(write=True)
def get_or_create_assessment(
    session: Session, actor: Actor, npsn: str, questionnaire_id: str, period: str
) -> AssessmentInfo:
    """The school's assessment for this questionnaire and period; a new draft on the
    active questionnaire version if there is none yet."""
    authorize(session, actor, Action.EDIT_ASSESSMENT, "school", npsn)
    check_period(period)
    school_id = school_id_in_scope(session, actor, npsn, Action.EDIT_ASSESSMENT)
    existing = select(Assessment.id).where(
        Assessment.school_id == school_id, Assessment.questionnaire_id == questionnaire_id, Assessment.period == period
    )
    found = session.scalar(existing)
    if found is not None:
        return _info(session, found)
    version_row = _version_row(session, questionnaire_id, None)
    now = utcnow()
    assessment = Assessment(
        school_id=school_id, questionnaire_id=questionnaire_id, questionnaire_version_id=version_row.id,
        period=period, status="draft", created_by_id=actor.user_id, created_at=now,
        updated_by_id=actor.user_id, updated_at=now,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(assessment)
    except IntegrityError:  # someone else started it at the same moment
        return _info(session, session.scalar(existing))
    record(session, actor, "create_assessment", "assessment", assessment.id,
           npsn=npsn, questionnaire=f"{questionnaire_id}@{version_row.version}", period=period)  # fmt: skip
    return _info(session, assessment.id)


@unit_of_work()
def get_assessment(session: Session, actor: Actor, assessment_id: int) -> AssessmentInfo:
    """One assessment with its answers."""
    authorize(session, actor, Action.READ, "assessment", assessment_id)
    _load(session, actor, assessment_id, Action.READ)
    return _info(session, assessment_id, with_answers=True)


@unit_of_work()
def list_assessments(
    session: Session,
    actor: Actor,
    *,
    questionnaire_id: str | None = None,
    period: str | None = None,
    status: str | None = None,
    npsn: str | None = None,
    province_code: str | None = None,
    limit: int = 500,
) -> list[AssessmentInfo]:
    """Assessments in scope, newest change first: an operator's list, an auditor's queue."""
    authorize(session, actor, Action.READ, "assessments")
    # A filter that names something outside the scope is an access error, not an empty list.
    if npsn is not None:
        school_id_in_scope(session, actor, npsn, Action.READ)
    if province_code is not None and not province_in_scope(session, actor, province_code):
        raise deny(actor, Action.READ, "province", province_code)
    query = _info_query().where(school_scope(actor))
    for column, value in (
        (Assessment.questionnaire_id, questionnaire_id), (Assessment.period, period),
        (Assessment.status, status), (School.npsn, npsn), (School.province_code, province_code),
    ):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    query = query.order_by(Assessment.updated_at.desc(), Assessment.id.desc()).limit(limit)
    return [_to_info(row) for row in session.execute(query)]


def unanswered(questionnaire: Questionnaire, answers: Answers) -> list[str]:
    """The questions without an answer, in questionnaire order; a submission needs none ('na' counts)."""
    return [q.id for _, q in questionnaire.questions() if q.id not in answers.answers]


def _check_version(assessment: Assessment, expected_version: int) -> None:
    if assessment.version != expected_version:
        raise StaleVersion(assessment.id, expected_version, assessment.version)


def _touch(session: Session, actor: Actor, assessment: Assessment, expected_version: int, **changes) -> None:
    """Apply changes and bump the version; the UPDATE only matches the version read."""
    _check_version(assessment, expected_version)
    for key, value in changes.items():
        setattr(assessment, key, value)
    assessment.updated_by_id, assessment.updated_at = actor.user_id, utcnow()
    try:
        session.flush()
    except StaleDataError:  # another transaction changed it after we read it
        session.rollback()
        current = session.scalar(select(Assessment.version).where(Assessment.id == assessment.id))
        raise StaleVersion(assessment.id, expected_version, current) from None


def _entries(answers: Mapping[str, object]) -> dict[str, AnswerEntry | None]:
    entries: dict[str, AnswerEntry | None] = {}
    problems = []
    for qid, value in answers.items():
        note = value.get("note") if isinstance(value, Mapping) else getattr(value, "note", None)
        if isinstance(note, str):  # before the model, whose own limit would read as a wrong value
            check_text(f"answers.{qid}.note", note, MAX_NOTE, multiline=True)
        try:
            entries[qid] = None if value is None else AnswerEntry.model_validate(value)
        except ValidationError:
            problems.append(
                Problem("answers", None, f"answers.{qid}", msg("answer.value"))
            )
    if problems:
        raise InvalidAnswers(problems)
    return entries


@unit_of_work(write=True)
def save_draft(
    session: Session, actor: Actor, assessment_id: int, answers: Mapping[str, object], expected_version: int
) -> int:
    """Store these answers (question id → AnswerEntry, a value, "na", or None to clear);
    other stored answers stay. Returns the new version counter."""
    assessment = _editable(session, actor, assessment_id, expected_version)
    return _store_entries(session, actor, assessment, _entries(answers), expected_version)


KEEP = object()  # save_answer: leave this part of the stored answer as it is


@unit_of_work(write=True)
def save_answer(
    session: Session, actor: Actor, assessment_id: int, question_id: str, expected_version: int,
    *, value: object = KEEP, note: object = KEEP,
) -> int:
    """Change one part of one answer, the part the operator just changed: its value
    (None clears the answer) or its note. The other part stays as stored, so a screen
    that shows an old value can never write it back. Returns the new version counter."""
    assessment = _editable(session, actor, assessment_id, expected_version)
    stored = session.scalar(
        select(Answer).where(Answer.assessment_id == assessment_id, Answer.question_id == question_id))
    stored_value = None if stored is None else ("na" if stored.not_applicable else stored.value)
    stored_note = None if stored is None else stored.note
    new_value = stored_value if value is KEEP else value
    new_note = stored_note if note is KEEP else ((note or "").strip() or None)
    if new_value is None and note is not KEEP and new_note is not None:
        raise InvalidInput(msg("answer.note_needs_answer"))
    entry = None if new_value is None else {"value": new_value, "note": new_note}
    return _store_entries(session, actor, assessment, _entries({question_id: entry}), expected_version)


def _editable(session: Session, actor: Actor, assessment_id: int, expected_version: int) -> Assessment:
    authorize(session, actor, Action.EDIT_ASSESSMENT, "assessment", assessment_id)
    assessment, _ = _load(session, actor, assessment_id, Action.EDIT_ASSESSMENT)
    if assessment.status not in EDITABLE:
        raise WrongStatus(
            f"Assessment {assessment_id} is {assessment.status}; only a draft or a returned one can change."
        )
    _check_version(assessment, expected_version)
    return assessment


def _store_entries(
    session: Session, actor: Actor, assessment: Assessment, entries: dict[str, AnswerEntry | None],
    expected_version: int,
) -> int:
    qv = session.get(QuestionnaireVersion, assessment.questionnaire_version_id)
    questionnaire = stored_questionnaire(qv)
    given = Answers(questionnaire=qv.questionnaire_id, version=qv.version,
                    answers={k: v for k, v in entries.items() if v is not None})  # fmt: skip
    unknown = [Problem("answers", None, f"answers.{k}", msg("answer.unknown_question", qid=k))
               for k, v in entries.items() if v is None and questionnaire.question(k) is None]  # fmt: skip
    problems = unknown + check_answers(questionnaire, given)
    if problems:
        raise InvalidAnswers(problems)
    _touch(session, actor, assessment, expected_version)
    if entries:
        session.execute(
            delete(Answer).where(Answer.assessment_id == assessment.id, Answer.question_id.in_(list(entries)))
        )
    rows = [_answer_row(assessment.id, qid, e) for qid, e in entries.items() if e is not None]
    if rows:
        session.execute(Answer.__table__.insert(), rows)
    record(
        session, actor, "save_draft", "assessment", assessment.id, questions=len(entries), version=assessment.version
    )
    return assessment.version


def _answer_row(assessment_id: int, qid: str, entry: AnswerEntry) -> dict:
    na = entry.is_na
    return {"assessment_id": assessment_id, "question_id": qid, "value": None if na else entry.value,
            "not_applicable": na, "note": entry.note}  # fmt: skip


@unit_of_work(write=True)
def submit(
    session: Session, actor: Actor, assessment_id: int, expected_version: int, baseline: Baseline | None = None
) -> AssessmentInfo:
    """Check that every question is answered, score, and store answers' scores and the
    new status in one transaction: all or nothing."""
    authorize(session, actor, Action.EDIT_ASSESSMENT, "assessment", assessment_id)
    assessment, school = _load(session, actor, assessment_id, Action.EDIT_ASSESSMENT)
    if assessment.status not in EDITABLE:
        raise WrongStatus(f"Assessment {assessment_id} is already {assessment.status}.")
    _check_version(assessment, expected_version)
    questionnaire = stored_questionnaire(session.get(QuestionnaireVersion, assessment.questionnaire_version_id))
    answers = _stored_answers(session, assessment, school)
    problems = check_answers(questionnaire, answers)
    if problems:
        raise InvalidAnswers(problems)
    missing = unanswered(questionnaire, answers)
    if missing:
        raise Incomplete(missing)
    # Measured against the active stored baseline unless the caller names one.
    baseline = baseline or stored_baseline_for(session, questionnaire)
    result = score(questionnaire, answers, baseline, jenjang=school.jenjang)
    now = utcnow()
    _touch(session, actor, assessment, expected_version, status="submitted", submitted_at=now, return_reasons=None)
    write_result(session, assessment_id, result, now)
    record(session, actor, "submit", "assessment", assessment_id,
           score=result.overall.score, band=result.overall.band, version=assessment.version)  # fmt: skip
    return _info(session, assessment_id)


def write_result(session: Session, assessment_id: int, result, scored_at: datetime) -> None:
    aggregates_changing(session, assessment_id)  # the aggregates follow, in this transaction
    improvements_changing(session, assessment_id)
    session.execute(delete(DomainScore).where(DomainScore.assessment_id == assessment_id))
    session.execute(delete(AssessmentResult).where(AssessmentResult.assessment_id == assessment_id))
    session.execute(AssessmentResult.__table__.insert(), [result_row(assessment_id, result, scored_at)])
    session.execute(DomainScore.__table__.insert(), domain_rows(assessment_id, result))


def result_row(assessment_id: int, result, scored_at: datetime) -> dict:
    o = result.overall
    return {"assessment_id": assessment_id, "score": o.score, "points": o.points, "max_points": o.max_points,
            "maturity_level": o.maturity, "readiness_band": o.band, "target": o.target, "gap": o.gap,
            "completeness": result.completeness, "scored_at": scored_at,
            "result_json": result.model_dump_json()}  # fmt: skip


def domain_rows(assessment_id: int, result) -> list[dict]:
    return [{"assessment_id": assessment_id, "domain_id": d.id, "score": d.score, "points": d.points,
             "max_points": d.max_points, "maturity_level": d.maturity, "target": d.target, "gap": d.gap}
            for d in result.domains]  # fmt: skip

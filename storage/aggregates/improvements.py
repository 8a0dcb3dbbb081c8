"""What similar schools improved first: per questionnaire, period, jenjang and place (the nation
or one province), how many schools raised each question from below 2 to 2 or more since their
previous period's scored assessment, and how many schools had two such periods at all.

Kept on write: before a transaction that changed a scored assessment (or moved a school)
commits, that school's own rows are recomputed from its few assessments and the difference is
added to the counts. A page view reads a handful of count rows; it never scans answers.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, delete, event, func, insert, inspect, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..models import Answer, Assessment, AssessmentResult, Base, School
from .contributions import SCORED
from .upsert import add_counts

NATIONAL = ""  # province_code of the national rows
RAISED_FROM, RAISED_TO = 2, 2  # below 2 before, 2 or more after
_KEY = "siaga_improvements"


class SchoolImprovementPair(Base):
    """One school with scored assessments in two consecutive periods (`period` is the later),
    with the group it was counted in."""

    __tablename__ = "school_improvement_pairs"
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    period: Mapped[str] = mapped_column(String(6), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2))
    jenjang: Mapped[str] = mapped_column(String(3))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    previous_assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))


class SchoolImprovement(Base):
    """A question that school raised from below 2 to 2 or more between `period`'s previous one and it."""

    __tablename__ = "school_improvements"
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    period: Mapped[str] = mapped_column(String(6), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)


class AggregateImprovementPairs(Base):
    __tablename__ = "agg_improvement_pairs"
    questionnaire_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    period: Mapped[str] = mapped_column(String(6), primary_key=True)
    jenjang: Mapped[str] = mapped_column(String(3), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)  # '' for the nation
    n: Mapped[int] = mapped_column(Integer)


class AggregateImprovement(Base):
    __tablename__ = "agg_improvements"
    questionnaire_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    period: Mapped[str] = mapped_column(String(6), primary_key=True)
    jenjang: Mapped[str] = mapped_column(String(3), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


def previous_period(period: str) -> str:
    year, semester = int(period[:4]), int(period[5])
    return f"{year}-1" if semester == 2 else f"{year - 1}-2"


def school_rows(connection, school_id: int, questionnaire_id: str) -> tuple[dict, set]:
    """(period -> (province, jenjang, assessment, previous assessment), {(period, question)})
    as the school's scored assessments say now."""
    school = connection.execute(select(School.province_code, School.jenjang)
                                .where(School.id == school_id)).one_or_none()  # fmt: skip
    if school is None:
        return {}, set()
    answers: dict[str, dict[str, int | None]] = {}
    ids: dict[str, int] = {}
    rows = connection.execute(
        select(Assessment.id, Assessment.period, Answer.question_id, Answer.value)
        .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .outerjoin(Answer, Answer.assessment_id == Assessment.id)
        .where(Assessment.school_id == school_id, Assessment.questionnaire_id == questionnaire_id,
               Assessment.status.in_(SCORED)))  # fmt: skip
    for assessment_id, period, question_id, value in rows:
        ids[period] = assessment_id
        if question_id is not None:
            answers.setdefault(period, {})[question_id] = value
    pairs, improved = {}, set()
    for period in ids:
        before_period = previous_period(period)
        if before_period not in ids:
            continue
        pairs[period] = (school.province_code, school.jenjang, ids[period], ids[before_period])
        before = answers.get(before_period, {})
        for qid, value in answers.get(period, {}).items():
            old = before.get(qid)
            if value is not None and old is not None and old < RAISED_FROM and value >= RAISED_TO:
                improved.add((period, qid))
    return pairs, improved


def _stored(connection, school_id: int, questionnaire_id: str) -> tuple[dict, set]:
    pair = SchoolImprovementPair
    pairs = {p: (prov, j, a, b) for p, prov, j, a, b in connection.execute(
        select(pair.period, pair.province_code, pair.jenjang, pair.assessment_id, pair.previous_assessment_id)
        .where(SchoolImprovementPair.school_id == school_id,
               SchoolImprovementPair.questionnaire_id == questionnaire_id))}  # fmt: skip
    improved = set(tuple(r) for r in connection.execute(
        select(SchoolImprovement.period, SchoolImprovement.question_id)
        .where(SchoolImprovement.school_id == school_id, SchoolImprovement.questionnaire_id == questionnaire_id)
    ).all())  # fmt: skip
    return pairs, improved


def _counts(questionnaire_id: str, pairs: dict, improved: set, sign: int, pair_counts: dict, counts: dict) -> None:
    for period, (province, jenjang, _, _) in pairs.items():
        for place in (NATIONAL, province):
            key = (questionnaire_id, period, jenjang, place)
            pair_counts[key] = pair_counts.get(key, 0) + sign
    for period, qid in improved:
        province, jenjang, _, _ = pairs[period]
        for place in (NATIONAL, province):
            key = (questionnaire_id, period, jenjang, place, qid)
            counts[key] = counts.get(key, 0) + sign


def refresh_school(connection, school_id: int, questionnaire_id: str) -> None:
    """Make the school's rows what its assessments say, and add the difference to the counts."""
    old_pairs, old_improved = _stored(connection, school_id, questionnaire_id)
    new_pairs, new_improved = school_rows(connection, school_id, questionnaire_id)
    if (old_pairs, old_improved) == (new_pairs, new_improved):
        return
    pair_counts: dict = {}
    counts: dict = {}
    _counts(questionnaire_id, old_pairs, old_improved, -1, pair_counts, counts)
    _counts(questionnaire_id, new_pairs, new_improved, 1, pair_counts, counts)
    where = dict(school_id=school_id, questionnaire_id=questionnaire_id)
    connection.execute(delete(SchoolImprovement).filter_by(**where))
    connection.execute(delete(SchoolImprovementPair).filter_by(**where))
    if new_pairs:
        connection.execute(SchoolImprovementPair.__table__.insert(), [
            {**where, "period": p, "province_code": prov, "jenjang": j, "assessment_id": a,
             "previous_assessment_id": b} for p, (prov, j, a, b) in new_pairs.items()])
    if new_improved:
        connection.execute(SchoolImprovement.__table__.insert(), [
            {**where, "period": p, "question_id": q} for p, q in sorted(new_improved)])
    _add(connection, AggregateImprovementPairs, pair_counts)
    _add(connection, AggregateImprovement, counts)


def _add(connection, table, deltas: dict) -> None:
    keys = tuple(c.name for c in table.__table__.primary_key.columns)
    add_counts(connection, table, keys, [(*k, n) for k, n in deltas.items() if n])


# --- kept on write --------------------------------------------------------------------------


def changing(session: Session, school_id: int, questionnaire_id: str | None) -> None:
    """Note a school (and questionnaire; None: all of them) to recompute before commit."""
    session.info.setdefault(_KEY, set()).add((school_id, questionnaire_id))


def assessment_changing(session: Session, assessment_id: int) -> None:
    """Call when an assessment's stored result is replaced outside the ORM."""
    assessment = session.get(Assessment, assessment_id)  # most callers hold it: no query
    if assessment is not None:
        changing(session, assessment.school_id, assessment.questionnaire_id)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Assessment) and obj.school_id is not None:
            state = inspect(obj)
            if obj in session.new or obj in session.deleted or state.attrs.status.history.has_changes():
                changing(session, obj.school_id, obj.questionnaire_id)
                old_school = state.attrs.school_id.history.deleted
                if old_school:
                    changing(session, old_school[0], obj.questionnaire_id)
        elif isinstance(obj, School) and obj.id is not None and obj in session.dirty:
            state = inspect(obj)
            if state.attrs.jenjang.history.has_changes() or state.attrs.province_code.history.has_changes():
                changing(session, obj.id, None)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return
    session.flush()
    pending = session.info.pop(_KEY, None)
    if not pending:
        return
    connection = session.connection()
    for school_id, questionnaire_id in sorted(pending, key=lambda p: (p[0], p[1] or "")):
        if questionnaire_id is None:
            questionnaires = set(connection.scalars(
                select(Assessment.questionnaire_id).where(Assessment.school_id == school_id)))  # fmt: skip
            questionnaires |= set(connection.scalars(select(SchoolImprovementPair.questionnaire_id)
                                                     .where(SchoolImprovementPair.school_id == school_id)))
        else:
            questionnaires = {questionnaire_id}
        for qid in sorted(questionnaires):
            refresh_school(connection, school_id, qid)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_KEY, None)


def rebuild_improvements(connection: Connection) -> None:
    """Recompute every row from the stored assessments, set by set (after a restore or a
    migration, and the yardstick the tests hold the kept rows to)."""
    for table in (AggregateImprovement, AggregateImprovementPairs, SchoolImprovement, SchoolImprovementPair):
        connection.execute(delete(table))
    scored = connection.execute(
        select(Assessment.id, Assessment.school_id, Assessment.questionnaire_id, Assessment.period,
               School.province_code, School.jenjang)
        .join(School, School.id == Assessment.school_id)
        .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .where(Assessment.status.in_(SCORED))).all()  # fmt: skip
    by_key = {(r.school_id, r.questionnaire_id, r.period): r for r in scored}
    pair_rows = []
    for (school_id, questionnaire_id, period), row in by_key.items():
        before = by_key.get((school_id, questionnaire_id, previous_period(period)))
        if before is not None:
            pair_rows.append({"school_id": school_id, "questionnaire_id": questionnaire_id, "period": period,
                              "province_code": row.province_code, "jenjang": row.jenjang,
                              "assessment_id": row.id, "previous_assessment_id": before.id})  # fmt: skip
    for start in range(0, len(pair_rows), 5000):
        connection.execute(SchoolImprovementPair.__table__.insert(), pair_rows[start : start + 5000])
    pair, now, before = SchoolImprovementPair, Answer.__table__.alias("now"), Answer.__table__.alias("before")
    raised = (select(pair.school_id, pair.questionnaire_id, pair.period, now.c.question_id)
              .join(now, now.c.assessment_id == pair.assessment_id)
              .join(before, (before.c.assessment_id == pair.previous_assessment_id)
                    & (before.c.question_id == now.c.question_id))
              .where(before.c.value < RAISED_FROM, now.c.value >= RAISED_TO))  # fmt: skip
    connection.execute(insert(SchoolImprovement).from_select(
        ["school_id", "questionnaire_id", "period", "question_id"], raised))  # fmt: skip
    imp = SchoolImprovement
    for place in (literal(NATIONAL), pair.province_code):
        by_place = [] if place is not pair.province_code else [place]  # PostgreSQL groups by no constant
        connection.execute(insert(AggregateImprovementPairs).from_select(
            ["questionnaire_id", "period", "jenjang", "province_code", "n"],
            select(pair.questionnaire_id, pair.period, pair.jenjang, place, func.count())
            .group_by(pair.questionnaire_id, pair.period, pair.jenjang, *by_place)))  # fmt: skip
        connection.execute(insert(AggregateImprovement).from_select(
            ["questionnaire_id", "period", "jenjang", "province_code", "question_id", "n"],
            select(imp.questionnaire_id, imp.period, pair.jenjang, place, imp.question_id, func.count())
            .join(pair, (pair.school_id == imp.school_id) & (pair.questionnaire_id == imp.questionnaire_id)
                  & (pair.period == imp.period))
            .group_by(imp.questionnaire_id, imp.period, pair.jenjang, imp.question_id, *by_place)))  # fmt: skip

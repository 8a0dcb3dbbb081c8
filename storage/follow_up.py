"""Following the plans up: for an auditor, the overdue tasks, each school's share of planned
actions done and the schools with a result but no plan; for a leader, the same shares per
province, shown only where at least 5 schools make the figure. Always within the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, and_, case, exists, func, select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize, school_scope
from .aggregates.peers import MIN_SCHOOLS
from .assessments import check_period
from .models import Assessment, AssessmentResult, Province, School
from .results import SCORED
from .tasks import OPEN, TaskRow
from .tx import unit_of_work


@dataclass(frozen=True)
class OverdueTask:
    npsn: str
    school_name: str
    question_id: str
    owner: str
    due_date: date
    status: str


@dataclass(frozen=True)
class SchoolPlan:
    npsn: str
    school_name: str
    province_code: str
    tasks: int
    done: int
    overdue: int

    @property
    def share_done(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0


@dataclass(frozen=True)
class FollowUp:
    overdue: list[OverdueTask]
    plans: list[SchoolPlan]
    without_plan: list[tuple[str, str]]  # (npsn, name): a result of the period, no task


def _done():
    return func.sum(case((TaskRow.status == "selesai", 1), else_=0)).cast(Integer)


def _overdue(today: date):
    return func.sum(case((and_(TaskRow.status.in_(OPEN), TaskRow.due_date < today), 1), else_=0)).cast(Integer)


@unit_of_work()
def follow_up(
    session: Session, actor: Actor, questionnaire_id: str, period: str, today: date, limit: int = 500
) -> FollowUp:
    """What an auditor follows up in their provinces, at most `limit` rows of each list."""
    authorize(session, actor, Action.READ, "tasks", questionnaire_id)
    check_period(period)
    in_scope = [TaskRow.questionnaire_id == questionnaire_id, school_scope(actor)]
    overdue = session.execute(
        select(School.npsn, School.name, TaskRow.question_id, TaskRow.owner, TaskRow.due_date, TaskRow.status)
        .join(School, School.id == TaskRow.school_id)
        .where(*in_scope, TaskRow.status.in_(OPEN), TaskRow.due_date < today)
        .order_by(TaskRow.due_date, School.npsn, TaskRow.question_id).limit(limit)).all()  # fmt: skip
    plans = session.execute(
        select(School.npsn, School.name, School.province_code, func.count(), _done(), _overdue(today))
        .join(School, School.id == TaskRow.school_id).where(*in_scope)
        .group_by(School.id, School.npsn, School.name, School.province_code)
        .order_by(School.province_code, School.npsn).limit(limit)).all()  # fmt: skip
    has_plan = exists().where(TaskRow.school_id == School.id, TaskRow.questionnaire_id == questionnaire_id)
    without = session.execute(
        select(School.npsn, School.name).join(Assessment, Assessment.school_id == School.id)
        .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .where(Assessment.questionnaire_id == questionnaire_id, Assessment.period == period,
               Assessment.status.in_(SCORED), school_scope(actor), ~has_plan)
        .order_by(School.province_code, School.npsn).limit(limit)).all()  # fmt: skip
    return FollowUp([OverdueTask(*r) for r in overdue], [SchoolPlan(*r) for r in plans],
                    [tuple(r) for r in without])  # fmt: skip


@dataclass(frozen=True)
class PlanShare:
    province_code: str
    province_name: str
    schools: int  # schools with at least one task
    tasks: int | None  # None: withheld, fewer than MIN_SCHOOLS schools
    done: int | None
    overdue: int | None

    @property
    def shown(self) -> bool:
        return self.tasks is not None

    @property
    def share_done(self) -> float | None:
        return None if not self.tasks else self.done / self.tasks


@unit_of_work()
def plan_shares_by_province(session: Session, actor: Actor, questionnaire_id: str, today: date) -> list[PlanShare]:
    """Per province in scope: how many schools have a plan, and the share of planned actions
    done and overdue; withheld where fewer than MIN_SCHOOLS schools have a plan."""
    authorize(session, actor, Action.READ, "tasks", questionnaire_id)
    rows = session.execute(
        select(School.province_code, Province.name, func.count(func.distinct(School.id)), func.count(), _done(),
               _overdue(today))
        .join(School, School.id == TaskRow.school_id).join(Province, Province.code == School.province_code)
        .where(TaskRow.questionnaire_id == questionnaire_id, school_scope(actor))
        .group_by(School.province_code, Province.name).order_by(School.province_code)).all()  # fmt: skip
    return [PlanShare(code, name, schools, *((tasks, done, overdue) if schools >= MIN_SCHOOLS else (None,) * 3))
            for code, name, schools, tasks, done, overdue in rows]  # fmt: skip

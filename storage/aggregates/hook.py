"""The one place every result change goes through: the aggregates are updated in the same
transaction as the change, so they are never stale.

Before a flush writes a change to an assessment's status, questionnaire version, period or
school, or to a school's province, kabupaten/kota, jenjang or status, the contribution of the
assessments concerned is read as the database still holds it. `write_result` calls `changing`
before it replaces a stored result. Just before the transaction commits, the contribution is
read again and the difference is written. A rollback forgets it all.
"""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..models import Assessment, School
from .contributions import SCORED, Rows, apply, contribution, difference

ASSESSMENT_FIELDS = ("status", "questionnaire_version_id", "period", "school_id")
SCHOOL_FIELDS = ("province_code", "kabupaten_kota", "jenjang", "status")
_KEY = "siaga_aggregates"


class _Pending:
    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.pairs: set[tuple[int, int]] = set()  # (school id, version id) for the LATEST period
        self.new: list[Assessment] = []
        self.before: Rows = {}

    def capture(self, session: Session, ids: set[int], pairs: set[tuple[int, int]]) -> None:
        # An assessment new in this transaction had nothing before it.
        ids = ids - self.ids - {obj.id for obj in self.new}
        pairs = pairs - self.pairs
        for k, v in contribution(session, ids, pairs).items():
            self.before[k] = [a + b for a, b in zip(self.before.get(k, [0] * len(v)), v, strict=True)]
        self.ids |= ids
        self.pairs |= pairs


def _pending(session: Session) -> _Pending:
    return session.info.setdefault(_KEY, _Pending())


def changing(session: Session, assessment_id: int) -> None:
    """Call before replacing an assessment's stored result outside the ORM."""
    assessment = session.get(Assessment, assessment_id)  # most callers hold it: no query
    pairs = {(assessment.school_id, assessment.questionnaire_version_id)} if assessment is not None else set()
    _pending(session).capture(session, {assessment_id}, pairs)


def _changed(obj, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[f].history.has_changes() for f in fields)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    ids: set[int] = set()
    pairs: set[tuple[int, int]] = set()
    schools: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Assessment):
            if obj in session.new:
                _pending(session).new.append(obj)
                pairs.add((obj.school_id, obj.questionnaire_version_id))
            elif obj in session.deleted or _changed(obj, ASSESSMENT_FIELDS):
                old = inspect(obj).committed_state  # the values before this change, where changed
                ids.add(obj.id)
                pairs.add((old.get("school_id", obj.school_id), old.get("questionnaire_version_id",
                                                                        obj.questionnaire_version_id)))  # fmt: skip
                pairs.add((obj.school_id, obj.questionnaire_version_id))
        elif isinstance(obj, School) and obj.id is not None:
            if obj in session.deleted or _changed(obj, SCHOOL_FIELDS):
                schools.add(obj.id)
    if schools:
        for aid, school_id, version_id in session.execute(
            select(Assessment.id, Assessment.school_id, Assessment.questionnaire_version_id)
            .where(Assessment.school_id.in_(sorted(schools)), Assessment.status.in_(SCORED))
        ):  # fmt: skip
            ids.add(aid)
            pairs.add((school_id, version_id))
    if ids or pairs:
        _pending(session).capture(session, ids, pairs)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return
    session.flush()  # a change still only in the session is captured by this flush
    pending: _Pending | None = session.info.get(_KEY)
    if pending is None:
        return
    ids = pending.ids | {obj.id for obj in pending.new if obj.id is not None}
    pairs = pending.pairs | {(obj.school_id, obj.questionnaire_version_id) for obj in pending.new}
    after = contribution(session, ids, pairs)
    delta = difference(after, pending.before)
    session.info.pop(_KEY, None)
    if delta:
        apply(session, delta)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_KEY, None)

"""Who exported what, and the audit log as the admin filters it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .audit import AuditRecord, read_log, record
from .errors import InvalidInput
from .models import AuditEntry
from .tx import unit_of_work

MAX_WHAT = 80


@unit_of_work(write=True)
def record_export(session: Session, actor: Actor, what: str, detail: Mapping[str, object]) -> None:
    """Log that this user took data out of the app: `what` names the export
    (e.g. "sekolah.csv"), `detail` says which data (filters, number of rows)."""
    authorize(session, actor, Action.READ, "export", what)
    if not what or len(what) > MAX_WHAT:
        raise InvalidInput(f"An export needs a name of 1-{MAX_WHAT} characters.")
    record(session, actor, "export", "export", what, **dict(detail))


@unit_of_work()
def audit_actions(session: Session, actor: Actor) -> list[str]:
    """Every action name that occurs in the log, for the admin's filter."""
    authorize(session, actor, Action.READ_AUDIT_LOG, "audit_log")
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


@unit_of_work()
def search_audit_log(
    session: Session,
    actor: Actor,
    *,
    action: str | None = None,
    username: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    before_id: int | None = None,
) -> list[AuditRecord]:
    """The newest entries first (admin only), filtered; page back with before_id=<the last id seen>."""
    authorize(session, actor, Action.READ_AUDIT_LOG, "audit_log")
    return read_log(session, action=action, username=username, object_type=object_type, object_id=object_id,
                    since=since, until=until, limit=max(1, min(limit, 1000)), before_id=before_id)  # fmt: skip

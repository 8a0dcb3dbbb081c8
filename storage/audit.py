"""The append-only audit log: who did what to which object, and when."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .limits import loggable
from .models import AuditEntry, utcnow
from .tx import unit_of_work

# Keys that must never reach the log, whatever a caller puts in `detail`.
_SECRET_KEYS = {"password", "password_hash", "new_password", "hash"}


def actor_name(actor: Actor) -> str:
    return f"system:{actor.username}" if actor.is_system else actor.username


def record(
    session: Session, actor: Actor | None, action: str, object_type: str, object_id: object = None, **detail
) -> None:
    """Add one entry to the log, inside the caller's transaction."""
    clean = {k: v for k, v in detail.items() if k not in _SECRET_KEYS}
    session.add(
        AuditEntry(
            at=utcnow(),
            user_id=actor.user_id if actor else None,
            username=actor_name(actor) if actor else "anonymous",
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else loggable(object_id),
            detail=json.dumps(clean, ensure_ascii=False, sort_keys=True, default=str),
        )
    )


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    username: str
    action: str
    object_type: str
    object_id: str | None
    detail: dict


def read_log(
    session: Session,
    *,
    action: str | None = None,
    username: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int,
    before_id: int | None = None,
) -> list[AuditRecord]:
    """The newest entries first, filtered, for callers that have checked access."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    for column, value in ((AuditEntry.action, action), (AuditEntry.username, username),
                          (AuditEntry.object_type, object_type), (AuditEntry.object_id, object_id)):  # fmt: skip
        if value:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return [
        AuditRecord(e.id, e.at, e.username, e.action, e.object_type, e.object_id, json.loads(e.detail))
        for e in session.scalars(query)
    ]


@unit_of_work()
def audit_log(
    session: Session,
    actor: Actor,
    *,
    action: str | None = None,
    username: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[AuditRecord]:
    """The newest entries first (admin only). Page back with before_id=<the last id seen>."""
    authorize(session, actor, Action.READ_AUDIT_LOG, "audit_log")
    return read_log(session, action=action, username=username, limit=min(limit, 1000), before_id=before_id)

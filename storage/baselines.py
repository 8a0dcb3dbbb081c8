"""Baselines (national targets per domain and jenjang), uploaded by the admin.

Like questionnaires, the YAML text is kept as loaded. A baseline is checked
against the questionnaire's active version when it is uploaded, and again when it
is read, so a baseline that no longer fits a newer version is never applied.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Boolean, String, Text, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from auth import Action, Actor
from scoring.loader import LoadError, parse_baseline
from scoring.models import Baseline, Questionnaire

from .access import authorize
from .audit import record
from .errors import NotFound
from .models import Base, UTCDateTime, utcnow
from .questionnaires import _version_row, stored_questionnaire
from .tx import unit_of_work


class StoredBaseline(Base):
    __tablename__ = "baselines"
    __table_args__ = (UniqueConstraint("questionnaire_id", "content_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(80))
    baseline_id: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of yaml_text
    yaml_text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    registered_by: Mapped[str] = mapped_column(String(60))


@dataclass(frozen=True)
class BaselineInfo:
    questionnaire_id: str
    baseline_id: str
    title: str
    content_hash: str
    active: bool
    registered_at: datetime
    registered_by: str


def _info(row: StoredBaseline) -> BaselineInfo:
    return BaselineInfo(row.questionnaire_id, row.baseline_id, row.title, row.content_hash, row.active,
                        row.registered_at, row.registered_by)  # fmt: skip


@unit_of_work(write=True)
def register_baseline(
    session: Session, actor: Actor, data: bytes, source: str, *, activate: bool = True
) -> BaselineInfo:
    """Store a baseline file (admin only), checked against its questionnaire's active version;
    raises scoring's LoadError, with the CLI's messages, when it does not fit."""
    authorize(session, actor, Action.MANAGE_QUESTIONNAIRES, "baseline", source)
    wanted = parse_baseline(data, source).questionnaire
    questionnaire = stored_questionnaire(_version_row(session, wanted, None))
    baseline = parse_baseline(data, source, questionnaire)
    content_hash = hashlib.sha256(data).hexdigest()
    row = session.scalar(select(StoredBaseline).where(StoredBaseline.questionnaire_id == baseline.questionnaire,
                                                      StoredBaseline.content_hash == content_hash))  # fmt: skip
    if row is None:
        row = StoredBaseline(questionnaire_id=baseline.questionnaire, baseline_id=baseline.id, title=baseline.title.id,
                             content_hash=content_hash, yaml_text=data.decode("utf-8"), active=False,
                             registered_at=utcnow(), registered_by=actor.username)  # fmt: skip
        session.add(row)
        session.flush()
        record(session, actor, "register_baseline", "baseline", f"{baseline.questionnaire}/{baseline.id}",
               content_hash=content_hash, source=source)  # fmt: skip
    if activate and not row.active:
        _activate(session, actor, row)
    return _info(row)


def _activate(session: Session, actor: Actor, row: StoredBaseline) -> None:
    session.execute(update(StoredBaseline).where(StoredBaseline.questionnaire_id == row.questionnaire_id)
                    .values(active=False))  # fmt: skip
    row.active = True
    record(session, actor, "activate_baseline", "baseline", f"{row.questionnaire_id}/{row.baseline_id}",
           content_hash=row.content_hash)  # fmt: skip


@unit_of_work(write=True)
def activate_baseline(session: Session, actor: Actor, questionnaire_id: str, content_hash: str) -> None:
    """Make this stored baseline the one that new submissions are measured against (admin only)."""
    authorize(session, actor, Action.MANAGE_QUESTIONNAIRES, "baseline", questionnaire_id)
    row = session.scalar(select(StoredBaseline).where(StoredBaseline.questionnaire_id == questionnaire_id,
                                                      StoredBaseline.content_hash == content_hash))  # fmt: skip
    if row is None:
        raise NotFound("baseline", f"{questionnaire_id}/{content_hash[:12]}")
    _activate(session, actor, row)


@unit_of_work()
def list_baselines(session: Session, actor: Actor) -> list[BaselineInfo]:
    authorize(session, actor, Action.READ, "baselines")
    query = select(StoredBaseline).order_by(StoredBaseline.questionnaire_id, StoredBaseline.id)
    return [_info(row) for row in session.scalars(query)]


@unit_of_work()
def active_baseline(session: Session, actor: Actor, questionnaire: Questionnaire) -> Baseline | None:
    """The active uploaded baseline of this questionnaire, if one is stored and fits this version."""
    authorize(session, actor, Action.READ, "baseline", questionnaire.id)
    return stored_baseline_for(session, questionnaire)


def stored_baseline_for(session: Session, questionnaire: Questionnaire) -> Baseline | None:
    """The active stored baseline if it fits this questionnaire version; for callers that
    have already checked access (submit, bulk import)."""
    row = session.scalar(select(StoredBaseline).where(StoredBaseline.questionnaire_id == questionnaire.id,
                                                      StoredBaseline.active.is_(True)))  # fmt: skip
    if row is None:
        return None
    try:
        return parse_baseline(row.yaml_text.encode("utf-8"), f"stored:{row.baseline_id}", questionnaire)
    except LoadError:
        return None


def baseline_files(folder: Path) -> list[Path]:
    """The shipped baseline files of a questionnaires folder."""
    return sorted((folder / "baselines").glob("*.yaml"))

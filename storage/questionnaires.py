"""Questionnaire versions: the YAML text is stored as loaded, and every assessment
is read and scored against the questionnaire parsed from that stored text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from auth import Action, Actor
from scoring.loader import kind_of, parse_document, parse_questionnaire, read_bytes
from scoring.models import Questionnaire

from .access import authorize
from .audit import record
from .errors import AlreadyExists, NotFound
from .models import QuestionnaireVersion, utcnow
from .tx import unit_of_work


@dataclass(frozen=True)
class QuestionnaireInfo:
    questionnaire_id: str
    version: str
    title: str
    content_hash: str
    active: bool
    registered_at: datetime


def _info(row: QuestionnaireVersion) -> QuestionnaireInfo:
    return QuestionnaireInfo(
        row.questionnaire_id, row.version, row.title, row.content_hash, row.active, row.registered_at
    )


@lru_cache(maxsize=32)
def _parse(content_hash: str, yaml_text: str, source: str) -> Questionnaire:
    # Keyed by the hash: the same stored text always parses to the same questionnaire.
    return parse_questionnaire(yaml_text.encode("utf-8"), source)


def stored_questionnaire(row: QuestionnaireVersion) -> Questionnaire:
    source = f"stored:{row.questionnaire_id}@{row.version}"
    return _parse(row.content_hash, row.yaml_text, source)


@unit_of_work(write=True)
def register_questionnaire(
    session: Session, actor: Actor, data: bytes, source: str, *, activate: bool = True
) -> QuestionnaireInfo:
    """Store a questionnaire file's text as a version (admin only); raises scoring's LoadError
    when it is not valid. Registering the same text again changes nothing."""
    authorize(session, actor, Action.MANAGE_QUESTIONNAIRES, "questionnaire", source)
    questionnaire = parse_questionnaire(data, source)
    yaml_text = data.decode("utf-8")
    content_hash = hashlib.sha256(data).hexdigest()
    row = session.scalar(
        select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == questionnaire.id,
            QuestionnaireVersion.version == questionnaire.version,
        )
    )
    if row is not None and row.content_hash != content_hash:
        raise AlreadyExists(
            f"{source}: questionnaire '{questionnaire.id}' version '{questionnaire.version}' is already "
            "stored with different content. Give the changed file a new version."
        )
    if row is None:
        row = QuestionnaireVersion(
            questionnaire_id=questionnaire.id,
            version=questionnaire.version,
            title=questionnaire.title.id,
            content_hash=content_hash,
            yaml_text=yaml_text,
            active=False,
            registered_at=utcnow(),
            registered_by=actor.username,
        )
        session.add(row)
        session.flush()
        record(session, actor, "register_questionnaire", "questionnaire", f"{row.questionnaire_id}@{row.version}",
               content_hash=content_hash, source=source)  # fmt: skip
    if activate and not row.active:
        _activate(session, actor, row)
    return _info(row)


def register_file(session: Session, actor: Actor, path: str | Path, *, activate: bool = True) -> QuestionnaireInfo:
    path = Path(path)
    return register_questionnaire(session, actor, read_bytes(path), str(path), activate=activate)


def questionnaire_files(folder: Path) -> list[Path]:
    """The questionnaire files in a folder, leaving out its glossary and other kinds."""
    return [
        p for p in sorted(folder.glob("*.yaml")) if kind_of(parse_document(read_bytes(p), str(p))) == "questionnaire"
    ]


def _activate(session: Session, actor: Actor, row: QuestionnaireVersion) -> None:
    session.execute(
        update(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == row.questionnaire_id)
        .values(active=False)
    )
    row.active = True
    record(session, actor, "activate_questionnaire", "questionnaire", f"{row.questionnaire_id}@{row.version}")


@unit_of_work(write=True)
def activate_questionnaire(session: Session, actor: Actor, questionnaire_id: str, version: str) -> None:
    """Make this version the one that new assessments use (admin only)."""
    authorize(session, actor, Action.MANAGE_QUESTIONNAIRES, "questionnaire", f"{questionnaire_id}@{version}")
    _activate(session, actor, _version_row(session, questionnaire_id, version))


def _version_row(session: Session, questionnaire_id: str, version: str | None) -> QuestionnaireVersion:
    query = select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
    if version is None:
        query = query.where(QuestionnaireVersion.active.is_(True))
    else:
        query = query.where(QuestionnaireVersion.version == version)
    row = session.scalar(query)
    if row is None:
        raise NotFound("questionnaire", questionnaire_id if version is None else f"{questionnaire_id}@{version}")
    return row


@unit_of_work()
def list_questionnaires(session: Session, actor: Actor, *, active_only: bool = True) -> list[QuestionnaireInfo]:
    authorize(session, actor, Action.READ, "questionnaires")
    query = select(QuestionnaireVersion).order_by(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.id)
    if active_only:
        query = query.where(QuestionnaireVersion.active.is_(True))
    return [_info(row) for row in session.scalars(query)]


@unit_of_work()
def get_questionnaire(
    session: Session, actor: Actor, questionnaire_id: str, version: str | None = None
) -> Questionnaire:
    """The questionnaire parsed from its stored text; the active version unless one is named."""
    authorize(session, actor, Action.READ, "questionnaire", questionnaire_id)
    return stored_questionnaire(_version_row(session, questionnaire_id, version))

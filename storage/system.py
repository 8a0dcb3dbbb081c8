"""The system actor (command line, demo seeder) and facts about the database itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import Actor, Role

from .models import Meta


def system_actor(name: str) -> Actor:
    """An actor for work done by an operator at the server's command line, not through
    the app. It has no account, and the audit log records it as system:<name>."""
    return Actor(user_id=None, username=name, role=Role.ADMIN, display_name=f"system:{name}")


SYSTEM = system_actor("cli")


def is_demo_database(session: Session) -> bool:
    """True for the synthetic demo data set, so the app can label every page with it."""
    value = session.scalar(select(Meta.value).where(Meta.key == "demo"))
    session.rollback()
    return value == "true"


def configured_period(session: Session) -> str | None:
    """The period this database treats as current, if it fixes one (the demo data set does)."""
    value = session.scalar(select(Meta.value).where(Meta.key == "current_period"))
    session.rollback()
    return value

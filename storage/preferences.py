"""A user's own remembered choices (which questionnaire is in view), kept in the database
so that they follow the user across sign-ins, devices and replicas. Each user reads and
writes only their own; the names are a fixed list."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .errors import InvalidInput
from .models import UserPreference
from .tx import unit_of_work

NAMES = ("questionnaire",)
MAX_VALUE = 200


@unit_of_work()
def get_preferences(session: Session, actor: Actor) -> dict[str, str]:
    if actor.user_id is None:  # the command line's system actor has no account
        return {}
    authorize(session, actor, Action.READ, "user", actor.username)
    rows = session.execute(select(UserPreference.name, UserPreference.value)
                           .where(UserPreference.user_id == actor.user_id))
    return dict(rows.all())


@unit_of_work(write=True)
def set_preference(session: Session, actor: Actor, name: str, value: str) -> None:
    if name not in NAMES:
        raise InvalidInput(f"Unknown preference '{name}'; known: {', '.join(NAMES)}.")
    if not isinstance(value, str) or not value or len(value) > MAX_VALUE or not value.isprintable():
        raise InvalidInput(f"Preference '{name}' must be 1 to {MAX_VALUE} printable characters.")
    if actor.user_id is None:
        return
    authorize(session, actor, Action.READ, "user", actor.username)
    session.execute(delete(UserPreference).where(UserPreference.user_id == actor.user_id,
                                                 UserPreference.name == name))
    session.add(UserPreference(user_id=actor.user_id, name=name, value=value))

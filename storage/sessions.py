"""Sessions that can be revoked: each account has a session generation, copied into the
Actor at sign-in. Raising it (sign-out, a password change or reset, deactivation, a role
or scope change) ends every session signed in before: `access.authorize` refuses an
Actor whose generation is older, at its next data call."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .audit import record
from .models import User
from .tx import unit_of_work


def revoke_sessions(session: Session, user_id: int) -> int:
    """Raise the account's generation, inside the caller's transaction; the new generation."""
    session.execute(update(User).where(User.id == user_id).values(session_generation=User.session_generation + 1))
    return session.scalar(select(User.session_generation).where(User.id == user_id))


@unit_of_work(write=True)
def sign_out_everywhere(session: Session, actor: Actor) -> None:
    """End every session of the acting user, this one included (a session already ended is refused)."""
    authorize(session, actor, Action.READ, "user", actor.username, second_step=True)  # also before the TOTP step
    revoke_sessions(session, actor.user_id)
    record(session, actor, "sign_out", "user", actor.username)


@unit_of_work()
def session_is_live(session: Session, actor: Actor) -> bool:
    """Whether this actor's session still stands (active account, same role and generation): the
    page's check before it draws anything. Every data call checks again, in authorize."""
    if actor.is_system:
        return True
    row = session.execute(
        select(User.active, User.role, User.session_generation).where(User.id == actor.user_id)
    ).one_or_none()
    return (row is not None and row.active and row.role == actor.role
            and row.session_generation == actor.session_generation)  # fmt: skip

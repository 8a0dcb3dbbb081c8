"""The second sign-in step: TOTP enrolment, codes and recovery codes, and the admin's reset.

A password sign-in that owes a second factor (storage.access.needs_second_factor) gives an
Actor that authorize refuses everywhere except here. A wrong code counts towards the
account's lockout like a wrong password (storage.signin)."""

from __future__ import annotations

import time
from dataclasses import replace

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from auth import Action, Actor, SignInFailed, is_locked
from auth import totp as otp

from .access import authorize
from .audit import record
from .errors import InvalidInput
from .models import Meta, RecoveryCode, User, utcnow
from .sessions import revoke_sessions
from .signin import _count_failure
from .tx import unit_of_work
from .users import _user


def _demo(session: Session) -> bool:
    return session.scalar(select(Meta.value).where(Meta.key == "demo")) == "true"


def enrolled(session: Session, user_id: int) -> bool:
    return session.scalar(select(User.totp_secret).where(User.id == user_id)) is not None


@unit_of_work()
def second_factor_status(session: Session, actor: Actor) -> str:
    """"enrolled", or "must_enrol" (required and not set up), or "optional"."""
    authorize(session, actor, Action.READ, "user", actor.username, second_step=True)
    user = session.get(User, actor.user_id)
    if user.totp_secret is not None:
        return "enrolled"
    return "must_enrol" if actor.needs_second_factor or user.totp_must_enrol else "optional"


@unit_of_work(write=True)
def enrol(session: Session, actor: Actor, secret: str, code: str, now: float | None = None) -> tuple[Actor, list[str]]:
    """Store `secret` (encrypted) once `code` proves the authenticator app has it; the
    actor, now past the second step, and the 10 recovery codes, shown once."""
    authorize(session, actor, Action.READ, "user", actor.username, second_step=True)
    user = session.get(User, actor.user_id, with_for_update=True)
    if user.totp_secret is not None and actor.awaits_second_factor:
        raise InvalidInput("This account already has an authenticator app: enter its code.")
    step = otp.matching_step(secret, code, None, now)
    if step is None:
        raise SignInFailed()
    user.totp_secret = otp.encrypt_secret(secret, demo=_demo(session))
    user.totp_last_step, user.totp_must_enrol = step, False
    codes = _new_recovery_codes(session, user.id)
    record(session, actor, "enrol_totp", "user", user.username)
    return replace(actor, needs_second_factor=True, second_factor=True), codes


def _new_recovery_codes(session: Session, user_id: int) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = otp.new_recovery_codes()
    for code in codes:
        salt, digest = otp.hash_recovery_code(code)
        session.add(RecoveryCode(user_id=user_id, salt=salt, code_hash=digest))
    return codes


def verify_code(session: Session, actor: Actor, code: str, now: float | None = None) -> Actor:
    """The actor past the second step, or SignInFailed (counted towards the lockout)."""
    if _check(session, actor, code, now if now is not None else time.time()):
        return replace(actor, second_factor=True)
    raise SignInFailed()


@unit_of_work(write=True)
def _check(session: Session, actor: Actor, code: str, now: float) -> bool:
    authorize(session, actor, Action.READ, "user", actor.username, second_step=True)
    user = session.get(User, actor.user_id, with_for_update=True)
    if is_locked(user.locked_until, utcnow()) or user.totp_secret is None:
        record(session, actor, "totp_failed", "user", user.username, reason="locked or not enrolled")
        return False
    secret = otp.decrypt_secret(user.totp_secret, demo=_demo(session))
    step = otp.matching_step(secret, code, user.totp_last_step, now) if secret else None
    if step is not None:
        user.totp_last_step = step
        user.failed_attempts, user.last_failed_at = 0, None
        record(session, actor, "totp_passed", "user", user.username)
        return True
    for row in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                          RecoveryCode.used_at.is_(None))):  # fmt: skip
        if otp.recovery_code_matches(code, row.salt, row.code_hash):
            row.used_at = utcnow()
            left = session.scalar(select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None), RecoveryCode.id != row.id).limit(1))
            record(session, actor, "recovery_code_used", "user", user.username, codes_left=left is not None)
            return True
    reason = "key changed" if secret is None else "wrong code"
    record(session, actor, "totp_failed", "user", user.username, reason=reason)
    _count_failure(session, user.id, user.username, utcnow())
    return False


@unit_of_work(write=True)
def reset_second_factor(session: Session, actor: Actor, username: str) -> None:
    """Admin: remove an account's authenticator and recovery codes; it must enrol again at its
    next password sign-in, and its open sessions end."""
    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    user = _user(session, username)
    session.execute(update(User).where(User.id == user.id).values(
        totp_secret=None, totp_last_step=None, totp_must_enrol=True))  # fmt: skip
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    revoke_sessions(session, user.id)
    record(session, actor, "reset_totp", "user", user.username)


@unit_of_work()
def recovery_codes_left(session: Session, actor: Actor) -> int:
    authorize(session, actor, Action.READ, "user", actor.username)
    return len(session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == actor.user_id, RecoveryCode.used_at.is_(None))).all())  # fmt: skip

"""Accounts: user administration (admin only) and one's own password. Sign-in is in storage.signin."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from auth import Action, Actor, PasswordRejected, Role, SignInFailed, hash_password, verify_password
from auth.throttle import USERNAME as USERNAME_THROTTLE

from .access import authorize
from .audit import record
from .errors import AlreadyExists, InvalidInput, NotFound
from .limits import MAX_DISPLAY_NAME, check_text
from .models import SignInThrottle, User, utcnow
from .scopes import NO_SCOPE, UserScope, read_scopes, resolve_scope, scope_of, write_scope
from .sessions import revoke_sessions
from .tx import unit_of_work

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    school_npsns: tuple[str, ...]
    province_codes: tuple[str, ...]
    national: bool
    last_sign_in_at: datetime | None
    kabupaten_codes: tuple[str, ...] = ()
    jenjang: tuple[str, ...] = ()  # empty: every jenjang
    email: str | None = None
    totp_enrolled: bool = False


@unit_of_work(write=True)
def create_user(
    session: Session,
    actor: Actor,
    username: str,
    display_name: str,
    role: Role | str,
    password: str,
    *,
    school_npsns: tuple[str, ...] = (),
    province_codes: tuple[str, ...] = (),
    national: bool = False,
    kabupaten_codes: tuple[str, ...] = (),
    jenjang: tuple[str, ...] = (),
    email: str | None = None,
) -> UserInfo:
    """Add an account (admin only). The password must meet auth's policy (PasswordRejected);
    `email` links a belajar.id address (storage.oidc)."""
    from .oidc import check_email  # here: storage.oidc builds on this module

    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    username = username.strip().lower()
    display_name = check_text("display_name", display_name.strip(), MAX_DISPLAY_NAME)
    if not USERNAME.match(username):
        raise InvalidInput(
            f"Username '{username}' must be 3-60 characters: letters a-z, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    role, school_ids, scope = resolve_scope(
        session, role, UserScope(school_npsns, province_codes, kabupaten_codes, jenjang), national)
    school_npsns = tuple(school_ids)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AlreadyExists(f"A user named '{username}' already exists.")
    email = check_email(email) if email else None
    if email and session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AlreadyExists(f"E-mail '{email}' is already linked to another account.")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password, username, school_npsns),
        role=role.value,
        national=national,
        active=True,
        failed_attempts=0,
        created_at=utcnow(),
        email=email,
    )
    session.add(user)
    session.flush()
    write_scope(session, user.id, school_ids, scope)
    record(session, actor, "create_user", "user", username, role=role.value, national=national, email=email,
           **_audited(scope))  # fmt: skip
    session.flush()
    return _user_info(session, user)


def _audited(scope: UserScope) -> dict[str, list[str]]:
    return {"schools": list(scope.school_npsns), "provinces": list(scope.province_codes),
            "kabupaten": list(scope.kabupaten_codes), "jenjang": list(scope.jenjang)}  # fmt: skip


def _user_info(session: Session, user: User, scope: UserScope | None = None) -> UserInfo:
    scope = scope if scope is not None else scope_of(session, user.id)
    return UserInfo(
        user.username, user.display_name, Role(user.role), user.active, user.locked_until,
        scope.school_npsns, scope.province_codes, user.national, user.last_sign_in_at,
        scope.kabupaten_codes, scope.jenjang, user.email, user.totp_secret is not None,
    )  # fmt: skip


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound("user", username)
    return user


@unit_of_work()
def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    authorize(session, actor, Action.MANAGE_USERS, "users")
    scopes = read_scopes(session)
    users = session.scalars(select(User).order_by(User.username))
    return [_user_info(session, u, scopes.get(u.id, NO_SCOPE)) for u in users]


@unit_of_work(write=True)
def set_active(session: Session, actor: Actor, username: str, active: bool) -> None:
    """Deactivate (or reactivate) an account. A deactivated account loses access at its next call."""
    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    user = _user(session, username)
    if not active and user.id == actor.user_id:
        raise InvalidInput("You cannot deactivate your own account; ask another admin.")
    user.active = active
    revoke_sessions(session, user.id)
    record(session, actor, "activate_user" if active else "deactivate_user", "user", user.username)


@unit_of_work(write=True)
def unlock_user(session: Session, actor: Actor, username: str) -> None:
    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    user = _user(session, username)
    _unlock(session, user)
    record(session, actor, "unlock_user", "user", user.username)


def _unlock(session: Session, user: User) -> None:
    """The account's failure counter and lock, and its username's sign-in delay, cleared."""
    user.failed_attempts, user.last_failed_at, user.locked_until = 0, None, None
    session.execute(delete(SignInThrottle).where(SignInThrottle.client_key == USERNAME_THROTTLE.key(user.username)))


@unit_of_work(write=True)
def reset_password(session: Session, actor: Actor, username: str, new_password: str) -> None:
    """Set a new password for another account (admin only); it also unlocks the account."""
    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    user = _user(session, username)
    user.password_hash = hash_password(new_password, user.username, scope_of(session, user.id)[0])
    _unlock(session, user)
    user.must_change_password = True  # a one-time password: its owner chooses a new one at sign-in
    revoke_sessions(session, user.id)  # whoever was signed in with the old password is out
    record(session, actor, "reset_password", "user", user.username)


@unit_of_work(write=True)
def set_scope(session: Session, actor: Actor, username: str, role: Role | str, *, school_npsns: tuple[str, ...] = (),
              province_codes: tuple[str, ...] = (), national: bool = False, kabupaten_codes: tuple[str, ...] = (),
              jenjang: tuple[str, ...] = ()) -> UserInfo:  # fmt: skip
    """Give an account a new role and scope (admin only); its open sessions end."""
    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    user = _user(session, username)
    role, school_ids, scope = resolve_scope(
        session, role, UserScope(school_npsns, province_codes, kabupaten_codes, jenjang), national)
    if user.id == actor.user_id and role != Role.ADMIN:
        raise InvalidInput("You cannot take the admin role from your own account; ask another admin.")
    write_scope(session, user.id, school_ids, scope)
    user.role, user.national = role.value, national
    revoke_sessions(session, user.id)
    record(session, actor, "set_scope", "user", user.username, role=role.value, national=national, **_audited(scope))
    session.flush()
    return _user_info(session, user)


@unit_of_work(write=True)
def change_password(session: Session, actor: Actor, current_password: str, new_password: str) -> Actor:
    """Any signed-in user changes their own password, proving the current one. Every other
    session of the account ends; the returned Actor carries this session on."""
    authorize(session, actor, Action.READ, "user", actor.username)
    user = session.get(User, actor.user_id)
    if not verify_password(user.password_hash, current_password):
        raise SignInFailed()
    if verify_password(user.password_hash, new_password):
        raise PasswordRejected("The new password must differ from the current one.", "same")
    new_hash = hash_password(new_password, user.username, scope_of(session, user.id)[0])
    session.execute(update(User).where(User.id == user.id).values(password_hash=new_hash, must_change_password=False))
    generation = revoke_sessions(session, user.id)
    record(session, actor, "change_password", "user", user.username)
    return replace(actor, must_change_password=False, session_generation=generation)

"""Accounts: user administration (admin only) and one's own password. Sign-in is in storage.signin."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from auth import Action, Actor, PasswordRejected, Role, SignInFailed, hash_password, verify_password
from auth.throttle import USERNAME as USERNAME_THROTTLE
from scoring.messages import msg

from .access import authorize
from .audit import record
from .errors import AlreadyExists, InvalidInput, NotFound
from .limits import MAX_DISPLAY_NAME, check_text
from .models import Province, School, SignInThrottle, User, UserProvince, UserSchool, utcnow
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
    email: str | None = None
    totp_enrolled: bool = False


Scope = tuple[tuple[str, ...], tuple[str, ...]]  # (school NPSNs, province codes), each sorted
NO_SCOPE: Scope = ((), ())


def _scopes(session: Session, user_id: int | None = None) -> dict[int, Scope]:
    """user id -> scope, of one user or (user_id None) of every user: two queries either way."""
    schools = select(UserSchool.user_id, School.npsn).join(School, School.id == UserSchool.school_id)
    provinces = select(UserProvince.user_id, UserProvince.province_code)
    if user_id is not None:
        schools = schools.where(UserSchool.user_id == user_id)
        provinces = provinces.where(UserProvince.user_id == user_id)
    found: dict[int, tuple[list[str], list[str]]] = {}
    for index, query in enumerate((schools, provinces)):
        for owner, value in session.execute(query):
            found.setdefault(owner, ([], []))[index].append(value)
    return {owner: (tuple(sorted(npsns)), tuple(sorted(codes))) for owner, (npsns, codes) in found.items()}


def scope_of(session: Session, user_id: int) -> Scope:
    return _scopes(session, user_id).get(user_id, NO_SCOPE)


def _check_scope(role: Role, schools: tuple, provinces: tuple, national: bool) -> None:
    rules = {
        Role.SEKOLAH: bool(schools) and not provinces and not national,
        Role.AUDITOR: bool(provinces) and not schools and not national,
        Role.PIMPINAN: not schools and (bool(provinces) != national),
        Role.ADMIN: not schools and not provinces and not national,
    }
    if not rules[role]:
        raise InvalidInput(
            "Scope does not fit the role: a sekolah user needs one or more schools; an auditor one or more "
            "provinces; a pimpinan either provinces or the whole country (national); an admin no scope."
        )


def _resolve_scope(session: Session, role: Role | str, school_npsns: tuple[str, ...], province_codes: tuple[str, ...],
                   national: bool) -> tuple[Role, dict[str, int], tuple[str, ...]]:  # fmt: skip
    """The role, the school ids by NPSN and the province codes, once they fit the role and exist."""
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"Role '{role}' must be one of: sekolah, auditor, pimpinan, admin.") from None
    school_npsns, province_codes = tuple(dict.fromkeys(school_npsns)), tuple(dict.fromkeys(province_codes))
    _check_scope(role, school_npsns, province_codes, national)
    found = dict(session.execute(select(School.npsn, School.id).where(School.npsn.in_(school_npsns))).all())
    for npsn in school_npsns:
        if npsn not in found:
            raise NotFound("school", npsn)
    known = set(session.scalars(select(Province.code).where(Province.code.in_(province_codes))))
    for code in province_codes:
        if code not in known:
            raise NotFound("province", code)
    return role, {npsn: found[npsn] for npsn in school_npsns}, province_codes


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
    role, school_ids, province_codes = _resolve_scope(session, role, school_npsns, province_codes, national)
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
    session.add_all(UserSchool(user_id=user.id, school_id=school_ids[n]) for n in school_npsns)
    session.add_all(UserProvince(user_id=user.id, province_code=c) for c in province_codes)
    record(
        session, actor, "create_user", "user", username,
        role=role.value, schools=list(school_npsns), provinces=list(province_codes), national=national, email=email,
    )  # fmt: skip
    session.flush()
    return _user_info(session, user)


def _user_info(session: Session, user: User, scope: Scope | None = None) -> UserInfo:
    npsns, codes = scope if scope is not None else scope_of(session, user.id)
    return UserInfo(
        user.username, user.display_name, Role(user.role), user.active, user.locked_until,
        npsns, codes, user.national, user.last_sign_in_at, user.email, user.totp_secret is not None,
    )  # fmt: skip


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound("user", username)
    return user


@unit_of_work()
def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    authorize(session, actor, Action.MANAGE_USERS, "users")
    scopes = _scopes(session)
    users = session.scalars(select(User).order_by(User.username))
    return [_user_info(session, u, scopes.get(u.id, NO_SCOPE)) for u in users]


@unit_of_work(write=True)
def set_active(session: Session, actor: Actor, username: str, active: bool) -> None:
    """Deactivate (or reactivate) an account. A deactivated account loses access at its next call."""
    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    user = _user(session, username)
    if not active and user.id == actor.user_id:
        raise InvalidInput(msg("users.own_deactivation"))
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
              province_codes: tuple[str, ...] = (), national: bool = False) -> UserInfo:  # fmt: skip
    """Give an account a new role and scope (admin only); its open sessions end."""
    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    user = _user(session, username)
    role, school_ids, province_codes = _resolve_scope(session, role, school_npsns, province_codes, national)
    if user.id == actor.user_id and role != Role.ADMIN:
        raise InvalidInput(msg("users.own_admin_role"))
    session.execute(delete(UserSchool).where(UserSchool.user_id == user.id))
    session.execute(delete(UserProvince).where(UserProvince.user_id == user.id))
    session.add_all(UserSchool(user_id=user.id, school_id=i) for i in school_ids.values())
    session.add_all(UserProvince(user_id=user.id, province_code=c) for c in province_codes)
    user.role, user.national = role.value, national
    revoke_sessions(session, user.id)
    record(session, actor, "set_scope", "user", user.username, role=role.value, schools=list(school_ids),
           provinces=list(province_codes), national=national)  # fmt: skip
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

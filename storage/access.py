"""Access control, enforced inside every query.

`authorize` checks that the acting user still exists, is active, has the role the
actor claims, that its session was not revoked since (storage.sessions), and that the
role may take the action. `school_scope` is the one
where-clause that limits every query to the schools that user may see; it reads
the scope from the database, so a changed scope takes effect at once.

A scope is a place (schools of an operator; provinces or kabupaten/kota of an auditor or a
leader; the whole country for a leader), optionally limited to a set of jenjang.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.orm import Session

from auth import SECOND_FACTOR_ROLES, Action, Actor, Role, may

from .errors import AccessDenied, SessionRevoked
from .models import School, User, UserJenjang, UserKabupaten, UserProvince, UserSchool
from .scopes import scope_of


def authorize(session: Session, actor: Actor, action: Action, object_type: str, object_id: object = None,
              *, second_step: bool = False) -> None:  # fmt: skip
    """Raise AccessDenied unless the actor's account is active and its role may take `action`.
    A password sign-in of an admin or auditor, or of an account enrolled in TOTP, is refused
    until it passed the second factor (`second_step`: the calls that make that step)."""
    if actor.is_system:
        return
    query = select(User.active, User.role, User.session_generation, User.totp_secret, User.totp_must_enrol).where(
        User.id == actor.user_id)  # fmt: skip
    row = session.execute(query).one_or_none()
    if row is None or not row.active:
        raise AccessDenied(actor.username, action, object_type, object_id, "the account is not active")
    if row.role != actor.role:
        raise AccessDenied(actor.username, action, object_type, object_id, "the account's role changed; sign in again")
    if row.session_generation != actor.session_generation:
        raise SessionRevoked(actor.username, action, object_type, object_id)
    if not second_step and needs_second_factor(actor, row.totp_secret is not None, row.totp_must_enrol):
        raise AccessDenied(actor.username, action, object_type, object_id, "the second sign-in step is not done")
    if not may(actor.role, action):
        raise AccessDenied(actor.username, action, object_type, object_id, f"the role '{actor.role}' may not do this")


def needs_second_factor(actor: Actor, enrolled: bool, must_enrol: bool) -> bool:
    """Whether this actor still owes a TOTP code (belajar.id sign-ins bring their own second factor)."""
    if actor.second_factor or actor.via_oidc:
        return False
    return actor.needs_second_factor or actor.role in SECOND_FACTOR_ROLES or enrolled or must_enrol


def school_scope(actor: Actor) -> ColumnElement[bool]:
    """Where-clause on School: the schools this actor may see."""
    if actor.is_system or actor.role == Role.ADMIN:
        return true()
    if actor.role == Role.SEKOLAH:
        return School.id.in_(select(UserSchool.school_id).where(UserSchool.user_id == actor.user_id))
    places = [
        School.province_code.in_(select(UserProvince.province_code).where(UserProvince.user_id == actor.user_id)),
        School.kabupaten_code.in_(select(UserKabupaten.kabupaten_code).where(UserKabupaten.user_id == actor.user_id)),
    ]
    if actor.role == Role.PIMPINAN:
        places.append(exists().where(User.id == actor.user_id, User.national.is_(True)).correlate_except(User))
    limited = select(UserJenjang.jenjang).where(UserJenjang.user_id == actor.user_id)
    every_jenjang = ~limited.exists()
    return and_(or_(*places), or_(every_jenjang, School.jenjang.in_(limited)))


@dataclass(frozen=True)
class Scope:
    """An auditor's or leader's scope as stored, for views that read aggregates, not schools."""

    national: bool = False
    province_codes: tuple[str, ...] = ()
    kabupaten_codes: tuple[str, ...] = ()
    jenjang: tuple[str, ...] = ()  # empty: every jenjang

    def jenjang_allowed(self, jenjang: str) -> bool:
        return not self.jenjang or jenjang in self.jenjang


EVERYTHING = Scope(national=True)
NOTHING = Scope()


def scope_of_actor(session: Session, actor: Actor) -> Scope:
    """What the actor sees whole, read from the database (an operator: nothing whole)."""
    if actor.is_system or actor.role == Role.ADMIN:
        return EVERYTHING
    if actor.role == Role.SEKOLAH:
        return NOTHING
    stored = scope_of(session, actor.user_id)
    national = session.scalar(select(User.national).where(User.id == actor.user_id))
    national = actor.role == Role.PIMPINAN and bool(national)
    return Scope(national, stored.province_codes, stored.kabupaten_codes, stored.jenjang)


def province_in_scope(session: Session, actor: Actor, province_code: str) -> bool:
    """Whether the actor's scope reaches into this province (for province filters; what the
    filter then shows is still only the scope's schools)."""
    scope = scope_of_actor(session, actor)
    return scope.national or province_code in scope.province_codes or any(
        code[:2] == province_code for code in scope.kabupaten_codes)


def deny(actor: Actor, action: Action | str, object_type: str, object_id: object = None) -> AccessDenied:
    return AccessDenied(actor.username, str(action), object_type, object_id)

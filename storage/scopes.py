"""The scopes of accounts as stored: which schools, provinces or kabupaten/kota, and which
jenjang. Checked against the role and the database before anything is written; read back
for the account lists and the signed-in Actor. Enforcement is storage.access.school_scope."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from auth import Actor, Role

from .errors import InvalidInput, NotFound
from .kabupaten import CODE, reference
from .models import JENJANG, Province, School, User, UserJenjang, UserKabupaten, UserProvince, UserSchool


class UserScope(NamedTuple):
    school_npsns: tuple[str, ...] = ()
    province_codes: tuple[str, ...] = ()
    kabupaten_codes: tuple[str, ...] = ()
    jenjang: tuple[str, ...] = ()  # empty: every jenjang


NO_SCOPE = UserScope()


def read_scopes(session: Session, user_id: int | None = None) -> dict[int, UserScope]:
    """user id -> scope, of one user or (user_id None) of every user: four queries either way."""
    queries = [
        select(UserSchool.user_id, School.npsn).join(School, School.id == UserSchool.school_id),
        select(UserProvince.user_id, UserProvince.province_code),
        select(UserKabupaten.user_id, UserKabupaten.kabupaten_code),
        select(UserJenjang.user_id, UserJenjang.jenjang),
    ]
    if user_id is not None:
        owners = (UserSchool.user_id, UserProvince.user_id, UserKabupaten.user_id, UserJenjang.user_id)
        queries = [q.where(owner == user_id) for q, owner in zip(queries, owners, strict=True)]
    found: dict[int, tuple[list[str], ...]] = {}
    for index, query in enumerate(queries):
        for owner, value in session.execute(query):
            found.setdefault(owner, ([], [], [], []))[index].append(value)
    order = {j: i for i, j in enumerate(JENJANG)}
    return {owner: UserScope(*(tuple(sorted(v)) for v in values[:3]), tuple(sorted(values[3], key=order.get)))
            for owner, values in found.items()}  # fmt: skip


def scope_of(session: Session, user_id: int) -> UserScope:
    return read_scopes(session, user_id).get(user_id, NO_SCOPE)


def _check_fits(role: Role, scope: UserScope, national: bool) -> None:
    schools, provinces, kabupaten, jenjang = scope
    places = sum((bool(provinces), bool(kabupaten), national))
    rules = {
        Role.SEKOLAH: bool(schools) and places == 0 and not jenjang,
        Role.AUDITOR: not schools and not national and places == 1,
        Role.PIMPINAN: not schools and places == 1,
        Role.ADMIN: not schools and places == 0 and not jenjang,
    }
    if not rules[role]:
        raise InvalidInput(
            "Cakupan tidak sesuai peran: pengguna sekolah perlu satu sekolah atau lebih; auditor provinsi atau "
            "kabupaten/kota; pimpinan provinsi, kabupaten/kota, atau seluruh negeri; admin tanpa cakupan. "
            "Jenjang hanya membatasi cakupan auditor atau pimpinan. / "
            "Scope does not fit the role: a sekolah user needs one or more schools; an auditor provinces or "
            "kabupaten/kota; a pimpinan provinces, kabupaten/kota or the whole country (national); an admin no "
            "scope. Jenjang only limit an auditor's or a leader's scope."
        )


def resolve_scope(session: Session, role: Role | str, scope: UserScope,
                  national: bool) -> tuple[Role, dict[str, int], UserScope]:  # fmt: skip
    """The role, the school ids by NPSN and the scope without repeats, once they fit the role and exist."""
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"Role '{role}' must be one of: sekolah, auditor, pimpinan, admin.") from None
    scope = UserScope(*(tuple(dict.fromkeys(v.strip().upper() for v in values)) for values in scope))
    _check_fits(role, scope, national)
    schools, provinces, kabupaten, jenjang = scope
    found = dict(session.execute(select(School.npsn, School.id).where(School.npsn.in_(schools))).all())
    for npsn in schools:
        if npsn not in found:
            raise NotFound("school", npsn)
    known = set(session.scalars(select(Province.code).where(Province.code.in_(provinces + tuple(
        k[:2] for k in kabupaten)))))  # fmt: skip
    for code in provinces:
        if code not in known:
            raise NotFound("province", code)
    used = set(session.scalars(select(School.kabupaten_code).distinct().where(School.kabupaten_code.in_(kabupaten))))
    for code in kabupaten:
        if not CODE.match(code) or code[:2] not in known or (code not in reference() and code not in used):
            raise NotFound("kabupaten/kota", code)
    for j in jenjang:
        if j not in JENJANG:
            raise InvalidInput(f"Jenjang '{j}' harus salah satu dari / must be one of {', '.join(JENJANG)}.")
    return role, {npsn: found[npsn] for npsn in schools}, scope


def write_scope(session: Session, user_id: int, school_ids: dict[str, int], scope: UserScope) -> None:
    """Replace the account's stored scope."""
    for table in (UserSchool, UserProvince, UserKabupaten, UserJenjang):
        session.execute(delete(table).where(table.user_id == user_id))
    session.add_all(UserSchool(user_id=user_id, school_id=i) for i in school_ids.values())
    session.add_all(UserProvince(user_id=user_id, province_code=c) for c in scope.province_codes)
    session.add_all(UserKabupaten(user_id=user_id, kabupaten_code=c) for c in scope.kabupaten_codes)
    session.add_all(UserJenjang(user_id=user_id, jenjang=j) for j in scope.jenjang)


def actor_for(session: Session, user: User, **flags) -> Actor:
    """The signed-in Actor of `user` with its whole stored scope (both sign-ins build it here)."""
    scope = scope_of(session, user.id)
    return Actor(user.id, user.username, Role(user.role), user.display_name, scope.school_npsns,
                 scope.province_codes, user.national, session_generation=user.session_generation,
                 kabupaten_codes=scope.kabupaten_codes, jenjang=scope.jenjang, **flags)

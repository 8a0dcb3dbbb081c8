"""The access matrix for kabupaten/kota and jenjang scopes: every scoped actor × every scoped
data function × every school, on SQLite and PostgreSQL.

Sumatera Barat (13): Kota Padang (1371) has an SMK, an SD and an SMP; Kabupaten Agam (1307)
an SD and an SMA. DKI Jakarta (31): an SD in Kota Jakarta Pusat (3173). Each school has a
submitted assessment (2025-1) and a complete draft (2025-2).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import storage
from auth import Actor, Role
from storage import AccessDenied
from storage.models import UserJenjang, UserKabupaten

from .conftest import SYSTEM, add_schools, add_user, assess, audit_actions
from .test_access_matrix import (
    get_or_create_assessment,
    get_result,
    return_assessment,
    save_draft,
    school_history,
    submit,
    verify,
)

SCHOOLS = [
    ("Z1300001", "SMK Padang", "SMK", "negeri", "13", "Kota Padang"),
    ("Z1300002", "SD Padang", "SD", "negeri", "13", "Kota Padang"),
    ("Z1300003", "SMP Padang", "SMP", "swasta", "13", "Kota Padang"),
    ("Z1300004", "SD Agam", "SD", "negeri", "13", "Kabupaten Agam"),
    ("Z1300005", "SMA Agam", "SMA", "negeri", "13", "Kabupaten Agam"),
    ("Z3100001", "SD Jakarta", "SD", "negeri", "31", "Kota Jakarta Pusat"),
]
PROVINCE = {npsn: prov for npsn, _, _, _, prov, _ in SCHOOLS}
# name: (role, provinces, kabupaten codes, jenjang, national) -> the schools it sees
ACTORS = {
    "kadis_padang": ((Role.PIMPINAN, (), ("1371",), ("SD", "SMP"), False), {"Z1300002", "Z1300003"}),
    "kadis_sumbar": ((Role.PIMPINAN, ("13",), (), ("SMA", "SMK", "SLB"), False), {"Z1300001", "Z1300005"}),
    "direktorat_smk": ((Role.PIMPINAN, (), (), ("SMK",), True), {"Z1300001"}),
    "auditor_padang_agam": ((Role.AUDITOR, (), ("1371", "1307"), (), False),
                            {"Z1300001", "Z1300002", "Z1300003", "Z1300004", "Z1300005"}),
    "auditor_jakarta_sd": ((Role.AUDITOR, ("31",), (), ("SD",), False), {"Z3100001"}),
}  # fmt: skip


@dataclass
class ScopeWorld:
    actors: dict[str, Actor]
    submitted: dict[str, int]
    drafts: dict[str, int]
    draft_versions: dict[str, int]


@pytest.fixture
def scoped(make_session, password_hash) -> ScopeWorld:
    from storage.questionnaires import register_file

    from .conftest import CONTOH

    session = make_session()
    register_file(session, SYSTEM, CONTOH)
    ids = add_schools(session, SCHOOLS)
    operators = {n: add_user(session, password_hash, f"op_{n.lower()}", Role.SEKOLAH, [n], school_ids=ids) for n in ids}
    actors = {}
    for name, ((role, provinces, kabupaten, jenjang, national), _) in ACTORS.items():
        actor = add_user(session, password_hash, name, role, provinces=provinces, national=national)
        session.add_all(UserKabupaten(user_id=actor.user_id, kabupaten_code=c) for c in kabupaten)
        session.add_all(UserJenjang(user_id=actor.user_id, jenjang=j) for j in jenjang)
        actors[name] = actor
    session.commit()
    submitted, drafts, versions = assess(session, operators)
    session.close()
    return ScopeWorld(actors, submitted, drafts, versions)


def get_school(s, actor, w, npsn):
    assert storage.get_school(s, actor, npsn).npsn == npsn


def list_schools(s, actor, w, npsn):
    # A province filter is allowed where the scope reaches into the province; it shows only the scope.
    assert npsn in [x.npsn for x in storage.list_schools(s, actor, province_code=PROVINCE[npsn])]


def get_assessment(s, actor, w, npsn):
    assert storage.get_assessment(s, actor, w.submitted[npsn]).npsn == npsn


def list_assessments(s, actor, w, npsn):
    assert {a.npsn for a in storage.list_assessments(s, actor, npsn=npsn)} == {npsn}


def scores_in_scope(s, actor, w, npsn):
    assert npsn in [r.npsn for r in storage.scores_in_scope(s, actor, "contoh", "2025-1",
                                                            province_code=PROVINCE[npsn])]  # fmt: skip


def school_table(s, actor, w, npsn):
    from storage.school_table import SchoolFilter, school_table

    rows = school_table(s, actor, "contoh", "2025-1", SchoolFilter(province_code=PROVINCE[npsn]))
    assert npsn in [r.npsn for r in rows]


READS = [get_school, list_schools, get_assessment, list_assessments, get_result, scores_in_scope, school_history,
         school_table]  # fmt: skip
WRITES = {verify: {Role.AUDITOR}, return_assessment: {Role.AUDITOR}, get_or_create_assessment: set(),
          save_draft: set(), submit: set()}  # fmt: skip


def check(session, actor, world, fn, npsn, allowed: bool) -> str | None:
    """None when the function behaves as the scope says, else what went wrong."""
    denied_before = [a for _, a, _ in audit_actions(session, actor.username)].count("access_denied")
    try:
        fn(session, actor, world, npsn)
    except AccessDenied:
        session.rollback()
        if allowed:
            return f"{fn.__name__}({npsn}) was refused"
        denied = [a for _, a, _ in audit_actions(session, actor.username)].count("access_denied")
        return None if denied == denied_before + 1 else f"{fn.__name__}({npsn}) refused without an audit entry"
    except AssertionError:
        session.rollback()
        # A filter the scope reaches into may still hold none of the scope's schools of that kind.
        return f"{fn.__name__}({npsn}) did not return the school" if allowed else None
    return None if allowed else f"{fn.__name__}({npsn}) was allowed"


@pytest.mark.parametrize("name", list(ACTORS))
def test_reads_follow_the_scope(scoped, session, name):
    actor, sees = scoped.actors[name], ACTORS[name][1]
    wrong = [problem for fn in READS for npsn in PROVINCE
             if (problem := check(session, actor, scoped, fn, npsn, npsn in sees))]  # fmt: skip
    assert wrong == []


@pytest.mark.parametrize("fn", list(WRITES), ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("name", list(ACTORS))
def test_writes_follow_the_role_and_the_scope(scoped, session, name, fn):
    actor, sees = scoped.actors[name], ACTORS[name][1]
    may = actor.role in WRITES[fn]
    wrong = [problem for npsn in PROVINCE if (problem := check(session, actor, scoped, fn, npsn, may and npsn in sees))]
    assert wrong == []


@pytest.mark.parametrize("name", list(ACTORS))
def test_unfiltered_lists_hold_exactly_the_scope(scoped, session, name):
    actor, sees = scoped.actors[name], ACTORS[name][1]
    assert {s.npsn for s in storage.list_schools(session, actor)} == sees
    assert {r.npsn for r in storage.scores_in_scope(session, actor, "contoh", "2025-1")} == sees
    assert {a.npsn for a in storage.list_assessments(session, actor)} == sees


def test_a_province_filter_outside_the_scope_is_refused(scoped, session):
    with pytest.raises(AccessDenied):
        storage.list_schools(session, scoped.actors["kadis_padang"], province_code="31")
    with pytest.raises(AccessDenied):
        storage.scores_in_scope(session, scoped.actors["auditor_jakarta_sd"], "contoh", "2025-1", province_code="13")


def test_a_scope_change_takes_effect_at_once(scoped, session):
    """The where-clause reads the scope from the database on every call, not from the Actor."""
    actor = scoped.actors["kadis_padang"]
    session.query(UserJenjang).filter(UserJenjang.user_id == actor.user_id, UserJenjang.jenjang == "SMP").delete()
    session.commit()
    assert {s.npsn for s in storage.list_schools(session, actor)} == {"Z1300002"}
    session.query(UserJenjang).filter(UserJenjang.user_id == actor.user_id).delete()
    session.commit()
    assert {s.npsn for s in storage.list_schools(session, actor)} == {"Z1300001", "Z1300002", "Z1300003"}

"""Every role × every scoped data function × a case inside the scope and one outside.

The target inside every role's scope is school A (SMK Z1300001, Sumatera Barat, 13);
the target outside is school C (SMA Z3100001, DKI Jakarta, 31). The admin and the
national leader see both. A role that may not take an action at all is refused in
both cases. Every refusal raises AccessDenied and leaves an audit-log entry.
"""

from __future__ import annotations

import pytest

import storage
from storage import AccessDenied

from .conftest import audit_actions

INSIDE, OUTSIDE = "Z1300001", "Z3100001"
PROVINCE = {INSIDE: "13", OUTSIDE: "31"}

# The actor used for each role; operator_a's school and the province-13 users hold A.
ROLE_ACTORS = {
    "sekolah": "operator_a",
    "auditor": "auditor_13",
    "pimpinan": "pimpinan_13",
    "pimpinan-nasional": "pimpinan_nasional",
    "admin": "admin",
}
SEES_EVERYTHING = {"admin", "pimpinan-nasional"}
READERS = set(ROLE_ACTORS)


def get_school(s, actor, w, npsn):
    assert storage.get_school(s, actor, npsn).npsn == npsn


def list_schools(s, actor, w, npsn):
    assert npsn in [x.npsn for x in storage.list_schools(s, actor, province_code=PROVINCE[npsn])]


def get_or_create_assessment(s, actor, w, npsn):
    assert storage.get_or_create_assessment(s, actor, npsn, "contoh", "2026-1").npsn == npsn


def get_assessment(s, actor, w, npsn):
    found = storage.get_assessment(s, actor, w.submitted[npsn])
    assert found.npsn == npsn and found.answers.answers["q1"].value == 3


def list_assessments(s, actor, w, npsn):
    assert {a.npsn for a in storage.list_assessments(s, actor, npsn=npsn)} == {npsn}


def save_draft(s, actor, w, npsn):
    version = storage.save_draft(s, actor, w.drafts[npsn], {"q1": 2}, w.draft_versions[npsn])
    assert version == w.draft_versions[npsn] + 1


def submit(s, actor, w, npsn):
    assert storage.submit(s, actor, w.drafts[npsn], w.draft_versions[npsn]).status == "submitted"


def verify(s, actor, w, npsn):
    assert storage.verify(s, actor, w.submitted[npsn], 3).status == "verified"


def return_assessment(s, actor, w, npsn):
    assert storage.return_assessment(s, actor, w.submitted[npsn], "q2 needs evidence", 3).status == "returned"


def get_result(s, actor, w, npsn):
    assert storage.get_result(s, actor, w.submitted[npsn]).questionnaire == "contoh"


def scores_in_scope(s, actor, w, npsn):
    rows = storage.scores_in_scope(s, actor, "contoh", "2025-1", province_code=PROVINCE[npsn])
    assert [r.npsn for r in rows] == [npsn]


def school_history(s, actor, w, npsn):
    assert [h.period for h in storage.school_history(s, actor, npsn)] == ["2025-1", "2025-2"]


# function -> the roles that may use it at all
FUNCTIONS = {
    get_school: READERS,
    list_schools: READERS - {"sekolah"},  # an operator has no province to filter on
    get_or_create_assessment: {"sekolah"},
    get_assessment: READERS,
    list_assessments: READERS,
    save_draft: {"sekolah"},
    submit: {"sekolah"},
    verify: {"auditor"},
    return_assessment: {"auditor"},
    get_result: READERS,
    scores_in_scope: READERS - {"sekolah"},
    school_history: READERS,
}

CASES = [
    pytest.param(fn, role, where, id=f"{fn.__name__}-{role}-{where}")
    for fn in FUNCTIONS
    for role in ROLE_ACTORS
    for where in ("inside", "outside")
]


def expected_allowed(fn, role: str, where: str) -> bool:
    if role not in FUNCTIONS[fn]:
        return False
    return where == "inside" or role in SEES_EVERYTHING


@pytest.mark.parametrize(("fn", "role", "where"), CASES)
def test_matrix(world, session, fn, role, where):
    actor = world.actors[ROLE_ACTORS[role]]
    npsn = INSIDE if where == "inside" else OUTSIDE
    if expected_allowed(fn, role, where):
        fn(session, actor, world, npsn)
        assert "access_denied" not in {a for _, a, _ in audit_actions(session, actor.username)}
    else:
        with pytest.raises(AccessDenied):
            fn(session, actor, world, npsn)
        assert "access_denied" in [a for _, a, _ in audit_actions(session, actor.username)]


def test_the_matrix_covers_every_scoped_function():
    """A new scoped function must be added to the matrix (guard against a silent gap)."""
    scoped = {
        "get_school", "list_schools", "get_or_create_assessment", "get_assessment", "list_assessments",
        "save_draft", "submit", "verify", "return_assessment", "get_result", "scores_in_scope", "school_history",
    }  # fmt: skip
    assert {fn.__name__ for fn in FUNCTIONS} == scoped
    assert len(CASES) == len(scoped) * len(ROLE_ACTORS) * 2


# The operator's own school, with no filter: operators never see another school.
@pytest.mark.parametrize(
    ("actor_name", "expected"),
    [
        ("operator_a", ["Z1300001"]),
        ("auditor_13", ["Z1300001", "Z1300002"]),
        ("auditor_31", ["Z3100001"]),
        ("pimpinan_13", ["Z1300001", "Z1300002"]),
        ("pimpinan_nasional", ["Z1300001", "Z1300002", "Z3100001"]),
        ("admin", ["Z1300001", "Z1300002", "Z3100001"]),
    ],
)
def test_unfiltered_lists_hold_only_the_scope(world, session, actor_name, expected):
    actor = world.actors[actor_name]
    assert sorted(s.npsn for s in storage.list_schools(session, actor)) == expected
    scored = {r.npsn for r in storage.scores_in_scope(session, actor, "contoh", "2025-1")}
    assert scored == set(expected) & {"Z1300001", "Z3100001"}
    listed = {a.npsn for a in storage.list_assessments(session, actor)}
    assert listed == set(expected) & {"Z1300001", "Z3100001"}


# Administration is role-gated: only an admin may, and there is no scope to be inside or outside of.
ADMIN_FUNCTIONS = {
    "create_user": lambda s, a: storage.create_user(s, a, "baru", "Baru", "auditor", "kata-sandi-lain-2025",
                                                    province_codes=("13",)),
    "list_users": lambda s, a: storage.list_users(s, a),
    "set_active": lambda s, a: storage.set_active(s, a, "operator_c", False),
    "unlock_user": lambda s, a: storage.unlock_user(s, a, "operator_c"),
    "reset_password": lambda s, a: storage.reset_password(s, a, "operator_c", "kata-sandi-baru-2025"),
    "import_schools": lambda s, a: storage.import_schools(
        s, a, b"npsn,name,jenjang,status,province_code,kabupaten_kota\nZ1300009,SD X,SD,negeri,13,Padang\n", "x.csv"
    ),
    "register_questionnaire": lambda s, a: storage.register_questionnaire(
        s, a, (__import__("tests.storage.conftest", fromlist=["CONTOH"]).CONTOH).read_bytes(), "contoh.yaml"
    ),
    "activate_questionnaire": lambda s, a: storage.activate_questionnaire(s, a, "contoh", "1"),
    "audit_log": lambda s, a: storage.audit_log(s, a),
}  # fmt: skip


@pytest.mark.parametrize("role", list(ROLE_ACTORS))
@pytest.mark.parametrize("name", list(ADMIN_FUNCTIONS))
def test_administration_is_for_admins_only(world, session, role, name):
    actor = world.actors[ROLE_ACTORS[role]]
    if role == "admin":
        ADMIN_FUNCTIONS[name](session, actor)
    else:
        with pytest.raises(AccessDenied):
            ADMIN_FUNCTIONS[name](session, actor)
        assert "access_denied" in [a for _, a, _ in audit_actions(session, actor.username)]


@pytest.mark.parametrize("role", list(ROLE_ACTORS))
def test_every_role_reads_questionnaires_and_provinces(world, session, role):
    actor = world.actors[ROLE_ACTORS[role]]
    assert [q.questionnaire_id for q in storage.list_questionnaires(session, actor)] == ["contoh"]
    assert storage.get_questionnaire(session, actor, "contoh").id == "contoh"
    assert len(storage.list_provinces(session, actor)) == 38


def test_search_takes_wildcard_characters_as_text(world, session):
    admin = world.actors["admin"]
    assert storage.list_schools(session, admin, search="%") == []
    assert storage.list_schools(session, admin, search="_") == []
    assert len(storage.list_schools(session, admin, search="")) == 3

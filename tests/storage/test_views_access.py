"""The views' data functions against every role, inside and outside the scope: a filter or
a school outside the scope is refused (and logged), and an unfiltered call holds only the scope."""

from __future__ import annotations

import pytest

import storage
from storage.comparisons import commonly_missed, domain_spread
from storage.dashboards import dashboard, domain_medians
from storage.school_table import SchoolFilter, compare_schools, filter_options, school_table

from .conftest import audit_actions

ROLE_ACTORS = {"sekolah": "operator_a", "auditor": "auditor_13", "pimpinan": "pimpinan_13",
               "pimpinan-nasional": "pimpinan_nasional", "admin": "admin"}  # fmt: skip
SEES_EVERYTHING = {"admin", "pimpinan-nasional"}
PROVINCE = {"inside": "13", "outside": "31"}
SCHOOLS = {"inside": ["Z1300001", "Z1300002"], "outside": ["Z1300001", "Z3100001"]}

FILTERED = {fn.__name__: fn for fn in (school_table, dashboard, domain_spread, commonly_missed, domain_medians)}


def call(name: str, session, actor, where: str):
    if name == "compare_schools":
        return compare_schools(session, actor, "contoh", "2025-1", SCHOOLS[where])
    return FILTERED[name](session, actor, "contoh", "2025-1", SchoolFilter(province_code=PROVINCE[where]))



@pytest.mark.parametrize("where", ["inside", "outside"])
@pytest.mark.parametrize("role", list(ROLE_ACTORS))
@pytest.mark.parametrize("name", [*FILTERED, "compare_schools"])
def test_matrix(world, session, name, role, where):
    actor = world.actors[ROLE_ACTORS[role]]
    # An operator has no province to filter on; its own school is all it sees.
    allowed = role != "sekolah" and (where == "inside" or role in SEES_EVERYTHING)
    if allowed:
        call(name, session, actor, where)
    else:
        with pytest.raises(storage.AccessDenied):
            call(name, session, actor, where)
        assert "access_denied" in [a for _, a, _ in audit_actions(session, actor.username)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("operator_a", {"Z1300001"}), ("auditor_13", {"Z1300001", "Z1300002"}), ("auditor_31", {"Z3100001"}),
     ("pimpinan_13", {"Z1300001", "Z1300002"}), ("pimpinan_nasional", {"Z1300001", "Z1300002", "Z3100001"})],
)  # fmt: skip
def test_unfiltered_views_hold_only_the_scope(world, session, name, expected):
    actor = world.actors[name]
    assert {r.npsn for r in school_table(session, actor, "contoh", "2025-1")} == expected
    options = filter_options(session, actor, "contoh")
    assert {code for code, _ in options.provinces} == {n[1:3] for n in expected}
    assert dashboard(session, actor, "contoh", "2025-1").registered == len(expected)

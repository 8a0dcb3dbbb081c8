"""A school lookup tells a scoped user nothing about schools outside the scope, not even
whether they exist; and the admin's school import reads every bad CSV as a named problem."""

from __future__ import annotations

import pytest

import storage

from .conftest import SYSTEM, audit_actions

HEADER = "npsn,name,jenjang,status,province_code,kabupaten_kota\n"


@pytest.mark.parametrize("name", ["operator_a", "auditor_13", "pimpinan_13"])
def test_a_missing_school_and_one_outside_the_scope_get_the_same_answer(world, session, name):
    actor = world.actors[name]
    answers = []
    for npsn in ("Z3100001", "Z3199999"):  # exists in Jakarta; exists nowhere
        with pytest.raises(storage.StorageError) as refused:
            storage.get_school(session, actor, npsn)
        answers.append((type(refused.value), str(refused.value).replace(npsn, "NPSN")))
    assert answers[0] == answers[1] and answers[0][0] is storage.AccessDenied
    with pytest.raises(storage.AccessDenied):
        storage.list_assessments(session, actor, npsn="Z3199999")
    assert [o for _, a, o in audit_actions(session, name) if a == "access_denied"][-3:] == [
        "Z3100001", "Z3199999", "Z3199999"]


def test_the_admin_who_sees_every_school_is_told_it_does_not_exist(world, session):
    with pytest.raises(storage.NotFound):
        storage.get_school(session, world.actors["admin"], "Z3199999")


def test_a_csv_field_beyond_the_csv_modules_limit_is_a_line_numbered_problem(session):
    data = (HEADER + "Z1300077,SD Satu,SD,negeri,13,Kota Padang\n" + "Z1300078," + "S" * 200_000 + ",SD,negeri,13,X\n")
    with pytest.raises(storage.InvalidInput) as refused:
        storage.import_schools(session, SYSTEM, data.encode(), "sekolah.csv")
    assert "sekolah.csv:3: cannot be read as CSV" in str(refused.value)
    assert storage.list_schools(session, SYSTEM) == []


def test_a_header_beyond_the_csv_modules_limit_is_a_problem_too(session):
    with pytest.raises(storage.InvalidInput, match="sekolah.csv:1: cannot be read as CSV"):
        storage.import_schools(session, SYSTEM, ("n" * 200_000 + "\n").encode(), "sekolah.csv")

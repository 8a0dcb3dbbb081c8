"""Server-side limits (storage.limits) at every write entry point, on SQLite and PostgreSQL:
SQLite would store a NUL or 100,000 characters; PostgreSQL fails on either with a driver
error. Here both refuse with the same named error before the database is asked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import storage
from auth import SignInFailed
from storage.limits import ForbiddenCharacter, TextTooLong
from storage.models import Assessment, AuditEntry, School, User
from storage.review import finish_review, mark_question

from .conftest import PASSWORD, SYSTEM

A = "Z1300001"
SCHOOLS_HEADER = "npsn,name,jenjang,status,province_code,kabupaten_kota\n"


def stored_reasons(session, assessment_id):
    found = session.scalar(select(Assessment.return_reasons).where(Assessment.id == assessment_id))
    session.rollback()
    return found


@pytest.mark.parametrize(("reasons", "error"), [("x" * 4001, TextTooLong), ("Perbaiki\0 q2", ForbiddenCharacter),
                                                ("Perbaiki q2\x1b[31m", ForbiddenCharacter)])  # fmt: skip
def test_return_reasons_are_limited(world, session, reasons, error):
    with pytest.raises(error, match="reasons"):
        finish_review(session, world.actors["auditor_13"], world.submitted[A], "returned", 3, reasons)
    assert stored_reasons(session, world.submitted[A]) is None


def test_return_reasons_of_4000_characters_over_several_lines_are_kept(world, session):
    reasons = ("Perbaiki q2.\n" + "y" * 4000)[:4000]
    finish_review(session, world.actors["auditor_13"], world.submitted[A], "returned", 3, reasons)
    assert stored_reasons(session, world.submitted[A]) == reasons


@pytest.mark.parametrize(("note", "error"), [("n" * 2001, TextTooLong), ("catatan\0", ForbiddenCharacter),
                                             ("\u202eevil", ForbiddenCharacter)])  # fmt: skip
def test_notes_are_limited_as_a_dict_or_an_entry(world, session, note, error):
    operator = world.actors["operator_a"]
    draft, version = world.drafts[A], world.draft_versions[A]
    for value in ({"value": 3, "note": note}, storage.assessments.AnswerEntry.model_construct(value=3, note=note)):
        with pytest.raises(error, match="answers.q1.note"):
            storage.save_draft(session, operator, draft, {"q1": value}, version)
    assert storage.get_assessment(session, operator, draft).answers.answers["q1"].note is None


def test_a_note_over_several_lines_is_kept(world, session):
    operator = world.actors["operator_a"]
    note = "baris 1\nbaris 2\tb"
    storage.save_draft(session, operator, world.drafts[A], {"q1": {"value": 3, "note": note}}, world.draft_versions[A])
    assert storage.get_assessment(session, operator, world.drafts[A]).answers.answers["q1"].note == note


def test_review_comments_are_limited(world, session):
    with pytest.raises(ForbiddenCharacter, match="comment"):
        mark_question(session, world.actors["auditor_13"], world.submitted[A], "q1", False, "tidak\0 setuju")
    with pytest.raises(TextTooLong, match="comment"):
        mark_question(session, world.actors["auditor_13"], world.submitted[A], "q1", False, "c" * 2001)


@pytest.mark.parametrize(("row", "message"), [
    ("Z1300077,SD Nul\0 Satu,SD,negeri,13,Kota Padang", "sekolah.csv:2: name: holds a control character (U+0000)"),
    (f"Z1300077,{'S' * 201},SD,negeri,13,Kota Padang", "sekolah.csv:2: name: may have at most 200 characters"),
    ("Z1300077,SD Satu,SD,negeri,13,Kota\x07 Padang", "sekolah.csv:2: kabupaten_kota: holds a control character"),
])  # fmt: skip
def test_school_names_are_limited(world, session, row, message):
    with pytest.raises(storage.InvalidInput) as refused:
        storage.import_schools(session, SYSTEM, (SCHOOLS_HEADER + row + "\n").encode(), "sekolah.csv")
    assert message in str(refused.value)
    assert session.scalar(select(School.id).where(School.npsn == "Z1300077")) is None


@pytest.mark.parametrize(("name", "error"), [("N" * 336, TextTooLong), ("Budi\0", ForbiddenCharacter),
                                             ("Budi\nSantoso", ForbiddenCharacter)])  # fmt: skip
def test_display_names_are_limited(world, session, name, error):
    with pytest.raises(error, match="display_name"):
        storage.create_user(session, world.actors["admin"], "budi", name, "admin", PASSWORD)
    assert session.scalar(select(User.id).where(User.username == "budi")) is None


def test_a_display_name_of_120_characters_is_kept(world, session):
    info = storage.create_user(session, world.actors["admin"], "budi", "B" * 120, "admin", PASSWORD)
    assert info.display_name == "B" * 120


@pytest.mark.parametrize("username", ["operator_a\0", "x" * 10_000])
def test_a_username_with_a_nul_or_too_long_is_a_failed_sign_in_not_a_database_error(world, session, username):
    with pytest.raises(SignInFailed):
        storage.authenticate(session, username, PASSWORD)


def test_a_search_with_a_nul_is_refused_by_name(world, session):
    with pytest.raises(ForbiddenCharacter, match="search"):
        storage.list_schools(session, world.actors["auditor_13"], search="SMK\0")


def test_an_npsn_with_a_nul_is_a_denied_access_logged_escaped(world, session):
    with pytest.raises(storage.AccessDenied):
        storage.get_school(session, world.actors["operator_a"], "Z13\x0000001" + "9" * 100)
    logged = session.scalars(select(AuditEntry.object_id).where(AuditEntry.action == "access_denied")).all()
    assert logged and "\0" not in logged[-1] and logged[-1].startswith("Z13\\u0000") and len(logged[-1]) <= 80

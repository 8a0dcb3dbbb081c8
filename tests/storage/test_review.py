"""An auditor's review: per-question marks, then verify or return; the school reads the marks
once the review has an outcome. Each step is audit-logged."""

from __future__ import annotations

import pytest

import storage
from storage.review import finish_review, mark_question, review_comments

from .conftest import FULL_ANSWERS, audit_actions

A = "Z1300001"


def test_marks_are_stored_and_read_back(world, session):
    auditor, assessment = world.actors["auditor_13"], world.submitted[A]
    mark_question(session, auditor, assessment, "q1", True)
    mark_question(session, auditor, assessment, "q2", False, "  Tidak ada bukti MFA.  ")
    assert review_comments(session, auditor, assessment) == {"q1": (True, None, None),
                                                          "q2": (False, "Tidak ada bukti MFA.", None)}
    mark_question(session, auditor, assessment, "q1", None)  # cleared
    assert list(review_comments(session, auditor, assessment)) == ["q2"]
    assert [a for _, a, _ in audit_actions(session, "auditor_13")] == ["review_mark", "review_mark", "review_clear"]


def test_the_school_sees_the_marks_once_the_assessment_is_returned(world, session):
    auditor, operator, assessment = world.actors["auditor_13"], world.actors["operator_a"], world.submitted[A]
    mark_question(session, auditor, assessment, "q2", False, "Lampirkan bukti.")
    assert review_comments(session, operator, assessment) == {}  # the review is still under way
    info = finish_review(session, auditor, assessment, "returned", 3, "Perbaiki q2.")
    assert info.status == "returned" and info.return_reasons == "Perbaiki q2."
    agree, comment, _ = review_comments(session, operator, assessment)["q2"]
    assert (agree, comment) == (False, "Lampirkan bukti.")
    # Returning unlocks the assessment: the school can change and submit it again.
    version = storage.save_draft(session, operator, assessment, {"q2": 3}, info.version)
    assert storage.submit(session, operator, assessment, version).status == "submitted"
    assert ("auditor_13", "review_finished", str(assessment)) in audit_actions(session)


def test_an_assessment_with_a_disagreement_cannot_be_verified(world, session):
    auditor, assessment = world.actors["auditor_13"], world.submitted[A]
    mark_question(session, auditor, assessment, "q2", False, "Tidak sesuai.")
    with pytest.raises(storage.InvalidInput, match="q2"):
        finish_review(session, auditor, assessment, "verified", 3)
    mark_question(session, auditor, assessment, "q2", True)
    assert finish_review(session, auditor, assessment, "verified", 3).status == "verified"
    with pytest.raises(storage.WrongStatus):
        mark_question(session, auditor, assessment, "q1", True)  # a verified assessment is closed


def test_returning_needs_reasons(world, session):
    with pytest.raises(storage.InvalidInput, match="Say why"):
        finish_review(session, world.actors["auditor_13"], world.submitted[A], "returned", 3, "  ")


def test_a_stale_version_is_refused(world, session):
    with pytest.raises(storage.StaleVersion):
        finish_review(session, world.actors["auditor_13"], world.submitted[A], "verified", 2)


@pytest.mark.parametrize(
    ("question", "comment", "message"),
    [("q9", None, "not in contoh"), ("q1", "x" * 2001, "at most 2000")],
)
def test_bad_marks_are_named(world, session, question, comment, message):
    with pytest.raises(storage.InvalidInput, match=message):
        mark_question(session, world.actors["auditor_13"], world.submitted[A], question, False, comment)


def test_a_draft_cannot_be_reviewed(world, session):
    with pytest.raises(storage.WrongStatus):
        mark_question(session, world.actors["auditor_13"], world.drafts[A], "q1", True)


@pytest.mark.parametrize("name", ["auditor_31", "operator_a", "pimpinan_13", "admin"])
def test_only_an_auditor_of_the_province_reviews(world, session, name):
    with pytest.raises(storage.AccessDenied):
        mark_question(session, world.actors[name], world.submitted[A], "q1", True)
    with pytest.raises(storage.AccessDenied):
        finish_review(session, world.actors[name], world.submitted[A], "verified", 3)
    assert "access_denied" in [a for _, a, _ in audit_actions(session, name)]


@pytest.mark.parametrize(("name", "allowed"), [("operator_c", False), ("auditor_31", False), ("pimpinan_13", True),
                                               ("admin", True), ("operator_a", True)])  # fmt: skip
def test_reading_the_marks_follows_the_scope(world, session, name, allowed):
    if allowed:
        review_comments(session, world.actors[name], world.submitted[A])
    else:
        with pytest.raises(storage.AccessDenied):
            review_comments(session, world.actors[name], world.submitted[A])


def test_resubmitted_answers_keep_the_earlier_marks(world, session):
    """The marks stay with the assessment, so the auditor sees what was asked last time."""
    auditor, operator, assessment = world.actors["auditor_13"], world.actors["operator_a"], world.submitted[A]
    mark_question(session, auditor, assessment, "q2", False, "Bukti?")
    info = finish_review(session, auditor, assessment, "returned", 3, "q2")
    version = storage.save_draft(session, operator, assessment, FULL_ANSWERS, info.version)
    storage.submit(session, operator, assessment, version)
    assert review_comments(session, auditor, assessment) == {"q2": (False, "Bukti?", None)}

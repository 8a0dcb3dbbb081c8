"""Drafts, stale versions, submission checks, all-or-nothing writes, stored questionnaires."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import storage
from storage.models import AssessmentResult, DomainScore

from .conftest import CONTOH, FULL_ANSWERS, SYSTEM


def new_draft(session, world, period="2026-1"):
    return storage.get_or_create_assessment(session, world.actors["operator_a"], "Z1300001", "contoh", period)


def test_get_or_create_returns_the_same_assessment(world, session):
    first = new_draft(session, world)
    again = new_draft(session, world)
    assert (first.id, first.status, first.version) == (again.id, "draft", 1)


@pytest.mark.parametrize("period", ["2025", "2025-3", "25-1", "2025-01"])
def test_period_must_be_a_semester(world, session, period):
    with pytest.raises(storage.InvalidInput, match="2025-1 or 2025-2"):
        new_draft(session, world, period)


def test_save_draft_merges_and_counts_versions(world, session):
    actor = world.actors["operator_a"]
    draft = new_draft(session, world)
    v2 = storage.save_draft(session, actor, draft.id, {"q1": 3, "q2": {"value": 1, "note": "MFA belum ada"}}, 1)
    v3 = storage.save_draft(session, actor, draft.id, {"q3": "na", "q1": None}, v2)
    assert (v2, v3) == (2, 3)
    stored = storage.get_assessment(session, actor, draft.id).answers.answers
    assert {k: (e.value, e.note) for k, e in stored.items()} == {"q2": (1, "MFA belum ada"), "q3": ("na", None)}


def test_stale_version_is_rejected_with_a_clear_message(world, session):
    actor = world.actors["operator_a"]
    draft = new_draft(session, world)
    storage.save_draft(session, actor, draft.id, {"q1": 3}, 1)
    with pytest.raises(storage.StaleVersion, match="changed by someone else.*version 1.*version 2") as stale:
        storage.save_draft(session, actor, draft.id, {"q1": 0}, 1)
    assert (stale.value.expected, stale.value.current) == (1, 2)
    assert storage.get_assessment(session, actor, draft.id).answers.answers["q1"].value == 3


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"q3": 2}, "not on the 'ya_tidak' scale"),
        ({"q1": 4}, "not on the 'status' scale"),
        ({"q1": "na"}, "'na' .* not allowed"),
        ({"q9": 1}, "unknown question id 'q9'"),
        ({"q9": None}, "unknown question id 'q9'"),
        ({"q1": "tiga"}, "must be a number"),
    ],
)
def test_invalid_answers_are_rejected(world, session, answers, message):
    draft = new_draft(session, world)
    with pytest.raises(storage.InvalidAnswers, match=message):
        storage.save_draft(session, world.actors["operator_a"], draft.id, answers, 1)
    assert storage.get_assessment(session, world.actors["operator_a"], draft.id).version == 1


def test_submit_needs_every_question(world, session):
    actor = world.actors["operator_a"]
    draft = new_draft(session, world)
    version = storage.save_draft(session, actor, draft.id, {"q1": 3, "q3": "na"}, 1)
    with pytest.raises(storage.Incomplete, match="3 question.*q2, q4, q5") as incomplete:
        storage.submit(session, actor, draft.id, version)
    assert incomplete.value.missing == ["q2", "q4", "q5"]


def test_submit_stores_scores_with_the_submission(world, session):
    actor = world.actors["operator_a"]
    draft = new_draft(session, world)
    version = storage.save_draft(session, actor, draft.id, FULL_ANSWERS, 1)
    submitted = storage.submit(session, actor, draft.id, version)
    assert (submitted.status, submitted.version) == ("submitted", version + 1)
    result = storage.get_result(session, actor, draft.id)
    # Hand-computed on contoh: domain a = q1 3×1 + q2 2×2 = 7 of 9; domain b = q4 1×1 + q5 0 = 1 of 9.
    assert result.domains[0].points == 7 and result.domains[1].points == 1
    rows = storage.scores_in_scope(session, actor, "contoh", "2026-1")
    assert rows[0].score == pytest.approx(result.overall.score)
    assert rows[0].domains == {"a": pytest.approx(700 / 9), "b": pytest.approx(100 / 9)}
    with pytest.raises(storage.WrongStatus):
        storage.save_draft(session, actor, draft.id, {"q1": 0}, submitted.version)


def test_submission_is_all_or_nothing(world, session, monkeypatch):
    actor = world.actors["operator_a"]
    draft = new_draft(session, world)
    version = storage.save_draft(session, actor, draft.id, FULL_ANSWERS, 1)

    def fail_halfway(session, assessment_id, result, scored_at):
        session.add(AssessmentResult(assessment_id=assessment_id, points=0, max_points=0, completeness=1,
                                     scored_at=scored_at, result_json="{}"))  # fmt: skip
        session.flush()
        raise RuntimeError("disk full")

    monkeypatch.setattr("storage.assessments.write_result", fail_halfway)
    with pytest.raises(RuntimeError):
        storage.submit(session, actor, draft.id, version)
    after = storage.get_assessment(session, actor, draft.id)
    assert (after.status, after.version) == ("draft", version)
    assert session.query(AssessmentResult).filter_by(assessment_id=draft.id).count() == 0
    assert session.query(DomainScore).filter_by(assessment_id=draft.id).count() == 0


def test_review_cycle(world, session):
    operator, auditor = world.actors["operator_a"], world.actors["auditor_13"]
    sid = world.submitted["Z1300001"]
    with pytest.raises(storage.InvalidInput, match="why"):
        storage.return_assessment(session, auditor, sid, "  ", 3)
    returned = storage.return_assessment(session, auditor, sid, "Tambahkan bukti MFA", 3)
    assert (returned.status, returned.return_reasons, returned.reviewed_by) == (
        "returned",
        "Tambahkan bukti MFA",
        "auditor_13",
    )
    with pytest.raises(storage.WrongStatus):
        storage.verify(session, auditor, sid, returned.version)
    version = storage.save_draft(session, operator, sid, {"q2": 3}, returned.version)
    again = storage.submit(session, operator, sid, version)
    assert storage.verify(session, auditor, sid, again.version).status == "verified"
    assert storage.get_result(session, operator, sid).overall.score is not None


def test_stored_questionnaire_survives_a_changed_file(world, session, tmp_path):
    admin = world.actors["admin"]
    changed = tmp_path / "contoh.yaml"
    changed.write_text(CONTOH.read_text().replace("Ada kebijakan keamanan?", "Ada kebijakan tertulis?"))
    with pytest.raises(storage.AlreadyExists, match="new version"):
        storage.register_file(session, admin, changed)
    assert (
        storage.get_questionnaire(session, admin, "contoh").domains[0].questions[0].text.id == "Ada kebijakan keamanan?"
    )
    v2 = tmp_path / "v2.yaml"
    v2.write_text(changed.read_text().replace('version: "1"', 'version: "2"'))
    storage.register_file(session, admin, v2)
    assert storage.get_questionnaire(session, admin, "contoh").version == "2"
    old = storage.get_questionnaire(session, admin, "contoh", "1")
    assert old.domains[0].questions[0].text.id == "Ada kebijakan keamanan?"
    # An assessment started on version 1 is still read and scored against version 1.
    assert storage.get_assessment(session, admin, world.drafts["Z1300001"]).questionnaire_version == "1"
    assert (
        storage.get_or_create_assessment(
            session, world.actors["operator_a"], "Z1300001", "contoh", "2026-2"
        ).questionnaire_version
        == "2"
    )


def test_registering_the_same_file_twice_changes_nothing(world, session):
    before = storage.list_questionnaires(session, world.actors["admin"], active_only=False)
    storage.register_file(session, SYSTEM, CONTOH)
    assert storage.list_questionnaires(session, world.actors["admin"], active_only=False) == before


def test_audit_log_is_append_only(world, session):
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            session.execute(text(statement))
        session.rollback()
    entries = storage.audit_log(session, world.actors["admin"], action="submit")
    assert {e.object_id for e in entries} == {str(i) for i in world.submitted.values()}
    page = storage.audit_log(session, world.actors["admin"], limit=3)
    older = storage.audit_log(session, world.actors["admin"], limit=3, before_id=page[-1].id)
    assert page[-1].id > older[0].id


def test_school_history_is_in_period_order(world, session):
    history = storage.school_history(session, world.actors["operator_a"], "Z1300001")
    assert [(h.period, h.status, h.score is not None) for h in history] == [
        ("2025-1", "submitted", True), ("2025-2", "draft", False),
    ]  # fmt: skip

"""Tasks from a result's action plan: made, changed, carried over to the next period, followed
up by the auditor and the leader, each within scope and written to the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

import storage
from auth import Role
from scoring.engine import score
from scoring.models import AnswerEntry
from storage import AccessDenied, StaleVersion
from storage.follow_up import follow_up, plan_shares_by_province
from storage.models import QuestionnaireVersion
from storage.questionnaires import stored_questionnaire
from storage.tasks import (
    TaskRefused,
    create_task,
    delete_task,
    list_tasks,
    projected_score,
    task_reminders,
    update_task,
)

from .conftest import FULL_ANSWERS, add_schools, add_user, audit_actions

A, C = "Z1300001", "Z3100001"
TODAY = date(2025, 9, 1)


def test_a_task_is_made_from_an_action_of_the_result(world, session):
    operator, result = world.actors["operator_a"], world.submitted[A]
    task = create_task(session, operator, result, "q4", "  Bu Sari  ", date(2025, 8, 1), "cadangan ke diska luar")
    assert (task.question_id, task.owner, task.status, task.source_period) == ("q4", "Bu Sari", "belum", "2025-1")
    assert ("operator_a", "task_create", str(task.id)) in audit_actions(session, "operator_a")
    assert [t.question_id for t in list_tasks(session, operator, A, "contoh", TODAY)] == ["q4"]


@pytest.mark.parametrize(
    ("question", "owner", "due", "code"),
    [
        ("q1", "Pak Budi", None, "task.not_an_action"),  # answered 3: not in the plan
        ("q4", "   ", None, "task.owner_needed"),
        ("q4", "x" * 121, None, "task.owner"),
        ("q4", "Pak\x00Budi", None, "task.owner"),
        ("q4", "Pak Budi", date(1999, 1, 1), "task.due"),
        ("q4", "Pak Budi", "besok", "task.due"),
    ],
)
def test_a_bad_task_is_refused_with_the_field_named_and_stores_nothing(world, session, question, owner, due, code):
    with pytest.raises(TaskRefused) as refused:
        create_task(session, world.actors["operator_a"], world.submitted[A], question, owner, due)
    assert refused.value.code == code and refused.value.render("id") != refused.value.render("en")
    assert list_tasks(session, world.actors["operator_a"], A, "contoh", TODAY) == []


def test_a_draft_has_no_plan_yet_and_a_question_gets_one_task(world, session):
    operator = world.actors["operator_a"]
    with pytest.raises(TaskRefused, match="no result"):
        create_task(session, operator, world.drafts[A], "q4", "Bu Sari")
    create_task(session, operator, world.submitted[A], "q4", "Bu Sari")
    with pytest.raises(TaskRefused) as refused:
        create_task(session, operator, world.submitted[A], "q4", "Pak Budi")
    assert refused.value.code == "task.exists"


def test_only_the_schools_operator_changes_its_tasks_and_every_change_is_logged(world, session):
    operator = world.actors["operator_a"]
    task = create_task(session, operator, world.submitted[A], "q5", "Bu Sari", date(2025, 8, 1))
    for name in ("operator_c", "auditor_13", "pimpinan_nasional", "admin"):
        with pytest.raises(AccessDenied):
            update_task(session, world.actors[name], task.id, task.version, status="selesai")
        with pytest.raises(AccessDenied):
            create_task(session, world.actors[name], world.submitted[A], "q4", "x")
    with pytest.raises(AccessDenied):
        list_tasks(session, world.actors["operator_c"], A, "contoh", TODAY)
    changed = update_task(session, operator, task.id, task.version, status="berjalan", note="sedang dipasang")
    assert (changed.status, changed.note, changed.owner) == ("berjalan", "sedang dipasang", "Bu Sari")
    with pytest.raises(StaleVersion):
        update_task(session, operator, task.id, task.version, status="selesai")  # an old copy
    done = update_task(session, operator, task.id, changed.version, status="selesai")
    assert done.completed_at is not None
    with pytest.raises(TaskRefused):
        update_task(session, operator, task.id, done.version, status="hampir")
    actions = [a for _, a, _ in audit_actions(session, "operator_a")]
    assert actions.count("task_update") == 2
    delete_task(session, operator, task.id)
    assert "task_delete" in [a for _, a, _ in audit_actions(session, "operator_a")]


def test_tasks_carry_over_and_a_done_one_reminds_beside_its_question_without_changing_the_answer(world, session):
    operator = world.actors["operator_a"]
    done = create_task(session, operator, world.submitted[A], "q4", "Bu Sari")
    update_task(session, operator, done.id, done.version, status="selesai")
    create_task(session, operator, world.submitted[A], "q5", "Pak Budi")  # still open
    reminders = task_reminders(session, operator, world.drafts[A])  # the next period's assessment
    assert list(reminders) == ["q4"] and reminders["q4"].owner == "Bu Sari"
    assert storage.get_assessment(session, operator, world.drafts[A]).answers.answers["q4"].value == 1
    assert task_reminders(session, operator, world.submitted[A]) == {}  # not in the period it came from
    assert {t.question_id for t in list_tasks(session, operator, A, "contoh", TODAY)} == {"q4", "q5"}
    with pytest.raises(AccessDenied):
        task_reminders(session, world.actors["operator_c"], world.drafts[A])


def test_overdue_tasks_come_first(world, session):
    operator, result = world.actors["operator_a"], world.submitted[A]
    create_task(session, operator, result, "q2", "A", date(2025, 12, 1))
    create_task(session, operator, result, "q4", "B", date(2025, 8, 1))  # overdue on TODAY
    late_done = create_task(session, operator, result, "q5", "C", date(2025, 7, 1))
    update_task(session, operator, late_done.id, late_done.version, status="selesai")  # done: not overdue
    order = [(t.question_id, t.overdue(TODAY)) for t in list_tasks(session, operator, A, "contoh", TODAY)]
    assert order == [("q4", True), ("q2", False), ("q5", False)]


def test_the_projected_score_is_the_engines_score_with_the_open_tasks_done(world, session):
    operator = world.actors["operator_a"]
    assert projected_score(session, operator, A, "contoh").projected == projected_score(session, operator, A,
                                                                                         "contoh").score
    create_task(session, operator, world.submitted[A], "q4", "Bu Sari")
    done = create_task(session, operator, world.submitted[A], "q5", "Pak Budi")
    update_task(session, operator, done.id, done.version, status="selesai")  # done: not open
    projection = projected_score(session, operator, A, "contoh")
    questionnaire = stored_questionnaire(session.scalar(select(QuestionnaireVersion)))
    session.rollback()
    answers = storage.get_assessment(session, operator, world.submitted[A]).answers
    raised = answers.answers | {"q4": AnswerEntry(value=3)}
    expected = score(questionnaire, answers.model_copy(update={"answers": raised}))
    assert projection.open_questions == ("q4",) and projection.period == "2025-1"
    assert projection.projected == pytest.approx(expected.overall.score) and projection.projected > projection.score


def test_the_auditor_follows_up_the_plans_of_their_provinces_only(world, session):
    operator, auditor = world.actors["operator_a"], world.actors["auditor_13"]
    create_task(session, operator, world.submitted[A], "q4", "Bu Sari", date(2025, 8, 1))
    done = create_task(session, operator, world.submitted[A], "q5", "Pak Budi")
    update_task(session, operator, done.id, done.version, status="selesai")
    create_task(session, world.actors["operator_c"], world.submitted[C], "q4", "Pak Joko", date(2025, 8, 1))
    mine = follow_up(session, auditor, "contoh", "2025-1", TODAY)
    assert [(o.npsn, o.question_id) for o in mine.overdue] == [(A, "q4")]
    assert [(p.npsn, p.tasks, p.done, p.overdue, p.share_done) for p in mine.plans] == [(A, 2, 1, 1, 0.5)]
    assert mine.without_plan == []
    theirs = follow_up(session, world.actors["auditor_31"], "contoh", "2025-1", TODAY)
    assert [o.npsn for o in theirs.overdue] == [C]
    their_task = list_tasks(session, world.actors["operator_c"], C, "contoh", TODAY)[0]
    delete_task(session, world.actors["operator_c"], their_task.id)
    assert follow_up(session, world.actors["auditor_31"], "contoh", "2025-1", TODAY).without_plan == [
        (C, "SMA Contoh 1 Jakarta Pusat")]
    assert [p.npsn for p in follow_up(session, operator, "contoh", "2025-1", TODAY).plans] == [A]  # own school
    with pytest.raises(storage.InvalidInput):
        follow_up(session, auditor, "contoh", "bukan", TODAY)


def test_leaders_see_the_share_done_per_province_only_from_five_schools(world, session, make_session, password_hash):
    setup = make_session()
    npsns = [f"Z13009{i:02d}" for i in range(5)]
    ids = add_schools(setup, [(n, f"SD Uji {n}", "SD", "negeri", "13", "Kota Padang") for n in npsns])
    operator = add_user(setup, password_hash, "operator_lima", Role.SEKOLAH, npsns, school_ids=ids)
    setup.commit()
    leader = world.actors["pimpinan_nasional"]
    for i, npsn in enumerate(npsns[:4]):
        info = storage.get_or_create_assessment(session, operator, npsn, "contoh", "2025-1")
        storage.submit(session, operator, info.id, storage.save_draft(session, operator, info.id, FULL_ANSWERS, 1))
        task = create_task(session, operator, info.id, "q4", "Bu Sari", date(2025, 8, 1))
        if i % 2:
            update_task(session, operator, task.id, task.version, status="selesai")
    shares = {s.province_code: s for s in plan_shares_by_province(session, leader, "contoh", TODAY)}
    assert shares["13"].schools == 4 and not shares["13"].shown  # 4 schools: withheld
    create_task(session, world.actors["operator_a"], world.submitted[A], "q4", "Bu Ani")  # the fifth school
    shares = {s.province_code: s for s in plan_shares_by_province(session, leader, "contoh", TODAY)}
    assert (shares["13"].schools, shares["13"].tasks, shares["13"].done, shares["13"].overdue) == (5, 5, 2, 2)
    assert shares["13"].share_done == pytest.approx(0.4)
    provincial = plan_shares_by_province(session, world.actors["pimpinan_13"], "contoh", TODAY)
    assert [s.province_code for s in provincial] == ["13"]

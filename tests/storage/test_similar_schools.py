""""What similar schools improved first": the kept counts equal a recomputation after every path
that changes a scored assessment, and Hasil's figure shows only from five schools."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import storage
from auth import Role
from storage.aggregates.improvements import (
    AggregateImprovement,
    AggregateImprovementPairs,
    SchoolImprovement,
    SchoolImprovementPair,
    previous_period,
    rebuild_improvements,
)
from storage.aggregates.similar import similar_schools_improved
from storage.bulk import import_answers
from storage.models import School
from storage.review import finish_review

from .conftest import add_schools, add_user
from .test_bulk import answers_file, zipped

BEFORE = {"q1": 3, "q2": 1, "q3": "na", "q4": 1, "q5": 0}
AFTER = {"q1": 3, "q2": 1, "q3": "na", "q4": 2, "q5": 3}  # q4 and q5 raised to 2 or more; q2 not


def snapshot(session) -> dict:
    tables = (AggregateImprovement, AggregateImprovementPairs, SchoolImprovement, SchoolImprovementPair)
    found = {}
    for table in tables:
        rows = session.execute(select(*table.__table__.c)).all()
        found[table.__tablename__] = {tuple(r) for r in rows if not (len(r) and r[-1] == 0 and "agg" in
                                                                      table.__tablename__)}  # fmt: skip
    return found


def assert_consistent(session) -> None:
    kept = snapshot(session)
    rebuild_improvements(session.connection())
    rebuilt = snapshot(session)
    session.rollback()
    assert kept == rebuilt


@pytest.fixture
def schools(world, make_session, password_hash):
    """Six SD schools in Sumatera Barat (13) and two in DKI Jakarta (31), each with a scored 2025-1."""
    setup = make_session()
    rows = [(f"Z13008{i:02d}", "13") for i in range(6)] + [(f"Z31008{i:02d}", "31") for i in range(2)]
    ids = add_schools(setup, [(n, f"SD Uji {n}", "SD", "negeri", p, "Kota Uji") for n, p in rows])
    operator = add_user(setup, password_hash, "operator_sd", Role.SEKOLAH, [n for n, _ in rows], school_ids=ids)
    setup.commit()
    session = make_session()
    for npsn, _ in rows:
        submit(session, operator, npsn, "2025-1", BEFORE)
    return operator, [n for n, _ in rows]


def submit(session, operator, npsn, period, answers) -> int:
    info = storage.get_or_create_assessment(session, operator, npsn, "contoh", period)
    storage.submit(session, operator, info.id, storage.save_draft(session, operator, info.id, answers, info.version))
    return info.id


def test_consecutive_periods(session):
    assert [previous_period(p) for p in ("2025-2", "2026-1")] == ["2025-1", "2025-2"]


def test_every_path_keeps_the_counts_equal_to_a_recomputation(world, schools, session):
    operator, npsns = schools
    auditor = world.actors["auditor_13"]
    assert_consistent(session)
    later = {n: submit(session, operator, n, "2025-2", AFTER) for n in npsns[:5]}
    assert_consistent(session)
    info = storage.get_assessment(session, operator, later[npsns[0]])
    finish_review(session, auditor, info.id, "returned", info.version, "q4?")  # no longer scored
    assert_consistent(session)
    returned = storage.get_assessment(session, operator, info.id)
    version = storage.save_draft(session, operator, info.id, {"q4": 1}, returned.version)
    storage.submit(session, operator, info.id, version)  # scored again, q4 not raised this time
    assert_consistent(session)
    verified = storage.get_assessment(session, operator, later[npsns[1]])
    finish_review(session, auditor, verified.id, "verified", verified.version)
    assert_consistent(session)
    files = {f"{npsns[5]}.yaml": answers_file(npsns[5], **AFTER)}
    report = import_answers(session, auditor, zipped(files), "jawaban.zip", "contoh", period="2025-2")
    assert len(report.stored) == 1
    assert_consistent(session)
    school = session.scalar(select(School).where(School.npsn == npsns[2]))
    school.jenjang = "SMP"  # a school moved to another group
    session.commit()
    assert_consistent(session)


def test_hasil_shows_the_questions_similar_schools_raised_only_from_five_schools(world, schools, session):
    operator, npsns = schools
    own = {}
    for npsn in npsns[:4]:
        own[npsn] = submit(session, operator, npsn, "2025-2", AFTER)
    national, province = similar_schools_improved(session, operator, own[npsns[0]])
    assert national.period is None and national.questions == []  # 4 schools: withheld
    own[npsns[4]] = submit(session, operator, npsns[4], "2025-2", AFTER)
    national, province = similar_schools_improved(session, operator, own[npsns[0]])
    assert national.period == "2025-2" and national.schools == 5
    assert [(q.question_id, q.schools, q.share) for q in national.questions] == [("q4", 5, 1.0), ("q5", 5, 1.0)]
    assert province.place == "13" and [q.question_id for q in province.questions] == ["q4", "q5"]
    # the two Jakarta schools raise q4 too: the nation counts them, province 13 does not
    for npsn in npsns[6:]:
        submit(session, operator, npsn, "2025-2", AFTER | {"q5": 0})
    national, province = similar_schools_improved(session, operator, own[npsns[0]], among={"q4"})
    assert [(q.question_id, q.schools) for q in national.questions] == [("q4", 7)]
    assert national.schools == 7 and [(q.question_id, q.schools) for q in province.questions] == [("q4", 5)]
    jakarta = submit(session, operator, npsns[6], "2026-1", AFTER)
    assert similar_schools_improved(session, operator, jakarta)[1].questions == []  # 2 schools in 31: withheld
    # another jenjang is another group
    smk = storage.get_or_create_assessment(session, world.actors["operator_a"], "Z1300001", "contoh", "2025-2")
    assert similar_schools_improved(session, world.actors["operator_a"], smk.id)[0].questions == []


def test_the_figure_is_read_within_the_assessments_scope(world, schools, session):
    operator, npsns = schools
    own = submit(session, operator, npsns[0], "2025-2", AFTER)
    with pytest.raises(storage.AccessDenied):
        similar_schools_improved(session, world.actors["auditor_31"], own)
    assert similar_schools_improved(session, world.actors["auditor_13"], own)[0].place == ""

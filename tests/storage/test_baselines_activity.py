"""Uploaded baselines, the export log, the audit-log search, and the second migration."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

import storage
from scoring.loader import LoadError
from storage import db
from storage.activity import audit_actions as logged_actions
from storage.activity import record_export, search_audit_log
from storage.baselines import activate_baseline, active_baseline, list_baselines, register_baseline

from .conftest import ROOT, audit_actions

BASELINE = (ROOT / "tests" / "data" / "baseline-contoh.yaml").read_bytes()
OTHER = BASELINE.replace(b"id: baseline-contoh", b"id: baseline-contoh-dua")


@pytest.fixture(autouse=True)
def _no_baselines_left(engine):
    """conftest empties its own tables between PostgreSQL tests; this one is new."""
    yield
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM baselines")


def test_a_baseline_is_stored_checked_and_activated(world, session):
    admin = world.actors["admin"]
    questionnaire = storage.get_questionnaire(session, admin, "contoh")
    assert active_baseline(session, admin, questionnaire) is None
    first = register_baseline(session, admin, BASELINE, "baseline-contoh.yaml")
    assert first.active and active_baseline(session, admin, questionnaire).id == "baseline-contoh"
    second = register_baseline(session, admin, OTHER, "dua.yaml")
    assert active_baseline(session, world.actors["operator_a"], questionnaire).id == "baseline-contoh-dua"
    assert register_baseline(session, admin, OTHER, "dua.yaml") == second  # the same text again changes nothing
    activate_baseline(session, admin, "contoh", first.content_hash)
    assert [b.active for b in list_baselines(session, admin)] == [True, False]
    assert [a for _, a, _ in audit_actions(session, "admin")].count("activate_baseline") == 3


def test_a_baseline_that_does_not_fit_is_refused_with_the_clis_messages(world, session):
    bad = BASELINE.replace(b"{a: 60", b"{zz: 60")
    with pytest.raises(LoadError) as caught:
        register_baseline(session, world.actors["admin"], bad, "salah.yaml")
    assert any("unknown domain 'zz'" in str(p) for p in caught.value.problems)


@pytest.mark.parametrize("name", ["auditor_13", "pimpinan_nasional", "operator_a"])
def test_only_the_admin_uploads_baselines(world, session, name):
    with pytest.raises(storage.AccessDenied):
        register_baseline(session, world.actors[name], BASELINE, "baseline-contoh.yaml")


def test_every_export_is_logged_with_who_and_what(world, session):
    auditor = world.actors["auditor_13"]
    record_export(session, auditor, "sekolah.csv", {"rows": 2, "province_code": "13"})
    (entry,) = search_audit_log(session, world.actors["admin"], action="export")
    assert (entry.username, entry.object_id, entry.detail) == ("auditor_13", "sekolah.csv", {"province_code": "13",
                                                                                              "rows": 2})  # fmt: skip
    with pytest.raises(storage.InvalidInput):
        record_export(session, auditor, "", {})


def test_the_audit_log_search_filters_and_pages(world, session):
    admin = world.actors["admin"]
    assert "submit" in logged_actions(session, admin)
    submits = search_audit_log(session, admin, action="submit")
    assert {e.username for e in submits} == {"operator_a", "operator_c"}
    mine = search_audit_log(session, admin, username="operator_a")
    assert mine and {e.username for e in mine} == {"operator_a"}
    older = search_audit_log(session, admin, before_id=submits[0].id, action="submit")
    assert [e.id for e in older] == [e.id for e in submits[1:]]
    assert search_audit_log(session, admin, object_type="assessment", object_id=str(world.submitted["Z1300001"]))
    until = submits[-1].at
    assert all(e.at < until for e in search_audit_log(session, admin, until=until))
    assert all(e.at >= until for e in search_audit_log(session, admin, since=until))


@pytest.mark.parametrize("name", ["auditor_13", "pimpinan_nasional", "operator_a"])
def test_only_the_admin_reads_the_audit_log(world, session, name):
    with pytest.raises(storage.AccessDenied):
        search_audit_log(session, world.actors[name])


def test_migration_0002_goes_up_and_down_and_keeps_the_data(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    db.upgrade(engine, "0001")
    assert "review_marks" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('keep', 'yes')")
    db.upgrade(engine, "0002")
    assert db.current_revision(engine) == "0002"
    assert {"review_marks", "baselines"} <= set(inspect(engine).get_table_names())
    db.downgrade(engine, "0001")
    names = set(inspect(engine).get_table_names())
    assert "review_marks" not in names and "baselines" not in names and "assessments" in names
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT value FROM meta WHERE key = 'keep'").scalar() == "yes"
    engine.dispose()

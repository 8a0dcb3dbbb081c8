"""Backups (across backends too), the demo data set, and safe CSV cells."""

from __future__ import annotations

import collections
import stat

import pytest
from sqlalchemy import func, select

import storage
from auth import SignInFailed
from storage import db
from storage.backup import backup, read_backup, restore
from storage.demo import DEMO_PASSWORD, seed_demo
from storage.models import Base, Meta, School
from tests import totp_codes

from .conftest import CONTOH, SYSTEM


def snapshot(engine) -> dict[str, list]:
    out = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in connection.execute(select(table).order_by(*order))]
    return out


def test_backup_restore_round_trip_into_sqlite(world, engine, tmp_path):
    path = tmp_path / "b.json.gz"
    backup(engine, path)
    target = db.make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    restore(target, path)
    assert snapshot(target) == snapshot(engine)
    # The restored database works: ids continue after the restored ones.
    session = db.session_factory(target)()
    actor = storage.authenticate(session, "operator_a", "kata-sandi-uji-coba")
    made = storage.get_or_create_assessment(session, actor, "Z1300001", "contoh", "2026-1")
    assert made.id > max(world.submitted.values()) and made.id > max(world.drafts.values())
    session.close()
    target.dispose()


def test_a_backup_over_an_existing_file_is_readable_only_by_its_owner(world, engine, tmp_path):
    path = tmp_path / "backups" / "b.json.gz"
    path.parent.mkdir()
    path.write_bytes(b"an older backup")
    path.chmod(0o644)
    backup(engine, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_backup(path)["format"] == "siaga-siber-backup"
    assert [p.name for p in path.parent.iterdir()] == ["b.json.gz"]  # no partial file left behind


def test_restore_into_this_backend(world, engine, fresh_engine, tmp_path):
    """A backup goes through SQLite and back into an empty database of each backend,
    PostgreSQL's id sequences included."""
    backup(engine, tmp_path / "b.gz")
    middle = db.make_engine(f"sqlite:///{tmp_path / 'middle.db'}")
    restore(middle, tmp_path / "b.gz")
    backup(middle, tmp_path / "from-sqlite.gz")
    restore(fresh_engine, tmp_path / "from-sqlite.gz")
    assert snapshot(fresh_engine) == snapshot(engine)
    session = db.session_factory(fresh_engine)()
    made = storage.get_or_create_assessment(session, world.actors["operator_a"], "Z1300001", "contoh", "2026-1")
    assert made.id > max(world.drafts.values())
    session.close()
    middle.dispose()


def test_restore_rejects_what_is_not_a_backup(engine, tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(storage.InvalidInput, match="not a Siaga Siber backup"):
        restore(engine, path)


@pytest.fixture
def demo(make_session):
    session = make_session()
    return session, seed_demo(session, files=[CONTOH], n_schools=1500, seed=7)


def test_demo_data_set(demo):
    session, counts = demo
    assert counts["schools"] == 1500
    schools = session.scalars(select(School)).all()
    assert len({s.province_code for s in schools}) == 38
    assert all(s.npsn.startswith("Z") and len(s.npsn) == 8 and "Contoh" in s.name for s in schools)
    share = {j: n / len(schools) for j, n in collections.Counter(s.jenjang for s in schools).items()}
    assert share["SD"] == pytest.approx(0.67, abs=0.01) and share["SMP"] == pytest.approx(0.19, abs=0.01)
    assert share["SMA"] == pytest.approx(0.064, abs=0.01) and share["SMK"] == pytest.approx(0.065, abs=0.01)
    assert share["SLB"] == pytest.approx(0.01, abs=0.005)
    assert session.scalar(select(Meta.value).where(Meta.key == "demo")) == "true"
    assert storage.is_demo_database(session)


def test_demo_accounts_and_their_scopes(demo):
    session, _ = demo
    sekolah = storage.authenticate(session, "sekolah", DEMO_PASSWORD)
    school = storage.get_school(session, sekolah, sekolah.school_npsns[0])
    assert (school.jenjang, school.kabupaten_kota, school.province_code) == ("SMK", "Kota Padang", "13")
    assert storage.authenticate(session, "auditor", DEMO_PASSWORD).province_codes == ("13",)
    assert storage.authenticate(session, "pimpinan", DEMO_PASSWORD).national
    kadis = storage.authenticate(session, "kadis.padang", DEMO_PASSWORD)
    assert (kadis.kabupaten_codes, kadis.jenjang) == (("1371",), ("SD", "SMP"))
    seen = {s.npsn for s in storage.list_schools(session, kadis, limit=10_000)}
    padang = select(School.npsn).where(School.kabupaten_kota == "Kota Padang", School.jenjang.in_(("SD", "SMP")))
    assert seen and seen == set(session.scalars(padang))
    admin = storage.authenticate(session, "admin", DEMO_PASSWORD)
    with pytest.raises(storage.AccessDenied):  # the demo admin is enrolled in TOTP: nothing before the code
        storage.list_assessments(session, admin, limit=1)
    admin = totp_codes.complete(session, admin)
    statuses = collections.Counter(a.status for a in storage.list_assessments(session, admin, limit=10_000))
    assert set(statuses) == {"draft", "submitted", "verified", "returned"}
    # Two periods, so the dashboards show a trend; scores come from the stored rows.
    first = storage.scores_in_scope(session, admin, "contoh", "2025-1")
    second = storage.scores_in_scope(session, admin, "contoh", "2025-2")
    assert len(first) > 500 and len(second) > 300
    history = storage.school_history(session, sekolah, school.npsn)
    assert [(h.period, h.status) for h in history] == [("2025-1", "verified"), ("2025-2", "draft")]


def test_demo_is_deterministic_and_refuses_a_used_database(demo, tmp_path):
    session, _ = demo
    other = db.make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    db.upgrade(other)
    again = db.session_factory(other)()
    seed_demo(again, files=[CONTOH], n_schools=1500, seed=7)

    def rows(s):
        return s.execute(select(School.npsn, School.name, School.jenjang, School.status).order_by(School.npsn)).all()

    assert rows(again) == rows(session)
    assert session.scalar(select(func.count()).select_from(storage.models.Answer)) == again.scalar(
        select(func.count()).select_from(storage.models.Answer)
    )
    with pytest.raises(storage.InvalidInput, match="only into a new one"):
        seed_demo(session, files=[CONTOH])
    again.close()
    other.dispose()


def test_plain_database_has_no_demo_accounts(session):
    with pytest.raises(SignInFailed):
        storage.authenticate(session, "admin", DEMO_PASSWORD)
    assert not storage.is_demo_database(session)


def test_system_actor_is_named_in_the_log(session):
    storage.register_file(session, SYSTEM, CONTOH)
    assert storage.audit_log(session, SYSTEM)[-1].username == "system:tests"

"""Storage fixtures: every test runs on a real SQLite file and on a real PostgreSQL
database. PostgreSQL comes from $TEST_DATABASE_URL (`.ci/postgres.sh start` makes one)."""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from auth import SECOND_FACTOR_ROLES, Actor, Role, hash_password
from storage import db
from storage.kabupaten import code_for
from storage.models import Base, School, User, UserProvince, UserSchool, utcnow
from storage.questionnaires import register_file
from storage.system import system_actor

ROOT = Path(__file__).resolve().parents[2]
CONTOH = ROOT / "tests" / "data" / "contoh.yaml"
PASSWORD = "kata-sandi-uji-coba"  # meets the policy: 19 characters, not a common one
FULL_ANSWERS = {"q1": 3, "q2": 2, "q3": "na", "q4": 1, "q5": 0}
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not PG_URL, reason="TEST_DATABASE_URL is not set; run `bash .ci/postgres.sh start` and source its env"
        ),
    ),
]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (quicker than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()  # the last connection to close folds the WAL into the file
    return path


@pytest.fixture(scope="session")
def pg_engine():
    engine = db.make_engine(PG_URL, pool_size=10, max_overflow=20)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def engine(backend, request, tmp_path):
    if backend == "sqlite":
        path = tmp_path / "siaga.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = db.make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
    else:
        engine = request.getfixturevalue("pg_engine")
        yield engine
        with engine.begin() as connection:
            # Every table but the provinces, which the migrations fill.
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name != "provinces")
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture
def make_session(engine):
    factory = db.session_factory(engine)
    opened = []

    def make():
        session = factory()
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.close()


@pytest.fixture
def session(make_session):
    return make_session()


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)  # once: argon2 is slow on purpose


SYSTEM = system_actor("tests")


@dataclass
class World:
    """Two provinces, three schools and one user of every role.

    Sumatera Barat (13): SMK Z1300001 (A) and SD Z1300002 (B); DKI Jakarta (31): SMA Z3100001 (C).
    Assessments of A and C: 2025-1 submitted, 2025-2 a complete draft."""

    actors: dict[str, Actor]
    submitted: dict[str, int]  # npsn -> assessment id (2025-1, submitted)
    drafts: dict[str, int]  # npsn -> assessment id (2025-2, draft with every answer)
    draft_versions: dict[str, int]


USERS = {
    # name: (role, schools, provinces, national)
    "operator_a": (Role.SEKOLAH, ["Z1300001"], [], False),
    "operator_c": (Role.SEKOLAH, ["Z3100001"], [], False),
    "auditor_13": (Role.AUDITOR, [], ["13"], False),
    "auditor_31": (Role.AUDITOR, [], ["31"], False),
    "pimpinan_13": (Role.PIMPINAN, [], ["13"], False),
    "pimpinan_nasional": (Role.PIMPINAN, [], [], True),
    "admin": (Role.ADMIN, [], [], False),
}


def add_schools(session, rows) -> dict[str, int]:
    now = utcnow()
    schools = [
        School(npsn=npsn, name=name, jenjang=jenjang, status=status, province_code=prov,
               kabupaten_kota=kab, kabupaten_code=code_for(prov, kab), updated_at=now)
        for npsn, name, jenjang, status, prov, kab in rows
    ]  # fmt: skip
    session.add_all(schools)
    session.flush()
    return {s.npsn: s.id for s in schools}


def add_user(session, password_hash, username, role, npsns=(), provinces=(), national=False, school_ids=None) -> Actor:
    user = User(username=username, display_name=username.title(), password_hash=password_hash, role=role.value,
                national=national, active=True, failed_attempts=0, created_at=utcnow())  # fmt: skip
    session.add(user)
    session.flush()
    session.add_all(UserSchool(user_id=user.id, school_id=school_ids[n]) for n in npsns)
    session.add_all(UserProvince(user_id=user.id, province_code=p) for p in provinces)
    # Signed in and past any second step (TOTP is tested in test_second_factor.py).
    return Actor(user.id, username, role, username.title(), tuple(npsns), tuple(provinces), national,
                 needs_second_factor=role in SECOND_FACTOR_ROLES, second_factor=True)


@pytest.fixture
def world(make_session, password_hash) -> World:

    session = make_session()
    register_file(session, SYSTEM, CONTOH)
    school_ids = add_schools(session, [
        ("Z1300001", "SMK Contoh 1 Kota Padang", "SMK", "negeri", "13", "Kota Padang"),
        ("Z1300002", "SD Contoh 2 Kota Padang", "SD", "swasta", "13", "Kota Padang"),
        ("Z3100001", "SMA Contoh 1 Jakarta Pusat", "SMA", "negeri", "31", "Kota Jakarta Pusat"),
    ])  # fmt: skip
    actors = {
        name: add_user(session, password_hash, name, role, npsns, provs, national, school_ids)
        for name, (role, npsns, provs, national) in USERS.items()
    }
    session.commit()
    submitted, drafts, versions = assess(session, {"Z1300001": actors["operator_a"], "Z3100001": actors["operator_c"]})
    session.close()
    return World(actors, submitted, drafts, versions)


def assess(session, operators: dict[str, Actor]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """For each school (npsn -> its operator): a submitted 2025-1 assessment and a complete
    2025-2 draft. Returns (submitted ids, draft ids, draft versions), each by NPSN."""
    import storage

    submitted, drafts, versions = {}, {}, {}
    for npsn, actor in operators.items():
        first = storage.get_or_create_assessment(session, actor, npsn, "contoh", "2025-1")
        version = storage.save_draft(session, actor, first.id, FULL_ANSWERS, first.version)
        storage.submit(session, actor, first.id, version)
        submitted[npsn] = first.id
        second = storage.get_or_create_assessment(session, actor, npsn, "contoh", "2025-2")
        versions[npsn] = storage.save_draft(session, actor, second.id, FULL_ANSWERS, second.version)
        drafts[npsn] = second.id
    return submitted, drafts, versions


def audit_actions(session, username: str | None = None) -> list[tuple[str, str, str | None]]:
    query = "SELECT username, action, object_id FROM audit_log ORDER BY id"
    rows = session.execute(text(query)).all()
    session.rollback()
    return [tuple(r) for r in rows if username is None or r[0] == username]


@pytest.fixture
def fresh_engine(backend, tmp_path):
    """An empty database: a new SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        engine = db.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(PG_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = db.make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()

"""The migrations go up and down, and they match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage import db
from storage.models import Base


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(fresh_engine):
    assert tables(fresh_engine) == set()
    db.upgrade(fresh_engine)
    assert db.current_revision(fresh_engine) == db.head_revision()
    assert tables(fresh_engine) == set(Base.metadata.tables)
    db.downgrade(fresh_engine, "base")
    assert db.current_revision(fresh_engine) is None
    assert tables(fresh_engine) == set()
    db.upgrade(fresh_engine)
    assert tables(fresh_engine) == set(Base.metadata.tables)


def test_models_match_the_migrations(fresh_engine):
    db.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_sqlite_pragmas(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert (pragma("journal_mode"), pragma("foreign_keys"), pragma("busy_timeout")) == (
            "wal",
            1,
            db.BUSY_TIMEOUT_MS,
        )
    engine.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "sqlite:///data/siaga.db"),
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_url(monkeypatch, given, expected):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert db.database_url(given) == expected


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    assert db.database_url() == "sqlite:///elsewhere.db"

"""Engines, sessions and migrations.

SQLite (the default, `data/siaga.db`) runs with WAL, a busy timeout and foreign
keys on; `DATABASE_URL` selects PostgreSQL (psycopg 3) for shared deployments.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///data/siaga.db"
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 10_000


def database_url(url: str | None = None) -> str:
    """The URL given, else $DATABASE_URL, else the SQLite file data/siaga.db."""
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    # Hosting platforms hand out postgres:// URLs; psycopg 3 is the driver we ship.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, **kwargs) -> Engine:
    """An engine; on SQLite a writer waits up to `busy_timeout_ms` for the lock before each retry."""
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        # The file lists schools' weaknesses: readable by its owner only.
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            path.touch(mode=0o600)
    busy_ms = int(busy_timeout_ms)
    engine = create_engine(url, connect_args={"timeout": busy_ms / 1000}, **kwargs)
    event.listen(engine, "connect", lambda connection, record: _sqlite_connect(connection, record, busy_ms))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, _record, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    # The driver's own transaction handling is switched off so that _sqlite_begin decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # A writer takes the write lock up front (BEGIN IMMEDIATE), so it waits for the
    # busy timeout instead of failing when another writer got there first.
    write = connection.get_execution_options().get("siaga_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision`."""
    command.upgrade(_alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(_alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()

"""A save that meets a locked SQLite database retries with backoff, and in the end says
that nothing was saved (DatabaseBusy) instead of a raw 'database is locked'."""

from __future__ import annotations

import sqlite3
import threading

import pytest

import storage
from storage import db, tx

from .conftest import PASSWORD


@pytest.fixture
def short_waits(engine, backend, monkeypatch):
    if backend != "sqlite":
        pytest.skip("the write lock of a whole database is SQLite's")
    monkeypatch.setattr(tx, "RETRIES", 3)
    quick = db.make_engine(str(engine.url), busy_timeout_ms=50)
    yield quick, engine.url.database
    quick.dispose()


def hold_write_lock(path: str) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_save_that_never_gets_the_lock_says_it_was_not_saved(world, short_waits):
    quick, path = short_waits
    actor, draft = world.actors["operator_a"], world.drafts["Z1300001"]
    holder = hold_write_lock(path)
    try:
        with db.session_factory(quick)() as session, pytest.raises(storage.DatabaseBusy, match="nothing was saved"):
            storage.save_draft(session, actor, draft, {"q1": 0}, world.draft_versions["Z1300001"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with db.session_factory(quick)() as session:
        stored = storage.get_assessment(session, actor, draft)
    assert stored.version == world.draft_versions["Z1300001"] and stored.answers.answers["q1"].value == 3


def test_a_save_retries_until_the_lock_is_free(world, short_waits):
    quick, path = short_waits
    actor, draft = world.actors["operator_a"], world.drafts["Z1300001"]
    holder = hold_write_lock(path)
    release = threading.Timer(0.12, lambda: holder.execute("ROLLBACK"))  # longer than one busy timeout
    release.start()
    try:
        with db.session_factory(quick)() as session:
            version = storage.save_draft(session, actor, draft, {"q1": 0}, world.draft_versions["Z1300001"])
    finally:
        release.join()
        holder.close()
    assert version == world.draft_versions["Z1300001"] + 1


def test_a_sign_in_that_meets_a_locked_database_is_busy_not_a_crash(world, short_waits):
    quick, path = short_waits
    holder = hold_write_lock(path)
    try:
        with db.session_factory(quick)() as session, pytest.raises(storage.DatabaseBusy):
            storage.authenticate(session, "operator_a", PASSWORD)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

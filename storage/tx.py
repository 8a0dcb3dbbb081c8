"""One data-layer call = one transaction: commit on success, roll back on error,
retry with backoff while the database is busy (then DatabaseBusy: nothing was saved),
and audit-log every denied access."""

from __future__ import annotations

import contextlib
import functools
import random
import threading
import time
import weakref

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from .errors import AccessDenied, DatabaseBusy, StorageError

RETRIES = 8
BUSY_DEADLINE_SECONDS = 30.0  # no new attempt after this long: the user is told it was not saved


def _retryable(err: DBAPIError) -> bool:
    text = str(err.orig).lower()
    sqlstate = getattr(err.orig, "sqlstate", None)
    # SQLite: locked/busy. PostgreSQL: serialization failure, deadlock, lock not available.
    return "database is locked" in text or "database is busy" in text or sqlstate in {"40001", "40P01", "55P03"}


_WRITERS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_WRITERS_GUARD = threading.Lock()


@contextlib.contextmanager
def _one_writer(session: Session, write: bool):
    """On SQLite, this process's writers queue on a lock instead of polling for the file's:
    SQLite's busy handler sleeps and retries, so under many writers one can starve for its
    whole timeout. PostgreSQL locks rows itself. Another process still meets the busy timeout;
    a lock not had within the deadline is gone without, to that timeout."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    if not write or engine.dialect.name != "sqlite":
        yield
        return
    with _WRITERS_GUARD:
        lock = _WRITERS.setdefault(engine, threading.RLock())
    held = lock.acquire(timeout=BUSY_DEADLINE_SECONDS)
    try:
        yield
    finally:
        if held:
            lock.release()


def unit_of_work(write: bool = False):
    """Run the decorated `fn(session, actor, ...)` as one transaction."""

    def decorate(fn):
        @functools.wraps(fn)
        def run(session: Session, *args, **kwargs):
            started = time.monotonic()
            for attempt in range(RETRIES + 1):
                if session.in_transaction():
                    session.rollback()
                try:
                    with _one_writer(session, write):
                        session.connection(execution_options={"siaga_write": write})
                        result = fn(session, *args, **kwargs)
                        session.commit()
                    return result
                except AccessDenied as denied:
                    session.rollback()
                    _log_denial(session, args[0] if args else None, denied)
                    raise
                except (OperationalError, DBAPIError) as err:
                    session.rollback()
                    if not _retryable(err):
                        raise
                    waited = time.monotonic() - started
                    if attempt == RETRIES or waited > BUSY_DEADLINE_SECONDS:
                        raise DatabaseBusy(attempt + 1, waited) from err
                    time.sleep(0.01 * 2**attempt * (0.5 + random.random()))  # noqa: S311 (jitter, not a secret)
                except BaseException:
                    session.rollback()
                    raise
            raise StorageError("unreachable")  # pragma: no cover

        return run

    return decorate


def _log_denial(session: Session, actor, denied: AccessDenied) -> None:
    from .audit import record

    session.connection(execution_options={"siaga_write": True})
    record(
        session,
        actor,
        "access_denied",
        denied.object_type,
        denied.object_id,
        attempted=denied.action,
        reason=denied.reason,
    )
    session.commit()

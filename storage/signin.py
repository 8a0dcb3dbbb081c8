"""Sign-in, so that anonymous traffic never holds up a signed-in user's save.

1. A read: the account and the throttle rows of this username and remote address.
   A client that must still wait is refused here: no password check, no write.
2. The password check (argon2, the slow part), outside any transaction and at a low
   CPU priority (auth.background), also for an unknown username (against a dummy hash,
   for equal timing).
3. A short write of its own: the failure counters and the audit entry, or the success.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from auth import (
    SECOND_FACTOR_ROLES,
    Actor,
    PasswordRejected,
    Role,
    SignInFailed,
    SignInThrottled,
    hash_password,
    is_locked,
    needs_rehash,
    verify_password,
    verify_unknown_user,
)
from auth.background import at_low_priority
from auth.throttle import REMOTE, USERNAME, Throttle, after_failure, decayed

from .audit import record
from .limits import MAX_USERNAME, limit_error
from .models import SignInThrottle, User, utcnow
from .scopes import actor_for
from .tx import unit_of_work

NO_PASSWORD = "!"  # noqa: S105 (a marker, not a password): password_hash of a belajar.id-only account (storage.oidc_bulk): no password opens it


def local_sign_in() -> bool:
    """SIAGA_LOCAL_SIGNIN=off: only admins may sign in with a password (everyone else: belajar.id)."""
    return os.environ.get("SIAGA_LOCAL_SIGNIN", "on").strip().lower() not in ("off", "0", "false", "no")


FORGET_AFTER = timedelta(days=1)  # throttle rows quiet this long are dropped: a flood of names cannot fill the table


@dataclass(frozen=True)
class _Seen:
    """What the read found: the account (if any) and each throttle key's remembered failures."""

    user_id: int | None
    password_hash: str | None
    refusal: str | None  # "inactive", "locked" or "local sign-in off": refused even with the right password
    failures: dict[str, int]
    wait_seconds: float


def authenticate(session: Session, username: str, password: str, remote: str | None = None,
                 now: datetime | None = None) -> Actor:  # fmt: skip
    """The signed-in actor, or SignInFailed with one message for every kind of failure
    (SignInThrottled, saying how long to wait, while this username or address must wait).
    `remote` is the client's address (auth.client_address); `now` is for tests."""
    if limit_error("username", username, MAX_USERNAME) is not None:  # no such account; NUL fails on PostgreSQL
        at_low_priority(verify_unknown_user, password)
        raise SignInFailed()
    name = username.strip().lower()
    keys = {USERNAME: USERNAME.key(name[:100])}
    if remote:
        keys[REMOTE] = REMOTE.key(remote)
    seen = _look(session, name, tuple(keys.items()), now or utcnow())
    if seen.wait_seconds > 0:
        raise SignInThrottled(seen.wait_seconds)
    if seen.password_hash is None or seen.password_hash.startswith(NO_PASSWORD):
        correct = at_low_priority(verify_unknown_user, password)  # same cost as a real check
    else:  # always verified, even for a locked or inactive account, so the timing tells nothing
        correct = at_low_priority(verify_password, seen.password_hash, password)
    checked_at = now or utcnow()  # after the check: a delay runs from the failure, not from the request
    if correct and seen.refusal is None:
        new_hash = _new_hash(seen.password_hash, password)
        actor = _succeed(session, seen, name, keys[USERNAME], new_hash, checked_at)
        if actor is not None:
            return actor
    throttled = REMOTE in keys and REMOTE.throttled(seen.failures[keys[REMOTE]])
    reason = seen.refusal or ("unknown username" if seen.user_id is None else "wrong password")
    _fail(session, seen.user_id, name, tuple(keys.items()), reason, throttled, checked_at)
    raise SignInFailed()


def _new_hash(password_hash: str | None, password: str) -> str | None:
    """A stronger hash when the parameters changed; computed here, outside the write."""
    if password_hash is None or not needs_rehash(password_hash):
        return None
    try:
        return at_low_priority(hash_password, password)
    except PasswordRejected:  # an old password that the policy now refuses keeps its hash
        return None


@unit_of_work()
def _look(session: Session, name: str, keys: tuple[tuple[Throttle, str], ...], now: datetime) -> _Seen:
    user = session.execute(
        select(User.id, User.password_hash, User.active, User.locked_until, User.role).where(User.username == name)
    ).one_or_none()
    rows = {row.client_key: row for row in session.scalars(
        select(SignInThrottle).where(SignInThrottle.client_key.in_([key for _, key in keys])))}  # fmt: skip
    failures, wait = {}, 0.0
    for throttle, key in keys:
        row = rows.get(key)
        failures[key] = decayed(row.failures, row.last_failure_at, now, throttle.decay) if row else 0
        if row is not None and row.blocked_until is not None and row.blocked_until > now:
            wait = max(wait, (row.blocked_until - now).total_seconds())
    if user is None:
        return _Seen(None, None, None, failures, wait)
    refusal = "inactive" if not user.active else "locked" if is_locked(user.locked_until, now) else None
    if refusal is None and user.role != Role.ADMIN and not local_sign_in():
        refusal = "local sign-in off"
    return _Seen(user.id, user.password_hash, refusal, failures, wait)


@unit_of_work(write=True)
def _succeed(session: Session, seen: _Seen, name: str, username_key: str, new_hash: str | None,
             now: datetime) -> Actor | None:  # fmt: skip
    user = session.get(User, seen.user_id, with_for_update=True)
    # Changed since the read (new password, deactivated, locked): count it as a failure.
    if user is None or user.password_hash != seen.password_hash or not user.active or is_locked(user.locked_until, now):
        return None
    user.failed_attempts, user.last_failed_at, user.locked_until, user.last_sign_in_at = 0, None, None, now
    if new_hash:
        user.password_hash = new_hash
    session.execute(delete(SignInThrottle).where(SignInThrottle.client_key == username_key))
    second = Role(user.role) in SECOND_FACTOR_ROLES or user.totp_secret is not None or user.totp_must_enrol
    actor = actor_for(session, user, must_change_password=user.must_change_password, needs_second_factor=second)
    record(session, actor, "sign_in", "user", user.username)
    return actor


@unit_of_work(write=True)
def _fail(session: Session, user_id: int | None, name: str, keys: tuple[tuple[Throttle, str], ...], reason: str,
          throttled: bool, now: datetime) -> None:  # fmt: skip
    """One short transaction: the throttle counters, the account's counter, the audit entries.
    A throttled client's failure counts only towards its own delay."""
    counted = [(t, k) for t, k in keys if t is REMOTE or not throttled]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(SignInThrottle).values(
        [{"client_key": k, "failures": 0, "last_failure_at": now} for _, k in counted]
    ).on_conflict_do_nothing(index_elements=["client_key"]))  # fmt: skip
    rows = {r.client_key: r for r in session.scalars(select(SignInThrottle).where(
        SignInThrottle.client_key.in_([k for _, k in counted])).with_for_update())}  # fmt: skip
    for throttle, key in counted:
        row = rows[key]
        row.failures, row.blocked_until = throttle.after_failure(row.failures, row.last_failure_at, now)
        row.last_failure_at = now
        if row.failures == throttle.free + 1:  # the first delay: logged once, not per attempt
            record(session, None, "sign_in_throttled", "client", key.split(":", 1)[0], failures=row.failures)
    object_id = name[:80] if user_id is not None else None  # an unknown name may be a mistyped password
    detail = {"reason": reason, **({"throttled_client": True} if throttled else {})}
    record(session, None, "sign_in_failed", "user", object_id, **detail)
    if user_id is not None and reason == "wrong password" and not throttled:
        _count_failure(session, user_id, name, now)
    session.execute(delete(SignInThrottle).where(SignInThrottle.last_failure_at < now - FORGET_AFTER))


def _count_failure(session: Session, user_id: int, name: str, now: datetime) -> None:
    user = session.get(User, user_id, with_for_update=True)
    failed, locked_until = after_failure(user.failed_attempts, user.last_failed_at, now)
    session.execute(update(User).where(User.id == user_id).values(
        failed_attempts=failed, last_failed_at=now, locked_until=locked_until))  # fmt: skip
    if locked_until is not None:
        record(session, None, "account_locked", "user", name, until=locked_until.isoformat())

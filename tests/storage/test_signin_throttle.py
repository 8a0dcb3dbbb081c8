"""Sign-in never holds the write lock through argon2; per-client and per-username delays;
a throttled client cannot lock a real user out; the account's failure counter decays."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select

import storage
from auth import MAX_FAILED_ATTEMPTS, SignInFailed, SignInThrottled, after_failure, client_address, trusted_proxies
from auth.throttle import REMOTE, USERNAME
from storage.models import SignInThrottle, User, utcnow

from .conftest import PASSWORD, audit_actions

WRONG = "salah-sekali-12"


def attempts(session, username, password, remote, start, count, step=timedelta(minutes=1)):
    """`count` attempts, `step` apart; the exceptions (or actors) in order."""
    outcomes = []
    for i in range(count):
        try:
            outcomes.append(storage.authenticate(session, username, password, remote, now=start + i * step))
        except SignInFailed as failed:
            outcomes.append(failed)
    return outcomes


def test_the_password_is_checked_outside_any_transaction(world, session, engine, monkeypatch):
    seen = []

    def spy(password):
        seen.append(session.in_transaction())
        if engine.dialect.name == "sqlite":  # and nobody holds the write lock: a writer gets it at once
            other = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            other.close()
        return False

    monkeypatch.setattr("storage.signin.verify_unknown_user", spy)
    with pytest.raises(SignInFailed):
        storage.authenticate(session, "nobody", PASSWORD, "198.51.100.1")
    assert seen == [False]
    assert ("anonymous", "sign_in_failed", None) in audit_actions(session)


def test_one_address_waits_longer_and_longer_without_a_password_check(world, session, monkeypatch):
    checks = []
    monkeypatch.setattr("storage.signin.verify_unknown_user", lambda pw: checks.append(pw) or False)
    start = utcnow()
    # REMOTE.free failures are free; the next sets a 1 s delay, then 2 s, ...
    for i in range(REMOTE.free + 1):
        with pytest.raises(SignInFailed) as failed:
            storage.authenticate(session, f"tamu-{i}", WRONG, "198.51.100.2", now=start + timedelta(seconds=10 * i))
        assert type(failed.value) is SignInFailed
    last = start + timedelta(seconds=10 * REMOTE.free)
    with pytest.raises(SignInThrottled) as throttled:
        storage.authenticate(session, "tamu-lain", WRONG, "198.51.100.2", now=last + timedelta(milliseconds=500))
    assert throttled.value.retry_after == 1
    assert len(checks) == REMOTE.free + 1  # refused before any hash
    with pytest.raises(SignInFailed) as failed:  # after the delay: checked, and the next delay doubles
        storage.authenticate(session, "tamu-lain", WRONG, "198.51.100.2", now=last + timedelta(seconds=2))
    assert type(failed.value) is SignInFailed
    row = session.get(SignInThrottle, REMOTE.key("198.51.100.2"))
    assert row.blocked_until - row.last_failure_at == timedelta(seconds=2)
    assert storage.authenticate(session, "operator_a", PASSWORD, "198.51.100.3").username == "operator_a"


def test_many_addresses_guessing_one_username_are_slowed_down(world, session):
    start = utcnow()
    for i in range(USERNAME.free + 1):
        with pytest.raises(SignInFailed):
            storage.authenticate(session, "operator_a", WRONG, f"198.51.100.{10 + i}", now=start + timedelta(seconds=i))
    with pytest.raises(SignInThrottled):  # even with the right password, while the delay runs
        storage.authenticate(session, "operator_a", PASSWORD, "198.51.100.99", now=start + timedelta(seconds=3.5))
    actor = storage.authenticate(session, "operator_a", PASSWORD, "198.51.100.99", now=start + timedelta(seconds=5))
    assert actor.username == "operator_a"
    assert session.get(SignInThrottle, USERNAME.key("operator_a")) is None  # a success clears the username's delay


def test_an_unknown_username_is_throttled_like_a_known_one(world, session):
    start = utcnow()
    outcomes = {}
    for name in ("operator_c", "tidak-ada"):
        found = attempts(session, name, WRONG, None, start, USERNAME.free + 2, step=timedelta(milliseconds=100))
        outcomes[name] = [type(o).__name__ for o in found]
    assert outcomes["operator_c"] == outcomes["tidak-ada"]
    assert outcomes["tidak-ada"][-1] == "SignInThrottled"


def test_one_throttled_address_cannot_lock_a_real_user_out(world, session):
    start = utcnow() - timedelta(minutes=30)
    outcomes = attempts(session, "operator_a", WRONG, "203.0.113.7", start, 20, step=timedelta(seconds=70))
    checked = [o for o in outcomes if type(o) is SignInFailed]
    assert len(checked) > MAX_FAILED_ATTEMPTS  # enough checked failures to lock, had they counted
    user = session.scalars(select(User).where(User.username == "operator_a")).one()
    assert user.locked_until is None
    assert user.failed_attempts == REMOTE.free  # only the failures before the address was throttled
    session.rollback()
    assert storage.authenticate(session, "operator_a", PASSWORD, "198.51.100.50").username == "operator_a"
    details = [a for _, a, _ in audit_actions(session)]
    assert details.count("sign_in_failed") == len(checked) and "account_locked" not in details


def test_addresses_that_are_not_throttled_still_lock_the_account(world, session):
    start = utcnow() - timedelta(minutes=10)
    for i in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInFailed):
            storage.authenticate(session, "operator_a", WRONG, f"198.51.100.{60 + i}", now=start + timedelta(minutes=i))
    assert session.scalars(select(User.locked_until).where(User.username == "operator_a")).one() is not None


def test_the_failure_counter_decays(world, session):
    start = utcnow() - timedelta(hours=2)
    attempts(session, "operator_a", WRONG, None, start, 4)
    # 45 quiet minutes forget 4 failures (one per 10 minutes): the next failure is the first again.
    attempts(session, "operator_a", WRONG, None, start + timedelta(minutes=48), 1)
    user = session.scalars(select(User).where(User.username == "operator_a")).one()
    assert (user.failed_attempts, user.locked_until) == (1, None)


def test_after_failure_decays_then_locks():
    now = utcnow()
    assert after_failure(4, now - timedelta(minutes=25), now) == (3, None)
    failed, locked = after_failure(4, now - timedelta(minutes=5), now)
    assert failed == 0 and locked == now + timedelta(minutes=15)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.5", None, "", "203.0.113.5"),
        ("203.0.113.5", "1.2.3.4", "", "203.0.113.5"),  # no trusted proxy: the header is ignored
        ("127.0.0.1", "1.2.3.4, 198.51.100.8", "127.0.0.1", "198.51.100.8"),  # the left entry is the client's say
        ("127.0.0.1", "198.51.100.8, 10.0.0.2", "127.0.0.1, 10.0.0.0/8", "198.51.100.8"),
        ("198.51.100.9", "1.2.3.4", "127.0.0.1", "198.51.100.9"),  # an untrusted peer's header is ignored
        ("127.0.0.1", "rubbish", "127.0.0.1", "127.0.0.1"),
        ("2001:db8:1:2:3:4:5:6", None, "", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.4", None, "", "198.51.100.4"),
        (None, None, "", None),
    ],
)
def test_client_address(peer, forwarded, trusted, expected):
    assert client_address(peer, forwarded, trusted_proxies(trusted)) == expected


def test_a_bad_trusted_proxy_is_named():
    with pytest.raises(ValueError, match="'proxy.local'"):
        trusted_proxies("127.0.0.1, proxy.local")

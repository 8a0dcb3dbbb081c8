"""TOTP second step on both databases: required for admins and auditors with a password,
optional for the others; one code once; failures count towards the lockout; admin reset."""

from __future__ import annotations

import time

import pyotp
import pytest

import storage
from auth import SignInFailed, totp
from auth.throttle import MAX_FAILED_ATTEMPTS

from .conftest import PASSWORD, audit_actions

SECRET = pyotp.random_base32()


def code(step_offset=0, now=None):
    now = time.time() if now is None else now
    return pyotp.TOTP(SECRET).at(now + 30 * step_offset)


def test_an_auditor_with_a_password_reaches_nothing_before_the_second_step(world, session):
    auditor = storage.authenticate(session, "auditor_13", PASSWORD)
    assert auditor.awaits_second_factor
    with pytest.raises(storage.AccessDenied, match="second sign-in step"):
        storage.get_school(session, auditor, "Z1300001")
    assert storage.second_factor_status(session, auditor) == "must_enrol"
    with pytest.raises(SignInFailed):
        storage.enrol(session, auditor, SECRET, "000000" if code() != "000000" else "111111")
    passed, recovery = storage.enrol(session, auditor, SECRET, code())
    assert len(recovery) == 10 and len(set(recovery)) == 10
    assert storage.get_school(session, passed, "Z1300001").npsn == "Z1300001"
    # The secret is stored encrypted; the recovery codes only as salted hashes.
    stored = session.execute(storage.models.User.__table__.select().where(
        storage.models.User.username == "auditor_13")).one()  # fmt: skip
    codes = session.execute(storage.models.RecoveryCode.__table__.select()).all()
    session.rollback()
    assert SECRET not in stored.totp_secret and totp.decrypt_secret(stored.totp_secret) == SECRET
    assert not any(r in {c.code_hash for c in codes} for r in recovery)
    # The next sign-in: the code of the used step is refused, the next step's accepted once.
    again = storage.authenticate(session, "auditor_13", PASSWORD)
    with pytest.raises(SignInFailed):
        storage.verify_code(session, again, code())
    assert storage.verify_code(session, again, code(+1)).second_factor
    with pytest.raises(SignInFailed):
        storage.verify_code(session, again, code(+1))
    # A recovery code works once.
    assert storage.verify_code(session, again, recovery[0].upper()).second_factor
    with pytest.raises(SignInFailed):
        storage.verify_code(session, again, recovery[0])
    actions = [a for _, a, _ in audit_actions(session, "auditor_13")]
    assert {"enrol_totp", "totp_passed", "recovery_code_used", "totp_failed"} <= set(actions)


def test_the_window_is_one_step_either_side():
    now = time.time()
    last = int(now // 30) - 5
    assert totp.matching_step(SECRET, code(-1, now), last, now) == int(now // 30) - 1
    assert totp.matching_step(SECRET, code(+1, now), last, now) == int(now // 30) + 1
    assert totp.matching_step(SECRET, code(-2, now), last, now) is None or code(-2, now) in (
        code(-1, now), code(0, now), code(1, now))  # fmt: skip
    assert totp.matching_step(SECRET, code(+2, now), last, now) is None or code(+2, now) in (
        code(-1, now), code(0, now), code(1, now))  # fmt: skip
    assert totp.matching_step(SECRET, "12a456", None, now) is None


def test_wrong_codes_lock_the_account(world, session):
    admin = storage.authenticate(session, "admin", PASSWORD)
    passed, _ = storage.enrol(session, admin, SECRET, code())
    wrong = "000000" if code(0) != "000000" and code(1) != "000000" else "999999"
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInFailed):
            storage.verify_code(session, admin, wrong)
    with pytest.raises(SignInFailed):  # locked now: even the right code is refused
        storage.verify_code(session, admin, code(+1))
    assert ("account_locked", "admin") in [(a, o) for _, a, o in audit_actions(session)]


def test_optional_for_a_school_and_an_admin_reset_forces_enrolment(world, session):
    operator = storage.authenticate(session, "operator_a", PASSWORD)
    assert not operator.awaits_second_factor
    assert storage.second_factor_status(session, operator) == "optional"
    storage.enrol(session, operator, SECRET, code())
    again = storage.authenticate(session, "operator_a", PASSWORD)
    assert again.awaits_second_factor  # enrolled: the code is now owed at every password sign-in
    with pytest.raises(storage.AccessDenied):
        storage.list_assessments(session, again)
    storage.reset_second_factor(session, world.actors["admin"], "operator_a")
    assert ("admin", "reset_totp", "operator_a") in audit_actions(session, "admin")
    with pytest.raises(storage.SessionRevoked):  # the reset ends the account's sessions
        storage.second_factor_status(session, again)
    after = storage.authenticate(session, "operator_a", PASSWORD)
    assert after.awaits_second_factor and storage.second_factor_status(session, after) == "must_enrol"
    with pytest.raises(storage.AccessDenied):  # only an admin resets
        storage.reset_second_factor(session, world.actors["operator_c"], "operator_a")


def test_no_key_outside_the_demo(monkeypatch):
    monkeypatch.delenv("SIAGA_SECRET_KEY", raising=False)
    with pytest.raises(totp.SecretKeyMissing):
        totp.encrypt_secret(SECRET)
    token = totp.encrypt_secret(SECRET, demo=True)
    assert totp.decrypt_secret(token, demo=True) == SECRET
    monkeypatch.setenv("SIAGA_SECRET_KEY", "another key")
    assert totp.decrypt_secret(token) is None  # a changed key: the user must be reset

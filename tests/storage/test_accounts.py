"""Passwords, sign-in, lockout, and what never reaches a log or an error."""

from __future__ import annotations

from datetime import timedelta

import pytest

import auth
import storage
from auth import PasswordRejected, SignInFailed
from storage.models import AuditEntry, User
from ui.i18n import translate

from .conftest import PASSWORD, audit_actions


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("pendek", "at least 12 characters"),
        ("sebelas-kar", "at least 12 characters"),
        ("password1234", "common passwords"),
        ("QWERTY123456", "common passwords"),
        ("bismillah123", "common passwords"),
        ("x" * 129, "at most 128"),
    ],
)
def test_policy_rejects(password, reason):
    with pytest.raises(PasswordRejected, match=reason):
        auth.hash_password(password)


@pytest.mark.parametrize("password", ["siaga-demo-2025", "kuda makan rumput hijau", "abcdefghijkm", "ÄÖÜ-äöü-ßéè-ñ"])
def test_policy_accepts_without_composition_rules(password):
    assert auth.verify_password(auth.hash_password(password), password)


@pytest.mark.parametrize(("password", "code"), [
    ("aaaaaaaaaaaa", "repeated"), (" " * 16, "blank"), ("\0" * 12, "repeated"), ("\t\n" * 7, "blank"),
    ("123456789012345", "digits_only"), ("iloveyou1234", "common"), ("Sekolah2025!!", "common"),
    ("2025sekolahku!", "common"), ("smkn1234567890", "common"), ("sdnegeri12345", "common"),
    ("qwerty1234567890", "common"), ("kata\0sandi-uji-coba", "control"), ("npsn20100001", "common"),
])  # fmt: skip
def test_weak_passwords_are_refused_with_a_code_the_ui_translates(password, code):
    with pytest.raises(PasswordRejected) as refused:
        auth.hash_password(password)
    assert refused.value.code == code
    for lang in ("id", "en"):
        assert translate(lang, f"password.problem.{code}", **refused.value.values) != f"[password.problem.{code}]"


def test_the_bundled_list_holds_over_100000_common_passwords():
    words = auth.passwords.common_passwords()
    assert len(words) > 100_000 and {"iloveyou1234", "123456789012345", "sekolah", "dapodik"} <= words


def test_a_password_may_not_contain_the_username_or_the_schools_npsn(world, session):
    with pytest.raises(PasswordRejected) as refused:
        storage.create_user(session, world.actors["admin"], "budi.op", "Budi", "sekolah", "kuda-budi.op-makan",
                            school_npsns=("Z1300001",))  # fmt: skip
    assert refused.value.code == "username"
    with pytest.raises(PasswordRejected) as refused:
        storage.create_user(session, world.actors["admin"], "budi.op", "Budi", "sekolah", "kuda-z1300001-makan",
                            school_npsns=("Z1300001",))  # fmt: skip
    assert (refused.value.code, refused.value.values) == ("npsn", {"npsn": "Z1300001"})
    with pytest.raises(PasswordRejected, match="NPSN"):
        storage.change_password(session, world.actors["operator_a"], PASSWORD, "rumput-Z1300001-hijau")
    with pytest.raises(PasswordRejected, match="NPSN"):
        storage.reset_password(session, world.actors["admin"], "operator_a", "rumput-Z1300001-hijau")


def test_password_may_not_be_the_username():
    assert "username" in auth.password_problem("operator.sekolah", "Operator.Sekolah")


def test_hash_is_argon2id():
    assert auth.hash_password("siaga-demo-2025").startswith("$argon2id$")


def test_sign_in(world, session):
    actor = storage.authenticate(session, "Operator_A", PASSWORD)
    assert (actor.username, actor.role, actor.school_npsns) == ("operator_a", "sekolah", ("Z1300001",))
    assert ("operator_a", "sign_in", "operator_a") in audit_actions(session)


@pytest.mark.parametrize(("username", "password"), [("nobody", PASSWORD), ("operator_a", "salah-sekali-12")])
def test_unknown_user_and_wrong_password_fail_alike(world, session, username, password):
    with pytest.raises(SignInFailed) as failed:
        storage.authenticate(session, username, password)
    assert str(failed.value) == SignInFailed.MESSAGE


def test_unknown_user_is_verified_against_a_dummy_hash(world, session, monkeypatch):
    calls = []
    monkeypatch.setattr("storage.signin.verify_unknown_user", lambda pw: calls.append(1) or False)
    with pytest.raises(SignInFailed):
        storage.authenticate(session, "nobody", PASSWORD)
    assert calls == [1]


def test_five_failures_lock_the_account_for_15_minutes(world, session):
    start = storage.models.utcnow() - timedelta(minutes=5)
    for i in range(auth.MAX_FAILED_ATTEMPTS):  # a minute apart: past the username's growing delay
        with pytest.raises(SignInFailed):
            storage.authenticate(session, "operator_a", "salah-sekali-12", now=start + timedelta(minutes=i))
    user = session.query(User).filter_by(username="operator_a").one()
    assert user.locked_until is not None
    assert timedelta(minutes=13) < user.locked_until - storage.models.utcnow() <= timedelta(minutes=14)
    session.rollback()
    with pytest.raises(SignInFailed):  # the right password does not help while locked
        storage.authenticate(session, "operator_a", PASSWORD)
    assert "account_locked" in [a for _, a, _ in audit_actions(session)]
    storage.unlock_user(session, world.actors["admin"], "operator_a")
    assert storage.authenticate(session, "operator_a", PASSWORD).username == "operator_a"


def test_the_lock_expires(world, session):
    session.query(User).filter_by(username="operator_a").update(
        {"locked_until": storage.models.utcnow() - timedelta(seconds=1), "failed_attempts": 0}
    )
    session.commit()
    assert storage.authenticate(session, "operator_a", PASSWORD).username == "operator_a"


def test_four_failures_then_success_resets_the_counter(world, session):
    start = storage.models.utcnow() - timedelta(minutes=5)
    for i in range(4):
        with pytest.raises(SignInFailed):
            storage.authenticate(session, "operator_a", "salah-sekali-12", now=start + timedelta(minutes=i))
    storage.authenticate(session, "operator_a", PASSWORD)
    assert session.query(User).filter_by(username="operator_a").one().failed_attempts == 0


def test_deactivated_user_can_neither_sign_in_nor_act(world, session):
    storage.set_active(session, world.actors["admin"], "operator_a", False)
    with pytest.raises(SignInFailed):
        storage.authenticate(session, "operator_a", PASSWORD)
    with pytest.raises(storage.AccessDenied, match="not active"):
        storage.get_school(session, world.actors["operator_a"], "Z1300001")


def test_a_changed_role_needs_a_new_sign_in(world, session):
    session.query(User).filter_by(username="auditor_13").update({"role": "pimpinan"})
    session.commit()
    with pytest.raises(storage.AccessDenied, match="role changed"):
        storage.get_school(session, world.actors["auditor_13"], "Z1300001")


def test_no_hash_or_password_in_repr_errors_or_log(world, session):
    user = session.query(User).filter_by(username="operator_a").one()
    assert "argon2" not in repr(user) and user.password_hash not in repr(user)
    with pytest.raises(SignInFailed) as failed:
        storage.authenticate(session, "operator_a", "rahasia-sekali-99")
    assert "rahasia-sekali-99" not in str(failed.value)
    storage.reset_password(session, world.actors["admin"], "operator_c", "kata-sandi-baru-2025")
    with pytest.raises(PasswordRejected) as rejected:
        storage.reset_password(session, world.actors["admin"], "operator_c", "password1234")
    assert "password1234" not in str(rejected.value)
    details = " ".join(e.detail for e in session.query(AuditEntry))
    assert "argon2" not in details and "kata-sandi" not in details and "rahasia" not in details
    for info in storage.list_users(session, world.actors["admin"]):
        assert not hasattr(info, "password_hash")


def test_create_user_checks_role_and_scope(world, session):
    admin = world.actors["admin"]
    with pytest.raises(storage.InvalidInput, match="Scope does not fit"):
        storage.create_user(session, admin, "op_baru", "", "sekolah", "kata-sandi-baru-2025")
    with pytest.raises(storage.NotFound):
        storage.create_user(
            session, admin, "op_baru", "", "sekolah", "kata-sandi-baru-2025", school_npsns=("Z9999999",)
        )
    with pytest.raises(storage.AlreadyExists):
        storage.create_user(session, admin, "Admin", "", "admin", "kata-sandi-baru-2025")
    with pytest.raises(storage.InvalidInput, match="Username"):
        storage.create_user(session, admin, "a b", "", "admin", "kata-sandi-baru-2025")
    info = storage.create_user(session, admin, "Pimpinan.Sumbar", "Kadis", "pimpinan", "kata-sandi-baru-2025",
                               province_codes=("13",))  # fmt: skip
    assert (info.username, info.province_codes, info.national) == ("pimpinan.sumbar", ("13",), False)
    assert storage.authenticate(session, "pimpinan.sumbar", "kata-sandi-baru-2025").province_codes == ("13",)


def test_change_own_password(world, session):
    actor = world.actors["operator_a"]
    with pytest.raises(SignInFailed):
        storage.change_password(session, actor, "salah-sekali-12", "kata-sandi-baru-2025")
    storage.change_password(session, actor, PASSWORD, "kata-sandi-baru-2025")
    assert storage.authenticate(session, "operator_a", "kata-sandi-baru-2025").username == "operator_a"


def test_a_reset_password_is_one_time(world, session):
    assert not storage.authenticate(session, "operator_c", PASSWORD).must_change_password
    storage.reset_password(session, world.actors["admin"], "operator_c", "kata-sandi-sekali-2025")
    actor = storage.authenticate(session, "operator_c", "kata-sandi-sekali-2025")
    assert actor.must_change_password
    with pytest.raises(PasswordRejected, match="differ"):
        storage.change_password(session, actor, "kata-sandi-sekali-2025", "kata-sandi-sekali-2025")
    storage.change_password(session, actor, "kata-sandi-sekali-2025", "kalimat-pilihan-sendiri")
    assert not storage.authenticate(session, "operator_c", "kalimat-pilihan-sendiri").must_change_password

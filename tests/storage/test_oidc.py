"""belajar.id sign-in on both databases: the claim checks, linking by an admin (one or by CSV),
refusals in the audit log, and never an account from a token."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

import storage
from auth import SignInFailed
from storage.models import User

from .conftest import PASSWORD, audit_actions


def claims(email="op.a@belajar.id", **extra):
    return {"iss": "http://127.0.0.1/oidc", "aud": "siaga", "exp": time.time() + 300, "email": email,
            "email_verified": True, **extra}  # fmt: skip


def users(session) -> int:
    count = session.scalar(select(func.count()).select_from(User))
    session.rollback()
    return count


def test_a_linked_address_signs_in_without_a_second_code(world, session):
    storage.link_email(session, world.actors["admin"], "auditor_13", " Op.A@Belajar.ID ")
    actor = storage.oidc_sign_in(session, claims(hd="belajar.id"))
    assert (actor.username, actor.via_oidc, actor.awaits_second_factor) == ("auditor_13", True, False)
    assert storage.get_school(session, actor, "Z1300001").npsn == "Z1300001"
    assert ("admin", "link_email", "auditor_13") in audit_actions(session, "admin")


@pytest.mark.parametrize(("token", "reason"), [
    (claims("nobody@belajar.id"), "unknown"),
    (claims(email_verified=False), "unverified"),
    (claims(email_verified="false"), "unverified"),
    (claims("op.a@gmail.com"), "domain"),
    (claims(hd="sekolah-lain.id"), "hd"),
    (claims(exp=time.time() - 10), "expired"),
    ({"iss": "x", "aud": "y"}, "no_email"),
])  # fmt: skip
def test_refusals_are_logged_and_create_nothing(world, session, token, reason):
    storage.link_email(session, world.actors["admin"], "operator_a", "op.a@belajar.id")
    before = users(session)
    with pytest.raises(storage.OidcRefused) as refused:
        storage.oidc_sign_in(session, token)
    assert refused.value.reason == reason
    assert users(session) == before
    assert any(a == "oidc_sign_in_refused" for _, a, _ in audit_actions(session))


def test_the_allow_list_comes_from_the_setting(world, session, monkeypatch):
    monkeypatch.setenv("SIAGA_OIDC_DOMAINS", "belajar.id, guru.example.id")
    storage.link_email(session, world.actors["admin"], "operator_a", "budi@guru.example.id")
    assert storage.oidc_sign_in(session, claims("budi@guru.example.id")).username == "operator_a"
    with pytest.raises(storage.InvalidInput, match="outside the allowed domains"):
        storage.link_email(session, world.actors["admin"], "operator_c", "budi@gmail.com")


def test_a_deactivated_account_and_a_taken_address_are_refused(world, session):
    admin = world.actors["admin"]
    storage.link_email(session, admin, "operator_a", "op.a@belajar.id")
    with pytest.raises(storage.AlreadyExists):
        storage.link_email(session, admin, "operator_c", "op.a@belajar.id")
    with pytest.raises(storage.AccessDenied):
        storage.link_email(session, world.actors["operator_c"], "operator_c", "op.c@belajar.id")
    storage.set_active(session, admin, "operator_a", False)
    with pytest.raises(storage.OidcRefused, match="inactive"):
        storage.oidc_sign_in(session, claims())


def test_local_passwords_off_except_for_admins(world, session, monkeypatch):
    monkeypatch.setenv("SIAGA_LOCAL_SIGNIN", "off")
    with pytest.raises(SignInFailed):
        storage.authenticate(session, "operator_a", PASSWORD)
    assert storage.authenticate(session, "admin", PASSWORD).username == "admin"


def test_bulk_link_by_csv_is_all_or_nothing(world, session):
    admin = world.actors["admin"]
    bad = (b"email,role,npsn,province,kabupaten\n"
           b"guru1@belajar.id,sekolah,Z1300002,,\n"
           b"guru2@gmail.com,sekolah,Z1300002,,\n"
           b"dinas@belajar.id,pimpinan,,,1399\n"
           b"balai@belajar.id,auditor,,99,\n")  # fmt: skip
    before = users(session)
    with pytest.raises(storage.InvalidInput) as err:
        storage.link_emails_csv(session, admin, bad, "tautan.csv")
    message = str(err.value)
    assert "line 3, email" in message and "line 4, role/kabupaten" in message and "1399" in message
    assert "line 5, role/province" in message
    assert users(session) == before
    good = (b"email,role,npsn,province,kabupaten\nguru1@belajar.id,sekolah,Z1300002,,\n"
            b"balai@belajar.id,auditor,,13 31,\ndinas@belajar.id,pimpinan,,,1371\n")  # fmt: skip
    for who in ("operator_c", "auditor_13"):  # creating accounts by CSV is an admin's explicit act only
        with pytest.raises(storage.AccessDenied):
            storage.link_emails_csv(session, world.actors[who], good, "tautan.csv")
    assert users(session) == before
    assert storage.link_emails_csv(session, admin, good, "tautan.csv") == {"created": 3, "already_linked": 0}
    assert storage.link_emails_csv(session, admin, good, "tautan.csv") == {"created": 0, "already_linked": 3}
    assert storage.oidc_sign_in(session, claims("dinas@belajar.id")).kabupaten_codes == ("1371",)
    guru = storage.oidc_sign_in(session, claims("guru1@belajar.id"))
    assert guru.role == "sekolah" and storage.get_school(session, guru, "Z1300002").npsn == "Z1300002"
    with pytest.raises(SignInFailed):  # no password opens a belajar.id-only account
        storage.authenticate(session, guru.username, "!belajar.id")

"""Revoked sessions: a session opened before a sign-out everywhere, a password change or
reset, a deactivation or a role or scope change is refused at its next data call."""

from __future__ import annotations

import pytest

import storage
from auth import Role
from tests import totp_codes

from .conftest import PASSWORD, audit_actions

NEW_PASSWORD = "kata-sandi-baru-2025"


def signed_in(session, username="operator_a"):
    return totp_codes.complete(session, storage.authenticate(session, username, PASSWORD))


def refused(session, actor, npsn="Z1300001"):
    with pytest.raises(storage.SessionRevoked, match="session was ended"):
        storage.get_school(session, actor, npsn)
    assert not storage.session_is_live(session, actor)
    return True


def test_an_admin_reset_ends_the_open_session(world, session):
    before = signed_in(session)
    storage.reset_password(session, world.actors["admin"], "operator_a", NEW_PASSWORD)
    assert refused(session, before)
    with pytest.raises(storage.SessionRevoked):  # nor can it change the password the admin just set
        storage.change_password(session, before, NEW_PASSWORD, "pilihan-saya-sendiri-1")
    assert storage.get_school(session, storage.authenticate(session, "operator_a", NEW_PASSWORD), "Z1300001")
    assert ("operator_a", "access_denied", "Z1300001") in audit_actions(session, "operator_a")


def test_deactivation_ends_the_open_session_even_after_reactivation(world, session):
    before = signed_in(session)
    storage.set_active(session, world.actors["admin"], "operator_a", False)
    storage.set_active(session, world.actors["admin"], "operator_a", True)
    assert refused(session, before)
    assert storage.session_is_live(session, signed_in(session))


def test_changing_ones_password_ends_the_other_sessions_not_this_one(world, session):
    here, elsewhere = signed_in(session), signed_in(session)
    carried_on = storage.change_password(session, here, PASSWORD, NEW_PASSWORD)
    assert storage.get_school(session, carried_on, "Z1300001").npsn == "Z1300001"
    assert refused(session, elsewhere)
    assert refused(session, here)  # the Actor from before the change is the old session


def test_sign_out_everywhere(world, session):
    one, two = signed_in(session, "auditor_13"), signed_in(session, "auditor_13")
    storage.sign_out_everywhere(session, one)
    assert refused(session, two) and refused(session, one)
    with pytest.raises(storage.SessionRevoked):  # an ended session cannot end the newer ones
        storage.sign_out_everywhere(session, two)
    newer = signed_in(session, "auditor_13")
    assert storage.session_is_live(session, newer)
    assert ("auditor_13", "sign_out", "auditor_13") in audit_actions(session, "auditor_13")


def test_a_scope_change_ends_the_open_session(world, session):
    before = signed_in(session, "auditor_13")
    info = storage.set_scope(session, world.actors["admin"], "auditor_13", Role.AUDITOR, province_codes=("31",))
    assert info.province_codes == ("31",)
    assert refused(session, before)
    after = signed_in(session, "auditor_13")
    assert storage.get_school(session, after, "Z3100001").npsn == "Z3100001"
    with pytest.raises(storage.AccessDenied):
        storage.get_school(session, after, "Z1300001")


def test_a_role_change_ends_the_open_session(world, session):
    before = signed_in(session, "pimpinan_13")
    storage.set_scope(session, world.actors["admin"], "pimpinan_13", Role.PIMPINAN, national=True)
    assert refused(session, before, "Z3100001")
    storage.set_scope(session, world.actors["admin"], "pimpinan_13", "auditor", province_codes=("13",))
    assert signed_in(session, "pimpinan_13").role == Role.AUDITOR


def test_set_scope_checks_role_scope_and_rights(world, session):
    admin = world.actors["admin"]
    with pytest.raises(storage.InvalidInput, match="Scope does not fit"):
        storage.set_scope(session, admin, "auditor_13", Role.AUDITOR)
    with pytest.raises(storage.NotFound):
        storage.set_scope(session, admin, "auditor_13", Role.SEKOLAH, school_npsns=("Z9999999",))
    with pytest.raises(storage.InvalidInput, match="admin role from your own"):
        storage.set_scope(session, admin, "admin", Role.AUDITOR, province_codes=("13",))
    with pytest.raises(storage.AccessDenied):
        storage.set_scope(session, world.actors["auditor_13"], "auditor_13", Role.AUDITOR, province_codes=("31",))

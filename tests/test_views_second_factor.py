"""AppTest: an admin or auditor signed in with a password sees only the second step (the
router registers none of the role's pages) until a TOTP code passes; without
SIAGA_SECRET_KEY the step says so instead of failing."""

from __future__ import annotations

import sqlite3
import time

import pytest
from streamlit.testing.v1 import AppTest

import storage
from tests import totp_codes

from . import views_apptest as harness
from .views_apptest import APP, errors, session_for
from .views_seed import PASSWORD

seeded_template, seeded, writable, database = (harness.seeded_template, harness.seeded, harness.writable,
                                               harness.database)  # fmt: skip
PAGES = {
    "admin": ["admin_pengguna.py", "admin_sekolah.py", "admin_kuesioner.py", "admin_audit.py", "glosarium.py"],
    "auditor13": ["auditor_sekolah.py", "auditor_bandingkan.py", "auditor_tinjau.py", "auditor_impor.py"],
}


def password_sign_in(db, username: str) -> AppTest:
    """The router with `username` just signed in with a password (the second step owed)."""
    with session_for(db) as session:
        actor = storage.authenticate(session, username, PASSWORD)
    assert actor.awaits_second_factor
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["actor"], at.session_state["last_seen"] = actor, time.time()
    return at.run()


def on_second_step(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Verifikasi dua langkah"] and any(i.label == "Kode" for i in at.text_input)


@pytest.mark.parametrize("username", sorted(PAGES))
def test_no_page_before_the_code_then_the_role_pages(writable, username):
    at = password_sign_in(writable, username)
    assert errors(at) == [] and on_second_step(at)
    for page in PAGES[username]:  # the role's page files are not in the navigation at all
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"ui/pages/{page}")
    at.run()
    assert on_second_step(at) and not at.dataframe and not at.selectbox
    at.text_input[0].set_value(totp_codes.next_code(username, "views"))
    next(b for b in at.button if b.label == "Verifikasi").click().run()
    assert errors(at) == [] and not on_second_step(at)
    assert at.session_state["actor"].second_factor
    for page in PAGES[username]:  # the same files, now registered and shown
        at.switch_page(f"ui/pages/{page}")
        at.run()
        assert errors(at) == [] and not on_second_step(at), page


def test_without_the_secret_key_the_second_step_says_so(writable, monkeypatch):
    at = password_sign_in(writable, "admin")
    monkeypatch.delenv("SIAGA_SECRET_KEY")
    at.text_input[0].set_value(totp_codes.next_code("admin", "views"))
    next(b for b in at.button if b.label == "Verifikasi").click().run()
    assert [e.value for e in at.exception] == []
    assert any("SIAGA_SECRET_KEY" in e.value for e in at.error) and on_second_step(at)
    monkeypatch.undo()  # with the key again, the same account passes: nothing was counted or changed
    with session_for(writable) as session:
        admin = storage.authenticate(session, "admin", PASSWORD)
        assert storage.verify_code(session, admin, totp_codes.next_code("admin", "views")).second_factor


def test_the_demo_keys_are_printed_on_the_demo_sign_in_page_only(writable):
    from storage.demo import DEMO_TOTP_SECRETS

    shown = harness.shown_text(AppTest.from_file(str(APP), default_timeout=60).run())
    assert "Nama pengguna" in shown and not any(secret in shown for secret in DEMO_TOTP_SECRETS.values())
    with sqlite3.connect(writable.path) as connection:  # the flag seed-demo sets
        connection.execute("INSERT INTO meta (key, value) VALUES ('demo', 'true')")
    shown = harness.shown_text(AppTest.from_file(str(APP), default_timeout=60).run())
    assert all(secret in shown for secret in DEMO_TOTP_SECRETS.values())

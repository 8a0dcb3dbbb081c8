"""AppTest: a file built on click is built only for a live session. The idle clock is the
test's own (ui.common.clock); nothing sleeps. A session revoked in the database (sign-out
everywhere) gets no file either, and "Keluar dari semua perangkat" ends the other sessions."""

from __future__ import annotations

import time

import pytest

import storage
import ui.common
from storage.activity import search_audit_log

from . import views_apptest as harness
from .views_apptest import Downloads, errors, open_page, session_for

seeded_template, seeded, writable, database = (harness.seeded_template, harness.seeded, harness.writable,
                                               harness.database)  # fmt: skip
PERIOD = "2025-1"
DOWNLOADS = [  # (user, page, state, file name starts with, export logged as)
    ("auditor13", "auditor_sekolah.py", {"views.period": PERIOD}, "sekolah-", "sekolah.csv"),
    ("pimpinan13", "pimpinan_ringkasan.py", {"views.period": PERIOD}, "ringkasan-", "ringkasan.html"),
]


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(ui.common, "clock", moved)
    return moved


def exports(db, username: str, object_id: str) -> int:
    with session_for(db) as session:
        found = search_audit_log(session, db.actors["admin"], action="export", username=username)
    return sum(e.object_id == object_id for e in found)


def file_named(downloads: Downloads, prefix: str, suffix: str) -> str:
    (name,) = [n for n in downloads.made if n.startswith(prefix) and n.endswith(suffix)]
    return name


@pytest.mark.parametrize(("username", "page", "state", "prefix", "logged"), DOWNLOADS)
def test_no_file_after_the_idle_timeout(writable, monkeypatch, clock, username, page, state, prefix, logged):
    downloads = Downloads(monkeypatch)
    at = open_page(writable, username, page, state)
    assert errors(at) == []
    name = file_named(downloads, prefix, logged.rsplit(".", 1)[1])
    clock.now += 29 * 60  # still live: the click counts as activity
    assert downloads.click(name)
    assert exports(writable, username, logged) == 1
    clock.now += ui.common.IDLE_MINUTES * 60 + 1
    with pytest.raises(ui.common.SessionEnded):
        downloads.click(name)
    assert exports(writable, username, logged) == 1  # nothing built, nothing logged
    at.run()
    assert "actor" not in at.session_state
    assert any("30 menit" in i.value for i in at.info)  # the sign-in page says why


@pytest.mark.parametrize(("username", "page", "state", "prefix", "logged"), DOWNLOADS)
def test_no_file_for_a_revoked_session(writable, monkeypatch, clock, username, page, state, prefix, logged):
    downloads = Downloads(monkeypatch)
    assert errors(open_page(writable, username, page, state)) == []
    name = file_named(downloads, prefix, logged.rsplit(".", 1)[1])
    with session_for(writable) as session:
        storage.sign_out_everywhere(session, writable.actors[username])
    with pytest.raises(ui.common.SessionEnded):
        downloads.click(name)
    assert exports(writable, username, logged) == 0


def test_sign_out_everywhere_ends_the_other_tabs(writable, clock):
    one = open_page(writable, "auditor13", "auditor_sekolah.py", {"views.period": PERIOD})
    two = open_page(writable, "auditor13", "auditor_sekolah.py", {"views.period": PERIOD})
    (button,) = [b for b in one.sidebar.button if b.label == "Keluar dari semua perangkat"]
    button.click().run()
    assert "actor" not in one.session_state
    two.run()
    assert "actor" not in two.session_state
    assert any("telah diakhiri" in i.value for i in two.info)  # the sign-in page says why


def test_the_plain_sign_out_also_ends_the_other_tabs(writable, clock):
    one = open_page(writable, "pimpinan13", "pimpinan_dasbor.py", {"views.period": PERIOD})
    two = open_page(writable, "pimpinan13", "pimpinan_dasbor.py", {"views.period": PERIOD})
    (button,) = [b for b in one.sidebar.button if b.label == "Keluar"]
    button.click().run()
    two.run()
    assert "actor" not in one.session_state and "actor" not in two.session_state

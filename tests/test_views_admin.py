"""AppTest: the admin's pages (users, schools, questionnaires and baselines, audit log)."""

from __future__ import annotations

import pytest

import storage
from auth import SignInFailed
from storage.activity import record_export
from storage.baselines import active_baseline
from ui.common import plain

from . import views_apptest as harness
from .views_apptest import errors, open_page, session_for
from .views_seed import ROOT

seeded_template, seeded, writable, database = (harness.seeded_template, harness.seeded, harness.writable,
                                               harness.database)  # fmt: skip


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_creating_a_user_shows_a_one_time_password_once(writable):
    at = open_page(writable, "admin", "admin_pengguna.py")
    assert errors(at) == []
    at.text_input(key="pengguna.username").set_value("auditor-baru")
    at.text_input(key="pengguna.display_name").set_value("Auditor Baru")
    at.selectbox(key="pengguna.role").set_value("auditor")
    at.multiselect(key="pengguna.provinces").set_value(["13"])
    button(at, "Buat akun").click().run()
    assert errors(at) == []
    password = at.code[-1].value
    with session_for(writable) as session:
        actor = storage.authenticate(session, "auditor-baru", password)
    assert actor.province_codes == ("13",)
    at.run()  # the next run does not show it again
    assert not any(c.value == password for c in at.code)


def test_reset_unlock_and_deactivate(writable):
    at = open_page(writable, "admin", "admin_pengguna.py", {"pengguna.pick": "auditor31"})
    button(at, "Atur ulang kata sandi").click().run()
    password = at.code[-1].value
    with session_for(writable) as session:
        assert storage.authenticate(session, "auditor31", password).username == "auditor31"
    button(at, "Nonaktifkan").click().run()
    assert errors(at) == []
    with session_for(writable) as session:
        try:
            storage.authenticate(session, "auditor31", password)
        except SignInFailed:
            pass
        else:
            raise AssertionError("a deactivated account signed in")
        actions = [e.action for e in storage.audit_log(session, writable.actors["admin"], username="admin")]
    assert {"reset_password", "deactivate_user"} <= set(actions)


def test_a_bad_school_file_is_refused_row_by_row(writable):
    at = open_page(writable, "admin", "admin_sekolah.py")
    bad = b"npsn,name,jenjang,status,province_code,kabupaten_kota\nZ1399999,TK Contoh,TK,negeri,13,Kota Padang\n"
    at.file_uploader[0].set_value(("sekolah.csv", bad, "text/csv")).run()
    button(at, "Periksa dan impor").click().run()
    assert "sekolah.csv:2: jenjang: 'TK' harus salah satu dari SD" in at.code[-1].value  # the page's language
    good = bad.replace(b"TK Contoh,TK", b"SD Contoh,SD")
    at.file_uploader[0].set_value(("sekolah.csv", good, "text/csv")).run()
    button(at, "Periksa dan impor").click().run()
    assert any("1 sekolah ditambahkan" in s.value for s in at.success)
    with session_for(writable) as session:
        assert storage.get_school(session, writable.actors["admin"], "Z1399999").jenjang == "SD"


def test_questionnaire_and_baseline_uploads_use_the_clis_messages(writable):
    at = open_page(writable, "admin", "admin_kuesioner.py")
    assert errors(at) == []
    broken = (ROOT / "questionnaires" / "cek-cepat.yaml").read_bytes().replace(b"version:", b"versi:", 1)
    at.file_uploader(key="kuesioner.questionnaire.file").set_value(("cek-cepat.yaml", broken, "text/yaml")).run()
    at.button(key="kuesioner.questionnaire.upload").click().run()
    assert "cek-cepat.yaml:" in at.code[-1].value and "version: wajib diisi" in at.code[-1].value  # the page's language
    baseline = (ROOT / "questionnaires" / "baselines" / "baseline-cek-cepat.yaml").read_bytes()
    at.file_uploader(key="kuesioner.baseline.file").set_value(("baseline-cek-cepat.yaml", baseline, "text/yaml")).run()
    at.button(key="kuesioner.baseline.upload").click().run()
    # The file name is the uploader's text: it reaches Markdown only through plain().
    assert errors(at) == [] and any(plain("baseline-cek-cepat.yaml") in s.value for s in at.success)
    with session_for(writable) as session:
        admin = writable.actors["admin"]
        questionnaire = storage.get_questionnaire(session, admin, "cek-cepat")
        assert active_baseline(session, admin, questionnaire).id == "baseline-cek-cepat"


def test_the_audit_log_lists_who_exported_what(writable):
    with session_for(writable) as session:
        record_export(session, writable.actors["auditor13"], "sekolah.csv", {"rows": 30})
    at = open_page(writable, "admin", "admin_audit.py")
    button(at, "Hanya ekspor").click().run()
    assert errors(at) == []
    log = at.dataframe[0].value
    assert list(log["Tindakan"]) == ["export"] and list(log["Pengguna"]) == ["auditor13"]
    assert list(log["Objek"]) == ["export sekolah.csv"]


@pytest.mark.parametrize("username", ["auditor13", "pimpinan"])
def test_other_roles_have_no_admin_pages(seeded, username):
    with pytest.raises(ValueError, match="registered"):
        open_page(seeded, username, "admin_pengguna.py")

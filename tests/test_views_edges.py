"""AppTest: the auditor and leader pages at their edges. Choices follow the user from page to
page; an empty scope, results on an older questionnaire version and a returned assessment
render without an error; names from the schools file reach Markdown only through plain();
a page run by another role is refused."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import storage
from scoring.loader import load_questionnaire
from tests import totp_codes
from ui.common import plain

from . import views_apptest as harness
from .views_apptest import charts, errors, open_page, session_for, shown_text
from .views_seed import PASSWORD, QUESTIONNAIRE, ROOT, SYSTEM, fresh_actor

seeded_template, seeded, writable, database = (harness.seeded_template, harness.seeded, harness.writable,
                                               harness.database)  # fmt: skip
PERIOD = "2025-1"
CEK_CEPAT = load_questionnaire(QUESTIONNAIRE)
HOSTILE_KAB = "Kota [klik](http://contoh.invalid) **Tebal**"
AUDITOR_PAGES = ["auditor_sekolah.py", "auditor_bandingkan.py", "auditor_tinjau.py", "auditor_impor.py"]
LEADER_PAGES = ["pimpinan_dasbor.py", "pimpinan_ringkasan.py"]


def markdown_text(at: AppTest) -> str:
    """What the page handed to Markdown: every text element but tables, code and charts."""
    kinds = ("markdown", "caption", "info", "warning", "success", "error", "title", "subheader")
    return "\n".join(str(e.value) for kind in kinds for e in at.get(kind))


def add_user(db, username: str, role: str, provinces: tuple[str, ...]) -> None:
    with session_for(db) as session:
        storage.create_user(session, SYSTEM, username, username.title(), role, PASSWORD, province_codes=provinces)
        # An auditor owes TOTP: enrolled as its owner would be, with tests.totp_codes' secret.
        db.actors[username] = totp_codes.complete(session, storage.authenticate(session, username, PASSWORD))


def test_questionnaire_period_and_province_follow_the_auditor_between_pages(seeded):
    at = open_page(seeded, "auditor13", "auditor_sekolah.py")
    assert at.selectbox(key="_views.period").value == "2025-2"  # the newest by default
    at.selectbox(key="_views.period").set_value(PERIOD).run()
    at.switch_page("ui/pages/auditor_bandingkan.py").run()
    assert errors(at) == [] and at.selectbox(key="_views.period").value == PERIOD
    assert at.selectbox(key="_questionnaire").value == "cek-cepat"
    at.switch_page("ui/pages/auditor_sekolah.py").run()
    assert at.selectbox(key="_views.period").value == PERIOD


def test_the_national_leaders_province_follows_between_pages(seeded):
    at = open_page(seeded, "pimpinan", "pimpinan_dasbor.py", {"views.period": PERIOD})
    assert at.selectbox(key="_views.province").value == ""  # all provinces
    at.selectbox(key="_views.province").set_value("31").run()
    assert "DKI Jakarta" in at.caption[0].value
    at.switch_page("ui/pages/pimpinan_ringkasan.py").run()
    assert errors(at) == [] and at.selectbox(key="_views.province").value == "31"
    assert "DKI Jakarta" in at.subheader[0].value and "Sumatera Barat" not in at.subheader[0].value


@pytest.mark.parametrize("page", AUDITOR_PAGES + LEADER_PAGES)
def test_a_scope_without_any_school_renders(writable, page):
    role = "auditor" if page.startswith("auditor") else "pimpinan"
    add_user(writable, f"{role}11", role, ("11",))  # Aceh: no school in the seed
    at = open_page(writable, f"{role}11", page)
    assert errors(at) == []
    assert "Z13" not in shown_text(at) and "Z31" not in shown_text(at)


def test_results_on_an_older_questionnaire_version_do_not_break_the_charts(writable):
    """The next version renames a domain and a band; every 2025-1 result is on the shipped one."""
    text = QUESTIONNAIRE.read_text(encoding="utf-8")
    current = load_questionnaire(QUESTIONNAIRE).version
    newer = text.replace(f'version: "{current}"', f'version: "{int(current) + 1}"', 1)
    newer = newer.replace("- id: akun\n", "- id: akun-baru\n", 1)
    newer = newer.replace("{id: siap,", "{id: siap-penuh,", 1)
    assert newer.count("akun-baru") == 1 and "siap-penuh" in newer
    with session_for(writable) as session:
        storage.register_questionnaire(session, SYSTEM, newer.encode(), "cek-cepat-next.yaml", activate=True)
    state = {"views.period": PERIOD, "dasbor.second": ("jenjang", "SD")}
    at = open_page(writable, "pimpinan", "pimpinan_dasbor.py", state)
    assert errors(at) == []
    radar = next(c for k, c in charts(at).items() if k.endswith("dasbor.radar"))
    assert len(radar["data"]) == 2  # the medians and the second series, without the renamed domain
    at = open_page(writable, "auditor13", "auditor_bandingkan.py",
                   {"views.period": PERIOD, "bandingkan.pick": ["Z1300001", "Z1300002"]})  # fmt: skip
    assert errors(at) == [] and any(k.endswith("bandingkan.radar") for k in charts(at))
    at = open_page(writable, "auditor13", "auditor_sekolah.py", {"views.period": PERIOD, "sekolah.search": "Z1300001"})
    at.session_state["sekolah.tabel"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    assert errors(at.run()) == []


def test_names_from_the_schools_file_reach_markdown_only_through_plain(writable):
    """A kabupaten/kota of one school: named in the ranking's note, and in the drill-down's caption."""
    csv = f'npsn,name,jenjang,status,province_code,kabupaten_kota\nZ1399001,SD Uji,SD,negeri,13,"{HOSTILE_KAB}"\n'
    with session_for(writable) as session:
        storage.import_schools(session, SYSTEM, csv.encode(), "sekolah.csv")
        storage.create_user(session, SYSTEM, "operator-uji", "Operator Uji", "sekolah", PASSWORD,
                            school_npsns=("Z1399001",))  # fmt: skip
        operator = storage.authenticate(session, "operator-uji", PASSWORD)
        info = storage.get_or_create_assessment(session, operator, "Z1399001", "cek-cepat", PERIOD)
        answers = {q.id: max(CEK_CEPAT.scale_values(q)) for _, q in CEK_CEPAT.questions()}
        version = storage.save_draft(session, operator, info.id, answers, info.version)
        storage.submit(session, operator, info.id, version)
    at = open_page(writable, "pimpinan13", "pimpinan_dasbor.py", {"views.period": PERIOD})
    assert errors(at) == []
    shown = markdown_text(at)
    assert plain(HOSTILE_KAB) in shown and "[klik](" not in shown and "**Tebal**" not in shown
    at = open_page(writable, "pimpinan13", "pimpinan_dasbor.py",
                   {"views.period": PERIOD, "dasbor.kabupaten_kota": HOSTILE_KAB})  # fmt: skip
    assert errors(at) == []
    shown = markdown_text(at)
    assert plain(HOSTILE_KAB) in shown and "[klik](" not in shown and "**Tebal**" not in shown


def test_a_returned_assessment_opens_read_only_with_its_reasons(writable):
    auditor = writable.actors["auditor13"]
    with session_for(writable) as session:
        (target,) = storage.list_assessments(session, auditor, npsn="Z1300003", period=PERIOD)
        storage.return_assessment(session, auditor, target.id, "Lampirkan *bukti* [di sini](http://x.invalid).",
                                  target.version)  # fmt: skip
    at = open_page(writable, "auditor13", "auditor_tinjau.py", {"tinjau.assessment": target.id})
    assert errors(at) == []
    marks = [r for r in at.radio if r.key.startswith("tinjau.mark:")]
    assert marks and all(r.disabled for r in marks) and not any(b.label == "Verifikasi" for b in at.button)
    assert [t.value for t in at.text] == ["Lampirkan *bukti* [di sini](http://x.invalid)."]  # as text, not Markdown


@pytest.mark.parametrize(("username", "page"), [("operator13", "auditor_sekolah.py"), ("auditor13", "admin_audit.py"),
                                                ("admin", "pimpinan_dasbor.py"), ("pimpinan13", "auditor_impor.py")])
def test_a_page_run_by_another_role_is_refused(seeded, username, page):
    """The router never offers it; run directly, the page refuses before reading anything."""
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / page), default_timeout=30)
    for key, value in fresh_actor(seeded.actors[username]).items():
        at.session_state[key] = value
    at.run()
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == [
        "Akses ditolak: data ini di luar wilayah kewenangan akun Anda. Percobaan ini dicatat."]
    assert not at.dataframe and not at.get("plotly_chart")

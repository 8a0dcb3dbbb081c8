"""The auditor's zip of pre-filled offline forms on Sekolah: only the filtered schools of
the auditor's province, one form per school that reads back as that school, and logged."""

from __future__ import annotations

import io
import zipfile

import pytest

import storage
from offline import read_form
from scoring.loader import load_questionnaire

from . import views_apptest as harness
from .test_views_auditor import at_period
from .views_apptest import Downloads, errors, open_page, session_for
from .views_seed import QUESTIONNAIRE as QUESTIONNAIRE_FILE

seeded_template, seeded, database = harness.seeded_template, harness.seeded, harness.database


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_the_auditor_downloads_prefilled_forms_for_the_filtered_schools(seeded, monkeypatch, fmt):
    downloads = Downloads(monkeypatch)
    state = at_period("sekolah", jenjang="SD") | {"sekolah.offline_format": fmt}
    at = open_page(seeded, "auditor13", "auditor_sekolah.py", state)
    shown = set(at.dataframe[0].value["NPSN"])
    next(b for b in at.button if b.key == "sekolah.offline_build").click().run()
    assert errors(at) == []
    version = load_questionnaire(QUESTIONNAIRE_FILE).version
    data = downloads.click(f"formulir-cek-cepat-v{version}-{fmt}.zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert {n.split(".")[0] for n in names} == shown and all(n.startswith("Z13") for n in names)
        first = archive.read(names[0])
    if fmt == "xlsx":
        assert read_form(first, names[0], load_questionnaire(QUESTIONNAIRE_FILE)).school.npsn == names[0][:8]
    else:
        assert f"{names[0][:8]}" in first.decode() and 'id="simpan"' in first.decode()
    with session_for(seeded) as session:
        logged = storage.audit_log(session, seeded.actors["admin"], action="export")
    entry = next(e for e in logged if e.object_id == f"sekolah.formulir-{fmt}.zip")
    assert entry.username == "auditor13" and entry.detail["rows"] == len(shown) and entry.detail["jenjang"] == "SD"


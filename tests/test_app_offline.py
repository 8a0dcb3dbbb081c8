"""Offline forms through the school's Impor page (AppTest on a real SQLite file): a filled
workbook, one re-saved by LibreOffice, and the HTML form's saved file each show a preview,
store nothing until confirmed, and then score as the same answers entered on Penilaian."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy.orm import Session

import storage
from offline import build_workbook
from offline.forms import content_hash
from scoring.engine import score
from scoring.loader import load_questionnaire
from scoring.models import School
from tests.conftest import DATA, answers_of
from tests.offline.helpers import fill, libreoffice_resave
from tests.school_app import (  # noqa: F401 (the app fixture comes from conftest)
    OTHER,
    OWN,
    PERIOD,
    SYSTEM,
    VALUES,
    answer,
    open_page,
    sign_in,
    start_assessment,
    stored_answers,
    texts,
    upload,
)

CONTOH = load_questionnaire(DATA / "contoh.yaml")
SCHOOL = School(npsn=OWN, name="SMK Uji Satu", jenjang="SMK")


def workbook(school: School = SCHOOL, questionnaire=CONTOH) -> bytes:
    answers = answers_of(**VALUES).model_copy(update={"school": school})
    return fill(build_workbook(questionnaire, "id", school), questionnaire, answers, "labels", random.Random(3))


def saved_json() -> bytes:
    return json.dumps({"questionnaire": "contoh", "version": "1", "school": {"npsn": OWN},
                       "answers": VALUES, "form": {"format": "siaga-offline-1", "hash": content_hash(CONTOH)}}).encode()


def resaved(tmp_path) -> bytes:
    path = tmp_path / "formulir.xlsx"
    path.write_bytes(workbook())
    return libreoffice_resave([path])[0].read_bytes()


def confirm(app) -> None:
    next(b for b in app.button if b.label == "Simpan sebagai draf").click().run()
    assert not app.exception


@pytest.mark.parametrize("kind", ["xlsx", "xlsx-libreoffice", "json"])
def test_an_offline_form_imports_after_a_preview_and_scores_as_on_penilaian(app, tmp_path, kind):
    sign_in(app)
    start_assessment(app)
    answer(app, "q1", 1)
    data = {"xlsx": workbook, "json": saved_json}.get(kind, lambda: resaved(tmp_path))()
    open_page(app, "impor")
    upload(app, "formulir.json" if kind == "json" else "formulir.xlsx", data)
    shown = texts(app)
    assert "Berkas valid: 5 dari 5 pertanyaan terjawab." in shown, shown
    assert "Jawaban yang akan berubah dibanding draf sekarang: 5" in shown
    preview = app.dataframe[0].value
    assert list(preview["ID pertanyaan"]) == ["q1", "q2", "q3", "q4", "q5"]
    assert list(preview["Draf sekarang"])[:2] == ["Dalam perencanaan", "—"]
    assert stored_answers(app.url) == {"q1": 1}  # nothing until confirmed
    confirm(app)
    assert stored_answers(app.url) == VALUES
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        info = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0]
        storage.submit(session, SYSTEM, info.id, info.version)
        stored = storage.get_result(session, SYSTEM, info.id)
    engine.dispose()
    assert stored.overall == score(CONTOH, answers_of(**VALUES)).overall


def test_a_form_built_for_another_school_is_refused(app):
    sign_in(app)
    open_page(app, "impor")
    upload(app, "formulir.xlsx", workbook(School(npsn=OTHER)))
    assert f"NPSN {OTHER}" in texts(app)
    assert not any(b.label == "Simpan sebagai draf" for b in app.button)
    assert stored_answers(app.url) == {}


def test_a_form_of_another_version_is_refused_saying_which(app):
    sign_in(app)
    open_page(app, "impor")
    upload(app, "formulir.xlsx", workbook(questionnaire=CONTOH.model_copy(update={"version": "2"})))
    problems = "\n".join(c.value for c in app.code)
    assert "formulir.xlsx: version: formulir ini untuk versi '2' dari 'contoh', bukan versi '1'" in problems
    assert stored_answers(app.url) == {}


def test_unduh_offers_the_three_offline_forms_before_any_assessment(app):
    sign_in(app)
    open_page(app, "unduh")
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Buku kerja Excel (.xlsx)", "Formulir HTML untuk ponsel", "Formulir cetak (A4)"]
    assert "Belum ada penilaian untuk diunduh." in texts(app)

"""Impor massal with offline forms: a zip mixing filled workbooks, the HTML form's saved
files and answers YAML is read file by file; a form built for one school and named for
another is refused, and so is a form of another questionnaire version."""

from __future__ import annotations

import json
import random

from offline import build_workbook
from offline.forms import content_hash
from scoring.loader import load_questionnaire
from scoring.models import School
from tests.conftest import answers_of
from tests.offline.helpers import fill

from .conftest import CONTOH
from .test_bulk import GOOD, PERIOD, answers_file, checked_import, zipped

QUESTIONNAIRE = load_questionnaire(CONTOH)


def workbook(npsn: str, questionnaire=QUESTIONNAIRE, **values) -> bytes:
    school = School(npsn=npsn)
    answers = answers_of(**values).model_copy(update={"school": school})
    return fill(build_workbook(questionnaire, "en", school), questionnaire, answers, "numbers", random.Random(5))


def form_json(npsn: str, **values) -> bytes:
    return json.dumps({"questionnaire": "contoh", "version": "1", "school": {"npsn": npsn}, "answers": values,
                       "form": {"format": "siaga-offline-1", "hash": content_hash(QUESTIONNAIRE)}}).encode()


def test_a_zip_of_workbooks_forms_and_yaml_is_read_file_by_file(world, session):
    files = {
        "Z1300001.xlsx": workbook("Z1300001", **GOOD),
        "ponsel/jawaban.json": form_json("Z1300002", **GOOD),
        "luar.yaml": answers_file("Z3100001", **GOOD),  # read, then refused by the scope
        "Z1300003.xlsx": workbook("Z1300002", **GOOD),  # built for Z1300002, named for Z1300003
        "versi-lama.xlsx": workbook("Z1300003", QUESTIONNAIRE.model_copy(update={"version": "0"}), **GOOD),
        "salah.xlsx": workbook("Z1300003", **(GOOD | {"q3": 2})),
    }
    report = checked_import(session, world.actors["auditor_13"], zipped(files), "lokakarya.zip", period=PERIOD)
    assert {(s.source, s.npsn) for s in report.stored} == {
        ("Z1300001.xlsx", "Z1300001"), ("ponsel/jawaban.json", "Z1300002")}
    text = "\n".join(p.render("id") for p in report.problems)  # as the page shows them in Bahasa Indonesia
    assert "Z1300003.xlsx: school.npsn: formulir ini untuk NPSN Z1300002, bukan Z1300003" in text
    assert "versi-lama.xlsx: version: formulir ini untuk versi '0' dari 'contoh', bukan versi '1'" in text
    assert "salah.xlsx:Jawaban!E4: answers.q3: '2' bukan jawaban yang sah; pilih salah satu: Tidak (0), Ya (3)" in text
    assert "luar.yaml: npsn: 'Z3100001' bukan sekolah di provinsi Anda" in text
    english = "\n".join(map(str, report.problems))
    assert "Z1300003.xlsx: school.npsn: this form is for NPSN Z1300002, not Z1300003" in english
    assert "salah.xlsx:Jawaban!E4: answers.q3: '2' is not an allowed answer; choose one of: No (0), Yes (3)" in english
    assert report.rejected == 4

"""The auditor's zip of pre-filled forms, built without the app."""

from __future__ import annotations

import io
import zipfile

import pytest

from offline import read_form
from offline.bundle import MAX_FORMS, forms_zip
from scoring.models import School
from tests.offline.helpers import QUESTIONNAIRES

QUICK = QUESTIONNAIRES["cek-cepat"]


def test_one_form_per_school_named_by_npsn_carrying_its_fields():
    schools = [School(npsn=f"Z130000{i}", name=f"SD Contoh {i}", jenjang="SD", province="Sumatera Barat")
               for i in range(3)]
    seen = []
    data = forms_zip(QUICK, schools, "xlsx", "id", lambda done, total: seen.append((done, total)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [f"{s.npsn}.xlsx" for s in schools]
        for school in schools:
            assert read_form(archive.read(f"{school.npsn}.xlsx"), "f.xlsx", QUICK).school == school
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_the_zip_is_capped():
    schools = [School(npsn=f"Z{i:07d}") for i in range(MAX_FORMS + 1)]
    with pytest.raises(ValueError, match="at most 2000"):
        forms_zip(QUICK, schools, "xlsx")


def test_a_zipped_workbook_reads_as_one_built_for_that_school():
    from offline import build_workbook

    school = School(npsn="Z1300009", name='SD "Contoh" & <Anak> §§npsn§§', province="Sumatera Barat")
    with zipfile.ZipFile(io.BytesIO(forms_zip(QUICK, [school], "xlsx", "en"))) as archive:
        zipped = archive.read("Z1300009.xlsx")
    assert read_form(zipped, "z.xlsx", QUICK) == read_form(build_workbook(QUICK, "en", school), "b.xlsx", QUICK)
    assert read_form(zipped, "z.xlsx", QUICK).school == school

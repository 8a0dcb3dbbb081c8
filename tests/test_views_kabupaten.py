"""AppTest: the kepala dinas of Kota Padang (a kabupaten/kota leader limited to SD and SMP)
sees exactly those schools, and compares them with the province and the nation through the
aggregates; the admin sets such a scope on Pengguna."""

from __future__ import annotations

import statistics

from sqlalchemy import select

import storage
from storage.models import Assessment, AssessmentResult, School

from . import views_apptest as harness
from .views_apptest import errors, open_page, session_for, shown_text

seeded_template, seeded, writable, database = (harness.seeded_template, harness.seeded, harness.writable,
                                               harness.database)  # fmt: skip
PERIOD = "2025-1"
SD_SMP = ("SD", "SMP")


def scores(db, *where) -> list[float]:
    query = (select(AssessmentResult.score).join(Assessment, Assessment.id == AssessmentResult.assessment_id)
             .join(School, School.id == Assessment.school_id)
             .where(Assessment.period == PERIOD, Assessment.status.in_(("submitted", "verified")),
                    School.jenjang.in_(SD_SMP), *where))  # fmt: skip
    with session_for(db) as session:
        return list(session.scalars(query))


def padang_sd_smp(db) -> list[str]:
    with session_for(db) as session:
        return sorted(session.scalars(select(School.npsn).where(School.kabupaten_kota == "Kota Padang",
                                                                School.jenjang.in_(SD_SMP))))  # fmt: skip


def comma(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def test_the_kabupaten_leader_sees_its_sd_and_smp_and_the_comparisons(seeded):
    at = open_page(seeded, "kadispadang", "pimpinan_dasbor.py", {"views.period": PERIOD})
    assert errors(at) == []
    shown = {m.label: m.value for m in at.metric}
    own = scores(seeded, School.kabupaten_kota == "Kota Padang")
    assert shown["Sekolah yang dinilai"] == f"{len(own)} dari {len(padang_sd_smp(seeded))}"
    assert shown["Median skor"] == comma(statistics.median(own))
    province = scores(seeded, School.province_code == "13")
    assert shown["Median Provinsi Sumatera Barat"] == comma(statistics.median(province))
    assert shown["Median nasional"] == comma(statistics.median(scores(seeded)))
    text = shown_text(at)
    assert "SD, SMP" in text
    for other in ("Jakarta", "Kabupaten Agam", "Bali"):
        assert other not in text


def test_its_drill_down_lists_exactly_those_schools(seeded):
    state = {"views.period": PERIOD, "dasbor.kabupaten_kota": "Kota Padang"}
    at = open_page(seeded, "kadispadang", "pimpinan_dasbor.py", state)
    assert errors(at) == []
    table = next(f.value for f in at.dataframe if "NPSN" in f.value.columns)
    assert sorted(table["NPSN"]) == padang_sd_smp(seeded)
    assert set(table["Jenjang"]) == set(SD_SMP)


def test_the_admin_sets_a_kabupaten_and_jenjang_scope(writable):
    at = open_page(writable, "admin", "admin_pengguna.py", {"pengguna.pick": "pimpinan13"})
    assert errors(at) == []
    key = "pengguna.scope.pimpinan13"  # the form's widgets: set together, sent on submit
    at.multiselect(key=f"{key}.provinces").set_value([])
    at.multiselect(key=f"{key}.kabupaten").set_value(["1307"])
    at.multiselect(key=f"{key}.jenjang").set_value(["SD", "SMP"])
    next(b for b in at.button if b.label == "Simpan cakupan").click().run()
    assert errors(at) == []
    with session_for(writable) as session:
        info = next(u for u in storage.list_users(session, writable.actors["admin"]) if u.username == "pimpinan13")
    assert (info.province_codes, info.kabupaten_codes, info.jenjang) == ((), ("1307",), SD_SMP)
    assert any("1307 Kabupaten Agam · SD, SMP" in str(row) for row in at.dataframe[0].value.to_dict("records"))

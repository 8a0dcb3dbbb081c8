"""AppTest: the leaders' pages (Dasbor, Ringkasan). A provincial leader sees only the
province; no aggregate of fewer than 5 schools is shown; the figures are the stored ones."""

from __future__ import annotations

import statistics

import pytest
from sqlalchemy import select

from scoring.loader import load_questionnaire
from storage.models import Answer, Assessment, AssessmentResult, DomainScore, School
from ui.common import plain

from . import views_apptest as harness
from .views_apptest import Downloads, charts, errors, open_page, session_for, shown_text
from .views_seed import QUESTIONNAIRE as QUESTIONNAIRE_FILE

QUESTIONNAIRE = load_questionnaire(QUESTIONNAIRE_FILE)
seeded_template, seeded, writable, database = (harness.seeded_template, harness.seeded, harness.writable,
                                               harness.database)  # fmt: skip
PERIOD = "2025-1"


def scored_ids(db, province: str | None = None, kab: str | None = None) -> list[int]:
    query = (select(Assessment.id).join(School, School.id == Assessment.school_id)
             .where(Assessment.period == PERIOD, Assessment.status.in_(("submitted", "verified"))))  # fmt: skip
    if province:
        query = query.where(School.province_code == province)
    if kab:
        query = query.where(School.kabupaten_kota == kab)
    with session_for(db) as session:
        return list(session.scalars(query))


def overall(db, ids) -> list[float]:
    with session_for(db) as session:
        return list(session.scalars(select(AssessmentResult.score).where(AssessmentResult.assessment_id.in_(ids))))


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart(at, suffix: str) -> dict:
    return next(c for k, c in charts(at).items() if k.endswith(suffix))


def test_a_provincial_leader_sees_only_the_province(seeded):
    at = open_page(seeded, "pimpinan13", "pimpinan_dasbor.py", {"views.period": PERIOD})
    assert errors(at) == []
    ids = scored_ids(seeded, "13")
    shown = metrics(at)
    assert shown["Sekolah yang dinilai"] == f"{len(ids)} dari 30"
    # Indonesian writes the decimal with a comma, as the charts do
    assert shown["Median skor"] == f"{statistics.median(overall(seeded, ids)):.1f}".replace(".", ",")
    text = shown_text(at)
    for other in ("Jakarta", "Z31", "Bali", "Z51"):
        assert other not in text
    ranking = chart(at, "dasbor.ranking")["data"][0]
    assert sorted(ranking["y"]) == ["Kabupaten Agam", "Kota Padang"]  # inside its province: kabupaten/kota
    padang = overall(seeded, scored_ids(seeded, "13", "Kota Padang"))
    assert ranking["x"][ranking["y"].index("Kota Padang")] == pytest.approx(statistics.median(padang))


def test_groups_of_fewer_than_five_schools_are_hidden_and_named(seeded):
    at = open_page(seeded, "pimpinan", "pimpinan_dasbor.py", {"views.period": PERIOD})
    assert errors(at) == []
    ranking = chart(at, "dasbor.ranking")["data"][0]
    assert "Bali" not in ranking["y"] and {"Sumatera Barat", "DKI Jakarta"} <= set(ranking["y"])
    notes = " ".join(i.value for i in at.info)
    assert plain("kurang dari 5 sekolah: Bali") in notes  # 3 schools: not ranked, and said so
    assert "SLB" in notes  # 2 SLB schools: their band distribution is withheld
    bands = chart(at, "dasbor.bands_jenjang")
    assert "SLB" not in {x for trace in bands["data"] for x in trace["x"]}
    # Nor can it be worked out as the whole (shown above) minus the groups that are shown.
    assessed = int(metrics(at)["Sekolah yang dinilai"].split()[0])
    for key in ("dasbor.bands_jenjang", "dasbor.bands_status"):
        found = next((c for k, c in charts(at).items() if k.endswith(key)), {"data": []})
        left_out = assessed - sum(y for trace in found["data"] for y in trace["y"])
        assert left_out == 0 or left_out >= 5, key


def test_the_radar_shows_stored_medians_and_a_second_series(seeded):
    jakarta = {"views.period": PERIOD, "dasbor.second": ("province", "31")}
    at = open_page(seeded, "pimpinan", "pimpinan_dasbor.py", jakarta)
    radar = chart(at, "dasbor.radar")
    names = [trace["name"] for trace in radar["data"]]
    assert len(names) == 3 and "DKI Jakarta" in names[1] and names[2].startswith("Target")
    ids = scored_ids(seeded)
    with session_for(seeded) as session:
        rows = session.execute(select(DomainScore.domain_id, DomainScore.score)
                               .where(DomainScore.assessment_id.in_(ids))).all()  # fmt: skip
    for domain, value in zip(QUESTIONNAIRE.domains, radar["data"][0]["r"], strict=False):
        values = [s for d, s in rows if d == domain.id and s is not None]
        assert value == pytest.approx(statistics.median(values))
    at = open_page(seeded, "pimpinan", "pimpinan_dasbor.py", jakarta | {"dasbor.second": ("province", "51")})
    assert len(chart(at, "dasbor.radar")["data"]) == 2
    assert any("Bali" in i.value and "baru 3 sekolah" in i.value for i in at.info)


def test_the_weakest_questions_are_read_from_stored_answers(seeded):
    at = open_page(seeded, "pimpinan13", "pimpinan_dasbor.py", {"views.period": PERIOD})
    weakest = next(f.value for f in at.dataframe if "Rekomendasi" in f.value.columns)
    assert len(weakest) == 10 and weakest["Rekomendasi"].str.len().min() > 0
    with session_for(seeded) as session:
        answers = session.execute(select(Answer.question_id, Answer.value).where(
            Answer.assessment_id.in_(scored_ids(seeded, "13")), Answer.not_applicable.is_(False))).all()
    first = weakest.iloc[0]
    # The question is named by its number and text, never its internal id.
    qid = next(q.id for _, q in QUESTIONNAIRE.questions() if QUESTIONNAIRE.number(q.id) == first["No."])
    assert first["Pertanyaan"] == QUESTIONNAIRE.question(qid).text.id
    values = [v for q, v in answers if q == qid]
    assert first["Rata-rata (% dari maksimum)"] == pytest.approx(round(100 * statistics.mean(values) / 3, 1))
    shares = list(weakest["Rata-rata (% dari maksimum)"])
    assert shares == sorted(shares)


def test_the_trend_has_a_point_per_period(seeded):
    at = open_page(seeded, "pimpinan13", "pimpinan_dasbor.py", {"views.period": "2025-2"})
    trend = chart(at, "dasbor.trend")["data"][0]
    assert trend["x"] == ["2025-1", "2025-2"]
    assert trend["y"][0] == pytest.approx(statistics.median(overall(seeded, scored_ids(seeded, "13"))))


def test_drill_down_reaches_the_schools_of_a_kabupaten(seeded):
    state = {"views.period": PERIOD, "dasbor.kabupaten_kota": "Kabupaten Agam"}
    at = open_page(seeded, "pimpinan13", "pimpinan_dasbor.py", state)
    table = next(f.value for f in at.dataframe if "NPSN" in f.value.columns)
    assert set(table["Kabupaten/kota"]) == {"Kabupaten Agam"} and len(table) == 8
    at.session_state["dasbor.tabel"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert errors(at) == [] and any(k.endswith("dasbor.school.radar") for k in charts(at))


def test_the_summary_is_one_printable_page_and_its_download_is_logged(seeded, monkeypatch):
    downloads = Downloads(monkeypatch)
    at = open_page(seeded, "pimpinan13", "pimpinan_ringkasan.py", {"views.period": PERIOD})
    assert errors(at) == []
    (name,) = [n for n in downloads.made if n.startswith("ringkasan-")]
    page = downloads.click(name).decode()
    assert page.startswith("<!DOCTYPE html>") and page.count('<figure class="chart"') >= 4
    assert "Sumatera Barat" in page and "Jakarta" not in page and "Z31" not in page
    assert page.count("<svg ") >= 4 and "<script" not in page  # inline SVG: it opens offline, no plotly.js
    assert len(page.encode()) < 1_000_000
    with session_for(seeded) as session:
        from storage.activity import search_audit_log

        logged = search_audit_log(session, seeded.actors["admin"], action="export", username="pimpinan13")
    assert logged[0].object_id == "ringkasan.html" and logged[0].detail["period"] == PERIOD

"""AppTest: the auditor's pages (Sekolah, Bandingkan, Tinjau, Impor massal) on a seeded
database. An auditor of Sumatera Barat (13) never sees DKI Jakarta (31) or Bali (51)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

import storage
from scoring.loader import load_questionnaire
from storage.models import Assessment, DomainScore, School
from storage.review import finish_review, review_comments

from . import views_apptest as harness
from .views_apptest import Downloads, charts, errors, open_page, session_for, shown_text
from .views_seed import FORMULA_NAME
from .views_seed import QUESTIONNAIRE as QUESTIONNAIRE_FILE

QUESTIONNAIRE = load_questionnaire(QUESTIONNAIRE_FILE)
# The shared database fixtures (a session-wide seeded file; a copy per module or per test).
seeded_template, seeded, writable, database = (harness.seeded_template, harness.seeded, harness.writable,
                                               harness.database)  # fmt: skip

PERIOD = "2025-1"
OTHER_PROVINCES = ("Z31", "Jakarta", "Z51", "Bali")


def stored_domains(db, npsn: str, period: str = PERIOD) -> dict[str, float]:
    """The stored domain scores, in the questionnaire's domain order."""
    with session_for(db) as session:
        rows = session.execute(
            select(DomainScore.domain_id, DomainScore.score)
            .join(Assessment, Assessment.id == DomainScore.assessment_id)
            .join(School, School.id == Assessment.school_id).where(School.npsn == npsn, Assessment.period == period)
        ).all()  # fmt: skip
    found = dict(rows)
    return {d.id: found.get(d.id) for d in QUESTIONNAIRE.domains}


def at_period(prefix: str, **state) -> dict:
    """Session state for a page: the seeded 2025-1 period, and more (keys without the prefix)."""
    return {"views.period": PERIOD, **{f"{prefix}.{k}": v for k, v in state.items()}}


def assert_only_province_13(at) -> None:
    text = shown_text(at)
    assert "Z13" in text
    for other in OTHER_PROVINCES:
        assert other not in text, f"{other} is shown to the auditor of province 13"


def test_the_school_table_shows_only_the_auditors_province(seeded):
    at = open_page(seeded, "auditor13", "auditor_sekolah.py", at_period("sekolah"))
    assert errors(at) == []
    (table,) = at.dataframe
    assert len(table.value) == 30 and set(table.value["NPSN"].str[:3]) == {"Z13"}
    assert_only_province_13(at)
    states = set(table.value["Status penilaian"])
    assert {"Sudah dikirim", "Draf", "Belum dimulai"} <= states


def test_the_school_table_filters_and_searches(seeded):
    at = open_page(seeded, "auditor13", "auditor_sekolah.py", at_period("sekolah", jenjang="SLB"))
    assert set(at.dataframe[0].value["Jenjang"]) == {"SLB"}
    at = open_page(seeded, "auditor13", "auditor_sekolah.py", at_period("sekolah", search="z1300002"))
    assert list(at.dataframe[0].value["NPSN"]) == ["Z1300002"]
    at = open_page(seeded, "auditor13", "auditor_sekolah.py", at_period("sekolah", state="not_started"))
    assert set(at.dataframe[0].value["Status penilaian"]) == {"Belum dimulai"}


def test_the_exports_are_escaped_scoped_and_logged(seeded, monkeypatch):
    downloads = Downloads(monkeypatch)
    at = open_page(seeded, "auditor13", "auditor_sekolah.py", at_period("sekolah"))
    assert errors(at) == []
    name = f"sekolah-cek-cepat-{PERIOD}"
    text = downloads.click(f"{name}.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # Excel in Indonesian: ";" and decimal commas
    assert len(rows) == 30 and all(r["NPSN"].startswith("Z13") for r in rows)
    scores = [r[next(c for c in rows[0] if c.startswith("Skor"))] for r in rows]
    assert any("," in s for s in scores) and not any("." in s for s in scores)
    assert "'" + FORMULA_NAME in {r["Nama sekolah"] for r in rows}  # a formula becomes text
    assert not any(other in text for other in OTHER_PROVINCES)
    workbook = downloads.click(f"{name}.xlsx")
    with zipfile.ZipFile(io.BytesIO(workbook)) as book:
        sheet = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else \
            book.read("xl/worksheets/sheet1.xml").decode()  # fmt: skip
    assert "'=HYPERLINK" in sheet and "Jakarta" not in sheet
    with session_for(seeded) as session:
        logged = storage.audit_log(session, seeded.actors["admin"], action="export")
    assert {(e.username, e.object_id) for e in logged} >= {("auditor13", "sekolah.csv"), ("auditor13", "sekolah.xlsx")}
    assert all(e.detail["rows"] == 30 for e in logged if e.username == "auditor13")


def test_opening_a_school_shows_its_stored_result(seeded):
    at = open_page(seeded, "auditor13", "auditor_sekolah.py", at_period("sekolah", search="Z1300001"))
    at.session_state["sekolah.tabel"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert errors(at) == []
    radar = next(c for k, c in charts(at).items() if k.endswith("sekolah.radar"))
    school = radar["data"][0]
    assert school["r"][:-1] == [pytest.approx(v) for v in stored_domains(seeded, "Z1300001").values()]


def test_compare_radar_and_heatmap_show_the_stored_scores(seeded):
    picked = ["Z1300001", "Z1300002"]
    at = open_page(seeded, "auditor13", "auditor_bandingkan.py", at_period("bandingkan", pick=picked))
    assert errors(at) == []
    found = charts(at)
    radar = next(c for k, c in found.items() if k.endswith("bandingkan.radar"))
    domain_order = [d for d in stored_domains(seeded, "Z1300001")]
    for trace, npsn in zip(radar["data"], picked, strict=False):
        assert npsn in trace["name"]
        assert trace["r"][:-1] == [pytest.approx(v) for v in stored_domains(seeded, npsn).values()]
    assert radar["data"][-1]["name"].startswith("Target")
    heatmap = next(c for k, c in found.items() if k.endswith("bandingkan.heatmap"))["data"][0]
    assert heatmap["zmin"] == 0 and heatmap["zmax"] == 100
    assert heatmap["y"] == list(range(len(heatmap["z"])))  # rows by position; names in the hover data
    for cells, z in zip(heatmap["customdata"], heatmap["z"], strict=True):
        npsn = cells[0][0].rsplit("(", 1)[1].rstrip(")")
        assert npsn.startswith("Z13")
        stored = stored_domains(seeded, npsn)
        assert z == [pytest.approx(stored[d]) if stored[d] is not None else None for d in domain_order]
    assert any(k.endswith("bandingkan.box") for k in found)
    assert_only_province_13(at)


def test_commonly_missed_counts_the_selection(seeded):
    at = open_page(seeded, "auditor13", "auditor_bandingkan.py", at_period("bandingkan"))
    missed = next(f.value for f in at.dataframe if "Sekolah di bawah 2" in f.value.columns)
    assert len(missed)
    assert (missed["Sekolah di bawah 2"] <= missed["Sekolah yang menjawab"]).all()
    assert list(missed["Sekolah di bawah 2"]) == sorted(missed["Sekolah di bawah 2"], reverse=True)


def test_aggregates_over_fewer_than_five_schools_are_hidden(seeded):
    # Province 13 has two SLB schools: a box plot or a count over them would point at one.
    at = open_page(seeded, "auditor13", "auditor_bandingkan.py", at_period("bandingkan", jenjang="SLB"))
    assert errors(at) == []
    notes = [i.value for i in at.info]
    assert sum("minimal 5 sekolah" in n for n in notes) == 2  # commonly missed and the box plot
    assert not any(k.endswith("bandingkan.box") for k in charts(at))
    assert any(k.endswith("bandingkan.heatmap") for k in charts(at))  # each school's own row is not an aggregate


def test_review_returns_an_assessment_and_unlocks_it_for_the_school(writable):
    db = writable
    with session_for(db) as session:
        (target,) = storage.list_assessments(session, db.actors["auditor13"], npsn="Z1300001", period=PERIOD)
    at = open_page(db, "auditor13", "auditor_tinjau.py", {"tinjau.assessment": target.id})
    assert errors(at) == []
    assert_only_province_13(at)
    question = at.radio[0].key.rsplit(":", 1)[1]
    at.radio[0].set_value(False).run()
    at.text_input(key=f"tinjau.comment:{target.id}:{question}").set_value("Lampirkan bukti.").run()
    assert next(b for b in at.button if b.label == "Verifikasi").disabled  # a disagreement blocks verifying
    next(b for b in at.button if b.label.startswith("Isi dari")).click().run()
    # The reasons name the question by its number and text, not its internal id.
    reasons = f"{QUESTIONNAIRE.number(question)} {QUESTIONNAIRE.question(question).text.id}: Lampirkan bukti."
    assert at.text_area[0].value == reasons and question not in reasons
    next(b for b in at.button if b.label == "Kembalikan ke sekolah").click().run()
    assert errors(at) == [] and any("dikembalikan" in s.value for s in at.success)
    operator = db.actors["operator13"]
    with session_for(db) as session:
        info = storage.get_assessment(session, operator, target.id)
        assert info.status == "returned" and info.return_reasons == reasons
        assert review_comments(session, operator, target.id)[question][:2] == (False, "Lampirkan bukti.")
        assert storage.save_draft(session, operator, target.id, {question: None}, info.version) == info.version + 1
        actions = [e.action for e in storage.audit_log(session, db.actors["admin"], username="auditor13")]
    assert {"review_mark", "return", "review_finished"} <= set(actions)


def marks(at) -> list:
    """The agree/disagree radios (each question also has its evidence mark)."""
    return [r for r in at.main.radio if r.key.startswith("tinjau.mark:")]


def test_review_verifies_when_every_mark_agrees(writable):
    db = writable
    with session_for(db) as session:
        (target,) = storage.list_assessments(session, db.actors["auditor13"], npsn="Z1300002", period=PERIOD)
    at = open_page(db, "auditor13", "auditor_tinjau.py", {"tinjau.assessment": target.id})
    for radio in marks(at):
        radio.set_value(True)
    at.run()
    next(b for b in at.button if b.label == "Verifikasi").click().run()
    assert errors(at) == []
    with session_for(db) as session:
        assert storage.get_assessment(session, db.actors["auditor13"], target.id).status == "verified"


def test_verifying_with_answers_not_reviewed_asks_first(writable):
    db = writable
    with session_for(db) as session:
        (target,) = storage.list_assessments(session, db.actors["auditor13"], npsn="Z1300002", period=PERIOD)
    at = open_page(db, "auditor13", "auditor_tinjau.py", {"tinjau.assessment": target.id})
    at.radio[0].set_value(True).run()
    next(b for b in at.button if b.label == "Verifikasi").click().run()
    unmarked = len(marks(at)) - 1
    assert any(f"{unmarked} jawaban belum ditinjau" in w.value for w in at.warning)
    with session_for(db) as session:  # nothing decided yet
        assert storage.get_assessment(session, db.actors["auditor13"], target.id).status == "submitted"
    next(b for b in at.button if b.label == "Batal").click().run()
    assert not any("belum ditinjau" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Verifikasi").click().run()
    next(b for b in at.button if b.label == "Ya, verifikasi").click().run()
    assert errors(at) == []
    with session_for(db) as session:
        assert storage.get_assessment(session, db.actors["auditor13"], target.id).status == "verified"


def test_returning_without_a_reason_says_so_in_indonesian(writable):
    db = writable
    with session_for(db) as session:
        (target,) = storage.list_assessments(session, db.actors["auditor13"], npsn="Z1300002", period=PERIOD)
    at = open_page(db, "auditor13", "auditor_tinjau.py", {"tinjau.assessment": target.id})
    at.text_area[0].set_value("   ")
    next(b for b in at.button if b.label == "Kembalikan ke sekolah").click().run()
    assert any("Tuliskan alasan pengembalian" in e.value for e in at.error)
    with session_for(db) as session:
        assert storage.get_assessment(session, db.actors["auditor13"], target.id).status == "submitted"
        with pytest.raises(storage.InvalidInput) as refused:  # the data layer refuses it too, in either language
            finish_review(session, db.actors["auditor13"], target.id, "returned", target.version, " ")
    assert refused.value.render("id").startswith("Tuliskan alasan") and str(refused.value).startswith("Say why")


def test_review_shows_question_numbers_not_ids(seeded):
    with session_for(seeded) as session:
        (target,) = storage.list_assessments(session, seeded.actors["auditor13"], npsn="Z1300002", period=PERIOD)
    at = open_page(seeded, "auditor13", "auditor_tinjau.py", {"tinjau.assessment": target.id})
    headings = [m.value for m in at.markdown if m.value.startswith("**")]
    assert headings[0].startswith("**1.1. ") and headings[1].startswith("**1.2. ")
    assert not any(h.startswith(f"**{q.id}.") for _, q in QUESTIONNAIRE.questions() for h in headings)


def test_the_review_queue_holds_only_the_province(seeded):
    at = open_page(seeded, "auditor13", "auditor_tinjau.py")
    options = at.selectbox(key="tinjau.pick").options
    assert options and all(o.startswith("Z13") for o in options)
    assert_only_province_13(at)


def answers_yaml(npsn: str, values: dict) -> bytes:
    body = "".join(f"  {q}: {v}\n" for q, v in values.items())
    version = load_questionnaire(QUESTIONNAIRE_FILE).version
    return f'questionnaire: cek-cepat\nversion: "{version}"\nschool: {{npsn: "{npsn}"}}\nanswers:\n{body}'.encode()


def bulk_zip(questionnaire) -> bytes:
    full = {q.id: max(questionnaire.scale_values(q)) for _, q in questionnaire.questions()}
    files = {
        "Z1300010.yaml": answers_yaml("Z1300010", full),  # not started: stored
        "Z1300009.yaml": answers_yaml("Z1300009", full),  # a draft: replaced and stored
        "salah.yaml": answers_yaml("Z1300020", full | {next(iter(full)): 7}),
        "jakarta.yaml": answers_yaml("Z3100001", full),
        "sudah.yaml": answers_yaml("Z1300001", full),  # already submitted
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def statuses(db) -> dict[tuple[str, str], str]:
    with session_for(db) as session:
        rows = session.execute(select(School.npsn, Assessment.period, Assessment.status)
                               .join(Assessment, Assessment.school_id == School.id)).all()  # fmt: skip
    return {(n, p): s for n, p, s in rows}


def press(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


@pytest.mark.parametrize("all_or_nothing", [False, True])
def test_bulk_import_reports_each_bad_file(writable, all_or_nothing):
    db = writable
    before = statuses(db)
    at = open_page(db, "auditor13", "auditor_impor.py", at_period("impor", all_or_nothing=all_or_nothing))
    at.file_uploader[0].set_value(("jawaban.zip", bulk_zip(QUESTIONNAIRE), "application/zip"))
    at.run()
    press(at, "Periksa")
    assert statuses(db) == before  # the check stores nothing
    assert any(f"Z1300009 ({PERIOD})" in w.value for w in at.warning), [w.value for w in at.warning]
    press(at, "Impor yang valid")
    assert [e.value for e in at.exception] == []
    report = at.code[-1].value
    # The page is in Bahasa Indonesia, and so is every problem.
    assert "salah.yaml:" in report and "tidak ada pada skala" in report
    assert "jakarta.yaml: npsn: 'Z3100001' bukan sekolah di provinsi Anda" in report
    assert "sudah.yaml: period: sekolah Z1300001 sudah mengirim penilaian" in report
    assert at.get("progress")
    after = statuses(db)
    if all_or_nothing:
        assert after == before and any("Tidak ada yang disimpan" in e.value for e in at.error)
    else:
        assert after[("Z1300010", PERIOD)] == "submitted" and after[("Z1300009", PERIOD)] == "submitted"
        assert {k: v for k, v in after.items() if k not in {("Z1300010", PERIOD), ("Z1300009", PERIOD)}} == \
            {k: v for k, v in before.items() if k != ("Z1300009", PERIOD)}  # fmt: skip
        assert sorted(at.dataframe[0].value["NPSN"]) == ["Z1300009", "Z1300010"]
    assert after[("Z3100001", PERIOD)] == before[("Z3100001", PERIOD)]


def test_another_provinces_auditor_cannot_import_province_13(writable):
    db = writable
    questions = [q for _, q in QUESTIONNAIRE.questions()]
    csv_text = "npsn,period," + ",".join(q.id for q in questions) + "\n" + \
        f"Z1300010,{PERIOD}," + ",".join(str(max(QUESTIONNAIRE.scale_values(q))) for q in questions) + "\n"  # fmt: skip
    at = open_page(db, "auditor31", "auditor_impor.py")
    at.file_uploader[0].set_value(("jawaban.csv", csv_text.encode(), "text/csv")).run()
    press(at, "Periksa")
    press(at, "Impor yang valid")
    assert at.code[-1].value == "jawaban.csv:2: npsn: 'Z1300010' bukan sekolah di provinsi Anda"
    assert statuses(db).get(("Z1300010", PERIOD)) is None
    with session_for(db) as session:
        denied = storage.audit_log(session, db.actors["admin"], action="access_denied", username="auditor31")
    assert [e.object_id for e in denied] == ["Z1300010", "Z1300010"]  # the check, then the import


def test_review_shows_the_evidence_logs_its_opening_and_marks_it_sufficient(writable):
    from storage.evidence import attach_evidence
    from tests.storage.evidence_samples import photo

    db = writable
    auditor, operator = db.actors["auditor13"], db.actors["operator13"]
    with session_for(db) as session:
        (target,) = storage.list_assessments(session, auditor, npsn="Z1300001", period=PERIOD)
        returned = storage.return_assessment(session, auditor, target.id, "Lampirkan bukti.", target.version)
        question = next(iter(storage.get_assessment(session, operator, target.id).answers.answers))
        attach_evidence(session, operator, target.id, question, "ruang server.jpg", photo())
        storage.submit(session, operator, target.id, returned.version)
    at = open_page(db, "auditor13", "auditor_tinjau.py", {"tinjau.assessment": target.id})
    assert errors(at) == [] and any("ruang server" in c.value for c in at.caption)
    next(x for x in at.toggle if x.label == "Lihat foto").set_value(True).run()
    assert errors(at) == [] and (at.get("imgs") or at.get("image"))
    at.radio(key=f"tinjau.mark:{target.id}:{question}").set_value(True).run()
    at.radio(key=f"tinjau.evidence:{target.id}:{question}").set_value(True).run()
    with session_for(db) as session:
        assert review_comments(session, auditor, target.id)[question].evidence_ok is True
        actions = [e.action for e in storage.audit_log(session, db.actors["admin"], username="auditor13")]
    assert "evidence_download" in actions

"""Evidence on Penilaian, the Rencana page and Hasil's similar-schools hint, through AppTest on a
real SQLite file; what the pages store is read back through the data layer."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from sqlalchemy.orm import Session

import storage
from reports.exports import to_xlsx
from reports.plan_report import plan_html
from storage.evidence import download_evidence, list_evidence
from storage.tasks import list_tasks
from tests.school_app import OWN, PERIOD, SYSTEM, VALUES, answer, answer_all_and_submit, open_page, sign_in, texts
from tests.storage import evidence_samples as samples


def stored(url: str, read):
    engine = storage.make_engine(url)
    with Session(engine) as session:
        found = read(session)
    engine.dispose()
    return found


def this_assessment(session) -> int:
    return storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0].id


def uploader(at, qid: str):
    return next(u for u in at.get("file_uploader") if u.key.startswith("evidence:") and f":{qid}:" in u.key)


def test_a_photo_attached_on_penilaian_is_stored_without_gps_and_a_program_is_refused(app):
    sign_in(app)
    open_page(app, "penilaian")
    next(b for b in app.button if b.label == "Mulai penilaian").click().run()
    answer(app, "q1", 3)
    uploader(app, "q1").upload("ruang-server.jpg", samples.photo(), "image/jpeg").run()
    assert not app.exception, [e.value for e in app.exception]
    files = stored(app.url, lambda s: list_evidence(s, SYSTEM, this_assessment(s)))
    assert [f.file_name for f in files["q1"]] == ["ruang-server.jpg"]
    content = stored(app.url, lambda s: download_evidence(s, SYSTEM, files["q1"][0].id).content)
    assert not Image.open(io.BytesIO(content)).getexif()
    app.run()
    uploader(app, "q1").upload("foto.jpg", samples.program(), "image/jpeg").run()  # the question's fragment
    shown = [e.value.replace("\\", "") for e in app.error]  # plain() escapes Markdown
    assert any("foto.jpg" in e and "q1" in e and "program (ELF)" in e for e in shown), shown
    assert len(stored(app.url, lambda s: list_evidence(s, SYSTEM, this_assessment(s)))["q1"]) == 1


def test_a_task_is_made_on_rencana_then_done(app):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "rencana")
    assert "Belum ada tugas" in texts(app)
    next(s for s in app.selectbox if s.label == "Tindakan").set_value("q2")
    next(x for x in app.text_input if x.label == "Penanggung jawab").input("Bu Sari")
    next(b for b in app.button if b.label == "Buat tugas").click().run()
    assert not app.exception, [e.value for e in app.exception]
    tasks = stored(app.url, lambda s: list_tasks(s, SYSTEM, OWN, "contoh", date.today()))
    assert [(t.question_id, t.owner, t.status) for t in tasks] == [("q2", "Bu Sari", "belum")]
    assert "Bu Sari" in texts(app)
    projected = [m.value for m in app.metric]
    next(r for r in app.radio if r.label == "Status").set_value("selesai")
    next(b for b in app.button if b.label == "Simpan").click().run()
    tasks = stored(app.url, lambda s: list_tasks(s, SYSTEM, OWN, "contoh", date.today()))
    assert tasks[0].status == "selesai" and "1 dari 1 tugas selesai" in texts(app)
    assert [m.value for m in app.metric] != projected  # no open task left: the projection is the score again
    [*(x for x in app.text_input if x.label == "Penanggung jawab")][-1].input("   ")  # the task's own form
    next(b for b in app.button if b.label == "Simpan").click().run()
    assert any("penanggung jawab" in e.value for e in app.error), [e.value for e in app.error]


def test_hasil_says_the_similar_schools_figure_is_hidden_below_five_schools(app):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "hasil")
    assert "Sekolah serupa paling sering memperbaiki ini lebih dulu" in texts(app)
    assert "paling sedikit 5 sekolah SMK" in texts(app)


def test_the_plan_exports_escape_formulas_and_html():
    rows = [{"Penanggung jawab": "=HYPERLINK(\"http://x\")", "Catatan": "<script>alert(1)</script>"}]
    page = plan_html("Rencana", {"Sekolah": "<b>SD</b>"}, "ringkas", rows, "id")
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;SD" in page
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(to_xlsx({"Rencana": rows}))).active
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\")"

"""Evidence in a real browser: the school attaches a photo on Penilaian; the auditor sees it
on Tinjau, opens it, downloads it and marks it "Bukti cukup", then returns the assessment;
the school sees the mark beside its answer. Checked against the database too.

Only the 80 other answers and the submission are made through the data layer (the answering
itself has its own browser tests); the server is this file's own, so no other test's draft
is touched."""

from __future__ import annotations

import io
import re
import sqlite3

import pytest
from PIL import Image
from playwright.sync_api import expect

import storage
from storage import db
from tests.e2e.conftest import open_select, sign_in, wait_idle
from tests.e2e.server import AppDidNotStart, running_app
from tests.e2e.test_answering_browser import QUESTIONNAIRE, open_penilaian, question_id

PASSWORD = "siaga-demo-2025"  # noqa: S105 (the demo's published password)


@pytest.fixture(scope="module")
def evidence_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evidence-e2e")
    try:
        with running_app(folder) as base:
            yield base, folder / "demo.db"
    except AppDidNotStart as err:
        pytest.fail(str(err))


def cyber_status(database) -> str:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT a.status FROM assessments a JOIN schools s ON s.id = a.school_id "
                                  "WHERE s.npsn = 'Z1300001' AND a.questionnaire_id = 'keamanan-siber-sekolah' "
                                  "ORDER BY a.period DESC LIMIT 1").fetchone()[0]


def new_page(browser, base: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base_url = base
    return page


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (320, 240), (30, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (2.0, 32.0, 10.0)}  # GPSInfo: a place, which must not survive
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def stored_files(database, qid: str) -> list[tuple[str, bytes]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT e.file_name, e.content FROM evidence e JOIN assessments a "
                                  "ON a.id = e.assessment_id JOIN schools s ON s.id = a.school_id "
                                  "WHERE s.npsn = 'Z1300001' AND e.question_id = ?", (qid,)).fetchall()


def submit_the_rest(database) -> None:
    """Answer every other question and submit, as the operator, through the data layer."""
    engine = db.make_engine(f"sqlite:///{database}")
    with db.session_factory(engine)() as session:
        operator = storage.authenticate(session, "sekolah", PASSWORD)
        draft = next(a for a in storage.list_assessments(session, operator)
                     if a.questionnaire_id == QUESTIONNAIRE.id and a.status in ("draft", "returned"))  # fmt: skip
        info = storage.get_assessment(session, operator, draft.id)
        answers = {q.id: 2 for _, q in QUESTIONNAIRE.questions()}
        version = storage.save_draft(session, operator, info.id, answers, info.version)
        storage.submit(session, operator, info.id, version)
    engine.dispose()


def test_a_photo_is_attached_opened_marked_and_the_school_sees_the_mark(browser, evidence_server, tmp_path):
    base, database = evidence_server
    qid = question_id(1, 1)

    school = new_page(browser, base)
    sign_in(school, "sekolah")
    open_penilaian(school)
    school.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        files=[{"name": "bukti-ruang-server.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}])
    school.get_by_text("Bukti bukti-ruang-server.jpg tersimpan").wait_for()
    [(name, content)] = stored_files(database, qid)
    assert name == "bukti-ruang-server.jpg" and Image.open(io.BytesIO(content)).getexif().get(0x8825) is None
    school.context.close()
    submit_the_rest(database)

    auditor = new_page(browser, base)
    sign_in(auditor, "auditor")
    auditor.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Tinjau").click()
    pick = auditor.get_by_role("combobox", name=re.compile(r"^Penilaian \("))
    open_select(auditor, pick)
    auditor.get_by_role("option", name=re.compile(r"Z1300001 · .* · keamanan-siber-sekolah")).click()
    wait_idle(auditor)
    main = auditor.locator('[data-testid="stMain"]')  # question 1.1 comes first: its widgets are the first ones
    expect(main.get_by_text(f"1.1. {QUESTIONNAIRE.question(qid).text.get('id')}")).to_be_visible()
    expect(main.get_by_text(re.compile(r"^bukti-ruang-server\.jpg · Foto"))).to_be_visible()
    main.get_by_text("Lihat foto", exact=True).first.click()
    expect(main.get_by_role("img", name=re.compile("bukti-ruang-server")).or_(
        main.locator('[data-testid="stImage"] img')).first).to_be_visible()
    with auditor.expect_download() as download_info:
        main.get_by_role("button", name="Unduh").first.click()
    path = tmp_path / "unduhan.jpg"
    download_info.value.save_as(path)
    assert path.read_bytes() == content

    main.get_by_role("radiogroup", name="Tinjauan").first.get_by_text("Setuju", exact=True).click()
    auditor.get_by_text("Pertanyaan 1.1 tersimpan").last.wait_for()
    wait_idle(auditor)
    main.get_by_role("radiogroup", name="Bukti").first.get_by_text("Bukti cukup", exact=True).click()
    auditor.get_by_text("Pertanyaan 1.1 tersimpan").last.wait_for()
    wait_idle(auditor)
    auditor.get_by_label("Alasan pengembalian (dibaca sekolah)").fill("Pertanyaan 2: lengkapi buktinya.")
    auditor.get_by_role("button", name="Kembalikan ke sekolah").click()
    # The page names the school before and after: wait for the stored return itself, or the
    # auditor's tab may close before the click's run has returned the assessment.
    for _ in range(60):  # bounded: 30 s
        if cyber_status(database) == "returned":
            break
        auditor.wait_for_timeout(500)
    assert cyber_status(database) == "returned"
    with sqlite3.connect(database) as connection:
        marks = connection.execute("SELECT m.agree, m.evidence_ok FROM review_marks m JOIN assessments a "
                                   "ON a.id = m.assessment_id JOIN schools s ON s.id = a.school_id "
                                   "WHERE s.npsn = 'Z1300001' AND m.question_id = ?", (qid,)).fetchall()
        logged = connection.execute("SELECT count(*) FROM audit_log WHERE action LIKE '%evidence%'").fetchone()[0]
    assert marks == [(1, 1)] and logged >= 2  # the upload and the auditor's openings are in the log
    auditor.context.close()

    school = new_page(browser, base)
    sign_in(school, "sekolah")
    open_penilaian(school)
    expect(school.get_by_text("Penilaian bukti oleh auditor: Bukti cukup")).to_be_visible()
    school.context.close()

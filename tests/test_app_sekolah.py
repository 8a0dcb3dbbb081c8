"""The school app driven through Streamlit's AppTest against a real SQLite file.

World: the example questionnaire (5 questions), our SMK Z1300001 in Sumatera Barat with
operator `op_a`, another school Z1300009 nobody here may see, and `peers` SMK schools
with submitted assessments for the national median.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

import storage
from scoring.engine import score
from storage.models import AuditEntry
from storage.system import system_actor
from tests.conftest import ROOT, answers_of

PASSWORD = "kata-sandi-uji-coba"
PERIOD = "2026-2"
SYSTEM = system_actor("tests")
OWN, OTHER = "Z1300001", "Z1300009"


def build_world(path, peers: int) -> str:
    url = f"sqlite:///{path}"
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    rows = ["npsn,name,jenjang,status,province_code,kabupaten_kota",
            f"{OWN},SMK Uji Satu,SMK,negeri,13,Kota Padang",
            f"{OTHER},SMK Rahasia,SMK,swasta,13,Kota Padang"]
    rows += [f"Z31000{i:02d},SMK Sebaya {i},SMK,swasta,31,Jakarta Pusat" for i in range(peers)]
    with Session(engine) as session:
        storage.import_schools(session, SYSTEM, "\n".join(rows).encode(), "schools.csv")
        storage.register_file(session, SYSTEM, ROOT / "tests" / "data" / "contoh.yaml")
        storage.create_user(session, SYSTEM, "op_a", "Operator A", "sekolah", PASSWORD, school_npsns=(OWN,))
        for i in range(peers):  # every peer at 2 everywhere: a = 6+... known medians
            info = storage.get_or_create_assessment(session, SYSTEM, f"Z31000{i:02d}", "contoh", "2026-1")
            version = storage.save_draft(session, SYSTEM, info.id, {"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 2},
                                         info.version)
            storage.submit(session, SYSTEM, info.id, version)
    engine.dispose()
    return url


@pytest.fixture
def app(tmp_path, monkeypatch, request):
    peers = getattr(request, "param", 5)
    url = build_world(tmp_path / "siaga.db", peers)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SIAGA_PERIOD", PERIOD)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.url = url
    return at.run()


def sign_in(at: AppTest, username="op_a", password=PASSWORD) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def open_page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"ui/pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [x.value for x in at.caption] + [x.value for x in at.info]
    parts += [x.value for x in at.error] + [x.value for x in at.warning] + [x.value for x in at.title]
    parts += [x.value for x in at.subheader] + [x.value for x in at.success]
    return "\n".join(map(str, parts))


def stored_answers(url: str) -> dict:
    """Our school's answers for this period, read back through the data layer."""
    engine = storage.make_engine(url)
    with Session(engine) as session:
        found = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)
        info = storage.get_assessment(session, SYSTEM, found[0].id) if found else None
    engine.dispose()
    return {q: e.value for q, e in info.answers.answers.items()} if info else {}


def start_assessment(at: AppTest) -> AppTest:
    open_page(at, "penilaian")
    next(b for b in at.button if b.label == "Mulai penilaian").click().run()
    return at


def answer(at: AppTest, qid: str, value) -> AppTest:
    radio = next(r for r in at.radio if r.key and r.key.endswith(f":{qid}") and r.key.startswith("answer:"))
    radio.set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sign_in_then_home(app):
    assert "Masuk ke Siaga Siber" in texts(app)
    sign_in(app)
    assert not app.exception
    assert "SMK Uji Satu" in texts(app) and "NPSN Z1300001" in texts(app)
    assert "Mulai penilaian" in texts(app)  # the one clear next step


def test_wrong_password_and_unknown_user_get_the_same_message(app):
    sign_in(app, "op_a", "salah-sekali-kata-sandi")
    wrong = [e.value for e in app.error]
    sign_in(app, "tidak-ada", "salah-sekali-kata-sandi")
    assert wrong == [e.value for e in app.error] and wrong


def test_no_demo_banner_or_accounts_outside_demo_mode(app):
    assert "DATA DEMO" not in texts(app) and "siaga-demo-2025" not in texts(app)


@pytest.mark.parametrize("page", ["beranda", "penilaian", "hasil", "riwayat", "unduh", "impor", "glosarium"])
def test_every_school_page_renders(app, page):
    sign_in(app)
    open_page(app, page)
    assert app.title[0].value


def test_answering_a_question_writes_it_to_the_database(app):
    sign_in(app)
    start_assessment(app)
    answer(app, "q1", 2)
    assert stored_answers(app.url) == {"q1": 2}
    answer(app, "q1", 3)
    assert stored_answers(app.url) == {"q1": 3}


def test_submit_is_refused_while_questions_are_unanswered(app):
    sign_in(app)
    start_assessment(app)
    answer(app, "q1", 3)
    next(b for b in app.button if b.label == "Kirim").click().run()
    assert "masih ada 4 pertanyaan yang belum dijawab" in texts(app)
    assert not any(b.label == "Ya, kirim sekarang" for b in app.button)


def answer_all_and_submit(at: AppTest, values: dict) -> AppTest:
    start_assessment(at)
    for qid, value in values.items():
        if qid in ("q4", "q5"):  # domain b is on the second page
            at.selectbox(key="domain").set_value("b").run()
        answer(at, qid, value)
    next(b for b in at.button if b.label == "Kirim").click().run()
    next(b for b in at.button if b.label == "Ya, kirim sekarang").click().run()
    assert "Penilaian terkirim" in texts(at), texts(at)
    return at


VALUES = {"q1": 3, "q2": 1, "q3": "na", "q4": "na", "q5": 2}


def test_radar_values_equal_the_engine_scores_and_peer_median_shows_at_five(app, contoh):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "hasil")
    expected = score(contoh, answers_of(**VALUES))
    radar = app.get("plotly_chart")[0].proto.spec
    import json
    traces = json.loads(radar)["data"]
    school = traces[0]
    assert school["r"][: len(expected.domains)] == pytest.approx([d.score for d in expected.domains])
    # five peers and our own school, each counted at its latest submission
    assert "Median nasional SMK (6 sekolah)" in [tr["name"] for tr in traces]
    median = next(tr for tr in traces if tr["name"].startswith("Median"))
    # every peer: a = (2 + 4 + 9)/18, b = (2 + 4)/9
    assert median["r"][:2] == pytest.approx([100 * 15 / 18, 100 * 6 / 9])


@pytest.mark.parametrize("app", [3], indirect=True)
def test_peer_median_is_hidden_below_five_schools(app):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "hasil")
    import json
    names = [tr["name"] for tr in json.loads(app.get("plotly_chart")[0].proto.spec)["data"]]
    assert not any(n.startswith("Median") for n in names)
    assert "baru 4 sekolah yang mengirim, minimal 5" in texts(app)


def test_submitted_assessment_is_read_only(app):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "penilaian")
    assert all(r.disabled for r in app.radio if r.key and r.key.startswith("answer:"))
    assert not any(b.label == "Kirim" for b in app.button)


def test_language_switch_changes_the_page_text(app):
    sign_in(app)
    open_page(app, "beranda")
    assert "Langkah berikutnya" in texts(app)
    app.sidebar.radio[0].set_value("en").run()
    assert "Next step" in texts(app) and "Langkah berikutnya" not in texts(app)
    assert app.title[0].value == "Home"


def test_another_schools_npsn_in_the_url_is_refused_by_the_data_layer(app):
    sign_in(app)
    app.query_params["npsn"] = OTHER
    for page in ("beranda", "hasil", "penilaian", "unduh"):
        open_page(app, page)
        assert "Akses ditolak" in texts(app), page
        assert "SMK Rahasia" not in texts(app)
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        denied = session.scalars(select(AuditEntry).where(AuditEntry.action == "access_denied")).all()
    engine.dispose()
    assert denied and all(OTHER in (e.object_id or "") + str(e.detail) for e in denied)


def test_another_schools_npsn_in_session_state_is_refused(app):
    sign_in(app)
    app.session_state["npsn"] = OTHER
    open_page(app, "hasil")
    assert "Akses ditolak" in texts(app) and "SMK Rahasia" not in texts(app)


def test_idle_session_returns_to_sign_in(app):
    sign_in(app)
    app.session_state["last_seen"] = 0
    app.run()
    assert "Masuk ke Siaga Siber" in texts(app)
    assert "30 menit tidak aktif" in texts(app)


def test_import_with_errors_stores_nothing(app):
    sign_in(app)
    open_page(app, "impor")
    bad = b"questionnaire: contoh\nanswers:\n  q1: 7\n  q9: 1\n"
    upload(app, "jawaban.yaml", bad)
    assert "jawaban.yaml:3: answers.q1" in "\n".join(c.value for c in app.code)
    assert stored_answers(app.url) == {}


def test_a_stale_save_says_so_and_shows_the_newer_answers(app):
    sign_in(app)
    start_assessment(app)
    answer(app, "q1", 2)
    # Another operator saves q2 in the meantime.
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        info = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0]
        storage.save_draft(session, SYSTEM, info.id, {"q2": 3}, info.version)
    engine.dispose()
    answer(app, "q3", 3)
    assert "sudah diubah oleh pengguna lain" in texts(app)
    assert stored_answers(app.url) == {"q1": 2, "q2": 3}  # our q3 did not overwrite anything
    q2 = next(r for r in app.radio if r.key and r.key.endswith(":q2"))
    assert q2.value == 3  # the newer answer is shown
    answer(app, "q3", 3)  # after seeing it, saving works again
    assert stored_answers(app.url) == {"q1": 2, "q2": 3, "q3": 3}


def test_language_choice_survives_a_page_change(app):
    sign_in(app)
    open_page(app, "beranda")
    app.sidebar.radio[0].set_value("en").run()
    open_page(app, "hasil")
    assert app.title[0].value == "Results"
    open_page(app, "penilaian")
    assert app.title[0].value == "Assessment"


def test_questionnaire_text_follows_the_language(app):
    sign_in(app)
    start_assessment(app)
    app.sidebar.radio[0].set_value("en").run()
    assert "Is there a security policy?" in texts(app)
    assert "Ada kebijakan keamanan?" not in texts(app)


def test_an_idle_expired_session_saves_nothing(app):
    sign_in(app)
    start_assessment(app)
    app.session_state["last_seen"] = 0
    radio = next(r for r in app.radio if r.key and r.key.endswith(":q1"))
    radio.set_value(3).run()
    assert stored_answers(app.url) == {}
    assert "Masuk ke Siaga Siber" in texts(app)


def test_after_submitting_the_page_is_read_only_at_once(app):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    assert all(r.disabled for r in app.radio if r.key and r.key.startswith("answer:"))
    assert not any(b.label == "Kirim" for b in app.button)
    assert "pengguna lain" not in texts(app)


def test_a_stale_submit_is_refused_and_reloads(app):
    sign_in(app)
    start_assessment(app)
    for qid, value in VALUES.items():
        if qid in ("q4", "q5"):
            app.selectbox(key="domain").set_value("b").run()
        answer(app, qid, value)
    next(b for b in app.button if b.label == "Kirim").click().run()
    engine = storage.make_engine(app.url)
    with Session(engine) as session:  # someone else changes q5 before the confirmation
        info = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0]
        storage.save_draft(session, SYSTEM, info.id, {"q5": 0}, info.version)
    engine.dispose()
    next(b for b in app.button if b.label == "Ya, kirim sekarang").click().run()
    assert "sudah diubah oleh pengguna lain" in texts(app)
    q5 = next(r for r in app.radio if r.key and r.key.endswith(":q5"))
    assert q5.value == 0
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        assert storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0].status == "draft"
    engine.dispose()


def test_peer_median_does_not_mix_questionnaire_versions(tmp_path):
    from storage.aggregates import peer_medians

    url = build_world(tmp_path / "siaga.db", peers=5)  # five SMK peers on version 1
    v2 = (ROOT / "tests" / "data" / "contoh.yaml").read_text().replace('version: "1"', 'version: "2"') + (
        "  - id: c\n    title: {id: Baru, en: New}\n    questions:\n      - id: q6\n"
        "        text: {id: Baru?, en: New?}\n        recommendation: {id: Lakukan., en: Do it.}\n")
    engine = storage.make_engine(url)
    with Session(engine) as session:
        storage.register_questionnaire(session, SYSTEM, v2.encode(), "contoh.yaml")
        rows = "\n".join(f"Z31001{i:02d},SMK Baru {i},SMK,negeri,31,Jakarta Barat" for i in range(6))
        storage.import_schools(session, SYSTEM, f"npsn,name,jenjang,status,province_code,kabupaten_kota\n{rows}"
                               .encode(), "baru.csv")
        for i in range(6):
            info = storage.get_or_create_assessment(session, SYSTEM, f"Z31001{i:02d}", "contoh", "2026-1")
            version = storage.save_draft(session, SYSTEM, info.id, {"q1": 3, "q2": 3, "q3": 3, "q4": 3, "q5": 3,
                                                                    "q6": 3}, info.version)
            storage.submit(session, SYSTEM, info.id, version)
        old, new = (peer_medians(session, SYSTEM, "contoh", v, "SMK") for v in ("1", "2"))
    engine.dispose()
    assert (old.schools, sorted(old.domains)) == (5, ["a", "b"])
    assert (new.schools, sorted(new.domains)) == (6, ["a", "b", "c"])
    assert new.domains["a"] == 100 and old.domains["a"] == pytest.approx(100 * 15 / 18)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.get("file_uploader")[0].upload(name, data, "application/x-yaml").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_import_replaces_the_draft_after_confirmation(app):
    sign_in(app)
    start_assessment(app)
    answer(app, "q1", 1)
    open_page(app, "impor")
    upload(app, "jawaban.yaml", b"questionnaire: contoh\nanswers:\n  q2: 3\n  q5: {value: 2, note: diuji}\n")
    assert "Impor akan menggantinya seluruhnya" in texts(app)
    assert stored_answers(app.url) == {"q1": 1}  # nothing until confirmed
    next(b for b in app.button if b.label == "Simpan sebagai draf").click().run()
    assert stored_answers(app.url) == {"q2": 3, "q5": 2}
    open_page(app, "penilaian")
    assert next(r for r in app.radio if r.key and r.key.endswith(":q1")).value is None
    assert next(r for r in app.radio if r.key and r.key.endswith(":q2")).value == 3


def test_import_of_another_schools_file_stores_nothing(app):
    sign_in(app)
    open_page(app, "impor")
    upload(app, "jawaban.yaml", f"questionnaire: contoh\nschool: {{npsn: '{OTHER}'}}\nanswers: {{q1: 3}}\n".encode())
    assert f"NPSN {OTHER}" in texts(app)
    assert not any(b.label == "Simpan sebagai draf" for b in app.button)
    assert stored_answers(app.url) == {}


def test_import_refuses_a_draft_changed_since_the_preview(app):
    sign_in(app)
    start_assessment(app)
    open_page(app, "impor")
    upload(app, "jawaban.yaml", b"questionnaire: contoh\nanswers: {q1: 3}\n")
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        info = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0]
        storage.save_draft(session, SYSTEM, info.id, {"q4": 3}, info.version)
    engine.dispose()
    next(b for b in app.button if b.label == "Simpan sebagai draf").click().run()
    assert stored_answers(app.url) == {"q4": 3}
    assert "pengguna lain" in texts(app)


@pytest.mark.parametrize("page", ["beranda", "hasil", "riwayat", "unduh"])
def test_pages_after_a_submission(app, page):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, page)
    shown = texts(app)
    assert "Periode" in shown or page in ("unduh", "riwayat")
    if page == "beranda":
        assert "Sudah dikirim" in shown and "Baca hasil" in shown
    if page == "riwayat":
        assert app.dataframe[0].value.shape[0] == 1
    if page == "unduh":
        labels = [b.proto.label for b in app.get("download_button")]
        assert labels == ["Unduh jawaban (YAML)", "Skor per domain (CSV)", "Rencana tindakan (CSV)",
                          "Buku kerja Excel", "Laporan untuk dicetak (HTML)"]


def test_the_next_step_opens_the_named_questionnaire(app):
    sign_in(app)
    next(b for b in app.button if b.label == "Penilaian").click().run()
    assert app.title[0].value == "Penilaian"
    assert any(b.label == "Mulai penilaian" for b in app.button)


def test_a_returned_assessment_shows_the_auditors_comments_and_opens_again(app):
    from storage.review import finish_review, mark_question

    sign_in(app)
    answer_all_and_submit(app, VALUES)
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        info = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0]
        mark_question(session, SYSTEM, info.id, "q2", False, "Bukti MFA tidak dilampirkan")
        info = storage.get_assessment(session, SYSTEM, info.id)
        finish_review(session, SYSTEM, info.id, "returned", info.version, "Lengkapi bukti MFA")
    engine.dispose()
    open_page(app, "beranda")
    assert "Dikembalikan untuk diperbaiki" in texts(app)
    assert "Auditor tidak setuju dengan 1 jawaban" in texts(app)
    assert "Lengkapi bukti MFA" in [x.value for x in app.text]
    open_page(app, "penilaian")
    assert "Auditor tidak setuju: Bukti MFA tidak dilampirkan" in texts(app), [c.value for c in app.caption]
    assert not any(r.disabled for r in app.radio if r.key and r.key.startswith("answer:"))
    answer(app, "q2", 3)
    assert stored_answers(app.url)["q2"] == 3


def test_a_one_time_password_must_be_replaced_before_anything_else(app):
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        storage.reset_password(session, SYSTEM, "op_a", "sekali-pakai-saja-123")
    engine.dispose()
    sign_in(app, "op_a", "sekali-pakai-saja-123")
    assert app.title[0].value == "Ganti kata sandi"
    assert "hanya berlaku sekali" in texts(app)
    app.run()  # a rerun still shows only the password form
    assert app.title[0].value == "Ganti kata sandi"

    def change(current: str, new: str) -> None:
        for field, value in zip(app.text_input, (current, new, new), strict=True):
            field.input(value)
        next(b for b in app.button if b.label == "Simpan kata sandi").click().run()

    change("sekali-pakai-saja-123", "sekali-pakai-saja-123")
    assert "ditolak" in texts(app)  # the one-time password cannot be kept
    change("sekali-pakai-saja-123", "kalimat-rahasia-milik-saya")
    assert app.title[0].value == "Beranda"
    app.session_state["actor"] = None
    app.run()
    sign_in(app, "op_a", "kalimat-rahasia-milik-saya")
    assert app.title[0].value == "Beranda"

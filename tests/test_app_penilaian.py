"""Answering through AppTest: every change saved, stale saves and submits refused visibly,
submission, imports, and an auditor's return."""

from __future__ import annotations

from sqlalchemy.orm import Session

import storage
from tests.school_app import (
    OTHER,
    OWN,
    PERIOD,
    SYSTEM,
    VALUES,
    answer,
    answer_all_and_submit,
    open_page,
    sign_in,
    start_assessment,
    stored_answers,
    texts,
    upload,
)


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


def test_submitted_assessment_is_read_only(app):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "penilaian")
    assert all(r.disabled for r in app.radio if r.key and r.key.startswith("answer:"))
    assert not any(b.label == "Kirim" for b in app.button)


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
            app.selectbox(key="_domain").set_value("b").run()
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
    app.selectbox(key="_domain").set_value("a").run()  # the page stays on the domain last in view
    assert "Auditor tidak setuju: Bukti MFA tidak dilampirkan" in texts(app), [c.value for c in app.caption]
    assert not any(r.disabled for r in app.radio if r.key and r.key.startswith("answer:"))
    answer(app, "q2", 3)
    assert stored_answers(app.url)["q2"] == 3


def test_domain_switch_then_note_keeps_the_saved_answer(app):
    """The data-loss sequence: answer, go to another domain and back, add a note. The widget
    shows what is stored, the counters come from the stored answers, and the note writes
    only the note."""
    sign_in(app)
    start_assessment(app)
    answer(app, "q1", 1)
    answer(app, "q1", 3)
    app.selectbox(key="_domain").set_value("b").run()
    app.selectbox(key="_domain").set_value("a").run()
    q1 = next(r for r in app.radio if r.key and r.key.endswith(":q1"))
    assert q1.value == 3
    progress = [element.proto.text for element in app.get("progress")]
    assert progress[0] == "1 dari 5 pertanyaan terjawab", progress
    note = next(x for x in app.text_input if x.key and x.key.endswith(":q1"))
    note.input("dicek").run()
    assert stored_answers(app.url) == {"q1": 3}
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        info = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0]
        entry = storage.get_assessment(session, SYSTEM, info.id).answers.answers["q1"]
    engine.dispose()
    assert (entry.value, entry.note) == (3, "dicek")


def test_progress_and_missing_come_from_the_stored_answers(app):
    sign_in(app)
    start_assessment(app)
    engine = storage.make_engine(app.url)
    with Session(engine) as session:  # answered elsewhere (another tab, an import)
        info = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0]
        storage.save_draft(session, SYSTEM, info.id, {"q1": 3, "q2": 1, "q3": "na", "q4": 2}, info.version)
    engine.dispose()
    next(b for b in app.button if b.label == "Kirim").click().run()
    shown = texts(app)
    assert "masih ada 1 pertanyaan" in shown
    assert "Buka domain 2" in [b.label for b in app.button]  # the one missing question's domain


def test_a_note_alone_keeps_the_stored_value(app):
    sign_in(app)
    start_assessment(app)
    answer(app, "q2", 1)
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        info = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)[0]
        version = storage.save_answer(session, SYSTEM, info.id, "q2", info.version, note="catatan saja")
        storage.save_answer(session, SYSTEM, info.id, "q2", version, value=2)
        entry = storage.get_assessment(session, SYSTEM, info.id).answers.answers["q2"]
    engine.dispose()
    assert (entry.value, entry.note) == (2, "catatan saja")

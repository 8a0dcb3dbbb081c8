"""The school app in the user's language: the sign-in page's own language switch (a phone
keeps the sidebar closed), and an Impor page that tells a bad file's problems in Indonesian."""

from __future__ import annotations

from tests.school_app import open_page, sign_in, texts, upload


def test_the_sign_in_page_offers_the_language_outside_the_sidebar(app):
    assert app.title[0].value == "Masuk ke Siaga Siber"
    switch = app.main.radio[0]
    assert switch.options == ["Bahasa Indonesia", "English"]
    switch.set_value("en").run()
    assert app.title[0].value == "Sign in to Siaga Siber"
    assert app.sidebar.radio[0].value == "en"  # the sidebar's switch follows
    app.sidebar.radio[0].set_value("id").run()
    assert app.title[0].value == "Masuk ke Siaga Siber" and app.main.radio[0].value == "id"
    sign_in(app)
    assert not app.exception and "SMK Uji Satu" in texts(app)


def test_impor_tells_a_bad_files_problems_in_indonesian(app):
    sign_in(app)
    open_page(app, "impor")
    assert any(b.proto.label == "Unduh templat jawaban kosong" for b in app.get("download_button"))
    upload(app, "jawaban.yaml", b"questionnaire: contoh\nanswers:\n  q1: 9\n  q9: 1\n  q3: 2\n")
    report = app.code[-1].value
    assert "jawaban.yaml:3: answers.q1: 9 tidak ada pada skala 'status'; gunakan 0, 1, 2, 3" in report
    assert "jawaban.yaml:4: answers.q9: id pertanyaan 'q9' tidak dikenal" in report
    assert "is not on the" not in report and "unknown question" not in report


def test_impor_in_english_tells_them_in_english(app):
    app.main.radio[0].set_value("en").run()
    sign_in(app)
    open_page(app, "impor")
    upload(app, "jawaban.yaml", b"questionnaire: contoh\nanswers: [1]\n")
    assert app.code[-1].value == "jawaban.yaml:2: answers: must be a mapping (key: value)"

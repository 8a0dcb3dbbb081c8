"""The school app through AppTest: sign-in, pages, results, language and who may see what."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import storage
from scoring.engine import score
from storage.models import AuditEntry
from tests.conftest import ROOT, answers_of
from tests.school_app import (
    OTHER,
    PASSWORD,
    SYSTEM,
    VALUES,
    answer_all_and_submit,
    build_world,
    open_page,
    sign_in,
    texts,
)
from tests.views_apptest import charts


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


def test_radar_values_equal_the_engine_scores_and_peer_median_shows_at_five(app, contoh):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "hasil")
    expected = score(contoh, answers_of(**VALUES))
    drawn = charts(app)
    traces = drawn["radar"]["data"]
    assert drawn["radar_narrow"]["data"] == traces  # the same radar, one tap away on a phone
    bars = drawn["domain_bars"]["data"][0]  # what a phone shows first: the scores, lowest on top
    assert bars["x"] == sorted(d.score for d in expected.domains)
    school = traces[0]
    assert school["r"][: len(expected.domains)] == pytest.approx([d.score for d in expected.domains])
    # five peers and our own school, each counted at its latest submission (the name wraps in the legend)
    assert "Median nasional SMK (6 sekolah)" in [tr["name"].replace("<br>", " ") for tr in traces]
    median = next(tr for tr in traces if tr["name"].startswith("Median"))
    # every peer: a = (2 + 4 + 9)/18, b = (2 + 4)/9
    assert median["r"][:2] == pytest.approx([100 * 15 / 18, 100 * 6 / 9])


def test_action_gains_are_written_with_the_pages_decimal_separator(app, contoh):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "hasil")
    gains = [f"{a.gain:.1f}" for a in score(contoh, answers_of(**VALUES)).actions]
    assert any("." in g for g in gains), gains  # the check means something only with a fraction
    shown = [c.value for c in app.caption if "menambah skor keseluruhan" in c.value]
    # every action, the top five and those under "Lihat semua"
    assert [s.rsplit("keseluruhan ", 1)[1] for s in shown] == [f"{g.replace('.', ',')} poin" for g in gains]
    app.sidebar.radio[0].set_value("en").run()
    shown = [c.value for c in app.caption if "adds" in c.value and "to the overall score" in c.value]
    assert len(shown) == len(gains) and all(f"adds {g} " in s for s, g in zip(shown, gains, strict=True))


@pytest.mark.parametrize("app", [3], indirect=True)
def test_peer_median_is_hidden_below_five_schools(app):
    sign_in(app)
    answer_all_and_submit(app, VALUES)
    open_page(app, "hasil")
    names = [tr["name"] for tr in charts(app)["radar"]["data"]]
    assert not any(n.startswith("Median") for n in names)
    assert "baru 4 sekolah yang mengirim, minimal 5" in texts(app)


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


def test_a_missing_school_in_the_url_gets_the_same_answer_as_another_schools(app):
    sign_in(app)
    shown = {}
    for npsn in (OTHER, "Z1399999"):  # another school that exists; none at all
        app.query_params["npsn"] = npsn
        open_page(app, "hasil")
        shown[npsn] = ([e.value for e in app.error], [i.value for i in app.info])
    assert shown[OTHER] == shown["Z1399999"] and shown[OTHER][0]


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


def test_language_choice_survives_a_page_change(app):
    sign_in(app)
    open_page(app, "beranda")
    app.sidebar.radio[0].set_value("en").run()
    open_page(app, "hasil")
    assert app.title[0].value == "Results"
    open_page(app, "penilaian")
    assert app.title[0].value == "Assessment"


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
        assert labels == ["Buku kerja Excel (.xlsx)", "Formulir HTML untuk ponsel", "Formulir cetak (A4)",
                          "Unduh jawaban (YAML)", "Skor per domain (CSV)", "Rencana tindakan (CSV)",
                          "Buku kerja Excel", "Laporan untuk dicetak (HTML)"]


def test_the_next_step_opens_the_named_questionnaire(app):
    sign_in(app)
    next(b for b in app.button if b.label == "Penilaian").click().run()
    assert app.title[0].value == "Penilaian"
    assert any(b.label == "Mulai penilaian" for b in app.button)


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


@pytest.mark.parametrize(("lang", "words"), [("id", "satu karakter yang diulang"), ("en", "one character repeated")])
def test_a_refused_new_password_is_explained_in_the_users_language(app, lang, words):
    sign_in(app)
    app.sidebar.radio[0].set_value(lang).run()
    open_page(app, "kata_sandi")
    current, new, again = app.text_input[-3:]
    current.input(PASSWORD)
    new.input("aaaaaaaaaaaa")
    again.input("aaaaaaaaaaaa")
    next(b for b in app.button if b.label in ("Simpan kata sandi", "Save the password")).click().run()
    assert any(words in m.value for m in app.markdown), texts(app)

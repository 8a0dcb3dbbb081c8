"""Answering sequences in a real browser, checked against what the database holds:
answer, change domain, come back, add a note; two tabs on one draft; a reload."""

from __future__ import annotations

import re
import sqlite3
import time

from playwright.sync_api import expect

from scoring.loader import load_questionnaire
from tests.conftest import ROOT
from tests.e2e.conftest import open_select, sign_in, wait_idle

CYBER = "Kesiapan Keamanan Siber Sekolah"
LABELS = ["Tidak dilakukan", "Dalam perencanaan", "Diterapkan sebagian", "Diterapkan menyeluruh"]
QUESTIONNAIRE = load_questionnaire(ROOT / "questionnaires" / "keamanan-siber-sekolah.yaml")
TOTAL = sum(len(d.questions) for d in QUESTIONNAIRE.domains)


def question_id(domain: int, number: int) -> str:
    return QUESTIONNAIRE.domains[domain - 1].questions[number - 1].id


def db_rows(database, sql: str, *params) -> list[tuple]:
    """The demo school's rows in this period's cyber assessment."""
    scope = ("SELECT s.id FROM assessments s JOIN schools k ON k.id = s.school_id WHERE k.npsn = 'Z1300001' "
             "AND s.questionnaire_id = 'keamanan-siber-sekolah' ORDER BY s.period DESC LIMIT 1")
    with sqlite3.connect(database) as connection:
        return connection.execute(sql.replace("{assessment}", f"({scope})"), params).fetchall()


def stored(database, qid: str) -> tuple | None:
    rows = db_rows(database, "SELECT value, note FROM answers WHERE assessment_id = {assessment} "
                             "AND question_id = ?", qid)
    return rows[0] if rows else None


def stored_count(database) -> int:
    return db_rows(database, "SELECT count(*) FROM answers WHERE assessment_id = {assessment}")[0][0]


def eventually(check, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the database never showed the change"
        time.sleep(0.2)


def open_penilaian(page) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Penilaian").click()
    page.get_by_role("heading", name="Penilaian", exact=True).wait_for()
    box = page.get_by_role("combobox", name="Kuesioner")
    if box.input_value() != CYBER:
        open_select(page, box)
        page.get_by_role("option", name=CYBER).click()
    if page.get_by_role("button", name="Mulai penilaian").count():
        page.get_by_role("button", name="Mulai penilaian").click()
    page.locator('[data-testid="stRadio"]').first.wait_for()
    wait_idle(page)


def choose_domain(page, number: int) -> None:
    box = page.get_by_role("combobox", name="Domain")
    open_select(page, box)
    page.get_by_role("option", name=re.compile(rf"^{number}\. ")).click()
    expect(box).to_have_value(re.compile(rf"^{number}\. "))
    wait_idle(page)


def radio(page, number: int):
    return page.locator('[data-testid="stMain"] [data-testid="stRadio"]').nth(number - 1)


def shown(page, number: int) -> str | None:
    group = radio(page, number)
    return next((label for label in LABELS if group.get_by_label(label, exact=True).is_checked()), None)


def answer(page, number: int, label: str) -> None:
    radio(page, number).get_by_text(label, exact=True).click()
    page.get_by_text(f"Pertanyaan {number} tersimpan").last.wait_for()
    wait_idle(page)


def other_label(current: str | None) -> str:
    return LABELS[(LABELS.index(current) + 1) % len(LABELS)] if current else LABELS[3]


def shown_total(page) -> int:
    text = page.get_by_text(re.compile(r"dari \d+ pertanyaan terjawab")).inner_text()
    return int(text.split()[0])


def test_a_saved_answer_survives_domain_changes_and_a_note(page, demo_database):
    """The issue's sequence: answer domain 4 question 1, go to domain 5 and back (by the
    button and by the select box), then add a note: the answer shown and stored stays."""
    sign_in(page, "sekolah")
    open_penilaian(page)
    choose_domain(page, 4)
    qid = question_id(4, 1)
    before = stored(demo_database, qid)
    new = other_label(shown(page, 1))
    answer(page, 1, new)
    eventually(lambda: stored(demo_database, qid) and stored(demo_database, qid)[0] == LABELS.index(new))
    assert stored(demo_database, qid) != before

    page.get_by_role("button", name="Domain berikutnya").click()
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Domain")).to_have_value(re.compile(r"^5\. "))
    choose_domain(page, 4)
    assert shown(page, 1) == new
    assert shown_total(page) == stored_count(demo_database)

    choose_domain(page, 5)
    choose_domain(page, 4)
    assert shown(page, 1) == new
    assert shown_total(page) == stored_count(demo_database)

    note = page.get_by_label("Catatan (opsional)").first
    note.fill("sudah dicek di lab")
    note.press("Enter")
    page.get_by_text("Pertanyaan 1 tersimpan").last.wait_for()
    eventually(lambda: stored(demo_database, qid) == (LABELS.index(new), "sudah dicek di lab"))
    assert shown(page, 1) == new


def test_two_tabs_a_stale_save_is_refused_and_shown(browser, demo_server, demo_database):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        tab.set_default_timeout(30_000)
        tab.base_url = demo_server
        sign_in(tab, "sekolah")
        open_penilaian(tab)
        choose_domain(tab, 4)
    q2, q3 = question_id(4, 2), question_id(4, 3)
    by_first = other_label(shown(first, 2))
    answer(first, 2, by_first)
    eventually(lambda: stored(demo_database, q2)[0] == LABELS.index(by_first))

    before = stored(demo_database, q3)
    attempted = other_label(shown(second, 3))
    radio(second, 3).get_by_text(attempted, exact=True).click()
    second.get_by_text("sudah diubah oleh pengguna lain").wait_for()
    wait_idle(second)
    assert stored(demo_database, q3) == before  # refused, not written
    assert shown(second, 2) == by_first  # and the newer answers are shown
    assert shown(second, 3) == (LABELS[before[0]] if before and before[0] is not None else None)

    answer(second, 3, attempted)  # after the reload the same change goes through
    eventually(lambda: stored(demo_database, q3)[0] == LABELS.index(attempted))
    context.close()


def test_a_reload_keeps_the_domain_and_the_answer(page, demo_database):
    sign_in(page, "sekolah")
    open_penilaian(page)
    choose_domain(page, 5)
    new = other_label(shown(page, 2))
    answer(page, 2, new)
    eventually(lambda: stored(demo_database, question_id(5, 2))[0] == LABELS.index(new))

    page.reload()
    page.get_by_role("heading", name="Masuk ke Siaga Siber").wait_for()  # a refresh signs out
    page.get_by_label("Nama pengguna").fill("sekolah")
    page.get_by_label("Kata sandi").fill("siaga-demo-2025")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Penilaian", exact=True).wait_for()
    page.locator('[data-testid="stRadio"]').first.wait_for()
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Domain")).to_have_value(re.compile(r"^5\. "))
    assert shown(page, 2) == new

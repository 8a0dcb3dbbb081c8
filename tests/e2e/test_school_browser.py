"""The demo school operator in a real browser: answer, reload, find the answer, see the radar."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in, wait_connected, wait_idle


def open_nav(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()


CYBER = "Kesiapan Keamanan Siber Sekolah"


def choose_questionnaire(page, title: str) -> None:
    box = page.get_by_role("combobox", name="Kuesioner")
    if box.input_value() != title:
        box.click()
        page.get_by_role("option", name=title).click()
        expect(box).to_have_value(title)
    wait_idle(page)


def first_question(page):
    return page.locator('[data-testid="stRadio"]').filter(has_text="Diterapkan menyeluruh").first


def test_answer_survives_a_reload_and_results_show_the_radar(page):
    sign_in(page, "sekolah")
    screenshot(page, "01-beranda")
    open_nav(page, "Penilaian")
    choose_questionnaire(page, CYBER)
    if page.get_by_role("button", name="Mulai penilaian").count():
        page.get_by_role("button", name="Mulai penilaian").click()
    question = first_question(page)
    question.wait_for()
    # Pick an answer different from the stored one, so the check below proves the save.
    checked = question.locator("input:checked")
    choice = "Dalam perencanaan" if checked.count() and question.get_by_text(
        "Diterapkan menyeluruh").is_checked() else "Diterapkan menyeluruh"
    question.get_by_text(choice, exact=True).click()
    page.get_by_text("Tersimpan").first.wait_for()
    screenshot(page, "02-penilaian-dijawab")

    page.reload()
    wait_connected(page)
    page.get_by_role("heading", name="Masuk ke Siaga Siber").wait_for()  # a refresh signs out
    sign_in(page, "sekolah")
    open_nav(page, "Penilaian")
    choose_questionnaire(page, CYBER)
    question = first_question(page)
    question.wait_for()
    assert question.get_by_label(choice, exact=True).is_checked()
    screenshot(page, "03-penilaian-setelah-muat-ulang")

    open_nav(page, "Hasil")
    choose_questionnaire(page, CYBER)
    radar = page.locator(".st-key-wide_scores .js-plotly-plot")  # a laptop sees the radar (a phone the bars)
    radar.wait_for()
    assert radar.locator(".polarlayer, .polar").count() > 0
    assert radar.locator("path").count() > 3  # the polygons are drawn
    screenshot(page, "04-hasil-radar")


def test_a_bookmarked_page_lands_on_sign_in_then_on_that_page(page):
    page.goto(page.base_url + "/hasil")
    wait_connected(page)
    page.get_by_role("heading", name="Masuk ke Siaga Siber").wait_for()
    assert page.get_by_text("Page not found").count() == 0
    page.get_by_label("Nama pengguna").fill("sekolah")
    page.get_by_label("Kata sandi").fill("siaga-demo-2025")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Hasil", exact=True).wait_for()
    screenshot(page, "05-bookmark-hasil")

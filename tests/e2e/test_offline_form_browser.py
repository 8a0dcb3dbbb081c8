"""The single-file HTML form in headless Chromium with the network blocked: answer, reload and
find the answers kept; save, and the downloaded JSON reads back to exactly those answers."""

from __future__ import annotations

import json

import pytest

from offline import build_html_form, read_form
from scoring.models import School
from tests.e2e.conftest import screenshot
from tests.offline.helpers import QUESTIONNAIRES

FORM_URL = "http://sekolah.invalid/formulir.html"  # never resolved: every request is answered by the route


@pytest.fixture
def offline_page(browser):
    """A phone-sized page whose only reachable resource is the form itself."""
    questionnaire = QUESTIONNAIRES["keamanan-siber-sekolah"]
    school = School(npsn="20100001", name="SD Negeri <Contoh> 1", jenjang="SD")
    page_html = build_html_form(questionnaire, "id", school)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  accept_downloads=True)
    requests, problems = [], []

    def route(request_route):
        requests.append(request_route.request.url)
        if request_route.request.url == FORM_URL:
            request_route.fulfill(status=200, content_type="text/html; charset=utf-8", body=page_html)
        else:
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.set_default_timeout(15_000)
    yield page, questionnaire, requests, problems
    context.close()


def test_answers_survive_a_reload_and_the_saved_file_reads_back(offline_page, tmp_path):
    page, questionnaire, requests, problems = offline_page
    page.goto(FORM_URL)
    first, second = questionnaire.domains[0].questions[:2]
    na_question = next(q for _, q in questionnaire.questions() if q.allow_na)
    page.locator(f'input[type=radio][name="{first.id}"][value="2"]').check()
    page.locator(f'textarea[name="note:{first.id}"]').fill("=SUM(A1) <b>draf</b>")
    page.locator(f'input[type=radio][name="{second.id}"][value="3"]').check()
    page.locator("#lang-en").click()
    assert page.get_by_text("Save answers file").is_visible()
    page.locator("#next").click()
    assert page.locator("#domain-1").is_visible() and not page.locator("#domain-0").is_visible()
    for index, domain in enumerate(questionnaire.domains):
        if any(q.id == na_question.id for q in domain.questions):
            while not page.locator(f"#domain-{index}").is_visible():
                page.locator("#next").click()
    page.locator(f'input[type=radio][name="{na_question.id}"][value="na"]').check()
    screenshot(page, "offline-form-answered")

    page.reload()
    assert page.locator(f'input[type=radio][name="{first.id}"][value="2"]').is_checked()
    assert page.locator(f'input[type=radio][name="{second.id}"][value="3"]').is_checked()
    assert page.locator(f'input[type=radio][name="{na_question.id}"][value="na"]').is_checked()
    assert page.locator(f'textarea[name="note:{first.id}"]').input_value() == "=SUM(A1) <b>draf</b>"
    assert page.locator("html").get_attribute("lang") == "en"  # the language choice is kept too
    assert page.locator("#count").text_content() == f"3 / {len(questionnaire.questions())}"

    with page.expect_download() as download_info:
        page.locator("#simpan").click()
    download = download_info.value
    assert download.suggested_filename == f"jawaban-keamanan-siber-sekolah-v{questionnaire.version}-20100001.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["school"] == {"npsn": "20100001", "name": "SD Negeri <Contoh> 1", "jenjang": "SD"}
    answers = read_form(path.read_bytes(), path.name)
    assert {qid: (e.value, e.note) for qid, e in answers.answers.items()} == {
        first.id: (2, "=SUM(A1) <b>draf</b>"), second.id: (3, None), na_question.id: ("na", None)}
    assert answers.school.npsn == "20100001"
    assert page.locator("#status").text_content().startswith("Answers file saved (3 answers)")
    assert set(requests) == {FORM_URL}, requests  # nothing but the file itself was ever asked for
    assert problems == []  # no CSP violation, no script error


def test_clearing_an_answer_removes_it_after_reload(offline_page):
    page, questionnaire, _, problems = offline_page
    page.goto(FORM_URL)
    first = questionnaire.domains[0].questions[0]
    page.locator(f'input[type=radio][name="{first.id}"][value="1"]').check()
    page.locator(f'button[data-clear="{first.id}"]').click()
    page.reload()
    assert not page.locator(f'input[type=radio][name="{first.id}"]:checked').count()
    assert problems == []

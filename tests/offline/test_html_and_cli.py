"""The HTML and paper forms as built (size, policy, escaping, the test hooks), and the
`python -m offline` command line with its exit codes."""

from __future__ import annotations

import html.parser
import json
import subprocess
import sys

import pytest

from offline import build_html_form, build_paper_form
from scoring.models import Questionnaire, School
from tests.conftest import ROOT
from tests.offline.helpers import QUESTIONNAIRES

HOSTILE = '<script>alert(1)</script>"\'&<img src=x onerror=alert(2)>'


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(text: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(text)
    return parser.tags


@pytest.mark.parametrize("qid", sorted(QUESTIONNAIRES))
def test_html_form_is_one_small_file_with_the_hooks(qid):
    questionnaire = QUESTIONNAIRES[qid]
    page = build_html_form(questionnaire, "id", School(npsn="20100001", name="SD Contoh"))
    assert len(page.encode()) < 400 * 1024
    found = tags(page)
    policy = next(a["content"] for t, a in found if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert policy.startswith("default-src 'none'; style-src 'sha256-") and "unsafe" not in policy
    assert not [a for t, a in found if "src" in a or "href" in a]  # nothing to fetch
    radios = {(a["name"], a["value"]) for t, a in found if t == "input" and a.get("type") == "radio"}
    expected = {(q.id, str(o.value)) for _, q in questionnaire.questions() for o in questionnaire.scales[q.scale]}
    expected |= {(q.id, "na") for _, q in questionnaire.questions() if q.allow_na}
    assert radios == expected
    notes = {a["name"] for t, a in found if t == "textarea"}
    assert notes == {f"note:{q.id}" for _, q in questionnaire.questions()}
    assert [a for t, a in found if a.get("id") == "simpan"]


def _hostile(questionnaire: Questionnaire) -> Questionnaire:
    data = questionnaire.model_dump()
    data["title"]["id"] = HOSTILE
    data["domains"][0]["questions"][0]["text"]["en"] = HOSTILE
    return Questionnaire.model_validate(data)


@pytest.mark.parametrize("build", [build_html_form, build_paper_form])
def test_questionnaire_and_school_text_is_escaped(build):
    page = build(_hostile(QUESTIONNAIRES["cek-cepat"]), "id", School(npsn="20100001", name=HOSTILE, province=HOSTILE))
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    scripts = [t for t, _ in tags(page) if t == "script"]
    assert len(scripts) == (2 if build is build_html_form else 0)


def test_the_embedded_data_cannot_end_its_script_block():
    page = build_html_form(QUESTIONNAIRES["cek-cepat"], "id", School(npsn="20100001", name="</script><b>x"))
    block = page.split('<script type="application/json" id="meta">')[1].split("</script>")[0]
    assert json.loads(block)["school"]["name"] == "</script><b>x"


def test_paper_form_is_a4_with_boxes_and_ids():
    questionnaire = QUESTIONNAIRES["keamanan-siber-sekolah"]
    page = build_paper_form(questionnaire, "en")
    assert "@page{size:A4" in page and "@media print" in page
    for _, question in questionnaire.questions():
        assert f"<code>{question.id}</code>" in page
    boxes = sum(len(questionnaire.scales[q.scale]) + q.allow_na for _, q in questionnaire.questions())
    assert page.count("<li>") == boxes


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "offline", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, check=False, input=stdin)


@pytest.mark.parametrize("qid", sorted(QUESTIONNAIRES))
@pytest.mark.parametrize("fmt", ["xlsx", "html", "paper"])
def test_cli_builds_every_form_of_every_questionnaire(tmp_path, qid, fmt):
    out = tmp_path / f"form.{fmt}"
    done = run("build", "-q", qid, "--format", fmt, "-o", out, "--lang", "en", "--npsn", "20100001",
               "--school-name", "SD Contoh", "--jenjang", "SD", "--province", "Jawa Barat")
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 1000


def test_cli_read_writes_the_answers_file_and_exit_codes(tmp_path):
    from tests.offline.test_bad_input import edited, set_answer

    good, bad = tmp_path / "baik.xlsx", tmp_path / "salah.xlsx"
    good.write_bytes(edited(set_answer("tk.penanggung-jawab", 2)))
    bad.write_bytes(edited(set_answer("tk.penanggung-jawab", "Sering")))
    done = run("read", good)
    assert done.returncode == 0, done.stderr
    version = QUESTIONNAIRES["keamanan-siber-sekolah"].version
    expected = f"questionnaire: keamanan-siber-sekolah\nversion: '{version}'\nanswers:\n  tk.penanggung-jawab: 2\n"
    assert expected == done.stdout
    done = run("read", good, bad, "--out", tmp_path)
    assert done.returncode == 1
    assert f"{bad}:Jawaban!E2: " in done.stderr and "'Sering' bukan jawaban yang sah" in done.stderr
    assert (tmp_path / "baik.yaml").exists() and not (tmp_path / "salah.yaml").exists()
    assert run("read", good, bad).returncode == 2  # several files need --out
    assert run("read", tmp_path / "tidak-ada.xlsx").returncode == 2
    assert run("build", "-q", "tidak-ada", "--format", "xlsx", "-o", tmp_path / "x.xlsx").returncode == 2
    bad_npsn = run("build", "-q", "cek-cepat", "--format", "xlsx", "-o", tmp_path / "x.xlsx", "--npsn", "12")
    assert bad_npsn.returncode == 2 and "npsn" in bad_npsn.stderr
    assert run("build", "-q", "cek-cepat", "--format", "pdf", "-o", tmp_path / "x").returncode == 2

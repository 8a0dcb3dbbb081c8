"""Build → fill → read gives the same Answers and the same scores, for every shipped
questionnaire: labels and typed numbers written with openpyxl, rows sorted, the HTML form's
JSON, and a LibreOffice re-save scored with the real command lines."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offline import build_workbook, read_form
from offline.forms import content_hash
from scoring.answers_file import answers_yaml
from scoring.engine import score
from scoring.models import School
from tests.conftest import ROOT
from tests.offline.helpers import QUESTIONNAIRES, fill, libreoffice_resave, random_answers

NOTES = ["", "", "kebijakan masih draf", "=SUM(A1:A9)", "+62 812", "Catatan: <b>tebal</b> & \"kutip\"", "ü ñ 中文 ✓"]
SCHOOL = School(npsn="20100001", name="SD Negeri Contoh 1", jenjang="SD", province="Jawa Barat")


@pytest.mark.parametrize("qid", sorted(QUESTIONNAIRES))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["labels", "numbers"]), lang=st.sampled_from(["id", "en"]),
       shuffle=st.booleans())
def test_workbook_round_trip(qid, seed, mode, lang, shuffle):
    questionnaire = QUESTIONNAIRES[qid]
    rng = random.Random(seed)
    answers = random_answers(questionnaire, rng, NOTES).model_copy(update={"school": SCHOOL})
    filled = fill(build_workbook(questionnaire, lang, SCHOOL), questionnaire, answers, mode, rng, shuffle)
    back = read_form(filled, f"{qid}.xlsx", questionnaire)
    assert back == answers
    assert score(questionnaire, back) == score(questionnaire, answers)


@pytest.mark.parametrize("qid", sorted(QUESTIONNAIRES))
def test_the_questionnaire_is_found_from_the_workbook_itself(qid):
    questionnaire = QUESTIONNAIRES[qid]
    answers = random_answers(questionnaire, random.Random(1))
    filled = fill(build_workbook(questionnaire), questionnaire, answers, "labels", random.Random(1))
    assert read_form(filled, "x.xlsx") == answers  # no questionnaire given: the bundled one it names


@pytest.mark.parametrize("qid", sorted(QUESTIONNAIRES))
def test_html_form_json_round_trip(qid):
    """The file the HTML form's script saves (its shape is pinned by the browser test)."""
    questionnaire = QUESTIONNAIRES[qid]
    answers = random_answers(questionnaire, random.Random(7), NOTES).model_copy(update={"school": SCHOOL})
    saved = {"questionnaire": qid, "version": questionnaire.version, "school": SCHOOL.model_dump(exclude_none=True),
             "answers": {k: e.value if e.note is None else {"value": e.value, "note": e.note}
                         for k, e in answers.answers.items()},
             "form": {"format": "siaga-offline-1", "hash": content_hash(questionnaire), "lang": "id",
                      "saved_at": "2026-12-01T10:00:00.000Z"}}  # fmt: skip
    assert read_form(json.dumps(saved, indent=2).encode(), "jawaban.json") == answers


def _scores(questionnaire_path, files) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "scoring", "score", "-q", str(questionnaire_path), "--format",
                           "jsonl", *map(str, files)], cwd=ROOT, capture_output=True, text=True, check=True)
    return [{k: v for k, v in json.loads(line).items() if k != "file"} for line in done.stdout.splitlines()]


def test_libreoffice_resave_reads_back_the_same_answers_and_scores(tmp_path):
    rng = random.Random(2026)
    originals, workbooks = [], []
    for qid, questionnaire in sorted(QUESTIONNAIRES.items()):
        for mode in ("labels", "numbers"):
            answers = random_answers(questionnaire, rng, NOTES).model_copy(update={"school": SCHOOL})
            path = tmp_path / f"{qid}-{mode}.xlsx"
            path.write_bytes(fill(build_workbook(questionnaire, "id", SCHOOL), questionnaire, answers, mode, rng,
                                  shuffle=mode == "numbers"))
            (tmp_path / f"{qid}-{mode}.yaml").write_text(answers_yaml(questionnaire, answers), encoding="utf-8")
            originals.append((qid, answers))
            workbooks.append(path)
    resaved = libreoffice_resave(workbooks)
    out = tmp_path / "read"
    out.mkdir()
    done = subprocess.run([sys.executable, "-m", "offline", "read", *map(str, resaved), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for (qid, answers), path in zip(originals, resaved, strict=True):
        assert path.read_bytes() != (tmp_path / path.name).read_bytes()  # LibreOffice really rewrote it
        assert read_form(path.read_bytes(), path.name) == answers
        questionnaire_path = ROOT / "questionnaires" / f"{qid}.yaml"
        read_back, original = out / f"{path.stem}.yaml", tmp_path / f"{path.stem}.yaml"
        assert _scores(questionnaire_path, [read_back]) == _scores(questionnaire_path, [original])

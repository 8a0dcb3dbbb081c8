"""The blank files and examples offered for offline work are generated from the questionnaire
and valid for it, for every bundled questionnaire, in both CSV conventions."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports import templates
from scoring.loader import load_questionnaire, parse_answers
from storage.bulk_files import read_entries

QUESTIONNAIRES = sorted((Path(__file__).resolve().parent.parent / "questionnaires").glob("*.yaml"))
BUNDLED = [p for p in QUESTIONNAIRES if p.stem != "glossary"]


def test_the_bundled_questionnaires_are_found():
    assert len(BUNDLED) >= 3


@pytest.fixture(params=BUNDLED, ids=lambda p: p.stem)
def questionnaire(request):
    return load_questionnaire(request.param)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_csv_example_row_is_valid_for_the_questionnaire(questionnaire, lang):
    text = templates.csv_example(questionnaire, "2025-1", lang)
    assert text.splitlines()[0].startswith("npsn;period;" if lang == "id" else "npsn,period,")
    entries, problems, rows = read_entries(("\ufeff" + text).encode(), "contoh.csv", questionnaire)
    assert problems == [] and rows == 1
    assert len(entries[0].answers.answers) == len(questionnaire.questions())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_blank_csv_template_has_the_header_only(questionnaire, lang):
    raw = templates.csv_template(questionnaire, lang)
    assert raw.startswith(b"\xef\xbb\xbf")
    _, problems, _ = read_entries(raw, "templat.csv", questionnaire)
    assert [p.message.code for p in problems] == ["csv.no_rows"]  # a valid header, nothing else


def test_the_yaml_example_uses_values_of_each_questions_scale(questionnaire):
    text = templates.yaml_example(questionnaire, count=len(questionnaire.questions()))
    answers = parse_answers(text.encode(), "20100001.yaml", questionnaire)
    assert len(answers.answers) == len(questionnaire.questions())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_blank_answers_file_filled_in_is_a_valid_answers_file(questionnaire, lang):
    text = templates.answers_template(questionnaire, lang)
    example = templates.example_answers(questionnaire)
    for qid, value in example.items():
        assert f"  # {qid}:\n" in text
        text = text.replace(f"  # {qid}:\n", f"  {qid}: {value}\n")
    answers = parse_answers(text.encode(), "jawaban.yaml", questionnaire)
    assert {q: e.value for q, e in answers.answers.items()} == example

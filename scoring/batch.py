"""Scoring many answers files: the command line's jsonl mode, bulk imports, rebuilds.

Each file is parsed once without line bookkeeping and checked against the
questionnaire's lookup (`answers_check`). Only a file that fails the check is read
again by the model path, which names every problem with its line.
"""

from __future__ import annotations

from pathlib import Path

from . import safeyaml
from .answers_check import valid_values
from .engine import answer_values, result_data
from .loader import parse_answers, read_bytes
from .models import Baseline, Questionnaire


def answers_values(raw: bytes, source: str, questionnaire: Questionnaire) -> tuple[dict[str, int | str], str | None]:
    """(question id -> value, the school's jenjang) of a valid answers file; else LoadError with every problem."""
    try:
        checked = valid_values(questionnaire, safeyaml.parse(raw, track_lines=False).data)
    except safeyaml.YamlProblem:
        checked = None
    if checked is not None:
        return checked
    answers = parse_answers(raw, source, questionnaire)  # raises LoadError naming each problem
    return answer_values(answers), answers.school.jenjang if answers.school else None


def score_file(path: Path, questionnaire: Questionnaire, baseline: Baseline | None = None,
               jenjang: str | None = None) -> dict:
    """The result of one answers file as JSON-ready data (`engine.Result`'s fields)."""
    values, school_jenjang = answers_values(read_bytes(path), str(path), questionnaire)
    return result_data(questionnaire, values, baseline, jenjang or school_jenjang)

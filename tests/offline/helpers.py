"""Filling offline forms the way a school would: openpyxl writing labels or typed numbers,
LibreOffice re-saving, and random answers for every shipped questionnaire."""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from offline.workbook import SHEET
from scoring.loader import load_questionnaire
from scoring.models import NA, AnswerEntry, Answers, Questionnaire
from tests.conftest import ROOT

SHIPPED = sorted(p for p in (ROOT / "questionnaires").glob("*.yaml") if p.name != "glossary.yaml")
assert len(SHIPPED) >= 3, "the shipped questionnaires moved"
QUESTIONNAIRES = {p.stem: load_questionnaire(p) for p in SHIPPED}


def random_answers(questionnaire: Questionnaire, rng: random.Random, notes: list[str] = ("",)) -> Answers:
    entries = {}
    for _, question in questionnaire.questions():
        choices = [None, *sorted(questionnaire.scale_values(question))] + ([NA] if question.allow_na else [])
        value = rng.choice(choices)
        if value is not None:
            entries[question.id] = AnswerEntry(value=value, note=rng.choice(notes) or None)
    return Answers(questionnaire=questionnaire.id, version=questionnaire.version, answers=entries)


def fill(data: bytes, questionnaire: Questionnaire, answers: Answers, mode: str, rng: random.Random,
         shuffle: bool = False) -> bytes:
    """Write `answers` into a built workbook: mode 'labels' (either language, any case) or 'numbers'."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=6)]
    if shuffle:  # a user sorting or reordering rows: the reader goes by question id
        rng.shuffle(rows)
    for number, row in enumerate(rows, start=2):
        entry = answers.answers.get(row[0])
        row[4], row[5] = (_typed(questionnaire, row[0], entry, mode, rng), entry.note) if entry else (None, None)
        for col, value in enumerate(row, start=1):
            sheet.cell(number, col).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(questionnaire: Questionnaire, qid: str, entry: AnswerEntry, mode: str, rng: random.Random):
    question = questionnaire.question(qid)
    if entry.is_na:
        return rng.choice(["na", "Tidak berlaku", "Not applicable", "NA"])
    if mode == "numbers":
        return rng.choice([entry.value, str(entry.value), float(entry.value)])
    option = next(o for o in questionnaire.scales[question.scale] if o.value == entry.value)
    label = rng.choice([option.label.id, option.label.en])
    return rng.choice([label, label.upper(), label.lower(), f"  {label} "])


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") or os.environ.get("SIAGA_REQUIRE_BROWSER"):
            pytest.fail("LibreOffice (soffice) is missing; .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) not found; `apt-get install libreoffice-calc-nogui` (CI does)")
    return found


def libreoffice_resave(files: list[Path]) -> list[Path]:
    """Open and save each workbook again in LibreOffice Calc, as a school using it would."""
    out = Path(tempfile.mkdtemp(prefix="siaga-lo-out-"))
    profile = Path(tempfile.mkdtemp(prefix="siaga-lo-profile-"))  # own profile: runs in parallel don't lock
    try:
        done = subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                               "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                               *map(str, files)], capture_output=True, text=True, timeout=300, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted = [out / f.name for f in files]
    missing = [p.name for p in converted if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}:\n{done.stdout}\n{done.stderr}"
    return converted

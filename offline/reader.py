"""Any filled offline form (a workbook, or the HTML form's saved .json) or a plain answers file
becomes `scoring.models.Answers`; every problem is a LoadError naming file:cell or file:question."""

from __future__ import annotations

from pathlib import Path

from scoring.loader import LoadError, answers_of, load_questionnaire, parse_document
from scoring.models import Answers, Questionnaire

from . import forms
from .forms import FormMeta, problem
from .guard import OLE_MAGIC
from .workbook import read_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
ANSWERS_SUFFIXES = (".json", ".yaml", ".yml")
QUESTIONNAIRES_DIR = Path(__file__).resolve().parent.parent / "questionnaires"


def bundled(questionnaire_id: str, version: str) -> Questionnaire | None:
    """The shipped questionnaire of that id (whatever its version: the form check says if it differs)."""
    path = QUESTIONNAIRES_DIR / f"{questionnaire_id}.yaml"
    if "/" in questionnaire_id or "\\" in questionnaire_id or not path.is_file():
        return None
    return load_questionnaire(path)


def is_workbook(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(WORKBOOK_SUFFIXES) or data[:4] == b"PK\x03\x04" or data[:8] == OLE_MAGIC


def read_form(data: bytes, filename: str, questionnaire: Questionnaire | None = None,
              resolve: forms.Resolver | None = bundled) -> Answers:  # fmt: skip
    """The answers in one uploaded file; `questionnaire`, else the one the file names via `resolve`."""
    if is_workbook(data, filename):
        return read_workbook(data, filename, questionnaire, resolve)
    return read_answers_file(data, filename, questionnaire, resolve)


def read_answers_file(data: bytes, source: str, questionnaire: Questionnaire | None = None,
                      resolve: forms.Resolver | None = bundled) -> Answers:  # fmt: skip
    """A YAML/JSON answers file; one saved by the HTML form also has its `form` block checked."""
    document = parse_document(data, source)
    raw = document.data
    if not isinstance(raw, dict):
        raise LoadError([problem(source, "", "bukan file jawaban (harus berisi questionnaire dan answers)",
                                 "not an answers file (it must hold questionnaire and answers)")])
    if questionnaire is None:
        qid, version = raw.get("questionnaire"), raw.get("version")
        if not isinstance(qid, str) or resolve is None:
            raise LoadError([problem(source, "questionnaire", "kuesioner tidak disebut; sebutkan dengan -q",
                                     "the questionnaire is not named; name it with -q")])
        questionnaire = resolve(qid, version if isinstance(version, str) else "")
        if questionnaire is None:
            raise LoadError([problem(source, "questionnaire", f"kuesioner '{qid[:80]}' tidak ditemukan",
                                     f"questionnaire '{qid[:80]}' not found")])
    form = raw.get("form")
    if form is not None:
        if not isinstance(form, dict) or form.get("format") != forms.FORMAT or not isinstance(form.get("hash"), str):
            raise LoadError([problem(source, "form", "blok 'form' tidak dikenal; simpan ulang dari formulir HTML",
                                     "unknown 'form' block; save the file again from the HTML form")])
        meta = FormMeta(str(raw.get("questionnaire")), str(raw.get("version")), form["hash"])
        found = forms.check_meta(meta, questionnaire, source)
        if found:
            raise LoadError(found)
        document.data = {key: value for key, value in raw.items() if key != "form"}
    return answers_of(document, source, questionnaire)

"""The Excel workbook: a bilingual Petunjuk sheet, a Jawaban sheet with a row per question and
a drop-down per answer cell, and a hidden sheet naming the questionnaire, version, content hash
and school. Reading goes by question id (rows may be sorted or filtered), never evaluates a
formula, and runs only after `guard.check_workbook` has passed the file."""

from __future__ import annotations

import io

from openpyxl import DEFUSEDXML, Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.loader import LoadError, Problem, check_answers, field_name
from scoring.models import AnswerEntry, Answers, Questionnaire, School

from . import forms
from .forms import FormMeta, problem
from .guard import check_workbook

if not DEFUSEDXML:  # openpyxl parses with defusedxml only when it is installed; never read without it
    raise ImportError("offline needs defusedxml (see requirements.txt) to read workbooks safely")

SHEET = "Jawaban"
GUIDE = "Petunjuk"
META = "SiagaData"
HEADERS = {
    "id": ("ID pertanyaan", "Domain", "Pertanyaan", "Bantuan", "Jawaban", "Catatan"),
    "en": ("Question ID", "Domain", "Question", "Help", "Jawaban (answer)", "Catatan (note)"),
}
ANSWER_COL, NOTE_COL = "E", "F"
CRITICAL = {"id": "[KRITIS] ", "en": "[CRITICAL] "}
_GUIDE_LINES = (
    ("Cara mengisi", "How to fill it in"),
    ("Isi lembar 'Jawaban': pilih jawaban di kolom E dari daftar, atau ketik 0-3.",
     "Fill in the 'Jawaban' sheet: pick the answer in column E from the list, or type 0-3."),
    ("'Tidak berlaku' hanya untuk pertanyaan yang mengizinkannya. Sel kosong berarti belum dijawab.",
     "'Tidak berlaku' (not applicable) only where the question allows it. An empty cell means unanswered."),
    ("Catatan (kolom F) boleh diisi bebas. Jangan memindah atau menghapus kolom.",
     "Notes (column F) are free text. Do not move or delete columns."),
    ("Simpan sebagai .xlsx, lalu unggah di halaman Impor.", "Save as .xlsx, then upload it on the Impor page."),
    ("Pertanyaan [KRITIS] menentukan batas tingkat kesiapan.", "[CRITICAL] questions cap the readiness band."),
)


def _text(cell, value) -> None:
    """Plain text, even when it starts with '=' (a school name or note is never a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def build_workbook(questionnaire: Questionnaire, lang: str = "id", school: School | None = None) -> bytes:
    meta = forms.meta_for(questionnaire, lang, school)
    book = Workbook()
    guide = book.active
    guide.title = GUIDE
    _guide(guide, questionnaire, school)
    sheet = book.create_sheet(SHEET)
    hidden = book.create_sheet(META)
    _answers_sheet(sheet, hidden, questionnaire, lang)
    _meta_sheet(hidden, meta)
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _guide(sheet, questionnaire: Questionnaire, school: School | None) -> None:
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 70
    _text(sheet.cell(1, 1), questionnaire.title.id)
    _text(sheet.cell(1, 2), questionnaire.title.en)
    sheet.cell(1, 1).font = sheet.cell(1, 2).font = Font(bold=True, size=14)
    row = 3
    if school is not None:
        for label, value in (("NPSN", school.npsn), ("Sekolah / School", school.name),
                             ("Jenjang", school.jenjang), ("Provinsi / Province", school.province)):
            _text(sheet.cell(row, 1), label)
            _text(sheet.cell(row, 2), value or "")
            row += 1
        row += 1
    for id_text, en_text in _GUIDE_LINES:
        _text(sheet.cell(row, 1), id_text)
        _text(sheet.cell(row, 2), en_text)
        sheet.cell(row, 1).alignment = sheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    sheet.protection.sheet = True


def _answers_sheet(sheet, hidden, questionnaire: Questionnaire, lang: str) -> None:
    for col, (title, width) in enumerate(zip(HEADERS[lang], (22, 24, 60, 60, 26, 40), strict=True), start=1):
        cell = sheet.cell(1, col)
        _text(cell, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[cell.column_letter].width = width
    lists: dict[tuple[str, bool], DataValidation] = {}
    wrap = Alignment(wrap_text=True, vertical="top")
    open_cell = Protection(locked=False)
    critical_fill = PatternFill("solid", fgColor="FCE4D6")
    row = 1
    for domain, question in questionnaire.questions():
        row += 1
        text = (CRITICAL[lang] if question.critical else "") + question.text.get(lang)
        values = (question.id, domain.title.get(lang), text, question.help.get(lang) if question.help else "")
        for col, value in enumerate(values, start=1):
            _text(sheet.cell(row, col), value)
            sheet.cell(row, col).alignment = wrap
        if question.critical:
            sheet.cell(row, 3).fill = critical_fill
        for col in (ANSWER_COL, NOTE_COL):
            sheet[f"{col}{row}"].protection = open_cell
            sheet[f"{col}{row}"].alignment = wrap
        key = (question.scale, question.allow_na)
        if key not in lists:
            lists[key] = _drop_down(hidden, len(lists), forms.option_labels(questionnaire, question, lang))
            sheet.add_data_validation(lists[key])
        lists[key].add(f"{ANSWER_COL}{row}")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:F{row}"
    # Locked text, open answer cells; no password, and sorting and filtering stay allowed.
    sheet.protection.sheet = True
    sheet.protection.sort = False
    sheet.protection.autoFilter = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _drop_down(hidden, index: int, labels: list[str]) -> DataValidation:
    """The labels go in a column of the hidden sheet: no length or comma limits of an inline list."""
    col = chr(ord("D") + index)
    for i, label in enumerate(labels, start=1):
        _text(hidden[f"{col}{i}"], label)
    return DataValidation(type="list", formula1=f"{META}!${col}$1:${col}${len(labels)}", allow_blank=True,
                          showErrorMessage=True, errorStyle="warning",
                          error="Pilih dari daftar atau ketik 0-3 / Pick from the list or type 0-3")


def _meta_sheet(hidden, meta: FormMeta) -> None:
    school = meta.school.model_dump() if meta.school else {}
    rows = [("format", forms.FORMAT), ("questionnaire", meta.questionnaire), ("version", meta.version),
            ("hash", meta.hash), ("lang", meta.lang)]
    rows += [(key, school.get(key) or "") for key in ("npsn", "name", "jenjang", "province")]
    for i, (key, value) in enumerate(rows, start=1):
        _text(hidden.cell(i, 1), key)
        _text(hidden.cell(i, 2), value)
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True


def read_workbook(data: bytes, source: str, questionnaire: Questionnaire | None = None,
                  resolve: forms.Resolver | None = None) -> Answers:  # fmt: skip
    """The answers in a filled workbook; LoadError lists every problem as file:Sheet!cell."""
    check_workbook(data, source)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except LoadError:
        raise
    except Exception:  # openpyxl raises many kinds for a malformed part  # noqa: BLE001
        raise LoadError([problem(source, "", "tidak terbaca sebagai buku kerja .xlsx",
                                 "cannot be read as an .xlsx workbook")]) from None
    try:
        meta, problems = _read_meta(book, source)
        if questionnaire is None and meta is not None and resolve is not None:
            questionnaire = resolve(meta.questionnaire, meta.version)
            if questionnaire is None:
                problems.append(problem(source, "questionnaire",
                                        f"kuesioner '{meta.questionnaire}' versi '{meta.version}' tidak ditemukan",
                                        f"questionnaire '{meta.questionnaire}' version '{meta.version}' not found"))
        if meta is None or questionnaire is None or problems:
            raise LoadError(problems or [problem(source, "", "kuesioner tidak diketahui; sebutkan dengan -q",
                                                 "unknown questionnaire; name it with -q")])
        problems = forms.check_meta(meta, questionnaire, source)
        if problems:
            raise LoadError(problems)
        entries, problems = _read_answers(book, questionnaire, source)
    finally:
        book.close()
    answers = Answers(questionnaire=questionnaire.id, version=questionnaire.version, school=meta.school,
                      answers=entries)
    problems += check_answers(questionnaire, answers, source)
    if problems:
        raise LoadError(problems)
    return answers


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet may turn "1" or an NPSN into a number
    return "" if value is None else str(value).strip()


def _read_meta(book, source: str) -> tuple[FormMeta | None, list[Problem]]:
    if META not in book.sheetnames:
        return None, [problem(source, "", f"bukan formulir Siaga Siber (lembar tersembunyi '{META}' tidak ada)",
                              f"not a Siaga Siber form (the hidden sheet '{META}' is missing)")]
    fields = {}
    for key, value, *_ in book[META].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if key is not None:
            fields[_as_text(key)] = _as_text(value)
    if fields.get("format") != forms.FORMAT:
        return None, [problem(source, f"{META}!B1", "format formulir tidak dikenal", "unknown form format")]
    school, problems = forms.school_of(fields, source, f"{META}!B6")
    meta = FormMeta(fields.get("questionnaire", ""), fields.get("version", ""), fields.get("hash", ""),
                    fields.get("lang", "id"), school)
    return meta, problems


def _read_answers(book, questionnaire: Questionnaire, source: str):
    if SHEET not in book.sheetnames:
        return {}, [problem(source, "", f"lembar '{SHEET}' tidak ada", f"the sheet '{SHEET}' is missing")]
    rows = book[SHEET].iter_rows(min_row=1, max_col=6, values_only=True)
    header = [_as_text(v) for v in next(rows, ())]
    expected = {lang: list(h) for lang, h in HEADERS.items()}
    if header[:6] not in expected.values():
        return {}, [problem(source, f"{SHEET}!A1:F1", "judul kolom berubah; kolom tidak boleh dipindah atau dihapus",
                            "the column headings changed; columns may not be moved or deleted")]
    entries: dict[str, AnswerEntry] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        qid, _, _, _, raw, note = (*row, *(None,) * 6)[:6]
        qid, note = _as_text(qid), _as_text(note)
        cell = f"{source}:{SHEET}!{ANSWER_COL}{number}"
        if not qid:
            if _as_text(raw) or note:
                problems.append(problem(f"{source}:{SHEET}!A{number}", "", "ID pertanyaan kosong di baris yang berisi "
                                        "jawaban", "the question id is empty on a row with an answer"))
            continue
        question = questionnaire.question(qid)
        if question is None:
            problems.append(problem(f"{source}:{SHEET}!A{number}", "", f"ID pertanyaan '{qid[:60]}' tidak dikenal",
                                    f"unknown question id '{qid[:60]}'"))
            continue
        if qid in seen:
            problems.append(problem(f"{source}:{SHEET}!A{number}", field_name(("answers", qid)),
                                    f"pertanyaan ini juga ada di baris {seen[qid]}",
                                    f"this question is also on row {seen[qid]}"))
            continue
        seen[qid] = number
        value, ok = forms.answer_value(questionnaire, question, raw)
        if not ok:
            problems.append(forms.bad_value(questionnaire, question, raw, cell, field_name(("answers", qid))))
        elif len(note) > forms.MAX_NOTE:
            problems.append(problem(f"{source}:{SHEET}!{NOTE_COL}{number}", field_name(("answers", qid)),
                                    f"catatan lebih dari {forms.MAX_NOTE} karakter",
                                    f"the note is longer than {forms.MAX_NOTE} characters"))
        elif value is None and note:
            problems.append(problem(f"{source}:{SHEET}!{NOTE_COL}{number}", field_name(("answers", qid)),
                                    f"ada catatan tanpa jawaban di {ANSWER_COL}{number}; isi jawabannya",
                                    f"a note without an answer in {ANSWER_COL}{number}; fill in the answer"))
        elif value is not None:
            entries[qid] = AnswerEntry(value=value, note=note or None)
    return entries, problems

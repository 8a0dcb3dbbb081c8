"""Tables of a result for CSV and Excel, and the answers as the YAML file the CLI reads.

Exported cells are opened in spreadsheets, so every text cell is escaped
against formula injection (OWASP "CSV injection"). Numbers read as the user
writes them: a CSV in Bahasa Indonesia is semicolon-separated with decimal commas
(what Excel set to Indonesian expects), in English comma-separated with points;
an XLSX keeps numbers numeric, unrounded, shown with one decimal.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font

from scoring.answers_file import answers_yaml  # noqa: F401 (the app's download uses it from here)
from scoring.engine import MATURITY_NAMES, Result
from scoring.models import Answers, Questionnaire

from .labels import label, number

Cell = str | int | float | None
Row = dict[str, Cell]

# A spreadsheet skips leading blanks and control characters before it looks for a formula.
FORMULA = re.compile(r"^[\t\r]|^[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
ONE_DECIMAL = "0.0"
SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def csv_safe(value: Cell, lang: str = "en") -> str:
    """A cell as text; text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers are not text: a float is rounded to one decimal (a decimal comma in Bahasa
    Indonesia), so a gap of -16.7 stays a number.
    """
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return number(value, lang)
    text = str(value)
    return "'" + text if FORMULA.match(text) else text


def result_rows(questionnaire: Questionnaire, result: Result, lang: str) -> list[Row]:
    """One row per domain, in questionnaire order, then the overall row."""
    titles = {d.id: d.title.get(lang) for d in questionnaire.domains}
    rows = [_score_row(d.id, titles.get(d.id, d.id), d.score, d.target, d.gap, d.maturity, lang)
            for d in result.domains]
    o = result.overall
    rows.append(_score_row("", label("overall", lang), o.score, o.target, o.gap, o.maturity, lang))
    return rows


def _score_row(domain_id, title, score, target, gap, maturity, lang) -> Row:
    return {
        label("col_domain_id", lang): domain_id,
        label("domain", lang): title,
        label("score", lang): score,
        label("col_target", lang): target,
        label("col_gap", lang): gap,
        label("col_maturity", lang): MATURITY_NAMES[maturity][0] if maturity is not None else None,
    }


def actions_rows(questionnaire: Questionnaire, result: Result, lang: str, answers: Answers | None = None) -> list[Row]:
    """The action plan in the engine's order; notes come from `answers` when given."""
    titles = {d.id: d.title.get(lang) for d in questionnaire.domains}
    rows = []
    for rank, action in enumerate(result.actions, start=1):
        question = questionnaire.question(action.question)
        entry = answers.answers.get(action.question) if answers is not None else None
        rows.append({
            label("col_rank", lang): rank,
            label("col_question_id", lang): action.question,
            label("col_question", lang): question.text.get(lang) if question else "",
            label("domain", lang): titles.get(action.domain, action.domain),
            label("col_value", lang): _answer_label(questionnaire, question, action.value, lang),
            label("col_critical", lang): label("yes" if action.critical else "no", lang),
            label("col_gain", lang): action.gain,
            label("col_recommendation", lang): question.recommendation.get(lang) if question else "",
            label("col_note", lang): entry.note if entry is not None else None,
        })
    return rows


def _answer_label(questionnaire: Questionnaire, question, value: int | None, lang: str) -> str:
    """The answer as the operator chose it ("Sebagian"), not its number on the scale."""
    if value is None:
        return label("unanswered", lang)
    options = questionnaire.scales.get(question.scale, []) if question else []
    return next((o.label.get(lang) for o in options if o.value == value), str(value))


def columns(rows: Sequence[Mapping[str, Cell]]) -> list[str]:
    """Every key of the rows, in the order first seen: the table's header."""
    return list(dict.fromkeys(c for row in rows for c in row))


def csv_delimiter(lang: str) -> str:
    """Excel in Indonesian uses the decimal comma, so its list separator is the semicolon."""
    return "," if lang == "en" else ";"


def to_csv(rows: Sequence[Mapping[str, Cell]], lang: str) -> bytes:
    """UTF-8 with a BOM, so Excel reads Indonesian text right; CRLF lines; separated and
    with decimals as `lang` writes them."""
    return csv_stream(columns(rows), rows, lang)


class Counted:
    """An iterable of rows that counts them as they pass (for the audit log of a streamed export)."""

    def __init__(self, rows: Iterable[Mapping[str, Cell]]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Iterator[Mapping[str, Cell]]:
        for row in self.rows:
            self.n += 1
            yield row


def csv_stream(header: Sequence[str], rows: Iterable[Mapping[str, Cell]], lang: str) -> bytes:
    """Like to_csv, from rows read one at a time under a known header: no list of rows is kept."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=csv_delimiter(lang))
    writer.writerow([csv_safe(c, lang) for c in header])
    for row in rows:
        writer.writerow([csv_safe(row.get(c), lang) for c in header])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_stream(name: str, header: Sequence[str], rows: Iterable[Mapping[str, Cell]]) -> bytes:
    """One worksheet written row by row (openpyxl's write-only mode), text escaped like CSV."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_name(name, set()))
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(c) for c in header])
    for row in rows:
        sheet.append([_streamed_cell(sheet, row.get(c)) for c in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xlsx(sheets: Mapping[str, Sequence[Mapping[str, Cell]]]) -> bytes:
    """One worksheet per entry; text cells escaped like CSV, numbers kept numeric."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for name, rows in sheets.items():
        sheet = book.create_sheet(_sheet_name(name, used))
        header = columns(rows)
        sheet.append([_xlsx_cell(c) for c in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_xlsx_cell(row.get(c)) for c in header])
        for column in sheet.columns:
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(cell.value, float):
                    cell.number_format = ONE_DECIMAL
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _streamed_cell(sheet, value: Cell):
    """A write-only sheet cannot be styled afterwards: a float gets its one-decimal format now."""
    if not isinstance(value, float):
        return _xlsx_cell(value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = ONE_DECIMAL
    return cell


def _xlsx_cell(value: Cell) -> Cell:
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    # openpyxl refuses control characters a typed note could contain; drop them before
    # escaping, so "\x01=cmd" cannot become "=cmd".
    return csv_safe(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique (case-insensitive)."""
    base = (str(name).translate(SHEET_NAME_FORBIDDEN).strip("'") or "Sheet")[:31]
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate

"""Reading a bulk upload of answers: a zip of answers files (the format the command
line scores, offline workbooks or the HTML form's saved files), or one CSV with a row
per school (npsn, period, then one column per question id). Every file or row is checked
with the command line's messages; nothing here touches the database (storage.bulk stores the entries).
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from offline import read_form
from offline.guard import MAX_BYTES as MAX_WORKBOOK
from scoring import safeyaml, safezip
from scoring.loader import LoadError, Problem, check_answers
from scoring.models import AnswerEntry, Answers, Questionnaire

from .assessments import PERIOD, unanswered
from .errors import first_ten
from .schools import NPSN

MAX_FILES = 5000
MAX_ROWS = 25_000  # CSV rows per upload: a province's schools
MAX_UNPACKED = 50 * 1024 * 1024  # a zip that unpacks to more is refused (zip bomb)
ANSWER_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BulkEntry:
    source: str  # the file in the zip, or the CSV file
    line: int | None  # the CSV row's line
    npsn: str
    period: str
    answers: Answers


def read_entries(data: bytes, filename: str, questionnaire: Questionnaire, period: str | None = None
                 ) -> tuple[list[BulkEntry], list[Problem], int]:  # fmt: skip
    """The valid entries of an upload, the problems of the others, and how many files or rows
    it holds; nothing touches the database. A zip's files take `period`, having none of their own."""
    if filename.lower().endswith(".csv"):
        return _csv_entries(data, filename, questionnaire)
    if filename.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
        return _zip_entries(data, filename, questionnaire, period)
    return [], [Problem(filename, None, "", "upload a .zip of answers files or one .csv file")], 0


def _zip_entries(data: bytes, filename: str, questionnaire: Questionnaire, period: str | None):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, ValueError):
        return [], [Problem(filename, None, "", "not a readable zip file")], 0
    members = [m for m in archive.infolist() if not m.is_dir() and not _ignored(m.filename)]
    if len(members) > MAX_FILES:
        return [], [Problem(filename, None, "", f"holds {len(members)} files; at most {MAX_FILES} per upload")], 0
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        return [], [Problem(filename, None, "", f"unpacks to more than {MAX_UNPACKED // 2**20} MiB")], 0
    if period is None or not PERIOD.match(period):
        return [], [Problem(filename, None, "period", "choose the period (like 2025-1) the answers are for")], 0
    def limit_text(workbook: bool) -> str:
        return f"{MAX_WORKBOOK // 2**20} MiB" if workbook else f"{safeyaml.MAX_BYTES // 1024} KiB"

    entries, problems = [], []
    # The declared sizes above refuse an honest bomb early; this counts what really inflates.
    # A member may inflate to the workbook limit at most; YAML over its own limit is refused when read.
    capped = safezip.CappedZip(archive, member_limit=max(MAX_WORKBOOK, safeyaml.MAX_BYTES), total_limit=MAX_UNPACKED)
    for member in members:
        source = member.filename
        if not source.lower().endswith(ANSWER_SUFFIXES):
            problems.append(Problem(source, None, "", "not an answers file: use .yaml, .yml, .json or .xlsx"))
            continue
        workbook = source.lower().endswith(".xlsx")
        if member.file_size > (MAX_WORKBOOK if workbook else safeyaml.MAX_BYTES):
            problems.append(Problem(source, 1, "", f"file is larger than {limit_text(workbook)}"))
            continue
        try:
            raw = capped.read(member, MAX_WORKBOOK if workbook else safeyaml.MAX_BYTES)
        except safezip.MemberTooLarge:
            problems.append(Problem(source, 1, "", f"file is larger than {limit_text(workbook)}"))
            continue
        except safezip.ArchiveTooLarge:
            return [], [Problem(filename, None, "", f"unpacks to more than {MAX_UNPACKED // 2**20} MiB")], 0
        except safezip.SizeMismatch:
            problems.append(Problem(source, None, "", "the zip declares a wrong size for this file (damaged or "
                                                      "crafted); it is not read"))  # fmt: skip
            continue
        except safezip.UNREADABLE:
            problems.append(Problem(source, None, "", "cannot be unpacked (damaged, encrypted or compressed oddly)"))
            continue
        try:
            # Offline forms are checked against this questionnaire's version and content too.
            answers = read_form(raw, source, questionnaire, resolve=None)
        except LoadError as err:
            problems.extend(err.problems)
            continue
        stem = PurePosixPath(source).stem.upper()
        if answers.school is not None and NPSN.match(stem) and stem != answers.school.npsn:
            problems.append(Problem(source, None, "school.npsn", f"Formulir ini untuk NPSN {answers.school.npsn}, "
                                    f"bukan {stem} / this form is for NPSN {answers.school.npsn}, not {stem}"))
            continue
        npsn = answers.school.npsn if answers.school is not None else stem if NPSN.match(stem) else None
        if npsn is None:
            problems.append(Problem(source, None, "school.npsn",
                                    "is required, or name the file after the school's NPSN (e.g. 20100001.yaml)"))
            continue
        found = _incomplete(questionnaire, answers, source, None)
        if found:
            problems.append(found)
            continue
        entries.append(BulkEntry(source, None, npsn, period, answers))
    return entries, problems, len(members)


def _ignored(name: str) -> bool:
    path = PurePosixPath(name)
    return path.parts[0] == "__MACOSX" or path.name.startswith(".")


def _csv_entries(data: bytes, filename: str, questionnaire: Questionnaire):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return [], [Problem(filename, None, "", f"the file is not UTF-8 text (byte {err.start})")], 0
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _csv_rows(reader, filename, questionnaire)
    except csv.Error as err:  # e.g. a cell beyond the csv module's size limit
        return [], [Problem(filename, reader.line_num or 1, "", f"cannot be read as CSV: {err}")], 0


def _csv_rows(reader, filename: str, questionnaire: Questionnaire):
    header = [c.strip() for c in next(reader, [])]
    problems = [Problem(filename, 1, "", f"the header must name the column '{c}'") for c in ("npsn", "period")
                if c not in header]  # fmt: skip
    questions = [c for c in header if c not in ("npsn", "period")]
    problems += [Problem(filename, 1, c or "(empty)", f"unknown question id '{c}'") for c in questions
                 if questionnaire.question(c) is None]  # fmt: skip
    problems += [Problem(filename, 1, c, "this column is named twice") for c in sorted(set(header))
                 if header.count(c) > 1]  # fmt: skip
    if problems:
        return [], problems, 0
    entries, rows = [], 0
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if rows > MAX_ROWS:
            return [], [Problem(filename, line, "", f"holds more than {MAX_ROWS} rows; split it into smaller files")], 0
        if len(row) != len(header):
            problems.append(Problem(filename, line, "", f"has {len(row)} cells; the header has {len(header)}"))
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        found = []
        npsn, period = cells["npsn"].upper(), cells["period"]
        if not NPSN.match(npsn):
            found.append(Problem(filename, line, "npsn", f"'{npsn}' must be 8 characters, capital letters A-Z or "
                                                         "digits (e.g. 20100001)"))  # fmt: skip
        if not PERIOD.match(period):
            found.append(Problem(filename, line, "period", f"'{period}' must be a year and semester, like 2025-1"))
        entries_: dict[str, AnswerEntry] = {}
        for qid in questions:
            value = cells[qid]
            if not value:
                continue
            try:
                entries_[qid] = AnswerEntry(value="na" if value.lower() == "na" else int(value))
            except ValueError:
                found.append(Problem(filename, line, f"answers.{qid}",
                                     "must be a number on the question's scale, or na"))  # fmt: skip
        answers = Answers(questionnaire=questionnaire.id, version=questionnaire.version, answers=entries_)
        found += [Problem(filename, line, p.field, p.message) for p in check_answers(questionnaire, answers, filename)]
        if not found and (missing := _incomplete(questionnaire, answers, filename, line)):
            found.append(missing)
        if found:
            problems.extend(found)
        else:
            entries.append(BulkEntry(filename, line, npsn, period, answers))
    if not entries and not problems:
        problems.append(Problem(filename, 2, "", "the file has a header but no rows"))
    return entries, problems, rows


def _incomplete(questionnaire: Questionnaire, answers: Answers, source: str, line: int | None) -> Problem | None:
    missing = unanswered(questionnaire, answers)
    if not missing:
        return None
    message = (f"{len(missing)} question(s) are not answered ({first_ten(missing)}); a submitted assessment needs "
               "every answer ('na' where it is allowed)")  # fmt: skip
    return Problem(source, line, "answers", message)



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
from scoring.messages import msg
from scoring.models import AnswerEntry, Answers, Questionnaire

from .assessments import PERIOD, unanswered
from .schools import NPSN, csv_reader

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
    return [], [Problem(filename, None, "", msg("bulk.wrong_type"))], 0


def _zip_entries(data: bytes, filename: str, questionnaire: Questionnaire, period: str | None):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, ValueError):
        return [], [Problem(filename, None, "", msg("zip.unreadable"))], 0
    members = [m for m in archive.infolist() if not m.is_dir() and not _ignored(m.filename)]
    if len(members) > MAX_FILES:
        return [], [Problem(filename, None, "", msg("zip.too_many", count=len(members), max=MAX_FILES))], 0
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        return [], [Problem(filename, None, "", msg("zip.too_big", mib=MAX_UNPACKED // 2**20))], 0
    if period is None or not PERIOD.match(period):
        return [], [Problem(filename, None, "period", msg("bulk.period_needed"))], 0

    def too_large(workbook: bool):
        return msg("file.too_large_mib", mib=MAX_WORKBOOK // 2**20) if workbook else msg(
            "file.too_large", kib=safeyaml.MAX_BYTES // 1024)

    entries, problems = [], []
    # The declared sizes above refuse an honest bomb early; this counts what really inflates.
    # A member may inflate to the workbook limit at most; YAML over its own limit is refused when read.
    capped = safezip.CappedZip(archive, member_limit=max(MAX_WORKBOOK, safeyaml.MAX_BYTES), total_limit=MAX_UNPACKED)
    for member in members:
        source = member.filename
        if not source.lower().endswith(ANSWER_SUFFIXES):
            problems.append(Problem(source, None, "", msg("zip.not_answers")))
            continue
        workbook = source.lower().endswith(".xlsx")
        if member.file_size > (MAX_WORKBOOK if workbook else safeyaml.MAX_BYTES):
            problems.append(Problem(source, 1, "", too_large(workbook)))
            continue
        try:
            raw = capped.read(member, MAX_WORKBOOK if workbook else safeyaml.MAX_BYTES)
        except safezip.MemberTooLarge:
            problems.append(Problem(source, 1, "", too_large(workbook)))
            continue
        except safezip.ArchiveTooLarge:
            return [], [Problem(filename, None, "", msg("zip.too_big", mib=MAX_UNPACKED // 2**20))], 0
        except safezip.SizeMismatch:
            problems.append(Problem(source, None, "", msg("zip.wrong_size")))
            continue
        except safezip.UNREADABLE:
            problems.append(Problem(source, None, "", msg("zip.cannot_unpack")))
            continue
        try:
            # Offline forms are checked against this questionnaire's version and content too.
            answers = read_form(raw, source, questionnaire, resolve=None)
        except LoadError as err:
            problems.extend(err.problems)
            continue
        stem = PurePosixPath(source).stem.upper()
        if answers.school is not None and NPSN.match(stem) and stem != answers.school.npsn:
            problems.append(Problem(source, None, "school.npsn", msg("bulk.form_other_school",
                                                                     form=answers.school.npsn, name=stem)))
            continue
        npsn = answers.school.npsn if answers.school is not None else stem if NPSN.match(stem) else None
        if npsn is None:
            problems.append(Problem(source, None, "school.npsn", msg("bulk.npsn_needed")))
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
        return [], [Problem(filename, None, "", msg("csv.not_utf8", byte=err.start))], 0
    reader = csv_reader(text)
    try:
        return _csv_rows(reader, filename, questionnaire)
    except csv.Error as err:  # e.g. a cell beyond the csv module's size limit
        return [], [Problem(filename, reader.line_num or 1, "", msg("csv.unreadable", detail=str(err)))], 0


def _csv_rows(reader, filename: str, questionnaire: Questionnaire):
    header = [c.strip() for c in next(reader, [])]
    problems = [Problem(filename, 1, "", msg("csv.header_missing", column=c)) for c in ("npsn", "period")
                if c not in header]  # fmt: skip
    questions = [c for c in header if c not in ("npsn", "period")]
    problems += [Problem(filename, 1, c or "(empty)", msg("answer.unknown_question", qid=c)) for c in questions
                 if questionnaire.question(c) is None]  # fmt: skip
    problems += [Problem(filename, 1, c, msg("csv.column_twice")) for c in sorted(set(header))
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
            return [], [Problem(filename, line, "", msg("csv.too_many_rows", max=MAX_ROWS))], 0
        if len(row) != len(header):
            problems.append(Problem(filename, line, "", msg("csv.cell_count", cells=len(row), header=len(header))))
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        found = []
        npsn, period = cells["npsn"].upper(), cells["period"]
        if not NPSN.match(npsn):
            found.append(Problem(filename, line, "npsn", msg("npsn.pattern", npsn=npsn)))
        if not PERIOD.match(period):
            found.append(Problem(filename, line, "period", msg("period.pattern", period=period)))
        entries_: dict[str, AnswerEntry] = {}
        for qid in questions:
            value = cells[qid]
            if not value:
                continue
            try:
                entries_[qid] = AnswerEntry(value="na" if value.lower() == "na" else int(value))
            except ValueError:
                found.append(Problem(filename, line, f"answers.{qid}", msg("answer.value")))
        answers = Answers(questionnaire=questionnaire.id, version=questionnaire.version, answers=entries_)
        found += [Problem(filename, line, p.field, p.message) for p in check_answers(questionnaire, answers, filename)]
        if not found and (missing := _incomplete(questionnaire, answers, filename, line)):
            found.append(missing)
        if found:
            problems.extend(found)
        else:
            entries.append(BulkEntry(filename, line, npsn, period, answers))
    if not entries and not problems:
        problems.append(Problem(filename, 2, "", msg("csv.no_rows")))
    return entries, problems, rows


def _incomplete(questionnaire: Questionnaire, answers: Answers, source: str, line: int | None) -> Problem | None:
    missing = unanswered(questionnaire, answers)
    if not missing:
        return None
    ids = ", ".join(missing[:10]) + (", …" if len(missing) > 10 else "")
    return Problem(source, line, "answers", msg("bulk.incomplete", count=len(missing), ids=ids))



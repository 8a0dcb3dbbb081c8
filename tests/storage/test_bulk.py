"""Bulk import: each bad file or row is reported with the command line's messages, the good
ones are stored as submitted and scored like storage.submit, and only inside the scope."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

import storage
from scoring.engine import score
from scoring.loader import load_questionnaire
from storage import bulk_files
from storage.bulk import import_answers
from storage.models import Assessment

from .conftest import CONTOH, audit_actions

PERIOD = "2025-2"


def answers_file(npsn: str | None, **values) -> bytes:
    school = f"school: {{npsn: {npsn}}}\n" if npsn else ""
    body = "".join(f"  {q}: {v}\n" for q, v in values.items())
    return f'questionnaire: contoh\nversion: "1"\n{school}answers:\n{body}'.encode()


GOOD = {"q1": 3, "q2": 2, "q3": "na", "q4": 1, "q5": 0}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


MIXED = {
    "baik/Z1300002.yaml": answers_file(None, **GOOD),  # the file name gives the NPSN
    "baik-a.yaml": answers_file("Z1300001", **GOOD),  # replaces A's draft of 2025-2
    "salah-nilai.yaml": answers_file("Z1300002", **(GOOD | {"q1": 5})),
    "luar-provinsi.yaml": answers_file("Z3100001", **GOOD),
    "kurang.yaml": answers_file("Z1300002", q1=3),
    "catatan.txt": b"bukan berkas jawaban",
    "__MACOSX/._baik-a.yaml": b"ignored",
}


def checked_import(session, actor, data: bytes, filename: str, **options):
    """What the page does: check the upload (nothing stored), then import it, replacing the
    drafts the check saw at the versions it saw."""
    seen = import_answers(session, actor, data, filename, "contoh", preview=True, **options)
    return import_answers(session, actor, data, filename, "contoh", expected_versions=seen.replaces, **options)


def statuses(session) -> dict[int, str]:
    found = dict(session.execute(select(Assessment.id, Assessment.status)).all())
    session.rollback()
    return found


def test_a_zip_with_bad_files_stores_the_good_ones_and_names_each_bad_one(world, session):
    auditor = world.actors["auditor_13"]
    seen = []
    report = checked_import(session, auditor, zipped(MIXED), "jawaban.zip", period=PERIOD,
                            progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert (report.items, report.rejected) == (6, 4)
    assert {(s.source, s.npsn) for s in report.stored} == {("baik/Z1300002.yaml", "Z1300002"),
                                                           ("baik-a.yaml", "Z1300001")}
    text = "\n".join(map(str, report.problems))
    assert "salah-nilai.yaml:5: answers.q1: 5 is not on the 'status' scale; use 0, 1, 2, 3" in text
    assert "luar-provinsi.yaml: npsn: 'Z3100001' is not a school in your provinces" in text
    assert "kurang.yaml: answers: 4 question(s) are not answered (q2, q3, q4, q5)" in text
    assert "catatan.txt: not an answers file" in text
    assert seen[-1][0] == seen[-1][1]
    # Stored as submitted, on the active version, scored exactly as storage.submit would.
    questionnaire = load_questionnaire(CONTOH)
    for entry in report.stored:
        info = storage.get_assessment(session, auditor, entry.assessment_id)
        assert (info.status, info.period, info.questionnaire_version) == ("submitted", PERIOD, "1")
        stored = storage.get_result(session, auditor, entry.assessment_id)
        jenjang = storage.get_school(session, auditor, entry.npsn).jenjang
        assert stored == score(questionnaire, info.answers, jenjang=jenjang)
    assert statuses(session)[world.drafts["Z1300001"]] == "submitted"
    log = audit_actions(session, "auditor_13")
    assert ("auditor_13", "access_denied", "Z3100001") in log
    assert [a for _, a, _ in log].count("bulk_submit") == 2 and log[-1][1] == "bulk_import"


def test_all_or_nothing_stores_nothing_when_one_entry_fails(world, session):
    before = statuses(session)
    report = checked_import(session, world.actors["auditor_13"], zipped(MIXED), "jawaban.zip", period=PERIOD,
                            all_or_nothing=True)  # fmt: skip
    assert report.stored == [] and report.rejected == 4 and len(report.problems) >= 4
    assert statuses(session) == before
    assert ("auditor_13", "bulk_import", None) in audit_actions(session)


def test_all_or_nothing_stores_everything_when_every_entry_is_valid(world, session):
    files = {"a.yaml": answers_file("Z1300001", **GOOD), "b.yaml": answers_file("Z1300002", **GOOD)}
    report = checked_import(session, world.actors["auditor_13"], zipped(files), "ok.zip", period=PERIOD,
                            all_or_nothing=True)  # fmt: skip
    assert len(report.stored) == 2 and report.problems == []


CSV = (
    "npsn,period,q1,q2,q3,q4,q5\n"
    "Z1300002,2025-2,3,2,na,1,0\n"  # good
    "Z1300001,2025-1,3,2,na,1,0\n"  # already submitted
    "Z3100001,2025-2,3,2,na,1,0\n"  # outside the scope
    "Z1300009,2025-2,3,2,na,1,0\n"  # no such school
    "Z1300002,2025-9,3,2,x,1,\n"  # bad period, bad value, unanswered
    ",,,,,,\n"  # blank: skipped
    "Z1300002,2025-2,3,2,na,1,0\n"  # the same school and period again
)


def test_a_csv_reports_each_bad_row_by_line(world, session):
    report = import_answers(session, world.actors["auditor_13"], CSV.encode(), "jawaban.csv", "contoh")
    assert (report.items, report.rejected, [s.line for s in report.stored]) == (6, 5, [2])
    lines = sorted({p.line for p in report.problems})
    assert lines == [3, 4, 5, 6, 8]
    text = "\n".join(map(str, report.problems))
    assert "jawaban.csv:3: period: school Z1300001 has already submitted its assessment of 2025-1" in text
    assert "jawaban.csv:6: period: '2025-9' must be a year and semester" in text
    assert "jawaban.csv:6: answers.q3: must be a number on the question's scale, or na" in text
    assert "jawaban.csv:8: npsn: school Z1300002, period 2025-2 is already in this upload (line 2)" in text
    assert "jawaban.csv:5: npsn: 'Z1300009' is not a school in your provinces" in text
    # A school that does not exist is not a denied access; one outside the scope is.
    denied = [o for _, a, o in audit_actions(session, "auditor_13") if a == "access_denied"]
    assert denied == ["Z3100001"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"npsn,q1\n", "a.csv", "the header must name the column 'period'"),
        (b"npsn,period,q1,q99\n", "a.csv", "q99: unknown question id 'q99'"),
        (b"npsn,period,q1,q1\n", "a.csv", "q1: this column is named twice"),
        (b"npsn,period,q1\n", "a.csv", "the file has a header but no rows"),
        (b"\xff\xfe", "a.csv", "not UTF-8"),
        (b"PK\x03\x04 broken", "a.zip", "not a readable zip file"),
        (b"hello", "a.xlsx", "upload a .zip of answers files or one .csv file"),
        (zipped({"a.yaml": answers_file("Z1300002", **GOOD)}), "a.zip", "choose the period"),
    ],
)
def test_a_bad_upload_is_named_and_stores_nothing(world, session, data, filename, message):
    before = statuses(session)
    report = import_answers(session, world.actors["auditor_13"], data, filename, "contoh")
    assert report.stored == [] and message in "\n".join(map(str, report.problems))
    assert statuses(session) == before


def test_a_file_too_large_to_be_an_answers_file_is_refused_unread(world, session):
    big = zipped({"besar.yaml": b"#" * (1024 * 1024 + 1)})
    report = import_answers(session, world.actors["auditor_13"], big, "a.zip", "contoh", period=PERIOD)
    assert "besar.yaml:1: file is larger than 1024 KiB" in str(report.problems[0])


@pytest.mark.parametrize("name", ["operator_a", "pimpinan_13", "pimpinan_nasional", "admin"])
def test_only_auditors_import(world, session, name):
    with pytest.raises(storage.AccessDenied):
        import_answers(session, world.actors[name], CSV.encode(), "jawaban.csv", "contoh")
    assert "access_denied" in [a for _, a, _ in audit_actions(session, name)]


def test_an_auditor_of_another_province_imports_nothing_here(world, session):
    report = checked_import(session, world.actors["auditor_31"], zipped(MIXED), "jawaban.zip", period=PERIOD)
    assert {s.npsn for s in report.stored} == {"Z3100001"}
    assert statuses(session)[world.drafts["Z1300001"]] == "draft"


def test_a_csv_saved_by_excel_with_a_byte_order_mark_is_read(world, session):
    data = "\ufeffnpsn,period,q1,q2,q3,q4,q5\nZ1300002,2025-2,3,2,na,1,0\n".encode()
    report = import_answers(session, world.actors["auditor_13"], data, "excel.csv", "contoh")
    assert report.problems == [] and [s.npsn for s in report.stored] == ["Z1300002"]


def test_a_zip_that_unpacks_too_large_is_refused_unread(world, session, monkeypatch):
    monkeypatch.setattr(bulk_files, "MAX_UNPACKED", 1000)
    files = {f"dalam/{n}.yaml": answers_file(n, **GOOD) + b"#" * 400 for n in ("Z1300001", "Z1300002", "Z1300003")}
    report = import_answers(session, world.actors["auditor_13"], zipped(files), "bom.zip", "contoh", period=PERIOD)
    assert report.stored == [] and [str(p) for p in report.problems] == ["bom.zip: unpacks to more than 0 MiB"]


def test_a_csv_cell_beyond_the_csv_modules_limit_is_a_problem_not_a_crash(world, session):
    data = b"npsn,period,q1,q2,q3,q4,q5\nZ1300002,2025-2,3,2,na,1," + b"0" * 200_000 + b"\n"
    report = import_answers(session, world.actors["auditor_13"], data, "besar.csv", "contoh")
    assert report.stored == [] and "besar.csv:2: cannot be read as CSV" in str(report.problems[0])


def test_a_csv_with_too_many_rows_is_refused(world, session, monkeypatch):
    monkeypatch.setattr(bulk_files, "MAX_ROWS", 1)
    data = b"npsn,period,q1,q2,q3,q4,q5\nZ1300002,2025-2,3,2,na,1,0\nZ1300001,2025-2,3,2,na,1,0\n"
    report = import_answers(session, world.actors["auditor_13"], data, "banyak.csv", "contoh")
    assert report.stored == [] and [str(p) for p in report.problems] == [
        "banyak.csv:3: holds more than 1 rows; split it into smaller files"]


def test_a_zip_that_lies_about_a_files_size_is_refused_on_what_really_inflates(world, session):
    from tests.test_safezip import lying

    honest = answers_file("Z1300002", **GOOD)
    bomb = lying(zipped({"bom.yaml": honest + b"#" * (3 << 20), "Z1300001.yaml": answers_file(None, **GOOD)}),
                 declared=len(honest))  # fmt: skip
    report = import_answers(session, world.actors["auditor_13"], bomb, "bom.zip", "contoh", period=PERIOD)
    assert "bom.yaml:1: file is larger than 1024 KiB" in map(str, report.problems)
    assert [s.npsn for s in report.stored] == []  # Z1300001.yaml lies too (its CRC no longer fits)


def test_the_whole_upload_is_limited_by_the_bytes_that_really_inflate(world, session, monkeypatch):
    from tests.test_safezip import lying

    monkeypatch.setattr(bulk_files, "MAX_UNPACKED", 3 << 20)
    files = {f"{n}.yaml": b"#" * (900 << 10) for n in range(5)}  # 4.4 MiB, declared 500 bytes in all
    report = import_answers(session, world.actors["auditor_13"], lying(zipped(files), declared=100), "bom.zip",
                            "contoh", period=PERIOD)  # fmt: skip
    assert [str(p) for p in report.problems] == ["bom.zip: unpacks to more than 3 MiB"]


def test_the_check_stores_nothing_and_names_the_drafts_it_would_replace(world, session):
    before = statuses(session)
    report = import_answers(session, world.actors["auditor_13"], zipped(MIXED), "jawaban.zip", "contoh",
                            period=PERIOD, preview=True)  # fmt: skip
    assert report.preview and report.stored == [] and statuses(session) == before
    assert report.replaces == {("Z1300001", PERIOD): world.draft_versions["Z1300001"]}
    assert (report.items, report.rejected) == (6, 4)


def test_a_draft_is_not_replaced_unless_the_check_saw_it(world, session):
    files = {"a.yaml": answers_file("Z1300001", **GOOD), "b.yaml": answers_file("Z1300002", **GOOD)}
    report = import_answers(session, world.actors["auditor_13"], zipped(files), "ok.zip", "contoh", period=PERIOD)
    assert [s.npsn for s in report.stored] == ["Z1300002"]
    assert [str(p) for p in report.problems] == [
        "a.yaml: version: school Z1300001 has a draft assessment of 2025-2 that this upload would replace; "
        "check the upload first and confirm"]
    assert statuses(session)[world.drafts["Z1300001"]] == "draft"


def test_a_draft_changed_after_the_check_is_not_replaced(world, session):
    auditor, operator = world.actors["auditor_13"], world.actors["operator_a"]
    upload = zipped({"a.yaml": answers_file("Z1300001", **(GOOD | {"q1": 0}))})
    seen = import_answers(session, auditor, upload, "a.zip", "contoh", period=PERIOD, preview=True)
    draft = world.drafts["Z1300001"]
    # The operator keeps working between the auditor's check and the import.
    storage.save_draft(session, operator, draft, {"q1": 2}, world.draft_versions["Z1300001"])
    report = import_answers(session, auditor, upload, "a.zip", "contoh", period=PERIOD,
                            expected_versions=seen.replaces)  # fmt: skip
    assert report.stored == [] and "changed after the check" in str(report.problems[0])
    info = storage.get_assessment(session, operator, draft)
    assert info.status == "draft" and info.answers.answers["q1"].value == 2


def test_a_note_with_a_nul_is_refused_by_name(world, session):
    body = answers_file("Z1300002", **GOOD).replace(b"  q1: 3\n", b'  q1: {value: 3, note: "a\\0b"}\n')
    report = import_answers(session, world.actors["auditor_13"], zipped({"n.yaml": body}), "n.zip", "contoh",
                            period=PERIOD)  # fmt: skip
    assert report.stored == [] and "n.yaml: answers.q1.note: holds a control character (U+0000)" in \
        str(report.problems[0])  # fmt: skip

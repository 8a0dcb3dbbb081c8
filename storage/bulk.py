"""Bulk import of answers by an auditor (files read by storage.bulk_files).

Only schools in the auditor's scope are imported. Valid entries are stored as
submitted and scored the same way as storage.submit. With all_or_nothing, one
problem stores nothing. Either way the audit log keeps what was tried, and each
refused school outside the scope is logged as a denied access.

An upload is checked first (preview=True: nothing stored), which tells the version of
every draft or returned assessment it would replace; the import then replaces one only
if it is still at that version, so a school's work done after the check is never lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from auth import Action, Actor
from scoring.engine import score
from scoring.loader import Problem
from scoring.messages import msg
from scoring.models import Baseline, Questionnaire

from .access import authorize, school_scope
from .assessments import _answer_row, check_period, write_result
from .audit import record
from .baselines import stored_baseline_for
from .bulk_files import BulkEntry, Progress, read_entries
from .limits import MAX_NOTE, text_problem
from .models import Answer, Assessment, School, utcnow
from .questionnaires import _version_row, stored_questionnaire
from .results import SCORED
from .tx import unit_of_work


@dataclass(frozen=True)
class StoredEntry:
    source: str
    line: int | None
    npsn: str
    period: str
    assessment_id: int
    score: float | None
    readiness_band: str | None


@dataclass(frozen=True)
class BulkReport:
    items: int  # files or rows read
    rejected: int  # of them, with at least one problem
    stored: list[StoredEntry]  # empty when all_or_nothing met a problem
    problems: list[Problem]  # each names its file (and line) or CSV row, like the command line
    all_or_nothing: bool
    # (npsn, period) -> version of the draft or returned assessment each valid entry replaces
    replaces: dict[tuple[str, str], int] = field(default_factory=dict)
    preview: bool = False


@unit_of_work(write=True)
def import_answers(
    session: Session,
    actor: Actor,
    data: bytes,
    filename: str,
    questionnaire_id: str,
    *,
    period: str | None = None,
    all_or_nothing: bool = False,
    baseline: Baseline | None = None,
    progress: Progress | None = None,
    preview: bool = False,
    expected_versions: Mapping[tuple[str, str], int] | None = None,
) -> BulkReport:
    """Check an upload's entries and store the valid ones as submitted assessments of the
    questionnaire's active version, scored; with all_or_nothing, only if every entry is valid.

    preview=True stores nothing and reports in `replaces` the versions of the drafts and
    returned assessments the import would replace. An import replaces one only when
    `expected_versions` (the preview's `replaces`) names it at its current version."""
    authorize(session, actor, Action.IMPORT_ANSWERS, "bulk_import", filename)
    if period is not None:
        check_period(period)
    version_row = _version_row(session, questionnaire_id, None)
    questionnaire = stored_questionnaire(version_row)
    baseline = baseline or stored_baseline_for(session, questionnaire)
    entries, problems, items = read_entries(data, filename, questionnaire, period)
    steps = 2 * len(entries)
    tick = progress or (lambda done, total: None)
    npsns = {e.npsn for e in entries}
    schools = _schools(session, npsns, school_scope(actor))
    elsewhere = _schools(session, npsns - schools.keys()).keys()  # schools outside the scope
    existing = _assessments(session, questionnaire_id, [s.id for s in schools.values()], {e.period for e in entries})
    valid: list[BulkEntry] = []
    seen: dict[tuple[str, str], BulkEntry] = {}
    replaces: dict[tuple[str, str], int] = {}
    for done, entry in enumerate(entries, 1):
        found = _entry_problem(session, actor, entry, schools, elsewhere, existing, seen, version_row.id)
        replaced = existing.get((schools[entry.npsn].id, entry.period)) if found is None else None
        if replaced is not None:
            replaces[(entry.npsn, entry.period)] = replaced.version
            if not preview:
                found = _changed_since_preview(entry, replaced, expected_versions or {})
        if found is None:
            valid.append(entry)
            seen[(entry.npsn, entry.period)] = entry
        else:
            problems.append(found)
        tick(done, steps)
    stored: list[StoredEntry] = []
    if not preview and not (all_or_nothing and problems):
        for done, entry in enumerate(valid, len(entries) + 1):
            school = schools[entry.npsn]
            assessment = existing.get((school.id, entry.period))
            stored.append(_store(session, actor, entry, school, assessment, questionnaire, version_row.id, baseline))
            tick(done, steps)
    tick(steps, steps)
    report = BulkReport(items, items - len(valid), stored, problems, all_or_nothing, replaces, preview)
    record(session, actor, "bulk_preview" if preview else "bulk_import", "assessments", None, source=filename,
           questionnaire=questionnaire_id, period=period, stored=len(stored), problems=len(problems),
           all_or_nothing=all_or_nothing)  # fmt: skip
    return report


def _schools(session: Session, npsns: set[str], *where) -> dict[str, School]:
    found: dict[str, School] = {}
    wanted = sorted(npsns)
    for start in range(0, len(wanted), 500):  # SQLite limits the bound values per query
        chunk = wanted[start : start + 500]
        query = select(School).where(School.npsn.in_(chunk), *where)
        found.update((s.npsn, s) for s in session.scalars(query))
    return found


def _assessments(session: Session, questionnaire_id: str, school_ids: list[int], periods: set[str]):
    found: dict[tuple[int, str], Assessment] = {}
    for start in range(0, len(school_ids), 500):
        query = select(Assessment).where(Assessment.school_id.in_(school_ids[start : start + 500]),
                                         Assessment.questionnaire_id == questionnaire_id,
                                         Assessment.period.in_(sorted(periods)))  # fmt: skip
        found.update(((a.school_id, a.period), a) for a in session.scalars(query))
    return found


def _entry_problem(session, actor, entry: BulkEntry, schools, elsewhere, existing, seen, version_id: int
                   ) -> Problem | None:  # fmt: skip
    school = schools.get(entry.npsn)
    if school is None:
        if entry.npsn in elsewhere:
            record(session, actor, "access_denied", "school", entry.npsn, attempted="bulk_import",
                   reason="outside the user's scope")  # fmt: skip
        # The same words whether the school exists elsewhere or not at all: scope stays private.
        return Problem(entry.source, entry.line, "npsn", msg("bulk.not_in_scope", npsn=entry.npsn))
    where = (entry.source, entry.line)
    if (entry.npsn, entry.period) in seen:
        earlier = seen[(entry.npsn, entry.period)]
        if earlier.line is None:
            return Problem(*where, "npsn", msg("bulk.duplicate_file", npsn=entry.npsn, period=entry.period,
                                               file=earlier.source))  # fmt: skip
        return Problem(*where, "npsn", msg("bulk.duplicate_line", npsn=entry.npsn, period=entry.period,
                                           line=earlier.line))  # fmt: skip
    assessment = existing.get((school.id, entry.period))
    if assessment is not None and assessment.status in SCORED:
        return Problem(*where, "period", msg(f"bulk.already_{assessment.status}", npsn=entry.npsn,
                                             period=entry.period))  # fmt: skip
    if assessment is not None and assessment.questionnaire_version_id != version_id:
        return Problem(*where, "version", msg("bulk.old_version", npsn=entry.npsn, period=entry.period))
    for qid, answer in entry.answers.answers.items():
        if answer.note is not None and (problem := text_problem(answer.note, MAX_NOTE, multiline=True)):
            return Problem(*where, f"answers.{qid}.note", problem)
    return None


def _changed_since_preview(entry: BulkEntry, assessment: Assessment, expected: Mapping[tuple[str, str], int]
                           ) -> Problem | None:  # fmt: skip
    """Like Impor: a draft is replaced only at the version the auditor saw when checking."""
    seen = expected.get((entry.npsn, entry.period))
    if seen == assessment.version:
        return None
    where = (entry.source, entry.line)
    if seen is None:
        return Problem(*where, "version", msg("bulk.not_checked", npsn=entry.npsn, period=entry.period,
                                              status=msg(f"status.{assessment.status}")))  # fmt: skip
    return Problem(*where, "version", msg("bulk.changed_since_check", npsn=entry.npsn, period=entry.period,
                                          status=msg(f"status.{assessment.status}"), seen=seen,
                                          now=assessment.version))  # fmt: skip


def _store(session, actor, entry: BulkEntry, school: School, assessment: Assessment | None,
           questionnaire: Questionnaire, version_id: int, baseline: Baseline | None) -> StoredEntry:  # fmt: skip
    now = utcnow()
    if assessment is None:
        assessment = Assessment(school_id=school.id, questionnaire_id=questionnaire.id, period=entry.period,
                                questionnaire_version_id=version_id, created_by_id=actor.user_id,
                                created_at=now)  # fmt: skip
        session.add(assessment)
    assessment.status, assessment.submitted_at, assessment.return_reasons = "submitted", now, None
    assessment.updated_by_id, assessment.updated_at = actor.user_id, now
    session.flush()
    session.execute(delete(Answer).where(Answer.assessment_id == assessment.id))
    rows = [_answer_row(assessment.id, qid, e) for qid, e in entry.answers.answers.items()]
    session.execute(Answer.__table__.insert(), rows)
    result = score(questionnaire, entry.answers, baseline, jenjang=school.jenjang)
    write_result(session, assessment.id, result, now)
    record(session, actor, "bulk_submit", "assessment", assessment.id, npsn=entry.npsn, period=entry.period,
           source=entry.source, line=entry.line, score=result.overall.score, band=result.overall.band)  # fmt: skip
    return StoredEntry(entry.source, entry.line, entry.npsn, entry.period, assessment.id, result.overall.score,
                       result.overall.band)  # fmt: skip

"""Schools: read within scope, and import from CSV (all rows valid, or nothing stored)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from auth import Action, Actor, Role
from scoring.loader import Problem

from .access import authorize, deny, province_in_scope, school_scope
from .audit import record
from .errors import AccessDenied, InvalidInput, NotFound
from .kabupaten import KABUPATEN_CODE, code_problem, fill_kabupaten_codes, kabupaten_choices
from .limits import MAX_KABUPATEN_KOTA, MAX_SCHOOL_NAME, MAX_SEARCH, check_text, text_problem
from .models import JENJANG, SCHOOL_STATUSES, Province, School, utcnow
from .tx import unit_of_work

NPSN = re.compile(r"^[A-Z0-9]{8}$")
CSV_COLUMNS = ("npsn", "name", "jenjang", "status", "province_code", "kabupaten_kota")


@dataclass(frozen=True)
class SchoolInfo:
    npsn: str
    name: str
    jenjang: str
    status: str
    province_code: str
    province: str
    kabupaten_kota: str
    kabupaten_code: str | None = None


def _school_query():
    return select(School, Province.name).join(Province, Province.code == School.province_code)


def _info(school: School, province: str) -> SchoolInfo:
    return SchoolInfo(school.npsn, school.name, school.jenjang, school.status, school.province_code, province,
                      school.kabupaten_kota, school.kabupaten_code)  # fmt: skip


@unit_of_work()
def list_schools(
    session: Session,
    actor: Actor,
    *,
    province_code: str | None = None,
    jenjang: str | None = None,
    status: str | None = None,
    search: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[SchoolInfo]:
    """The schools in the actor's scope, by province, kabupaten/kota and name.
    Filtering on a province outside the scope is an access error."""
    authorize(session, actor, Action.READ, "schools")
    if province_code is not None and not province_in_scope(session, actor, province_code):
        raise deny(actor, Action.READ, "province", province_code)
    query = _school_query().where(school_scope(actor))
    if province_code is not None:
        query = query.where(School.province_code == province_code)
    if jenjang is not None:
        query = query.where(School.jenjang == jenjang)
    if status is not None:
        query = query.where(School.status == status)
    if search:
        check_text("search", search, MAX_SEARCH)
        # autoescape: a typed "%" or "_" is text to find, not a wildcard (as in school_table)
        query = query.where(or_(func.lower(School.name).contains(search.lower(), autoescape=True),
                                School.npsn == search.upper()))
    query = query.order_by(School.province_code, School.kabupaten_kota, School.name).limit(limit).offset(offset)
    return [_info(school, province) for school, province in session.execute(query)]


def school_id_in_scope(session: Session, actor: Actor, npsn: str, action: Action) -> int:
    """The id of the school with this NPSN if the actor may see it. Otherwise AccessDenied,
    whether the school is outside the scope or does not exist: a scoped user cannot probe
    which NPSNs exist. Only for those who see every school (admin) is a missing one NotFound."""
    found = None
    if NPSN.match(npsn):  # nothing else is an NPSN (and a NUL would fail on PostgreSQL)
        found = session.scalar(select(School.id).where(School.npsn == npsn, school_scope(actor)))
    if found is not None:
        return found
    if actor.is_system or actor.role == Role.ADMIN:
        raise NotFound("school", npsn)
    raise AccessDenied(actor.username, str(action), "school", npsn, "not a school in the user's scope")


@unit_of_work()
def get_school(session: Session, actor: Actor, npsn: str) -> SchoolInfo:
    authorize(session, actor, Action.READ, "school", npsn)
    school_id_in_scope(session, actor, npsn, Action.READ)
    school, province = session.execute(_school_query().where(School.npsn == npsn)).one()
    return _info(school, province)


@unit_of_work()
def list_provinces(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(BPS code, name) of every province, in code order. Not secret, but only for signed-in users."""
    authorize(session, actor, Action.READ, "provinces")
    return [(p.code, p.name) for p in session.scalars(select(Province).order_by(Province.code))]


@unit_of_work()
def list_kabupaten(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(BPS code, '1371 Kota Padang') of every kabupaten/kota known, for choosing scopes (admin only)."""
    authorize(session, actor, Action.MANAGE_USERS, "kabupaten")
    return kabupaten_choices(session)


def parse_schools_csv(data: bytes, source: str, province_codes: set[str]) -> list[dict]:
    """Every row of a schools CSV, or InvalidInput naming each bad row and field.
    Columns: npsn,name,jenjang,status,province_code,kabupaten_kota and optionally kabupaten_code
    (in any order). A row's kabupaten_code is None when the file has no such column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidInput(f"{source}: the file is not UTF-8 text (byte {err.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_rows(reader, source, province_codes)
    except csv.Error as err:  # e.g. a field beyond the csv module's size limit
        # The inner reader's count: DictReader's own moves only after a row is read whole.
        problem = Problem(source, reader.reader.line_num or 1, "", f"cannot be read as CSV: {err}")
        raise InvalidInput(f"{source}: 1 problem(s); nothing was imported", [problem]) from None


def _read_rows(reader: csv.DictReader, source: str, province_codes: set[str]) -> list[dict]:
    problems: list[Problem] = []
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(
            f"{source}:1: the header must name the columns {', '.join(CSV_COLUMNS)}; missing: {', '.join(missing)}"
        )
    rows: list[dict] = []
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        values = {c: (row.get(c) or "").strip() for c in CSV_COLUMNS}
        for field, message in _row_problems(values, province_codes):
            problems.append(Problem(source, line, field, message))
        # Optional: without it (or empty) the code comes from the name where the shipped table knows it.
        values[KABUPATEN_CODE] = (row.get(KABUPATEN_CODE) or "").strip() or None
        values["line"] = line
        if values[KABUPATEN_CODE] and (problem := code_problem(values[KABUPATEN_CODE], values["province_code"])):
            problems.append(Problem(source, line, KABUPATEN_CODE, problem))
        npsn = values["npsn"]
        if npsn in first_line:
            problems.append(Problem(source, line, "npsn", f"'{npsn}' is already on line {first_line[npsn]}"))
        first_line.setdefault(npsn, line)
        rows.append(values)
    if not rows and not problems:
        problems.append(Problem(source, 2, "", "the file has a header but no schools"))
    if problems:
        raise InvalidInput(f"{source}: {len(problems)} problem(s); nothing was imported", problems)
    return rows


def _row_problems(values: dict, province_codes: set[str]):
    if not NPSN.match(values["npsn"]):
        yield "npsn", f"'{values['npsn']}' must be 8 characters, capital letters A-Z or digits (e.g. 20100001)"
    if not values["name"]:
        yield "name", f"must be given, at most {MAX_SCHOOL_NAME} characters"
    elif problem := text_problem(values["name"], MAX_SCHOOL_NAME):
        yield "name", problem
    if values["jenjang"] not in JENJANG:
        yield "jenjang", f"'{values['jenjang']}' must be one of {', '.join(JENJANG)}"
    if values["status"] not in SCHOOL_STATUSES:
        yield "status", f"'{values['status']}' must be negeri or swasta"
    if values["province_code"] not in province_codes:
        yield "province_code", f"'{values['province_code']}' is not a BPS province code (e.g. 13 for Sumatera Barat)"
    if not values["kabupaten_kota"]:
        yield "kabupaten_kota", f"must be given, at most {MAX_KABUPATEN_KOTA} characters"
    elif problem := text_problem(values["kabupaten_kota"], MAX_KABUPATEN_KOTA):
        yield "kabupaten_kota", problem


@unit_of_work(write=True)
def import_schools(session: Session, actor: Actor, data: bytes, source: str) -> tuple[int, int]:
    """Add or update the schools of a CSV file (admin only). Returns (added, updated)."""
    authorize(session, actor, Action.MANAGE_SCHOOLS, "schools")
    rows = parse_schools_csv(data, source, set(session.scalars(select(Province.code))))
    npsns = [r["npsn"] for r in rows]
    existing: dict[str, School] = {}
    for start in range(0, len(npsns), 5000):  # SQLite limits the number of bound values
        chunk = npsns[start : start + 5000]
        existing.update((s.npsn, s) for s in session.scalars(select(School).where(School.npsn.in_(chunk))))
    fill_kabupaten_codes(session, rows, existing, source)
    rows = [{k: v for k, v in row.items() if k != "line"} for row in rows]
    now = utcnow()
    new = [{**row, "updated_at": now} for row in rows if row["npsn"] not in existing]
    for row in rows:
        school = existing.get(row["npsn"])
        if school is not None:
            for key, value in row.items():
                setattr(school, key, value)
            school.updated_at = now
    if new:
        session.execute(School.__table__.insert(), new)
    record(session, actor, "import_schools", "schools", None, source=source, added=len(new), updated=len(existing))
    return len(new), len(existing)

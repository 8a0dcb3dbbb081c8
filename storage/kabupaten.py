"""Kabupaten/kota BPS codes: the shipped reference table, and telling a code from a name.

`reference/kabupaten_kota.csv` holds the BPS codes (Kode Wilayah Kerja Statistik, 2020
semester 2, as published by BPS's bridging service) of the 472 kabupaten/kota of the 32
provinces outside Papua. The 42 of Papua and Papua Barat are left out: the 2022 split into
six provinces moved most of them under new province codes, and their new BPS codes could
not be checked offline. Their schools need a `kabupaten_code` column in the schools CSV.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.loader import Problem

from .errors import InvalidInput
from .models import School

REFERENCE = Path(__file__).resolve().parent / "reference" / "kabupaten_kota.csv"
CODE = re.compile(r"^[0-9]{4}$")
KABUPATEN_CODE = "kabupaten_code"
# How a name may start, and which kind of place it names.
KINDS = (("kabupaten administrasi", "kabupaten"), ("kota administrasi", "kota"), ("kota adm", "kota"),
         ("kab adm", "kabupaten"), ("kabupaten", "kabupaten"), ("kab", "kabupaten"), ("kota", "kota"))  # fmt: skip


def _words(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def name_key(name: str) -> tuple[str | None, str]:
    """(kind or None, the rest), both plain lower-case words: 'Kab. Agam' -> ('kabupaten', 'agam')."""
    words = _words(name)
    for prefix, kind in KINDS:
        if words.startswith(prefix + " "):
            return kind, words[len(prefix) + 1 :].replace(" ", "")
    return None, words.replace(" ", "")


@cache
def reference() -> dict[str, tuple[str, str]]:
    """BPS code -> (province code, name) of every kabupaten/kota in the shipped table."""
    with REFERENCE.open(encoding="utf-8", newline="") as f:
        return {r["kabupaten_code"]: (r["province_code"], r["kabupaten_kota"]) for r in csv.DictReader(f)}


@cache
def _by_name() -> dict[tuple[str, str | None, str], list[str]]:
    found: dict[tuple[str, str | None, str], list[str]] = {}
    for code, (province, name) in reference().items():
        kind, rest = name_key(name)
        found.setdefault((province, kind, rest), []).append(code)
        found.setdefault((province, None, rest), []).append(code)
    return found


def code_for(province_code: str, kabupaten_kota: str) -> str | None:
    """The BPS code the name identifies in this province, or None when it names none or several
    ('Solok' without 'Kabupaten' or 'Kota' is both 1303 and 1372)."""
    kind, rest = name_key(kabupaten_kota)
    codes = _by_name().get((province_code, kind, rest), [])
    return codes[0] if len(codes) == 1 else None


def code_problem(code: str, province_code: str) -> str | None:
    """Why `code` cannot be a kabupaten/kota of this province, in Indonesian / English; None if it can."""
    if not CODE.match(code):
        return (f"'{code}' harus kode BPS 4 angka (mis. 1371 untuk Kota Padang) / "
                f"must be the 4-digit BPS code (e.g. 1371 for Kota Padang)")  # fmt: skip
    if code[:2] != province_code:
        return (f"'{code}' harus diawali kode provinsinya {province_code} / "
                f"must start with its province code {province_code}")  # fmt: skip
    return None


def label(code: str) -> str:
    """'1371 Kota Padang', or the code alone when the table does not know it."""
    known = reference().get(code)
    return f"{code} {known[1]}" if known else code


def fill_kabupaten_codes(session: Session, rows: list[dict], existing: dict[str, School], source: str) -> None:
    """Give each imported row its kabupaten_code (from the file, else from its name, else the
    school's stored one), then check that each kabupaten/kota name of a province has one code,
    in the file and among the stored schools: the aggregates group schools by name, the scopes
    by code, so one name with two codes would count schools of one scope in another's figures."""
    for row in rows:
        if row[KABUPATEN_CODE] is None:
            school = existing.get(row["npsn"])
            same_place = school is not None and (school.province_code, school.kabupaten_kota) == (
                row["province_code"], row["kabupaten_kota"])  # fmt: skip
            row[KABUPATEN_CODE] = code_for(row["province_code"], row["kabupaten_kota"]) or (
                school.kabupaten_code if same_place else None)  # fmt: skip
    seen: dict[tuple[str, str], tuple[str | None, str]] = {}  # place -> (code, where it was first given)
    problems = []
    for row in rows:
        place, code = (row["province_code"], row["kabupaten_kota"]), row[KABUPATEN_CODE]
        first = seen.setdefault(place, (code, f"baris {row['line']} / line {row['line']}"))
        if first[0] != code:
            problems.append(_conflict(source, row, first))
    in_file = {r["npsn"] for r in rows}
    names = sorted({k for _, k in seen})
    for start in range(0, len(names), 5000):
        query = select(School.npsn, School.province_code, School.kabupaten_kota, School.kabupaten_code).where(
            School.kabupaten_kota.in_(names[start : start + 5000]))  # fmt: skip
        for npsn, province, kab, code in session.execute(query):
            first = seen.get((province, kab))
            if npsn not in in_file and first is not None and first[0] != code:
                row = next(r for r in rows if (r["province_code"], r["kabupaten_kota"]) == (province, kab))
                problems.append(_conflict(source, row, (code, f"sekolah tersimpan / stored school {npsn}")))
                seen[(province, kab)] = (first[0], "")  # one problem per place is enough
    if problems:
        raise InvalidInput(f"{source}: {len(problems)} problem(s); nothing was imported", problems)


def _conflict(source: str, row: dict, first: tuple[str | None, str]) -> Problem:
    code, other = row[KABUPATEN_CODE] or "(kosong / none)", first[0] or "(kosong / none)"
    return Problem(source, row["line"], KABUPATEN_CODE,
                   f"'{code}' berbeda dengan kode {other} untuk {row['kabupaten_kota']} ({first[1]}): satu nama "
                   f"kabupaten/kota, satu kode / differs from code {other} for the same kabupaten/kota "
                   f"({first[1]}): one name, one code")  # fmt: skip


def kabupaten_choices(session: Session) -> list[tuple[str, str]]:
    """(code, label) of every kabupaten/kota a scope may name: the shipped table and the codes
    of stored schools (Papua's, fictional demo ones), in code order."""
    names = {code: name for code, (_, name) in reference().items()}
    query = select(School.kabupaten_code, School.kabupaten_kota).distinct().where(School.kabupaten_code.is_not(None))
    for code, name in session.execute(query):
        names.setdefault(code, name)
    return [(code, f"{code} {names[code]}") for code in sorted(names)]

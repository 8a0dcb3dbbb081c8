"""The per-question answer tallies: one row per group holding a JSON object
{question id: [n0, n1, n2, n3, na]}, so a submission writes one row per group it counts in.

Elsewhere the tallies travel as Rows like the other tables, one entry per (group, question);
this module folds them into the group rows on write and unfolds them on read. Adding to a
JSON object happens in Python: on PostgreSQL the group rows are created if missing and then
locked in key order, so two submissions to the same group add one after the other; on SQLite
the transaction already holds the database's one write lock.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator

from sqlalchemy import insert, select, text, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .tables import KEY_COLUMNS, TALLY_SIZE, AggregateAnswerTallies
from .upsert import array_literal

TABLE = AggregateAnswerTallies.__table__
NAME = AggregateAnswerTallies.__tablename__
CHUNK = 100  # groups per statement: 6 bound key values each, under SQLite's limit

Tally = list[int]


def encode(tallies: dict[str, Tally]) -> str:
    return json.dumps({q: v for q, v in sorted(tallies.items()) if any(v)}, separators=(",", ":"))


def decode(text: str | None) -> dict[str, Tally]:
    return json.loads(text) if text else {}


def _add_one(total: dict[str, Tally], question_id: str, counts: Tally) -> None:
    found = total.setdefault(question_id, [0] * TALLY_SIZE)
    for i, n in enumerate(counts):
        found[i] += n


def add_into(total: dict[str, Tally], more: dict[str, Tally]) -> None:
    for question_id, counts in more.items():
        _add_one(total, question_id, counts)


def _key_columns():
    return [TABLE.c[k] for k in KEY_COLUMNS]


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def apply_tallies(session: Session, rows: list[tuple[tuple, Tally]]) -> None:
    """Add (group + question, counts) entries to the group rows, in the caller's transaction."""
    groups = sorted({key[:-1] for key, _ in rows})
    if not groups:
        return
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        current = _locked_postgresql(session, groups)
    else:  # the transaction holds SQLite's one write lock already (storage/tx.py)
        current = {}
        for chunk in _chunks(groups):
            query = select(*_key_columns(), TABLE.c.tallies).where(tuple_(*_key_columns()).in_(chunk))
            current.update((tuple(r[:-1]), decode(r[-1])) for r in session.execute(query))
    for key, counts in rows:
        _add_one(current.setdefault(key[:-1], {}), key[-1], counts)
    written = [(*group, encode(current[group])) for group in groups]
    if postgres:
        session.execute(_UPDATE, _arrays(written))
    else:
        session.connection().exec_driver_sql(_SQLITE_UPSERT, written)


# PostgreSQL: the groups travel as one array per key column (see upsert.array_literal).
_UNNEST_KEYS = ("unnest(CAST(:c0 AS integer[]), CAST(:c1 AS text[]), CAST(:c2 AS text[]), CAST(:c3 AS text[]), "
                "CAST(:c4 AS text[]), CAST(:c5 AS text[]))")  # fmt: skip
_JOIN_KEYS = " AND ".join(f"t.{k} = k.{k}" for k in KEY_COLUMNS)
_KEYS = ", ".join(KEY_COLUMNS)
_CREATE = text(f"INSERT INTO {NAME} ({_KEYS}, tallies) SELECT *, '{{}}' FROM {_UNNEST_KEYS} "  # noqa: S608
               f"ON CONFLICT DO NOTHING")  # fmt: skip
_LOCK = text(f"SELECT {', '.join(f't.{k}' for k in KEY_COLUMNS)}, t.tallies FROM {NAME} t "  # noqa: S608
             f"JOIN {_UNNEST_KEYS} AS k({_KEYS}) ON {_JOIN_KEYS} ORDER BY {_KEYS} FOR UPDATE OF t")  # fmt: skip
_UPDATE = text(f"UPDATE {NAME} t SET tallies = k.tallies FROM "  # noqa: S608
               f"{_UNNEST_KEYS[:-1]}, CAST(:c6 AS text[])) AS k({_KEYS}, tallies) WHERE {_JOIN_KEYS}")  # fmt: skip
_SQLITE_UPSERT = (f"INSERT INTO {NAME} ({_KEYS}, tallies) VALUES ({', '.join('?' * (len(KEY_COLUMNS) + 1))}) "  # noqa: S608
                  f"ON CONFLICT ({_KEYS}) DO UPDATE SET tallies = excluded.tallies")  # fmt: skip


def _arrays(rows: list[tuple]) -> dict[str, str]:
    return {f"c{i}": array_literal(column) for i, column in enumerate(zip(*rows, strict=True))}


def _locked_postgresql(session: Session, groups: list[tuple]) -> dict[tuple, dict[str, Tally]]:
    """The group rows, created where missing and then locked, both in key order: no two
    writers create the same row, none overwrites another's addition, and all lock alike."""
    keys = _arrays(groups)
    session.execute(_CREATE, keys)
    return {tuple(r[:-1]): decode(r[-1]) for r in session.execute(_LOCK, keys)}


def unfold(session: Session) -> dict[tuple[str, tuple], Tally]:
    """Every non-zero (group + question) entry, as Rows (for tests and the rebuild check)."""
    out = {}
    for row in session.execute(select(*_key_columns(), TABLE.c.tallies)):
        for question_id, counts in decode(row[-1]).items():
            if any(counts):
                out[(NAME, (*row[:-1], question_id))] = list(counts)
    return out


def sum_tallies(session: Session, where) -> dict[str, Tally]:
    """question id -> counts, summed over the group rows that `where` selects."""
    total: dict[str, Tally] = {}
    for (found,) in session.execute(select(TABLE.c.tallies).where(*where)):
        add_into(total, decode(found))
    return {q: v for q, v in total.items() if any(v)}


def write_rebuilt(connection: Connection, finest: Iterable[tuple], groups_of) -> None:
    """The tallies of every group from the finest groups' per-question counts:
    (version, period, province, kab, jenjang, status, question id, n0..na) rows, each added to
    the groups `groups_of(province, kab, jenjang, status)` that it counts in."""
    folded: dict[tuple, dict[str, Tally]] = defaultdict(dict)
    for version_id, period, province, kab, jenjang, status, question_id, *counts in finest:
        for group in groups_of(province, kab, jenjang, status):
            _add_one(folded[(version_id, period, *group)], question_id, [int(n) for n in counts])
    rows = [{**dict(zip(KEY_COLUMNS, g, strict=True)), "tallies": encode(t)} for g, t in sorted(folded.items())]
    for start in range(0, len(rows), 1000):
        connection.execute(insert(TABLE), rows[start : start + 1000])


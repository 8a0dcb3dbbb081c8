"""Adding counts to a table in one statement: insert each row, or add to the one there.

Rows are written in key order, so concurrent writers take row locks in the same order. On
PostgreSQL the rows travel as one array per column (an executemany of upserts costs a round
trip per row, and the driver adapting a list element by element cost more than the upsert);
on SQLite as the driver's executemany of one prepared statement (SQLAlchemy's per-row
parameter processing cost more than the writes).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Connection

from .tables import value_columns

_ARRAY_TYPES = {"INTEGER": "integer[]", "SMALLINT": "smallint[]", "FLOAT": "float8[]"}


def add_counts(connection: Connection, table, keys: tuple[str, ...], rows: Sequence[tuple]) -> None:
    """Add rows (key values..., count values...) to `table`: `keys` is its primary key, in the
    order the rows give it, and its other columns are the counts."""
    if not rows:
        return
    ordered = sorted(rows)
    if connection.dialect.name == "postgresql":
        columns = zip(*ordered, strict=True)
        connection.execute(_unnest_upsert(table, keys), {f"c{i}": array_literal(c) for i, c in enumerate(columns)})
    else:
        connection.exec_driver_sql(_sqlite_upsert(table, keys), ordered)


def array_literal(values) -> str:
    """A PostgreSQL array literal, for one text parameter per column. Strings are quoted and
    escaped; a float's repr reads back as the same double."""

    def element(v) -> str:
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return repr(v)

    return "{" + ",".join(map(element, values)) + "}"


@cache
def _sqlite_upsert(table, keys: tuple[str, ...]) -> str:
    values = value_columns(table)
    name = table.__tablename__
    added = ", ".join(f"{v} = {name}.{v} + excluded.{v}" for v in values)
    # Only our own table and column names go into the text; the values are bound.
    return (f"INSERT INTO {name} ({', '.join(keys + values)}) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in keys + values)}) ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}")


@cache
def _unnest_upsert(table, keys: tuple[str, ...]) -> TextClause:
    """INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE, adding the counts."""
    values = value_columns(table)
    names = keys + values
    name = table.__tablename__
    casts = [f"CAST(:c{i} AS {_ARRAY_TYPES.get(str(table.__table__.c[n].type).split('(')[0], 'text[]')})"
             for i, n in enumerate(names)]  # fmt: skip
    added = ", ".join(f"{v} = {name}.{v} + excluded.{v}" for v in values)
    # Only our own table and column names go into the text; the values are bound arrays.
    return text(f"INSERT INTO {name} ({', '.join(names)}) SELECT * FROM unnest({', '.join(casts)}) "  # noqa: S608
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}")  # fmt: skip

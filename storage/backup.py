"""Backups as one gzipped JSON file that either backend can restore.

The file holds every row (password hashes included, so accounts survive a
restore): keep it as safe as the database itself. A restore goes only into an
empty database, so it can never mix or overwrite data.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Date, Engine, LargeBinary, func, select, text

from .db import current_revision, head_revision, upgrade
from .errors import InvalidInput
from .models import Base, UTCDateTime, utcnow

FORMAT = "siaga-siber-backup"
FORMAT_VERSION = 1
SKIPPED = {"provinces"}  # written by the migrations themselves
CHUNK = 5000


def _tables():
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED]


def _encode(value):
    if isinstance(value, bytes):  # evidence files
        return base64.b64encode(value).decode("ascii")
    return value.isoformat() if isinstance(value, datetime | date) else value


def _decoder(table):
    """column -> how a backup's JSON value turns back into the column's value."""
    decode = {}
    for column in table.columns:
        if isinstance(column.type, UTCDateTime):
            decode[column.name] = datetime.fromisoformat
        elif isinstance(column.type, Date):
            decode[column.name] = date.fromisoformat
        elif isinstance(column.type, LargeBinary):
            decode[column.name] = base64.b64decode
    return decode


def backup(engine: Engine, path: str | Path) -> dict[str, int]:
    """Write every table to `path` (gzipped JSON, readable only by its owner). Returns row counts."""
    path = Path(path)
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "revision": current_revision(engine),
                "created_at": utcnow().isoformat(), "tables": {}}  # fmt: skip
    counts = {}
    with engine.connect() as connection:  # one transaction: a consistent snapshot
        for table in _tables():
            columns = [c.name for c in table.columns]
            order = [table.c[c.name] for c in table.primary_key.columns]
            rows = [[_encode(v) for v in row] for row in connection.execute(select(table).order_by(*order))]
            document["tables"][table.name] = {"columns": columns, "rows": rows}
            counts[table.name] = len(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A new file (mkstemp: mode 0600), renamed over the old one only once complete: an
    # existing file's wider permissions never carry over, and a failed backup leaves it whole.
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(descriptor, "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb") as handle:
                handle.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return counts


def read_backup(path: str | Path) -> dict:
    try:
        with gzip.open(path, "rb") as handle:
            document = json.loads(handle.read())
    except (OSError, ValueError) as err:
        raise InvalidInput(f"{path}: not a Siaga Siber backup ({err})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput(f"{path}: not a Siaga Siber backup (no '{FORMAT}' header)")
    if document.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(f"{path}: backup format {document.get('format_version')} is not supported")
    return document


def restore(engine: Engine, path: str | Path) -> dict[str, int]:
    """Load a backup into an empty database (migrated first). Returns row counts."""
    document = read_backup(path)
    upgrade(engine)
    if document["revision"] != head_revision():
        raise InvalidInput(
            f"{path}: the backup is of schema revision {document['revision']}, this code is at "
            f"{head_revision()}. Restore it with the version of Siaga Siber that wrote it, then upgrade."
        )
    counts = {}
    with engine.begin() as connection:
        for table in _tables():
            if connection.scalar(select(func.count()).select_from(table)):
                raise InvalidInput(
                    f"The database already holds data (table {table.name}); restore only into an empty database."
                )
        for table in _tables():
            stored = document["tables"].get(table.name, {"columns": [], "rows": []})
            unknown = set(stored["columns"]) - set(table.c.keys())
            if unknown:
                raise InvalidInput(f"{path}: table {table.name} has unknown columns {sorted(unknown)}")
            decode = _decoder(table)
            rows = [
                {k: decode[k](v) if k in decode and v is not None else v
                 for k, v in zip(stored["columns"], row, strict=True)}
                for row in stored["rows"]
            ]  # fmt: skip
            for start in range(0, len(rows), CHUNK):
                connection.execute(table.insert(), rows[start : start + CHUNK])
            counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return counts


def _reset_sequences(connection) -> None:
    """Explicit ids do not move PostgreSQL's sequences; move them past the restored rows."""
    for table in _tables():
        if "id" in table.c and table.c.id.primary_key:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 (table names are ours)
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )

"""Safe CSV export: cells that a spreadsheet would run as a formula are escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: object) -> object:
    """The cell, with a leading apostrophe if it is text that starts like a formula.
    Numbers are left alone: -5 is a number, not a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def to_csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A CSV document with every cell, header included, passed through csv_safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_safe(c) for c in header])
    for row in rows:
        writer.writerow([csv_safe(c) for c in row])
    return out.getvalue()

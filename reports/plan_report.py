"""A school's action plan (its tasks) as a printable HTML page. Rows come in with their
column names already in the reader's language; every value is escaped with `html.escape`."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from .exports import Cell, columns
from .html_report import STYLE


def plan_html(title: str, meta: Mapping[str, str], summary: str, rows: Sequence[Mapping[str, Cell]],
              lang: str) -> str:  # fmt: skip
    """One self-contained page: a title, the school's details, one line of summary, the task table."""
    esc = html.escape
    header = columns(rows)
    meta_html = "".join(f"<dt>{esc(k)}</dt><dd>{esc(str(v))}</dd>" for k, v in meta.items())
    head = "".join(f"<th>{esc(str(c))}</th>" for c in header)
    body = "".join("<tr>" + "".join(f"<td>{esc('' if r.get(c) is None else str(r.get(c)))}</td>" for c in header)
                   + "</tr>" for r in rows)  # fmt: skip
    return (f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{esc(title)}</h1><dl class=\"meta\">{meta_html}</dl><p>{esc(summary)}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>")  # fmt: skip

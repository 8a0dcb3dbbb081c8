"""Self-contained HTML reports for printing: one file, no network, no script.

Charts are inline SVG drawn by `reports.svg` from the app's own figures (a report is tens of
kilobytes, not the 4.6 MB plotly.js would add). The page fits a 390 px phone without sideways
scrolling (tables become one card per row there) and prints on A4.
Everything that came from a user or a file is escaped with `html.escape`, in `svg` as well.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from scoring.engine import Result
from scoring.models import Answers, Questionnaire

from .chart_style import BAND_COLOURS
from .exports import Cell, actions_rows, columns, result_rows
from .labels import label, maturity_text, number
from .svg import figure_svg
from .tier3_gate import gates_html

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; overflow-wrap: anywhere; }
.nobr { white-space: nowrap; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
.headline { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.headline div { border: 1px solid #999; border-radius: .4rem; padding: .5rem .8rem; }
.headline .value { font-size: 1.4rem; font-weight: 700; display: block; }
.band { border-left: .5rem solid; padding-left: .4rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .3rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; }
figure.chart { margin: 1rem 0; max-width: 40rem; }
figure.chart svg { display: block; width: 100%; height: auto; }
.note { border: 1px solid #999; border-radius: .4rem; padding: .5rem .8rem; margin: 1rem 0; font-size: 1rem; }
.note h2 { font-size: 1rem; margin: 0 0 .3rem; } .note p { margin: .2rem 0; }
/* A phone: each table row becomes a card of "column: value" lines. */
@media screen and (max-width: 40rem) {
  body { margin: 1rem auto; padding: 0 .75rem; }
  table, tbody, tr, td { display: block; width: 100%; box-sizing: border-box; }
  thead { display: none; }
  tr { border: 1px solid #bbb; border-radius: .3rem; margin-bottom: .6rem; }
  td { border: none; border-bottom: 1px solid #eee; }
  td.num { text-align: left; white-space: normal; }
  td::before { content: attr(data-label) ": "; font-weight: 600; }
}
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  figure.chart, .headline, .note, tr { break-inside: avoid; page-break-inside: avoid; }
  figure.chart { max-width: 16cm; }
  h2 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .band { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def school_report_html(
    questionnaire: Questionnaire,
    result: Result,
    *,
    school_name: str,
    npsn: str,
    jenjang: str | None,
    date: dt.date | str,
    lang: str,
    figures: Sequence[go.Figure] = (),
    answers: Answers | None = None,
) -> str:
    """One school's report: who and when, the headline, the charts, the domain table and the action plan."""
    e = html.escape
    overall = result.overall
    meta = [
        (label("school", lang), school_name), (label("npsn", lang), npsn),
        (label("jenjang", lang), jenjang or "–"), (label("date", lang), _date_text(date)),
    ]
    headline = {
        label("score", lang): number(overall.score, lang),
        label("band", lang): _band_html(questionnaire, overall.band, lang),
        label("maturity", lang): e(maturity_text(overall.maturity, lang)),
        label("completeness", lang): e(f"{number(100 * result.completeness, lang, 0)} %"),
    }
    actions = actions_rows(questionnaire, result, lang, answers)
    body = [
        f"<h1>{e(label('report_title', lang))}</h1>",
        f"<p>{_text(questionnaire.title.get(lang))} ({e(questionnaire.version)})</p>",
        '<dl class="meta">' + "".join(f"<dt>{e(k)}</dt><dd>{e(str(v))}</dd>" for k, v in meta) + "</dl>",
        _headline_html(headline),
        _figures_html(figures),
        f"<h2>{e(label('domains', lang))}</h2>",
        _table_html(result_rows(questionnaire, result, lang), lang),
        gates_html(questionnaire, result, lang),
        f"<h2>{e(label('action_plan', lang))}</h2>",
        _table_html(actions, lang) if actions else f"<p>{e(label('no_actions', lang))}</p>",
    ]
    return _page(f"{label('report_title', lang)} – {school_name}", lang, body)


def summary_html(
    title: str,
    headline: Mapping[str, Cell],
    figures: Sequence[go.Figure],
    lang: str,
    date: dt.date | str | None = None,
    notes: Sequence[str] = (),
    notes_title: str = "",
) -> str:
    """A one-page summary for leaders: a title, headline figures, notes (what is withheld and
    why, in normal text, not as a headline figure) and charts."""
    e = html.escape
    body = [f"<h1>{_text(title)}</h1>"]
    if date is not None:
        body.append(f"<p>{e(label('date', lang))}: {e(_date_text(date))}</p>")
    shown = {k: number(v, lang) if isinstance(v, float) or v is None else _text(str(v)) for k, v in headline.items()}
    body.append(_headline_html(shown))
    if notes:
        body.append(f'<section class="note"><h2>{e(notes_title)}</h2>'
                    + "".join(f"<p>{_text(n)}</p>" for n in notes) + "</section>")
    body.append(_figures_html(figures))
    return _page(title, lang, body)


PERIOD = re.compile(r"\b\d{4}-\d\b")


def _text(text: str) -> str:
    """Escaped text in which a period ("2025-2") never breaks at its hyphen."""
    return PERIOD.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', html.escape(text))


def _page(title: str, lang: str, body: Sequence[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "id"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _figures_html(figures: Sequence[go.Figure]) -> str:
    return "\n".join(f'<figure class="chart" id="grafik-{i + 1}">{figure_svg(fig)}</figure>'
                     for i, fig in enumerate(figures))


def _headline_html(items: Mapping[str, str]) -> str:
    """The values are HTML already (built by the caller from escaped parts)."""
    cells = "".join(f'<div>{html.escape(str(k))}<span class="value">{v}</span></div>' for k, v in items.items())
    return f'<section class="headline">{cells}</section>'


def _band_html(questionnaire: Questionnaire, band_id: str | None, lang: str) -> str:
    index = next((i for i, b in enumerate(questionnaire.bands) if b.id == band_id), None)
    if index is None:
        return "–"
    colour = BAND_COLOURS[index % len(BAND_COLOURS)]
    text = html.escape(questionnaire.bands[index].label.get(lang))
    return f'<span class="band" style="border-color: {colour}">{text}</span>'


def _table_html(rows: Sequence[Mapping[str, Cell]], lang: str) -> str:
    header = columns(rows)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in header)
    lines = []
    for row in rows:
        cells = []
        for c in header:
            value = row.get(c)
            named = f'data-label="{html.escape(c)}"'  # the column's name on a phone's card
            if isinstance(value, float):
                cells.append(f'<td class="num" {named}>{number(value, lang)}</td>')
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(f'<td class="num" {named}>{value}</td>')
            else:
                cells.append(f"<td {named}>{html.escape('' if value is None else str(value))}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _date_text(date: dt.date | str) -> str:
    return date.isoformat() if isinstance(date, dt.date) else str(date)

"""Self-contained HTML reports for printing: one file, no network, plotly.js inline once.

Everything that came from a user or a file is escaped with `html.escape`;
figures are serialised by plotly, which escapes `<` inside its JSON.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from scoring.engine import Result
from scoring.models import Answers, Questionnaire

from .charts import BAND_COLOURS
from .exports import Cell, actions_rows, columns, result_rows
from .labels import label, maturity_text, number
from .tier3_gate import gates_html

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
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
figure.chart { margin: 1rem 0; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  figure.chart, .headline, tr { break-inside: avoid; page-break-inside: avoid; }
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
        f"<p>{e(questionnaire.title.get(lang))} ({e(questionnaire.version)})</p>",
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
) -> str:
    """A one-page summary for leaders: a title, headline figures and charts."""
    e = html.escape
    body = [f"<h1>{e(title)}</h1>"]
    if date is not None:
        body.append(f"<p>{e(label('date', lang))}: {e(_date_text(date))}</p>")
    shown = {k: number(v, lang) if isinstance(v, float) or v is None else e(str(v)) for k, v in headline.items()}
    body += [_headline_html(shown), _figures_html(figures)]
    return _page(title, lang, body)


def _page(title: str, lang: str, body: Sequence[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "id"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _figures_html(figures: Sequence[go.Figure]) -> str:
    # plotly.js (about 4.6 MB) goes in with the first figure only; the others reuse it.
    return "\n".join(
        '<figure class="chart">' + fig.to_html(
            full_html=False, include_plotlyjs=i == 0, div_id=f"grafik-{i + 1}", default_height="420px",
            default_width="100%", config={"displaylogo": False, "responsive": True},
        ) + "</figure>"
        for i, fig in enumerate(figures)
    )


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
            if isinstance(value, float):
                cells.append(f'<td class="num">{number(value, lang)}</td>')
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(f'<td class="num">{value}</td>')
            else:
                cells.append(f"<td>{html.escape('' if value is None else str(value))}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _date_text(date: dt.date | str) -> str:
    return date.isoformat() if isinstance(date, dt.date) else str(date)

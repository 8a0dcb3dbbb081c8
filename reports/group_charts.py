"""Plotly figures of many schools or regions: a heatmap, the spread per domain, a ranking and
the readiness bands per group. Pure functions, like `charts`, with the same look.

Domains and groups run down the side (horizontal bars and boxes), where a wrapped label has
room on a phone; the heatmap's columns are numbered (D1, D2, …), with the full name on hover.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from scoring.models import Questionnaire

from .chart_style import (
    BAND_COLOURS,
    SCORE_COLOURSCALE,
    SCORE_RANGE,
    SERIES_COLOURS,
    SERIES_SYMBOLS,
    layout,
    shorten,
    wrap,
)
from .labels import figure_text, label, number

DomainScores = Mapping[str, float | None]
Rows = Sequence[tuple[str, DomainScores]]
ROW_LABEL_WIDTH = 24  # characters of a heatmap row's name; the full name is on hover


class ChartInputError(ValueError):
    """Data that does not fit the questionnaire (unknown domain or band ids, unknown labels)."""


def check_domains(questionnaire: Questionnaire, values: DomainScores, what: str) -> None:
    known = {d.id for d in questionnaire.domains}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ChartInputError(f"{what}: unknown domain ids {', '.join(unknown)}; "
                              f"the questionnaire '{questionnaire.id}' has {', '.join(sorted(known))}")


def domain_codes(questionnaire: Questionnaire) -> list[str]:
    """The heatmap's column names, D1 for the first domain: short enough for a phone."""
    return [f"D{i}" for i in range(1, len(questionnaire.domains) + 1)]


def heatmap(questionnaire: Questionnaire, rows: Rows, lang: str) -> go.Figure:
    """Rows (schools, regions) by domains on a fixed 0–100 colour range, each cell also printed.

    Rows are placed by position, so two rows whose shortened names agree stay two rows.
    """
    for row_label, scores in rows:
        check_domains(questionnaire, scores, f"row '{row_label}'")
    z = [[scores.get(d.id) for d in questionnaire.domains] for _, scores in rows]
    titles = [figure_text(d.title.get(lang)) for d in questionnaire.domains]
    names = [figure_text(r) for r, _ in rows]
    fig = go.Figure(go.Heatmap(
        z=z, x=domain_codes(questionnaire), y=list(range(len(rows))),
        zmin=SCORE_RANGE[0], zmax=SCORE_RANGE[1], colorscale=SCORE_COLOURSCALE, xgap=1, ygap=1,
        text=[[number(v, lang) for v in line] for line in z], texttemplate="%{text}", textfont=dict(size=10),
        customdata=[[[name, title] for title in titles] for name in names],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}: %{text}<extra></extra>",
        colorbar=dict(title=dict(text=label("score", lang), side="top"), orientation="h", thickness=12,
                      x=0, xanchor="left", y=0, yref="container", yanchor="bottom", len=1, lenmode="fraction"),
    ))
    layout(fig, label("heatmap_title", lang), lang, label("domain", lang), "")
    fig.update_xaxes(side="top", tickfont=dict(size=11), title=dict(standoff=4))
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=list(range(len(rows))),
                     ticktext=[figure_text(shorten(r, ROW_LABEL_WIDTH)) for r, _ in rows], tickfont=dict(size=11))
    fig.update_layout(height=190 + 24 * len(rows), margin=dict(b=70))
    return fig


def box_by_domain(questionnaire: Questionnaire, rows: Rows, highlight: Sequence[str], lang: str) -> go.Figure:
    """The spread of every row's domain scores, one horizontal box per domain, with the
    highlighted rows marked and named."""
    by_label = dict(rows)
    unknown = [h for h in highlight if h not in by_label]
    if unknown:
        raise ChartInputError(f"cannot highlight {', '.join(map(repr, unknown))}: not among the rows")
    titles = [wrap(d.title.get(lang)) for d in questionnaire.domains]
    xs, ys = [], []
    for _, scores in rows:
        check_domains(questionnaire, scores, "a row")
        for domain, title in zip(questionnaire.domains, titles, strict=True):
            if scores.get(domain.id) is not None:
                ys.append(title)
                xs.append(scores[domain.id])
    fig = go.Figure(go.Box(x=xs, y=ys, orientation="h", name=label("all_schools", lang), boxpoints="outliers",
                           marker=dict(color=SERIES_COLOURS[4]), line=dict(color=SERIES_COLOURS[0])))
    for i, name in enumerate(highlight):
        fig.add_trace(go.Scatter(
            x=[by_label[name].get(d.id) for d in questionnaire.domains], y=titles, name=wrap(name, 28, 2),
            mode="markers", meta=figure_text(name),
            marker=dict(symbol=SERIES_SYMBOLS[(i + 2) % len(SERIES_SYMBOLS)], size=12,
                        color=SERIES_COLOURS[(i + 1) % len(SERIES_COLOURS)], line=dict(color="#000000", width=1)),
            hovertemplate="%{meta}: %{x:.1f}<extra></extra>",
        ))
    layout(fig, label("box_title", lang), lang, label("score", lang))
    fig.update_xaxes(range=SCORE_RANGE)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=11), categoryorder="array", categoryarray=titles)
    fig.update_layout(height=200 + 44 * len(titles) + 20 * len(highlight))
    return fig


def ranking_bars(items: Sequence[tuple[str, float | None]], lang: str) -> go.Figure:
    """Groups (e.g. provinces) ranked by median score, highest at the top; groups without a median are left out."""
    ranked = sorted(((name, m) for name, m in items if m is not None), key=lambda item: -item[1])
    fig = go.Figure(go.Bar(
        x=[m for _, m in ranked], y=[wrap(name, 18, 2) for name, _ in ranked], orientation="h",
        marker=dict(color=SERIES_COLOURS[0]), text=[number(m, lang) for _, m in ranked], textposition="inside",
        insidetextanchor="end", hovertext=[f"{figure_text(n)}: {number(m, lang)}" for n, m in ranked],
        hoverinfo="text",
    ))
    layout(fig, label("ranking_title", lang), lang, label("median", lang), "")
    fig.update_xaxes(range=SCORE_RANGE)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=11))
    fig.update_layout(height=150 + 30 * len(ranked), showlegend=False)
    return fig


def band_distribution(questionnaire: Questionnaire, counts: Mapping[str, Mapping[str, int]], lang: str) -> go.Figure:
    """Schools per readiness band, stacked per group; the legend names each band."""
    band_ids = [b.id for b in questionnaire.bands]
    unknown = sorted({b for per_group in counts.values() for b in per_group} - set(band_ids))
    if unknown:
        raise ChartInputError(f"unknown band ids {', '.join(unknown)}; the questionnaire's are {', '.join(band_ids)}")
    groups = list(counts)
    fig = go.Figure()
    for i, band in enumerate(questionnaire.bands):
        values = [counts[g].get(band.id, 0) for g in groups]
        fig.add_trace(go.Bar(
            x=[wrap(g, 12, 2) for g in groups], y=values, name=figure_text(band.label.get(lang)),
            marker=dict(color=BAND_COLOURS[i % len(BAND_COLOURS)]), text=[v or "" for v in values],
            textposition="inside", customdata=[figure_text(g) for g in groups],
            hovertemplate="%{customdata} · %{fullData.name}: %{y}<extra></extra>",
        ))
    layout(fig, label("bands_title", lang), lang, label("group", lang), label("schools", lang))
    # A count too small to read in its segment is left to the hover, not shrunk to a speck.
    fig.update_layout(barmode="stack", legend=dict(traceorder="normal"), height=460,
                      uniformtext=dict(minsize=9, mode="hide"))
    return fig

"""Plotly figures of results: pure functions, data in and a `go.Figure` out.

Colours are Okabe–Ito (safe for colour-blind readers), and no colour carries a
meaning on its own: every series, band and bar also has its name in the legend
or its value as text. Data stays unrounded; only hover and label text rounds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import plotly.graph_objects as go

from scoring.engine import Result
from scoring.models import Baseline, Questionnaire

from .labels import figure_text, label, number

# Okabe & Ito (2008), without black and yellow (too faint on white paper).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7"]
# Readiness bands from lowest to highest; the band's label always goes with it.
BAND_COLOURS = ["#D55E00", "#E69F00", "#56B4E9", "#009E73", "#0072B2"]
SCORE_RANGE = [0, 100]
SCORE_COLOURSCALE = "Cividis"

Style = Literal["school", "target", "median"]
DomainScores = Mapping[str, float | None]


class ChartInputError(ValueError):
    """Data that does not fit the questionnaire (unknown domain or band ids, unknown labels)."""


@dataclass(frozen=True)
class RadarSeries:
    """One polygon of the radar: a score (or None) per domain id."""

    name: str
    values: DomainScores = field(default_factory=dict)
    style: Style = "school"


def school_series(result: Result, name: str) -> RadarSeries:
    return RadarSeries(name, {d.id: d.score for d in result.domains}, "school")


def target_series(source: Result | Baseline, name: str, jenjang: str | None = None) -> RadarSeries:
    """The baseline's targets, from a scored result or from the baseline itself for a jenjang."""
    if isinstance(source, Baseline):
        values = {did: source.target(did, jenjang) for did in source.targets.get("default", {})}
    else:
        values = {d.id: d.target for d in source.domains}
    return RadarSeries(name, values, "target")


def median_series(values: DomainScores, name: str) -> RadarSeries:
    return RadarSeries(name, dict(values), "median")


# Schools take the palette's colours the target (vermillion) and median (green) do not use.
SCHOOL_COLOURS = [OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[5], OKABE_ITO[4], "#000000", "#999999", "#F0E442", "#882255"]
SCHOOL_SYMBOLS = ["circle", "triangle-up", "square-open", "x", "star", "hexagon", "cross", "pentagon"]
_RADAR_STYLE = {
    "school": dict(line=dict(color=OKABE_ITO[0], width=2), fill="toself", marker=dict(symbol="circle", size=7)),
    "target": dict(line=dict(color=OKABE_ITO[3], width=2, dash="dash"), marker=dict(symbol="diamond", size=7)),
    "median": dict(line=dict(color=OKABE_ITO[2], width=2, dash="dot"), marker=dict(symbol="square", size=6)),
}


def radar(questionnaire: Questionnaire, series: Sequence[RadarSeries], lang: str) -> go.Figure:
    """Domain scores on a fixed 0–100 radar.

    Each trace is closed by repeating its first point at the end, so `r` has one
    more value than there are domains. A None score leaves a gap in the line and
    says so in the hover text.
    """
    titles = _domain_titles(questionnaire, lang)
    fig = go.Figure()
    schools = 0
    for s in series:
        _check_domains(questionnaire, s.values, f"series '{s.name}'")
        style = _RADAR_STYLE[s.style]
        if s.style == "school":  # several schools: each its own colour and marker, lightly filled
            colour = SCHOOL_COLOURS[schools % len(SCHOOL_COLOURS)]
            style = dict(line=dict(color=colour, width=2), fill="toself", opacity=0.85 if schools else 1,
                         marker=dict(symbol=SCHOOL_SYMBOLS[schools % len(SCHOOL_SYMBOLS)], size=7))
            schools += 1
        r = [s.values.get(d.id) for d in questionnaire.domains]
        hover = [f"{t}: {number(v, lang)}" if v is not None else f"{t}: {label('no_score', lang)}"
                 for t, v in zip(titles, r, strict=True)]
        fig.add_trace(go.Scatterpolar(
            r=[*r, r[0]], theta=[*titles, titles[0]], name=figure_text(s.name), mode="lines+markers",
            text=[*hover, hover[0]], hoverinfo="text+name", connectgaps=False, **style,
        ))
    _layout(fig, label("radar_title", lang), lang)
    # The radial axis along the top spoke, its title at the outer end, clear of the tick labels.
    fig.update_layout(polar=dict(radialaxis=dict(range=SCORE_RANGE, angle=90, tickangle=90, tickfont=dict(size=10),
                                                 title=dict(text=label("score", lang), font=dict(size=11)))),
                      showlegend=True)
    return fig


def gap_bars(questionnaire: Questionnaire, result: Result, lang: str) -> go.Figure:
    """Gap (target − score) per domain, largest shortfall first (at the top).

    Domains without a target or without a score have no gap and are left out;
    a domain above its target shows as a negative bar.
    """
    titles = dict(zip((d.id for d in questionnaire.domains), _domain_titles(questionnaire, lang), strict=True))
    with_gap = sorted((d for d in result.domains if d.gap is not None), key=lambda d: -d.gap)
    gaps = [d.gap for d in with_gap]
    words = [label("below_target" if g > 0 else "above_target", lang) for g in gaps]
    fig = go.Figure(go.Bar(
        x=gaps, y=[titles[d.id] for d in with_gap], orientation="h",
        marker=dict(color=[OKABE_ITO[3] if g > 0 else OKABE_ITO[2] for g in gaps]),
        text=[f"{number(abs(g), lang)} {w}" for g, w in zip(gaps, words, strict=True)],
        textposition="auto", hoverinfo="y+text",
    ))
    _layout(fig, label("gap_title", lang), lang, label("gap_axis", lang), label("domain", lang))
    fig.update_yaxes(autorange="reversed")
    return fig


def trend(questionnaire: Questionnaire, history: Sequence[tuple[str, Result]], lang: str) -> go.Figure:
    """One line per domain plus a thicker overall line, across the periods in the given order."""
    periods = [figure_text(p) for p, _ in history]
    fig = go.Figure(go.Scatter(
        x=periods, y=[r.overall.score for _, r in history], name=label("overall", lang),
        mode="lines+markers", line=dict(color="#000000", width=4), marker=dict(symbol="circle", size=9),
    ))
    symbols = ["diamond", "square", "triangle-up", "cross", "x", "star"]
    for i, (domain, title) in enumerate(zip(questionnaire.domains, _domain_titles(questionnaire, lang), strict=True)):
        y = [_domain_score(r, domain.id) for _, r in history]
        fig.add_trace(go.Scatter(
            x=periods, y=y, name=title, mode="lines+markers", connectgaps=False,
            line=dict(color=OKABE_ITO[i % len(OKABE_ITO)], width=2),
            marker=dict(symbol=symbols[i % len(symbols)], size=7),
        ))
    _layout(fig, label("trend_title", lang), lang, label("period", lang), label("score", lang))
    fig.update_xaxes(type="category")  # "2025-1" is a semester, not January 2025
    fig.update_yaxes(range=SCORE_RANGE)
    fig.update_traces(hovertemplate="%{fullData.name}: %{y:.1f}<extra>%{x}</extra>")
    return fig


Rows = Sequence[tuple[str, DomainScores]]


def heatmap(questionnaire: Questionnaire, rows: Rows, lang: str) -> go.Figure:
    """Rows (schools, regions) by domains on a fixed 0–100 colour range, each cell also printed."""
    for row_label, scores in rows:
        _check_domains(questionnaire, scores, f"row '{row_label}'")
    z = [[scores.get(d.id) for d in questionnaire.domains] for _, scores in rows]
    fig = go.Figure(go.Heatmap(
        z=z, x=_domain_titles(questionnaire, lang), y=[figure_text(r) for r, _ in rows],
        zmin=SCORE_RANGE[0], zmax=SCORE_RANGE[1], colorscale=SCORE_COLOURSCALE,
        text=[[number(v, lang) for v in line] for line in z], texttemplate="%{text}",
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>", colorbar=dict(title=dict(text=label("score", lang))),
    ))
    _layout(fig, label("heatmap_title", lang), lang, label("domain", lang), "")
    fig.update_yaxes(autorange="reversed")
    return fig


def box_by_domain(questionnaire: Questionnaire, rows: Rows, highlight: Sequence[str], lang: str) -> go.Figure:
    """The spread of every row's domain scores, with the highlighted rows marked and named."""
    by_label = dict(rows)
    unknown = [h for h in highlight if h not in by_label]
    if unknown:
        raise ChartInputError(f"cannot highlight {', '.join(map(repr, unknown))}: not among the rows")
    titles = _domain_titles(questionnaire, lang)
    xs, ys = [], []
    for _, scores in rows:
        _check_domains(questionnaire, scores, "a row")
        for domain, title in zip(questionnaire.domains, titles, strict=True):
            if scores.get(domain.id) is not None:
                xs.append(title)
                ys.append(scores[domain.id])
    fig = go.Figure(go.Box(x=xs, y=ys, name=label("all_schools", lang), boxpoints="outliers",
                           marker=dict(color=OKABE_ITO[4]), line=dict(color=OKABE_ITO[0])))
    symbols = ["diamond", "star", "triangle-up", "square", "cross", "x"]
    for i, name in enumerate(highlight):
        fig.add_trace(go.Scatter(
            x=titles, y=[by_label[name].get(d.id) for d in questionnaire.domains], name=figure_text(name),
            mode="markers",
            marker=dict(symbol=symbols[i % len(symbols)], size=12, color=OKABE_ITO[(i + 1) % len(OKABE_ITO)],
                        line=dict(color="#000000", width=1)),
        ))
    _layout(fig, label("box_title", lang), lang, label("domain", lang), label("score", lang))
    fig.update_yaxes(range=SCORE_RANGE)
    return fig


def ranking_bars(items: Sequence[tuple[str, float | None]], lang: str) -> go.Figure:
    """Groups (e.g. provinces) ranked by median score, highest at the top; groups without a median are left out."""
    ranked = sorted(((name, m) for name, m in items if m is not None), key=lambda item: -item[1])
    fig = go.Figure(go.Bar(
        x=[m for _, m in ranked], y=[figure_text(name) for name, _ in ranked], orientation="h",
        marker=dict(color=OKABE_ITO[0]), text=[number(m, lang) for _, m in ranked], textposition="auto",
        hoverinfo="y+text",
    ))
    _layout(fig, label("ranking_title", lang), lang, label("median", lang), "")
    fig.update_xaxes(range=SCORE_RANGE)
    fig.update_yaxes(autorange="reversed")
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
            x=[figure_text(g) for g in groups], y=values, name=band.label.get(lang),
            marker=dict(color=BAND_COLOURS[i % len(BAND_COLOURS)]), text=[v or "" for v in values],
            textposition="inside", hovertemplate="%{x} · %{fullData.name}: %{y}<extra></extra>",
        ))
    _layout(fig, label("bands_title", lang), lang, label("group", lang), label("schools", lang))
    fig.update_layout(barmode="stack", legend=dict(traceorder="normal"))
    return fig


def _domain_titles(questionnaire: Questionnaire, lang: str) -> list[str]:
    return [figure_text(d.title.get(lang)) for d in questionnaire.domains]


def _domain_score(result: Result, domain_id: str) -> float | None:
    return next((d.score for d in result.domains if d.id == domain_id), None)


def _check_domains(questionnaire: Questionnaire, values: DomainScores, what: str) -> None:
    known = {d.id for d in questionnaire.domains}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ChartInputError(f"{what}: unknown domain ids {', '.join(unknown)}; "
                              f"the questionnaire '{questionnaire.id}' has {', '.join(sorted(known))}")


def _layout(fig: go.Figure, title: str, lang: str, x_title: str | None = None, y_title: str | None = None) -> None:
    fig.update_layout(
        template="plotly_white", title=dict(text=title), colorway=OKABE_ITO,
        font=dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13),
        separators=".," if lang == "en" else ",.", margin=dict(l=40, r=40, t=60, b=40),
    )
    if x_title is not None:
        fig.update_xaxes(title=dict(text=x_title))
    if y_title is not None:
        fig.update_yaxes(title=dict(text=y_title))

"""Plotly figures of one school's results (and of a few side by side): pure functions,
data in and a `go.Figure` out. The figures of many schools are in `group_charts`.

Colours are colour-blind safe (`chart_style`), and no colour carries a meaning on its own:
every series also has its own marker and its name in the legend, every bar its value as
text. Labels are wrapped to fit a phone, with the full name on hover. Data stays unrounded;
only hover and label text rounds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import plotly.graph_objects as go

from scoring.engine import Result
from scoring.models import Baseline, Questionnaire

from .chart_style import (
    BAND_COLOURS,
    OKABE_ITO,
    PLOTLY_CONFIG,
    SCORE_COLOURSCALE,
    SCORE_RANGE,
    SERIES_COLOURS,
    SERIES_SYMBOLS,
    layout,
    longest_line,
    set_title,
    wrap,
)
from .group_charts import (
    ChartInputError,
    band_distribution,
    box_by_domain,
    check_domains,
    domain_codes,
    heatmap,
    ranking_bars,
)
from .labels import figure_text, label, number

__all__ = ["BAND_COLOURS", "OKABE_ITO", "PLOTLY_CONFIG", "SCORE_COLOURSCALE", "SCORE_RANGE", "SERIES_COLOURS",
           "SERIES_SYMBOLS", "ChartInputError", "RadarSeries", "band_distribution", "box_by_domain", "domain_bars",
           "domain_codes",
           "gap_bars", "heatmap", "median_series", "radar", "ranking_bars", "school_series", "set_title",
           "target_series", "trend"]

Style = Literal["school", "target", "median"]
DomainScores = Mapping[str, float | None]


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


# The target (vermillion, dashed) and the median (green, dotted) keep their colours and markers;
# schools take the other eight colours, each with its own marker.
_TARGET = dict(line=dict(color=SERIES_COLOURS[3], width=2, dash="dash"), marker=dict(symbol="diamond", size=8))
_MEDIAN = dict(line=dict(color=SERIES_COLOURS[2], width=2, dash="dot"), marker=dict(symbol="square", size=7))
SCHOOL_COLOURS = [c for i, c in enumerate(SERIES_COLOURS) if i not in (2, 3)]
SCHOOL_SYMBOLS = [s for s in SERIES_SYMBOLS if s not in ("diamond", "square")]


def _school_style(i: int) -> dict:
    return dict(line=dict(color=SCHOOL_COLOURS[i % len(SCHOOL_COLOURS)], width=2), fill="toself",
                opacity=0.85 if i else 1, marker=dict(symbol=SCHOOL_SYMBOLS[i % len(SCHOOL_SYMBOLS)], size=8))


def radar(questionnaire: Questionnaire, series: Sequence[RadarSeries], lang: str) -> go.Figure:
    """Domain scores on a fixed 0–100 radar.

    Each trace is closed by repeating its first point at the end, so `r` has one
    more value than there are domains. A None score leaves a gap in the line and
    says so in the hover text. Spoke labels are wrapped; the side margins are as wide
    as the longest label line, so no label runs off the figure.
    """
    titles = _domain_titles(questionnaire, lang)
    spokes = [wrap(t, 14) for t in titles]
    fig = go.Figure()
    schools = 0
    for s in series:
        check_domains(questionnaire, s.values, f"series '{s.name}'")
        if s.style == "school":  # several schools: each its own colour and marker, lightly filled
            style = _school_style(schools)
            schools += 1
        else:
            style = _TARGET if s.style == "target" else _MEDIAN
        r = [s.values.get(d.id) for d in questionnaire.domains]
        hover = [f"{figure_text(t)}: {number(v, lang) if v is not None else label('no_score', lang)}"
                 for t, v in zip(titles, r, strict=True)]
        fig.add_trace(go.Scatterpolar(
            r=[*r, r[0]], theta=[*spokes, spokes[0]], name=wrap(s.name, 28, 2), mode="lines+markers",
            text=[*hover, hover[0]], hoverinfo="text+name", connectgaps=False, **style,
        ))
    layout(fig, label("radar_title", lang), lang)
    side = 16 + 5.5 * longest_line(spokes)  # about 5.5 px per character at 11 px
    fig.update_layout(
        # The radial axis along the top spoke, its title at the outer end, clear of the tick labels.
        polar=dict(radialaxis=dict(range=SCORE_RANGE, angle=90, tickangle=90, tickfont=dict(size=10),
                                   title=dict(text=label("score", lang), font=dict(size=10))),
                   angularaxis=dict(tickfont=dict(size=11))),
        margin=dict(l=side, r=side, t=96, b=48), showlegend=True, height=460 + 18 * len(series),
    )
    return fig


def domain_bars(questionnaire: Questionnaire, result: Result, lang: str) -> go.Figure:
    """Each domain's score as a horizontal bar, lowest first (at the top), with its target as a
    marker: the radar's content in a shape a phone can read. Domains without a score are left out."""
    titles = dict(zip((d.id for d in questionnaire.domains), _domain_titles(questionnaire, lang), strict=True))
    scored = sorted((d for d in result.domains if d.score is not None), key=lambda d: d.score)
    names = [wrap(titles[d.id]) for d in scored]
    fig = go.Figure(go.Bar(
        x=[d.score for d in scored], y=names, orientation="h", name=label("score", lang),
        marker=dict(color=SERIES_COLOURS[0]), text=[number(d.score, lang) for d in scored],
        textposition="inside", insidetextanchor="end", cliponaxis=False,
        hovertext=[f"{figure_text(titles[d.id])}: {number(d.score, lang)}" for d in scored], hoverinfo="text",
    ))
    with_target = [(n, d) for n, d in zip(names, scored, strict=True) if d.target is not None]
    if with_target:
        fig.add_trace(go.Scatter(
            x=[d.target for _, d in with_target], y=[n for n, _ in with_target], mode="markers",
            name=label("col_target", lang), marker=dict(symbol="diamond", size=12, color=SERIES_COLOURS[3],
                                                        line=dict(color="#000000", width=1)),  # fmt: skip
            hovertext=[f"{figure_text(titles[d.id])}: {label('col_target', lang)} {number(d.target, lang)}"
                       for _, d in with_target],
            hoverinfo="text",
        ))
    layout(fig, label("radar_title", lang), lang, label("score", lang))
    # A little beyond 100, so a target marker at 100 is drawn whole.
    fig.update_xaxes(range=[SCORE_RANGE[0], SCORE_RANGE[1] + 5], tickvals=list(range(0, 101, 20)))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=11))
    fig.update_layout(height=150 + 46 * len(scored), showlegend=bool(with_target))
    return fig


def gap_bars(questionnaire: Questionnaire, result: Result, lang: str) -> go.Figure:
    """Gap (target − score) per domain, largest shortfall first (at the top).

    Domains without a target or without a score have no gap and are left out;
    a domain above its target shows as a negative bar. The bar's text is its value only,
    kept inside the axis range, so it cannot be clipped on a phone; the words are on hover.
    """
    titles = dict(zip((d.id for d in questionnaire.domains), _domain_titles(questionnaire, lang), strict=True))
    with_gap = sorted((d for d in result.domains if d.gap is not None), key=lambda d: -d.gap)
    gaps = [d.gap for d in with_gap]
    words = [label("below_target" if g > 0 else "above_target", lang) for g in gaps]
    fig = go.Figure(go.Bar(
        x=gaps, y=[wrap(titles[d.id]) for d in with_gap], orientation="h",
        marker=dict(color=[OKABE_ITO[3] if g > 0 else OKABE_ITO[2] for g in gaps]),
        text=[number(g, lang) for g in gaps], textposition="outside", cliponaxis=False,
        hovertext=[f"{figure_text(titles[d.id])}: {number(abs(g), lang)} {w}"
                   for d, g, w in zip(with_gap, gaps, words, strict=True)],
        hoverinfo="text",
    ))
    layout(fig, label("gap_title", lang), lang, label("gap_axis", lang))
    # Room for the value beside the longest bar on either side.
    low, high = min([0.0, *gaps]), max([0.0, *gaps])
    pad = max(high - low, 10.0) * 0.3
    fig.update_xaxes(range=[low - (pad if low < 0 else 0), high + pad], zeroline=True)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=11))
    fig.update_layout(height=150 + 40 * len(with_gap), showlegend=False)
    return fig


def trend(questionnaire: Questionnaire, history: Sequence[tuple[str, Result]], lang: str,
          domains: bool = True) -> go.Figure:  # fmt: skip
    """A thick overall line across the periods in the given order, and with `domains` one line
    per domain; every line has its own colour and marker (black circles for the overall)."""
    periods = [figure_text(p) for p, _ in history]
    fig = go.Figure(go.Scatter(
        x=periods, y=[r.overall.score for _, r in history], name=label("overall", lang),
        mode="lines+markers", line=dict(color=SERIES_COLOURS[-1], width=4),
        marker=dict(symbol=SERIES_SYMBOLS[0], size=10), meta=label("overall", lang),
    ))
    if domains:
        for i, (domain, title) in enumerate(zip(questionnaire.domains, _domain_titles(questionnaire, lang),
                                                strict=True)):  # fmt: skip
            y = [_domain_score(r, domain.id) for _, r in history]
            fig.add_trace(go.Scatter(
                x=periods, y=y, name=wrap(title), mode="lines+markers", connectgaps=False,
                line=dict(color=SERIES_COLOURS[i % (len(SERIES_COLOURS) - 1)], width=2),
                marker=dict(symbol=SERIES_SYMBOLS[1 + i % (len(SERIES_SYMBOLS) - 1)], size=8),
                meta=figure_text(title),
            ))
    layout(fig, label("trend_title", lang), lang, label("period", lang), label("score", lang))
    fig.update_xaxes(type="category")  # "2025-1" is a semester, not January 2025
    fig.update_yaxes(range=[SCORE_RANGE[0], SCORE_RANGE[1] + 2])
    fig.update_traces(hovertemplate="%{meta}: %{y:.1f}<extra>%{x}</extra>")  # the full name, not the wrapped one
    fig.update_layout(height=420 + (40 * ((len(fig.data) + 2) // 3) if domains else 0))
    return fig


def _domain_titles(questionnaire: Questionnaire, lang: str) -> list[str]:
    """Plain titles: `wrap` escapes them where they become labels, `figure_text` where hover shows them."""
    return [d.title.get(lang) for d in questionnaire.domains]


def _domain_score(result: Result, domain_id: str) -> float | None:
    return next((d.score for d in result.domains if d.id == domain_id), None)

"""How every figure looks: a colour-blind-safe palette with a marker per series, labels that
fit a 390 px phone, legends below the plot, and margins that leave nothing clipped.

Labels are escaped first (`figure_text`) and only then broken with `<br>`, so the only tags
plotly.js reads are ours.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from .labels import figure_text

# Okabe & Ito (2008) without yellow (too faint on white), then Paul Tol's muted wine, indigo
# and olive: ten colours that stay apart for the common colour-vision deficiencies.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7",
                  "#882255", "#332288", "#999933", "#000000"]  # fmt: skip
# Each series also has its own marker, so no two of ten series share colour or shape.
SERIES_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x", "star",
                  "hexagon", "pentagon"]  # fmt: skip
OKABE_ITO = SERIES_COLOURS[:6]
# Readiness bands from lowest to highest; the band's label always goes with it.
BAND_COLOURS = ["#D55E00", "#E69F00", "#56B4E9", "#009E73", "#0072B2"]
SCORE_RANGE = [0, 100]
SCORE_COLOURSCALE = "Cividis"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# For st.plotly_chart(config=...) and the pages that draw figures: no mode bar over the plot.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}

LABEL_WIDTH = 16  # characters per line of an axis or legend label: about 100 px at 12 px
TITLE_WIDTH = 38  # a title line that fits 390 px at the title's size


def wrap(text: str, width: int = LABEL_WIDTH, lines: int = 3) -> str:
    """Escaped text broken into lines of about `width` characters, at most `lines` of them."""
    parts = textwrap.wrap(str(text), width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], shorten(" ".join(parts[lines - 1:]), width)]
    return "<br>".join(figure_text(p) for p in parts)


def shorten(text: str, width: int) -> str:
    """At most `width` characters, keeping both ends ("SMK Negeri C…(Z1300001)"): a school's
    label ends in its NPSN, which tells schools apart."""
    text = str(text)
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return text[:head].rstrip() + "…" + text[len(text) - (width - 1 - head):].lstrip()


def longest_line(wrapped: list[str]) -> int:
    return max((len(line) for w in wrapped for line in w.split("<br>")), default=0)


def layout(fig: go.Figure, title: str, lang: str, x_title: str | None = None, y_title: str | None = None) -> None:
    """The common look: legend below the plot, axes that make room for their labels."""
    fig.update_layout(
        template="plotly_white", colorway=SERIES_COLOURS, font=dict(family=FONT, size=12),
        separators=".," if lang == "en" else ",.", margin=dict(l=8, r=16, t=64, b=8, autoexpand=True),
        legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=0, yanchor="bottom",
                    font=dict(size=11), entrywidthmode="pixels"),
        hoverlabel=dict(namelength=-1),
    )
    set_title(fig, title)
    fig.update_xaxes(automargin=True, title=dict(text=x_title, font=dict(size=12)) if x_title else None)
    fig.update_yaxes(automargin=True, title=dict(text=y_title, font=dict(size=12)) if y_title else None)


def set_title(fig: go.Figure, title: str) -> None:
    """A title that wraps instead of running off a phone's edge."""
    fig.update_layout(title=dict(text=wrap(title, TITLE_WIDTH, 2), x=0, xanchor="left", font=dict(size=15),
                                 automargin=True, yref="container", y=0.98, yanchor="top"))

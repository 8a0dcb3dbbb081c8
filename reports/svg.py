"""Our plotly figures drawn as small inline SVG, for the HTML reports: no plotly.js (4.6 MB),
no script, nothing to load, and they print sharp on A4.

It draws the kinds of figure `charts` and `group_charts` build (radar, horizontal bars with
target markers, stacked bars, lines over periods) from the figure's own data, colours and
names, so a report shows what the app shows. Every text is escaped for XML here: labels
arrive escaped for plotly and broken with `<br>`, so each line is unescaped, then escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import plotly.graph_objects as go

WIDTH = 480  # user units; the SVG scales to its box, so a phone shows it at about 0.75
FONT = 12
CHAR = 6.6  # the mean width of a character at FONT, for laying out labels
LINE = 15
GRID = "#d0d0d0"


class SvgError(ValueError):
    """A figure of a kind the SVG renderer does not draw."""


def figure_svg(fig: go.Figure) -> str:
    """The figure as one `<svg>` element, or SvgError for a kind this module does not draw."""
    kinds = {tr.type for tr in fig.data}
    if "scatterpolar" in kinds:
        body, height = _radar(fig)
    elif "bar" in kinds and all(tr.orientation == "h" for tr in fig.data if tr.type == "bar"):
        body, height = _hbars(fig)
    elif kinds == {"bar"}:
        body, height = _vbars(fig)
    elif kinds == {"scatter"}:
        body, height = _lines(fig)
    else:
        raise SvgError(f"cannot draw a figure of {', '.join(sorted(kinds)) or 'no traces'} as SVG")
    title = _lines_of(fig.layout.title.text)
    head = "".join(_text(16, 20 + i * 19, line, size=15, weight="600") for i, line in enumerate(title))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
            f'aria-label="{_esc(" ".join(title))}" font-family="system-ui, sans-serif" font-size="{FONT}">'
            f"{head}{body}</svg>")


# --- text --------------------------------------------------------------------------------------


def _lines_of(text: object) -> list[str]:
    """Plotly label text (escaped, `<br>` between lines) as plain lines."""
    if text is None:
        return []
    return [html.unescape(part) for part in str(text).split("<br>")]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _text(x: float, y: float, line: str, *, anchor: str = "start", size: int = FONT, weight: str = "400",
          fill: str = "#1a1a1a") -> str:  # fmt: skip
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}">{_esc(line)}</text>')


def _label(x: float, y: float, text: object, anchor: str = "start", size: int = 11) -> str:
    """A label of several lines, centred on y."""
    lines = _lines_of(text)
    top = y - (len(lines) - 1) * LINE / 2 + size / 3
    return "".join(_text(x, top + i * LINE, line, anchor=anchor, size=size) for i, line in enumerate(lines))


def _width(text: object, size: int = 11) -> float:
    return max((len(line) for line in _lines_of(text)), default=0) * CHAR * size / FONT


# --- markers and legend ------------------------------------------------------------------------


def _marker(x: float, y: float, symbol: str | None, colour: str, size: float = 8) -> str:
    h = size / 2
    shape = (symbol or "circle").removesuffix("-open")
    points = {
        "square": [(-h, -h), (h, -h), (h, h), (-h, h)],
        "diamond": [(0, -h * 1.3), (h * 1.3, 0), (0, h * 1.3), (-h * 1.3, 0)],
        "triangle-up": [(0, -h * 1.2), (h * 1.2, h), (-h * 1.2, h)],
        "triangle-down": [(0, h * 1.2), (h * 1.2, -h), (-h * 1.2, -h)],
        "cross": [(-h / 3, -h), (h / 3, -h), (h / 3, -h / 3), (h, -h / 3), (h, h / 3), (h / 3, h / 3), (h / 3, h),
                  (-h / 3, h), (-h / 3, h / 3), (-h, h / 3), (-h, -h / 3), (-h / 3, -h / 3)],
        "hexagon": [(h * math.cos(a), h * math.sin(a)) for a in (math.pi / 3 * k for k in range(6))],
        "pentagon": [(h * math.sin(a), -h * math.cos(a)) for a in (2 * math.pi / 5 * k for k in range(5))],
        "star": [((h if k % 2 == 0 else h / 2.2) * math.sin(a), -(h if k % 2 == 0 else h / 2.2) * math.cos(a))
                 for k, a in enumerate(math.pi / 5 * k for k in range(10))],
    }.get(shape)
    if shape == "x":
        return (f'<path d="M{x - h:.1f},{y - h:.1f}L{x + h:.1f},{y + h:.1f}M{x - h:.1f},{y + h:.1f}'
                f'L{x + h:.1f},{y - h:.1f}" stroke="{colour}" stroke-width="2.5"/>')
    if points is None:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{h:.1f}" fill="{colour}"/>'
    path = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in points)
    return f'<polygon points="{path}" fill="{colour}"/>'


def _style(trace) -> tuple[str, str | None, str | None]:
    """(colour, marker symbol, dash) of a trace."""
    colour = trace.line.color if getattr(trace, "line", None) is not None and trace.line.color else None
    marker_colour = trace.marker.color if trace.marker is not None else None
    if colour is None:
        colour = marker_colour if isinstance(marker_colour, str) else "#0072B2"
    symbol = getattr(trace.marker, "symbol", None) if trace.marker is not None else None
    symbol = symbol if isinstance(symbol, str) else None
    dash = trace.line.dash if getattr(trace, "line", None) is not None else None
    return colour, symbol, dash


DASHES = {"dash": "6 4", "dot": "2 3"}


def _legend(traces: Sequence, top: float, *, lines: bool = True) -> tuple[str, float]:
    """One entry a row under the plot: sample, then the name. Returns (svg, height)."""
    out, y = [], top
    for trace in traces:
        if not trace.name:
            continue
        colour, symbol, dash = _style(trace)
        names = _lines_of(trace.name)
        mid = y + LINE * len(names) / 2
        if lines and trace.type in ("scatter", "scatterpolar") and "lines" in (trace.mode or "lines"):
            out.append(f'<line x1="16" y1="{mid:.1f}" x2="44" y2="{mid:.1f}" stroke="{colour}" stroke-width="2" '
                       f'stroke-dasharray="{DASHES.get(dash, "none")}"/>')
        if trace.type == "bar" and not isinstance(trace.marker.color, str):
            colour = "#777777"
        out.append(_marker(30, mid, symbol if trace.type != "bar" else "square", colour, 9))
        out.append(_label(52, mid, trace.name))
        y += LINE * len(names) + 4
    return "".join(out), y - top


def _ticks(low: float, high: float) -> list[float]:
    step = 20 if high - low > 50 else 10 if high - low > 20 else 5
    first = math.ceil(low / step) * step
    return [first + step * i for i in range(int((high - first) // step) + 1)]


def _fmt(value: float, separators: str | None) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if (separators or ".,").startswith(",") else text


# --- the kinds of figure -----------------------------------------------------------------------


def _top(fig: go.Figure) -> float:
    return 20 + 19 * len(_lines_of(fig.layout.title.text)) + 8


def _radar(fig: go.Figure) -> tuple[str, float]:
    traces = [tr for tr in fig.data if tr.type == "scatterpolar"]
    spokes = list(traces[0].theta[:-1])
    n = len(spokes)
    side = min(max(_width(s) for s in spokes) + 20, WIDTH * 0.3)
    radius = WIDTH / 2 - side
    cx, cy = WIDTH / 2, _top(fig) + 30 + radius

    def point(i: int, r: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n  # first domain at the top, clockwise
        return cx + radius * r / 100 * math.cos(angle), cy + radius * r / 100 * math.sin(angle)

    out = []
    for level in (20, 40, 60, 80, 100):
        ring = " ".join("{:.1f},{:.1f}".format(*point(i, level)) for i in range(n))
        out.append(f'<polygon points="{ring}" fill="none" stroke="{GRID}"/>')
        out.append(_text(cx + 3, cy - radius * level / 100 - 2, str(level), size=9, fill="#666666"))
    for i, spoke in enumerate(spokes):
        x, y = point(i, 100)
        out.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = point(i, 100 + 10 * 100 / radius)
        anchor = "middle" if abs(lx - cx) < 4 else "start" if lx > cx else "end"
        out.append(_label(lx, ly + (-LINE * 0.8 if ly < cy - radius * 0.9 else 0), spoke, anchor))
    for trace in traces:
        colour, symbol, dash = _style(trace)
        values = list(trace.r[:-1])
        pts = [point(i, v) if v is not None else None for i, v in enumerate(values)]
        whole = all(p is not None for p in pts)
        ring = " ".join(f"{p[0]:.1f},{p[1]:.1f}" for p in pts if p is not None)
        fill = f'fill="{colour}" fill-opacity="0.15"' if trace.fill == "toself" and whole else 'fill="none"'
        shape = "polygon" if whole else "polyline"
        out.append(f'<{shape} points="{ring}" {fill} stroke="{colour}" stroke-width="2" '
                   f'stroke-dasharray="{DASHES.get(dash, "none")}"/>')
        out += [_marker(p[0], p[1], symbol, colour, 7) for p in pts if p is not None]
    legend, height = _legend(traces, cy + radius + 40)
    return "".join(out) + legend, cy + radius + 40 + height + 8


def _hbars(fig: go.Figure) -> tuple[str, float]:
    bars = [tr for tr in fig.data if tr.type == "bar"]
    categories = list(bars[0].y)
    label_width = min(max((_width(c) for c in categories), default=0) + 8, WIDTH * 0.4)
    left, right = 16 + label_width, WIDTH - 24
    values = [v for tr in fig.data for v in (tr.x or ()) if v is not None]
    low, high = fig.layout.xaxis.range or (min([0, *values]), max([0, *values]))
    top = _top(fig)
    row = 18 + LINE * max((len(_lines_of(c)) for c in categories), default=1)

    def x_of(v: float) -> float:
        return left + (right - left) * (v - low) / (high - low or 1)

    out = []
    bottom = top + row * len(categories)
    for tick in _ticks(low, high):
        out.append(f'<line x1="{x_of(tick):.1f}" y1="{top}" x2="{x_of(tick):.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>')
        out.append(_text(x_of(tick), bottom + 14, _fmt(tick, fig.layout.separators), anchor="middle", size=10))
    for i, category in enumerate(categories):
        out.append(_label(16, top + row * (i + 0.5), category))
    for trace in fig.data:
        colours = trace.marker.color
        for i, (value, category) in enumerate(zip(trace.x, trace.y, strict=True)):
            if value is None or category not in categories:
                continue
            mid = top + row * (categories.index(category) + 0.5)
            colour = colours if isinstance(colours, str) else colours[i]
            if trace.type == "bar":
                x0, x1 = sorted((x_of(0), x_of(value)))
                out.append(f'<rect x="{x0:.1f}" y="{mid - row * 0.3:.1f}" width="{x1 - x0:.1f}" '
                           f'height="{row * 0.6:.1f}" fill="{colour}"/>')
                if trace.text is not None:
                    end = x1 + 4 if value >= 0 else x0 - 4
                    out.append(_text(end, mid + 4, _lines_of(trace.text[i])[0], anchor="start" if value >= 0 else "end",
                                     size=10))  # fmt: skip
            else:
                out.append(_marker(x_of(value), mid, _style(trace)[1], colour, 10))
    axis = _lines_of(fig.layout.xaxis.title.text)
    out += [_text((left + right) / 2, bottom + 30 + i * LINE, line, anchor="middle", size=11)
            for i, line in enumerate(axis)]
    legend_top = bottom + 38 + LINE * len(axis)
    legend, height = _legend([tr for tr in fig.data if tr.showlegend is not False], legend_top, lines=False) \
        if fig.layout.showlegend is not False else ("", 0)  # fmt: skip
    return "".join(out) + legend, legend_top + height + 8


def _columns(fig: go.Figure) -> tuple[list, float, float, float]:
    """Categories along x: (categories, plot top, plot bottom, width per category)."""
    categories = list(fig.data[0].x)
    top = _top(fig)
    return categories, top, top + 240, (WIDTH - 64) / max(len(categories), 1)


def _vbars(fig: go.Figure) -> tuple[str, float]:
    """Stacked bars per group (the readiness bands)."""
    categories, top, bottom, slot = _columns(fig)
    totals = [sum(tr.y[i] or 0 for tr in fig.data) for i in range(len(categories))]
    high = max([1, *totals]) * 1.05

    def y_of(v: float) -> float:
        return bottom - (bottom - top) * v / high

    out = [_text(48 + slot * (i + 0.5), bottom + 14, line, anchor="middle", size=10)
           for i, c in enumerate(categories) for line in _lines_of(c)[:1]]
    for tick in _ticks(0, high):
        out.append(f'<line x1="48" y1="{y_of(tick):.1f}" x2="{WIDTH - 16}" y2="{y_of(tick):.1f}" stroke="{GRID}"/>')
        out.append(_text(44, y_of(tick) + 4, _fmt(tick, fig.layout.separators), anchor="end", size=10))
    base = [0.0] * len(categories)
    for trace in fig.data:
        colour, _, _ = _style(trace)
        for i, value in enumerate(trace.y):
            if not value:
                continue
            y0, y1 = y_of(base[i] + value), y_of(base[i])
            x = 48 + slot * (i + 0.2)
            out.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="{slot * 0.6:.1f}" height="{y1 - y0:.1f}" '
                       f'fill="{colour}"/>')
            if y1 - y0 > 14:  # the count inside its segment when it fits
                out.append(_text(x + slot * 0.3, (y0 + y1) / 2 + 4, str(value), anchor="middle", size=10,
                                 fill="#ffffff"))
            base[i] += value
    legend, height = _legend(fig.data, bottom + 30, lines=False)
    return "".join(out) + legend, bottom + 30 + height + 8


def _lines(fig: go.Figure) -> tuple[str, float]:
    """Lines over categories (the trend over periods)."""
    categories, top, bottom, slot = _columns(fig)
    low, high = fig.layout.yaxis.range or (0, 100)

    def y_of(v: float) -> float:
        return bottom - (bottom - top) * (v - low) / (high - low or 1)

    out = [_text(48 + slot * (i + 0.5), bottom + 14, _lines_of(c)[0], anchor="middle", size=10)
           for i, c in enumerate(categories)]
    for tick in _ticks(low, high):
        out.append(f'<line x1="48" y1="{y_of(tick):.1f}" x2="{WIDTH - 16}" y2="{y_of(tick):.1f}" stroke="{GRID}"/>')
        out.append(_text(44, y_of(tick) + 4, _fmt(tick, fig.layout.separators), anchor="end", size=10))
    for trace in fig.data:
        colour, symbol, dash = _style(trace)
        pts = [(48 + slot * (categories.index(x) + 0.5), y_of(y)) if y is not None else None
               for x, y in zip(trace.x, trace.y, strict=True) if x in categories]  # fmt: skip
        segments, run = [], []
        for p in [*pts, None]:  # a period without a score breaks the line, as in the app
            if p is None:
                segments, run = ([*segments, run] if len(run) > 1 else segments), []
            else:
                run.append(p)
        for seg in segments:
            out.append(f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in seg)}" fill="none" '
                       f'stroke="{colour}" stroke-width="{trace.line.width or 2}" '
                       f'stroke-dasharray="{DASHES.get(dash, "none")}"/>')
        out += [_marker(p[0], p[1], symbol, colour, 8) for p in pts if p is not None]
    legend, height = _legend(fig.data, bottom + 30)
    return "".join(out) + legend, bottom + 30 + height + 8

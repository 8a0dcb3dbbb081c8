"""What the leader pages (Dasbor, Ringkasan) share: the drill-down from province to
kabupaten/kota, the headline figures, and the charts, each withheld below 5 schools."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import plotly.graph_objects as go
import streamlit as st

from auth import Actor
from reports import charts
from scoring.engine import DomainResult, OverallResult, Result
from scoring.models import Baseline, Questionnaire
from storage.aggregates import MIN_SCHOOLS
from storage.dashboards import Dashboard, TrendPoint, dashboard, domain_medians
from storage.models import JENJANG
from storage.school_table import FilterOptions, SchoolFilter

from .common import lang, plain, t
from .school import percent
from .views import any_or, known_domains, pick_province, pick_scope, read, require_role


@dataclass(frozen=True)
class Scope:
    """What a leader's page is about, and the dashboard's figures for it."""

    actor: Actor
    questionnaire: Questionnaire
    period: str
    options: FilterOptions
    filters: SchoolFilter
    data: Dashboard


def open_dashboard(key: str) -> Scope:
    """The top of a leader's page: who, which questionnaire and period, where, and the figures."""
    actor = require_role("pimpinan")
    questionnaire, period, options = pick_scope(actor)
    filters = drill(options, key)
    data = read(dashboard, actor, questionnaire.id, period, filters)
    return Scope(actor, questionnaire, period, options, filters, data)


def drill(options: FilterOptions, key: str) -> SchoolFilter:
    """Province, then kabupaten/kota inside it; a leader of one province starts inside it."""
    left, right = st.columns(2)
    province = pick_province(left, options)
    kab = right.selectbox(t("views.kabupaten_kota"), **any_or(options.kabupaten_kota.get(province, [])),
                          key=f"{key}.kabupaten_kota", disabled=province is None)  # fmt: skip
    return SchoolFilter(province_code=province, kabupaten_kota=kab)


def show_hidden(notes: Iterable[str]) -> None:
    """What is withheld, and why. The notes name places, which come from the schools file."""
    for note in notes:
        st.info(plain(note), icon=":material/visibility_off:")


def where(options: FilterOptions, filters: SchoolFilter) -> str:
    names = dict(options.provinces)
    if filters.kabupaten_kota:
        return f"{filters.kabupaten_kota}, {names.get(filters.province_code, '')}"
    return names.get(filters.province_code, t("dash.whole_scope")) if filters.province_code else t("dash.whole_scope")


def hidden_text(schools: int) -> str:
    return t("dash.hidden_short", count=schools, minimum=MIN_SCHOOLS)


def headline(questionnaire: Questionnaire, data: Dashboard) -> dict[str, str]:
    """Label -> text: schools assessed of those registered, the median, verified, the share per band."""
    figures = {
        t("dash.assessed"): t("dash.assessed_of", assessed=data.assessed, registered=data.registered),
        t("dash.median"): percent(data.median_score.value) if data.median_score.shown else hidden_text(data.assessed),
        t("dash.verified"): str(data.verified),
    }
    for band in questionnaire.bands:
        share = (data.bands.value.get(band.id, 0) / data.assessed) if data.bands.shown else None
        figures[band.label.get(lang())] = f"{share:.0%}" if share is not None else hidden_text(data.assessed)
    return figures


def comparisons(data: Dashboard) -> dict[str, str]:
    """Label -> median of the province(s) around the view and of the nation (same jenjang and status)."""
    out = {}
    for group in data.comparisons:
        # Province names come from the migrations' fixed table, not from users.
        label = t("dash.compare_province", name=group.name) if group.key else t("dash.compare_nation")
        out[label] = percent(group.median) if group.median is not None else hidden_text(group.schools)
    return out


@dataclass
class Figures:
    charts: list[tuple[str, go.Figure]] = field(default_factory=list)  # (key, figure)
    hidden: list[str] = field(default_factory=list)  # what is withheld, and why


def second_series_options(options: FilterOptions, filters: SchoolFilter) -> list[tuple[str, str] | None]:
    provinces = [("province", c) for c, _ in options.provinces if c != filters.province_code]
    return [None, *provinces, *(("jenjang", j) for j in JENJANG)]


def second_label(options: FilterOptions, choice: tuple[str, str] | None) -> str:
    if choice is None:
        return t("dash.second_none")
    kind, value = choice
    return f"{t('views.province')}: {dict(options.provinces)[value]}" if kind == "province" else \
        f"{t('views.jenjang')}: {value}"  # fmt: skip


def build(actor, questionnaire: Questionnaire, period: str, filters: SchoolFilter, data: Dashboard,
          target: Baseline | None, second: tuple[str, str] | None, options: FilterOptions) -> Figures:  # fmt: skip
    out = Figures()
    series = []
    if data.median_domains.shown:
        series.append(charts.median_series(known_domains(questionnaire, data.median_domains.value),
                                           t("dash.median_of", where=where(options, filters), count=data.assessed)))
    else:
        out.hidden.append(t("dash.hidden", what=t("dash.radar"), count=data.assessed, minimum=MIN_SCHOOLS))
    if second is not None:
        kind, value = second
        group = SchoolFilter(province_code=value) if kind == "province" else replace(filters, jenjang=value)
        medians = read(domain_medians, actor, questionnaire.id, period, group)
        if medians.shown:
            name = t("dash.median_of", where=second_label(options, second), count=medians.schools)
            series.append(charts.RadarSeries(name, known_domains(questionnaire, medians.value)))
        else:
            out.hidden.append(t("dash.hidden", what=second_label(options, second), count=medians.schools,
                                minimum=MIN_SCHOOLS))  # fmt: skip
    if target is not None:
        series.append(charts.target_series(target, t("compare.target"), None))
    if series:
        out.charts.append(("radar", charts.radar(questionnaire, series, lang())))
    if data.ranking:
        shown = [(g.name, g.median) for g in data.ranking if g.median is not None]
        if shown:
            out.charts.append(("ranking", charts.ranking_bars(shown, lang())))
        withheld = [g for g in data.ranking if g.median is None]
        if withheld:
            out.hidden.append(t("dash.ranking_hidden", count=len(withheld), minimum=MIN_SCHOOLS,
                                names=", ".join(g.name for g in withheld)))  # fmt: skip
    for key, groups, label in (("jenjang", data.bands_by_jenjang, lambda g: g),
                               ("status", data.bands_by_status, lambda g: t(f"views.status.{g}"))):  # fmt: skip
        counts = {label(g): known_bands(questionnaire, a.value) for g, a in sorted(groups.items()) if a.shown}
        if counts:
            figure = charts.band_distribution(questionnaire, counts, lang())
            figure.update_layout(title=dict(text=t(f"dash.bands_by_{key}")))
            out.charts.append((f"bands_{key}", figure))
        withheld = [label(g) for g, a in sorted(groups.items()) if not a.shown]
        if withheld:
            out.hidden.append(t("dash.groups_hidden", what=t(f"dash.bands_by_{key}"), names=", ".join(withheld),
                                minimum=MIN_SCHOOLS))  # fmt: skip
    points = [p for p in data.trend if p.median is not None]
    if points:
        trend = charts.trend(questionnaire, [(p.period, median_result(questionnaire, p)) for p in points], lang())
        out.charts.append(("trend", trend))
    if len(points) < len(data.trend):
        out.hidden.append(t("dash.trend_hidden", periods=", ".join(p.period for p in data.trend if p.median is None),
                            minimum=MIN_SCHOOLS))  # fmt: skip
    return out


def known_bands(questionnaire: Questionnaire, counts: dict[str, int]) -> dict[str, int]:
    """Counts on this version's bands only: an older version's band ids would be refused by the chart."""
    return {b.id: counts[b.id] for b in questionnaire.bands if b.id in counts}


def median_result(questionnaire: Questionnaire, point: TrendPoint) -> Result:
    """A period's medians in the shape the trend chart draws (only the scores are filled in)."""
    def empty(score):
        return dict(score=score, points=0, max_points=0, maturity=None, target=None, gap=None)

    return Result(questionnaire=questionnaire.id, version=questionnaire.version, jenjang=None, completeness=1.0,
                  overall=OverallResult(band=None, **empty(point.median)), actions=[],
                  domains=[DomainResult(id=d.id, **empty(point.domains.get(d.id))) for d in questionnaire.domains])


def weakest_records(questionnaire: Questionnaire, data: Dashboard) -> list[dict]:
    titles = {d.id: d.title.get(lang()) for d, _ in questionnaire.questions()}
    domain_of = {q.id: d.id for d, q in questionnaire.questions()}
    out = []
    for f in data.weakest.value or []:
        q = questionnaire.question(f.question_id)
        out.append({t("compare.col.question"): f.question_id, t("dash.col.mean_share"): round(100 * f.mean_share, 1),
                    t("compare.col.answered"): f.answered,
                    t("compare.col.text"): q.text.get(lang()) if q else f.question_id,
                    t("result.col.domain"): titles.get(domain_of.get(f.question_id), ""),
                    t("dash.col.recommendation"): q.recommendation.get(lang()) if q else ""})  # fmt: skip
    return out


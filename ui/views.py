"""What the auditor and leader pages share: questionnaire and period, the school filter,
the school table as records, exports that are audit-logged, notes on hidden aggregates,
and one school's stored result."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict

import pandas as pd
import streamlit as st

import storage
from auth import Actor
from reports import charts, exports
from scoring.models import Baseline, Questionnaire
from storage.activity import record_export
from storage.aggregates import MIN_SCHOOLS
from storage.baselines import active_baseline
from storage.dashboards import Aggregate
from storage.models import JENJANG, SCHOOL_STATUSES
from storage.school_table import ASSESSMENT_STATES, FilterOptions, SchoolFilter, SchoolRow, filter_options

from .common import built_on_click, current_period, db, lang, plain, remembered_choice, require_actor, show_error, t
from .school import band_label, headline, maturity_label, questionnaires

SCORE_FORMAT = st.column_config.NumberColumn(format="%.1f")
# pandas' Styler refuses tables with more cells; those keep Streamlit's own format (a decimal point).
STYLED_CELLS = 200_000


def decimal_table(records: Sequence[Mapping], numbers: Iterable[str]):
    """Records for st.dataframe with the `numbers` columns shown rounded to one decimal, with a
    decimal comma in Bahasa Indonesia. Streamlit's number formats cannot write a decimal comma,
    but it shows a Styler's text while the cells stay numbers, so columns still sort by value."""
    frame = pd.DataFrame(list(records))
    subset = [c for c in numbers if c in frame.columns]
    if not subset or frame.size > STYLED_CELLS:
        return frame
    return frame.style.format(precision=1, decimal="." if lang() == "en" else ",", thousands=None, na_rep="",
                              subset=subset)  # fmt: skip


def decimal_config(records: Sequence[Mapping], numbers: Iterable[str]) -> dict:
    """The column_config for decimal_table: a number format only where the Styler does not apply."""
    big = len(records) * max((len(r) for r in records[:1]), default=0) > STYLED_CELLS
    return {c: SCORE_FORMAT if big else st.column_config.NumberColumn() for c in numbers}


def labelled(labels: Mapping) -> Callable[[object], str]:
    """A format_func over labels made now, in the page's language: it reads no session state
    when it is called, so it gives the same text wherever and whenever it runs."""
    return lambda value: labels[value]


def any_or(values: Iterable, label: Callable[[object], str] = str) -> dict:
    """Options headed by None ("all"), and their format_func: keyword arguments of st.selectbox."""
    options = [None, *values]
    labels = {v: t("views.all") if v is None else label(v) for v in options}
    return {"options": options, "format_func": labelled(labels), "placeholder": t("widget.choose")}


def require_role(*roles: str) -> Actor:
    """The signed-in actor, if the role may use this page; the data layer checks again."""
    actor = require_actor()
    if actor.role.value not in roles:
        st.error(t("error.access_denied"), icon=":material/block:")
        st.stop()
    return actor


def read(fn: Callable, *args, **kwargs):
    """A storage call in its own session; a storage error is told plainly and ends the run."""
    try:
        with db() as session:
            return fn(session, *args, **kwargs)
    except storage.StorageError as err:
        show_error(err)
        st.stop()


def pick_scope(actor: Actor, *, now: bool = False) -> tuple[Questionnaire, str, FilterOptions]:
    """The questionnaire and period a view is about (`now`: offer the current period too),
    and what its filters can offer. Both choices follow the user from page to page."""
    found = {q.id: q for q in questionnaires(actor)}
    if not found:
        st.info(t("school.no_questionnaires"))
        st.stop()
    left, right = st.columns(2)
    titles = {qid: q.title.get(lang()) for qid, q in found.items()}
    with left:
        chosen = remembered_choice(t("school.questionnaire"), list(found), "questionnaire", titles.get)
    options = read(filter_options, actor, chosen)
    periods = options.periods or [current_period()]
    if now and current_period() not in periods:
        periods = sorted({*periods, current_period()}, reverse=True)
    with right:
        period = remembered_choice(t("views.period"), periods, "views.period", str)
    return found[chosen], period, options


def school_filter(options: FilterOptions, questionnaire: Questionnaire, key: str, *, states: bool = True,
                  bands: bool = True) -> SchoolFilter:  # fmt: skip
    """The filter widgets; a province outside the scope cannot be offered, and would be refused."""
    with st.expander(t("views.filters"), expanded=True, icon=":material/filter_list:"):
        row = st.columns(4)
        province = pick_province(row[0], options)
        kab = row[1].selectbox(t("views.kabupaten_kota"), **any_or(options.kabupaten_kota.get(province, [])),
                               key=f"{key}.kabupaten_kota", disabled=province is None)  # fmt: skip
        jenjang = row[2].selectbox(t("views.jenjang"), **any_or(JENJANG), key=f"{key}.jenjang")
        status = row[3].selectbox(t("views.school_status"), **any_or(SCHOOL_STATUSES, lambda s: t(f"views.status.{s}")),
                                  key=f"{key}.status")  # fmt: skip
        row = st.columns(3 if states else 2)
        band = row[0].selectbox(t("result.band"), **any_or((b.id for b in questionnaire.bands),
                                                          lambda b: band_label(questionnaire, b)),
                                key=f"{key}.band", disabled=not bands)  # fmt: skip
        state = row[1].selectbox(t("views.state"), **any_or(ASSESSMENT_STATES, lambda s: t(f"status.{s}")),
                                 key=f"{key}.state") if states else None  # fmt: skip
        search = row[-1].text_input(t("views.search"), key=f"{key}.search", placeholder=t("views.search_hint"))
    return SchoolFilter(province, kab, jenjang, status, band if bands else None, state, search.strip() or None)


def pick_province(where, options: FilterOptions) -> str | None:
    """A user of one province gets that province; a wider scope may pick any of its provinces, or all.
    The choice follows the user from page to page."""
    names = dict(options.provinces)
    # "" stands for all: remembered_choice reads a missing choice as None, so None cannot be an option.
    codes = ["", *names] if len(names) > 1 else list(names) or [""]
    labels = {c: f"{c} {names[c]}" if c else t("views.all") for c in codes}
    with where:
        return remembered_choice(t("views.province"), codes, "views.province", labels.get) or None


def domain_scores(row: SchoolRow, questionnaire: Questionnaire) -> dict[str, float | None]:
    """The row's stored domain scores on this questionnaire version's domains."""
    return known_domains(questionnaire, row.domains)


def known_domains(questionnaire: Questionnaire, values: Mapping[str, float | None]) -> dict[str, float | None]:
    """Scores on this version's domains only: results of an older version may hold other domain
    ids, which the charts refuse."""
    return {d.id: values.get(d.id) for d in questionnaire.domains}


def school_label(row: SchoolRow) -> str:
    return f"{row.name} ({row.npsn})"


def school_records(rows: Sequence[SchoolRow], questionnaire: Questionnaire) -> list[dict]:
    """One record per school, with the column names in the user's language: shown and exported alike."""
    return list(school_record_stream(rows, questionnaire))


def school_columns(questionnaire: Questionnaire) -> list[str]:
    """The records' column names, in order: the header of a streamed export."""
    fixed = ("views.col.npsn", "views.col.name", "views.jenjang", "views.school_status", "views.province",
             "views.kabupaten_kota", "views.state", "result.score", "result.band", "result.maturity",
             "result.completeness", "views.col.updated")  # fmt: skip
    return [*(t(k) for k in fixed), *(d.title.get(lang()) for d in questionnaire.domains)]


def school_record_stream(rows: Iterable[SchoolRow], questionnaire: Questionnaire) -> Iterator[dict]:
    """Records one by one. Labels are looked up once, not per row: a province can hold 40,000 schools."""
    c = {k: t(k) for k in ("views.col.npsn", "views.col.name", "views.jenjang", "views.school_status", "views.province",
                           "views.kabupaten_kota", "views.state", "result.score", "result.band", "result.maturity",
                           "result.completeness", "views.col.updated")}  # fmt: skip
    statuses = {s: t(f"views.status.{s}") for s in SCHOOL_STATUSES}
    states = {s: t(f"status.{s}") for s in ASSESSMENT_STATES}
    bands = {b.id: band_label(questionnaire, b.id) for b in questionnaire.bands}
    levels = {level: maturity_label(level) for level in (None, 1, 2, 3, 4, 5)}
    titles = [(d.id, d.title.get(lang())) for d in questionnaire.domains]
    return ({
        c["views.col.npsn"]: r.npsn, c["views.col.name"]: r.name, c["views.jenjang"]: r.jenjang,
        c["views.school_status"]: statuses[r.status], c["views.province"]: r.province,
        c["views.kabupaten_kota"]: r.kabupaten_kota, c["views.state"]: states[r.assessment_state],
        c["result.score"]: r.score, c["result.band"]: bands.get(r.readiness_band) if r.scored else None,
        c["result.maturity"]: levels.get(r.maturity_level) if r.scored else None,
        c["result.completeness"]: None if r.completeness is None else round(100 * r.completeness),
        c["views.col.updated"]: r.updated_at.strftime("%Y-%m-%d %H:%M") if r.updated_at else None,
        **{title: r.domains.get(did) for did, title in titles},
    } for r in rows)  # fmt: skip


def score_columns(questionnaire: Questionnaire) -> list[str]:
    return [t("result.score"), *(d.title.get(lang()) for d in questionnaire.domains)]


def records_config(questionnaire: Questionnaire, records: Sequence[Mapping]) -> dict:
    return {**decimal_config(records, score_columns(questionnaire)),
            t("result.completeness"): st.column_config.NumberColumn(format="%d%%")}  # fmt: skip


def export_data(actor: Actor, what: str, records: Sequence[Mapping], kind: str, detail: Mapping) -> bytes:
    """The export's bytes, escaped against formula injection, after logging who exported what
    (the data layer refuses a revoked session there, before anything is built)."""
    with db() as session:
        record_export(session, actor, f"{what}.{kind}", {**detail, "rows": len(records)})
    return exports.to_csv(records, lang()) if kind == "csv" else exports.to_xlsx({t("views.sheet"): records})


def export_buttons(actor: Actor, what: str, records: Sequence[Mapping], stem: str, detail: Mapping) -> None:
    """CSV and Excel, built (and logged) only when the user clicks, and only for a live session."""
    left, right = st.columns(2)
    left.download_button(t("views.export_csv"),
                         built_on_click(lambda: export_data(actor, what, records, "csv", detail)),
                         file_name=f"{stem}.csv", mime="text/csv", icon=":material/table:", on_click="ignore",
                         key=f"{what}.csv")  # fmt: skip
    right.download_button(t("views.export_xlsx"),
                          built_on_click(lambda: export_data(actor, what, records, "xlsx", detail)),
                          file_name=f"{stem}.xlsx", icon=":material/grid_on:", on_click="ignore", key=f"{what}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


def export_stream_buttons(actor: Actor, what: str, records: Callable[[], Iterable[Mapping]], header: Sequence[str],
                          stem: str, detail: Mapping) -> None:  # fmt: skip
    """CSV and Excel of a whole filtered set, written from a stream of records when the user clicks
    (no page holds the set), then logged with the number of rows."""

    def build(kind: str) -> bytes:
        counted = exports.Counted(records())
        data = (exports.csv_stream(header, counted, lang()) if kind == "csv"
                else exports.xlsx_stream(t("views.sheet"), header, counted))  # fmt: skip
        with db() as session:
            record_export(session, actor, f"{what}.{kind}", {**detail, "rows": counted.n})
        return data

    left, right = st.columns(2)
    left.download_button(t("views.export_csv"), built_on_click(lambda: build("csv")), file_name=f"{stem}.csv",
                         mime="text/csv",
                         icon=":material/table:", on_click="ignore", key=f"{what}.csv")  # fmt: skip
    right.download_button(t("views.export_xlsx"), built_on_click(lambda: build("xlsx")), file_name=f"{stem}.xlsx",
                          icon=":material/grid_on:", on_click="ignore", key=f"{what}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


def filter_detail(questionnaire: Questionnaire, period: str, filters: SchoolFilter) -> dict:
    return {"questionnaire": questionnaire.id, "period": period,
            **{k: v for k, v in asdict(filters).items() if v is not None}}  # fmt: skip


def hidden(what: str, aggregate: Aggregate | None = None, schools: int | None = None) -> None:
    """Say that an aggregate is withheld, and why."""
    count = aggregate.schools if aggregate is not None else schools
    st.info(t("views.hidden", what=what, count=count, minimum=MIN_SCHOOLS), icon=":material/visibility_off:")


def baseline(actor: Actor, questionnaire: Questionnaire) -> Baseline | None:
    """The active stored baseline for this version: the one submissions are scored against."""
    with db() as session:
        return active_baseline(session, actor, questionnaire)


def school_result(actor: Actor, row: SchoolRow, key: str) -> None:
    """One school's stored result: headline, radar against its target, domain scores."""
    st.subheader(f"{plain(row.name)} · {row.npsn}")
    st.caption(t("school.header", name=plain(row.name), npsn=row.npsn, jenjang=row.jenjang,
                 kab=plain(row.kabupaten_kota), province=plain(row.province)))  # fmt: skip
    if not row.scored:
        st.info(t("views.no_result", state=t(f"status.{row.assessment_state}")))
        return
    with db() as session:
        result = storage.get_result(session, actor, row.assessment_id)
        questionnaire = storage.get_questionnaire(session, actor, result.questionnaire, result.version)
    headline(questionnaire, result)
    series = [charts.school_series(result, row.name)]
    if any(d.target is not None for d in result.domains):
        series.append(charts.target_series(result, t("result.target_series", jenjang=row.jenjang)))
    st.plotly_chart(charts.radar(questionnaire, series, lang()), key=f"{key}.radar", config=charts.PLOTLY_CONFIG)
    titles = {d.id: d.title.get(lang()) for d in questionnaire.domains}
    rows = [{t("result.col.domain"): titles[d.id], t("result.col.score"): d.score, t("result.col.target"): d.target,
             t("result.col.maturity"): maturity_label(d.maturity)} for d in result.domains]  # fmt: skip
    numbers = [t("result.col.score"), t("result.col.target")]
    st.dataframe(decimal_table(rows, numbers), hide_index=True, width="stretch",
                 column_config=decimal_config(rows, numbers))

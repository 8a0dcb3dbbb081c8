"""Dasbor (pimpinan): where training and support should go. Headline figures, medians
against the baseline target, rankings, bands, the trend and the weakest questions, for the
country, a province or a kabupaten/kota (compared with its province and the nation); drill
down to kabupaten/kota and to a school."""

import streamlit as st

from reports import charts
from storage.school_table import school_table
from ui import leaders, views
from ui.common import page_setup, plain, t
from ui.plan_views import plan_shares

page = page_setup("nav.pimpinan_dasbor")
scope = leaders.open_dashboard("dasbor")
actor, questionnaire, period, options, filters, data = (scope.actor, scope.questionnaire, scope.period,
                                                        scope.options, scope.filters, scope.data)  # fmt: skip
place = leaders.where(options, filters)
st.caption(t("dash.of", where=plain(place), period=period))
if actor.jenjang:  # a dinas kabupaten/kota runs SD and SMP; a provincial one SMA, SMK and SLB
    st.caption(t("dash.scope_jenjang", jenjang=", ".join(actor.jenjang)))

figures = leaders.headline(questionnaire, data)
for row in (list(figures.items())[:3], list(figures.items())[3:]):
    for column, (label, value) in zip(st.columns(max(len(row), 1)), row, strict=False):
        column.metric(label, value)
if compared := leaders.comparisons(data):
    st.caption(t("dash.compare"))
    for column, (label, value) in zip(st.columns(len(compared)), compared.items(), strict=True):
        column.metric(label, value)

choices = leaders.second_series_options(options, filters)
second = st.selectbox(t("dash.second"), choices, key="dasbor.second", placeholder=t("widget.choose"),
                      format_func=views.labelled({c: leaders.second_label(options, c) for c in choices}))  # fmt: skip
target = views.baseline(actor, questionnaire)
built = leaders.build(actor, questionnaire, period, filters, data, target, second, options)
for key, figure in built.charts:
    st.plotly_chart(figure, key=f"dasbor.{key}", config=charts.PLOTLY_CONFIG)
leaders.show_hidden(built.hidden)

plan_shares(actor, questionnaire.id)

st.subheader(t("dash.weakest"))
if data.weakest.shown:
    weakest = leaders.weakest_records(questionnaire, data)
    shares = [t("dash.col.mean_share")]
    st.dataframe(views.decimal_table(weakest, shares), hide_index=True, width="stretch", key="dasbor.weakest",
                 column_config=views.decimal_config(weakest, shares))
    st.caption(t("dash.weakest_hint", count=data.assessed))
else:
    views.hidden(t("dash.weakest"), data.weakest)

if filters.kabupaten_kota is None:
    st.caption(t("dash.drill_hint"))
    st.stop()
st.subheader(t("dash.schools", where=plain(place)))
rows = views.read(school_table, actor, questionnaire.id, period, filters)
records = views.school_records(rows, questionnaire)
table = views.decimal_table(records, views.score_columns(questionnaire))
event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     key="dasbor.tabel", column_config=views.records_config(questionnaire, records))  # fmt: skip
picked = [rows[i] for i in event.selection.rows if i < len(rows)]
if picked:
    views.school_result(actor, picked[0], "dasbor.school")
else:
    st.caption(t("views.open_hint"))

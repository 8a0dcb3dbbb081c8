"""Riwayat: the results of earlier periods, with a trend line per domain."""

import streamlit as st

import storage
from reports import charts
from ui.common import db, page_setup, require_actor, school_npsn, t
from ui.school import band_label, maturity_label, percent, pick_questionnaire, school_header, school_or_stop

page = page_setup("nav.riwayat")
actor = require_actor()
school = school_or_stop(actor, school_npsn(actor))
school_header(school)
questionnaire = pick_questionnaire(actor)

with db() as session:
    rows = storage.school_history(session, actor, school.npsn, questionnaire.id)
    scored = [(r.period, storage.get_result(session, actor, r.assessment_id)) for r in rows if r.score is not None]
if not rows:
    st.info(t("history.none"))
    st.stop()

st.dataframe(
    [{t("history.col.period"): r.period, t("history.col.status"): t(f"status.{r.status}"),
      t("result.score"): r.score, t("result.band"): band_label(questionnaire, r.readiness_band),
      t("result.maturity"): maturity_label(r.maturity_level), t("history.col.version"): r.questionnaire_version}
     for r in rows],
    hide_index=True, width="stretch",
    column_config={t("result.score"): st.column_config.NumberColumn(format="%.1f")},
)
if len(scored) >= 2:
    st.plotly_chart(charts.trend(questionnaire, scored, page.lang), key="trend")
elif scored:
    st.caption(t("history.one", score=percent(scored[0][1].overall.score)))

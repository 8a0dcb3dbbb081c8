"""Riwayat: the results of earlier periods, with the overall trend and, on request, each domain's."""

import streamlit as st

import storage
from reports import charts
from ui.common import db, page_setup, require_actor, school_npsn, t
from ui.school import SCORED, band_label, maturity_label, percent, pick_questionnaire, school_header, school_or_stop
from ui.views import decimal_config, decimal_table

page = page_setup("nav.riwayat")
actor = require_actor()
school = school_or_stop(actor, school_npsn(actor))
school_header(school)
questionnaire = pick_questionnaire(actor)

with db() as session:
    rows = storage.school_history(session, actor, school.npsn, questionnaire.id)
    # A returned assessment keeps its old stored score; only submitted and verified ones count.
    scored = [(r.period, storage.get_result(session, actor, r.assessment_id)) for r in rows if r.status in SCORED]
    versions = {v: storage.get_questionnaire(session, actor, questionnaire.id, v)
                for v in {r.questionnaire_version for r in rows}}
if not rows:
    st.info(t("history.none"))
    st.stop()

history = [{t("history.col.period"): r.period, t("history.col.status"): t(f"status.{r.status}"),
      t("result.score"): r.score if r.status in SCORED else None,
      t("result.band"): band_label(versions[r.questionnaire_version], r.readiness_band) if r.status in SCORED else "—",
      t("result.maturity"): maturity_label(r.maturity_level if r.status in SCORED else None),
      t("history.col.version"): r.questionnaire_version}
     for r in rows]  # fmt: skip
st.dataframe(decimal_table(history, [t("result.score")]), hide_index=True, width="stretch",
             column_config=decimal_config(history, [t("result.score")]))
# One trend per questionnaire version: a newer version may have other domains.
latest = scored[-1][1].version if scored else None
same = [(period, result) for period, result in scored if result.version == latest]
if len(same) >= 2:
    domains = st.toggle(t("history.show_domains"), key="riwayat.domains")
    st.plotly_chart(charts.trend(versions[latest], same, page.lang, domains=domains), key="trend",
                    config=charts.PLOTLY_CONFIG)
elif same:
    st.caption(t("history.one", score=percent(same[0][1].overall.score)))

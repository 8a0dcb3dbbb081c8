"""Unduh: offline answer forms, the answers file, results as CSV and Excel, and a printable HTML report."""

from datetime import date

import streamlit as st

from offline import build_html_form, build_paper_form, build_workbook
from reports import charts, exports, html_report
from scoring.models import School
from ui.common import built_on_click, page_setup, require_actor, school_npsn, t
from ui.school import (
    assessments,
    detail,
    latest_scored,
    pick_questionnaire,
    questionnaire_of,
    school_header,
    school_or_stop,
    stored_result,
)

page = page_setup("nav.unduh")
actor = require_actor()
school = school_or_stop(actor, school_npsn(actor))
school_header(school)
chosen = pick_questionnaire(actor)

# Offline forms of the questionnaire's active version, for this school, in the page's language.
st.subheader(t("download.offline"))
st.caption(t("download.offline_hint", version=chosen.version))
form_school = School(npsn=school.npsn, name=school.name, jenjang=school.jenjang, province=school.province)
form_stem = f"{school.npsn}-{chosen.id}-v{chosen.version}"
cols = st.columns(3)
workbook = built_on_click(lambda: build_workbook(chosen, page.lang, form_school))
html_form = built_on_click(lambda: build_html_form(chosen, page.lang, form_school))
paper_form = built_on_click(lambda: build_paper_form(chosen, page.lang, form_school))
cols[0].download_button(t("download.offline_xlsx"), workbook,
                        file_name=f"{form_stem}-formulir.xlsx", icon=":material/grid_on:", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="offline.xlsx")
cols[1].download_button(t("download.offline_html"), html_form,
                        file_name=f"{form_stem}-formulir.html", mime="text/html", icon=":material/smartphone:",
                        on_click="ignore", key="offline.html")
cols[2].download_button(t("download.offline_paper"), paper_form,
                        file_name=f"{form_stem}-cetak.html", mime="text/html", icon=":material/print:",
                        on_click="ignore", key="offline.paper")

found = assessments(actor, school.npsn, chosen.id)
if not found:
    st.info(t("download.none"))
    st.stop()

newest = detail(actor, found[0].id)
questionnaire = questionnaire_of(actor, newest.questionnaire_id, newest.questionnaire_version)
stem = f"{school.npsn}-{questionnaire.id}-{newest.period}"

st.subheader(t("download.answers"))
st.caption(t("download.answers_hint", period=newest.period, status=t(f"status.{newest.status}")))
st.download_button(t("download.answers_button"), exports.answers_yaml(questionnaire, newest.answers),
                   file_name=f"{stem}-jawaban.yaml", mime="application/x-yaml", icon=":material/description:")

scored = latest_scored(found)
if scored is None:
    st.info(t("result.none"))
    st.stop()
result = stored_result(actor, scored.id)
answers = (newest if scored.id == newest.id else detail(actor, scored.id)).answers
if result.version != questionnaire.version:  # the result belongs to an older version than the newest draft
    questionnaire = questionnaire_of(actor, result.questionnaire, result.version)
stem = f"{school.npsn}-{questionnaire.id}-{scored.period}"
domains = exports.result_rows(questionnaire, result, page.lang)
actions = exports.actions_rows(questionnaire, result, page.lang, answers)

st.subheader(t("download.results", period=scored.period))
cols = st.columns(3)
cols[0].download_button(t("download.csv"), exports.to_csv(domains, page.lang), file_name=f"{stem}-hasil.csv",
                        mime="text/csv", icon=":material/table:")
cols[1].download_button(t("download.csv_actions"), exports.to_csv(actions, page.lang), file_name=f"{stem}-tindakan.csv",
                        mime="text/csv", icon=":material/table:")
cols[2].download_button(
    t("download.xlsx"), exports.to_xlsx({t("download.sheet_domains"): domains, t("download.sheet_actions"): actions}),
    file_name=f"{stem}.xlsx", icon=":material/grid_on:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

series = [charts.school_series(result, school.name)]
if any(d.target is not None for d in result.domains):
    series.append(charts.target_series(result, t("result.target_series", jenjang=school.jenjang)))
figures = [charts.radar(questionnaire, series, page.lang)]
if any(d.gap is not None for d in result.domains):
    figures.append(charts.gap_bars(questionnaire, result, page.lang))
report = html_report.school_report_html(
    questionnaire, result, school_name=school.name, npsn=school.npsn, jenjang=school.jenjang, date=date.today(),
    lang=page.lang, figures=figures, answers=answers)
st.download_button(t("download.html"), report, file_name=f"{stem}-laporan.html", mime="text/html",
                   icon=":material/print:", type="primary")
st.caption(t("download.html_hint"))

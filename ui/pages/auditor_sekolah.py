"""Sekolah (auditor): every school of the auditor's provinces with its stored scores;
filter, sort, search, export, and open one school's result."""

import streamlit as st

from storage.school_table import school_table
from ui import views
from ui.common import page_setup, t

page = page_setup("nav.auditor_sekolah")
actor = views.require_role("auditor")
questionnaire, period, options = views.pick_scope(actor)
filters = views.school_filter(options, questionnaire, "sekolah")
rows = views.read(school_table, actor, questionnaire.id, period, filters)

records = views.school_records(rows, questionnaire)
st.caption(t("views.count", count=len(rows), period=period))
table = views.decimal_table(records, views.score_columns(questionnaire))
event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     key="sekolah.tabel", column_config=views.records_config(questionnaire, records))  # fmt: skip
views.export_buttons(actor, "sekolah", records, f"sekolah-{questionnaire.id}-{period}",
                     views.filter_detail(questionnaire, period, filters))

picked = [rows[i] for i in event.selection.rows if i < len(rows)]
if not picked:
    st.caption(t("views.open_hint"))
    st.stop()
row = picked[0]
views.school_result(actor, row, "sekolah")
if row.assessment_state == "submitted" and st.button(t("review.open"), icon=":material/fact_check:"):
    st.session_state["tinjau.assessment"] = row.assessment_id
    st.switch_page("ui/pages/auditor_tinjau.py")

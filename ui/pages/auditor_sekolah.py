"""Sekolah (auditor): every school of the auditor's provinces with its stored scores;
filter, sort, search, export, and open one school's result."""

import streamlit as st

import storage
from storage.school_table import school_table
from ui import views
from ui.common import db, page_setup, require_actor, show_error, t

page = page_setup("nav.auditor_sekolah")
actor = require_actor()
questionnaire, period, options = views.pick_scope(actor, "sekolah")
filters = views.school_filter(options, questionnaire, "sekolah")
try:
    with db() as session:
        rows = school_table(session, actor, questionnaire.id, period, filters)
except storage.StorageError as err:
    show_error(err)
    st.stop()

records = views.school_records(rows, questionnaire)
st.caption(t("views.count", count=len(rows), period=period))
event = st.dataframe(records, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     key="sekolah.tabel", column_config=views.records_config(questionnaire))  # fmt: skip
views.export_buttons(actor, "sekolah", records, f"sekolah-{questionnaire.id}-{period}",
               views.filter_detail(questionnaire, period, filters))  # fmt: skip

picked = [rows[i] for i in event.selection.rows if i < len(rows)]
if not picked:
    st.caption(t("views.open_hint"))
    st.stop()
row = picked[0]
views.school_result(actor, row, "sekolah")
if row.assessment_state == "submitted" and st.button(t("review.open"), icon=":material/fact_check:"):
    st.session_state["tinjau.assessment"] = row.assessment_id
    st.switch_page("ui/pages/auditor_tinjau.py")

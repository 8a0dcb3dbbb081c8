"""Sekolah (auditor): every school of the auditor's provinces with its stored scores;
filter, sort, search, export, download offline forms for them, and open one school's result."""

import streamlit as st

from offline.bundle import MAX_FORMS
from storage.school_pages import count_schools, every_row, school_page
from storage.school_table import SORTS
from ui import views
from ui.common import db, page_setup, t
from ui.offline_forms import school_forms_zip

page = page_setup("nav.auditor_sekolah")
actor = views.require_role("auditor")
questionnaire, period, options = views.pick_scope(actor)
filters = views.school_filter(options, questionnaire, "sekolah")
sort = st.radio(t("views.sort"), SORTS, format_func=views.labelled({s: t(f"views.sort.{s}") for s in SORTS}),
                horizontal=True, key="sekolah.sort")  # fmt: skip
# The table is paged in the database: the positions of the pages seen so far, for going back.
where = (questionnaire.id, period, filters, sort)
if st.session_state.get("sekolah.where") != where:
    st.session_state["sekolah.where"], st.session_state["sekolah.pages"] = where, [None]
pages = st.session_state["sekolah.pages"]
found = views.read(school_page, actor, questionnaire.id, period, filters, sort=sort, after=pages[-1])
rows = found.rows
total = views.read(count_schools, actor, questionnaire.id, period, filters)
st.caption(t("views.page_count", count=total, period=period, page=len(pages)))
event = st.dataframe(views.school_records(rows, questionnaire), hide_index=True, width="stretch",
                     on_select="rerun", selection_mode="single-row", key="sekolah.tabel",
                     column_config=views.records_config(questionnaire))  # fmt: skip
back, forward = st.columns(2)
if back.button(t("views.previous_page"), disabled=len(pages) == 1, icon=":material/chevron_left:"):
    pages.pop()
    st.rerun()
if forward.button(t("views.next_page"), disabled=found.after is None, icon=":material/chevron_right:"):
    pages.append(found.after)
    st.rerun()


def every_record():
    """The whole filtered table, read page after page while the file is written."""
    with db() as session:
        yield from views.school_record_stream(every_row(session, actor, questionnaire.id, period, filters,
                                                        sort=sort), questionnaire)  # fmt: skip


views.export_stream_buttons(actor, "sekolah", every_record, views.school_columns(questionnaire),
                            f"sekolah-{questionnaire.id}-{period}", views.filter_detail(questionnaire, period, filters))
# Offline forms for the filter's schools: read whole only when few enough for one zip.
if total <= MAX_FORMS:
    with db() as session:
        form_rows = list(every_row(session, actor, questionnaire.id, period, filters))
else:
    form_rows = []
school_forms_zip(actor, questionnaire, form_rows, views.filter_detail(questionnaire, period, filters), total=total)

picked = [rows[i] for i in event.selection.rows if i < len(rows)]
if not picked:
    st.caption(t("views.open_hint"))
    st.stop()
row = picked[0]
views.school_result(actor, row, "sekolah")
if row.assessment_state == "submitted" and st.button(t("review.open"), icon=":material/fact_check:"):
    st.session_state["tinjau.assessment"] = row.assessment_id
    st.switch_page("ui/pages/auditor_tinjau.py")

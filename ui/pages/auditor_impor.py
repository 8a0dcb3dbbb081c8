"""Impor massal (auditor): a zip of answers files, or one CSV with a row per school, checked
file by file and row by row; valid entries are stored as submitted, only for schools in the
auditor's provinces. A report lists every problem by file or row."""

import streamlit as st

from reports import templates
from storage.bulk import import_answers
from storage.bulk_files import MAX_FILES
from ui import views
from ui.common import page_setup, show_problems, t
from ui.school import band_label

page = page_setup("nav.auditor_impor")
actor = views.require_role("auditor")
questionnaire, period, _ = views.pick_scope(actor, now=True)
st.markdown(t("bulk.intro", period=period, max=MAX_FILES))
with st.expander(t("bulk.formats"), icon=":material/help:"):
    # Generated from the questionnaire chosen, so the examples are valid for it.
    st.markdown(t("bulk.zip_format"))
    st.code(templates.yaml_example(questionnaire), language="yaml")
    st.markdown(t("bulk.csv_format"))
    st.caption(t("bulk.csv_delimiter"))
    st.code(templates.csv_example(questionnaire, period, page.lang), language=None)
    st.download_button(t("bulk.template"), templates.csv_template(questionnaire, page.lang),
                       file_name=f"templat-{questionnaire.id}-v{questionnaire.version}.csv", mime="text/csv",
                       help=t("bulk.template_help"), icon=":material/download:", on_click="ignore",
                       key="impor.template")  # fmt: skip
all_or_nothing = st.checkbox(t("bulk.all_or_nothing"), key="impor.all_or_nothing", help=t("bulk.all_or_nothing_help"))
upload = st.file_uploader(t("bulk.file"), type=["zip", "csv"], key="impor.file")
if upload is None or not st.button(t("bulk.start"), type="primary", icon=":material/upload:"):
    st.stop()

bar = st.progress(0.0, text=t("bulk.progress", done=0, total="…"))


def progress(done: int, total: int) -> None:
    bar.progress(done / total if total else 1.0, text=t("bulk.progress", done=done, total=total))


report = views.read(import_answers, actor, upload.getvalue(), upload.name, questionnaire.id, period=period,
                    all_or_nothing=all_or_nothing, progress=progress)
bar.progress(1.0, text=t("bulk.finished"))

if report.stored:
    st.success(t("bulk.stored", count=len(report.stored), items=report.items))
if report.problems:
    if all_or_nothing:
        st.error(t("bulk.nothing_stored", rejected=report.rejected, items=report.items))
    else:
        st.warning(t("bulk.rejected", rejected=report.rejected, items=report.items))
    st.subheader(t("bulk.problems", count=len(report.problems)))
    show_problems(report.problems)
if report.stored:
    stored = [{t("bulk.col.source"): s.source if s.line is None else f"{s.source}:{s.line}",
               t("views.col.npsn"): s.npsn, t("views.period"): s.period, t("result.score"): s.score,
               t("result.band"): band_label(questionnaire, s.readiness_band)} for s in report.stored]  # fmt: skip
    st.dataframe(views.decimal_table(stored, [t("result.score")]), hide_index=True, width="stretch",
                 key="impor.stored", column_config=views.decimal_config(stored, [t("result.score")]))

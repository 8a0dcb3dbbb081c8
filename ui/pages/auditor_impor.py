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
if upload is None:
    st.stop()


def run(**options):
    bar = st.progress(0.0, text=t("bulk.progress", done=0, total="…"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=t("bulk.progress", done=done, total=total))

    found = views.read(import_answers, actor, upload.getvalue(), upload.name, questionnaire.id, period=period,
                       all_or_nothing=all_or_nothing, progress=progress, **options)  # fmt: skip
    bar.progress(1.0, text=t("bulk.finished"))
    return found


def list_problems(found) -> None:
    if found.problems:
        st.subheader(t("bulk.problems", count=len(found.problems)))
        show_problems(found.problems)  # plain text in the page's language: names and values come from the upload


# First a check that stores nothing; the import then replaces only the drafts at the versions it saw.
checked_key = f"impor.checked:{upload.file_id}:{all_or_nothing}"
if st.button(t("bulk.check"), icon=":material/fact_check:", key="impor.check"):
    st.session_state[checked_key] = run(preview=True)
checked = st.session_state.get(checked_key)
if checked is None:
    st.stop()
if all_or_nothing and checked.problems:
    st.error(t("bulk.nothing_would_be_stored", rejected=checked.rejected, items=checked.items))
else:
    st.info(t("bulk.ready", count=checked.items - checked.rejected, items=checked.items))
if checked.replaces:  # NPSNs and periods passed their patterns ([A-Z0-9]{8}, 20YY-S): inert in Markdown
    schools = sorted(checked.replaces)
    st.warning(t("bulk.replaces", count=len(schools), schools=", ".join(f"{n} ({p})" for n, p in schools[:50])
                 + (" …" if len(schools) > 50 else "")))  # fmt: skip
if not st.button(t("bulk.confirm"), type="primary", icon=":material/upload:", key="impor.confirm"):
    list_problems(checked)
    st.stop()

del st.session_state[checked_key]
report = run(expected_versions=checked.replaces)
if report.stored:
    st.success(t("bulk.stored", count=len(report.stored), items=report.items))
if report.problems:
    if all_or_nothing:
        st.error(t("bulk.nothing_stored", rejected=report.rejected, items=report.items))
    else:
        st.warning(t("bulk.rejected", rejected=report.rejected, items=report.items))
list_problems(report)
if report.stored:
    stored = [{t("bulk.col.source"): s.source if s.line is None else f"{s.source}:{s.line}",
               t("views.col.npsn"): s.npsn, t("views.period"): s.period, t("result.score"): s.score,
               t("result.band"): band_label(questionnaire, s.readiness_band)} for s in report.stored]  # fmt: skip
    st.dataframe(views.decimal_table(stored, [t("result.score")]), hide_index=True, width="stretch",
                 key="impor.stored", column_config=views.decimal_config(stored, [t("result.score")]))

"""Impor: an answers file, an offline workbook or the HTML form's saved file becomes this
period's draft, after validation and a preview of what would change."""

import streamlit as st

import storage
from offline import read_form
from reports import templates
from scoring.loader import LoadError
from ui.common import current_period, db, page_setup, require_actor, school_npsn, show_error, show_problems, t
from ui.school import (
    assessments,
    detail,
    import_preview,
    pick_questionnaire,
    school_header,
    school_or_stop,
    this_period,
)

page = page_setup("nav.impor")
actor = require_actor()
school = school_or_stop(actor, school_npsn(actor))
school_header(school)
chosen = pick_questionnaire(actor)
period = current_period()
st.write(t("import.intro", period=period))
with db() as session:  # the blank file is for the version a new draft would use: the active one
    active = storage.get_questionnaire(session, actor, chosen.id)
st.download_button(t("import.template"), templates.answers_template(active, page.lang),
                   file_name=f"jawaban-{active.id}-v{active.version}.yaml", mime="application/x-yaml",
                   help=t("import.template_help"), icon=":material/download:", on_click="ignore",
                   key="impor.template")  # fmt: skip

upload = st.file_uploader(t("import.file"), type=["yaml", "yml", "json", "xlsx"], key="answers_upload",
                          help=t("import.file_help"))
if upload is None:
    st.stop()

current = this_period(assessments(actor, school.npsn, chosen.id))
info = detail(actor, current.id) if current else None
if info is not None and info.status not in ("draft", "returned"):
    st.error(t("import.locked", status=t(f"status.{info.status}")))
    st.stop()
with db() as session:  # validate against the version the draft uses, or the active one
    questionnaire = storage.get_questionnaire(session, actor, chosen.id, info.questionnaire_version if info else None)
try:
    # The draft's version only: a form of another version or content is refused, saying which.
    answers = read_form(upload.getvalue(), upload.name, questionnaire, resolve=None)
except LoadError as err:
    st.error(t("import.invalid", count=len(err.problems)))
    show_problems(err.problems, err.more)
    st.stop()
if answers.school is not None and answers.school.npsn != school.npsn:
    st.error(t("import.other_school", npsn=answers.school.npsn, own=school.npsn))
    st.stop()

total = len(questionnaire.questions())
st.success(t("import.valid", count=len(answers.answers), total=total))
stored = info.answers.answers if info and info.answers else {}
if stored:
    st.warning(t("import.replace", count=len(stored)))
changed = import_preview(questionnaire, stored, answers.answers)
if changed:
    st.markdown(t("import.changes", count=len(changed)))
    st.dataframe(changed, hide_index=True, width="stretch", key="import.changes")
elif stored:
    st.info(t("import.no_changes"))
# The draft as the operator saw it now; if someone changes it before "save", nothing is replaced.
seen = st.session_state.setdefault(f"import-seen:{upload.file_id}", info.version if info else None)
if st.button(t("import.confirm"), type="primary", icon=":material/save:"):
    try:
        with db() as session:
            storage.import_draft(session, actor, school.npsn, questionnaire.id, period, answers, seen)
    except storage.StorageError as err:
        show_error(err)
    else:
        st.session_state["draft"] = None  # Penilaian reloads its widgets from the database
        st.success(t("import.done"))
        st.page_link("ui/pages/penilaian.py", label=t("nav.penilaian"), icon=":material/checklist:")

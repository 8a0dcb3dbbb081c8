"""Penilaian: answer a questionnaire domain by domain; every change is saved as it happens."""

import streamlit as st

import storage
from scoring.models import Questionnaire
from ui import draft
from ui.common import (
    current_period,
    db,
    glossary,
    page_setup,
    plain,
    require_actor,
    school_npsn,
    show_error,
    t,
)
from ui.school import (
    assessments,
    detail,
    pick_questionnaire,
    review_marks,
    school_header,
    school_or_stop,
    show_return_reasons,
    show_review_mark,
    this_period,
)

EDITABLE = ("draft", "returned")

page = page_setup("nav.penilaian")
actor = require_actor()
school = school_or_stop(actor, school_npsn(actor))
school_header(school)
chosen = pick_questionnaire(actor)
period = current_period()

current = this_period(assessments(actor, school.npsn, chosen.id))
if current is None:
    st.info(t("assessment.not_started", period=period))
    if st.button(t("assessment.start"), type="primary", icon=":material/play_arrow:"):
        try:
            with db() as session:
                storage.get_or_create_assessment(session, actor, school.npsn, chosen.id, period)
        except storage.StorageError as err:
            show_error(err)
        else:
            st.rerun()
    st.stop()

info = detail(actor, current.id)
with db() as session:  # the assessment keeps the questionnaire version it was started on
    questionnaire: Questionnaire = storage.get_questionnaire(session, actor, info.questionnaire_id,
                                                             info.questionnaire_version)
editable = info.status in EDITABLE
draft.sync(info, questionnaire)

for kind, message in draft.take_flashes():
    if kind == "stale":
        st.warning(t("error.stale"), icon=":material/sync_problem:")
    elif kind == "error":
        st.error(t("assessment.save_failed"))
        st.code(message, language=None)
    elif kind == "saved":
        st.toast(t("assessment.saved", question=message), icon=":material/cloud_done:")
    elif kind == "submitted":
        st.success(t("assessment.submitted"), icon=":material/task_alt:")
        st.page_link("ui/pages/hasil.py", label=t("nav.hasil"), icon=":material/monitoring:")

show_return_reasons(info)
marks = review_marks(actor, info.id)
if not editable:
    st.info(t("assessment.read_only", status=t(f"status.{info.status}")), icon=":material/lock:")


def answered(qids) -> int:
    return draft.answered(info.id, qids)


all_ids = [q.id for _, q in questionnaire.questions()]
st.progress(answered(all_ids) / len(all_ids), text=t("assessment.progress", done=answered(all_ids),
                                                          total=len(all_ids)))

domain_ids = [d.id for d in questionnaire.domains]
domains = {d.id: d for d in questionnaire.domains}
if st.session_state.get("domain") not in domain_ids:  # resume at the first domain with gaps
    st.session_state["domain"] = next(
        (d.id for d in questionnaire.domains if answered(q.id for q in d.questions) < len(d.questions)),
        domain_ids[0])
# Stable labels: a label that changed with every answer would reset the selectbox.
domain_labels = {did: f"{i}. {domains[did].title.get(page.lang)}" for i, did in enumerate(domain_ids, 1)}
domain = domains[st.selectbox(t("assessment.domain"), domain_ids, key="domain", format_func=domain_labels.get)]
done = answered(q.id for q in domain.questions)
st.progress(done / len(domain.questions), text=t("assessment.domain_progress", done=done,
                                                       total=len(domain.questions)))
if domain.description:
    st.caption(domain.description.get(page.lang))

terms = glossary()
for number, q in enumerate(domain.questions, 1):
    scale = questionnaire.scales[q.scale]
    options = [o.value for o in scale] + (["na"] if q.allow_na else [])
    labels = {o.value: o.label.get(page.lang) for o in scale} | {"na": t("assessment.na")}
    with st.container(border=True):
        flag = f" · :red[{t('assessment.critical')}]" if q.critical else ""
        st.markdown(f"**{number}. {plain(q.text.get(page.lang))}**{flag}")
        st.radio(t("assessment.answer"), options, key=draft.value_key(info.id, q.id), index=None,
                 format_func=labels.get, on_change=draft.save, args=(info.id, q.id), disabled=not editable,
                 horizontal=True, label_visibility="collapsed")
        show_review_mark(marks.get(q.id))
        st.text_input(t("assessment.note"), key=draft.note_key(info.id, q.id), on_change=draft.save,
                      args=(info.id, q.id), max_chars=2000, placeholder=t("assessment.note_hint"),
                      disabled=not editable or st.session_state.get(draft.value_key(info.id, q.id)) is None)
        with st.expander(t("assessment.more")):
            if q.help:
                st.markdown(f"**{t('assessment.help')}** {plain(q.help.get(page.lang))}")
            if q.evidence:
                st.markdown(f"**{t('assessment.evidence')}** {plain(q.evidence.get(page.lang))}")
            st.markdown(f"**{t('assessment.recommendation')}** {plain(q.recommendation.get(page.lang))}")
            if terms:
                for term in terms.terms_in(" ".join(x.get(page.lang) for x in (q.text, q.help) if x)):
                    st.markdown(f"*{plain(term.term.get(page.lang))}*: {plain(term.definition.get(page.lang))}")
                st.page_link("ui/pages/glosarium.py", label=t("nav.glosarium"), icon=":material/menu_book:")

position = domain_ids.index(domain.id)
if position + 1 < len(domain_ids):
    def go_next() -> None:
        st.session_state["domain"] = domain_ids[position + 1]
    st.button(t("assessment.next_domain"), on_click=go_next, icon=":material/arrow_forward:")

if not editable:
    st.stop()

st.divider()
st.subheader(t("assessment.submit_title"))
missing = [qid for qid in all_ids if st.session_state.get(draft.value_key(info.id, qid)) is None]
if st.button(t("assessment.submit"), type="primary", icon=":material/send:"):
    if missing:
        st.error(t("assessment.incomplete", count=len(missing)))
        st.caption(plain(", ".join(missing[:20])))
    else:
        st.session_state["confirm_submit"] = info.id
if st.session_state.get("confirm_submit") == info.id:
    st.warning(t("assessment.confirm"), icon=":material/help:")
    yes, no = st.columns(2)
    yes.button(t("assessment.confirm_yes"), type="primary", on_click=draft.submit, args=(info.id,))
    no.button(t("assessment.confirm_no"), on_click=st.session_state.pop, args=("confirm_submit", None))

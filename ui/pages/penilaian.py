"""Penilaian: answer a questionnaire domain by domain; every change is saved as it happens."""

import streamlit as st

import storage
from scoring.models import Questionnaire
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
    school_header,
    school_or_stop,
    show_return_reasons,
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
answers = info.answers.answers if info.answers else {}


def value_key(qid: str) -> str:
    return f"answer:{info.id}:{qid}"


def note_key(qid: str) -> str:
    return f"note:{info.id}:{qid}"


def load_from_database() -> None:
    """(Re)fill the widgets from the stored answers and remember the version they show."""
    st.session_state["assessment"] = {"id": info.id, "version": info.version}
    for _, q in questionnaire.questions():
        entry = answers.get(q.id)
        st.session_state[value_key(q.id)] = entry.value if entry else None
        st.session_state[note_key(q.id)] = (entry.note or "") if entry else ""


if st.session_state.get("assessment", {}).get("id") != info.id or st.session_state.pop("reload", False):
    load_from_database()
for _, q in questionnaire.questions():  # widgets not shown last run lose their state
    if value_key(q.id) not in st.session_state:
        entry = answers.get(q.id)
        st.session_state[value_key(q.id)] = entry.value if entry else None
        st.session_state[note_key(q.id)] = (entry.note or "") if entry else ""


def save(qid: str) -> None:
    """Store one answer now; a stale version reloads the newer answers instead of overwriting them."""
    value = st.session_state.get(value_key(qid))
    note = (st.session_state.get(note_key(qid)) or "").strip() or None
    entry = None if value is None else {"value": value, "note": note}
    state = st.session_state["assessment"]
    try:
        with db() as session:
            state["version"] = storage.save_draft(session, actor, info.id, {qid: entry}, state["version"])
        st.session_state["saved"] = qid
    except storage.StaleVersion:
        st.session_state["stale"] = True
        st.session_state["reload"] = True
    except storage.StorageError as err:
        st.session_state["save_error"] = str(err)
        st.session_state["reload"] = True


if st.session_state.pop("stale", False):
    st.warning(t("error.stale"), icon=":material/sync_problem:")
if error := st.session_state.pop("save_error", None):
    st.error(t("assessment.save_failed"))
    st.code(error, language=None)
if saved := st.session_state.pop("saved", None):
    st.toast(t("assessment.saved", question=saved), icon=":material/cloud_done:")

show_return_reasons(info)
if not editable:
    st.info(t("assessment.read_only", status=t(f"status.{info.status}")), icon=":material/lock:")


def answered(qids) -> int:
    return sum(1 for qid in qids if st.session_state.get(value_key(qid)) is not None)


all_ids = [q.id for _, q in questionnaire.questions()]
st.progress(answered(all_ids) / len(all_ids), text=t("assessment.progress", done=answered(all_ids),
                                                          total=len(all_ids)))

domain_ids = [d.id for d in questionnaire.domains]
domains = {d.id: d for d in questionnaire.domains}
if st.session_state.get("domain") not in domain_ids:  # resume at the first domain with gaps
    st.session_state["domain"] = next(
        (d.id for d in questionnaire.domains if answered(q.id for q in d.questions) < len(d.questions)),
        domain_ids[0])


def domain_label(did: str) -> str:
    # Stable labels: a label that changed with every answer would reset the selectbox.
    return f"{domain_ids.index(did) + 1}. {domains[did].title.get(page.lang)}"


domain = domains[st.selectbox(t("assessment.domain"), domain_ids, key="domain", format_func=domain_label)]
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
        st.radio(t("assessment.answer"), options, key=value_key(q.id), index=None, format_func=labels.get,
                 on_change=save, args=(q.id,), disabled=not editable, horizontal=True, label_visibility="collapsed")
        st.text_input(t("assessment.note"), key=note_key(q.id), on_change=save, args=(q.id,),
                      disabled=not editable or st.session_state.get(value_key(q.id)) is None,
                      max_chars=2000, placeholder=t("assessment.note_hint"))
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
missing = [qid for qid in all_ids if st.session_state.get(value_key(qid)) is None]
if st.button(t("assessment.submit"), type="primary", icon=":material/send:"):
    if missing:
        st.error(t("assessment.incomplete", count=len(missing)))
        st.caption(", ".join(missing[:20]))
    else:
        st.session_state["confirm_submit"] = info.id
if st.session_state.get("confirm_submit") == info.id:
    st.warning(t("assessment.confirm"), icon=":material/help:")
    yes, no = st.columns(2)
    if yes.button(t("assessment.confirm_yes"), type="primary"):
        st.session_state.pop("confirm_submit", None)
        try:
            with db() as session:
                # scored against the active national baseline stored with the questionnaires
                storage.submit(session, actor, info.id, st.session_state["assessment"]["version"])
        except storage.StorageError as err:
            st.session_state["reload"] = True
            show_error(err)
        else:
            st.session_state["reload"] = True
            st.success(t("assessment.submitted"))
            st.page_link("ui/pages/hasil.py", label=t("nav.hasil"), icon=":material/monitoring:")
    if no.button(t("assessment.confirm_no")):
        st.session_state.pop("confirm_submit", None)
        st.rerun()

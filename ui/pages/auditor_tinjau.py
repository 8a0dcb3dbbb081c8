"""Tinjau (auditor): read a submitted assessment, agree or disagree with each answer and
comment, then verify it or return it to the school with reasons. Every mark is saved as it
is made and audit-logged; the school reads the marks on its Beranda and Penilaian."""

import streamlit as st

import storage
from storage.evidence import list_evidence
from storage.review import finish_review, mark_question, review_comments
from ui.common import db, page_setup, plain, show_error, t
from ui.evidence import file_row
from ui.views import labelled, read, require_role

STATES = ("submitted", "returned", "verified")

page = page_setup("nav.auditor_tinjau")
actor = require_role("auditor")
if done := st.session_state.pop("tinjau.done", None):
    st.success(t(f"review.done.{done[0]}", npsn=done[1]))
state = st.selectbox(t("review.queue_state"), STATES, key="tinjau.state",
                     format_func=labelled({s: t(f"status.{s}") for s in STATES}))
queue = read(storage.list_assessments, actor, status=state)
wanted = st.session_state.pop("tinjau.assessment", None)
if wanted is not None:
    opened = read(storage.get_assessment, actor, wanted)  # refused outside the scope
    state = opened.status
    queue = [opened, *(a for a in queue if a.id != wanted)]
    st.session_state["tinjau.pick"] = wanted
if not queue:
    st.info(t("review.queue_empty", state=t(f"status.{state}")))
    st.stop()
by_id = {a.id: a for a in queue}
if st.session_state.get("tinjau.pick") not in by_id:
    st.session_state["tinjau.pick"] = queue[0].id
chosen = st.selectbox(t("review.pick", count=len(queue)), list(by_id), key="tinjau.pick",
                      format_func=labelled({i: f"{a.npsn} · {a.school_name} · {a.questionnaire_id} · {a.period}"
                                            for i, a in by_id.items()}))  # fmt: skip

info = read(storage.get_assessment, actor, chosen)
questionnaire = read(storage.get_questionnaire, actor, info.questionnaire_id, info.questionnaire_version)
marks = read(review_comments, actor, chosen)
evidence = read(list_evidence, actor, chosen)
editable = info.status == "submitted"
st.caption(t("review.meta", npsn=info.npsn, name=plain(info.school_name), period=info.period,
             status=t(f"status.{info.status}"), version=info.questionnaire_version))  # fmt: skip
if not editable:
    st.info(t("review.read_only", status=t(f"status.{info.status}")), icon=":material/lock:")
if info.status == "returned" and info.return_reasons:
    st.text(info.return_reasons)


def mark_key(qid: str) -> str:
    return f"tinjau.mark:{info.id}:{qid}"


def comment_key(qid: str) -> str:
    return f"tinjau.comment:{info.id}:{qid}"


def evidence_key(qid: str) -> str:
    return f"tinjau.evidence:{info.id}:{qid}"


for _, q in questionnaire.questions():
    if mark_key(q.id) not in st.session_state:
        mark = marks.get(q.id)
        st.session_state[mark_key(q.id)] = None if mark is None else mark.agree
        st.session_state[comment_key(q.id)] = (mark.comment or "") if mark else ""
        st.session_state[evidence_key(q.id)] = None if mark is None else mark.evidence_ok


def save(qid: str) -> None:
    try:
        with db() as session:
            mark_question(session, actor, info.id, qid, st.session_state[mark_key(qid)],
                          st.session_state[comment_key(qid)], st.session_state.get(evidence_key(qid)))  # fmt: skip
        st.session_state["tinjau.saved"] = qid
    except storage.StorageError as err:
        st.session_state["tinjau.error"] = str(err)


if error := st.session_state.pop("tinjau.error", None):
    st.error(t("review.save_failed"))
    st.code(error, language=None)
if saved := st.session_state.pop("tinjau.saved", None):
    st.toast(t("assessment.saved", question=saved), icon=":material/cloud_done:")

answers = info.answers.answers if info.answers else {}
agreement = {True: t("review.agree"), False: t("review.disagree")}
sufficiency = {True: t("evidence.ok"), False: t("evidence.weak")}
for domain in questionnaire.domains:
    with st.expander(domain.title.get(page.lang), expanded=True):
        for q in domain.questions:
            entry = answers.get(q.id)
            scale = {o.value: o.label.get(page.lang) for o in questionnaire.scales[q.scale]}
            given = t("result.unanswered") if entry is None else (t("assessment.na") if entry.is_na else
                                                                   f"{entry.value} · {scale.get(entry.value, '')}")
            flag = f" · :red[{t('assessment.critical')}]" if q.critical else ""
            with st.container(border=True):
                st.markdown(f"**{q.id}. {plain(q.text.get(page.lang))}**{flag}")
                st.markdown(f"{t('review.answer')}: **{plain(given)}**")
                if entry is not None and entry.note:
                    st.text(entry.note)
                for item in evidence.get(q.id, []):  # opened only on request; every opening is logged
                    file_row(item, removable=False, viewable=True)
                if not evidence.get(q.id):
                    st.caption(t("evidence.none"))
                left, right = st.columns([1, 2])
                left.radio(t("review.mark"), [True, False], key=mark_key(q.id), index=None, horizontal=True,
                           format_func=agreement.get, on_change=save, args=(q.id,), disabled=not editable)
                right.text_input(t("review.comment"), key=comment_key(q.id), on_change=save, args=(q.id,),
                                 disabled=not editable or st.session_state[mark_key(q.id)] is None, max_chars=2000)
                left.radio(t("evidence.mark"), [True, False], key=evidence_key(q.id), index=None, horizontal=True,
                           format_func=sufficiency.get, on_change=save, args=(q.id,),
                           disabled=not editable or st.session_state[mark_key(q.id)] is None)  # fmt: skip

if not editable:
    st.stop()
disagreed = [q.id for _, q in questionnaire.questions() if st.session_state[mark_key(q.id)] is False]
unmarked = sum(1 for _, q in questionnaire.questions() if st.session_state[mark_key(q.id)] is None)
st.divider()
st.subheader(t("review.decision"))
st.caption(t("review.summary", disagreed=len(disagreed), unmarked=unmarked))


def finish(decision: str, reasons: str = "") -> None:
    try:
        with db() as session:
            finish_review(session, actor, info.id, decision, info.version, reasons)
    except storage.StorageError as err:
        show_error(err)
    else:
        st.session_state["tinjau.done"] = (decision, info.npsn)
        st.rerun()


left, right = st.columns(2)
with left:
    if st.button(t("review.verify"), type="primary", icon=":material/verified:", disabled=bool(disagreed)):
        finish("verified")
    if disagreed:
        st.caption(t("review.cannot_verify"))
reasons_key = f"tinjau.reasons:{info.id}"


def fill_reasons() -> None:
    """The disagreements and their comments, as a start for the reasons."""
    st.session_state[reasons_key] = "\n".join(
        f"{qid}: {st.session_state[comment_key(qid)] or t('review.disagree')}" for qid in disagreed)


with right:
    reasons = st.text_area(t("review.reasons"), key=reasons_key, max_chars=4000)
    st.button(t("review.fill"), on_click=fill_reasons, disabled=not disagreed, icon=":material/playlist_add:")
    if st.button(t("review.return"), icon=":material/undo:"):
        finish("returned", reasons)

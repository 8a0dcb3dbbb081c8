"""Tinjau (auditor): read a submitted assessment, agree or disagree with each answer and
comment, then verify it or return it to the school with reasons. Every mark is saved as it
is made and audit-logged; the school reads the marks on its Beranda and Penilaian.

Each question is a fragment: a mark re-runs that question only, not the page."""

import streamlit as st

import storage
from scoring.models import Questionnaire
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
state = st.selectbox(t("review.queue_state"), STATES, key="tinjau.state", placeholder=t("widget.choose"),
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
                      placeholder=t("widget.choose"),
                      format_func=labelled({i: f"{a.npsn} · {a.school_name} · {a.questionnaire_id} · {a.period}"
                                            for i, a in by_id.items()}))  # fmt: skip

info = read(storage.get_assessment, actor, chosen)


def stored_questionnaire(qid: str, version: str) -> Questionnaire:
    """A questionnaire version never changes once stored: read it once per session."""
    key = f"tinjau.questionnaire:{qid}:{version}"
    if key not in st.session_state:
        st.session_state[key] = read(storage.get_questionnaire, actor, qid, version)
    return st.session_state[key]


questionnaire = stored_questionnaire(info.questionnaire_id, info.questionnaire_version)
evidence = read(list_evidence, actor, chosen)  # read-only here: files change only before a submission
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


if mark_key(questionnaire.questions()[0][1].id) not in st.session_state:  # the marks, once per assessment
    marks = read(review_comments, actor, chosen)
    for _, q in questionnaire.questions():
        mark = marks.get(q.id)
        st.session_state[mark_key(q.id)] = None if mark is None else mark.agree
        st.session_state[comment_key(q.id)] = (mark.comment or "") if mark else ""
        st.session_state[evidence_key(q.id)] = None if mark is None else mark.evidence_ok


def question_label(qid: str) -> str:
    question = questionnaire.question(qid)
    return f"{questionnaire.number(qid)} {question.text.get(page.lang)}" if question else qid


def save(qid: str) -> None:
    try:
        with db() as session:
            mark_question(session, actor, info.id, qid, st.session_state[mark_key(qid)],
                          st.session_state[comment_key(qid)], st.session_state.get(evidence_key(qid)))  # fmt: skip
        st.session_state["tinjau.saved"] = qid
    except storage.InvalidInput as err:
        st.session_state["tinjau.error"] = err.render(page.lang)
    except storage.StorageError as err:
        st.session_state["tinjau.error"] = str(err)


def disagreed_now() -> list[str]:
    return [q.id for _, q in questionnaire.questions() if st.session_state[mark_key(q.id)] is False]


answers = info.answers.answers if info.answers else {}
agreement = {True: t("review.agree"), False: t("review.disagree")}
could_verify = not disagreed_now()
sufficiency = {True: t("evidence.ok"), False: t("evidence.weak")}


@st.fragment
def question_card(q, scale: dict[int, str]) -> None:
    if error := st.session_state.pop("tinjau.error", None):
        st.error(t("review.save_failed"))
        st.code(error, language=None)
    if saved := st.session_state.pop("tinjau.saved", None):
        st.toast(t("assessment.saved", question=questionnaire.number(saved)), icon=":material/cloud_done:")
        if (not disagreed_now()) != could_verify:  # "Verifikasi" becomes (un)available: redraw the page
            st.rerun()
    entry = answers.get(q.id)
    given = t("result.unanswered") if entry is None else (t("assessment.na") if entry.is_na else
                                                           f"{entry.value} · {scale.get(entry.value, '')}")
    flag = f" · :red[{t('assessment.critical')}]" if q.critical else ""
    with st.container(border=True):
        st.markdown(f"**{questionnaire.number(q.id)}. {plain(q.text.get(page.lang))}**{flag}")
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
                         disabled=not editable or st.session_state[mark_key(q.id)] is None, max_chars=2000,
                         placeholder=t("review.comment_hint"))
        left.radio(t("evidence.mark"), [True, False], key=evidence_key(q.id), index=None, horizontal=True,
                   format_func=sufficiency.get, on_change=save, args=(q.id,),
                   disabled=not editable or st.session_state[mark_key(q.id)] is None)  # fmt: skip


for domain in questionnaire.domains:
    with st.expander(domain.title.get(page.lang), expanded=True):
        for q in domain.questions:
            question_card(q, {o.value: o.label.get(page.lang) for o in questionnaire.scales[q.scale]})

if not editable:
    st.stop()
disagreed = disagreed_now()
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
        st.session_state.pop("tinjau.confirm", None)
        st.session_state["tinjau.done"] = (decision, info.npsn)
        st.rerun()


left, right = st.columns(2)
with left:
    if st.button(t("review.verify"), type="primary", icon=":material/verified:", disabled=bool(disagreed)):
        if unmarked:  # verifying answers nobody looked at is a decision to confirm
            st.session_state["tinjau.confirm"] = info.id
        else:
            finish("verified")
    if disagreed:
        st.caption(t("review.cannot_verify"))
    if st.session_state.get("tinjau.confirm") == info.id and not disagreed:
        st.warning(t("review.confirm_unmarked", count=unmarked), icon=":material/help:")
        yes, no = st.columns(2)
        if yes.button(t("review.confirm_yes"), type="primary", key="tinjau.confirm_yes"):
            finish("verified")
        if no.button(t("review.confirm_no"), key="tinjau.confirm_no"):
            st.session_state.pop("tinjau.confirm", None)
            st.rerun()
reasons_key = f"tinjau.reasons:{info.id}"


def fill_reasons() -> None:
    """The disagreements and their comments, as a start for the reasons."""
    st.session_state[reasons_key] = "\n".join(
        f"{question_label(qid)}: {st.session_state[comment_key(qid)] or t('review.disagree')}"
        for qid in disagreed_now())


with right:
    reasons = st.text_area(t("review.reasons"), key=reasons_key, max_chars=4000, placeholder=t("review.reasons_hint"))
    st.button(t("review.fill"), on_click=fill_reasons, disabled=not disagreed, icon=":material/playlist_add:")
    if st.button(t("review.return"), icon=":material/undo:"):
        if reasons.strip():
            finish("returned", reasons)
        else:
            st.error(t("review.reason_needed"), icon=":material/edit_note:")

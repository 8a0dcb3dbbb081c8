"""Penilaian: answer a questionnaire domain by domain; every change is saved as it happens.

Each question is its own fragment: an answer re-runs that question and the progress bars,
not the page. What every widget shows comes from the stored answers (ui/draft.py).
"""

import streamlit as st

import storage
from scoring.models import Question, Questionnaire
from storage.tasks import task_reminders
from ui import draft, scroll
from ui.common import current_period, db, page_setup, plain, require_actor, school_npsn, show_error, t
from ui.evidence import evidence_of, evidence_section
from ui.school import (
    assessments,
    cached_review_marks,
    glossary_notes,
    pick_questionnaire,
    questionnaire_of,
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

info = draft.stored(current.id)
draft.begin(info)
# The assessment keeps the questionnaire version it was started on.
questionnaire: Questionnaire = questionnaire_of(actor, info.questionnaire_id, info.questionnaire_version)
editable = info.status in EDITABLE
domains = questionnaire.domains
domain_ids = [d.id for d in domains]
all_questions = [q for _, q in questionnaire.questions()]
position = {q.id: (i, n) for i, d in enumerate(domains, 1) for n, q in enumerate(d.questions, 1)}

for kind, message in draft.take_flashes("stale", "busy", "error"):
    if kind == "stale":
        st.warning(t("error.stale"), icon=":material/sync_problem:")
    elif kind == "busy":
        st.error(t("error.busy"), icon=":material/hourglass_top:")
    else:
        st.error(t("assessment.save_failed"))
        st.code(message, language=None)

show_return_reasons(info)
marks = cached_review_marks(actor, info)
with db() as session:  # tasks marked done in an earlier period: a reminder, the answer stays as it is
    reminders = task_reminders(session, actor, info.id) if editable else {}
if not editable:
    st.info(t("assessment.read_only", status=t(f"status.{info.status}")), icon=":material/lock:")


def answered(stored: dict, questions) -> int:
    return sum(1 for q in questions if q.id in stored)


def choose_domain(domain_id: str) -> None:
    """The domain lives in the URL, so a refresh (and the sign-in after it) keeps it."""
    st.query_params["domain"] = domain_id


def keep_domain() -> None:
    choose_domain(st.session_state["_domain"])


def next_domain(domain_id: str) -> None:
    choose_domain(domain_id)
    scroll.ask()  # the new domain starts at its top, not where the button was


scroll.if_asked()
wanted = st.query_params.get("domain")
if wanted not in domain_ids:  # resume at the first domain with gaps
    stored = draft.stored_answers(info.id)
    wanted = next((d.id for d in domains if answered(stored, d.questions) < len(d.questions)), domain_ids[0])
    choose_domain(wanted)
# Stable labels: a label that changed with every answer would reset the selectbox.
domain_labels = {did: f"{i}. {domains[i - 1].title.get(page.lang)}" for i, did in enumerate(domain_ids, 1)}
domain = domains[domain_ids.index(wanted)]
st.session_state["_domain"] = wanted
st.selectbox(t("assessment.domain"), domain_ids, key="_domain", format_func=domain_labels.get,
             placeholder=t("widget.choose"), on_change=keep_domain)


@st.fragment(key=draft.PROGRESS)
def progress() -> None:
    stored = draft.stored_answers(info.id)
    done, total = answered(stored, all_questions), len(position)
    st.progress(done / total, text=t("assessment.progress", done=done, total=total))
    done = answered(stored, domain.questions)
    st.progress(done / len(domain.questions), text=t("assessment.domain_progress", done=done,
                                                           total=len(domain.questions)))


progress()
if domain.description:
    st.caption(domain.description.get(page.lang))


def question_card(q: Question, number: int) -> None:
    """One question: what is stored, drawn; a change stores that change only."""
    for _, saved in draft.take_flashes("saved"):
        st.toast(t("assessment.saved", question=saved), icon=":material/cloud_done:")
    entry = draft.stored_answers(info.id).get(q.id)
    draft.show(info.id, q.id, entry)
    scale = questionnaire.scales[q.scale]
    options = [o.value for o in scale] + (["na"] if q.allow_na else [])
    labels = {o.value: o.label.get(page.lang) for o in scale} | {"na": t("assessment.na")}
    with st.container(border=True):
        flag = f" · :red[{t('assessment.critical')}]" if q.critical else ""
        st.markdown(f"**{number}. {plain(q.text.get(page.lang))}**{flag}")
        st.radio(t("assessment.answer"), options, key=draft.value_key(info.id, q.id), index=None,
                 format_func=labels.get, on_change=draft.save_value, args=(info.id, q.id, number),
                 disabled=not editable, horizontal=True, label_visibility="collapsed")
        show_review_mark(marks.get(q.id))
        if q.id in reminders:
            st.info(t("tasks.reminder", owner=plain(reminders[q.id].owner), period=reminders[q.id].source_period),
                    icon=":material/task_alt:")
        st.text_input(t("assessment.note"), key=draft.note_key(info.id, q.id), on_change=draft.save_note,
                      args=(info.id, q.id, number), max_chars=2000, placeholder=t("assessment.note_hint"),
                      disabled=not editable or entry is None)
        evidence_section(info.id, q.id, evidence_of(info.id).get(q.id, []), editable)
        with st.expander(t("assessment.more")):
            if q.help:
                st.markdown(f"**{t('assessment.help')}** {plain(q.help.get(page.lang))}")
            if q.evidence:
                st.markdown(f"**{t('assessment.evidence')}** {plain(q.evidence.get(page.lang))}")
            st.markdown(f"**{t('assessment.recommendation')}** {plain(q.recommendation.get(page.lang))}")
            for term, definition in glossary_notes(questionnaire, q, page.lang):
                st.markdown(f"*{plain(term)}*: {plain(definition)}")


for number, q in enumerate(domain.questions, 1):
    st.fragment(question_card, key=draft.question_key(q.id))(q, number)

# Outside the fragments: a page link cannot be drawn in a fragment's own re-run.
st.page_link("ui/pages/glosarium.py", label=t("nav.glosarium"), icon=":material/menu_book:")
here = domain_ids.index(domain.id)
if here + 1 < len(domain_ids):
    st.button(t("assessment.next_domain"), on_click=next_domain, args=(domain_ids[here + 1],),
              icon=":material/arrow_forward:")

for _ in draft.take_flashes("submitted"):  # where the operator pressed Kirim
    st.success(t("assessment.submitted"), icon=":material/task_alt:")
    st.page_link("ui/pages/hasil.py", label=t("nav.hasil"), icon=":material/monitoring:")

if not editable:
    st.stop()


@st.fragment(key="submit")
def submit_section() -> None:
    st.divider()
    st.subheader(t("assessment.submit_title"))
    if st.button(t("assessment.submit"), type="primary", icon=":material/send:"):
        stored = draft.stored_answers(info.id)
        missing = [q for q in all_questions if q.id not in stored]
        if missing:
            st.error(t("assessment.incomplete", count=len(missing)))
            show_missing(missing)
        else:
            st.session_state["confirm_submit"] = info.id
    if st.session_state.get("confirm_submit") == info.id:
        st.warning(t("assessment.confirm"), icon=":material/help:")
        yes, no = st.columns(2)
        yes.button(t("assessment.confirm_yes"), type="primary", on_click=draft.submit, args=(info.id,))
        no.button(t("assessment.confirm_no"), on_click=st.session_state.pop, args=("confirm_submit", None))


def show_missing(missing: list[Question]) -> None:
    """The unanswered questions by number and text, each domain with a way there."""
    by_domain: dict[int, list[Question]] = {}
    for q in missing:
        by_domain.setdefault(position[q.id][0], []).append(q)
    for domain_number, questions in by_domain.items():
        target = domains[domain_number - 1]
        lines = "\n".join(f"- {position[q.id][1]}. {plain(q.text.get(page.lang))}" for q in questions[:20])
        st.markdown(f"**{plain(domain_labels[target.id])}**\n{lines}")
        st.button(t("assessment.go_to_domain", number=domain_number), key=f"go:{target.id}",
                  on_click=go_to, args=(target.id,), icon=":material/arrow_upward:")


def go_to(domain_id: str) -> None:
    next_domain(domain_id)
    st.rerun("app")


submit_section()

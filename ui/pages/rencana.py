"""Rencana: the school's action plan carried out. Tasks made from the result's actions, one per
question, overdue ones first; the score when the open tasks are done; Excel and printable HTML."""

from datetime import date

import streamlit as st

import storage
from reports import exports
from reports.plan_report import plan_html
from storage.activity import record_export
from storage.tasks import MAX_OWNER, TASK_STATUSES, TaskRefused, create_task, list_tasks, projected_score, update_task
from ui.common import built_on_click, db, lang, page_setup, plain, require_actor, school_npsn, show_error, t
from ui.school import (
    assessments,
    latest_scored,
    percent,
    pick_questionnaire,
    questionnaire_of,
    school_header,
    school_or_stop,
    stored_result,
)

page = page_setup("nav.rencana")
actor = require_actor()
school = school_or_stop(actor, school_npsn(actor))
school_header(school)
chosen = pick_questionnaire(actor)
today = date.today()
scored = latest_scored(assessments(actor, school.npsn, chosen.id))
if scored is None:
    st.info(t("plan.no_result"))
    st.stop()
result = stored_result(actor, scored.id)
questionnaire = questionnaire_of(actor, result.questionnaire, result.version)


def refused(err: Exception) -> None:
    if isinstance(err, TaskRefused):
        st.error(plain(err.render(lang())), icon=":material/block:")
    else:
        show_error(err)


def question_text(qid: str) -> str:
    q = questionnaire.question(qid)
    return q.text.get(page.lang) if q else qid


with db() as session:
    tasks = list_tasks(session, actor, school.npsn, chosen.id, today)
    projection = projected_score(session, actor, school.npsn, chosen.id)
left, right = st.columns(2)
left.metric(t("plan.score_now", period=projection.period), percent(projection.score))
right.metric(t("plan.score_projected", count=len(projection.open_questions)), percent(projection.projected))

# New tasks: from the actions of the latest result that have none yet.
planned = {task.question_id for task in tasks}
open_actions = [a.question for a in result.actions if a.question not in planned]
if open_actions and actor.role == "sekolah":
    with st.expander(t("plan.add"), expanded=not tasks), st.form("add_task", clear_on_submit=True):
        rank = {a.question: i for i, a in enumerate(result.actions, 1)}
        qid = st.selectbox(t("plan.action"), open_actions, format_func=lambda q: f"{rank[q]}. {question_text(q)}",
                           placeholder=t("widget.choose"))
        owner = st.text_input(t("plan.owner"), max_chars=MAX_OWNER, placeholder=t("plan.owner_hint"))
        due = st.date_input(t("plan.due"), value=None, min_value=date(2020, 1, 1), format="DD/MM/YYYY")
        note = st.text_area(t("plan.note"), max_chars=2000, placeholder=t("plan.note_hint"))
        if st.form_submit_button(t("plan.create"), type="primary", icon=":material/add_task:"):
            try:
                with db() as session:
                    create_task(session, actor, scored.id, qid, owner, due, note)
            except storage.StorageError as err:
                refused(err)
            else:
                st.rerun()

if not tasks:
    st.info(t("plan.empty"))
    st.stop()

status_label = {s: t(f"plan.status.{s}") for s in TASK_STATUSES}
for task in tasks:
    late = task.overdue(today)
    with st.container(border=True):
        flag = f" · :red[{t('plan.overdue')}]" if late else ""
        st.markdown(f"**{plain(question_text(task.question_id))}**{flag}")
        due_text = task.due_date.strftime("%d/%m/%Y") if task.due_date else "—"
        st.caption(t("plan.meta", owner=plain(task.owner), due=due_text, status=status_label[task.status],
                     period=task.source_period))  # fmt: skip
        if task.note:
            st.caption(plain(task.note))
        if actor.role != "sekolah":
            continue
        with st.expander(t("plan.change")), st.form(f"task:{task.id}"):
            status = st.radio(t("plan.status"), TASK_STATUSES, index=TASK_STATUSES.index(task.status),
                              format_func=status_label.get, horizontal=True)  # fmt: skip
            owner = st.text_input(t("plan.owner"), value=task.owner, max_chars=MAX_OWNER,
                                  placeholder=t("plan.owner_hint"))
            due = st.date_input(t("plan.due"), value=task.due_date, min_value=date(2020, 1, 1), format="DD/MM/YYYY")
            note = st.text_area(t("plan.note"), value=task.note or "", max_chars=2000, placeholder=t("plan.note_hint"))
            if st.form_submit_button(t("plan.save"), icon=":material/save:"):
                try:
                    with db() as session:
                        update_task(session, actor, task.id, task.version, status=status, owner=owner,
                                    due_date=due, note=note)  # fmt: skip
                except storage.StorageError as err:
                    refused(err)
                else:
                    st.rerun()

rows = [{t("plan.col.question_id"): task.question_id, t("plan.col.question"): question_text(task.question_id),
         t("plan.owner"): task.owner, t("plan.due"): task.due_date.isoformat() if task.due_date else None,
         t("plan.status"): status_label[task.status], t("plan.col.overdue"): t("plan.yes") if task.overdue(today)
         else "", t("plan.note"): task.note} for task in tasks]  # fmt: skip
summary = t("plan.summary", done=sum(task.status == "selesai" for task in tasks), total=len(tasks),
            now=percent(projection.score), projected=percent(projection.projected))  # fmt: skip
stem = f"rencana-{school.npsn}-{chosen.id}"


def export(kind: str) -> bytes | str:
    with db() as session:
        record_export(session, actor, f"rencana.{kind}", {"npsn": school.npsn, "questionnaire": chosen.id,
                                                          "rows": len(rows)})  # fmt: skip
    if kind == "xlsx":
        return exports.to_xlsx({t("nav.rencana"): rows})
    meta = {t("plan.school"): f"{school.name} ({school.npsn})", t("plan.questionnaire"): questionnaire.id,
            t("plan.date"): today.strftime("%d/%m/%Y")}  # fmt: skip
    return plan_html(t("plan.report_title"), meta, summary, rows, page.lang)


st.caption(summary)
xlsx, printable = st.columns(2)
xlsx.download_button(t("views.export_xlsx"), built_on_click(lambda: export("xlsx")), file_name=f"{stem}.xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                     icon=":material/grid_on:", key="plan.xlsx")  # fmt: skip
printable.download_button(t("plan.html"), built_on_click(lambda: export("html")), file_name=f"{stem}.html",
                          mime="text/html", on_click="ignore", icon=":material/print:", key="plan.html")  # fmt: skip

"""Following the schools' plans up: the auditor's lists and the leaders' shares per province
(withheld below 5 schools by the data layer). Read through storage/follow_up.py."""

from __future__ import annotations

from datetime import date

import streamlit as st

from storage.aggregates.peers import MIN_SCHOOLS
from storage.follow_up import follow_up, plan_shares_by_province

from .common import t
from .school import percent
from .views import read


def plan_shares(actor, questionnaire_id: str) -> None:
    """Per province in scope: schools with a plan, share of planned actions done and overdue."""
    st.subheader(t("followup.shares"))
    shares = read(plan_shares_by_province, actor, questionnaire_id, date.today())
    if not shares:
        st.caption(t("followup.no_plans"))
        return
    hidden = t("followup.hidden", minimum=MIN_SCHOOLS)
    st.dataframe([{t("followup.col.province"): s.province_name, t("followup.col.schools"): s.schools,
                   t("followup.col.done"): percent(100 * s.share_done) + " %" if s.shown else hidden,
                   t("followup.col.overdue"): s.overdue if s.shown else hidden} for s in shares],
                 hide_index=True, width="stretch", key="followup.shares")  # fmt: skip


def auditor_follow_up(actor, questionnaire_id: str, period: str) -> None:
    """Overdue tasks, each school's share done, and the schools with a result but no plan."""
    found = read(follow_up, actor, questionnaire_id, period, date.today())
    st.subheader(t("followup.overdue", count=len(found.overdue)))
    if found.overdue:
        st.dataframe([{t("followup.col.npsn"): o.npsn, t("followup.col.school"): o.school_name,
                       t("followup.col.question"): o.question_id, t("plan.owner"): o.owner,
                       t("plan.due"): o.due_date.strftime("%d/%m/%Y"), t("plan.status"): t(f"plan.status.{o.status}")}
                      for o in found.overdue], hide_index=True, width="stretch", key="followup.overdue")  # fmt: skip
    st.subheader(t("followup.plans", count=len(found.plans)))
    if found.plans:
        st.dataframe([{t("followup.col.npsn"): p.npsn, t("followup.col.school"): p.school_name,
                       t("followup.col.tasks"): p.tasks, t("followup.col.done"): percent(100 * p.share_done) + " %",
                       t("followup.col.overdue"): p.overdue} for p in found.plans],
                     hide_index=True, width="stretch", key="followup.plans")  # fmt: skip
    st.subheader(t("followup.without", count=len(found.without_plan), period=period))
    if found.without_plan:
        st.dataframe([{t("followup.col.npsn"): n, t("followup.col.school"): name} for n, name in found.without_plan],
                     hide_index=True, width="stretch", key="followup.without")  # fmt: skip

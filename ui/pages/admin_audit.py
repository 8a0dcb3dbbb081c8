"""Log audit (admin): who did what, newest first, with filters; exports are one click away."""

import json
from datetime import UTC, datetime, time, timedelta

import streamlit as st

from storage.activity import audit_actions, search_audit_log
from ui.common import db, page_setup, t
from ui.views import any_or, require_role

PAGE_SIZE = 200

page = page_setup("nav.admin_audit")
actor = require_role("admin")
with db() as session:
    actions = audit_actions(session, actor)


def only_exports() -> None:
    st.session_state["audit.action"] = "export"
    st.session_state.pop("audit.before", None)


row = st.columns(4)
action = row[0].selectbox(t("audit.action"), **any_or(actions), key="audit.action")
username = row[1].text_input(t("audit.username"), key="audit.username",
                             placeholder=t("widget.username")).strip().lower() or None
since = row[2].date_input(t("audit.since"), value=None, key="audit.since", format=t("widget.date_format"))
until = row[3].date_input(t("audit.until"), value=None, key="audit.until", format=t("widget.date_format"))
st.button(t("audit.exports"), on_click=only_exports, icon=":material/download:")


def day(value, after: bool = False):
    return None if value is None else datetime.combine(value, time(), UTC) + timedelta(days=1 if after else 0)


with db() as session:
    entries = search_audit_log(session, actor, action=action, username=username, since=day(since),
                               until=day(until, after=True), limit=PAGE_SIZE,
                               before_id=st.session_state.get("audit.before"))  # fmt: skip
st.dataframe([{t("audit.col.at"): e.at.strftime("%Y-%m-%d %H:%M:%S"), t("audit.username"): e.username,
               t("audit.action"): e.action, t("audit.col.object"): f"{e.object_type} {e.object_id or ''}".strip(),
               t("audit.col.detail"): json.dumps(e.detail, ensure_ascii=False, sort_keys=True)} for e in entries],
             hide_index=True, width="stretch", key="audit.tabel")  # fmt: skip
st.caption(t("audit.shown", count=len(entries)))
left, right = st.columns(2)
if st.session_state.get("audit.before") and left.button(t("audit.newest"), icon=":material/first_page:"):
    st.session_state.pop("audit.before")
    st.rerun()
if len(entries) == PAGE_SIZE and right.button(t("audit.older"), icon=":material/navigate_next:"):
    st.session_state["audit.before"] = entries[-1].id
    st.rerun()

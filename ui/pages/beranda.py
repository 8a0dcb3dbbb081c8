"""Beranda: the school, this period's state per questionnaire, the last result, one next step."""

import streamlit as st

from ui.common import current_period, page_setup, plain, require_actor, school_npsn, t
from ui.school import (
    assessments,
    detail,
    headline,
    latest_scored,
    progress,
    questionnaire_of,
    questionnaires,
    review_marks,
    school_header,
    school_or_stop,
    show_return_reasons,
    stored_result,
    this_period,
)

page = page_setup("nav.beranda")
actor = require_actor()
school = school_or_stop(actor, school_npsn(actor))
school_header(school)
st.subheader(t("home.period", period=current_period()))

next_steps: list[tuple[str, str, str]] = []  # (message, page file, questionnaire id)
returned_steps: list[tuple[str, str, str]] = []  # an auditor's return comes before everything else
for questionnaire in questionnaires(actor):
    title = questionnaire.title.get(page.lang)
    found = assessments(actor, school.npsn, questionnaire.id)
    current, scored = this_period(found), latest_scored(found)
    with st.container(border=True):
        st.markdown(f"**{plain(title)}**")
        if current is None:
            st.write(t("home.state", state=t("status.not_started")))
            next_steps.append((t("home.next.start", title=title), "penilaian.py", questionnaire.id))
        elif current.status in ("draft", "returned"):
            info = detail(actor, current.id)
            share = progress(questionnaire_of(actor, info.questionnaire_id, info.questionnaire_version), info)
            st.write(t("home.state", state=t(f"status.{current.status}") + f" · {share:.0%}"))
            st.progress(share)
            show_return_reasons(current)
            disagreed = sum(1 for m in review_marks(actor, current.id).values() if not m.agree)
            if disagreed:
                st.caption(t("school_review.disagreed_count", count=disagreed))
            key = "home.next.fix" if current.status == "returned" else "home.next.continue"
            steps = returned_steps if current.status == "returned" else next_steps
            steps.append((t(key, title=title, percent=f"{share:.0%}"), "penilaian.py", questionnaire.id))
        else:
            st.write(t("home.state", state=t(f"status.{current.status}")))
        if scored is None:
            st.caption(t("home.no_result"))
            continue
        result = stored_result(actor, scored.id)
        headline(questionnaire_of(actor, result.questionnaire, result.version), result, columns=3)
        st.caption(t("home.last_result", period=scored.period, status=t(f"status.{scored.status}")))
        if current is not None and current.status in ("submitted", "verified"):
            next_steps.append((t("home.next.act", title=title), "hasil.py", questionnaire.id))

st.subheader(t("home.next"))
next_steps = returned_steps + next_steps
if next_steps:
    message, target, questionnaire_id = next_steps[0]
    st.info(message, icon=":material/arrow_forward:")
    if st.button(t(f"nav.{target.removesuffix('.py')}"), type="primary", icon=":material/arrow_forward:"):
        st.session_state["questionnaire"] = questionnaire_id  # open the page on this questionnaire
        st.switch_page(f"ui/pages/{target}")
else:
    st.info(t("home.next.none"))

# Offline forms (issue 11): a school with nothing started yet learns that it can answer without internet.
if not any(assessments(actor, school.npsn, q.id) for q in questionnaires(actor)):
    st.caption(t("home.offline_hint"))
    st.page_link("ui/pages/unduh.py", label=t("nav.unduh"), icon=":material/download:")

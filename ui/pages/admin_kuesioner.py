"""Kuesioner (admin): questionnaire versions and baselines. Upload YAML, checked with the
command line's messages; activate a version. Assessments keep the version they were started on."""

import streamlit as st

import storage
from scoring.loader import LoadError
from storage.baselines import activate_baseline, list_baselines, register_baseline
from ui.common import db, page_setup, require_actor, show_error, t
from ui.views import labelled

page = page_setup("nav.admin_kuesioner")
actor = require_actor()


def upload_form(kind: str, register) -> None:
    """One upload: the file, 'make it active', and the checks' messages as plain text."""
    upload = st.file_uploader(t(f"content.{kind}_file"), type=["yaml", "yml"], key=f"kuesioner.{kind}.file")
    activate = st.checkbox(t("content.activate_now"), value=True, key=f"kuesioner.{kind}.activate")
    if upload is None or not st.button(t("content.upload"), key=f"kuesioner.{kind}.upload", icon=":material/upload:"):
        return
    try:
        with db() as session:
            register(session, actor, upload.getvalue(), upload.name, activate=activate)
    except LoadError as err:
        st.error(t("content.invalid", count=len(err.problems)))
        st.code("\n".join(map(str, err.problems)), language=None)
    except (storage.AlreadyExists, storage.NotFound) as err:
        st.error(t("error.invalid"))
        st.code(str(err), language=None)
    except storage.StorageError as err:
        show_error(err)
    else:
        st.success(t("content.stored", name=upload.name))


st.subheader(t("content.questionnaires"))
with db() as session:
    versions = storage.list_questionnaires(session, actor, active_only=False)
st.dataframe([{t("content.col.id"): v.questionnaire_id, t("content.col.version"): v.version,
               t("content.col.title"): v.title, t("content.col.active"): "✓" if v.active else "",
               t("content.col.registered"): v.registered_at.strftime("%Y-%m-%d %H:%M"),
               t("content.col.hash"): v.content_hash[:12]} for v in versions],
             hide_index=True, width="stretch", key="kuesioner.versions")  # fmt: skip
upload_form("questionnaire", storage.register_questionnaire)
inactive = [v for v in versions if not v.active]
if inactive:
    pick = st.selectbox(t("content.activate_version"), range(len(inactive)), key="kuesioner.activate_pick",
                        format_func=labelled({i: f"{v.questionnaire_id} {v.version}"
                                              for i, v in enumerate(inactive)}))  # fmt: skip
    if st.button(t("content.activate"), key="kuesioner.activate_button", icon=":material/published_with_changes:"):
        try:
            with db() as session:
                storage.activate_questionnaire(session, actor, inactive[pick].questionnaire_id, inactive[pick].version)
        except storage.StorageError as err:
            show_error(err)
        else:
            st.rerun()
st.caption(t("content.versions_hint"))

st.subheader(t("content.baselines"))
with db() as session:
    baselines = list_baselines(session, actor)
st.dataframe([{t("content.col.id"): b.questionnaire_id, t("content.col.baseline"): b.baseline_id,
               t("content.col.title"): b.title, t("content.col.active"): "✓" if b.active else "",
               t("content.col.registered"): b.registered_at.strftime("%Y-%m-%d %H:%M"),
               t("content.col.hash"): b.content_hash[:12]} for b in baselines],
             hide_index=True, width="stretch", key="kuesioner.baselines")  # fmt: skip
upload_form("baseline", register_baseline)
idle = [b for b in baselines if not b.active]
if idle:
    pick = st.selectbox(t("content.activate_baseline"), range(len(idle)), key="kuesioner.baseline_pick",
                        format_func=labelled({i: f"{b.questionnaire_id} · {b.baseline_id} ({b.content_hash[:12]})"
                                              for i, b in enumerate(idle)}))  # fmt: skip
    if st.button(t("content.activate"), key="kuesioner.baseline_button", icon=":material/published_with_changes:"):
        try:
            with db() as session:
                activate_baseline(session, actor, idle[pick].questionnaire_id, idle[pick].content_hash)
        except storage.StorageError as err:
            show_error(err)
        else:
            st.rerun()
st.caption(t("content.baselines_hint"))

"""Kuesioner (admin): questionnaire versions and baselines. Upload YAML, checked with the
command line's messages; activate a version. Assessments keep the version they were started on."""

import streamlit as st

import storage
from scoring.loader import LoadError
from storage.baselines import activate_baseline, list_baselines, register_baseline
from ui.common import db, page_setup, plain, show_error, show_problems, t
from ui.views import require_role

page = page_setup("nav.admin_kuesioner")
actor = require_role("admin")


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
        show_problems(err.problems, err.more)
    except (storage.AlreadyExists, storage.NotFound) as err:
        st.error(t("error.invalid"))
        st.code(str(err), language=None)
    except storage.StorageError as err:
        show_error(err)
    else:
        st.success(t("content.stored", name=plain(upload.name)))


def activate_form(kind: str, choices: dict[str, tuple], activate) -> None:
    """Pick an inactive questionnaire version or baseline (label -> arguments) and make it active."""
    if not choices:
        return
    pick = st.selectbox(t(f"content.activate_{kind}"), list(choices), key=f"kuesioner.{kind}_pick",
                        placeholder=t("widget.choose"))
    if st.button(t("content.activate"), key=f"kuesioner.{kind}_button", icon=":material/published_with_changes:"):
        try:
            with db() as session:
                activate(session, actor, *choices[pick])
        except storage.StorageError as err:
            show_error(err)
        else:
            st.rerun()


st.subheader(t("content.questionnaires"))
with db() as session:
    versions = storage.list_questionnaires(session, actor, active_only=False)
st.dataframe([{t("content.col.id"): v.questionnaire_id, t("content.col.version"): v.version,
               t("content.col.title"): v.title, t("content.col.active"): "✓" if v.active else "",
               t("content.col.registered"): v.registered_at.strftime("%Y-%m-%d %H:%M"),
               t("content.col.hash"): v.content_hash[:12]} for v in versions],
             hide_index=True, width="stretch", key="kuesioner.versions")  # fmt: skip
upload_form("questionnaire", storage.register_questionnaire)
activate_form("version", {f"{v.questionnaire_id} {v.version}": (v.questionnaire_id, v.version)
                         for v in versions if not v.active}, storage.activate_questionnaire)  # fmt: skip
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
activate_form("baseline", {f"{b.questionnaire_id} · {b.baseline_id} ({b.content_hash[:12]})":
                          (b.questionnaire_id, b.content_hash) for b in baselines if not b.active},
              activate_baseline)  # fmt: skip
st.caption(t("content.baselines_hint"))

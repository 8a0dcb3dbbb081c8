"""Evidence files beside one answer: drawn inside the question's fragment on Penilaian and
beside the answer on Tinjau. The data layer checks every file; this only shows and asks.

A download is built when clicked (and logged by the data layer); a PDF is only ever offered
as a download, a photo (already re-encoded on upload) may be shown on Tinjau when asked.
"""

from __future__ import annotations

import streamlit as st

import storage
from storage.evidence import EvidenceInfo, attach_evidence, download_evidence, list_evidence, remove_evidence
from storage.evidence_files import MAX_FILE_BYTES, MAX_FILES_PER_QUESTION, EvidenceRefused

from .common import built_on_click, current_actor, db, lang, plain, show_error, t
from .draft import flash, take_flashes

TYPES = ["jpg", "jpeg", "png", "pdf"]  # the browser's filter only; the content decides


def evidence_of(assessment_id: int) -> dict[str, list[EvidenceInfo]]:
    with db() as session:
        return list_evidence(session, current_actor(), assessment_id)


def _size(size: int) -> str:
    text = f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
    return text.replace(".", ",") if lang() == "id" else text


def _fetch(actor, evidence_id: int) -> bytes:
    with db() as session:
        return download_evidence(session, actor, evidence_id).content


def _uploader_key(assessment_id: int, qid: str) -> str:
    return f"evidence:{assessment_id}:{qid}:{st.session_state.get(f'evidence_round:{qid}', 0)}"


def _attach(assessment_id: int, qid: str, key: str) -> None:
    """Uploader callback: store the chosen file, or say why not; the uploader starts empty again."""
    uploaded = st.session_state.get(key)
    st.session_state[f"evidence_round:{qid}"] = st.session_state.get(f"evidence_round:{qid}", 0) + 1
    actor = current_actor()
    if uploaded is None or actor is None:
        return
    try:
        with db() as session:
            attach_evidence(session, actor, assessment_id, qid, uploaded.name, uploaded.getvalue())
        flash(f"evidence:{qid}", "ok:" + uploaded.name)
    except EvidenceRefused as err:
        flash(f"evidence:{qid}", "refused:" + err.render(lang()))
    except storage.StorageError as err:
        flash(f"evidence:{qid}", "error:" + str(err))


def _remove(evidence_id: int, qid: str) -> None:
    actor = current_actor()
    if actor is None:
        return
    try:
        with db() as session:
            remove_evidence(session, actor, evidence_id)
    except EvidenceRefused as err:
        flash(f"evidence:{qid}", "refused:" + err.render(lang()))
    except storage.StorageError as err:
        flash(f"evidence:{qid}", "error:" + str(err))


def _messages(qid: str) -> None:
    for _, message in take_flashes(f"evidence:{qid}"):
        kind, _, text = message.partition(":")
        if kind == "ok":
            st.toast(t("evidence.saved", file=plain(text)), icon=":material/attach_file:")
        else:
            st.error(plain(text), icon=":material/block:")


def file_row(item: EvidenceInfo, *, removable: bool, viewable: bool = False) -> None:
    """One file: its name, type and size, a download, and removing or viewing where allowed."""
    columns = st.columns([5, 2, 1] if removable else [5, 2])
    kind = t("evidence.pdf") if item.media_type == "application/pdf" else t("evidence.photo")
    columns[0].caption(f"{plain(item.file_name)} · {kind} · {_size(item.size)}")
    actor = current_actor()  # taken now: a download is built on another thread, outside any page run
    columns[1].download_button(t("evidence.download"), built_on_click(lambda: _fetch(actor, item.id)),
                               file_name=item.file_name, mime=item.media_type, key=f"evidence_get:{item.id}",
                               on_click="ignore", icon=":material/download:")  # fmt: skip
    if removable:
        columns[2].button("", key=f"evidence_rm:{item.id}", on_click=_remove, args=(item.id, item.question_id),
                          icon=":material/delete:", help=t("evidence.remove"))  # fmt: skip
    if viewable and item.media_type != "application/pdf":
        if st.toggle(t("evidence.view"), key=f"evidence_view:{item.id}"):
            try:
                st.image(_fetch(actor, item.id), caption=item.file_name)
            except storage.StorageError as err:
                show_error(err)


def evidence_section(assessment_id: int, qid: str, files: list[EvidenceInfo], editable: bool) -> None:
    """Inside the question's fragment: the attached files and, while editable, an uploader."""
    _messages(qid)
    if files or editable:
        st.caption(t("evidence.title", count=len(files), max=MAX_FILES_PER_QUESTION))
    for item in files:
        file_row(item, removable=editable)
    if editable and len(files) < MAX_FILES_PER_QUESTION:
        key = _uploader_key(assessment_id, qid)
        st.file_uploader(t("evidence.attach", mib=MAX_FILE_BYTES // 1024 // 1024), type=TYPES, key=key,
                         on_change=_attach, args=(assessment_id, qid, key), help=t("evidence.attach_help"))  # fmt: skip

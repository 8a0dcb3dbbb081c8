"""The draft being answered: widgets filled from the database, one save per change,
and the optimistic-lock version that makes a stale save visible instead of silent.

Streamlit runs callbacks before the page script, so messages for the user are kept
as "flash" entries in session state and shown by the page on its next run.
"""

from __future__ import annotations

import streamlit as st

import storage
from scoring.models import Questionnaire

from .common import current_actor, db

STATE = "draft"


def value_key(assessment_id: int, qid: str) -> str:
    return f"answer:{assessment_id}:{qid}"


def note_key(assessment_id: int, qid: str) -> str:
    return f"note:{assessment_id}:{qid}"


def flash(kind: str, message: str = "") -> None:
    st.session_state.setdefault("flash", []).append((kind, message))


def take_flashes() -> list[tuple[str, str]]:
    return st.session_state.pop("flash", [])


def sync(info: storage.AssessmentInfo, questionnaire: Questionnaire) -> None:
    """Make the widgets show what is stored whenever they might not: a new assessment,
    a change by someone else (the stored version moved), or widgets dropped by a page change."""
    state = st.session_state.get(STATE)
    moved = state is not None and state["id"] == info.id and state["version"] != info.version
    # A new status (submitted, returned by the auditor) explains itself; an edit by someone else does not.
    if moved and not state.get("stale_shown") and state.get("status") == info.status:
        flash("stale")
    stored = info.answers.answers if info.answers else {}
    for _, q in questionnaire.questions():
        missing = value_key(info.id, q.id) not in st.session_state
        if state is None or state["id"] != info.id or moved or missing:
            entry = stored.get(q.id)
            st.session_state[value_key(info.id, q.id)] = entry.value if entry else None
            st.session_state[note_key(info.id, q.id)] = (entry.note or "") if entry else ""
    st.session_state[STATE] = {"id": info.id, "version": info.version, "status": info.status}


def _write(assessment_id: int, write) -> bool:
    """Run `write(session, actor, state)` for the assessment in view; on any refusal, say so and
    make sync() reload the stored answers. An idle-expired session writes nothing."""
    actor = current_actor()
    state = st.session_state.get(STATE)
    if actor is None or state is None or state["id"] != assessment_id:
        return False
    try:
        with db() as session:
            write(session, actor, state)
        return True
    except storage.StaleVersion:
        state["version"], state["stale_shown"] = -1, True  # one notice, then the newer answers
        flash("stale")
    except storage.StorageError as err:
        state["version"] = -1
        flash("error", str(err))
    return False


def save(assessment_id: int, qid: str) -> None:
    """Widget callback: store one answer now, or say why not."""
    value = st.session_state.get(value_key(assessment_id, qid))
    note = (st.session_state.get(note_key(assessment_id, qid)) or "").strip() or None
    entry = None if value is None else {"value": value, "note": note}

    def write(session, actor, state) -> None:
        state["version"] = storage.save_draft(session, actor, assessment_id, {qid: entry}, state["version"])

    if _write(assessment_id, write):
        flash("saved", qid)


def answered(assessment_id: int, qids) -> int:
    return sum(1 for qid in qids if st.session_state.get(value_key(assessment_id, qid)) is not None)


def submit(assessment_id: int) -> None:
    """Button callback after confirmation: submit with the version the operator has seen."""
    st.session_state.pop("confirm_submit", None)

    def write(session, actor, state) -> None:
        storage.submit(session, actor, assessment_id, state["version"])
        state["version"], state["stale_shown"] = -1, True  # reload quietly: now read-only

    if _write(assessment_id, write):
        flash("submitted")

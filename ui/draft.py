"""The draft being answered. The database owns the answers:

- every run, full or fragment, draws what is stored (`show` puts the stored value into
  the widget's state just before the widget is drawn, so no widget keeps a copy of its own);
- a widget's callback writes only the part of one answer that the operator just changed
  (`storage.save_answer`), never the rest of what the screen shows;
- the version counter the operator has seen makes a save after someone else's change
  fail visibly (a stale save is refused, said, and the page reloads the stored answers).

One answer re-runs only its question's fragment and the progress fragment. Streamlit runs
callbacks before the page, so messages for the user are kept as "flash" entries in session
state and shown by the page or fragment on its next run.
"""

from __future__ import annotations

import streamlit as st

import storage
from scoring.models import AnswerEntry

from .common import current_actor, db

STATE = "draft"  # {"id": assessment id, "version": the version counter the operator has seen}
VIEW = "draft_view"  # the stored answers as last read, with the version they were read at
PROGRESS = "progress"  # the progress fragment's key


def value_key(assessment_id: int, qid: str) -> str:
    return f"answer:{assessment_id}:{qid}"


def note_key(assessment_id: int, qid: str) -> str:
    return f"note:{assessment_id}:{qid}"


def question_key(qid: str) -> str:
    """The key of a question's fragment."""
    return f"q:{qid}"


def flash(kind: str, message: str = "") -> None:
    st.session_state.setdefault("flash", []).append((kind, message))


def take_flashes(*kinds: str) -> list[tuple[str, str]]:
    """The pending messages of these kinds (all kinds when none are named)."""
    pending = st.session_state.get("flash", [])
    taken = [f for f in pending if not kinds or f[0] in kinds]
    st.session_state["flash"] = [f for f in pending if f not in taken]
    return taken


def stored(assessment_id: int) -> storage.AssessmentInfo:
    """The assessment and its stored answers, read through the data layer."""
    with db() as session:
        return storage.get_assessment(session, current_actor(), assessment_id)


def stored_answers(assessment_id: int) -> dict[str, AnswerEntry]:
    """The stored answers at the version the operator has seen. Every change moves the
    version, so a save (which moves it) makes the next call read the database again."""
    state = st.session_state[STATE]
    view = st.session_state.get(VIEW)
    if view is None or view.id != assessment_id or view.version != state["version"]:
        view = stored(assessment_id)
        st.session_state[VIEW] = view
    return view.answers.answers if view.answers else {}


def begin(info: storage.AssessmentInfo) -> None:
    """On a full run: the operator now sees this version of the stored answers. When it moved
    without a save from this tab and without a status change, someone else changed it: say so."""
    state = st.session_state.get(STATE)
    if (state is not None and state["id"] == info.id and state["version"] not in (info.version, -1)
            and state["status"] == info.status):
        flash("stale")
    st.session_state[STATE] = {"id": info.id, "version": info.version, "status": info.status}
    st.session_state[VIEW] = info


def show(assessment_id: int, qid: str, entry: AnswerEntry | None) -> None:
    """Put the stored answer into its widgets' state, just before they are drawn."""
    st.session_state[value_key(assessment_id, qid)] = entry.value if entry else None
    st.session_state[note_key(assessment_id, qid)] = (entry.note or "") if entry else ""


def _refused(state: dict, err: storage.StorageError) -> None:
    """Say why a write was refused; the next full run reloads what is stored."""
    state["version"] = -1
    if isinstance(err, storage.StaleVersion):
        flash("stale")  # one notice, then the newer answers
    elif isinstance(err, storage.DatabaseBusy):  # retried in the data layer, still locked
        flash("busy")
    else:
        flash("error", str(err))


def _write(assessment_id: int, qid: str, number: int, **change) -> None:
    """Store one change and re-run what shows it; on a refusal, say so and reload the page.
    An idle-expired session writes nothing."""
    actor = current_actor()
    state = st.session_state.get(STATE)
    if actor is None or state is None or state["id"] != assessment_id:
        st.rerun("app")
    try:
        with db() as session:
            state["version"] = storage.save_answer(session, actor, assessment_id, qid, state["version"], **change)
    except storage.StorageError as err:
        _refused(state, err)
        st.rerun("app")
    flash("saved", str(number))
    st.rerun([question_key(qid), PROGRESS])


def save_value(assessment_id: int, qid: str, number: int) -> None:
    """Radio callback: store the answer just chosen; the stored note stays."""
    _write(assessment_id, qid, number, value=st.session_state.get(value_key(assessment_id, qid)))


def save_note(assessment_id: int, qid: str, number: int) -> None:
    """Note callback: store the note just typed; the stored answer stays."""
    _write(assessment_id, qid, number, note=st.session_state.get(note_key(assessment_id, qid)))


def submit(assessment_id: int) -> None:
    """Button callback after confirmation: submit with the version the operator has seen."""
    st.session_state.pop("confirm_submit", None)
    actor = current_actor()
    state = st.session_state.get(STATE)
    if actor is not None and state is not None and state["id"] == assessment_id:
        try:
            with db() as session:
                storage.submit(session, actor, assessment_id, state["version"])
            state["version"] = -1  # reload quietly: now read-only
            flash("submitted")
        except storage.StorageError as err:
            _refused(state, err)
    st.rerun("app")

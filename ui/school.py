"""What the school pages share: the school in view, its questionnaires and assessments."""

from __future__ import annotations

import streamlit as st

import storage
from auth import Actor
from reports.labels import number
from scoring.engine import MATURITY_NAMES
from scoring.models import Questionnaire

from .common import current_period, db, glossary, lang, plain, remembered_choice, show_error, t

SCORED = ("submitted", "verified")


def school_or_stop(actor: Actor, npsn: str | None) -> storage.SchoolInfo:
    """The school, read through the data layer (which refuses schools outside the scope)."""
    if npsn is None:
        st.info(t("school.none"))
        st.stop()
    try:
        with db() as session:
            return storage.get_school(session, actor, npsn)
    except (storage.AccessDenied, storage.NotFound) as err:
        show_error(err)
        st.stop()


def school_header(school: storage.SchoolInfo) -> None:
    st.caption(t("school.header", name=plain(school.name), npsn=school.npsn, jenjang=school.jenjang,
                 kab=plain(school.kabupaten_kota), province=plain(school.province)))


def questionnaires(actor: Actor) -> list[Questionnaire]:
    """The active questionnaires: which versions are active is read every run, the
    (immutable) versions themselves once per session."""
    with db() as session:
        infos = storage.list_questionnaires(session, actor)
    return [questionnaire_of(actor, i.questionnaire_id, i.version) for i in infos]


def pick_questionnaire(actor: Actor, name: str = "questionnaire") -> Questionnaire:
    """The questionnaire in view; the choice follows the operator from page to page."""
    found = {q.id: q for q in questionnaires(actor)}
    if not found:
        st.info(t("school.no_questionnaires"))
        st.stop()
    kept = name in storage.preferences.NAMES  # remembered beyond this session, per user
    if kept and name not in st.session_state:  # the user's choice at their last visit
        with db() as session:
            stored = storage.preferences.get_preferences(session, actor).get(name)
        if stored in found:
            st.session_state[name] = stored
    chosen = remembered_choice(t("school.questionnaire"), list(found), name,
                               lambda qid: found[qid].title.get(lang()),
                               store=(lambda qid: remember(actor, name, qid)) if kept else None)
    return found[chosen]


def remember(actor: Actor, name: str, value: str) -> None:
    try:
        with db() as session:
            storage.preferences.set_preference(session, actor, name, value)
    except storage.StorageError:
        pass  # a choice not remembered is no reason to interrupt the page


def assessments(actor: Actor, npsn: str, questionnaire_id: str) -> list[storage.AssessmentInfo]:
    """Newest period first."""
    with db() as session:
        found = storage.list_assessments(session, actor, questionnaire_id=questionnaire_id, npsn=npsn)
    return sorted(found, key=lambda a: a.period, reverse=True)


def this_period(found: list[storage.AssessmentInfo]) -> storage.AssessmentInfo | None:
    period = current_period()
    return next((a for a in found if a.period == period), None)


def latest_scored(found: list[storage.AssessmentInfo]) -> storage.AssessmentInfo | None:
    return next((a for a in found if a.status in SCORED), None)


def band_label(questionnaire: Questionnaire, band_id: str | None) -> str:
    band = next((b for b in questionnaire.bands if b.id == band_id), None)
    return band.label.get(lang()) if band else "—"


def maturity_label(level: int | None) -> str:
    if level is None:
        return "—"
    roman, name_id, name_en = MATURITY_NAMES[level]
    return f"{roman} · {name_en if lang() == 'en' else name_id}"


def show_return_reasons(info: storage.AssessmentInfo) -> None:
    if info.status == "returned" and info.return_reasons:
        st.warning(t("assessment.returned", who=plain(info.reviewed_by or t("role.auditor"))), icon=":material/undo:")
        st.text(info.return_reasons)


def percent(value: float | None) -> str:
    """A score as text, as the charts write it (a decimal comma in Bahasa Indonesia)."""
    return number(value, lang())


def detail(actor: Actor, assessment_id: int) -> storage.AssessmentInfo:
    """One assessment with its answers."""
    with db() as session:
        return storage.get_assessment(session, actor, assessment_id)


def stored_result(actor: Actor, assessment_id: int):
    with db() as session:
        return storage.get_result(session, actor, assessment_id)


def progress(questionnaire: Questionnaire, info: storage.AssessmentInfo) -> float:
    answered = info.answers.answers if info.answers else {}
    return sum(1 for _, q in questionnaire.questions() if q.id in answered) / len(questionnaire.questions())


def headline(questionnaire: Questionnaire, result, columns: int = 4) -> None:
    """Score, readiness band, maturity (and completeness): the band always as text, never colour alone."""
    o = result.overall
    items = [
        (t("result.score"), percent(o.score), t("result.vs_target", target=percent(o.target)) if o.target else ""),
        (t("result.band"), band_label(questionnaire, o.band), ""),
        (t("result.maturity"), maturity_label(o.maturity).split(" · ")[0],
         maturity_label(o.maturity).partition(" · ")[2]),
        (t("result.completeness"), f"{result.completeness:.0%}", ""),
    ][:columns]
    for column, (label, value, note) in zip(st.columns(len(items)), items, strict=True):
        column.caption(label)
        column.markdown(f"### {plain(value)}")
        if note:
            column.caption(note)


def questionnaire_of(actor: Actor, questionnaire_id: str, version: str) -> Questionnaire:
    """The exact version an assessment or result belongs to. A stored version never changes,
    so this session reads each one from the database once."""
    cache = st.session_state.setdefault("questionnaire_versions", {})
    if (questionnaire_id, version) not in cache:
        with db() as session:
            cache[questionnaire_id, version] = storage.get_questionnaire(session, actor, questionnaire_id, version)
    return cache[questionnaire_id, version]


def glossary_notes(questionnaire: Questionnaire, question, language: str) -> list[tuple[str, str]]:
    """The glossary terms a question's text and help use, as (term, definition), once per session."""
    cache = st.session_state.setdefault("glossary_notes", {})
    key = (questionnaire.id, questionnaire.version, question.id, language)
    if key not in cache:
        terms = glossary()
        text = " ".join(x.get(language) for x in (question.text, question.help) if x)
        cache[key] = [(term.term.get(language), term.definition.get(language))
                      for term in (terms.terms_in(text) if terms else [])]
    return cache[key]


def review_marks(actor: Actor, assessment_id: int) -> dict:
    """The auditor's per-question marks, once the school may see them (returned or verified)."""
    with db() as session:
        return storage.review.review_comments(session, actor, assessment_id)


def cached_review_marks(actor: Actor, info: storage.AssessmentInfo) -> dict:
    """The marks change only with a review (which changes the status and the review time),
    so they are read once per review, not on every run."""
    key = (info.id, info.status, info.reviewed_at)
    cached = st.session_state.get("review_marks")
    if cached is None or cached[0] != key:
        cached = (key, review_marks(actor, info.id))
        st.session_state["review_marks"] = cached
    return cached[1]


def show_review_mark(mark) -> None:
    if mark is None:
        return
    verdict = t("school_review.agree") if mark.agree else t("school_review.disagree")
    st.caption(t("school_review.mark", verdict=verdict) + (f" {plain(mark.comment)}" if mark.comment else ""))
    if getattr(mark, "evidence_ok", None) is not None:
        st.caption(t("evidence.school_mark", verdict=t("evidence.ok") if mark.evidence_ok else t("evidence.weak")))


def answer_text(questionnaire: Questionnaire, qid: str, entry) -> str:
    """An answer as the operator reads it: its label, or a dash when unanswered."""
    if entry is None:
        return "—"
    question = questionnaire.question(qid)
    if entry.is_na:
        return t("assessment.na")
    option = next((o for o in questionnaire.scales[question.scale] if o.value == entry.value), None)
    text = option.label.get(lang()) if option else str(entry.value)
    return text + (f" · {entry.note}" if entry.note else "")


def import_preview(questionnaire: Questionnaire, stored: dict, imported: dict) -> list[dict]:
    """Rows for the answers an import would change (the import replaces the whole draft)."""
    rows = []
    for _, question in questionnaire.questions():
        before, after = stored.get(question.id), imported.get(question.id)
        if before != after:
            rows.append({t("import.col.question"): question.id, t("import.col.text"): question.text.get(lang()),
                         t("import.col.draft"): answer_text(questionnaire, question.id, before),
                         t("import.col.file"): answer_text(questionnaire, question.id, after)})  # fmt: skip
    return rows

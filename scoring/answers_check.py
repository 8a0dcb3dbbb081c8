"""The answers-file check for batch scoring: a lookup built once per questionnaire.

A full model validation per file costs more than parsing the file. Most files in a
batch are valid, so `valid_values` decides from plain data whether a document is a
valid answers file for the questionnaire, and returns its answer values. It accepts
exactly what the model path (`loader.parse_answers`) accepts, no more; for any other
document it returns None and the caller lets the model path name every problem, so
the messages have one source. tests/test_answers_check.py holds the equivalence.
"""

from __future__ import annotations

from pydantic import ValidationError

from .models import NA, Answers, Questionnaire, School

_ANSWERS_KEYS = frozenset(Answers.model_fields)
_ENTRY_KEYS = frozenset({"value", "note"})
_NOTE_MAX = 2000  # AnswerEntry.note's max_length


def _lookup(questionnaire: Questionnaire) -> dict[str, frozenset]:
    """Question id -> the values it accepts ("na" where allowed)."""
    return {
        q.id: questionnaire.scale_values(q) | ({NA} if q.allow_na else frozenset())
        for _, q in questionnaire.questions()
    }


def valid_values(questionnaire: Questionnaire, data: dict) -> tuple[dict[str, int | str], str | None] | None:
    """(question id -> value, the school's jenjang) when `data` is a valid answers file, else None."""
    if not _ANSWERS_KEYS.issuperset(data) or data.get("questionnaire") != questionnaire.id:
        return None
    version = data.get("version")
    if version is not None and version != questionnaire.version:
        return None
    jenjang = None
    school = data.get("school")
    if school is not None:
        try:  # one small model, rare enough in cost to validate exactly
            jenjang = School.model_validate(school).jenjang
        except ValidationError:
            return None
    raw = data.get("answers", {})
    if type(raw) is not dict:
        return None
    lookup = questionnaire.derived("answers_check.lookup", _lookup)
    values: dict[str, int | str] = {}
    for qid, entry in raw.items():
        allowed = lookup.get(qid)
        if allowed is None:
            return None
        if type(entry) is dict:
            if not _ENTRY_KEYS.issuperset(entry) or "value" not in entry:
                return None
            note = entry.get("note")
            if note is not None and (type(note) is not str or len(note) > _NOTE_MAX):
                return None
            entry = entry["value"]
        # type() rather than isinstance: true and 3.0 are not scale values (the model's StrictInt).
        if type(entry) is not int and type(entry) is not str or entry not in allowed:
            return None
        values[qid] = entry
    return values, jenjang

"""What the offline forms share: the questionnaire's content hash, the metadata a form carries,
bilingual problems, and one reading of an answer typed as a label, a number or "na"."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from scoring.loader import Problem
from scoring.messages import both
from scoring.models import NA, Question, Questionnaire, School

FORMAT = "siaga-offline-1"
NA_LABEL = {"id": "Tidak berlaku", "en": "Not applicable"}
NA_WORDS = {"na", "n/a", "tidak berlaku", "not applicable"}
MAX_NOTE = 2000
# Looks up a questionnaire by id and version (None when there is no such file).
Resolver = Callable[[str, str], Questionnaire | None]


def content_hash(questionnaire: Questionnaire) -> str:
    """Short fingerprint of the questionnaire's whole content: a form built from other text is refused."""
    text = json.dumps(questionnaire.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class FormMeta:
    questionnaire: str
    version: str
    hash: str
    lang: str = "id"
    school: School | None = None


def meta_for(questionnaire: Questionnaire, lang: str, school: School | None) -> FormMeta:
    return FormMeta(questionnaire.id, questionnaire.version, content_hash(questionnaire), lang, school)


def problem(source: str, field: str, id_text: str, en_text: str) -> Problem:
    """One problem in both languages, shown in the reader's."""
    return Problem(source, None, field, both(id_text, en_text))


def school_of(fields: dict, source: str, where: str) -> tuple[School | None, list[Problem]]:
    values = {k: fields[k] for k in ("npsn", "name", "jenjang", "province") if fields.get(k) not in (None, "")}
    if not values:
        return None, []
    try:
        return School(**values), []
    except ValidationError as err:
        names = ", ".join(".".join(map(str, e["loc"])) for e in err.errors())
        return None, [problem(source, where, f"data sekolah tidak sah ({names})",
                              f"the school fields are not valid ({names})")]


def check_meta(meta: FormMeta, questionnaire: Questionnaire, source: str) -> list[Problem]:
    """A form of another questionnaire, version or content is refused, saying which."""
    if meta.questionnaire != questionnaire.id:
        return [problem(source, "questionnaire",
                        f"formulir ini untuk kuesioner '{meta.questionnaire}', bukan '{questionnaire.id}'",
                        f"this form is for questionnaire '{meta.questionnaire}', not '{questionnaire.id}'")]
    if meta.version != questionnaire.version:
        return [problem(source, "version",
                        f"formulir ini untuk versi '{meta.version}' dari '{questionnaire.id}', bukan versi "
                        f"'{questionnaire.version}'; unduh formulir baru",
                        f"this form is for version '{meta.version}' of '{questionnaire.id}', not version "
                        f"'{questionnaire.version}'; download a new form")]
    if meta.hash != content_hash(questionnaire):
        return [problem(source, "form.hash",
                        f"isi kuesioner '{questionnaire.id}' versi {questionnaire.version} sudah berubah sejak "
                        f"formulir dibuat (sidik {meta.hash}, sekarang {content_hash(questionnaire)}); "
                        "unduh formulir baru",
                        f"the content of '{questionnaire.id}' version {questionnaire.version} changed after the form "
                        f"was built (hash {meta.hash}, now {content_hash(questionnaire)}); download a new form")]
    return []


def option_labels(questionnaire: Questionnaire, question: Question, lang: str) -> list[str]:
    labels = [o.label.get(lang) for o in questionnaire.scales[question.scale]]
    return labels + ([NA_LABEL[lang]] if question.allow_na else [])


def allowed_text(questionnaire: Questionnaire, question: Question, lang: str) -> str:
    options = questionnaire.scales[question.scale]
    parts = [f"{o.label.get(lang)} ({o.value})" for o in options]
    if question.allow_na:
        parts.append(f"{NA_LABEL[lang]} (na)")
    return ", ".join(parts)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def answer_value(questionnaire: Questionnaire, question: Question, raw) -> tuple[int | str | None, bool]:
    """The value a cell or field means, and whether it is valid: a label in either language,
    a number on the scale, "na" words where allowed; empty means unanswered (None, True)."""
    if raw is None or isinstance(raw, str) and not raw.strip():
        return None, True
    values = questionnaire.scale_values(question)
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, int | float):
        number = int(raw) if float(raw).is_integer() else None
        return (number, True) if number in values else (None, False)
    if not isinstance(raw, str):
        return None, False
    text = _normal(raw)
    if text.isdigit():
        return (int(text), True) if int(text) in values else (None, False)
    if text in NA_WORDS:
        return (NA, True) if question.allow_na else (None, False)
    for option in questionnaire.scales[question.scale]:
        if text in (_normal(option.label.id), _normal(option.label.en)):
            return option.value, True
    return None, False


def bad_value(questionnaire: Questionnaire, question: Question, raw, source: str, field: str) -> Problem:
    shown = str(raw)[:60]
    return problem(source, field,
                   f"'{shown}' bukan jawaban yang sah; pilih salah satu: {allowed_text(questionnaire, question, 'id')}",
                   f"'{shown}' is not an allowed answer; choose one of: {allowed_text(questionnaire, question, 'en')}")

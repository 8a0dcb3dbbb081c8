"""Read questionnaires, baselines, answers and the glossary from bytes or files.

Every problem is reported at once, each as `file:line: field: message`, and
nothing here ever raises anything but `LoadError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from . import safeyaml
from .models import AnswerEntry, Answers, Baseline, Glossary, Questionnaire, answer_problem

M = TypeVar("M", bound=BaseModel)

KINDS = {"domains": "questionnaire", "targets": "baseline", "terms": "glossary", "answers": "answers"}


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class LoadError(Exception):
    """A file (or answers) that is not valid; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def field_name(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "." in part or not part:
            out += f'["{part}"]'
        else:
            out += f".{part}" if out else part
    return out


def read_bytes(path: Path) -> bytes:
    source = str(path)
    try:
        if path.stat().st_size > safeyaml.MAX_BYTES:
            raise LoadError([Problem(source, 1, "", "file is larger than 1024 KiB")])
        with path.open("rb") as handle:
            return handle.read(safeyaml.MAX_BYTES + 1)
    except OSError as err:
        raise LoadError([Problem(source, None, "", f"cannot read the file ({err.strerror})")]) from None


def parse_document(data: bytes, source: str) -> safeyaml.Document:
    try:
        return safeyaml.parse(data)
    except safeyaml.YamlProblem as err:
        raise LoadError([Problem(source, err.line, "", err.message)]) from None


def kind_of(document: safeyaml.Document) -> str | None:
    for key, kind in KINDS.items():
        if key in document.data:
            return kind
    return None


def _validate(model: type[M], document: safeyaml.Document, source: str) -> M:
    try:
        return model.model_validate(document.data)
    except ValidationError as err:
        raise LoadError(_pydantic_problems(err, document, source)) from None


def _check(found, document: safeyaml.Document, source: str, earlier: list[Problem] = ()) -> None:
    problems = [*earlier, *(Problem(source, document.line_of(loc), field_name(loc), msg) for loc, msg in found)]
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise LoadError(problems)


def parse_questionnaire(data: bytes, source: str, expected_id: str | None = None) -> Questionnaire:
    return questionnaire_of(parse_document(data, source), source, expected_id)


def questionnaire_of(document: safeyaml.Document, source: str, expected_id: str | None = None) -> Questionnaire:
    """`parse_questionnaire` for a document already read (e.g. to learn its kind)."""
    questionnaire = _validate(Questionnaire, document, source)
    found = questionnaire.problems()
    if expected_id is not None and questionnaire.id != expected_id:
        found.append((("id",), f"must equal the file name; rename the file to '{questionnaire.id}.yaml'"))
    _check(found, document, source)
    return questionnaire


def parse_baseline(data: bytes, source: str, questionnaire: Questionnaire | None = None) -> Baseline:
    return baseline_of(parse_document(data, source), source, questionnaire)


def baseline_of(document: safeyaml.Document, source: str, questionnaire: Questionnaire | None = None) -> Baseline:
    baseline = _validate(Baseline, document, source)
    _check(baseline.problems(questionnaire), document, source)
    return baseline


def parse_answers(data: bytes, source: str, questionnaire: Questionnaire) -> Answers:
    return answers_of(parse_document(data, source), source, questionnaire)


def answers_of(document: safeyaml.Document, source: str, questionnaire: Questionnaire) -> Answers:
    """`parse_answers` for a document already read (e.g. an offline form's, its `form` block removed)."""
    try:
        answers = _validate(Answers, document, source)
    except LoadError as err:
        # Still check the answers that are well-formed, so one run lists every problem.
        _check(_entry_problems(document, questionnaire, err.problems), document, source, err.problems)
        raise
    _check(answers.problems(questionnaire), document, source)
    return answers


def _entry_problems(document: safeyaml.Document, questionnaire: Questionnaire, known: list[Problem]):
    raw = document.data.get("answers")
    if not isinstance(raw, dict):
        return []
    reported = {p.field for p in known}
    found = []
    for qid, value in raw.items():
        loc = ("answers", qid)
        if any(f == field_name(loc) or f.startswith(field_name(loc) + ".") for f in reported):
            continue
        try:
            entry = AnswerEntry.model_validate(value)
        except ValidationError:
            continue
        message = answer_problem(questionnaire, qid, entry)
        if message:
            found.append((loc, message))
    return found


def parse_glossary(data: bytes, source: str) -> Glossary:
    return glossary_of(parse_document(data, source), source)


def glossary_of(document: safeyaml.Document, source: str) -> Glossary:
    return _validate(Glossary, document, source)


def check_answers(questionnaire: Questionnaire, answers: Answers, source: str = "answers") -> list[Problem]:
    """Problems of answers built in code (e.g. from a form), without line numbers."""
    return [Problem(source, None, field_name(loc), msg) for loc, msg in answers.problems(questionnaire)]


def load_questionnaire(path: str | Path) -> Questionnaire:
    path = Path(path)
    return parse_questionnaire(read_bytes(path), str(path), expected_id=path.stem)


def load_baseline(path: str | Path, questionnaire: Questionnaire | None = None) -> Baseline:
    path = Path(path)
    return parse_baseline(read_bytes(path), str(path), questionnaire)


def load_answers(path: str | Path, questionnaire: Questionnaire) -> Answers:
    path = Path(path)
    return parse_answers(read_bytes(path), str(path), questionnaire)


def load_glossary(path: str | Path) -> Glossary:
    path = Path(path)
    return parse_glossary(read_bytes(path), str(path))


# Pydantic's wording, made to read as instructions to the file's author.
_PATTERN_HINTS = {
    r"^[A-Z0-9]{8}$": "must be 8 characters, capital letters A-Z or digits (e.g. 20100001)",
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "must be lowercase words joined by '-' (e.g. keamanan-siber)",
    r"^[A-Za-z0-9._-]+$": "may contain only letters, digits, '.', '_' and '-'",
    r"\S": "must not be empty",
}
_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "unknown key; check its spelling against questionnaires/README.md",
    "int_type": "must be a whole number",
    "string_type": "must be text (put it in quotes)",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "dict_type": "must be a mapping (key: value)",
    "list_type": "must be a list",
    "model_type": "must be a mapping (key: value)",
}


def _pydantic_problems(err: ValidationError, document: safeyaml.Document, source: str) -> list[Problem]:
    merged: dict[tuple, list[str]] = {}
    for item in err.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if not _is_union_tag(p))
        message = _message(item)
        messages = merged.setdefault(loc, [])
        if message not in messages:
            messages.append(message)
    return [
        Problem(source, document.line_of(loc), field_name(loc), " or ".join(msgs).replace(" or must", " or"))
        for loc, msgs in merged.items()
    ]


def _is_union_tag(part) -> bool:
    return isinstance(part, str) and (part in {"int", "str", "float", "bool"} or "[" in part)


def _message(item: dict) -> str:
    kind = item["type"]
    if kind == "string_pattern_mismatch":
        return _PATTERN_HINTS.get(item.get("ctx", {}).get("pattern"), item["msg"])
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    msg = item["msg"].replace("Input should be", "must be").replace("Input should have", "must have")
    msg = msg.replace("String should have", "must have").replace("List should have", "must have")
    msg = msg.replace("Dictionary should have", "must have").replace("Value error, ", "")
    return msg.replace("Input should", "must").replace("input_value", "value")

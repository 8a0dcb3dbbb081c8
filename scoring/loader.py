"""Read questionnaires, baselines, answers and the glossary from bytes or files.

Every problem is reported at once (up to MAX_PROBLEMS, then a count of the rest), each
as `file:line: field: message` with a message id that renders in either language, and
nothing here ever raises anything but `LoadError`.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from . import safeyaml
from .messages import Message, any_of, msg
from .models import AnswerEntry, Answers, Baseline, Glossary, Questionnaire, answer_problem

M = TypeVar("M", bound=BaseModel)

KINDS = {"domains": "questionnaire", "targets": "baseline", "terms": "glossary", "answers": "answers"}
# A file with more problems is not worth reading on: its author needs the first ones and a count.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    field: str
    message: Message | str  # plain text only where no id fits (it reads the same in both languages)

    def render(self, lang: str = "en") -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        text = self.message.render(lang) if isinstance(self.message, Message) else self.message
        return f"{where}: {self.field}: {text}" if self.field else f"{where}: {text}"

    def __str__(self) -> str:
        return self.render("en")


def render_problems(problems: list[Problem], lang: str = "en", more: int = 0, limit: int = MAX_PROBLEMS) -> str:
    """One line per problem, at most `limit` of them, then how many more there are."""
    more += max(0, len(problems) - limit)
    lines = [p.render(lang) for p in problems[:limit]]
    if more:
        lines.append(msg("problems.more", count=more, shown=min(limit, len(problems))).render(lang))
    return "\n".join(lines)


class LoadError(Exception):
    """A file (or answers) that is not valid; `problems` lists the first MAX_PROBLEMS
    reasons and `more` counts the rest."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems[:MAX_PROBLEMS]
        self.more = more + max(0, len(problems) - MAX_PROBLEMS)
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        return render_problems(self.problems, lang, self.more)


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
            raise LoadError([Problem(source, 1, "", msg("file.too_large", kib=safeyaml.MAX_BYTES // 1024))])
        with path.open("rb") as handle:
            return handle.read(safeyaml.MAX_BYTES + 1)
    except OSError as err:
        raise LoadError([Problem(source, None, "", msg("file.unreadable", reason=err.strerror))]) from None


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


def _check(found, document: safeyaml.Document, source: str, earlier: LoadError | None = None) -> None:
    located = [(document.line_of(loc), loc, message) for loc, message in found]
    if not located and earlier is None:
        return
    # Only the problems that will be shown become Problems; the rest are counted.
    first = heapq.nsmallest(MAX_PROBLEMS, located, key=lambda item: item[0])
    problems = [*(earlier.problems if earlier else []),
                *(Problem(source, line, field_name(loc), message) for line, loc, message in first)]
    problems.sort(key=lambda p: p.line or 0)
    raise LoadError(problems, (earlier.more if earlier else 0) + len(located) - len(first))


def parse_questionnaire(data: bytes, source: str, expected_id: str | None = None) -> Questionnaire:
    return questionnaire_of(parse_document(data, source), source, expected_id)


def questionnaire_of(document: safeyaml.Document, source: str, expected_id: str | None = None) -> Questionnaire:
    """`parse_questionnaire` for a document already read (e.g. to learn its kind)."""
    questionnaire = _validate(Questionnaire, document, source)
    found = questionnaire.problems()
    if expected_id is not None and questionnaire.id != expected_id:
        found.append((("id",), msg("id.file_name", id=questionnaire.id)))
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
    _stop_on_unknown_questions(document, questionnaire, source)
    try:
        answers = _validate(Answers, document, source)
    except LoadError as err:
        # Still check the answers that are well-formed, so one run lists every problem.
        _check(_entry_problems(document, questionnaire, err.problems), document, source, err)
        raise
    _check(answers.problems(questionnaire), document, source)
    return answers


def _stop_on_unknown_questions(document: safeyaml.Document, questionnaire: Questionnaire, source: str) -> None:
    """A file naming more unknown questions than are reported is not read any further."""
    raw = document.data.get("answers")
    if not isinstance(raw, dict) or len(raw) <= MAX_PROBLEMS:
        return
    known = {q.id for _, q in questionnaire.questions()}
    unknown = [qid for qid in raw if qid not in known]
    if len(unknown) > MAX_PROBLEMS:
        problems = [Problem(source, document.line_of(("answers", qid)), field_name(("answers", qid)),
                            msg("answer.unknown_question", qid=qid)) for qid in unknown[:MAX_PROBLEMS]]  # fmt: skip
        raise LoadError(problems, len(unknown) - MAX_PROBLEMS)


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
    return [Problem(source, None, field_name(loc), message) for loc, message in answers.problems(questionnaire)]


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
    r"^[A-Z0-9]{8}$": "field.pattern_npsn",
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "field.pattern_slug",
    r"^[A-Za-z0-9._-]+$": "field.pattern_ident",
    r"\S": "field.not_empty",
}
_MESSAGES = {
    "missing": "field.missing",
    "extra_forbidden": "field.unknown",
    "int_type": "field.int",
    "int_from_float": "field.int",
    "int_parsing": "field.int",
    "string_type": "field.text",
    "bool_type": "field.bool",
    "bool_parsing": "field.bool",
    "dict_type": "field.mapping",
    "list_type": "field.list",
    "model_type": "field.mapping",
    "float_type": "field.number",
    "float_parsing": "field.number",
    "finite_number": "field.finite",
    "answer_value": "answer.value",
}
_LIMITS = {"greater_than": ("field.gt", "gt"), "greater_than_equal": ("field.ge", "ge"),
           "less_than": ("field.lt", "lt"), "less_than_equal": ("field.le", "le")}


def _pydantic_problems(err: ValidationError, document: safeyaml.Document, source: str) -> list[Problem]:
    merged: dict[tuple, list[Message]] = {}
    for item in err.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if not _is_union_tag(p))
        message = _message(item)
        messages = merged.setdefault(loc, [])
        if message not in messages:
            messages.append(message)
    return [Problem(source, document.line_of(loc), field_name(loc), any_of(msgs)) for loc, msgs in merged.items()]


def _is_union_tag(part) -> bool:
    return isinstance(part, str) and (part in {"int", "str", "float", "bool"} or "[" in part)


def _message(item: dict) -> Message:
    kind, ctx = item["type"], item.get("ctx", {})
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERN_HINTS:
        return msg(_PATTERN_HINTS[ctx["pattern"]])
    if kind in _MESSAGES:
        return msg(_MESSAGES[kind])
    if kind in _LIMITS:
        code, key = _LIMITS[kind]
        return msg(code, limit=ctx[key])
    if kind in ("too_short", "string_too_short"):
        return msg("field.min_length", min=ctx["min_length"], unit=_unit(kind, ctx["min_length"]))
    if kind in ("too_long", "string_too_long"):
        return msg("field.max_length", max=ctx["max_length"], unit=_unit(kind, ctx["max_length"]))
    if kind == "literal_error":
        return msg("field.one_of", expected=tuple(re.split(r", | or ", ctx["expected"])))
    # Anything else keeps pydantic's (English) words, made to read as an instruction.
    text = item["msg"].replace("Input should be", "must be").replace("Input should have", "must have")
    text = text.replace("String should have", "must have").replace("List should have", "must have")
    text = text.replace("Dictionary should have", "must have").replace("Value error, ", "")
    return msg("field.invalid", detail=text.replace("Input should", "must").replace("input_value", "value"))


def _unit(kind: str, count: int) -> Message:
    unit = "unit.character" if kind.startswith("string") else "unit.item"
    return msg(unit if count == 1 else unit + "s")

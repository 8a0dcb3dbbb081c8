"""The three file kinds as pydantic models: questionnaire, baseline and answers.

One schema, and everything else (the loader's messages, the JSON Schemas in
`questionnaires/schema/`) derives from it. Cross-references that need the whole
document (unique ids, scale references, band order) are checked by
`problems()` methods, which return every problem with its field path, so the
loader can name the line of each.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .messages import Message, msg

Jenjang = Literal["SD", "SMP", "SMA", "SMK", "SLB"]
JENJANG: tuple[str, ...] = get_args(Jenjang)
NA = "na"
# The one message for an answer value that is not a number or "na" (whatever pydantic's reasons).
ANSWER_VALUE_MESSAGE = "must be a number on the question's scale, or na"

Slug = Annotated[StrictStr, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Ident = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9._-]+$", max_length=80)]
NonEmpty = Annotated[StrictStr, Field(min_length=1, max_length=4000, pattern=r"\S")]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Problems = list[tuple[tuple[str | int, ...], Message]]


class Strict(BaseModel):
    # defer_build: a model gets its validator when first used, so the command line starts faster.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Strict):
    """Bahasa Indonesia first, English second; both required."""

    id: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


class ScaleOption(Strict):
    value: Annotated[StrictInt, Field(ge=0, le=3)]
    label: Text


class Band(Strict):
    id: Slug
    min: Percent
    label: Text


class Question(Strict):
    id: Ident
    text: Text
    help: Text | None = None
    evidence: Text | None = None
    recommendation: Text
    tier: Literal[1, 2, 3] = 1
    scale: Ident = "status"
    critical: bool = False
    allow_na: bool = False
    references: dict[Ident, Annotated[StrictStr, Field(min_length=1, max_length=80)]] = {}


class Domain(Strict):
    id: Ident
    title: Text
    description: Text | None = None
    weight: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] = 1
    tier3_gate: bool = True  # false: the questionnaire's tier-3 gate does not apply here
    questions: Annotated[list[Question], Field(min_length=1)]


class Tier3Gate(Strict):
    """Indeks KAMI 5.0: a domain's tier-3 points count only once its tier-1 basics are in place."""

    max_partial: Annotated[StrictInt, Field(ge=0, le=1000)]


class Questionnaire(Strict):
    id: Slug
    version: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    title: Text
    description: Text | None = None
    scales: Annotated[dict[Ident, Annotated[list[ScaleOption], Field(min_length=2)]], Field(min_length=1)]
    bands: Annotated[list[Band], Field(min_length=1)]
    critical_cap: Slug | None = None
    tier3_gate: Tier3Gate | None = None
    domains: Annotated[list[Domain], Field(min_length=1)]
    _index: dict[str, Question] = PrivateAttr(default_factory=dict)
    _scale_values: dict[str, frozenset[int]] = PrivateAttr(default_factory=dict)
    # Lookups derived once per questionnaire by the engine and the answers check (never part of the data).
    _derived: dict[str, object] = PrivateAttr(default_factory=dict)
    _numbers: dict[str, str] = PrivateAttr(default_factory=dict)

    def questions(self) -> list[tuple[Domain, Question]]:
        return [(d, q) for d in self.domains for q in d.questions]

    def question(self, question_id: str) -> Question | None:
        return self._index.get(question_id)

    def number(self, question_id: str) -> str:
        """How people name a question: its domain's place and its own place in it ("4.1")."""
        return self._numbers.get(question_id, question_id)

    def scale_values(self, question: Question) -> frozenset[int]:
        return self._scale_values[question.scale]

    def gated(self, domain: Domain) -> bool:
        """Whether the tier-3 gate applies in this domain."""
        return self.tier3_gate is not None and domain.tier3_gate

    def derived(self, name: str, build):
        """`build(self)`, computed once per questionnaire object (questionnaires are frozen)."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    def model_post_init(self, context) -> None:
        self._index = {q.id: q for _, q in self.questions()}
        self._numbers = {q.id: f"{di}.{qi}" for di, d in enumerate(self.domains, 1)
                         for qi, q in enumerate(d.questions, 1)}  # fmt: skip
        self._scale_values = {sid: frozenset(o.value for o in options) for sid, options in self.scales.items()}

    def problems(self) -> Problems:
        found: Problems = []
        for sid, options in self.scales.items():
            values = [o.value for o in options]
            if len(set(values)) != len(values):
                found.append((("scales", sid), msg("scale.unique")))
            if 0 not in values or 3 not in values:
                found.append((("scales", sid), msg("scale.needs_0_3")))
        if self.bands[0].min != 0:
            found.append((("bands", 0, "min"), msg("bands.first_min")))
        for i in range(1, len(self.bands)):
            if self.bands[i].min <= self.bands[i - 1].min:
                found.append((("bands", i, "min"), msg("bands.ascending")))
        _duplicates(found, [b.id for b in self.bands], lambda i: ("bands", i, "id"), "band_id.twice")
        if self.critical_cap is not None and self.critical_cap not in {b.id for b in self.bands}:
            found.append((("critical_cap",), msg("critical_cap.unknown", value=self.critical_cap)))
        _duplicates(found, [d.id for d in self.domains], lambda i: ("domains", i, "id"), "domain_id.twice")
        if self.tier3_gate is None:
            for di, domain in enumerate(self.domains):
                if not domain.tier3_gate:
                    found.append((("domains", di, "tier3_gate"), msg("tier3_gate.no_effect")))
        seen: dict[str, int] = {}
        for di, domain in enumerate(self.domains):
            for qi, q in enumerate(domain.questions):
                where = ("domains", di, "questions", qi)
                if q.id in seen:
                    found.append(((*where, "id"), msg("question_id.twice", value=q.id)))
                seen[q.id] = 1
                if q.scale not in self.scales:
                    names = ", ".join(self.scales)
                    found.append(((*where, "scale"), msg("scale.unknown", scale=q.scale, known=names)))
        return found


def _duplicates(found: Problems, ids: list[str], where, code: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value in seen:
            found.append((where(i), msg(code, value=value)))
        seen.add(value)


class Baseline(Strict):
    id: Slug
    questionnaire: Slug
    title: Text
    source: Text | None = None
    targets: dict[Literal["default", Jenjang], dict[Ident, Percent]]

    def target(self, domain_id: str, jenjang: str | None) -> float:
        specific = self.targets.get(jenjang, {}) if jenjang else {}
        return specific.get(domain_id, self.targets["default"][domain_id])

    def problems(self, questionnaire: Questionnaire | None = None) -> Problems:
        found: Problems = []
        if "default" not in self.targets:
            found.append((("targets",), msg("targets.default_required")))
        if questionnaire is None:
            return found
        if self.questionnaire != questionnaire.id:
            found.append((("questionnaire",), msg("baseline.questionnaire", id=questionnaire.id)))
            return found
        domain_ids = [d.id for d in questionnaire.domains]
        for group, targets in self.targets.items():
            for did in targets:
                if did not in domain_ids:
                    found.append((("targets", group, did), msg("targets.unknown_domain", domain=did)))
        missing = [d for d in domain_ids if d not in self.targets.get("default", {})]
        if missing and "default" in self.targets:
            found.append((("targets", "default"), msg("targets.missing", missing=", ".join(missing))))
        return found


class School(Strict):
    npsn: Annotated[StrictStr, Field(pattern=r"^[A-Z0-9]{8}$")]
    name: Annotated[StrictStr, Field(max_length=200)] | None = None
    jenjang: Jenjang | None = None
    province: Annotated[StrictStr, Field(max_length=100)] | None = None


class AnswerEntry(Strict):
    """One answer: a value from the question's scale or "na", with an optional note."""

    value: StrictInt | Literal["na"]
    note: Annotated[StrictStr, Field(max_length=2000)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data):
        # `q1: 3` and `q3: na` are short for `{value: ...}`.
        return data if isinstance(data, dict | BaseModel) else {"value": data}

    @field_validator("value", mode="wrap")
    @classmethod
    def _value_message(cls, value, handler):
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError("answer_value", ANSWER_VALUE_MESSAGE) from None

    @property
    def is_na(self) -> bool:
        return self.value == NA


class Answers(Strict):
    questionnaire: Slug
    version: StrictStr | None = None
    school: School | None = None
    answers: dict[Ident, AnswerEntry] = {}

    def problems(self, questionnaire: Questionnaire) -> Problems:
        found: Problems = []
        if self.questionnaire != questionnaire.id:
            found.append((("questionnaire",), msg("answers.questionnaire", id=questionnaire.id)))
        if self.version is not None and self.version != questionnaire.version:
            found.append((("version",), msg("answers.version", version=questionnaire.version)))
        for qid, entry in self.answers.items():
            message = answer_problem(questionnaire, qid, entry)
            if message:
                found.append((("answers", qid), message))
        return found


def answer_problem(questionnaire: Questionnaire, qid: str, entry: AnswerEntry) -> Message | None:
    """Why one answer does not fit the questionnaire, or None if it does."""
    question = questionnaire.question(qid)
    if question is None:
        return msg("answer.unknown_question", qid=qid)
    if entry.is_na:
        return None if question.allow_na else msg("answer.na_not_allowed")
    allowed = sorted(questionnaire.scale_values(question))
    if entry.value in allowed:
        return None
    code = "answer.not_on_scale_na" if question.allow_na else "answer.not_on_scale"
    return msg(code, value=entry.value, scale=question.scale, choices=", ".join(map(str, allowed)))


class GlossaryTerm(Strict):
    term: Text
    definition: Text
    match: Annotated[list[Annotated[StrictStr, Field(min_length=2)]], Field(min_length=1)]


class Glossary(Strict):
    terms: Annotated[list[GlossaryTerm], Field(min_length=1)]

    def terms_in(self, text: str) -> list[GlossaryTerm]:
        """The terms one of whose match phrases occurs in `text` as whole words, ignoring case."""
        return [term for term in self.terms if any(occurs(phrase, text) for phrase in term.match)]


def occurs(phrase: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase.lower()) + r"(?!\w)", text.lower()) is not None

"""Blank files to fill in offline, and examples generated from the questionnaire, so that
what the app shows as an example is always valid for the questionnaire chosen."""

from __future__ import annotations

import csv
import io

import yaml

from scoring.models import NA, Question, Questionnaire

from .exports import csv_delimiter

_HEADINGS = {
    "id": ("Isi setiap pertanyaan: hapus tanda # di awal barisnya dan tulis nilainya.",
           "na = tidak berlaku"),
    "en": ("Answer each question: remove the # at the start of its line and write the value.",
           "na = not applicable"),
}


def example_value(questionnaire: Questionnaire, question: Question, position: int) -> int | str:
    """A value valid for this question, varied by its position so an example shows the range."""
    values = sorted(questionnaire.scale_values(question))
    choices: list[int | str] = [*reversed(values), *([NA] if question.allow_na else [])]
    return choices[position % len(choices)]


def example_answers(questionnaire: Questionnaire) -> dict[str, int | str]:
    """Every question with a valid value: a complete example."""
    return {q.id: example_value(questionnaire, q, i) for i, (_, q) in enumerate(questionnaire.questions())}


def csv_header(questionnaire: Questionnaire) -> list[str]:
    return ["npsn", "period", *(q.id for _, q in questionnaire.questions())]


def csv_example(questionnaire: Questionnaire, period: str, lang: str) -> str:
    """The bulk CSV's header and one complete, valid row, as `lang`'s Excel writes it."""
    row = ["20100001", period, *map(str, example_answers(questionnaire).values())]
    return _csv_text([csv_header(questionnaire), row], lang)


def csv_template(questionnaire: Questionnaire, lang: str) -> bytes:
    """A blank bulk CSV: only the header, with a BOM so Excel opens it as UTF-8."""
    return ("\ufeff" + _csv_text([csv_header(questionnaire)], lang)).encode("utf-8")


def _csv_text(rows: list[list[str]], lang: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=csv_delimiter(lang), lineterminator="\n").writerows(rows)
    return out.getvalue()


def yaml_example(questionnaire: Questionnaire, count: int = 3) -> str:
    """The start of an answers file as a zip holds it: the first questions with valid values."""
    first = list(example_answers(questionnaire).items())[:count]
    head = yaml.safe_dump({"questionnaire": questionnaire.id, "version": questionnaire.version,
                           "school": {"npsn": "20100001"}}, sort_keys=False, default_flow_style=None)  # fmt: skip
    return head + "answers:\n" + "".join(f"  {qid}: {value}\n" for qid, value in first) + "  # …\n"


def answers_template(questionnaire: Questionnaire, lang: str) -> str:
    """A blank answers file: every question as a comment with its number, text and scale."""
    how, na = _HEADINGS["en" if lang == "en" else "id"]
    lines = [f"# {questionnaire.title.get(lang)} (v{questionnaire.version})", f"# {how}",
             yaml.safe_dump({"questionnaire": questionnaire.id, "version": questionnaire.version},
                            sort_keys=False).rstrip("\n"), "answers:"]  # fmt: skip
    for number, (_, question) in enumerate(questionnaire.questions(), 1):
        scale = ", ".join(f"{o.value} = {o.label.get(lang)}" for o in questionnaire.scales[question.scale])
        if question.allow_na:
            scale += f"; {na}"
        text = " ".join(question.text.get(lang).split())
        lines += [f"  # {number}. {text}", f"  #    ({scale})", f"  # {question.id}:"]
    return "\n".join(lines) + "\n"

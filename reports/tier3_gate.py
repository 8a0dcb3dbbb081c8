"""Which answers keep a domain's tier-3 gate closed (Indeks KAMI 5.0), for Hasil and the report.

A pure function of the questionnaire and the result: the result's actions list
every applicable answer below 3, so the blocking tier-1 answers can be read from it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from scoring.engine import Action, Result
from scoring.models import Questionnaire


@dataclass(frozen=True)
class ClosedGate:
    domain: str
    below_2: list[Action]  # tier-1 answers below 2 (unanswered counts as 0): each must reach 2
    at_2: list[Action]  # tier-1 answers of exactly 2, listed only when more than max_partial
    raise_at_2: int  # how many of `at_2` must reach 3 for the gate to open


def closed_gates(questionnaire: Questionnaire, result: Result) -> list[ClosedGate]:
    """One entry per domain whose gate is closed, in the questionnaire's order."""
    if questionnaire.tier3_gate is None:
        return []
    max_partial = questionnaire.tier3_gate.max_partial
    closed = [d.id for d in result.domains if d.tier3_gate == "closed"]
    order = {q.id: i for i, (_, q) in enumerate(questionnaire.questions())}
    gates = []
    for domain_id in closed:
        tier1 = [a for a in result.actions if a.domain == domain_id
                 and (q := questionnaire.question(a.question)) is not None and q.tier == 1]
        tier1.sort(key=lambda a: order[a.question])
        below_2 = [a for a in tier1 if (a.value or 0) < 2]
        at_2 = [a for a in tier1 if a.value == 2]
        extra = max(0, len(at_2) - max_partial)
        gates.append(ClosedGate(domain_id, below_2, at_2 if extra else [], extra))
    return gates


TEXTS = {
    "id": {
        "closed": "Poin pertanyaan kategori 3 (lanjutan) di domain “{domain}” belum dihitung: menurut "
                  "Indeks KAMI 5.0, poin itu baru dihitung setelah pertanyaan kategori 1 (dasar) terpenuhi.",
        "below_2": "Jawaban dasar ini perlu mencapai paling sedikit “diterapkan sebagian” (2):",
        "at_2": "Paling banyak {allowed} jawaban dasar boleh “diterapkan sebagian”; {count} dari jawaban ini "
                "perlu diterapkan menyeluruh (3):",
    },
    "en": {
        "closed": "The points of category 3 (advanced) questions in the domain “{domain}” do not count yet: "
                  "under Indeks KAMI 5.0 they count once the category 1 (basic) questions are met.",
        "below_2": "These basic answers need to reach at least “partially implemented” (2):",
        "at_2": "At most {allowed} basic answers may be “partially implemented”; {count} of these need to be "
                "fully implemented (3):",
    },
}


def gate_texts(questionnaire: Questionnaire, gate: ClosedGate, lang: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """Plain text (not HTML, not Markdown): the headline, then (lead-in, question texts) per kind of blocker."""
    texts = TEXTS["en" if lang == "en" else "id"]
    title = next(d.title.get(lang) for d in questionnaire.domains if d.id == gate.domain)
    parts = []
    if gate.below_2:
        parts.append((texts["below_2"], [questionnaire.question(a.question).text.get(lang) for a in gate.below_2]))
    if gate.at_2:
        lead = texts["at_2"].format(allowed=questionnaire.tier3_gate.max_partial, count=gate.raise_at_2)
        parts.append((lead, [questionnaire.question(a.question).text.get(lang) for a in gate.at_2]))
    return texts["closed"].format(domain=title), parts


def gates_html(questionnaire: Questionnaire, result: Result, lang: str) -> str:
    """A section per closed gate for the HTML report ("" when none is closed); every text escaped."""
    e = html.escape
    sections = []
    for gate in closed_gates(questionnaire, result):
        headline, parts = gate_texts(questionnaire, gate, lang)
        body = "".join(f"<p>{e(lead)}</p><ul>{''.join(f'<li>{e(q)}</li>' for q in questions)}</ul>"
                       for lead, questions in parts)
        sections.append(f'<section class="tier3-gate"><p><strong>{e(headline)}</strong></p>{body}</section>')
    return "\n".join(sections)

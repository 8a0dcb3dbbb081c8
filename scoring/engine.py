"""Scores, maturity, readiness band, baseline gaps and the action plan.

The rules follow Indeks KAMI: a question of tier t is worth 3t points, "na"
leaves the question out, and an unanswered question counts as 0. Scores are
unrounded; rounding is for display only.
"""

from __future__ import annotations

from pydantic import BaseModel

from .models import AnswerEntry, Answers, Baseline, Domain, Questionnaire

MATURITY_NAMES = {
    1: ("I", "Kondisi Awal", "Initial condition"),
    2: ("II", "Penerapan Kerangka Kerja Dasar", "Basic framework in place"),
    3: ("III", "Terdefinisi dan Konsisten", "Defined and consistent"),
    4: ("IV", "Terkelola dan Terukur", "Managed and measured"),
    5: ("V", "Optimal", "Optimal"),
}


class DomainResult(BaseModel):
    id: str
    score: float | None
    points: int
    max_points: int
    maturity: int | None
    target: float | None
    gap: float | None


class OverallResult(BaseModel):
    score: float | None
    points: int
    max_points: int
    maturity: int | None
    band: str | None
    target: float | None
    gap: float | None


class Action(BaseModel):
    question: str
    domain: str
    value: int | None  # None: unanswered
    critical: bool
    gain: float


class Result(BaseModel):
    questionnaire: str
    version: str
    jenjang: str | None
    completeness: float
    overall: OverallResult
    domains: list[DomainResult]
    actions: list[Action]


def answer_values(domain: Domain, answers: Answers) -> list[tuple[int, int] | None]:
    """(value, tier) per question in file order; None for "na". Unanswered is 0."""
    values: list[tuple[int, int] | None] = []
    for q in domain.questions:
        entry = answers.answers.get(q.id)
        if entry is not None and entry.is_na:
            values.append(None)
        else:
            values.append((entry.value if entry is not None else 0, q.tier))
    return values


def maturity_level(values: list[tuple[int, int]]) -> int:
    """Level 1..5; each level needs the one below it. A condition over no questions holds."""
    by_tier = {t: [v for v, tier in values if tier == t] for t in (1, 2, 3)}
    t1, t2, t3 = by_tier[1], by_tier[2], by_tier[3]
    steps = [
        all(v >= 2 for v in t1),
        all(v == 3 for v in t1) and all(v >= 2 for v in t2),
        all(v == 3 for v in t1 + t2) and all(v >= 2 for v in t3),
        all(v == 3 for v in t1 + t2 + t3),
    ]
    level = 1
    for reached in steps:
        if not reached:
            break
        level += 1
    return level


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for w, _ in pairs)
    return sum(w * x for w, x in pairs) / total if total else None


def readiness_band(questionnaire: Questionnaire, score: float | None, critical_short: bool) -> str | None:
    if score is None:
        return None
    index = max(i for i, b in enumerate(questionnaire.bands) if b.min <= score)
    if critical_short and questionnaire.critical_cap:
        cap = next(i for i, b in enumerate(questionnaire.bands) if b.id == questionnaire.critical_cap)
        index = min(index, cap)
    return questionnaire.bands[index].id


def score(
    questionnaire: Questionnaire,
    answers: Answers,
    baseline: Baseline | None = None,
    jenjang: str | None = None,
) -> Result:
    if jenjang is None and answers.school is not None:
        jenjang = answers.school.jenjang
    domains: list[DomainResult] = []
    per_domain: list[list[tuple[int, int] | None]] = []
    critical_short = False
    answered = 0
    for domain in questionnaire.domains:
        values = answer_values(domain, answers)
        per_domain.append(values)
        applicable = [v for v in values if v is not None]
        points = sum(v * t for v, t in applicable)
        max_points = sum(3 * t for _, t in applicable)
        domain_score = 100 * points / max_points if max_points else None
        target = baseline.target(domain.id, jenjang) if baseline else None
        gap = target - domain_score if target is not None and domain_score is not None else None
        maturity = maturity_level(applicable) if domain_score is not None else None
        domains.append(DomainResult(
            id=domain.id, score=domain_score, points=points, max_points=max_points, maturity=maturity, target=target,
            gap=gap))
        for q, v in zip(domain.questions, values, strict=True):
            critical_short |= q.critical and v is not None and v[0] < 2
            answered += q.id in answers.answers

    scored = [(d.weight, r) for d, r in zip(questionnaire.domains, domains, strict=True) if r.score is not None]
    overall_score = _weighted([(w, r.score) for w, r in scored])
    overall_target = _weighted([(w, r.target) for w, r in scored]) if baseline else None
    levels = [r.maturity for _, r in scored]
    overall = OverallResult(
        score=overall_score,
        points=sum(r.points for r in domains),
        max_points=sum(r.max_points for r in domains),
        maturity=min(levels) if levels else None,
        band=readiness_band(questionnaire, overall_score, critical_short),
        target=overall_target,
        gap=overall_target - overall_score if overall_target is not None and overall_score is not None else None,
    )
    return Result(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        jenjang=jenjang,
        completeness=answered / sum(map(len, per_domain)),
        overall=overall,
        domains=domains,
        actions=_actions(questionnaire, answers, domains, per_domain, scored),
    )


def _actions(questionnaire, answers, domains, per_domain, scored) -> list[Action]:
    """One action per applicable answer below 3, in the order the plan should be done."""
    weight_total = sum(w for w, _ in scored)
    actions: list[tuple[tuple, Action]] = []
    order = 0
    for domain, result, values in zip(questionnaire.domains, domains, per_domain, strict=True):
        for q, v in zip(domain.questions, values, strict=True):
            order += 1
            if v is None or v[0] >= 3:
                continue
            value, tier = v
            # Raising one answer to 3 moves only its domain; the overall moves by its weight share.
            raised = 100 * (result.points + (3 - value) * tier) / result.max_points
            gain = domain.weight * (raised - result.score) / weight_total
            entry = answers.answers.get(q.id)
            action = Action(question=q.id, domain=domain.id,
                            value=value if entry is not None else None, critical=q.critical, gain=gain)
            key = (
                not (q.critical and value < 2),
                not (result.gap is not None and result.gap > 0),
                -round(gain, 6),
                order,
            )
            actions.append((key, action))
    actions.sort(key=lambda pair: pair[0])
    return [a for _, a in actions]


def score_after(questionnaire: Questionnaire, answers: Answers, question_ids: list[str]) -> float | None:
    """The overall score if these questions were answered at 3 (e.g. the top actions done)."""
    raised = answers.answers | {qid: AnswerEntry(value=3) for qid in question_ids}
    return score(questionnaire, answers.model_copy(update={"answers": raised})).overall.score

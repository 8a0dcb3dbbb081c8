"""Scores, maturity, readiness band, baseline gaps and the action plan.

The rules follow Indeks KAMI: a question of tier t is worth 3t points, "na"
leaves the question out, and an unanswered question counts as 0. Scores are
unrounded; rounding is for display only. With a questionnaire's `tier3_gate`
(Indeks KAMI 5.0), a domain's tier-3 questions earn points only while its
tier-1 basics are in place.

The arithmetic runs on plain values (question id -> int or "na"), so batch
scoring pays for no model per answer; `score()` takes the Answers model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .models import NA, AnswerEntry, Answers, Baseline, Questionnaire

MATURITY_NAMES = {
    1: ("I", "Kondisi Awal", "Initial condition"),
    2: ("II", "Penerapan Kerangka Kerja Dasar", "Basic framework in place"),
    3: ("III", "Terdefinisi dan Konsisten", "Defined and consistent"),
    4: ("IV", "Terkelola dan Terukur", "Managed and measured"),
    5: ("V", "Optimal", "Optimal"),
}


class DomainResult(BaseModel):
    model_config = ConfigDict(defer_build=True)

    id: str
    score: float | None
    points: int
    max_points: int
    maturity: int | None
    target: float | None
    gap: float | None
    # "closed": tier-3 points do not count yet; None where no gate applies or the score is null.
    tier3_gate: Literal["open", "closed"] | None = None


class OverallResult(BaseModel):
    model_config = ConfigDict(defer_build=True)

    score: float | None
    points: int
    max_points: int
    maturity: int | None
    band: str | None
    target: float | None
    gap: float | None


class Action(BaseModel):
    model_config = ConfigDict(defer_build=True)

    question: str
    domain: str
    value: int | None  # None: unanswered
    critical: bool
    gain: float


class Result(BaseModel):
    model_config = ConfigDict(defer_build=True)

    questionnaire: str
    version: str
    jenjang: str | None
    completeness: float
    overall: OverallResult
    domains: list[DomainResult]
    actions: list[Action]


AnswerValues = Mapping[str, "int | str"]  # question id -> scale value or "na"; missing: unanswered


def answer_values(answers: Answers) -> dict[str, int | str]:
    return {qid: entry.value for qid, entry in answers.answers.items()}


def maturity_level(values: list[tuple[int, int]]) -> int:
    """Level 1..5 from (value, tier) pairs; each level needs the one below it."""
    lowest = {1: 3, 2: 3, 3: 3}
    for value, tier in values:
        lowest[tier] = min(lowest[tier], value)
    return _maturity(lowest[1], lowest[2], lowest[3])


def _maturity(t1: int, t2: int, t3: int) -> int:
    """From the lowest answer per tier (3 where a tier has no question: a condition over none holds)."""
    if t1 < 2:
        return 1
    if t1 < 3 or t2 < 2:
        return 2
    if t2 < 3 or t3 < 2:
        return 3
    return 4 if t3 < 3 else 5


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
    return Result.model_validate(result_data(questionnaire, answer_values(answers), baseline, jenjang))


def result_data(
    questionnaire: Questionnaire,
    values: AnswerValues,
    baseline: Baseline | None = None,
    jenjang: str | None = None,
) -> dict:
    """The Result as JSON-ready plain data (what `score()` validates into the model)."""
    plan = questionnaire.derived("engine.plan", _plan)
    max_partial = questionnaire.tier3_gate.max_partial if questionnaire.tier3_gate else 0
    domains: list[dict] = []
    tallies: list[_Tally] = []
    critical_short = False
    answered = 0
    for domain_id, _, gated, questions in plan:
        tally = _Tally(values, questions, gated, max_partial)
        tallies.append(tally)
        critical_short |= tally.critical_short
        answered += tally.answered
        domain_score = 100 * tally.points / tally.max_points if tally.max_points else None
        target = baseline.target(domain_id, jenjang) if baseline else None
        domains.append({
            "id": domain_id, "score": domain_score, "points": tally.points, "max_points": tally.max_points,
            "maturity": _maturity(*tally.lowest) if domain_score is not None else None,
            "target": target,
            "gap": target - domain_score if target is not None and domain_score is not None else None,
            "tier3_gate": None if not gated or domain_score is None else "closed" if tally.closed else "open",
        })

    scored = [(w, r) for (_, w, _, _), r in zip(plan, domains, strict=True) if r["score"] is not None]
    overall_score = _weighted([(w, r["score"]) for w, r in scored])
    overall_target = _weighted([(w, r["target"]) for w, r in scored]) if baseline else None
    levels = [r["maturity"] for _, r in scored]
    overall = {
        "score": overall_score,
        "points": sum(r["points"] for r in domains),
        "max_points": sum(r["max_points"] for r in domains),
        "maturity": min(levels) if levels else None,
        "band": readiness_band(questionnaire, overall_score, critical_short),
        "target": overall_target,
        "gap": overall_target - overall_score if overall_target is not None and overall_score is not None else None,
    }
    return {
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "jenjang": jenjang,
        "completeness": answered / sum(len(questions) for *_, questions in plan),
        "overall": overall,
        "domains": domains,
        "actions": _actions(plan, domains, tallies, sum(w for w, _ in scored)),
    }


def _plan(questionnaire: Questionnaire) -> list[tuple[str, float, bool, list[tuple[str, int, bool]]]]:
    """Per domain, once per questionnaire: (id, weight, gated, [(question id, tier, critical)])."""
    return [(d.id, d.weight, questionnaire.gated(d), [(q.id, q.tier, q.critical) for q in d.questions])
            for d in questionnaire.domains]


class _Tally:
    """One domain's sums, from which its score and every action's gain follow."""

    __slots__ = ("lowest", "answered", "critical_short", "points_open", "tier3_points", "max_points",
                 "gated", "max_partial", "below_2", "at_2", "closed", "points", "rows")

    def __init__(self, values: AnswerValues, questions, gated: bool, max_partial: int):
        # Locals in the loop, attributes once at the end: this runs once per domain per file.
        lowest = [3, 3, 3, 3]  # the lowest applicable answer per tier (index 1..3)
        # (question id, value, tier, critical, answered) of each applicable question, in file order
        rows: list[tuple[str, int, int, bool, bool]] = []
        answered = points_open = tier3_points = max_points = below_2 = at_2 = 0
        critical_short = False
        get = values.get
        for qid, tier, critical in questions:
            value = get(qid)
            if value is None:
                v = 0
            elif value == NA:
                answered += 1
                continue
            else:
                answered += 1
                v = value
            if v < lowest[tier]:
                lowest[tier] = v
            rows.append((qid, v, tier, critical, value is not None))
            points_open += v * tier
            max_points += 3 * tier
            if tier == 3:
                tier3_points += 3 * v
            elif tier == 1:
                below_2 += v < 2
                at_2 += v == 2
            if critical and v < 2:
                critical_short = True
        self.rows, self.lowest, self.answered, self.critical_short = rows, lowest[1:], answered, critical_short
        self.points_open, self.tier3_points, self.max_points = points_open, tier3_points, max_points
        self.below_2, self.at_2, self.gated, self.max_partial = below_2, at_2, gated, max_partial
        self.closed = self._closed(below_2, at_2)
        self.points = points_open - (tier3_points if self.closed else 0)

    def _closed(self, below_2: int, at_2: int) -> bool:
        # The gate: closed while a tier-1 answer is below 2, or more than max_partial are exactly 2.
        return self.gated and (below_2 > 0 or at_2 > self.max_partial)

    def points_if_raised(self, value: int, tier: int) -> int:
        """The domain's points with one applicable answer of `value` and `tier` raised to 3."""
        points_open = self.points_open + (3 - value) * tier
        tier3_points = self.tier3_points + (3 * (3 - value) if tier == 3 else 0)
        closed = self.closed
        if tier == 1:
            closed = self._closed(self.below_2 - (value < 2), self.at_2 - (value == 2))
        return points_open - (tier3_points if closed else 0)


def _actions(plan, domains: list[dict], tallies: list[_Tally], weight_total: float) -> list[dict]:
    """One action per applicable answer below 3, in the order the plan should be done."""
    actions: list[tuple[tuple, dict]] = []
    order = 0
    for (domain_id, weight, _, _), result, tally in zip(plan, domains, tallies, strict=True):
        gap_first = not (result["gap"] is not None and result["gap"] > 0)
        for qid, value, tier, critical, answered in tally.rows:
            order += 1
            if value >= 3:
                continue
            # Raising one answer to 3 moves only its domain; the overall moves by its weight share.
            raised = 100 * tally.points_if_raised(value, tier) / tally.max_points
            gain = weight * (raised - result["score"]) / weight_total
            action = {"question": qid, "domain": domain_id, "value": value if answered else None,
                      "critical": critical, "gain": gain}
            actions.append(((not (critical and value < 2), gap_first, -round(gain, 6), order), action))
    actions.sort(key=lambda pair: pair[0])
    return [a for _, a in actions]


def score_after(questionnaire: Questionnaire, answers: Answers, question_ids: list[str]) -> float | None:
    """The overall score if these questions were answered at 3 (e.g. the top actions done)."""
    raised = answers.answers | {qid: AnswerEntry(value=3) for qid in question_ids}
    return score(questionnaire, answers.model_copy(update={"answers": raised})).overall.score

"""The scoring rules written the slow and obvious way, as the reference for the engine.

Every domain is summed from scratch, and every action's gain is the overall score
re-computed with that one answer raised to 3: the definition the engine's one-domain
arithmetic must agree with (tests/test_properties.py).
"""

from __future__ import annotations

from scoring.engine import maturity_level, readiness_band
from scoring.models import Answers, Baseline, Questionnaire


def _domain(questionnaire: Questionnaire, domain, values: dict) -> dict:
    applicable = [(q, values.get(q.id, 0)) for q in domain.questions if values.get(q.id) != "na"]
    max_points = sum(3 * q.tier for q, _ in applicable)
    tier1 = [v for q, v in applicable if q.tier == 1]
    gated = questionnaire.tier3_gate is not None and domain.tier3_gate
    closed = gated and (any(v < 2 for v in tier1)
                        or sum(v == 2 for v in tier1) > questionnaire.tier3_gate.max_partial)
    points = sum(v * q.tier for q, v in applicable if not (closed and q.tier == 3))
    score = 100 * points / max_points if max_points else None
    return {
        "score": score, "points": points, "max_points": max_points,
        "maturity": maturity_level([(v, q.tier) for q, v in applicable]) if score is not None else None,
        "tier3_gate": None if not gated or score is None else ("closed" if closed else "open"),
    }


def _overall(questionnaire: Questionnaire, values: dict) -> float | None:
    domains = [(d.weight, _domain(questionnaire, d, values)["score"]) for d in questionnaire.domains]
    scored = [(w, s) for w, s in domains if s is not None]
    total = sum(w for w, _ in scored)
    return sum(w * s for w, s in scored) / total if total else None


def reference_score(questionnaire: Questionnaire, answers: Answers, baseline: Baseline | None = None,
                    jenjang: str | None = None) -> dict:
    values = {qid: entry.value for qid, entry in answers.answers.items()}
    domains = []
    for d in questionnaire.domains:
        result = {"id": d.id, **_domain(questionnaire, d, values)}
        result["target"] = baseline.target(d.id, jenjang) if baseline else None
        result["gap"] = (result["target"] - result["score"]
                         if result["target"] is not None and result["score"] is not None else None)
        domains.append(result)
    overall = _overall(questionnaire, values)
    critical_short = any(q.critical and values.get(q.id, 0) != "na" and values.get(q.id, 0) < 2
                         for _, q in questionnaire.questions())
    actions = []
    order = 0
    for d, result in zip(questionnaire.domains, domains, strict=True):
        for q in d.questions:
            order += 1
            value = values.get(q.id, 0)
            if value == "na" or value >= 3:
                continue
            gain = _overall(questionnaire, values | {q.id: 3}) - overall
            key = (not (q.critical and value < 2), not (result["gap"] is not None and result["gap"] > 0),
                   -round(gain, 6), order)
            actions.append((key, {"question": q.id, "domain": d.id, "value": values.get(q.id),
                                  "critical": q.critical, "gain": gain}))
    actions.sort(key=lambda pair: pair[0])
    return {
        "overall": {"score": overall, "band": readiness_band(questionnaire, overall, critical_short)},
        "domains": domains,
        "actions": [a for _, a in actions],
        "completeness": sum(q.id in values for _, q in questionnaire.questions()) / len(questionnaire.questions()),
    }

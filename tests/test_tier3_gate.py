"""Indeks KAMI 5.0's tier-3 gate, pinned with hand-computed values on an inline questionnaire.

gerbang: domain g (weight 1): a, b, c tier 1 (c allow_na); m tier 2; t tier 3 (c3 allow_na)
         domain p (weight 1, tier3_gate: false): p1 tier 1; p3 tier 3
max_partial: 1. Maxima: g = 3+3+3+6+9 = 24, p = 3+9 = 12.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.batch import score_file
from scoring.cli import main
from scoring.engine import score
from scoring.loader import LoadError, load_questionnaire, parse_questionnaire
from tests.conftest import answers_of

ROOT = Path(__file__).resolve().parent.parent

GERBANG = b"""
id: gerbang
version: "1"
title: {id: Gerbang, en: Gate}
scales:
  status:
    - {value: 0, label: {id: Tidak, en: "No"}}
    - {value: 1, label: {id: Rencana, en: Planned}}
    - {value: 2, label: {id: Sebagian, en: Partly}}
    - {value: 3, label: {id: Penuh, en: Fully}}
bands:
  - {id: rendah, min: 0, label: {id: Rendah, en: Low}}
tier3_gate: {max_partial: 1}
domains:
  - id: g
    title: {id: G, en: G}
    questions:
      - {id: a, tier: 1, text: {id: A, en: A}, recommendation: {id: R, en: R}}
      - {id: b, tier: 1, text: {id: B, en: B}, recommendation: {id: R, en: R}}
      - {id: c, tier: 1, allow_na: true, text: {id: C, en: C}, recommendation: {id: R, en: R}}
      - {id: m, tier: 2, text: {id: M, en: M}, recommendation: {id: R, en: R}}
      - {id: t, tier: 3, text: {id: T, en: T}, recommendation: {id: R, en: R}}
  - id: p
    title: {id: P, en: P}
    tier3_gate: false
    questions:
      - {id: p1, tier: 1, text: {id: P1, en: P1}, recommendation: {id: R, en: R}}
      - {id: p3, tier: 3, text: {id: P3, en: P3}, recommendation: {id: R, en: R}}
"""


@pytest.fixture(scope="module")
def gerbang():
    return parse_questionnaire(GERBANG, "gerbang.yaml")


@pytest.fixture(scope="module")
def ungated(gerbang):
    data = gerbang.model_dump()
    data["tier3_gate"] = None
    data["domains"][1]["tier3_gate"] = True
    return type(gerbang).model_validate(data)


def g_of(questionnaire, **values):
    return score(questionnaire, answers_of("gerbang", **values)).domains[0]


def test_open_when_every_tier1_answer_is_3(gerbang):
    g = g_of(gerbang, a=3, b=3, c=3, m=2, t=3)
    assert (g.points, g.max_points, g.tier3_gate) == (3 + 3 + 3 + 4 + 9, 24, "open")


def test_closed_by_a_tier1_answer_below_2_and_tier3_earns_0(gerbang):
    g = g_of(gerbang, a=1, b=3, c=3, m=2, t=3)
    assert (g.points, g.max_points, g.tier3_gate) == (1 + 3 + 3 + 4, 24, "closed")
    assert g.score == pytest.approx(100 * 11 / 24)


def test_unanswered_tier1_counts_as_0_and_closes(gerbang):
    g = g_of(gerbang, a=3, b=3, m=3, t=3)  # c unanswered
    assert (g.points, g.tier3_gate) == (3 + 3 + 0 + 6, "closed")


def test_max_partial_answers_of_2_are_tolerated_one_more_closes(gerbang):
    assert g_of(gerbang, a=2, b=3, c=3, m=3, t=3).tier3_gate == "open"
    assert g_of(gerbang, a=2, b=3, c=3, m=3, t=3).points == 2 + 3 + 3 + 6 + 9
    two = g_of(gerbang, a=2, b=2, c=3, m=3, t=3)
    assert (two.points, two.tier3_gate) == (2 + 2 + 3 + 6, "closed")


def test_na_tier1_question_is_left_out_of_the_gate(gerbang):
    g = g_of(gerbang, a=2, b=3, c="na", m=3, t=3)
    assert (g.points, g.max_points, g.tier3_gate) == (2 + 3 + 6 + 9, 21, "open")


def test_tier2_answers_do_not_close_the_gate(gerbang):
    assert g_of(gerbang, a=3, b=3, c=3, m=0, t=3).tier3_gate == "open"


def test_closed_gate_keeps_the_tier3_maximum(gerbang):
    g = g_of(gerbang, a=0, b=0, c=0, m=0, t=3)
    assert (g.points, g.max_points, g.score) == (0, 24, 0)


def test_exempt_domain_counts_tier3_points_and_reports_no_gate(gerbang):
    p = score(gerbang, answers_of("gerbang", p1=0, p3=3)).domains[1]
    assert (p.points, p.max_points, p.tier3_gate) == (9, 12, None)


def test_no_gate_in_the_questionnaire_reports_null(ungated, contoh):
    assert g_of(ungated, a=1, t=3).tier3_gate is None
    assert g_of(ungated, a=1, t=3).points == 1 + 9
    assert all(d.tier3_gate is None for d in score(contoh, answers_of(q1=0, q3=3)).domains)


def test_all_na_domain_reports_null(gerbang):
    data = gerbang.model_dump()
    for q in data["domains"][0]["questions"]:
        q["allow_na"] = True
    q = type(gerbang).model_validate(data)
    g = g_of(q, a="na", b="na", c="na", m="na", t="na")
    assert (g.score, g.tier3_gate) == (None, None)


def test_maturity_is_computed_from_the_answers_not_the_gate(gerbang, ungated):
    for values in ({"a": 2, "b": 2, "c": 3, "m": 3, "t": 3}, {"a": 1, "b": 3, "c": 3, "m": 3, "t": 3}):
        assert g_of(gerbang, **values).maturity == g_of(ungated, **values).maturity
    assert g_of(gerbang, a=2, b=2, c=3, m=3, t=3).maturity == 2


def test_raising_the_tier1_answer_that_closes_the_gate_gains_the_tier3_points(gerbang):
    # g: a=1, rest 3 -> closed, 1+3+3+6 = 13 of 24; p: 3+9 = 12 of 12 -> 100. Overall = (13/24*100 + 100)/2.
    # Raising a to 3 opens the gate: g = 24 of 24, so the gain is (100 - 1300/24) / 2 = 22.9167,
    # where the (3-1)*1 = 2 points alone would give (200/24) / 2 = 4.1667.
    result = score(gerbang, answers_of("gerbang", a=1, b=3, c=3, m=3, t=3, p1=3, p3=3))
    (action,) = result.actions
    assert action.question == "a"
    assert action.gain == pytest.approx((100 - 1300 / 24) / 2)
    assert action.gain == pytest.approx(22.9167, abs=1e-4)


def test_tier3_answer_behind_a_closed_gate_gains_nothing_yet(gerbang):
    # a=0 keeps the gate closed whatever t is: raising t to 3 earns 0 points now.
    result = score(gerbang, answers_of("gerbang", a=0, b=3, c=3, m=3, t=1, p1=3, p3=3))
    gains = {x.question: x.gain for x in result.actions}
    assert gains["t"] == 0
    # a: 0 -> 3 opens the gate with t=1: g goes from 12 to 3+3+3+6+3 = 18 of 24.
    assert gains["a"] == pytest.approx((100 * 18 / 24 - 100 * 12 / 24) / 2)


def test_one_of_two_partials_raised_opens_the_gate(gerbang):
    # a=2, b=2 > max_partial 1: closed at 2+2+3+6 = 13; raising a to 3 leaves one partial: open, 3+2+3+6+9 = 23.
    result = score(gerbang, answers_of("gerbang", a=2, b=2, c=3, m=3, t=3, p1=3, p3=3))
    gains = {x.question: x.gain for x in result.actions}
    assert gains["a"] == pytest.approx((100 * 23 / 24 - 100 * 13 / 24) / 2)
    assert gains["b"] == pytest.approx(gains["a"])


def test_json_reports_the_gate_per_domain(gerbang, tmp_path):
    path = tmp_path / "jawaban.yaml"
    path.write_text("questionnaire: gerbang\nanswers: {a: 1, b: 3, c: 3, m: 3, t: 3, p1: 3, p3: 3}\n")
    data = score_file(path, gerbang)
    assert [(d["id"], d["tier3_gate"]) for d in data["domains"]] == [("g", "closed"), ("p", None)]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (b"tier3_gate: {max_partial: 1}", b"tier3_gate: {max_partial: -1}",
         "gerbang.yaml:13: tier3_gate.max_partial: must be greater than or equal to 0"),
        (b"tier3_gate: {max_partial: 1}", b"tier3_gate: {max_partial: '1'}",
         "gerbang.yaml:13: tier3_gate.max_partial: must be a whole number"),
        (b"tier3_gate: {max_partial: 1}", b"tier3_gate: {}", "gerbang.yaml:13: tier3_gate.max_partial: is required"),
        (b"tier3_gate: {max_partial: 1}", b"tier3_gate: {max_partial: 1, maks: 2}",
         "gerbang.yaml:13: tier3_gate.maks: unknown key"),
        (b"tier3_gate: {max_partial: 1}", b"",
         "gerbang.yaml:25: domains[1].tier3_gate: has no effect: the questionnaire sets no tier3_gate"),
    ],
)
def test_bad_gate_settings(old, new, expected):
    with pytest.raises(LoadError) as err:
        parse_questionnaire(GERBANG.replace(old, new), "gerbang.yaml")
    assert any(str(p).startswith(expected) for p in err.value.problems), err.value.problems


def test_the_cyber_questionnaire_with_the_gate_on(tmp_path):
    """keamanan-siber-sekolah as shipped (version 2): the gate on, no domain exempt; compared
    with the same file with the gate taken out."""
    shipped = ROOT / "questionnaires" / "keamanan-siber-sekolah.yaml"
    text = shipped.read_text(encoding="utf-8")
    gate = "\ntier3_gate:\n  max_partial: 2\ndomains:\n"
    assert text.count(gate) == 1 and text.count("tier3_gate") == 1
    path = tmp_path / "keamanan-siber-sekolah.yaml"
    path.write_text(text.replace(gate, "\ndomains:\n", 1), encoding="utf-8")
    gated = load_questionnaire(shipped)
    plain = load_questionnaire(path)
    assert gated.tier3_gate.max_partial == 2 and all(gated.gated(d) for d in gated.domains)
    assert not any(plain.gated(d) for d in plain.domains)
    everything_2 = {q.id: max(plain.scale_values(q) - {3}) for _, q in plain.questions()}
    answers = answers_of(plain.id, **everything_2)
    with_gate, without = score(gated, answers), score(plain, answers)
    for d, (gd, pd) in zip(plain.domains, zip(with_gate.domains, without.domains, strict=True), strict=True):
        tier1_at_2 = sum(q.tier == 1 and everything_2[q.id] == 2 for q in d.questions)
        tier1_below_2 = sum(q.tier == 1 and everything_2[q.id] < 2 for q in d.questions)
        tier3 = sum(3 * everything_2[q.id] for q in d.questions if q.tier == 3)
        closed = tier1_below_2 > 0 or tier1_at_2 > 2
        assert gd.tier3_gate == ("closed" if closed else "open")
        assert gd.points == pd.points - (tier3 if closed else 0)
        assert (gd.max_points, gd.maturity) == (pd.max_points, pd.maturity)
    assert any(d.tier3_gate == "closed" for d in with_gate.domains)
    assert all(d.tier3_gate is None for d in without.domains)


def test_the_command_line_reports_the_gate(tmp_path, capsys):
    (tmp_path / "gerbang.yaml").write_bytes(GERBANG)
    answers = tmp_path / "jawaban.yaml"
    answers.write_text("questionnaire: gerbang\nanswers: {a: 1, b: 3, c: 3, m: 3, t: 3, p1: 3, p3: 3}\n")
    assert main(["score", "-q", str(tmp_path / "gerbang.yaml"), str(answers)]) == 0
    assert "gerbang kategori 3 tertutup (poin kategori 3 belum dihitung): g\n" in capsys.readouterr().out
    assert main(["score", "-q", str(tmp_path / "gerbang.yaml"), "--format", "jsonl", str(answers)]) == 0
    line = json.loads(capsys.readouterr().out)
    assert [d["tier3_gate"] for d in line["domains"]] == ["closed", None]

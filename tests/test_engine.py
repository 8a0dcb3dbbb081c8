"""Each scoring rule, pinned with hand-computed values on the example questionnaire.

contoh: domain a (weight 2): q1 tier 1; q2 tier 2, critical; q3 tier 3, ya_tidak, allow_na
        domain b (weight 1): q4 tier 1, allow_na; q5 tier 2
"""

from __future__ import annotations

import pytest

from scoring.engine import maturity_level, score
from scoring.models import Answers, Questionnaire
from tests.conftest import answers_of


def test_worked_example(contoh, contoh_baseline):
    result = score(contoh, answers_of(q1=3, q2=1, q3="na", q4="na", q5=2), contoh_baseline)
    a, b = result.domains
    assert (a.points, a.max_points, a.maturity) == (5, 9, 2)
    assert a.score == pytest.approx(55.5556, abs=1e-4)
    assert a.gap == pytest.approx(4.4444, abs=1e-4)
    assert (b.points, b.max_points, b.maturity) == (4, 6, 3)
    assert b.score == pytest.approx(66.6667, abs=1e-4)
    assert b.gap == pytest.approx(-16.6667, abs=1e-4)
    o = result.overall
    assert o.score == pytest.approx(59.2593, abs=1e-4)
    assert (o.points, o.max_points, o.maturity, o.band) == (9, 15, 2, "perlu-perbaikan")
    assert o.target == pytest.approx(56.6667, abs=1e-4)
    assert o.gap == pytest.approx(-2.5926, abs=1e-4)
    assert [x.question for x in result.actions] == ["q2", "q5"]
    assert [x.gain for x in result.actions] == pytest.approx([29.6296, 11.1111], abs=1e-4)


def test_tier_points_are_value_times_tier(contoh):
    # q3 is tier 3 on ya_tidak: 3 -> 9 of 9; q1 tier 1: 2 -> 2 of 3; q2 tier 2: 1 -> 2 of 6.
    a = score(contoh, answers_of(q1=2, q2=1, q3=3)).domains[0]
    assert (a.points, a.max_points) == (2 + 2 + 9, 3 + 6 + 9)


def test_na_leaves_points_and_maximum(contoh):
    a = score(contoh, answers_of(q1=2, q2=1, q3="na")).domains[0]
    assert (a.points, a.max_points) == (4, 9)


def test_unanswered_counts_zero_in_maximum(contoh):
    a = score(contoh, answers_of(q1=3)).domains[0]
    assert (a.points, a.max_points) == (3, 18)
    assert a.score == pytest.approx(100 * 3 / 18)


def test_all_na_domain_has_null_score_and_maturity(contoh, contoh_baseline):
    # Domain b can only be all-na if q5 were na; it is not allowed, so use a questionnaire copy.
    data = contoh.model_dump()
    data["domains"][1]["questions"][1]["allow_na"] = True
    q = Questionnaire.model_validate(data)
    result = score(q, answers_of(q1=3, q2=3, q3=3, q4="na", q5="na"), contoh_baseline)
    b = result.domains[1]
    assert (b.score, b.maturity, b.gap, b.points, b.max_points) == (None, None, None, 0, 0)
    assert b.target == 50
    # Overall ignores the null domain: only a counts, its weight no longer matters.
    assert result.overall.score == pytest.approx(100)
    assert result.overall.target == pytest.approx(60)


def test_overall_is_weight_averaged(contoh):
    result = score(contoh, answers_of(q1=3, q2=3, q3=3, q4=0, q5=0))
    assert result.overall.score == pytest.approx((2 * 100 + 1 * 0) / 3)


def test_overall_points_are_plain_sums(contoh):
    result = score(contoh, answers_of(q1=3, q2=3, q3=3, q4=3, q5=0))
    assert (result.overall.points, result.overall.max_points) == (18 + 3, 18 + 9)


@pytest.mark.parametrize(
    ("values", "level"),
    [
        ([], 5),  # conditions over no questions hold
        ([(1, 1)], 1),
        ([(2, 1)], 2),
        ([(2, 1), (3, 2)], 2),  # level 3 needs tier 1 at 3
        ([(3, 1), (1, 2)], 2),
        ([(3, 1), (2, 2)], 3),
        ([(3, 1), (3, 2), (1, 3)], 3),
        ([(3, 1), (3, 2), (2, 3)], 4),
        ([(3, 1), (3, 2), (3, 3)], 5),
        ([(1, 1), (3, 2), (3, 3)], 1),  # each level needs the one below
        ([(3, 2), (3, 3)], 5),
        ([(0, 3)], 3),  # no tier 1 or 2: levels 2 and 3 hold vacuously
    ],
)
def test_maturity_levels(values, level):
    assert maturity_level(values) == level


def test_overall_maturity_is_minimum(contoh):
    result = score(contoh, answers_of(q1=3, q2=3, q3=3, q4=1, q5=3))
    assert [d.maturity for d in result.domains] == [5, 1]
    assert result.overall.maturity == 1


@pytest.mark.parametrize(
    ("values", "band"),
    [
        (dict(q1=0, q2=0, q3=0, q4=0, q5=0), "belum-siap"),
        (dict(q1=3, q2=3, q3=3, q4=3, q5=3), "siap"),
        # a: 3+6+0 = 9/18 = 50; b: 3+4 = 7/9 = 77.8 -> (100 + 77.8)/3 = 59.3: perlu-perbaikan
        (dict(q1=3, q2=3, q3=0, q4=3, q5=2), "perlu-perbaikan"),
        # a: 3+6+9 = 100, b: 3+4 = 77.8 -> 92.6 -> siap
        (dict(q1=3, q2=3, q3=3, q4=3, q5=2), "siap"),
    ],
)
def test_band_is_last_band_reached(contoh, values, band):
    assert score(contoh, answers_of(**values)).overall.band == band


def test_band_at_exact_minimum(contoh):
    # a: q1 3, q2 3, q3 na -> 9/9 = 100; b: q4 na, q5 0 -> 0 -> (200 + 0)/3 = 66.7: cukup
    result = score(contoh, answers_of(q1=3, q2=3, q3="na", q4="na", q5=0))
    assert result.overall.band == "cukup"
    data = contoh.model_dump()
    data["bands"][2]["min"] = 200 / 3
    q = Questionnaire.model_validate(data)
    assert score(q, answers_of(q1=3, q2=3, q3="na", q4="na", q5=0)).overall.band == "cukup"


@pytest.mark.parametrize(("q2", "band"), [(1, "perlu-perbaikan"), (None, "perlu-perbaikan"), (2, "siap")])
def test_critical_cap(contoh, q2, band):
    # Everything else perfect: a = (3 + 2*q2 + 9)/18, overall well above 80 unless capped.
    result = score(contoh, answers_of(q1=3, q2=q2, q3=3, q4=3, q5=3))
    assert result.overall.band == band


def test_critical_cap_never_raises_band(contoh):
    result = score(contoh, answers_of(q1=0, q2=0, q3=0, q4=0, q5=0))
    assert result.overall.band == "belum-siap"


def test_no_cap_without_critical_cap(contoh):
    q = Questionnaire.model_validate(contoh.model_dump() | {"critical_cap": None})
    assert score(q, answers_of(q1=3, q2=1, q3=3, q4=3, q5=3)).overall.band == "siap"


def test_completeness_counts_na_as_answered(contoh):
    assert score(contoh, answers_of(q1=3, q3="na")).completeness == pytest.approx(2 / 5)
    assert score(contoh, answers_of()).completeness == 0


def test_jenjang_targets_fall_back_to_default(contoh, contoh_baseline):
    answers = answers_of(q1=3, q2=3, q3=3, q4=3, q5=3)
    smk = score(contoh, answers, contoh_baseline, jenjang="SMK")
    assert [d.target for d in smk.domains] == [70, 50]
    assert smk.overall.target == pytest.approx((2 * 70 + 50) / 3)
    sd = score(contoh, answers, contoh_baseline, jenjang="SD")
    assert [d.target for d in sd.domains] == [60, 50]


def test_jenjang_comes_from_school_unless_given(contoh, contoh_baseline):
    answers = Answers(questionnaire="contoh", school={"npsn": "Z1300001", "jenjang": "SMK"}, answers={})
    assert score(contoh, answers, contoh_baseline).jenjang == "SMK"
    assert score(contoh, answers, contoh_baseline, jenjang="SD").jenjang == "SD"


def test_without_baseline_targets_are_null(contoh):
    result = score(contoh, answers_of(q1=3))
    assert all(d.target is None and d.gap is None for d in result.domains)
    assert result.overall.target is None and result.overall.gap is None


def test_action_per_question_below_three_or_unanswered(contoh):
    result = score(contoh, answers_of(q1=3, q2=2, q3="na", q5=None))
    assert {a.question: a.value for a in result.actions} == {"q2": 2, "q4": None, "q5": None}


def test_action_gain_is_overall_with_that_answer_at_three(contoh):
    base = answers_of(q1=1, q2=2, q3=0, q4=3, q5=1)
    today = score(contoh, base).overall.score
    for action in score(contoh, base).actions:
        raised = base.answers | {action.question: base.answers[action.question].model_copy(update={"value": 3})}
        after = score(contoh, base.model_copy(update={"answers": raised})).overall.score
        assert action.gain == pytest.approx(after - today)


def test_action_order_critical_then_gap_then_gain_then_file_order(contoh, contoh_baseline):
    # a = (1 + 2*3 + 0)/18 = 38.9 (target 60, gap > 0); b = (0 + 2*0)/9 = 0 (target 50, gap > 0)
    result = score(contoh, answers_of(q1=1, q2=3, q3=0, q4=0, q5=0), contoh_baseline)
    # no critical shortfall; both gaps positive; gains: q3 = 2*50/3 = 33.3, q5 = 66.7/3 = 22.2,
    # q4 = 33.3/3 = 11.1, q1 = 2*(2/18*100)/3 = 7.4
    assert [a.question for a in result.actions] == ["q3", "q5", "q4", "q1"]
    # A critical question below 2 goes first even with a small gain.
    result = score(contoh, answers_of(q1=0, q2=1, q3=0, q4=0, q5=0), contoh_baseline)
    assert result.actions[0].question == "q2"


def test_action_order_positive_gap_before_larger_gain(contoh):
    from scoring.models import Baseline

    baseline = Baseline(id="b", questionnaire="contoh", title={"id": "x", "en": "y"},
                        targets={"default": {"a": 0, "b": 100}})
    # a has the larger gain (q3: 2*50/3 = 33.3) but no gap; b's q5 (gain 4*... ) comes first.
    result = score(contoh, answers_of(q1=3, q2=3, q3=0, q4=3, q5=2), baseline)
    assert [a.question for a in result.actions] == ["q5", "q3"]


def test_equal_gains_keep_file_order(contoh):
    result = score(contoh, answers_of(q1=2, q2=3, q3=3, q4=2, q5=3))
    # q1: a 17/18 -> 18/18, gain 2*(100/18)/3 = 3.70; q4: b 8/9 -> 9/9, gain (100/9)/3 = 3.70
    assert [a.question for a in result.actions] == ["q1", "q4"]
    assert result.actions[0].gain == pytest.approx(result.actions[1].gain)


def test_score_after_raises_the_named_answers_to_three(contoh):
    from scoring.engine import score_after

    answers = answers_of(q1=3, q2=1, q3="na", q4="na", q5=2)
    # q2 at 3: a = 9/9 -> (200 + 66.7)/3 = 88.9; both: (200 + 100)/3 = 100
    assert score_after(contoh, answers, ["q2"]) == pytest.approx(800 / 9)
    assert score_after(contoh, answers, ["q2", "q5"]) == pytest.approx(100)
    assert score_after(contoh, answers, []) == pytest.approx(score(contoh, answers).overall.score)

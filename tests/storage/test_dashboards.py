"""The views' data: the school table, comparisons and aggregates, and the rule that no
aggregate is built from fewer than 5 schools."""

from __future__ import annotations

import statistics
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

import storage
from storage.aggregates import MIN_SCHOOLS
from storage.aggregates.read import _median
from storage.comparisons import _thin_domains, commonly_missed, domain_spread
from storage.dashboards import dashboard, domain_medians
from storage.models import Answer, Assessment, AssessmentResult, DomainScore
from storage.school_table import NOT_STARTED, SchoolFilter, compare_schools, filter_options, school_table

from .conftest import audit_actions
from .views_world import EXTRA, build

PERIOD = "2025-1"


@pytest.fixture
def big(make_session, password_hash, world):
    return build(make_session, password_hash, world)


def stored_domains(session, assessment_id: int) -> dict[str, float | None]:
    rows = session.execute(select(DomainScore.domain_id, DomainScore.score)
                           .where(DomainScore.assessment_id == assessment_id)).all()  # fmt: skip
    session.rollback()
    return dict(rows)


def stored_overall(session, ids) -> list[float]:
    scores = list(session.scalars(select(AssessmentResult.score).where(AssessmentResult.assessment_id.in_(ids))))
    session.rollback()
    return scores


def test_the_auditor_table_holds_every_school_of_the_province_and_no_other(big, session):
    auditor = big.world.actors["auditor_13"]
    rows = school_table(session, auditor, "contoh", PERIOD)
    assert {r.province_code for r in rows} == {"13"}
    assert {r.npsn for r in rows} == {"Z1300001", "Z1300002", *(n for n, *_ in EXTRA)}
    by_npsn = {r.npsn: r for r in rows}
    assert by_npsn["Z1300002"].assessment_state == NOT_STARTED and by_npsn["Z1300002"].score is None
    a = by_npsn["Z1300001"]
    assert a.assessment_state == "submitted" and a.completeness == 1.0 and a.province == "Sumatera Barat"
    assert a.domains == stored_domains(session, big.submitted["Z1300001"])
    assert [r.npsn for r in school_table(session, big.world.actors["auditor_31"], "contoh", PERIOD)] == ["Z3100001"]


def test_a_draft_shows_its_completeness_and_no_score(big, session):
    operator = big.world.actors["operator_a"]
    draft = storage.save_draft(session, operator, big.world.drafts["Z1300001"], {"q1": None, "q2": None},
                               big.world.draft_versions["Z1300001"])  # fmt: skip
    assert draft
    (row,) = school_table(session, big.world.actors["auditor_13"], "contoh", "2025-2",
                          SchoolFilter(search="Z1300001"))  # fmt: skip
    assert (row.assessment_state, row.completeness, row.score, row.domains) == ("draft", 3 / 5, None, {})


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SchoolFilter(jenjang="SD"), {"Z1300002", "Z1300010", "Z1300011", "Z1300012"}),
        (SchoolFilter(status="swasta"), {"Z1300002", "Z1300012", "Z1300014"}),
        (SchoolFilter(kabupaten_kota="Kabupaten Agam"), {"Z1300013", "Z1300014", "Z1300015"}),
        (SchoolFilter(assessment_state=NOT_STARTED), {"Z1300002"}),
        (SchoolFilter(readiness_band="siap"), {"Z1300010", "Z1300013"}),
        (SchoolFilter(search="z13000"), set()),  # a whole NPSN, or a part of the name
        (SchoolFilter(search="UJI 1"), {"Z1300010", "Z1300011", "Z1300012", "Z1300013", "Z1300014", "Z1300015"}),
        (SchoolFilter(search="z1300013"), {"Z1300013"}),
        (SchoolFilter(search="smp uji"), {"Z1300013", "Z1300014"}),
        (SchoolFilter(search="100%_"), set()),  # LIKE wildcards are taken literally
    ],
)
def test_filters(big, session, filters, expected):
    rows = school_table(session, big.world.actors["auditor_13"], "contoh", PERIOD, filters)
    assert {r.npsn for r in rows} == expected


def test_a_filter_on_a_province_outside_the_scope_is_refused_and_logged(big, session):
    auditor = big.world.actors["auditor_13"]
    with pytest.raises(storage.AccessDenied):
        school_table(session, auditor, "contoh", PERIOD, SchoolFilter(province_code="31"))
    assert ("auditor_13", "access_denied", "31") in audit_actions(session)


def test_a_bad_filter_value_is_named(big, session):
    with pytest.raises(storage.InvalidInput, match="jenjang 'TK'"):
        school_table(session, big.world.actors["auditor_13"], "contoh", PERIOD, SchoolFilter(jenjang="TK"))


def test_compare_gives_the_stored_domain_scores_in_the_order_asked(big, session):
    auditor = big.world.actors["auditor_13"]
    rows = compare_schools(session, auditor, "contoh", PERIOD, ["Z1300011", "z1300001"])
    assert [r.npsn for r in rows] == ["Z1300011", "Z1300001"]
    for row in rows:
        assert row.domains == stored_domains(session, big.submitted[row.npsn])


@pytest.mark.parametrize("npsns", [["Z1300001"], [f"Z13000{i:02d}" for i in range(9)]])
def test_compare_needs_two_to_eight_schools(big, session, npsns):
    with pytest.raises(storage.InvalidInput, match="2 to 8"):
        compare_schools(session, big.world.actors["auditor_13"], "contoh", PERIOD, npsns)


def test_compare_refuses_a_school_outside_the_scope(big, session):
    with pytest.raises(storage.AccessDenied):
        compare_schools(session, big.world.actors["auditor_13"], "contoh", PERIOD, ["Z1300001", "Z3100001"])


def test_filter_options_stay_in_scope(big, session):
    options = filter_options(session, big.world.actors["auditor_13"], "contoh")
    assert options.provinces == [("13", "Sumatera Barat")]
    assert options.kabupaten_kota == {"13": ["Kabupaten Agam", "Kota Padang"]}
    assert options.periods == ["2025-2", "2025-1"]


def test_aggregates_below_five_schools_are_withheld(world, session):
    # The bare world: 1 scored school in 13, 1 in 31, 2 nationally.
    leader = world.actors["pimpinan_nasional"]
    found = dashboard(session, leader, "contoh", PERIOD)
    assert (found.registered, found.assessed) == (3, 2)
    assert not found.median_score.shown and found.median_score.schools == 2
    assert not found.bands.shown and not found.median_domains.shown and not found.weakest.shown
    assert all(g.median is None for g in found.ranking)
    assert all(not a.shown for a in found.bands_by_jenjang.values())
    assert [p.median for p in found.trend] == [None]
    assert not domain_spread(session, leader, "contoh", PERIOD).shown
    assert not commonly_missed(session, leader, "contoh", PERIOD).shown
    assert not domain_medians(session, leader, "contoh", PERIOD).shown


def test_the_national_dashboard_reads_the_stored_scores(big, session):
    leader = big.world.actors["pimpinan_nasional"]
    found = dashboard(session, leader, "contoh", PERIOD)
    ids = list(big.submitted.values())
    assert (found.registered, found.assessed, found.verified) == (3 + len(EXTRA), len(ids), 0)
    assert found.median_score.value == statistics.median(stored_overall(session, ids))
    assert sum(found.bands.value.values()) == len(ids)
    for domain in ("a", "b"):
        values = [stored_domains(session, i)[domain] for i in ids]
        assert found.median_domains.value[domain] == statistics.median(v for v in values if v is not None)
    # Ranking: Sumatera Barat has 7 scored schools, DKI Jakarta 1 (withheld, still listed).
    ranking = {g.key: g for g in found.ranking}
    assert ranking["13"].schools == 7 and ranking["13"].median is not None
    assert (ranking["31"].schools, ranking["31"].median) == (1, None)
    assert found.ranking[-1].key == "31"  # withheld groups go last
    # Only SD has 5 or more scored schools? No: SD has 3; none of the jenjang groups is shown.
    assert {j: a.shown for j, a in found.bands_by_jenjang.items()} == {"SD": False, "SMP": False, "SMA": False,
                                                                       "SMK": False}  # fmt: skip
    # Swasta has 2 scored schools: withheld, and so is negeri, or the whole minus negeri would give swasta.
    assert {s: (a.schools, a.shown) for s, a in found.bands_by_status.items()} == {"negeri": (6, False),
                                                                                   "swasta": (2, False)}
    assert sum(found.bands.value.values()) == 8


def test_inside_a_province_the_ranking_is_by_kabupaten_kota(big, session):
    leader = big.world.actors["pimpinan_13"]
    found = dashboard(session, leader, "contoh", PERIOD, SchoolFilter(province_code="13"))
    assert {g.key: g.schools for g in found.ranking} == {"Kota Padang": 4, "Kabupaten Agam": 3}
    assert all(g.median is None for g in found.ranking)  # 4 and 3 schools: both withheld
    padang = SchoolFilter(province_code="13", kabupaten_kota="Kota Padang")
    inside = dashboard(session, leader, "contoh", PERIOD, padang)
    assert inside.ranking == [] and inside.assessed == 4


def test_a_provincial_leader_cannot_read_another_province(big, session):
    with pytest.raises(storage.AccessDenied):
        dashboard(session, big.world.actors["pimpinan_13"], "contoh", PERIOD, SchoolFilter(province_code="31"))


def test_weakest_and_commonly_missed_questions_are_counted_from_stored_answers(big, session):
    leader = big.world.actors["pimpinan_nasional"]
    ids = list(big.submitted.values())
    answers = session.execute(select(Answer.question_id, Answer.value).where(
        Answer.assessment_id.in_(ids), Answer.not_applicable.is_(False))).all()  # fmt: skip
    session.rollback()
    by_question: dict[str, list[int]] = {}
    for qid, value in answers:
        by_question.setdefault(qid, []).append(value)
    weakest = dashboard(session, leader, "contoh", PERIOD).weakest.value
    expected = sorted(((statistics.mean(v) / 3, q) for q, v in by_question.items() if len(v) >= MIN_SCHOOLS))
    assert [f.question_id for f in weakest] == [q for _, q in expected]
    assert [f.mean_share for f in weakest] == pytest.approx([m for m, _ in expected])
    missed = commonly_missed(session, leader, "contoh", PERIOD).value
    assert {f.question_id: f.below_two for f in missed} == {
        q: sum(1 for x in v if x < 2) for q, v in by_question.items() if len(v) >= MIN_SCHOOLS and any(x < 2 for x in v)
    }
    assert [f.below_two for f in missed] == sorted((f.below_two for f in missed), reverse=True)


def test_the_spread_and_group_medians_follow_the_filter(big, session):
    auditor = big.world.actors["auditor_13"]
    spread = domain_spread(session, auditor, "contoh", PERIOD)
    assert spread.shown and {r.npsn for r in spread.value} == {"Z1300001", *(n for n, *_ in EXTRA)}
    assert not domain_spread(session, auditor, "contoh", PERIOD, SchoolFilter(jenjang="SD")).shown  # 3 schools
    medians = domain_medians(session, auditor, "contoh", PERIOD, SchoolFilter(province_code="13"))
    assert medians.shown and medians.schools == 7


def test_a_domain_scored_by_fewer_than_five_schools_is_left_out_of_the_spread(big, session):
    full = domain_spread(session, big.world.actors["auditor_13"], "contoh", PERIOD).value
    assert len(full) == 7 and _thin_domains(full) == full  # every domain scored by 5 or more
    # Six schools score "a"; only four score "b" (two have no score there): "b" goes from every row.
    rows = [replace(r, domains={"a": 50.0, "b": None if i < 2 else 40.0}) for i, r in enumerate(full[:6])]
    assert [r.domains for r in _thin_domains(rows)] == [{"a": 50.0}] * 6


def test_returned_assessments_are_not_counted_as_scored(big, session):
    auditor = big.world.actors["auditor_13"]
    storage.return_assessment(session, auditor, big.submitted["Z1300010"], "bukti kurang", 3)
    (row,) = school_table(session, auditor, "contoh", PERIOD, SchoolFilter(search="Z1300010"))
    assert (row.assessment_state, row.score, row.domains, row.completeness) == ("returned", None, {}, 1.0)
    assert dashboard(session, big.world.actors["pimpinan_nasional"], "contoh", PERIOD).assessed == 7
    statuses = session.scalars(select(Assessment.status).where(Assessment.id == big.submitted["Z1300010"])).all()
    assert statuses == ["returned"]


@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=40))
def test_the_median_read_off_counts_is_the_median(values):
    counted: dict[float, int] = {}
    for v in values:
        counted[v] = counted.get(v, 0) + 1
    assert _median(sorted(counted.items()), 0, len(values)) == statistics.median(values)

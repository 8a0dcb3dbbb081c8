"""The aggregates stay equal to a recomputation from the stored results after every path that
changes a result, and the dashboards' medians read from them are exact."""

from __future__ import annotations

import statistics

import pytest
from sqlalchemy import select, text

import storage
from storage.aggregates import peer_medians, rebuild_aggregates
from storage.aggregates.contributions import all_rows, contribution
from storage.aggregates.upsert import array_literal
from storage.bulk import import_answers
from storage.dashboards import dashboard, domain_medians
from storage.models import Assessment, AssessmentResult, DomainScore, QuestionnaireVersion, School
from storage.review import finish_review, verify
from storage.school_table import SchoolFilter

from .conftest import CONTOH, SYSTEM, add_schools
from .test_bulk import answers_file, checked_import, zipped
from .views_world import EXTRA, build

PERIOD = "2025-1"


@pytest.fixture
def big(make_session, password_hash, world):
    return build(make_session, password_hash, world)


def assert_consistent(session) -> None:
    """The maintained rows equal both recomputations: the SQL rebuild, and each assessment's rows counted again."""
    kept = all_rows(session)
    rebuild_aggregates(session.connection())
    rebuilt = all_rows(session)
    session.rollback()
    ids = list(session.scalars(select(Assessment.id)))
    counted = contribution(session, ids)
    counted.update(contribution(session, (), session.execute(
        select(Assessment.school_id, Assessment.questionnaire_version_id)).all()))  # fmt: skip
    session.rollback()
    assert kept == rebuilt
    assert kept == {k: v for k, v in counted.items() if any(v)}


def version_of(session, assessment_id: int) -> int:
    found = session.scalar(select(Assessment.version).where(Assessment.id == assessment_id))
    session.rollback()
    return found


def test_every_path_that_changes_a_result_keeps_the_aggregates_equal_to_a_recomputation(big, session):
    world = big.world
    auditor, admin = world.actors["auditor_13"], world.actors["admin"]
    assert_consistent(session)  # after the submissions that built the world
    storage.verify(session, auditor, big.submitted["Z1300010"], version_of(session, big.submitted["Z1300010"]))
    assert_consistent(session)
    returned = big.submitted["Z1300011"]
    storage.return_assessment(session, auditor, returned, "bukti kurang", version_of(session, returned))
    assert_consistent(session)
    version = storage.save_draft(session, big.operator, returned, {"q1": 3}, version_of(session, returned))
    storage.submit(session, big.operator, returned, version)  # submitted again, with another score
    assert_consistent(session)
    finish_review(session, auditor, returned, "verified", version_of(session, returned))
    assert_consistent(session)
    # A bulk import: new assessments and a replaced draft (A's 2025-2), scored in one transaction.
    files = {f"{n}.yaml": answers_file(n, q1=i % 4, q2=3, q3="na", q4=(i + 1) % 4, q5=2)
             for i, (n, *_) in enumerate(EXTRA)} | {"a.yaml": answers_file("Z1300001", q1=1, q2=1, q3=0, q4=1, q5=1)}
    report = checked_import(session, auditor, zipped(files), "jawaban.zip", period="2025-2")
    assert len(report.stored) == 7 and not report.problems
    assert_consistent(session)
    # A new questionnaire version: its assessments count apart from version 1's.
    storage.register_questionnaire(session, SYSTEM, CONTOH.read_bytes().replace(b'version: "1"', b'version: "2"'),
                                   "contoh-2.yaml")  # fmt: skip
    info = storage.get_or_create_assessment(session, world.actors["operator_c"], "Z3100001", "contoh", "2026-1")
    version = storage.save_draft(session, world.actors["operator_c"], info.id,
                                 {"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 2}, info.version)  # fmt: skip
    storage.submit(session, world.actors["operator_c"], info.id, version)
    assert_consistent(session)
    # An assessment moved to another version, and a school moved to another kabupaten/kota and jenjang.
    moved = session.get(Assessment, big.submitted["Z1300012"])
    moved.questionnaire_version_id = session.scalar(select(QuestionnaireVersion.id)
                                                    .where(QuestionnaireVersion.version == "2"))  # fmt: skip
    session.commit()
    assert_consistent(session)
    csv = "npsn,name,jenjang,status,province_code,kabupaten_kota\nZ1300013,SMA Uji 13,SMA,swasta,13,Kota Padang\n"
    storage.import_schools(session, admin, csv.encode(), "sekolah.csv")
    assert_consistent(session)
    assert dashboard(session, world.actors["pimpinan_nasional"], "contoh", "2025-2").assessed == 7


def test_a_change_that_fails_changes_no_aggregate(big, session):
    before = all_rows(session)
    session.rollback()
    with pytest.raises(storage.StaleVersion):
        verify(session, big.world.actors["auditor_13"], big.submitted["Z1300010"], 99)
    assert all_rows(session) == before


def scores(session, column, *where) -> list[float]:
    query = (select(column).join(Assessment, Assessment.id == column.class_.assessment_id)
             .join(School, School.id == Assessment.school_id)
             .where(Assessment.status.in_(("submitted", "verified")), column.is_not(None), *where))  # fmt: skip
    found = list(session.scalars(query))
    session.rollback()
    return found


@pytest.mark.parametrize(
    "filters",
    [SchoolFilter(), SchoolFilter(province_code="13"), SchoolFilter(jenjang="SD"), SchoolFilter(status="negeri"),
     SchoolFilter(province_code="13", kabupaten_kota="Kota Padang")],
)  # fmt: skip
def test_medians_read_from_the_aggregates_are_exact(big, session, filters):
    extra = [School.province_code == filters.province_code] if filters.province_code else []
    extra += [School.kabupaten_kota == filters.kabupaten_kota] if filters.kabupaten_kota else []
    extra += [School.jenjang == filters.jenjang] if filters.jenjang else []
    extra += [School.status == filters.status] if filters.status else []
    period = Assessment.period == PERIOD
    found = dashboard(session, big.world.actors["pimpinan_nasional"], "contoh", PERIOD, filters)
    overall = scores(session, AssessmentResult.score, period, *extra)
    assert found.assessed == len(overall)
    assert found.median_score.value == (statistics.median(overall) if len(overall) >= 5 else None)
    domains = domain_medians(session, big.world.actors["pimpinan_nasional"], "contoh", PERIOD, filters)
    for domain in ("a", "b"):
        values = scores(session, DomainScore.score, period, DomainScore.domain_id == domain, *extra)
        if len(overall) >= 5 and len(values) >= 5:
            assert found.median_domains.value[domain] == statistics.median(values) == domains.value[domain]
    for group in found.ranking:
        column = School.province_code if filters.province_code is None else School.kabupaten_kota
        values = scores(session, AssessmentResult.score, period, column == group.key, *extra)
        assert (group.schools, group.median) == (len(values), statistics.median(values) if len(values) >= 5 else None)


def test_peer_medians_are_each_schools_latest_period_exactly(big, make_session, session):
    # Four more SD schools (7 scored in 2025-1), and a second period for five of them:
    # their 2025-2 result replaces their 2025-1 one.
    auditor = big.world.actors["auditor_13"]
    more = [f"Z13000{i}" for i in range(20, 24)]
    other = make_session()
    add_schools(other, [(n, f"SD Uji {n[-2:]}", "SD", "negeri", "13", "Kota Padang") for n in more])
    other.commit()
    other.close()
    first = {f"{n}.yaml": answers_file(n, q1=i % 4, q2=(i * 7) % 4, q3=3, q4=i % 3, q5=1) for i, n in enumerate(more)}
    import_answers(session, auditor, zipped(first), "sd-1.zip", "contoh", period=PERIOD)
    sd = [n for n, j, *_ in EXTRA if j == "SD"] + more[:2]
    files = {f"{n}.yaml": answers_file(n, q1=0, q2=1, q3=0, q4=i % 4, q5=1) for i, n in enumerate(sd)}
    import_answers(session, auditor, zipped(files), "sd-2.zip", "contoh", period="2025-2")
    for jenjang in ("SD", "SMP"):
        latest = {}
        for _, school, domain, value in session.execute(
            select(Assessment.period, Assessment.school_id, DomainScore.domain_id, DomainScore.score)
            .join(DomainScore, DomainScore.assessment_id == Assessment.id)
            .join(School, School.id == Assessment.school_id)
            .where(School.jenjang == jenjang, Assessment.status.in_(("submitted", "verified")))
            .order_by(Assessment.period)
        ):  # fmt: skip
            latest.setdefault(school, {})[domain] = value
        session.rollback()
        found = peer_medians(session, big.world.actors["operator_a"], "contoh", "1", jenjang)
        assert found.schools == len(latest) and found.shown == (jenjang == "SD")
        for domain in ("a", "b"):
            values = [d[domain] for d in latest.values() if d.get(domain) is not None]
            expected = statistics.median(values) if found.shown and len(values) >= 5 else None
            assert found.domains.get(domain) == expected


def test_the_array_literals_of_the_postgresql_upsert_read_back_as_the_values(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the array literals are PostgreSQL's")
    texts = ["", "Kab. \"Kepulauan\" Seribu", "back\\slash", "koma, {kurung}", "NULL", "spasi  ganda"]
    floats = [0.0, 100 / 3, 62.962962962962965, 1e-300, 99.99999999999999]
    read = session.execute(text("SELECT CAST(:t AS text[]), CAST(:f AS float8[]), CAST(:i AS integer[])"),
                           {"t": array_literal(texts), "f": array_literal(floats),
                            "i": array_literal([0, -3, 2**31 - 1])}).one()  # fmt: skip
    assert list(read) == [texts, floats, [0, -3, 2**31 - 1]]

"""The school is told where the tier-3 gate is closed and which answers keep it closed:
the pure function in reports/, the HTML report, and the Hasil page (AppTest on a real SQLite file)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

import storage
from reports.html_report import school_report_html
from reports.tier3_gate import closed_gates, gate_texts
from scoring.engine import score
from scoring.loader import parse_questionnaire
from tests.conftest import DATA, answers_of
from tests.school_app import OWN, PERIOD, SYSTEM, open_page, sign_in, texts
from tests.test_tier3_gate import GERBANG


def test_closed_gates_name_the_blocking_tier1_answers():
    q = parse_questionnaire(GERBANG, "gerbang.yaml")
    # max_partial 1: a below 2 blocks; b and c at 2 are one partial too many, so one of them must reach 3.
    result = score(q, answers_of("gerbang", a=1, b=2, c=2, m=0, t=3, p1=0, p3=3))
    (gate,) = closed_gates(q, result)
    assert gate.domain == "g"
    assert [a.question for a in gate.below_2] == ["a"]
    assert [a.question for a in gate.at_2] == ["b", "c"]
    assert gate.raise_at_2 == 1
    headline, parts = gate_texts(q, gate, "id")
    assert "“G”" in headline and "kategori 3" in headline
    assert parts == [("Jawaban dasar ini perlu mencapai paling sedikit “diterapkan sebagian” (2):", ["A"]),
                     ("Paling banyak 1 jawaban dasar boleh “diterapkan sebagian”; 1 dari jawaban ini perlu "
                      "diterapkan menyeluruh (3):", ["B", "C"])]


def test_partials_within_max_partial_are_not_listed():
    q = parse_questionnaire(GERBANG, "gerbang.yaml")
    (gate,) = closed_gates(q, score(q, answers_of("gerbang", b=2, c=3, m=3, t=3)))  # a unanswered
    assert ([a.question for a in gate.below_2], gate.at_2, gate.raise_at_2) == (["a"], [], 0)
    assert gate.below_2[0].value is None


def test_no_closed_gate_no_entry(contoh):
    q = parse_questionnaire(GERBANG, "gerbang.yaml")
    assert closed_gates(q, score(q, answers_of("gerbang", a=3, b=3, c=3, t=0))) == []
    assert closed_gates(contoh, score(contoh, answers_of(q1=0))) == []


def test_the_html_report_explains_a_closed_gate_escaped():
    hostile = GERBANG.replace(b"{id: A, en: A}", b"{id: '<b>A</b>', en: '<b>A</b>'}")
    q = parse_questionnaire(hostile, "gerbang.yaml")
    result = score(q, answers_of("gerbang", a=1, b=3, c=3, m=3, t=3))
    page = school_report_html(q, result, school_name="SD Uji", npsn="Z1300001", jenjang="SD",
                              date=dt.date(2026, 12, 1), lang="en")
    assert 'class="tier3-gate"' in page and "category 3 (advanced) questions in the domain “G”" in page
    assert "<li>&lt;b&gt;A&lt;/b&gt;</li>" in page and "<b>A</b>" not in page
    open_result = score(q, answers_of("gerbang", a=3, b=3, c=3, m=3, t=3))
    assert "tier3-gate" not in school_report_html(q, open_result, school_name="SD Uji", npsn="Z1300001",
                                                   jenjang="SD", date="2026-12-01", lang="id")


def test_hasil_says_the_gate_is_closed_and_which_answers_keep_it(app):
    # A gated version of the example questionnaire: no partial answer tolerated at tier 1.
    gated = (DATA / "contoh.yaml").read_text().replace('version: "1"', 'version: "2"').replace(
        "\ndomains:\n", "\ntier3_gate: {max_partial: 0}\ndomains:\n", 1)
    engine = storage.make_engine(app.url)
    with Session(engine) as session:
        storage.register_questionnaire(session, SYSTEM, gated.encode(), "contoh.yaml")
        info = storage.get_or_create_assessment(session, SYSTEM, OWN, "contoh", PERIOD)
        version = storage.save_draft(session, SYSTEM, info.id, {"q1": 2, "q2": 3, "q3": 3, "q4": 3, "q5": 3},
                                     info.version)
        storage.submit(session, SYSTEM, info.id, version)
    engine.dispose()
    sign_in(app)
    open_page(app, "hasil")
    warnings = [w.value for w in app.warning]
    assert any("“Tata kelola”" in w and "kategori 3" in w and "Ada kebijakan keamanan?" in w for w in warnings), \
        warnings
    assert "Cadangan" not in "".join(warnings)  # domain b's gate is open
    assert "Ada kebijakan keamanan?" in texts(app)

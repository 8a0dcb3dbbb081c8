"""Storage at national scale: bulk-load 100,000 synthetic schools with submitted,
scored assessments into SQLite, then time the dashboard query for one province
and for the whole country. Prints figures; asserts nothing about time.

    python benchmarks/storage_bench.py [--schools 100000] [--database sqlite:///...]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.engine import score  # noqa: E402
from storage import db, scores_in_scope  # noqa: E402
from storage.assessments import domain_rows, result_row  # noqa: E402
from storage.demo import draw_answers, make_schools, readiness  # noqa: E402
from storage.models import (  # noqa: E402
    Answer,
    Assessment,
    AssessmentResult,
    DomainScore,
    QuestionnaireVersion,  # noqa: E402
    School,
    utcnow,
)
from storage.questionnaires import register_file, stored_questionnaire  # noqa: E402
from storage.system import system_actor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 20_000


def questionnaire_file() -> Path:
    real = ROOT / "questionnaires" / "keamanan-siber-sekolah.yaml"
    return real if real.exists() else ROOT / "tests" / "data" / "contoh.yaml"


def seed(session, n_schools: int, rng: random.Random) -> tuple[str, int, int]:
    actor = system_actor("bench")
    info = register_file(session, actor, questionnaire_file())
    row = session.scalar(select(QuestionnaireVersion).where(QuestionnaireVersion.active.is_(True)))
    questionnaire = stored_questionnaire(row)
    now = utcnow()
    schools = make_schools(rng, n_schools)
    session.commit()
    session.connection(execution_options={"siaga_write": True})
    for start in range(0, len(schools), CHUNK):
        session.execute(School.__table__.insert(), [{**s, "updated_at": now} for s in schools[start : start + CHUNK]])
    ids = dict(session.execute(select(School.npsn, School.id)).all())
    assessments, answers, results, domains, answer_rows = [], [], [], [], 0

    insert_seconds = 0.0

    def flush():
        nonlocal answer_rows, insert_seconds
        start = time.perf_counter()
        for model, rows in ((Assessment, assessments), (Answer, answers), (AssessmentResult, results),
                            (DomainScore, domains)):  # fmt: skip
            if rows:
                session.execute(model.__table__.insert(), rows)  # Core: no ORM overhead
        answer_rows += len(answers)
        for rows in (assessments, answers, results, domains):
            rows.clear()
        insert_seconds += time.perf_counter() - start

    for n, school in enumerate(schools, start=1):
        drawn = draw_answers(rng, questionnaire, readiness(rng, school))
        result = score(questionnaire, drawn, jenjang=school["jenjang"])
        assessments.append({"id": n, "school_id": ids[school["npsn"]], "questionnaire_id": questionnaire.id,
                            "questionnaire_version_id": row.id, "period": "2025-1", "status": "submitted",
                            "version": 3, "created_at": now, "updated_at": now, "submitted_at": now})  # fmt: skip
        answers.extend({"assessment_id": n, "question_id": q, "value": None if e.is_na else e.value,
                        "not_applicable": e.is_na, "note": None} for q, e in drawn.answers.items())  # fmt: skip
        results.append(result_row(n, result, now))
        domains.extend(domain_rows(n, result))
        if len(answers) >= CHUNK * 5:
            flush()
    flush()
    start = time.perf_counter()
    session.commit()
    insert_seconds += time.perf_counter() - start
    return info.questionnaire_id, len(schools), answer_rows, insert_seconds


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=100_000)
    parser.add_argument("--database", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(args.database or f"sqlite:///{Path(folder) / 'bench.db'}")
        db.upgrade(engine)
        session = db.session_factory(engine)()
        start = time.perf_counter()
        questionnaire_id, n, answer_rows, inserting = seed(session, args.schools, random.Random(1))
        seconds = time.perf_counter() - start
        print(f"backend: {engine.dialect.name}; questionnaire: {questionnaire_id}")
        print(f"seeded {n:,} schools with submitted, scored assessments ({answer_rows:,} answers) "
              f"in {seconds:.1f} s: {n / seconds:,.0f} schools/s")  # fmt: skip
        print(
            f"  of which database inserts: {inserting:.1f} s ({n / inserting:,.0f} schools/s, "
            f"{answer_rows / inserting:,.0f} answer rows/s); the rest is drawing answers and scoring them"
        )
        admin = system_actor("bench")
        province, rows = timed(lambda: scores_in_scope(session, admin, questionnaire_id, "2025-1", province_code="32"))
        print(f"scores of one province (32, Jawa Barat, {len(rows):,} schools, with domain scores): "
              f"{province * 1000:.0f} ms")  # fmt: skip
        country, rows = timed(lambda: scores_in_scope(session, admin, questionnaire_id, "2025-1"))
        print(f"scores of the whole country ({len(rows):,} schools, with domain scores): {country * 1000:.0f} ms")
        overall, rows = timed(lambda: scores_in_scope(session, admin, questionnaire_id, "2025-1", with_domains=False))
        print(f"scores of the whole country, overall only: {overall * 1000:.0f} ms")
        session.close()
        engine.dispose()


if __name__ == "__main__":
    main()

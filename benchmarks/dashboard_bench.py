"""How long the views take to read their data from a national-size database.

Builds (once, then reuses) a SQLite file with 50,000 synthetic schools, 20,000 of
them in one province, with two periods of the real questionnaire answered and
scored; then times, through the real storage functions:

- the auditor's school table for the 20,000-school province;
- the national leader's dashboard data (headline, medians, rankings, bands, trend,
  weakest questions).

Prints the figures; asserts nothing (targets: table < 1 s, dashboard < 2 s).

    python benchmarks/dashboard_bench.py [--database /tmp/siaga-bench.db] [--rebuild] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from auth import Actor, Role, hash_password  # noqa: E402
from scoring.engine import score  # noqa: E402
from storage import db  # noqa: E402
from storage.assessments import domain_rows, result_row  # noqa: E402
from storage.demo import PROVINCES, STATUS_MIX, VERSIONS, _pick, draw_answers, make_schools, readiness  # noqa: E402
from storage.models import (  # noqa: E402
    Answer,
    Assessment,
    AssessmentResult,
    DomainScore,
    School,
    User,
    UserProvince,
    utcnow,  # noqa: E402
)
from storage.models import QuestionnaireVersion as Version  # noqa: E402
from storage.questionnaires import register_file, stored_questionnaire  # noqa: E402
from storage.system import system_actor  # noqa: E402

QUESTIONNAIRE = ROOT / "questionnaires" / "keamanan-siber-sekolah.yaml"
PERIODS = ("2025-1", "2025-2")
BIG_PROVINCE = "32"  # Jawa Barat
PASSWORD = "bench-password-2025"  # noqa: S105 (a throwaway benchmark database)


def build(path: Path, n_schools: int = 50_000, big: int = 20_000, seed: int = 7) -> None:
    """The benchmark database: `big` schools in BIG_PROVINCE, the rest spread over the others."""
    path.unlink(missing_ok=True)
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    rng = random.Random(seed)
    started = time.perf_counter()
    with db.session_factory(engine)() as session:
        row = register_file(session, system_actor("bench"), QUESTIONNAIRE)
        version = session.scalar(select(Version).where(Version.content_hash == row.content_hash))
        questionnaire = stored_questionnaire(version)
        # The others keep the demo's spread over the remaining 37 provinces.
        others = [s for s in make_schools(rng, (n_schools - big) * 5 // 4) if s["province_code"] != BIG_PROVINCE]
        schools = sorted(rng.sample(others, n_schools - big), key=lambda s: s["npsn"])
        for serial in range(1, big + 1):
            jenjang = rng.choices(("SD", "SMP", "SMA", "SMK", "SLB"), (0.67, 0.19, 0.064, 0.065, 0.011))[0]
            kab = f"Kabupaten Contoh {rng.randint(1, 27)}"
            schools.append({"npsn": f"Y{BIG_PROVINCE}{serial:05d}", "name": f"{jenjang} Contoh {serial} {kab}",
                            "jenjang": jenjang, "status": rng.choice(("negeri", "swasta")),
                            "province_code": BIG_PROVINCE, "kabupaten_kota": kab})
        now = utcnow()
        for school in schools:
            school["updated_at"] = now
        session.connection(execution_options={"siaga_write": True})
        session.execute(insert(School), schools)
        ids = dict(session.execute(select(School.npsn, School.id)).all())
        secret = hash_password(PASSWORD)
        for username, role, national in (("auditor-jabar", "auditor", False), ("pimpinan-nasional", "pimpinan", True)):
            session.add(User(username=username, display_name=username, password_hash=secret, role=role,
                             national=national, active=True, failed_attempts=0, created_at=now))
        session.flush()
        auditor_id = session.scalar(select(User.id).where(User.username == "auditor-jabar"))
        session.add(UserProvince(user_id=auditor_id, province_code=BIG_PROVINCE))
        next_id = 1
        for index, period in enumerate(PERIODS):
            assessments, answers, results, domains = [], [], [], []
            for school in schools:
                if rng.random() > 0.85 + 0.05 * index:
                    continue
                status = _pick(rng, STATUS_MIX[period])
                level = min(1.0, readiness(rng, school) + 0.04 * index)
                drawn = draw_answers(rng, questionnaire, level, rng.uniform(0.2, 0.9) if status == "draft" else 1.0)
                assessments.append({"id": next_id, "school_id": ids[school["npsn"]],
                                    "questionnaire_id": questionnaire.id, "questionnaire_version_id": version.id,
                                    "period": period, "status": status,
                                    "version": VERSIONS[status], "created_at": now, "updated_at": now,
                                    "submitted_at": None if status == "draft" else now})
                answers.extend({"assessment_id": next_id, "question_id": qid, "value": None if e.is_na else e.value,
                                "not_applicable": e.is_na, "note": None} for qid, e in drawn.answers.items())
                if status != "draft":
                    result = score(questionnaire, drawn, jenjang=school["jenjang"])
                    results.append(result_row(next_id, result, now))
                    domains.extend(domain_rows(next_id, result))
                next_id += 1
            for model, rows in ((Assessment, assessments), (Answer, answers), (AssessmentResult, results),
                                (DomainScore, domains)):
                for start in range(0, len(rows), 20_000):
                    session.execute(insert(model), rows[start : start + 20_000])
            print(f"  {period}: {len(assessments):,} assessments, {len(answers):,} answers", flush=True)
        session.commit()
        counts = session.scalar(select(func.count()).select_from(School))
    engine.dispose()
    print(f"Built {path}: {counts:,} schools in {time.perf_counter() - started:.0f} s", flush=True)


def actor(session, username: str) -> Actor:
    user = session.scalar(select(User).where(User.username == username))
    provinces = tuple(session.scalars(select(UserProvince.province_code).where(UserProvince.user_id == user.id)))
    return Actor(user.id, user.username, Role(user.role), user.display_name, (), provinces, user.national)


def timed(label: str, repeat: int, run) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        size = run()
        times.append(time.perf_counter() - started)
    print(f"{label}: best {min(times):.3f} s, median {statistics.median(times):.3f} s over {repeat} runs ({size})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=Path("/tmp/siaga-bench.db"))
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.rebuild or not args.database.exists():
        build(args.database)
    if args.build_only:
        return 0
    from storage.dashboards import dashboard
    from storage.school_table import SchoolFilter, school_table

    engine = db.make_engine(f"sqlite:///{args.database}")
    db.upgrade(engine)  # a database built by an older checkout gets the newer tables
    with db.session_factory(engine)() as session:
        auditor, leader = actor(session, "auditor-jabar"), actor(session, "pimpinan-nasional")
        qid, period = "keamanan-siber-sekolah", PERIODS[-1]
        timed(f"auditor table, province {BIG_PROVINCE} ({PROVINCES[BIG_PROVINCE][0]})", args.repeat,
              lambda: f"{len(school_table(session, auditor, qid, period, SchoolFilter())):,} rows")
        timed("national dashboard data", args.repeat,
              lambda: f"{dashboard(session, leader, qid, period).registered:,} schools registered")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

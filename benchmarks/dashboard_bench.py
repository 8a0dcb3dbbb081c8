"""How long the views take at national size, through the real storage functions.

Builds (once, then reuses) a database of `--schools` synthetic schools, `--big-province` of
them in Jawa Barat, with two periods of the real questionnaire answered and scored
(benchmarks/bench_world.py), and prints the median of `--repeat` runs of:

- the national dashboard data (target < 2 s);
- the auditor's table: the first page of the big province, filtered (target < 0.3 s);
- the peer medians on Hasil (target < 50 ms);
- one submission, including the aggregate update (target < 100 ms).

Asserts nothing. The database is SQLite or PostgreSQL:

    python benchmarks/dashboard_bench.py [--schools 223000] [--big-province 40000]
        [--database sqlite:////tmp/siaga-bench.db | postgresql+psycopg://...] [--rebuild] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_world import BIG_PROVINCE, PASSWORD, PERIODS, QUESTIONNAIRE, build  # noqa: E402
from sqlalchemy import event, func, inspect, select  # noqa: E402

from auth import Actor, hash_password  # noqa: E402
from storage import db  # noqa: E402
from storage.models import Assessment, School, User, UserSchool, utcnow  # noqa: E402
from storage.scopes import actor_for  # noqa: E402

QID = QUESTIONNAIRE.stem


def actor(session, username: str) -> Actor:
    """The account signed in as the app signs it in, its second step (TOTP) passed."""
    user = session.scalar(select(User).where(User.username == username))
    return actor_for(session, user, second_factor=True)


def timed(label: str, repeat: int, run, unit: str = "s") -> None:
    times = []
    for i in range(repeat):
        started = time.perf_counter()
        size = run(i)
        times.append(time.perf_counter() - started)
    scale = 1000 if unit == "ms" else 1
    print(f"{label}: median {statistics.median(times) * scale:.{0 if unit == 'ms' else 3}f} {unit} over {repeat} runs "
          f"(best {min(times) * scale:.{0 if unit == 'ms' else 3}f}; {size})", flush=True)  # fmt: skip


def operator_with_drafts(session, count: int) -> tuple[Actor, list[int]]:
    """A school operator for `count` drafts of the big province (each run submits one)."""
    drafts = list(session.scalars(
        select(Assessment.id).join(School, School.id == Assessment.school_id)
        .where(Assessment.status == "draft", Assessment.period == PERIODS[-1], School.province_code == BIG_PROVINCE)
        .order_by(Assessment.id).limit(count)))  # fmt: skip
    school_ids = list(session.scalars(select(Assessment.school_id).where(Assessment.id.in_(drafts))))
    name = f"operator-bench-{drafts[0]}"
    user = User(username=name, display_name=name, password_hash=hash_password(PASSWORD), role="sekolah",
                national=False, active=True, failed_attempts=0, created_at=utcnow())  # fmt: skip
    session.add(user)
    session.flush()
    session.add_all(UserSchool(user_id=user.id, school_id=s) for s in school_ids)
    session.commit()
    return actor(session, name), drafts


def explain(session, run) -> None:
    """The database's plan for the table's main query, as run by `run`: the index it walks."""
    seen = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "ORDER BY" in statement and "FROM schools JOIN provinces" in statement:
            seen.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    statement, parameters = seen[0]
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    raw = session.connection().connection.driver_connection.cursor()
    raw.execute(prefix + statement, parameters)
    for row in raw.fetchall():
        print("   ", row[-1])
    session.rollback()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:////tmp/siaga-bench.db", help="database URL")
    parser.add_argument("--schools", type=int, default=223_000)
    parser.add_argument("--big-province", type=int, default=40_000)
    parser.add_argument("--patterns", type=int, default=30_000, help="distinct scored answer sets in the build")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    engine = db.make_engine(args.database)
    if args.rebuild or not inspect(engine).has_table("schools"):
        build(args.database, args.schools, args.big_province, n_patterns=args.patterns)
    else:
        started = time.perf_counter()
        db.upgrade(engine)  # a database built by an older checkout: the migrations fill the aggregates
        print(f"migrations applied in {time.perf_counter() - started:.1f} s")
    if args.build_only:
        return 0
    from scoring.loader import load_questionnaire
    from storage import save_draft, submit
    from storage.aggregates import peer_medians
    from storage.dashboards import dashboard
    from storage.school_pages import school_page
    from storage.school_table import SchoolFilter

    questionnaire = load_questionnaire(QUESTIONNAIRE)
    full = {q.id: 2 for _, q in questionnaire.questions()}
    with db.session_factory(engine)() as session:
        auditor, leader = actor(session, "auditor-jabar"), actor(session, "pimpinan-nasional")
        schools = session.scalar(select(func.count()).select_from(School))
        big = session.scalar(select(func.count()).select_from(School).where(School.province_code == BIG_PROVINCE))
        print(f"{engine.dialect.name}: {schools:,} schools, {big:,} in province {BIG_PROVINCE}", flush=True)
        period = PERIODS[-1]
        timed("national dashboard data", args.repeat,
              lambda _: f"{dashboard(session, leader, QID, period).assessed:,} schools assessed")
        filters = SchoolFilter(province_code=BIG_PROVINCE, jenjang="SD", assessment_state="submitted")
        timed(f"auditor table, first page of province {BIG_PROVINCE}, SD + submitted", args.repeat,
              lambda _: f"{len(school_page(session, auditor, QID, period, filters).rows)} rows")
        explain(session, lambda: school_page(session, auditor, QID, period, filters))
        timed(f"auditor table, first page of province {BIG_PROVINCE}, lowest score first", args.repeat,
              lambda _: f"{len(school_page(session, auditor, QID, period, SchoolFilter(), sort='score').rows)} rows")
        version = questionnaire.version
        timed("peer medians for Hasil (SD)", args.repeat,
              lambda _: f"{peer_medians(session, leader, QID, version, 'SD').schools:,} schools", unit="ms")
        operator, drafts = operator_with_drafts(session, args.repeat)
        versions = [save_draft(session, operator, a, full, session.scalar(
            select(Assessment.version).where(Assessment.id == a))) for a in drafts]  # fmt: skip
        timed("one submission, with its aggregate update", args.repeat,
              lambda i: submit(session, operator, drafts[i], versions[i]).status, unit="ms")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The national-size benchmark database: schools, two periods of assessments, answers and
stored results, built fast (bulk inserts on one connection; scoring in a process pool).

Every stored result is the real engine's: a pool of distinct answer sets is drawn and scored
by `scoring.engine.score` in worker processes, and each assessment takes the answer set
drawn nearest its school's latent readiness. `--patterns` sets how many distinct answer
sets (so distinct scores) there are; drafts keep a random part of their answers.
"""

from __future__ import annotations

import pickle
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sqlalchemy import func, insert, make_url, select

from auth import hash_password
from scoring.engine import score
from scoring.loader import load_questionnaire
from storage import db
from storage.aggregates import rebuild_aggregates
from storage.assessments import result_row
from storage.demo import STATUS_MIX, VERSIONS, _pick, draw_answers, make_schools, readiness
from storage.models import Assessment, AssessmentResult, School, User, UserProvince, utcnow
from storage.models import QuestionnaireVersion as Version
from storage.questionnaires import register_file
from storage.system import system_actor

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = ROOT / "questionnaires" / "keamanan-siber-sekolah.yaml"
PERIODS = ("2025-1", "2025-2")
BIG_PROVINCE = "32"  # Jawa Barat
PASSWORD = "bench-password-2025"  # noqa: S105 (a throwaway benchmark database)
CHUNK = 20_000


def _draw_and_score(task: tuple[int, int]) -> list[tuple]:
    """Worker: `count` answer sets drawn at random readiness levels and scored by the engine."""
    seed, count = task
    questionnaire = load_questionnaire(QUESTIONNAIRE)
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        level = rng.random()
        answers = draw_answers(rng, questionnaire, level)
        result = score(questionnaire, answers)
        rows = tuple((qid, None if e.is_na else e.value, e.is_na) for qid, e in answers.answers.items())
        row = result_row(0, result, utcnow())
        domains = tuple((d.id, d.score, d.points, d.max_points, d.maturity) for d in result.domains)
        out.append((level, rows, {k: v for k, v in row.items() if k not in ("assessment_id", "scored_at")}, domains))
    return out


def patterns(n: int, seed: int, workers: int = 2) -> list[tuple]:
    """The pool, sorted by readiness level; kept in a temporary file for the next build of the same size."""
    cache = Path(tempfile.gettempdir()) / f"siaga-bench-patterns-{n}-{seed}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # noqa: S301 (our own file, written just below)
    tasks = [(seed * 1000 + i, n // (workers * 4) + (1 if i < n % (workers * 4) else 0)) for i in range(workers * 4)]
    with ProcessPoolExecutor(workers) as pool:
        found = sorted((p for chunk in pool.map(_draw_and_score, tasks) for p in chunk), key=lambda p: p[0])
    cache.write_bytes(pickle.dumps(found))
    return found


def make_all_schools(rng: random.Random, n_schools: int, big: int) -> list[dict]:
    """`big` schools in BIG_PROVINCE (27 kabupaten/kota), the rest spread like the demo's."""
    others = [s for s in make_schools(rng, (n_schools - big) * 5 // 4) if s["province_code"] != BIG_PROVINCE]
    schools = sorted(rng.sample(others, n_schools - big), key=lambda s: s["npsn"])
    for serial in range(1, big + 1):
        jenjang = rng.choices(("SD", "SMP", "SMA", "SMK", "SLB"), (0.67, 0.19, 0.064, 0.065, 0.011))[0]
        kab = f"Kabupaten Contoh {rng.randint(1, 27)}"
        schools.append({"npsn": f"Y{BIG_PROVINCE}{serial:05d}", "name": f"{jenjang} Contoh {serial} {kab}",
                        "jenjang": jenjang, "status": rng.choice(("negeri", "swasta")),
                        "province_code": BIG_PROVINCE, "kabupaten_kota": kab})  # fmt: skip
    return schools


def _bulk(connection, table: str, columns: tuple[str, ...], rows) -> None:
    """Many plain rows on the driver's fastest path: COPY on PostgreSQL, executemany on SQLite."""
    raw = connection.connection.driver_connection
    cursor = raw.cursor()
    if connection.dialect.name == "postgresql":
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def build(url: str, n_schools: int, big: int, *, seed: int = 7, n_patterns: int = 30_000,
          revision: str = "head") -> None:  # fmt: skip
    """A new benchmark database at `url` (a SQLite file is replaced; a PostgreSQL one must be empty)."""
    parsed = make_url(db.database_url(url))
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).unlink(missing_ok=True)
    engine = db.make_engine(url)
    db.upgrade(engine, revision)
    started = time.perf_counter()
    pool = patterns(n_patterns, seed)
    print(f"  {len(pool):,} answer sets scored in {time.perf_counter() - started:.0f} s", flush=True)
    rng = random.Random(seed)
    with db.session_factory(engine)() as session:
        row = register_file(session, system_actor("bench"), QUESTIONNAIRE)
        version_id = session.scalar(select(Version.id).where(Version.content_hash == row.content_hash))
        schools = make_all_schools(rng, n_schools, big)
        now = utcnow()
        for start in range(0, len(schools), CHUNK):
            session.execute(insert(School), [{**s, "updated_at": now} for s in schools[start : start + CHUNK]])
        ids = dict(session.execute(select(School.npsn, School.id)).all())
        secret = hash_password(PASSWORD)
        for username, role, national in (("auditor-jabar", "auditor", False), ("pimpinan-nasional", "pimpinan", True)):
            session.add(User(username=username, display_name=username, password_hash=secret, role=role,
                             national=national, active=True, failed_attempts=0, created_at=now))  # fmt: skip
        session.flush()
        auditor_id = session.scalar(select(User.id).where(User.username == "auditor-jabar"))
        session.add(UserProvince(user_id=auditor_id, province_code=BIG_PROVINCE))
        session.flush()
        connection = session.connection()
        next_id = 1
        for index, period in enumerate(PERIODS):
            period_started = time.perf_counter()
            assessments, answers, results, domains = [], [], [], []
            for school in schools:
                if rng.random() > 0.85 + 0.05 * index:
                    continue
                status = _pick(rng, STATUS_MIX[period])
                level = min(1.0, readiness(rng, school) + 0.04 * index)
                at = min(len(pool) - 1, max(0, int(level * len(pool)) + rng.randint(-200, 200)))
                _, rows, result, domain_scores = pool[at]
                assessments.append({"id": next_id, "school_id": ids[school["npsn"]],
                                    "questionnaire_id": QUESTIONNAIRE.stem, "questionnaire_version_id": version_id,
                                    "period": period, "status": status, "version": VERSIONS[status],
                                    "created_at": now, "updated_at": now,
                                    "submitted_at": None if status == "draft" else now})  # fmt: skip
                if status == "draft":
                    share = rng.uniform(0.2, 0.9)
                    answers.extend((next_id, *r, None) for r in rows if rng.random() < share)
                else:
                    answers.extend((next_id, *r, None) for r in rows)
                    results.append({"assessment_id": next_id, "scored_at": now, **result})
                    domains.extend((next_id, *d, None, None) for d in domain_scores)
                next_id += 1
            steps = [("drawn", time.perf_counter())]
            for start in range(0, len(assessments), CHUNK):
                session.execute(insert(Assessment), assessments[start : start + CHUNK])
            steps.append(("assessments", time.perf_counter()))
            for start in range(0, len(results), CHUNK):
                session.execute(insert(AssessmentResult), results[start : start + CHUNK])
            steps.append(("results", time.perf_counter()))
            _bulk(connection, "answers", ("assessment_id", "question_id", "value", "not_applicable", "note"), answers)
            steps.append(("answers", time.perf_counter()))
            _bulk(connection, "domain_scores", ("assessment_id", "domain_id", "score", "points", "max_points",
                                                "maturity_level", "target", "gap"), domains)  # fmt: skip
            steps.append(("domain scores", time.perf_counter()))
            starts = [period_started, *(at for _, at in steps[:-1])]
            print("   ", ", ".join(f"{name} {at - t:.0f} s" for (name, at), t in zip(steps, starts, strict=True)))
            print(f"  {period}: {len(assessments):,} assessments, {len(answers):,} answers "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
        if connection.dialect.name == "postgresql":
            session.execute(func.setval("assessments_id_seq", next_id).select())
        # The bulk inserts bypass the write hook: fill the aggregates as after a restore.
        aggregated = time.perf_counter()
        rebuild_aggregates(connection)
        print(f"  aggregates rebuilt in {time.perf_counter() - aggregated:.0f} s", flush=True)
        session.commit()
        count = session.scalar(select(func.count()).select_from(School))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.connect() as c:
            c.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"Built {url}: {count:,} schools in {time.perf_counter() - started:.0f} s", flush=True)

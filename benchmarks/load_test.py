"""Load test: N concurrent school operators through Streamlit's own websocket protocol.

    bash .ci/postgres.sh start && . /tmp/siaga-pg/env
    .venv/bin/python benchmarks/load_test.py                    # N = 10, 25, 50, 100; 1 and 2 replicas
    .venv/bin/python benchmarks/load_test.py --sessions 10 --replicas 2 --answers 3

Each simulated operator signs in, opens Penilaian, starts the assessment if needed, and answers
questions of the first domain at a human pace (a random pause between answers). An answer's
latency is the time from sending the widget change to the end of the (fragment) rerun that saves
it. Errors are runs that showed an exception or an error box, runs that did not finish, and
answers that are not in the database afterwards.

The benchmark makes its own database on the PostgreSQL server of --database (default
$TEST_DATABASE_URL) with N schools and N operator accounts, and drops it at the end. It only
talks to 127.0.0.1; every loop is bounded in count and every run in time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.orm import Session as DbSession

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import storage  # noqa: E402
from benchmarks.cpu import cpu_seconds, parent_of, tree_seconds  # noqa: E402
from benchmarks.st_client import ScriptError, Session, choice, text_state, trigger  # noqa: E402
from ops.replicas import Cluster  # noqa: E402
from storage.models import School, User, UserSchool, utcnow  # noqa: E402
from storage.questionnaires import questionnaire_files  # noqa: E402

PASSWORD = "Beban-Uji-2026-kuat!"  # noqa: S105 (accounts of a throwaway benchmark database)


def make_database(server_url: str, n_users: int) -> str:
    name = f"siaga_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    actor = storage.system_actor("load-test")
    rows = ["npsn,name,jenjang,status,province_code,kabupaten_kota"]
    rows += [f"L{i:07d},SD Beban {i},SD,negeri,13,Kota Padang" for i in range(1, n_users + 1)]
    with DbSession(engine) as session:
        for path in questionnaire_files(ROOT / "questionnaires"):
            storage.register_file(session, actor, path)
        storage.import_schools(session, actor, "\n".join(rows).encode(), "load-test.csv")
        storage.create_user(session, actor, "beban001", "Operator 1", "sekolah", PASSWORD, school_npsns=("L0000001",))
        # The others share its hash: one argon2 hash instead of N (each is slow on purpose).
        first = session.scalar(select(User).where(User.username == "beban001"))
        schools = dict(session.execute(select(School.npsn, School.id)).all())
        for i in range(2, n_users + 1):
            user = User(username=f"beban{i:03d}", display_name=f"Operator {i}", password_hash=first.password_hash,
                        role="sekolah", national=False, active=True, failed_attempts=0, created_at=utcnow())
            session.add(user)
            session.flush()
            session.add(UserSchool(user_id=user.id, school_id=schools[f"L{i:07d}"]))
        session.commit()
    engine.dispose()
    return url


def drop_database(server_url: str, url: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


async def operator(base: str, index: int, answers: int, think: tuple[float, float], start_delay: float,
                   timeout: float, via_nginx: bool, stats: dict, arrived: asyncio.Queue, go: asyncio.Event) -> None:
    await asyncio.sleep(start_delay)
    signalled = False
    rng = random.Random(index)
    cookie = f"siaga_route={secrets.token_hex(16)}" if via_nginx else None
    try:
        async with Session(base, cookie, timeout) as app:
            run = await app.rerun()
            user, password = app.find(run, "text_input", "Nama pengguna")[0], app.find(run, "text_input",
                                                                                       "Kata sandi")[0]
            submit = next(w for w in run.widgets.values() if w.kind == "button" and w.form_submit)
            run = await app.rerun([text_state(user, f"beban{index:03d}"), text_state(password, PASSWORD),
                                   trigger(submit)])
            stats["signin"].append(run.seconds)
            if "penilaian" not in app.pages or run.errors:
                raise ScriptError(f"sign-in did not open the app: {run.errors or run.texts[:3]}")
            run = await app.rerun(page_hash=app.pages["penilaian"])
            start = app.find(run, "button", "Mulai penilaian")
            if start:
                run = await app.rerun([trigger(start[0])])
            radios = [w for w in app.find(run, "radio", id_part="answer:") if not w.disabled]
            if not radios:
                raise ScriptError(f"no question to answer on Penilaian: {run.errors or run.texts[:3]}")
            arrived.put_nowait(index)
            signalled = True
            await go.wait()  # everyone has signed in: now the answers, measured apart
            for k, radio in enumerate(radios[:answers]):
                await asyncio.sleep(rng.uniform(*think))
                label = radio.options[(index + k) % len(radio.options)]
                run = await app.rerun([choice(radio, label)], fragment_id=radio.fragment_id)
                stats["answer"].append(run.seconds)
                if run.errors:
                    stats["errors"].append(f"beban{index:03d}: {run.errors[0][:200]}")
                else:
                    stats["sent"] += 1
    except (ScriptError, OSError, StopIteration, IndexError, TimeoutError) as err:
        stats["errors"].append(f"beban{index:03d}: {type(err).__name__}: {str(err)[:200]}")
    except Exception as err:  # a closed websocket and the like: counted, never fatal for the others
        stats["errors"].append(f"beban{index:03d}: {type(err).__name__}: {str(err)[:200]}")
    finally:
        if not signalled:
            arrived.put_nowait(index)


def stored_answers(url: str, n_users: int) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text(
            "SELECT count(*) FROM answers a JOIN assessments s ON s.id = a.assessment_id "
            "JOIN schools k ON k.id = s.school_id WHERE k.npsn <= :last"), {"last": f"L{n_users:07d}"}).scalar()
    engine.dispose()
    return count


def reset_drafts(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM answers"))
        conn.execute(text("DELETE FROM assessments"))
    engine.dispose()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:,.0f}"


def setup_name(replicas: int) -> str:
    return "1 replica" if replicas == 1 else f"{replicas} replicas + nginx"


def row_text(replicas: int, n: int, stats: dict, stored: int) -> str:
    return (f"{setup_name(replicas):>20} N={n:>3}: answers {len(stats['answer']):>4}, median "
            f"{ms(median(stats['answer']))} ms, p95 {ms(percentile(stats['answer'], 0.95))} ms; sign-in median "
            f"{ms(median(stats['signin']))} ms; errors {len(stats['errors'])} (stored {stored}/{stats['sent']}); "
            f"app CPU {stats['cpu_arrive'][0]:.1f} s arriving + {stats['cpu_answer'][0]:.1f} s answering, "
            f"PostgreSQL CPU {sum(stats['cpu_arrive'][1:]) + stats['cpu_answer'][1]:.1f} s; {stats['wall']:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


async def one_load(base: str, n: int, args, via_nginx: bool, cpu) -> dict:
    """One load level; `cpu()` reads (replicas' CPU s, PostgreSQL's CPU s) at the phase changes."""
    stats = {"signin": [], "answer": [], "errors": [], "sent": 0}
    ramp = min(args.ramp, 0.2 * n)
    arrived, go = asyncio.Queue(), asyncio.Event()
    tasks = [asyncio.create_task(operator(base, i, args.answers, args.think, ramp * (i - 1) / n, args.timeout,
                                          via_nginx, stats, arrived, go)) for i in range(1, n + 1)]
    started = time.monotonic()
    cpu_start = cpu_arrived = cpu()
    try:
        async with asyncio.timeout(args.deadline):
            for _ in range(n):  # bounded: one arrival (or failure) per operator
                await arrived.get()
            cpu_arrived = cpu()
            stats["arrive_wall"] = time.monotonic() - started
            go.set()
            await asyncio.gather(*tasks)
    except TimeoutError:
        stats["errors"].append(f"the run passed its {args.deadline:.0f} s deadline")
        for task in tasks:
            task.cancel()
    cpu_end = cpu()
    stats["wall"] = time.monotonic() - started
    stats["cpu_arrive"] = [b - a for a, b in zip(cpu_start, cpu_arrived, strict=True)]
    stats["cpu_answer"] = [b - a for a, b in zip(cpu_arrived, cpu_end, strict=True)]
    return stats


def _set_event() -> asyncio.Event:
    event = asyncio.Event()
    event.set()
    return event


def postmaster_pid(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        backend = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        pid = parent_of(backend)
    engine.dispose()
    return pid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("TEST_DATABASE_URL"),
                        help="a PostgreSQL URL; the benchmark creates and drops its own database on that server")
    parser.add_argument("--sessions", default="10,25,50,100", help="comma-separated N (default 10,25,50,100)")
    parser.add_argument("--replicas", default="1,2", help="1 = one replica directly; 2+ = behind nginx")
    parser.add_argument("--answers", type=int, default=5, help="answers per operator (default 5)")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 5.0), metavar=("MIN", "MAX"),
                        help="seconds between answers (default 2 5)")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which operators arrive")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one rerun may take")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds one load level may take")
    args = parser.parse_args()
    if not args.database or not args.database.startswith("postgresql"):
        parser.error("--database (or TEST_DATABASE_URL) must be a PostgreSQL URL: bash .ci/postgres.sh start")
    levels = [int(x) for x in args.sessions.split(",")]
    setups = [int(x) for x in args.replicas.split(",")]
    if max(levels) > 500 or args.answers > 50:
        parser.error("at most 500 sessions and 50 answers each: this is a local benchmark")

    print(f"load test: {os.cpu_count()} cores; operators answer {args.answers} questions, "
          f"{args.think[0]:g}–{args.think[1]:g} s apart", flush=True)
    url = make_database(args.database, max(levels))
    postmaster = postmaster_pid(url)
    rows = []
    try:
        for replicas in setups:
            with Cluster(url, replicas, keep_logs=False) as cluster:
                base = cluster.replica_url(0) if replicas == 1 else cluster.url
                pids = [p.pid for p in cluster.processes[:replicas]]

                def cpu(pids=pids):
                    return (sum(cpu_seconds(pid) for pid in pids), tree_seconds(postmaster))

                for i in range(replicas):  # warm up: imports and first page runs are not the load
                    warm = {"signin": [], "answer": [], "errors": [], "sent": 0}
                    asyncio.run(operator(cluster.replica_url(i), 1, 1, (0, 0), 0, args.timeout, False, warm,
                                         asyncio.Queue(), _set_event()))
                for n in levels:
                    reset_drafts(url)
                    stats = asyncio.run(one_load(base, n, args, replicas > 1, cpu))
                    stored = stored_answers(url, n)
                    stats["errors"] += [f"{stats['sent'] - stored} acknowledged answers not stored"] * (
                        stored < stats["sent"])
                    rows.append((replicas, n, stats))
                    print(row_text(replicas, n, stats, stored), flush=True)
                    for line in stats["errors"][:5]:
                        print(f"    {line}")
    finally:
        drop_database(args.database, url)

    print("\n| setup | N | answers | median ms | p95 ms | sign-in median ms | errors "
          "| app CPU ms per sign-in+open / per answer | PostgreSQL CPU ms per answer |")
    print("|---|---|---|---|---|---|---|---|---|")
    for replicas, n, stats in rows:
        answers, signins = max(1, len(stats["answer"])), max(1, len(stats["signin"]))
        print(f"| {setup_name(replicas)} | {n} | {len(stats['answer'])} | {ms(median(stats['answer']))} "
              f"| {ms(percentile(stats['answer'], 0.95))} | {ms(median(stats['signin']))} | {len(stats['errors'])} "
              f"| {ms(stats['cpu_arrive'][0] / signins)} / {ms(stats['cpu_answer'][0] / answers)} "
              f"| {ms(stats['cpu_answer'][1] / answers)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

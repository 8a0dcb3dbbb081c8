"""Anonymous sign-ins against one operator's saves, on a real SQLite file.

One operator saves N answers one by one (as Penilaian does: one save per change),
first alone, then while 3 threads keep trying unknown usernames: from one address
(which the throttle soon refuses before any password check) and from a new address
each time (so every attempt costs a full argon2 check and a failure write).
Prints the save times; asserts nothing about time.

    python benchmarks/signin_flood.py [--saves 40] [--threads 3]
"""

from __future__ import annotations

import argparse
import itertools
import secrets
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import storage  # noqa: E402
from auth import Role, SignInFailed, SignInThrottled  # noqa: E402
from storage import db  # noqa: E402
from storage.models import School  # noqa: E402
from storage.system import system_actor  # noqa: E402

CONTOH = ROOT / "tests" / "data" / "contoh.yaml"
QUESTIONS = ("q1", "q2", "q4", "q5")  # q3 may be "na"; these take 0-3
PASSWORD = "kata-sandi-uji-coba"


@dataclass(frozen=True)
class Figures:
    saves: list[float]  # seconds per save
    failed_saves: list[BaseException]
    sign_ins: int  # attempts made by the flood
    throttled: int  # of which refused before any password check

    def p95(self) -> float:
        return statistics.quantiles(self.saves, n=20)[-1] if len(self.saves) > 1 else self.saves[0]

    def line(self, label: str) -> str:
        return (f"{label:<34} saves {len(self.saves):>3}  failed {len(self.failed_saves)}  "
                f"p50 {1000 * statistics.median(self.saves):7.1f} ms  p95 {1000 * self.p95():7.1f} ms  "
                f"max {1000 * max(self.saves):7.1f} ms  "
                f"sign-ins {self.sign_ins:>4} (throttled {self.throttled})")  # fmt: skip


def prepare(folder: Path):
    """A migrated SQLite file with the example questionnaire, one school, its operator and a draft."""
    engine = db.make_engine(f"sqlite:///{folder / 'flood.db'}")
    db.upgrade(engine)
    system = system_actor("benchmark")
    with db.session_factory(engine)() as session:
        storage.register_file(session, system, CONTOH)
        session.add(School(npsn="Z1300001", name="SMK Contoh 1 Kota Padang", jenjang="SMK", status="negeri",
                           province_code="13", kabupaten_kota="Kota Padang"))  # fmt: skip
        session.commit()
        storage.create_user(session, system, "operator.flood", "Operator", Role.SEKOLAH, PASSWORD,
                            school_npsns=("Z1300001",))  # fmt: skip
        operator = storage.authenticate(session, "operator.flood", PASSWORD)
        draft = storage.get_or_create_assessment(session, operator, "Z1300001", "contoh", "2025-1")
    return engine, operator, draft.id


def run(engine, operator, assessment_id: int, saves: int, threads: int = 0, rotate: bool = True) -> Figures:
    """`saves` saves by the operator while `threads` threads try unknown usernames
    (`rotate`: from a new address each attempt, else all from one address)."""
    factory = db.session_factory(engine)
    stop = threading.Event()
    counts = {"attempts": 0, "throttled": 0}
    addresses = itertools.count(1)
    lock = threading.Lock()

    def flood() -> None:
        with factory() as session:
            while not stop.is_set():
                with lock:
                    n = next(addresses)
                remote = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" if rotate else "203.0.113.9"
                try:
                    storage.authenticate(session, f"tamu-{secrets.token_hex(4)}", "bukan-kata-sandi", remote)
                except SignInFailed as failed:
                    with lock:
                        counts["attempts"] += 1
                        counts["throttled"] += isinstance(failed, SignInThrottled)

    workers = [threading.Thread(target=flood, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 60
    while threads and counts["attempts"] < threads and time.monotonic() < deadline:
        time.sleep(0.05)  # the flood is under way: its first attempts have gone through
    times, failures = [], []
    with factory() as session:
        version = storage.get_assessment(session, operator, assessment_id).version
        for i in range(saves):
            started = time.perf_counter()
            try:
                version = storage.save_draft(session, operator, assessment_id,
                                             {QUESTIONS[i % len(QUESTIONS)]: i % 4}, version)  # fmt: skip
            except Exception as err:  # counted: a failed save is the finding
                failures.append(err)
                version = storage.get_assessment(session, operator, assessment_id).version
            times.append(time.perf_counter() - started)
    stop.set()
    for worker in workers:
        worker.join()
    return Figures(times, failures, counts["attempts"], counts["throttled"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--threads", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine, operator, assessment_id = prepare(Path(folder))
        alone = run(engine, operator, assessment_id, args.saves)
        one_address = run(engine, operator, assessment_id, args.saves, args.threads, rotate=False)
        rotating = run(engine, operator, assessment_id, args.saves, args.threads, rotate=True)
        engine.dispose()
    print(alone.line("no flood"))
    print(one_address.line(f"{args.threads} threads, one address"))
    print(rotating.line(f"{args.threads} threads, a new address each"))
    worst = max(one_address.p95(), rotating.p95())
    print(f"p95 with the flood / without: {worst / alone.p95():.2f}x")
    return 1 if alone.failed_saves or one_address.failed_saves or rotating.failed_saves else 0


if __name__ == "__main__":
    sys.exit(main())

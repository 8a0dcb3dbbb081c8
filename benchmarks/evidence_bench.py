"""Evidence and "similar schools improved" at national size: the time to check, re-encode and
store a 2 MiB photo, and to read Hasil's "Sekolah serupa paling sering memperbaiki ini lebih
dulu" at 223,000 schools (target < 100 ms).

    .venv/bin/python -m benchmarks.evidence_bench [--database URL] [--schools N] [--rebuild]

The world comes from benchmarks/bench_world.py (two periods of real engine results); its
improvement counts are filled once by the set-based rebuild, whose time is printed too.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time

from PIL import Image
from sqlalchemy import func, inspect, select

from auth import hash_password
from storage import db
from storage.aggregates.improvements import AggregateImprovement, rebuild_improvements
from storage.aggregates.similar import similar_schools_improved
from storage.evidence import EvidenceRow, attach_evidence
from storage.evidence_files import MAX_FILE_BYTES
from storage.models import Assessment, School, User, UserSchool, utcnow

from .bench_world import BIG_PROVINCE, PASSWORD, PERIODS, build
from .dashboard_bench import actor, timed


def photo_near(limit: int, seed: int) -> bytes:
    """A real JPEG (noise, so it does not compress) just under `limit` bytes."""
    rng = random.Random(seed)
    side, last = 900, b""
    while True:
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90)
        if out.tell() > limit:
            return last
        last, side = out.getvalue(), side + 40


def operator_for_a_fresh_draft(session):
    """An operator of a draft of the big province with no evidence yet (each run takes a new one)."""
    used = select(EvidenceRow.assessment_id)
    draft, school_id = session.execute(
        select(Assessment.id, Assessment.school_id).join(School, School.id == Assessment.school_id)
        .where(Assessment.status == "draft", Assessment.period == PERIODS[-1], School.province_code == BIG_PROVINCE,
               Assessment.id.not_in(used))
        .order_by(Assessment.id).limit(1)).one()  # fmt: skip
    name = f"operator-evidence-{draft}"
    user = User(username=name, display_name=name, password_hash=hash_password(PASSWORD), role="sekolah",
                national=False, active=True, failed_attempts=0, created_at=utcnow())  # fmt: skip
    session.add(user)
    session.flush()
    session.add(UserSchool(user_id=user.id, school_id=school_id))
    session.commit()
    return actor(session, name), draft


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:////tmp/siaga-bench-evidence.db", help="database URL")
    parser.add_argument("--schools", type=int, default=223_000)
    parser.add_argument("--big-province", type=int, default=40_000)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    engine = db.make_engine(args.database)
    if args.rebuild or not inspect(engine).has_table("schools"):
        build(args.database, args.schools, args.big_province)
    db.upgrade(engine)
    with engine.begin() as connection:
        if not connection.scalar(select(func.count()).select_from(AggregateImprovement)):
            started = time.perf_counter()
            rebuild_improvements(connection)
            print(f"improvement counts rebuilt from every answer in {time.perf_counter() - started:.1f} s")
    with db.session_factory(engine)() as session:
        schools = session.scalar(select(func.count()).select_from(School))
        rows = session.scalar(select(func.count()).select_from(AggregateImprovement))
        print(f"{engine.dialect.name}: {schools:,} schools; {rows:,} improvement count rows", flush=True)
        auditor = actor(session, "auditor-jabar")
        scored = list(session.scalars(
            select(Assessment.id).join(School, School.id == Assessment.school_id)
            .where(Assessment.period == PERIODS[-1], Assessment.status == "submitted",
                   School.province_code == BIG_PROVINCE, School.jenjang == "SD")
            .order_by(Assessment.id).limit(args.repeat)))  # fmt: skip

        def lookup(i: int) -> str:
            national, province = similar_schools_improved(session, auditor, scored[i])
            return f"{len(national.questions)} national, {len(province.questions)} provincial questions"

        timed('"similar schools improved" on Hasil (SD, province 32)', args.repeat, lookup, unit="ms")
        operator, draft = operator_for_a_fresh_draft(session)
        questions = list(session.scalars(select(func.distinct(AggregateImprovement.question_id))
                                         .order_by(AggregateImprovement.question_id).limit(args.repeat)))  # fmt: skip
        photos = [photo_near(MAX_FILE_BYTES, seed) for seed in range(args.repeat)]
        print(f"photos of {min(map(len, photos)) / 1024 / 1024:.2f}–{max(map(len, photos)) / 1024 / 1024:.2f} MiB")

        def upload(i: int) -> str:
            stored = attach_evidence(session, operator, draft, questions[i], f"foto{i}.jpg", photos[i])
            return f"{stored.size:,} bytes stored"

        timed("upload a 2 MiB photo: check, re-encode without EXIF, store", args.repeat, upload, unit="ms")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

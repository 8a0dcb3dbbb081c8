"""How fast `python -m scoring score --format jsonl` scores a batch of answers files.

Writes N random answers files for a questionnaire into a temporary folder, runs
the real command line once over all of them, and prints files per second.

    python benchmarks/scoring_bench.py [--files 10000] [--questionnaire PATH]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.loader import load_questionnaire  # noqa: E402

DEFAULT = ROOT / "questionnaires" / "keamanan-siber-sekolah.yaml"


def write_answers(folder: Path, questionnaire, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        readiness = rng.random()
        lines = [f"questionnaire: {questionnaire.id}", f'version: "{questionnaire.version}"',
                 f'school: {{npsn: "Z{i:07d}", jenjang: {rng.choice(["SD", "SMP", "SMA", "SMK", "SLB"])}}}',
                 "answers:"]
        for _, q in questionnaire.questions():
            values = sorted(questionnaire.scale_values(q))
            if q.allow_na and rng.random() < 0.1:
                lines.append(f"  {q.id}: na")
            elif rng.random() < 0.95:
                pick = min(len(values) - 1, int(rng.betavariate(1 + 4 * readiness, 2) * len(values)))
                lines.append(f"  {q.id}: {values[pick]}")
        path = folder / f"jawaban-{i:05d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--questionnaire", type=Path, default=DEFAULT if DEFAULT.exists() else
                        ROOT / "tests" / "data" / "contoh.yaml")
    args = parser.parse_args()
    questionnaire = load_questionnaire(args.questionnaire)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        paths = write_answers(folder, questionnaire, args.files)
        written = time.perf_counter() - started
        command = [sys.executable, "-m", "scoring", "score", "-q", str(args.questionnaire), "--format", "jsonl",
                   *map(str, paths)]
        started = time.perf_counter()
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
    lines = proc.stdout.count("\n")
    print(f"questionnaire      {questionnaire.id} ({len(questionnaire.questions())} questions)")
    print(f"answers files      {args.files} (written in {written:.1f} s)")
    print(f"exit code          {proc.returncode}, {lines} JSON lines")
    print(f"wall time          {elapsed:.2f} s (one process, start-up included)")
    print(f"throughput         {args.files / elapsed:,.0f} files/s")
    if proc.returncode != 0:
        print(proc.stderr[:2000], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

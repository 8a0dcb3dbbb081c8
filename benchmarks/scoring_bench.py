"""How fast `python -m scoring score --format jsonl` scores a batch of answers files,
against the floor of only parsing the same files.

Writes N random answers files for a questionnaire into a temporary folder, then, in
the same run and alternately, times two processes over all of them:
- the real command line, `python -m scoring score --format jsonl`;
- the parse floor: a process that only reads each file and parses it with libyaml's
  `CSafeLoader`.
It prints the median of each and their ratio (the target is at most 1.25).

    python benchmarks/scoring_bench.py [--files 4000] [--repeat 3] [--questionnaire PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.loader import load_questionnaire  # noqa: E402

DEFAULT = ROOT / "questionnaires" / "keamanan-siber-sekolah.yaml"

# The floor gets the same file list on its command line as the scoring process.
PARSE_FLOOR = """
import sys, yaml
for name in sys.argv[1:]:
    with open(name, "rb") as handle:
        yaml.load(handle.read().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
"""


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


def timed(command: list[str], output: Path) -> tuple[float, subprocess.CompletedProcess]:
    """Wall time of one process; its output goes to a file, so this process does no work meanwhile."""
    with output.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.PIPE, check=False)
        return time.perf_counter() - started, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each process; medians are printed")
    parser.add_argument("--questionnaire", type=Path, default=DEFAULT if DEFAULT.exists() else
                        ROOT / "tests" / "data" / "contoh.yaml")
    args = parser.parse_args()
    questionnaire = load_questionnaire(args.questionnaire)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = [str(p) for p in write_answers(folder, questionnaire, args.files)]
        written = time.perf_counter() - started
        score_cmd = [sys.executable, "-m", "scoring", "score", "-q", str(args.questionnaire), "--format", "jsonl",
                     *files]
        floor_cmd = [sys.executable, "-c", PARSE_FLOOR, *files]
        scoring, floor = [], []
        output = folder / "out.jsonl"
        for _ in range(args.repeat):  # alternate, so both see the same load on the machine
            elapsed, proc = timed(floor_cmd, output)
            if proc.returncode != 0:
                sys.exit(f"parse floor failed: {proc.stderr[:2000]!r}")
            floor.append(elapsed)
            elapsed, proc = timed(score_cmd, output)
            if proc.returncode != 0 or output.read_bytes().count(b"\n") != args.files:
                sys.exit(f"scoring failed (exit {proc.returncode}): {proc.stderr[:2000]!r}")
            scoring.append(elapsed)
    score_s, floor_s = statistics.median(scoring), statistics.median(floor)
    print(f"questionnaire      {questionnaire.id} ({len(questionnaire.questions())} questions)")
    print(f"answers files      {args.files} (written in {written:.1f} s)")
    print(f"runs               {args.repeat} of each, alternating; medians (start-up included)")
    print(f"scoring            {score_s:.2f} s, {args.files / score_s:,.0f} files/s "
          f"(runs: {', '.join(f'{t:.2f}' for t in scoring)})")
    print(f"parse floor        {floor_s:.2f} s, {args.files / floor_s:,.0f} files/s "
          f"(runs: {', '.join(f'{t:.2f}' for t in floor)})")
    print(f"ratio to floor     {score_s / floor_s:.2f}x (target <= 1.25x)")


if __name__ == "__main__":
    main()

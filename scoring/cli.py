"""`python -m scoring`: validate content, score answers files, write JSON Schemas.

Exit codes: 0 all valid, 1 some input invalid (`file:line: message` on stderr),
2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic_core import to_json

from . import schema
from .batch import score_file
from .engine import MATURITY_NAMES, Result
from .loader import (
    LoadError,
    Problem,
    baseline_of,
    glossary_of,
    kind_of,
    load_baseline,
    load_questionnaire,
    parse_document,
    questionnaire_of,
    read_bytes,
)
from .messages import LANGS, msg
from .models import JENJANG, Questionnaire
from .safeyaml import Document

QUESTIONNAIRES_DIR = Path(__file__).resolve().parent.parent / "questionnaires"


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scoring", description="Siaga Siber scoring engine.")
    parser.add_argument("--lang", choices=LANGS, default="en",
                        help="language of the problem messages: en (default) or id (Bahasa Indonesia)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check questionnaire, baseline and glossary files",
        description="Check files or folders (searched for *.yaml). Each file is detected as a questionnaire "
        "(domains), a baseline (targets) or a glossary (terms). Baselines are checked against their "
        "questionnaire among the given files and questionnaires/.")
    validate.add_argument("paths", nargs="+", metavar="PATH", type=Path)

    score_cmd = commands.add_parser(
        "score", help="score answers files",
        description="Score one or more answers files (YAML or JSON) against a questionnaire.")
    score_cmd.add_argument("-q", "--questionnaire", required=True, type=Path, help="questionnaire YAML file")
    score_cmd.add_argument("-b", "--baseline", type=Path, help="baseline YAML file (targets and gaps)")
    score_cmd.add_argument("--jenjang", choices=JENJANG, help="school level for the baseline targets "
                           "(default: the answers file's school.jenjang)")
    score_cmd.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                           help="text table (default), one JSON object, or one JSON object per line per file")
    score_cmd.add_argument("answers", nargs="+", metavar="ANSWERS", type=Path)

    schema_cmd = commands.add_parser(
        "schema", help="write the JSON Schemas of the file formats",
        description="Write questionnaire, baseline and answers JSON Schemas for editor autocompletion.")
    schema_cmd.add_argument("--out", type=Path, default=QUESTIONNAIRES_DIR / "schema",
                            help="output folder (default: questionnaires/schema)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return cmd_validate(args.paths, args.lang)
        if args.command == "score":
            return cmd_score(args)
        for path in schema.write(args.out):
            print(path)
        return 0
    except UsageError as err:
        print(f"python -m scoring: error: {err}", file=sys.stderr)
        return 2


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.yaml")))
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    return files


def cmd_validate(paths: list[Path], lang: str = "en") -> int:
    problems: list[Problem] = []
    more = 0  # problems beyond each file's cap
    questionnaires: dict[str, Questionnaire] = {}
    baselines: list[tuple[Path, Document]] = []
    for path in _expand(paths):
        try:
            document = parse_document(read_bytes(path), str(path))
            kind = kind_of(document)
            if kind == "questionnaire":
                q = questionnaire_of(document, str(path), expected_id=path.stem)
                questionnaires[q.id] = q
                print(f"ok  {path}: questionnaire {q.id} v{q.version}, "
                      f"{len(q.domains)} domains, {len(q.questions())} questions")
            elif kind == "baseline":
                baselines.append((path, document))
            elif kind == "glossary":
                glossary = glossary_of(document, str(path))
                print(f"ok  {path}: glossary, {len(glossary.terms)} terms")
            else:
                problems.append(Problem(str(path), 1, "", msg("cli.unknown_kind")))
        except LoadError as err:
            problems.extend(err.problems)
            more += err.more
    for path, document in baselines:
        try:
            wanted = baseline_of(document, str(path)).questionnaire
            questionnaire = questionnaires.get(wanted) or _bundled(wanted)
            if questionnaire is None:
                problems.append(Problem(str(path), None, "questionnaire", msg("cli.no_questionnaire", id=wanted)))
                continue
            baseline_of(document, str(path), questionnaire)
            print(f"ok  {path}: baseline for {wanted}")
        except LoadError as err:
            problems.extend(err.problems)
            more += err.more
    for problem in problems:
        print(problem.render(lang), file=sys.stderr)
    if more:
        print(msg("problems.more", count=more, shown=len(problems)).render(lang), file=sys.stderr)
    return 1 if problems else 0


def _bundled(questionnaire_id: str) -> Questionnaire | None:
    path = QUESTIONNAIRES_DIR / f"{questionnaire_id}.yaml"
    try:
        return load_questionnaire(path) if path.is_file() else None
    except LoadError:
        return None


def cmd_score(args) -> int:
    if args.format == "json" and len(args.answers) != 1:
        raise UsageError("--format json takes exactly one answers file; use --format jsonl for several")
    try:
        questionnaire = load_questionnaire(args.questionnaire)
        baseline = load_baseline(args.baseline, questionnaire) if args.baseline else None
    except LoadError as err:
        print(err.render(args.lang), file=sys.stderr)
        return 1
    failed = False
    out = sys.stdout
    lines = _byte_lines(out) if args.format == "jsonl" else None
    for path in args.answers:
        try:
            data = score_file(path, questionnaire, baseline, args.jenjang)
        except LoadError as err:
            failed = True
            print(err.render(args.lang), file=sys.stderr)
            if lines is not None:  # keep one line per file, in order
                errors = [p.render(args.lang) for p in err.problems]
                lines(to_json({"file": str(path), "errors": errors, "more_errors": err.more}))
            continue
        if lines is not None:
            # pydantic's serializer: the same JSON values as json.dumps, in a quarter of the time.
            lines(to_json({"file": str(path), **data}))
        elif args.format == "text":
            out.write(render_text(questionnaire, Result.model_validate(data), path))
        else:
            out.write(Result.model_validate(data).model_dump_json(indent=2) + "\n")
    return 1 if failed else 0


def _byte_lines(out):
    """A writer of one JSON line from UTF-8 bytes: to the binary stream when there is one (no re-encoding)."""
    out.flush()
    binary = getattr(out, "buffer", None)
    if binary is None:
        return lambda line: out.write(line.decode() + "\n")
    return lambda line: binary.write(line + b"\n")


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:6.1f}"


def _level(level: int | None) -> str:
    return "—" if level is None else MATURITY_NAMES[level][0]


def render_text(questionnaire: Questionnaire, result: Result, path: Path) -> str:
    titles = {d.id: d.title.id for d in questionnaire.domains}
    o = result.overall
    band = next((b.label.id for b in questionnaire.bands if b.id == o.band), "—")
    lines = [
        f"{path}: {questionnaire.title.id} (v{result.version}), jenjang {result.jenjang or '—'}",
        f"{'domain':<40} {'skor':>6} {'target':>6} {'gap':>6}  {'poin':>7}  level",
    ]
    for d in result.domains:
        name = f"{d.id} {titles[d.id]}"[:40]
        lines.append(f"{name:<40} {_num(d.score)} {_num(d.target)} {_num(d.gap)}  "
                     f"{d.points:>3}/{d.max_points:<3}  {_level(d.maturity)}")
    lines.append(f"{'TOTAL':<40} {_num(o.score)} {_num(o.target)} {_num(o.gap)}  "
                 f"{o.points:>3}/{o.max_points:<3}  {_level(o.maturity)}")
    lines.append(f"kesiapan: {band} · kelengkapan: {result.completeness:.0%}")
    closed = [d.id for d in result.domains if d.tier3_gate == "closed"]
    if closed:  # Indeks KAMI 5.0: these domains' tier-3 points do not count yet
        lines.append("gerbang kategori 3 tertutup (poin kategori 3 belum dihitung): " + ", ".join(closed))
    if result.actions:
        lines.append("prioritas tindakan:")
        for i, a in enumerate(result.actions[:10], 1):
            value = "belum dijawab" if a.value is None else f"nilai {a.value}"
            flag = " [KRITIS]" if a.critical else ""
            lines.append(f"  {i:>2}. {a.question} ({a.domain}, {value}) +{a.gain:.1f}{flag}")
    return "\n".join(lines) + "\n\n"

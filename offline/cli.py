"""`python -m offline`: build an offline form, or read filled ones back into answers files.

Exit codes: 0 everything read, 1 problems in an input (`file:cell` or `file:question` on
stderr), 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from scoring.answers_file import answers_yaml
from scoring.loader import LoadError, load_questionnaire
from scoring.models import JENJANG, Questionnaire, School

from .html_form import build_html_form
from .paper import build_paper_form
from .reader import QUESTIONNAIRES_DIR, bundled, read_form
from .workbook import build_workbook

MAX_INPUT = 64 * 1024 * 1024  # read no further; the readers refuse far smaller files with a reason


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m offline", description="Siaga Siber offline answer forms.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="build an offline form", description="Build an Excel workbook, a "
                                "single-file HTML form or a printable paper form from a questionnaire.")
    build.add_argument("-q", "--questionnaire", required=True, help="questionnaire YAML file, or the id of one "
                       "in questionnaires/")
    build.add_argument("--format", required=True, choices=("xlsx", "html", "paper"))
    build.add_argument("-o", "--out", required=True, type=Path, metavar="FILE")
    build.add_argument("--lang", choices=("id", "en"), default="id")
    build.add_argument("--npsn", help="the school's NPSN: a form built for a school carries its fields")
    build.add_argument("--school-name")
    build.add_argument("--jenjang", choices=JENJANG)
    build.add_argument("--province")
    read = commands.add_parser("read", help="read filled forms into answers files", description="Read filled "
                               "workbooks (.xlsx) and saved HTML-form files (.json) and write the answers file "
                               "`python -m scoring score` reads: to stdout for one file, or into --out DIR.")
    read.add_argument("files", nargs="+", metavar="FILE", type=Path)
    read.add_argument("-q", "--questionnaire", help="questionnaire YAML file (default: the one the form names, "
                      "from questionnaires/)")
    read.add_argument("--out", type=Path, metavar="DIR")
    read.add_argument("--lang", choices=("id", "en"), default="en",
                      help="language of the problem messages: en (default) or id (Bahasa Indonesia)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return cmd_build(args) if args.command == "build" else cmd_read(args)
    except UsageError as err:
        print(f"python -m offline: error: {err}", file=sys.stderr)
        return 2


def _questionnaire(name: str | None) -> Questionnaire | None:
    if name is None:
        return None
    path = Path(name)
    if not path.exists() and (QUESTIONNAIRES_DIR / f"{name}.yaml").is_file():
        path = QUESTIONNAIRES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise UsageError(f"no such questionnaire file or id: {name}")
    return load_questionnaire(path)


def _school(args) -> School | None:
    fields = {"npsn": args.npsn, "name": args.school_name, "jenjang": args.jenjang, "province": args.province}
    if not any(fields.values()):
        return None
    if not args.npsn:
        raise UsageError("--school-name, --jenjang and --province need --npsn")
    try:
        return School(**{k: v for k, v in fields.items() if v})
    except ValidationError as err:
        raise UsageError("invalid school fields: " + "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())) from None


def cmd_build(args) -> int:
    school = _school(args)
    try:
        questionnaire = _questionnaire(args.questionnaire)
    except LoadError as err:
        print(err, file=sys.stderr)
        return 1
    if args.format == "xlsx":
        data = build_workbook(questionnaire, args.lang, school)
    else:
        builder = build_html_form if args.format == "html" else build_paper_form
        data = builder(questionnaire, args.lang, school).encode("utf-8")
    try:
        args.out.write_bytes(data)
    except OSError as err:
        raise UsageError(f"cannot write {args.out}: {err.strerror}") from None
    print(f"{args.out}: {len(data):,} bytes", file=sys.stderr)
    return 0


def cmd_read(args) -> int:
    if len(args.files) > 1 and args.out is None:
        raise UsageError("several files need --out DIR")
    if args.out is not None and not args.out.is_dir():
        raise UsageError(f"--out must be an existing folder: {args.out}")
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise UsageError("no such file: " + ", ".join(missing))
    try:
        questionnaire = _questionnaire(args.questionnaire)
    except LoadError as err:
        print(err.render(args.lang), file=sys.stderr)
        return 1
    failed = False
    for path in args.files:
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT)
            answers = read_form(data, str(path), questionnaire, bundled)
            text = answers_yaml(questionnaire or bundled(answers.questionnaire, answers.version or ""), answers)
        except LoadError as err:
            failed = True
            print(err.render(args.lang), file=sys.stderr)
            continue
        except OSError as err:
            failed = True
            print(f"{path}: cannot read the file ({err.strerror})", file=sys.stderr)
            continue
        if args.out is None:
            sys.stdout.write(text)
        else:
            target = args.out / f"{path.stem}.yaml"
            target.write_text(text, encoding="utf-8")
            print(f"{path} -> {target}", file=sys.stderr)
    return 1 if failed else 0

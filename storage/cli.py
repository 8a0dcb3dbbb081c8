"""`python -m storage`: migrations, accounts, school import, demo data, aggregates, backups."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from auth import ROLES, PasswordRejected
from scoring.loader import LoadError

from . import db
from .aggregates import rebuild_aggregates
from .backup import backup, restore
from .baselines import baseline_files, register_baseline
from .demo import QUESTIONNAIRES, seed_demo
from .errors import StorageError
from .oidc_bulk import link_emails_csv
from .questionnaires import questionnaire_files, register_file
from .schools import import_schools
from .second_factor import reset_second_factor
from .system import system_actor
from .users import create_user

DESCRIPTION = """Manage the Siaga Siber database. The database is --database, else $DATABASE_URL,
else the SQLite file data/siaga.db. PostgreSQL: postgresql+psycopg://USER:PASSWORD@HOST/DB."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m storage", description=DESCRIPTION)
    parser.add_argument("--database", metavar="URL", help="database URL (default: $DATABASE_URL or data/siaga.db)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("upgrade", help="apply the database migrations (safe to run again)")
    down = commands.add_parser("downgrade", help="revert the migrations to REVISION ('base' removes every table)")
    down.add_argument("revision", help="the revision to go back to, e.g. base")

    user = commands.add_parser(
        "create-user",
        help="add an account; asks for the password (or reads one line from stdin when it is not a terminal)",
    )
    user.add_argument("username", help="3-60 characters: a-z, 0-9, '.', '_' or '-'")
    user.add_argument("--role", required=True, choices=ROLES, help="sekolah, auditor, pimpinan or admin")
    user.add_argument("--name", dest="display_name", default="", help="the name shown in the app")
    user.add_argument("--school", action="append", default=[], metavar="NPSN", help="a sekolah user's school (repeat)")
    user.add_argument(
        "--province", action="append", default=[], metavar="CODE", help="BPS code of an auditor's or leader's province"
    )
    user.add_argument("--national", action="store_true", help="a pimpinan who reads the whole country")
    user.add_argument("--kabupaten", action="extend", nargs="+", default=[], metavar="CODE",
                      help="4-digit BPS code of an auditor's or leader's kabupaten/kota (e.g. 1371)")  # fmt: skip
    user.add_argument("--jenjang", action="extend", nargs="+", default=[], metavar="J",
                      help="limit an auditor's or leader's scope to these jenjang (SD SMP SMA SMK SLB)")  # fmt: skip
    user.add_argument("--email", default=None, metavar="ADDRESS",
                      help="the belajar.id address that signs this account in (see SIAGA_OIDC_DOMAINS)")
    emails = commands.add_parser(
        "link-emails",
        help="link belajar.id addresses in bulk by CSV (email,role and npsn, province or kabupaten), all or nothing",
    )
    emails.add_argument("file", type=Path, metavar="FILE.csv")
    reset2 = commands.add_parser("reset-2fa", help="remove an account's authenticator app; it enrols again at sign-in")
    reset2.add_argument("username")

    schools = commands.add_parser(
        "import-schools",
        help="add or update schools from a CSV file; every row is checked and nothing is stored unless all are valid",
    )
    schools.add_argument("file", type=Path, metavar="FILE.csv",
                         help="UTF-8 CSV, columns npsn,name,jenjang,status,province_code,kabupaten_kota"
                              " and optionally kabupaten_code")  # fmt: skip

    register = commands.add_parser(
        "register-questionnaires",
        help="store questionnaire files as versions and make them active; with no files, the shipped "
        "questionnaires and their national baselines"
    )
    register.add_argument("files", nargs="*", type=Path, metavar="FILE.yaml",
                          help=f"questionnaire files (default: every *.yaml in {QUESTIONNAIRES.name}/)")  # fmt: skip

    demo = commands.add_parser(
        "seed-demo", help="load the synthetic demo data set and demo accounts into a new database"
    )
    demo.add_argument("--if-empty", action="store_true", help="do nothing (and succeed) if the database holds data")
    demo.add_argument("--schools", type=int, default=1500, help="how many fictional schools (default 1500)")
    demo.add_argument("--seed", type=int, default=2025, help="random seed; the same seed gives the same data")

    commands.add_parser(
        "rebuild-aggregates",
        help="recompute the dashboards' aggregates from the stored results (after a restore or a migration)",
    )

    dump = commands.add_parser("backup", help="write every table to FILE (gzipped JSON, readable only by its owner)")
    dump.add_argument("file", type=Path, metavar="FILE")
    load = commands.add_parser("restore", help="load a backup FILE into an empty database")
    load.add_argument("file", type=Path, metavar="FILE")
    return parser


def read_password(prompt: str = "Password: ") -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Repeat the password: ") != first:
            raise StorageError("The two passwords differ; nothing was changed.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    engine = db.make_engine(args.database)
    actor = system_actor("cli")
    try:
        return run(args, engine, actor)
    except (StorageError, LoadError, PasswordRejected) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


def run(args, engine, actor) -> int:
    if args.command == "backup":
        counts = backup(engine, args.file)
        print(f"Wrote {args.file}: " + ", ".join(f"{n} {t}" for t, n in counts.items() if n))
        return 0
    if args.command == "restore":
        counts = restore(engine, args.file)
        print(f"Restored {args.file}: " + ", ".join(f"{n} {t}" for t, n in counts.items() if n))
        return 0
    if args.command == "downgrade":
        db.downgrade(engine, args.revision)
        print(f"Database at revision {db.current_revision(engine) or 'base'}.")
        return 0
    db.upgrade(engine)
    if args.command == "upgrade":
        print(f"Database at revision {db.current_revision(engine)}.")
        return 0
    with db.session_factory(engine)() as session:
        if args.command == "create-user":
            info = create_user(
                session, actor, args.username, args.display_name, args.role, read_password(),
                school_npsns=tuple(args.school), province_codes=tuple(args.province), national=args.national,
                kabupaten_codes=tuple(args.kabupaten), jenjang=tuple(args.jenjang),
                email=args.email,
            )  # fmt: skip
            print(f"Created {info.role} '{info.username}'.")
        elif args.command == "link-emails":
            counts = link_emails_csv(session, actor, args.file.read_bytes(), str(args.file))
            print(f"Linked {args.file}: {counts['created']} accounts created, "
                  f"{counts['already_linked']} already linked.")
        elif args.command == "reset-2fa":
            reset_second_factor(session, actor, args.username)
            print(f"Two-factor sign-in of '{args.username}' removed; it enrols again at its next sign-in.")
        elif args.command == "import-schools":
            added, updated = import_schools(session, actor, args.file.read_bytes(), str(args.file))
            print(f"Imported {args.file}: {added} added, {updated} updated.")
        elif args.command == "register-questionnaires":
            for path in args.files or questionnaire_files(QUESTIONNAIRES):
                info = register_file(session, actor, path)
                print(f"{path}: {info.questionnaire_id} version {info.version} is active.")
            if not args.files:  # the shipped national baselines come with the shipped questionnaires
                for path in baseline_files(QUESTIONNAIRES):
                    baseline = register_baseline(session, actor, path.read_bytes(), str(path))
                    print(f"{path}: baseline {baseline.baseline_id} for {baseline.questionnaire_id} is active.")
        elif args.command == "rebuild-aggregates":
            started = time.perf_counter()
            rebuild_aggregates(session.connection(execution_options={"siaga_write": True}))
            session.commit()
            print(f"Aggregates rebuilt from the stored results in {time.perf_counter() - started:.1f} s.")
        elif args.command == "seed-demo":
            return _seed_demo(session, args)
    return 0


def _seed_demo(session, args) -> int:
    from sqlalchemy import func, select

    from .models import School, User

    if args.if_empty and (
        session.scalar(select(func.count()).select_from(School))
        or session.scalar(select(func.count()).select_from(User))
    ):
        print("The database already holds data; the demo data set was not loaded.")
        return 0
    counts = seed_demo(session, n_schools=args.schools, seed=args.seed)
    print("Demo data set loaded (synthetic; accounts admin, sekolah, auditor, pimpinan, kadis.padang; "
          "password siaga-demo-2025): " + ", ".join(f"{n} {k}" for k, n in counts.items()))  # fmt: skip
    return 0

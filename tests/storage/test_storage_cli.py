"""`python -m storage`, run as a user would: a subprocess against a real database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import storage
from storage import db
from storage.cli import build_parser

from .conftest import ROOT, SYSTEM

CSV_HEADER = "npsn,name,jenjang,status,province_code,kabupaten_kota\n"


@pytest.fixture
def cli(engine):
    url = engine.url.render_as_string(hide_password=False)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("DATABASE_URL", None)
        return subprocess.run(
            [sys.executable, "-m", "storage", "--database", url, *args],
            input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
        )  # fmt: skip

    return run


def test_upgrade(cli):
    done = cli("upgrade")
    assert done.returncode == 0 and f"revision {db.head_revision()}" in done.stdout


def test_create_user_reads_the_password_from_stdin(cli, make_session):
    done = cli("import-schools", str(ROOT / "tests" / "storage" / "data" / "schools.csv"))
    assert done.returncode == 0, done.stderr
    done = cli(
        "create-user", "Operator.Padang", "--role", "sekolah", "--school", "Z1300001", stdin="kata-sandi-uji-2025\n"
    )
    assert done.returncode == 0, done.stderr
    assert "kata-sandi" not in done.stdout + done.stderr
    actor = storage.authenticate(make_session(), "operator.padang", "kata-sandi-uji-2025")
    assert actor.school_npsns == ("Z1300001",)


def test_create_user_refuses_a_weak_password(cli):
    done = cli("create-user", "admin2", "--role", "admin", stdin="password1234\n")
    assert done.returncode == 1 and "common passwords" in done.stderr and "password1234" not in done.stderr


def test_the_password_is_never_an_argument():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["create-user", "x", "--role", "admin", "--password", "kata-sandi-uji-2025"])


def test_import_reports_every_bad_row_and_stores_nothing(cli, tmp_path, make_session):
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEADER + "Z1300001,SMK Satu,SMK,negeri,13,Kota Padang\n"
                   "1234,SD Dua,SD,negeri,13,Kota Padang\n"
                   "Z1300003,SD Tiga,TK,negeri,99,Kota Padang\n"
                   "Z1300001,SMK Satu lagi,SMK,swasta,13,Kota Padang\n")  # fmt: skip
    done = cli("import-schools", str(bad))
    assert done.returncode == 1
    assert f"{bad}:3: npsn: '1234' must be 8 characters" in done.stderr
    assert f"{bad}:4: jenjang: 'TK'" in done.stderr and f"{bad}:4: province_code: '99'" in done.stderr
    assert f"{bad}:5: npsn: 'Z1300001' is already on line 2" in done.stderr
    assert storage.list_schools(make_session(), SYSTEM) == []


def test_import_adds_then_updates(cli, tmp_path, make_session):
    path = tmp_path / "ok.csv"
    path.write_text(CSV_HEADER + "Z1300001,SMK Satu,SMK,negeri,13,Kota Padang\n")
    assert "1 added, 0 updated" in cli("import-schools", str(path)).stdout
    path.write_text(CSV_HEADER + "Z1300001,SMK Satu Padang,SMK,negeri,13,Kota Padang\nZ1300002,SD,SD,swasta,13,X\n")
    assert "1 added, 1 updated" in cli("import-schools", str(path)).stdout
    assert storage.get_school(make_session(), SYSTEM, "Z1300001").name == "SMK Satu Padang"


def test_backup_and_restore_round_trip(cli, world, tmp_path, make_session):
    target = tmp_path / "siaga.backup"
    done = cli("backup", str(target))
    assert done.returncode == 0, done.stderr
    assert target.stat().st_mode & 0o077 == 0  # readable by its owner only
    restored = tmp_path / "restored.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "storage", "--database", f"sqlite:///{restored}", "restore",
                           str(target)], capture_output=True, text=True, cwd=ROOT, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    again = cli("restore", str(target))
    assert again.returncode == 1 and "empty database" in again.stderr


def test_seed_demo_if_empty(cli, world):
    done = cli("seed-demo", "--if-empty")
    assert done.returncode == 0 and "not loaded" in done.stdout


def test_every_command_is_documented_with_its_help():
    docs = (ROOT / "README.md").read_text()
    parser = build_parser()
    commands = parser._subparsers._group_actions[0]
    assert len(commands.choices) >= 8
    for action in commands._choices_actions:
        assert f"python -m storage {action.dest}" in docs, action.dest
        assert action.help and action.help in docs, action.dest


def test_register_questionnaires_takes_only_questionnaire_files(cli):
    done = cli("register-questionnaires")
    assert done.returncode == 0, done.stderr
    registered = [line.split(": ")[1].split(" version")[0] for line in done.stdout.splitlines()]
    assert "keamanan-siber-sekolah" in registered and len(registered) >= 3
    assert "glossary" not in done.stdout

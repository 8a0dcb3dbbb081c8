"""`python -m scoring`: validate, score and schema, with their exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scoring import schema
from scoring.cli import build_parser, main
from tests.conftest import DATA, ROOT

Q = str(DATA / "contoh.yaml")
B = str(DATA / "baseline-contoh.yaml")
A = str(DATA / "jawaban-contoh.yaml")


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_worked_example_as_json(capsys):
    code, out, _ = run(capsys, "score", "-q", Q, "-b", B, "--jenjang", "SD", "--format", "json", A)
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"questionnaire", "version", "jenjang", "completeness", "overall", "domains", "actions"}
    assert result["overall"] == pytest.approx({
        "score": 59.259259, "points": 9, "max_points": 15, "maturity": 2, "band": "perlu-perbaikan",
        "target": 56.666667, "gap": -2.592593}, abs=1e-6)
    assert [d["id"] for d in result["domains"]] == ["a", "b"]
    assert result["domains"][0] == pytest.approx({"id": "a", "score": 55.555556, "points": 5, "max_points": 9,
                                                  "maturity": 2, "target": 60, "gap": 4.444444, "tier3_gate": None},
                                                 abs=1e-6)
    assert result["actions"] == [
        {"question": "q2", "domain": "a", "value": 1, "critical": True, "gain": pytest.approx(29.62963, abs=1e-5)},
        {"question": "q5", "domain": "b", "value": 2, "critical": False, "gain": pytest.approx(11.11111, abs=1e-5)},
    ]


def test_jenjang_defaults_to_the_schools(capsys):
    _, out, _ = run(capsys, "score", "-q", Q, "-b", B, "--format", "json", A)
    assert json.loads(out)["jenjang"] == "SMK"
    assert json.loads(out)["domains"][0]["target"] == 70


def test_text_is_a_readable_table(capsys):
    code, out, _ = run(capsys, "score", "-q", Q, "-b", B, "--jenjang", "SD", A)
    assert code == 0
    assert "TOTAL" in out and "59.3" in out and "Perlu perbaikan" in out
    assert out.index("q2") < out.index("q5")


def test_jsonl_keeps_one_line_per_file_in_order(capsys, tmp_path):
    bad = tmp_path / "rusak.yaml"
    bad.write_text("questionnaire: contoh\nanswers:\n  q1: 9\n")
    code, out, err = run(capsys, "score", "-q", Q, "--format", "jsonl", A, str(bad), A)
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["file"] for x in lines] == [A, str(bad), A]
    assert lines[1]["errors"] == [f"{bad}:3: answers.q1: 9 is not on the 'status' scale; use 0, 1, 2, 3"]
    assert lines[0]["overall"]["points"] == 9
    assert f"{bad}:3:" in err


def test_json_takes_exactly_one_file(capsys):
    code, _, err = run(capsys, "score", "-q", Q, "--format", "json", A, A)
    assert code == 2
    assert "jsonl" in err


def test_invalid_questionnaire_exits_1_naming_the_file(capsys, tmp_path):
    bad = tmp_path / "contoh.yaml"
    bad.write_text("id: contoh\n")
    code, _, err = run(capsys, "score", "-q", str(bad), A)
    assert code == 1
    assert err.startswith(f"{bad}:")


@pytest.mark.parametrize("argv", [[], ["score", A], ["nope"], ["score", "-q", Q, "--jenjang", "TK", A],
                                  ["validate"], ["validate", "/no/such/path"]])
def test_usage_errors_exit_2(capsys, argv):
    assert run(capsys, *argv)[0] == 2


def test_validate_accepts_good_files_and_folders(capsys, tmp_path):
    (tmp_path / "contoh.yaml").write_bytes((DATA / "contoh.yaml").read_bytes())
    (tmp_path / "baselines").mkdir()
    (tmp_path / "baselines" / "b.yaml").write_bytes((DATA / "baseline-contoh.yaml").read_bytes())
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert (code, err) == (0, "")
    assert "questionnaire contoh v1" in out and "baseline for contoh" in out


def test_validate_reports_every_bad_file(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text("id: a\nversion: '1'\ntitle: {id: x, en: y}\nscales: {}\nbands: []\ndomains: []\n")
    (tmp_path / "b.yaml").write_text("x: 1\n")
    (tmp_path / "c.yaml").write_text("id: c\nquestionnaire: hilang\ntitle: {id: x, en: y}\ntargets: {default: {}}\n")
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'a.yaml'}:4: scales: " in err
    assert f"{tmp_path / 'b.yaml'}:1: not a questionnaire" in err
    assert "questionnaire 'hilang' not found" in err


def test_validate_checks_baseline_against_its_questionnaire(capsys, tmp_path):
    (tmp_path / "contoh.yaml").write_bytes((DATA / "contoh.yaml").read_bytes())
    (tmp_path / "b.yaml").write_text("id: b\nquestionnaire: contoh\ntitle: {id: x, en: y}\ntargets:\n"
                                     "  default: {a: 50}\n")
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'b.yaml'}:5: targets.default: must name every domain; missing: b" in err


def test_committed_json_schemas_match_the_models():
    for name, text in schema.schemas().items():
        committed = ROOT / "questionnaires" / "schema" / name
        assert committed.read_text(encoding="utf-8") == text, f"run `python -m scoring schema` to refresh {name}"


def test_schema_command_writes_the_three_schemas(capsys, tmp_path):
    code, out, _ = run(capsys, "schema", "--out", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "answers.schema.json", "baseline.schema.json", "questionnaire.schema.json"]
    assert json.loads((tmp_path / "questionnaire.schema.json").read_text())["title"] == "Questionnaire"


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"python -m scoring {name}" in readme, name
        assert sub.description


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "scoring", "score", "-q", Q, "--format", "json", A],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["overall"]["band"] == "perlu-perbaikan"


def test_scoring_imports_nothing_of_ours_nor_ui_or_database():
    forbidden = ("streamlit", "plotly", "sqlalchemy", "psycopg", "alembic", "storage", "auth", "reports", "ui")
    for path in (ROOT / "scoring").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                assert words[1].split(".")[0] not in forbidden, f"{path.name}: {line}"

"""Every message a user can meet exists in Bahasa Indonesia and English: the loader's and the
data layer's message ids, the command line's --lang, the 50-problem cap, and a placeholder
on every Streamlit widget that would otherwise speak English."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import storage  # noqa: F401 - adds the data layer's ids to the catalogue
from scoring import cli
from scoring.loader import MAX_PROBLEMS, LoadError, parse_answers, parse_questionnaire, render_problems
from scoring.messages import msg, texts

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).with_name("data")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_id_has_both_languages_with_the_same_parameters():
    found = texts()
    assert len(found) > 90  # guard: the catalogues were found and extended by storage
    for code, (indonesian, english) in found.items():
        assert indonesian.strip() and english.strip(), code
        assert fields(indonesian) == fields(english), code


def used_ids() -> set[str]:
    """The ids the code asks for: msg("…"), YamlProblem(line, "…") and the literal id tables."""
    pattern = re.compile(r'(?:msg\(|YamlProblem\([^,]+, )"([a-z_]+\.[a-z_0-9.]+)"|: "((?:field|answer)\.[a-z_]+)"')
    found: set[str] = set()
    for path in [*ROOT.glob("scoring/*.py"), *ROOT.glob("storage/*.py")]:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_message_id_the_code_uses_exists():
    used = used_ids()
    assert len(used) > 60  # guard against a pattern that finds nothing
    assert used - texts().keys() == set()
    from storage.results import SCORED  # msg(f"bulk.already_{status}")
    assert {f"bulk.already_{status}" for status in SCORED} <= texts().keys()


def contoh():
    return parse_questionnaire((DATA / "contoh.yaml").read_bytes(), "contoh.yaml")


def test_loader_problems_render_in_either_language():
    data = b"questionnaire: contoh\nanswers:\n  q3: 2\n  q9: 1\n  q1: tiga\n"
    with pytest.raises(LoadError) as err:
        parse_answers(data, "f.yaml", contoh())
    english = str(err.value).splitlines()
    indonesian = err.value.render("id").splitlines()
    assert english == ["f.yaml:3: answers.q3: 2 is not on the 'ya_tidak' scale; use 0, 3 or na",
                       "f.yaml:4: answers.q9: unknown question id 'q9'",
                       "f.yaml:5: answers.q1.value: must be a number on the question's scale, or na"]
    assert indonesian == ["f.yaml:3: answers.q3: 2 tidak ada pada skala 'ya_tidak'; gunakan 0, 3 atau na",
                          "f.yaml:4: answers.q9: id pertanyaan 'q9' tidak dikenal",
                          "f.yaml:5: answers.q1.value: harus angka pada skala pertanyaan, atau na"]


@pytest.mark.parametrize(("old", "new", "indonesian"), [
    ("tier: 3", "tier: 4", "domains[0].questions[2].tier: harus 1, 2 atau 3"),
    ("weight: 2", "weight: 0", "domains[0].weight: harus lebih besar dari 0"),
    ('version: "1"', "version: 1", "version: harus berupa teks (beri tanda kutip)"),
    ("id: contoh", "id: Contoh_1", "id: harus kata-kata huruf kecil yang disambung '-'"),
])
def test_schema_problems_render_in_indonesian(old, new, indonesian):
    text = (DATA / "contoh.yaml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(LoadError) as err:
        parse_questionnaire(text.replace(old, new, 1).encode(), "q.yaml")
    assert indonesian in err.value.render("id")
    assert not any(word in err.value.render("id") for word in (" must ", " should "))


def test_yaml_problems_render_in_indonesian():
    with pytest.raises(LoadError) as err:
        parse_answers(b"a: 1\na: 2\n", "f.yaml", contoh())
    assert err.value.render("id") == "f.yaml:2: kunci 'a' ganda (pertama dipakai di baris 1)"
    assert str(err.value) == "f.yaml:2: duplicate key 'a' (first used on line 1)"


def unknown_keys(count: int) -> bytes:
    return ("questionnaire: contoh\nanswers:\n" + "".join(f"  x{i}: 1\n" for i in range(count))).encode()


def test_a_file_of_85000_unknown_questions_reports_50_and_a_count():
    with pytest.raises(LoadError) as err:
        parse_answers(unknown_keys(85_000), "besar.yaml", contoh())
    assert len(err.value.problems) == MAX_PROBLEMS and err.value.more == 85_000 - MAX_PROBLEMS
    assert err.value.problems[0].line == 3 and err.value.problems[-1].field == "answers.x49"
    lines = err.value.render("id").splitlines()
    assert len(lines) == MAX_PROBLEMS + 1 and lines[-1].startswith("… dan 84950 masalah lain")


def test_many_bad_values_are_capped_too():
    # 5 values off the scale, 30 unknown ids and 20 malformed entries: 55 problems of three kinds
    data = ("questionnaire: contoh\nanswers:\n" + "".join(f"  q{i}: 7\n" for i in range(1, 6))
            + "".join(f"  x{i}: 1\n" for i in range(30))
            + "".join(f"  y{i}: {{value: 1, extra: 1}}\n" for i in range(20)))
    with pytest.raises(LoadError) as err:
        parse_answers(data.encode(), "f.yaml", contoh())
    assert len(err.value.problems) == MAX_PROBLEMS and err.value.more == 5
    assert [p.line for p in err.value.problems] == list(range(3, 3 + MAX_PROBLEMS))  # the first 50, in file order
    assert render_problems(err.value.problems, "en", err.value.more).splitlines()[-1] == \
        "… and 5 more problems (only the first 50 are shown)"  # fmt: skip


def test_the_command_line_speaks_english_unless_asked(tmp_path, capsys):
    bad = tmp_path / "jawaban.yaml"
    bad.write_text("questionnaire: contoh\nanswers:\n  q1: 9\n", encoding="utf-8")
    args = ["score", "-q", str(DATA / "contoh.yaml"), str(bad)]
    assert cli.main(args) == 1
    assert "9 is not on the 'status' scale; use 0, 1, 2, 3" in capsys.readouterr().err
    assert cli.main(["--lang", "id", *args]) == 1
    assert "9 tidak ada pada skala 'status'; gunakan 0, 1, 2, 3" in capsys.readouterr().err


def test_storage_messages_render_in_either_language():
    from storage.bulk_files import read_entries

    text = "\ufeffnpsn;period;q1\n1234;2025-9;x\n"  # Indonesian Excel: a BOM and semicolons
    _, problems, _ = read_entries(text.encode(), "jawaban.csv", contoh())
    indonesian = render_problems(problems, "id")
    assert "jawaban.csv:2: npsn: '1234' harus 8 karakter" in indonesian
    assert "jawaban.csv:2: period: '2025-9' harus tahun dan semester" in indonesian
    assert "jawaban.csv:2: period: '2025-9' must be a year and semester" in render_problems(problems, "en")
    assert msg("bulk.not_in_scope", npsn="X").render("id") == "'X' bukan sekolah di provinsi Anda"


# --- Streamlit's widgets -----------------------------------------------------------------------

WIDGETS = {"selectbox", "multiselect", "text_input", "text_area"}


def widget_calls():
    for path in sorted(ROOT.glob("ui/**/*.py")):
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WIDGETS:
                yield name, node


def test_every_widget_is_given_a_placeholder_from_the_catalogues():
    calls = list(widget_calls())
    assert len(calls) > 20  # guard: the pages were found
    missing = []
    for name, node in calls:
        keywords = {k.arg for k in node.keywords}
        spread = None in keywords  # **any_or(...) gives one
        given = next((k.value for k in node.keywords if k.arg == "placeholder"), None)
        from_catalogue = isinstance(given, ast.Call) and getattr(given.func, "id", "") == "t"
        if not (spread or from_catalogue):
            missing.append(f"{name}:{node.lineno} {node.func.attr}")
    assert missing == []


def test_widget_placeholders_exist_in_both_catalogues():
    from ui.i18n import catalogue

    for key in ("widget.choose", "widget.choose_many", "widget.username", "widget.name", "widget.schools",
                "widget.password", "widget.password_new", "widget.password_again"):
        assert catalogue("id")[key] and catalogue("en")[key] and catalogue("id")[key] != catalogue("en")[key]

"""The code's shape: layers depend one way, only the UI touches streamlit, no raw HTML,
and every UI string exists in both catalogues."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from scoring import safeyaml
from tests.conftest import ROOT

OURS = {"scoring", "offline", "storage", "auth", "reports", "ui", "app"}
# package -> what of ours it may import
ALLOWED = {
    "scoring": set(),
    "auth": set(),
    "offline": {"scoring"},
    "storage": {"scoring", "auth", "offline"},
    "reports": {"scoring"},
    "ui": {"scoring", "offline", "storage", "auth", "reports", "ui"},
}
UI_FILES = [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def python_files(package: str) -> list[Path]:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files found in {package}/"
    return files


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_layers_depend_one_way(package):
    for path in python_files(package):
        own = imports(path) & OURS - {package}
        assert own <= ALLOWED[package], f"{path.relative_to(ROOT)} imports {sorted(own - ALLOWED[package])}"


@pytest.mark.parametrize("package", ["scoring", "offline", "storage", "auth", "reports"])
def test_only_the_ui_imports_streamlit(package):
    for path in python_files(package):
        assert "streamlit" not in imports(path), path.relative_to(ROOT)


def test_scoring_imports_no_plotly_or_database():
    for path in python_files("scoring"):
        assert not imports(path) & {"plotly", "sqlalchemy", "alembic", "psycopg", "openpyxl"}, path


# The vetted exceptions, never user text: ui/scroll.py adds a constant script file, and
# page_setup the static layout stylesheet, by its path.
HTML_ALLOWED = {ROOT / "ui" / "scroll.py": "st.html(f\"<script>{SCROLL_TOP}</script>\", unsafe_allow_javascript=True,",
                ROOT / "ui" / "common.py": "st.html(LAYOUT_CSS)"}


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_raw_html_in_the_ui(path):
    text = path.read_text(encoding="utf-8")
    if path in HTML_ALLOWED:
        assert text.count("st.html") == 1 and HTML_ALLOWED[path] in text
        text = text.replace(HTML_ALLOWED[path], "")  # the script's own permission goes with it
    for forbidden in ("unsafe_allow_html", "unsafe_allow_javascript", "st.html", "components.v1",
                      "st.components"):
        assert forbidden not in text, f"{path.name} uses {forbidden}"


def test_the_added_script_holds_no_markup():
    for script in (ROOT / "ui" / "scripts").glob("*.js"):
        assert "<" not in script.read_text(encoding="utf-8"), script


def test_the_layout_stylesheet_is_plain_css():
    """st.html gets a file of CSS only (Streamlit wraps it in <style>): no markup, nothing built at run time."""
    from ui.common import LAYOUT_CSS

    css = LAYOUT_CSS.read_text(encoding="utf-8")
    assert LAYOUT_CSS.suffix == ".css" and "<" not in css  # no tag can close the <style>
    assert "st-key-narrow_" in css and "st-key-wide_" in css and "@media (max-width: 640px)" in css


def test_caches_hold_no_user_data():
    """cache_resource only for the engine; cache_data only for reading content files."""
    uses = []
    for path in UI_FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if "st.cache_" in line:
                following = next(x for x in lines[i + 1:] if x.startswith("def "))
                uses.append((line.strip(), following.split("(")[0].removeprefix("def ")))
    assert ("@st.cache_resource", "_engine") in uses
    assert {name for deco, name in uses if deco == "@st.cache_resource"} == {"_engine"}
    assert {name for deco, name in uses if deco == "@st.cache_data"} <= {"_baseline_files", "glossary"}


def catalogue(lang: str) -> dict[str, str]:
    # The strict reader: a key written twice (YAML would keep the last silently) is an error.
    return safeyaml.parse((ROOT / "ui" / "locales" / f"{lang}.yaml").read_bytes()).data


def test_both_catalogues_have_the_same_keys_and_placeholders():
    ids, ens = catalogue("id"), catalogue("en")
    assert len(ids) > 100
    assert sorted(set(ids) ^ set(ens)) == []
    for key in ids:
        assert ids[key].strip() and ens[key].strip(), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in (ids[key], ens[key])]
        assert fields[0] == fields[1], key


def test_every_key_the_ui_uses_is_in_the_catalogue():
    keys = set(catalogue("id"))
    used = set()
    for path in UI_FILES:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 50
    assert sorted(used - keys) == []


def test_every_file_built_on_click_checks_the_session_first():
    """st.download_button runs callable data on another thread, outside any page run:
    such data must come through ui.common.built_on_click (idle timeout, revoked session)."""
    found = 0
    for path in UI_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) ==
                    "download_button"):  # fmt: skip
                continue
            found += 1
            data = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "data"),
                                                                 None)  # fmt: skip
            wrapped = isinstance(data, ast.Call) and getattr(data.func, "id", "") == "built_on_click"
            callable_data = isinstance(data, ast.Lambda) or (isinstance(data, ast.Name) and data.id in functions)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            assert wrapped or not callable_data, f"{where}: wrap the data in built_on_click"
    assert found >= 8, "fewer download buttons than the UI has: did the search miss files?"

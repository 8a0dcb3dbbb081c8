"""Every page of the auditor, pimpinan and admin roles renders, in both languages, and
its navigation entry has a title in both catalogues."""

from __future__ import annotations

import ast

import pytest

from ui.i18n import catalogue

from . import views_apptest as harness
from .views_apptest import APP, errors, open_page

seeded_template, seeded, writable, database = (harness.seeded_template, harness.seeded, harness.writable,
                                               harness.database)  # fmt: skip


def role_pages() -> dict[str, list[tuple[str, str, str]]]:
    """ROLE_PAGES as written in app.py (importing app.py would run the app)."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "ROLE_PAGES")
    return ast.literal_eval(node.value)


ROLES = {"auditor": ["auditor13", "auditor31"], "pimpinan": ["pimpinan13", "pimpinan", "kadispadang"],
         "admin": ["admin"]}
CASES = [(user, page) for role, users in ROLES.items() for user in users for page, _, _ in role_pages()[role]]


def test_the_router_lists_every_view_page():
    pages = role_pages()
    assert [p for p, _, _ in pages["auditor"]] == ["auditor_sekolah.py", "auditor_bandingkan.py", "auditor_tinjau.py",
                                                   "auditor_tindak_lanjut.py", "auditor_impor.py",
                                                   "glosarium.py"]  # fmt: skip
    assert [p for p, _, _ in pages["pimpinan"]] == ["pimpinan_dasbor.py", "pimpinan_ringkasan.py", "glosarium.py"]
    assert len(pages["admin"]) == 5 and len(CASES) == 2 * 6 + 3 * 3 + 5
    for role in ROLES:
        for page, title, _ in pages[role]:
            assert (APP.parent / "ui" / "pages" / page).is_file()
            assert title in catalogue("id") and title in catalogue("en")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("username", "page"), CASES)
def test_every_page_renders(seeded, username, page, lang):
    at = open_page(seeded, username, page, {"lang": lang})
    assert errors(at) == []
    shown = " ".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "title", "subheader")
                     for e in at.get(kind))  # fmt: skip
    assert "[" + "nav." not in shown and "[views." not in shown  # no missing catalogue key
    placeholders = {kind: [e.proto.placeholder for e in at.get(kind)]
                    for kind in ("selectbox", "multiselect", "text_input", "text_area")}  # fmt: skip
    # Streamlit writes its own English placeholder where none is given; every widget here gets one.
    assert all(all(p) for p in placeholders.values()), placeholders
    if lang == "id":
        english = {catalogue("en")[k] for k in ("widget.choose", "widget.choose_many")}
        assert not english & {p for found in placeholders.values() for p in found}, placeholders
    assert at.title and at.title[0].value == catalogue(lang)[next(t for p, t, _ in role_pages()[
        next(r for r, users in ROLES.items() if username in users)] if p == page)]  # fmt: skip

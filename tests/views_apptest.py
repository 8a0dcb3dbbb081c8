"""Running the app's pages in AppTest against a seeded SQLite file, and reading what they show."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import storage

from .views_seed import Seeded, build, fresh_actor

APP = Path(__file__).resolve().parent.parent / "app.py"


def open_page(seeded: Seeded, username: str, page: str, state: dict | None = None, timeout: float = 60) -> AppTest:
    """The router run once as `username`, then `page` (a file in ui/pages) run with `state` set."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (fresh_actor(seeded.actors[username]) | (state or {})).items():
        at.session_state[key] = value
    at.run()
    for key, value in (state or {}).items():  # again: the home page's widgets may have reset them
        at.session_state[key] = value
    at.switch_page(f"ui/pages/{page}")
    return at.run()


def shown_text(at: AppTest) -> str:
    """Everything the page put on screen: every element's content, table cells and chart data."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    out += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(out)


def charts(at: AppTest) -> dict[str, dict]:
    """Plotly figures by their element key's last part (e.g. 'radar')."""
    found = {}
    for element in at.get("plotly_chart"):
        key = element.proto.id.rsplit("-", 1)[-1] if element.proto.id else str(len(found))
        found[key] = json.loads(element.proto.spec)
    return found


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.exception] + [e.value for e in at.error]


class Downloads:
    """Captures the callables behind deferred download buttons, so a test can click them."""

    def __init__(self, monkeypatch) -> None:
        self.made: dict[str, Callable[[], object]] = {}
        original = MediaFileManager.add_deferred

        def capture(manager, data_callable, mimetype, coordinates, file_name=None, **kwargs):
            self.made[file_name] = data_callable
            return original(manager, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

        monkeypatch.setattr(MediaFileManager, "add_deferred", capture)

    def click(self, file_name: str) -> bytes:
        data = self.made[file_name]()
        return data.encode("utf-8") if isinstance(data, str) else data


# Fixtures, imported by each tests/test_views_*.py module.
@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    return build(tmp_path_factory.mktemp("views") / "template.db")


@pytest.fixture(scope="module")
def seeded(request, seeded_template, tmp_path_factory):
    """One copy per module for the read-only tests."""
    return seeded_template.copy(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]) / "read.db")


@pytest.fixture
def writable(seeded_template, tmp_path):
    """A copy of its own for a test that changes data."""
    return seeded_template.copy(tmp_path / "write.db")


@pytest.fixture(autouse=True)
def database(request, monkeypatch):
    db = request.getfixturevalue("writable") if "writable" in request.fixturenames else \
        request.getfixturevalue("seeded")  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", db.url())
    return db




def session_for(db: Seeded):
    return storage.session_factory(storage.make_engine(db.url()))()

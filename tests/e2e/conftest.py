"""A real app server on a free local port, driven by Playwright in Debian's headless Chromium.

`.ci/run` installs chromium and sets SIAGA_REQUIRE_BROWSER=1, so in CI a missing browser
fails the suite instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, ROOT, AppDidNotStart, running_app
from tests.totp_codes import next_code

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("SIAGA_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}; `apt-get install chromium` (CI does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def demo_database(demo_server, demo_folder) -> Path:
    """The demo server's SQLite file, for tests that check what was stored."""
    return demo_folder / "demo.db"


@pytest.fixture(scope="session")
def demo_server(demo_folder):
    """The app on the seeded demo database, as `make run` serves it."""
    try:
        with running_app(demo_folder) as base:
            yield base
    except AppDidNotStart as err:
        pytest.fail(str(err))
    finally:
        if (demo_folder / "server.log").exists():
            shutil.copy(demo_folder / "server.log", _artifacts() / "server.log")


def _artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(browser, demo_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base_url = demo_server
    yield page
    context.close()


def wait_connected(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')


def wait_idle(page) -> None:
    """Until the script run that the last action started has finished."""
    page.wait_for_timeout(200)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def screenshot(page, name: str) -> None:
    page.screenshot(path=str(_artifacts() / f"{name}.png"), full_page=True)


def sign_in(page, username: str, password: str = "siaga-demo-2025") -> None:  # noqa: S107 (demo account)
    page.goto(page.base_url)
    wait_connected(page)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    if username in ("admin", "auditor"):  # the demo's staff accounts owe a TOTP code
        page.get_by_label("Kode", exact=True).fill(next_code(username, page.base_url))
        page.get_by_role("button", name="Verifikasi").click()
    page.get_by_text("Masuk sebagai").wait_for()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A screenshot of every open page of a failed browser test, kept with the artifacts."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for name, value in item.funcargs.items():
            pages = [value] if hasattr(value, "screenshot") else []
            for i, page in enumerate(pages):
                try:
                    page.screenshot(path=str(_artifacts() / f"FAILED-{item.name}-{name}-{i}.png"), full_page=True)
                except Exception:  # noqa: BLE001 (a closed page has nothing to show)
                    pass

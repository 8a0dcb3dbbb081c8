"""A real app server on a free local port, driven by Playwright in Debian's headless Chromium.

`.ci/run` installs chromium and sets SIAGA_REQUIRE_BROWSER=1, so in CI a missing browser
fails the suite instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags for a closed network: no background connections that would be refused.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
def demo_server(tmp_path_factory):
    """The app on the seeded demo database, as `make run` serves it."""
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'demo.db'}"
    python = sys.executable
    seeded = subprocess.run([python, "-m", "storage", "--database", url, "seed-demo"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if seeded.returncode != 0:
        pytest.fail(f"seed-demo failed:\n{seeded.stderr}")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "SIAGA_PERIOD"} | {"DATABASE_URL": url}
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [python, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:  # Streamlit's own readiness marker
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.read() == b"ok":
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("the app did not start:\n" + (folder / "server.log").read_text())
        time.sleep(0.3)
    yield base
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a busy machine: do not leave it running
        server.kill()
        server.wait()
    log.close()
    shutil.copy(folder / "server.log", _artifacts() / "server.log")


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
    page.get_by_text("Masuk sebagai").wait_for()

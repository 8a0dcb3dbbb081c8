"""plain() leaves no link in the rendered page: not from Markdown syntax, and not from the
bare URLs and e-mail addresses that GitHub-flavoured Markdown links by itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, screenshot, wait_connected, wait_idle
from tests.e2e.hostile_text import HOSTILE
from tests.e2e.server import AppDidNotStart, wait_healthy
from tests.e2e.server import free_port as _free_port


@pytest.fixture(scope="module")
def markdown_server(tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("markdown") / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "tests" / "e2e" / "markdown_app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server, Path(log.name))
    except AppDidNotStart:
        pytest.fail("the markdown app did not start")
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


def test_user_text_through_plain_renders_without_any_link(browser, markdown_server):
    context = browser.new_context(viewport={"width": 1200, "height": 1400})
    page = context.new_page()
    page.goto(markdown_server)
    wait_connected(page)
    page.get_by_text("Kontrol:").wait_for()
    wait_idle(page)
    control = page.locator(".st-key-control a")
    assert control.count() == 2  # the renderer does link bare URLs
    shown = page.locator(".st-key-plain")
    screenshot(page, "markdown-links")
    assert shown.locator("a").count() == 0, shown.locator("a").all_inner_texts()
    text = shown.inner_text().replace("\u2060", "")
    for hostile in HOSTILE:  # each reads as typed
        assert hostile in text
    context.close()

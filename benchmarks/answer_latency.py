"""Answering on Penilaian, measured in a real browser against the real server.

Starts the app on a fresh demo database, signs in as the demo school operator in
headless Chromium, and answers 30 questions one after another. For each answer it
records the time from the click to the settled page (the script run it started has
finished and the page is idle) and the websocket bytes the server sent for it.
Also times a domain change. Prints figures; asserts nothing.

    python benchmarks/answer_latency.py [--answers 30] [--width 390]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

# Every websocket frame the page receives, with its time.
PROBE = """
(() => {
  window.__ws = [];
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', (e) => {
      const n = e.data.byteLength ?? e.data.size ?? e.data.length;
      window.__ws.push([performance.now(), n]);
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();
"""

CLICK_OPTION = """
([index]) => {
  const radios = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stRadio"]')];
  const group = radios[index];
  const labels = [...group.querySelectorAll('label')].filter((l) => l.querySelector('input'));
  const checked = labels.findIndex((l) => l.querySelector('input').checked);
  const t = performance.now();
  labels[(checked + 1) % labels.length].click();
  return t;
}
"""

# Settled: the script is not running and the server has sent nothing for 150 ms. A fragment
# run can finish before the page ever shows "running", so the last frame's time is the end.
SETTLED = """
([t0]) => {
  const frames = window.__ws.filter(([t]) => t >= t0);
  const app = document.querySelector('[data-testid="stApp"]');
  if (!frames.length || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  const last = frames.at(-1)[0];
  return performance.now() - last > 150 ? last : null;
}
"""

BYTES = "([t0, t1]) => window.__ws.filter(([t]) => t >= t0 && t <= t1).reduce((a, [, n]) => a + n, 0)"


def settle(page, t0: float) -> tuple[float, int]:
    handle = page.wait_for_function(SETTLED, arg=[t0], timeout=30_000)
    t1 = handle.json_value()
    return t1 - t0, page.evaluate(BYTES, [t0, t1])


def sign_in(page, base: str) -> None:
    page.goto(base)
    page.get_by_label("Nama pengguna").fill("sekolah")
    page.get_by_label("Kata sandi").fill("siaga-demo-2025")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Masuk sebagai").wait_for()


def open_penilaian(page) -> None:
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Penilaian")
    opener = page.locator('[data-testid="stExpandSidebarButton"]')
    if opener.is_visible():  # on a phone the sidebar starts closed
        opener.click()
    link.click()
    page.get_by_role("heading", name="Penilaian", exact=True).wait_for()
    if page.viewport_size["width"] < 640:  # close it again, off the content
        page.locator('[data-testid="stSidebar"]').hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click(force=True)
        page.wait_for_timeout(500)
    box = page.get_by_role("combobox", name="Kuesioner")
    if box.input_value() != "Kesiapan Keamanan Siber Sekolah":
        box.click()
        page.get_by_role("option", name="Kesiapan Keamanan Siber Sekolah").click()
    page.locator('[data-testid="stRadio"]').first.wait_for()
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_timeout(500)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--width", type=int, default=390)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with running_app() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": args.width, "height": 844}, locale="id-ID")
        context.add_init_script(PROBE)
        page = context.new_page()
        page.set_default_timeout(30_000)
        sign_in(page, base)
        open_penilaian(page)

        times, sizes = [], []
        for i in range(args.answers):
            radios = page.locator('[data-testid="stMain"] [data-testid="stRadio"]').count()
            if i and i % radios == 0:  # this domain is done: on to the next one
                t0 = page.evaluate("() => performance.now()")
                page.get_by_role("button", name="Domain berikutnya").click()
                elapsed, size = settle(page, t0)
                print(f"domain change: {elapsed:.0f} ms, {size / 1024:.1f} KB")
            t0 = page.evaluate(CLICK_OPTION, [i % radios])
            elapsed, size = settle(page, t0)
            times.append(elapsed)
            sizes.append(size)
        browser.close()

    print(f"{len(times)} answers at {args.width} px width")
    print(f"click to settled page: median {statistics.median(times):.0f} ms, "
          f"p95 {percentile(times, 0.95):.0f} ms, max {max(times):.0f} ms")
    print(f"websocket bytes per answer: median {statistics.median(sizes) / 1024:.1f} KB, "
          f"max {max(sizes) / 1024:.1f} KB")


if __name__ == "__main__":
    main()

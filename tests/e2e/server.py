"""The app as `make run` serves it, on a fresh seeded demo database and a free local port.

Shared by the browser tests and the benchmarks that drive a real browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags for a closed network: no background connections that would be refused.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class AppDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(folder: Path | None = None, env: dict | None = None, port: int | None = None,
                args: tuple[str, ...] = ()):
    """Yield the base URL of a running app; the server log is `folder/server.log`. `port`
    (else a free one) and `args` (more `streamlit run` options) for a test that needs them."""
    with tempfile.TemporaryDirectory(prefix="siaga-app-") as scratch:
        folder = folder or Path(scratch)
        url = f"sqlite:///{folder / 'demo.db'}"
        seeded = subprocess.run([sys.executable, "-m", "storage", "--database", url, "seed-demo"], cwd=ROOT,
                                capture_output=True, text=True, check=False)
        if seeded.returncode != 0:
            raise AppDidNotStart(f"seed-demo failed:\n{seeded.stderr}")
        port = port or free_port()
        environment = {k: v for k, v in os.environ.items() if k != "SIAGA_PERIOD"} | {"DATABASE_URL": url}
        environment |= env or {}
        log_path = folder / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true", *args],
                cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
            try:
                base = f"http://127.0.0.1:{port}"
                wait_healthy(base, server, log_path)
                yield base
            finally:
                stop(server)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until(ready: Callable[[str], bool], url: str, process: subprocess.Popen, log_path: Path,
               what: str = "the app", seconds: float = 60) -> None:
    """Poll `ready(body of url)` until it holds; AppDidNotStart with the log if `process` ends first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (a local test server)
                if ready(response.read()):
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AppDidNotStart(f"{what} did not start:\n" + log_path.read_text())
        time.sleep(0.3)


def wait_healthy(base: str, server: subprocess.Popen, log_path: Path) -> None:
    wait_until(lambda body: body == b"ok", f"{base}/_stcore/health", server, log_path)  # Streamlit's readiness marker

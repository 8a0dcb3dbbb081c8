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
def running_app(folder: Path | None = None, env: dict | None = None):
    """Yield the base URL of a running app; the server log is `folder/server.log`."""
    with tempfile.TemporaryDirectory(prefix="siaga-app-") as scratch:
        folder = folder or Path(scratch)
        url = f"sqlite:///{folder / 'demo.db'}"
        seeded = subprocess.run([sys.executable, "-m", "storage", "--database", url, "seed-demo"], cwd=ROOT,
                                capture_output=True, text=True, check=False)
        if seeded.returncode != 0:
            raise AppDidNotStart(f"seed-demo failed:\n{seeded.stderr}")
        port = free_port()
        environment = {k: v for k, v in os.environ.items() if k != "SIAGA_PERIOD"} | {"DATABASE_URL": url}
        environment |= env or {}
        log_path = folder / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
            try:
                base = f"http://127.0.0.1:{port}"
                wait_healthy(base, server, log_path)
                yield base
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:  # a busy machine: do not leave it running
                    server.kill()
                    server.wait()


def wait_healthy(base: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:  # Streamlit's own readiness marker
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise AppDidNotStart("the app did not start:\n" + log_path.read_text())
        time.sleep(0.3)

"""Run N Streamlit replicas of the app behind nginx, all on one PostgreSQL.

    python -m ops.replicas --replicas 2 --port 8080     # what `make serve-replicas N=2` runs

Replicas listen on 127.0.0.1 only; nginx listens on --bind:--port and is configured from
deploy/nginx.conf.template into a temporary folder that also holds its pid and logs. Used by
`make serve-replicas`, the two-replica browser test and benchmarks/load_test.py.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def upload_limit_mb() -> int:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return int(config["server"]["maxUploadSize"])


def inline_script_hashes() -> str:
    """CSP hashes of the inline scripts in the installed Streamlit's index.html and of the app's
    own (ui/scripts), so that an upgrade of Streamlit cannot silently break the page or force
    'unsafe-inline'."""
    package = Path(importlib.util.find_spec("streamlit").origin).parent  # found, not imported
    html = (package / "static" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    scripts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "ui" / "scripts").glob("*.js"))]
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                    for s in scripts)


def render_nginx(listen: str, replica_ports: list[int], run_dir: Path) -> str:
    servers = "\n        ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in replica_ports)
    fields = {
        "RUN_DIR": str(run_dir),
        "LISTEN": listen,
        "UPSTREAM_SERVERS": servers,
        "MAX_BODY": f"{upload_limit_mb() + 1}m",
        "INLINE_SCRIPT_HASH": inline_script_hashes(),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise ValueError(f"{TEMPLATE}: unfilled fields {sorted(set(left))}")
    return text


def wait_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = START_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310 (local)
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            raise RuntimeError(f"{url} did not become healthy (exit {process.poll()}):\n{tail}")
        time.sleep(0.3)


class Cluster:
    """N replicas and nginx; a context manager that always stops what it started."""

    def __init__(self, database_url: str, replicas: int, port: int | None = None, bind: str = "127.0.0.1",
                 env: dict[str, str] | None = None, keep_logs: bool = True):
        if replicas < 1:
            raise ValueError("replicas must be at least 1")
        self.database_url = database_url
        self.replica_ports = [free_port() for _ in range(replicas)]
        self.port = port or free_port()
        self.bind = bind
        # nginx on this machine is the proxy whose X-Forwarded-For the sign-in throttle believes.
        self.env = {"SIAGA_TRUSTED_PROXIES": "127.0.0.1", **os.environ, **(env or {}), "DATABASE_URL": database_url}
        # Under the system temp folder, which nginx can reach when it runs as nobody.
        self.run_dir = Path(tempfile.mkdtemp(prefix="siaga-nginx."))
        self.keep_logs = keep_logs
        self.processes: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"http://{self.bind}:{self.port}"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[index]}"

    def _start_replica(self, index: int) -> None:
        log = self.run_dir / f"replica-{index}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(self.replica_ports[index]), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.processes.append(process)

    def _start_nginx(self) -> None:
        conf = self.run_dir / "nginx.conf"
        conf.write_text(render_nginx(f"{self.bind}:{self.port}", self.replica_ports, self.run_dir))
        log = self.run_dir / "nginx.out"
        (self.run_dir / "error.log").touch()
        extra = {}
        if os.getuid() == 0:  # never run a network server as root: nginx runs as nobody
            nobody = pwd.getpwnam("nobody")
            for path in (self.run_dir, self.run_dir / "error.log"):
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
            extra = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        process = subprocess.Popen(
            [NGINX, "-p", str(self.run_dir), "-e", str(self.run_dir / "error.log"), "-c", str(conf),
             "-g", "daemon off;"],
            stdout=log.open("w"), stderr=subprocess.STDOUT, **extra)
        self.processes.append(process)
        self.nginx = process

    def start(self) -> Cluster:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        try:
            for index in range(len(self.replica_ports)):
                self._start_replica(index)
            for index, process in enumerate(self.processes):
                wait_healthy(self.replica_url(index), process, self.run_dir / f"replica-{index}.log")
            self._start_nginx()
            wait_healthy(f"http://127.0.0.1:{self.port}", self.nginx, self.run_dir / "nginx.out")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.processes.clear()
        if not self.keep_logs:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


def migrate(database_url: str) -> None:
    subprocess.run([sys.executable, "-m", "storage", "--database", database_url, "upgrade"], cwd=ROOT, check=True)


def throwaway_postgres(folder: Path) -> str:
    """A throwaway PostgreSQL (.ci/postgres.sh) with the demo data, for trying this out."""
    env = {**os.environ, "SIAGA_PG_DIR": str(folder)}
    out = subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "start"], env=env, check=True,
                         capture_output=True, text=True).stdout
    url = out.strip().split("=", 1)[1]
    migrate(url)
    subprocess.run([sys.executable, "-m", "storage", "--database", url, "seed-demo", "--if-empty"],
                   cwd=ROOT, check=True)
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.replicas", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8501")))
    parser.add_argument("--bind", default=os.environ.get("SIAGA_BIND", "127.0.0.1"))
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    pg_dir = None
    if not url:
        pg_dir = Path(tempfile.mkdtemp(prefix="siaga-pg."))
        url = throwaway_postgres(pg_dir)
        print(f"serve-replicas: no DATABASE_URL, so a throwaway PostgreSQL with the demo data: {url}")
    elif not url.startswith(("postgresql", "postgres://")):
        print("serve-replicas: DATABASE_URL must name a PostgreSQL database (postgresql+psycopg://USER@HOST/DB):"
              " the replicas share everything through it.", file=sys.stderr)
        return 2
    else:
        migrate(url)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    exited = []
    try:
        with Cluster(url, args.replicas, args.port, args.bind) as cluster:
            print(f"serve-replicas: {args.replicas} replicas on 127.0.0.1 ports {cluster.replica_ports}, "
                  f"nginx on {cluster.url}; logs in {cluster.run_dir}", flush=True)
            while not exited:
                time.sleep(1)
                exited = [p.args[0] for p in cluster.processes if p.poll() is not None]
            print(f"serve-replicas: {exited} stopped; stopping the rest", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        if pg_dir is not None:
            subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "stop"],
                           env={**os.environ, "SIAGA_PG_DIR": str(pg_dir)}, check=False)
    return 1 if exited else 0


if __name__ == "__main__":
    sys.exit(main())

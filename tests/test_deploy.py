"""deploy/: the nginx template renders completely, nginx accepts it, and its limits match
Streamlit's own settings."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from ops.replicas import NGINX, render_nginx, upload_limit_mb
from tests.conftest import ROOT


def test_the_template_renders_every_field(tmp_path):
    text = render_nginx("127.0.0.1:8080", [9001, 9002], tmp_path)
    assert not re.findall(r"@[A-Z_]+@", text)
    assert "server 127.0.0.1:9001" in text and "server 127.0.0.1:9002" in text
    assert f"client_max_body_size {upload_limit_mb() + 1}m;" in text
    assert "'sha256-" in text  # the inline script of Streamlit's index.html, by hash


def test_streamlit_keeps_its_own_protections_on():
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["enableAgentApi"] is False


def test_nginx_accepts_the_rendered_config(tmp_path):
    if not Path(NGINX).exists():
        if os.environ.get("SIAGA_REQUIRE_BROWSER"):
            pytest.fail(f"nginx not found at {NGINX}")
        pytest.skip(f"nginx not found at {NGINX}; `apt-get install nginx-light` (CI does)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_nginx("127.0.0.1:1", [9001], tmp_path))
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr

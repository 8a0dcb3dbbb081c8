"""`make run` listens on 127.0.0.1 unless SIAGA_BIND names another address."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def run_command(**env) -> str:
    """The streamlit line `make run` would execute (make -n prints without running)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SIAGA_BIND", "PORT")} | env
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=environment,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return next(line for line in out.splitlines() if "streamlit run" in line)


pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def test_make_run_binds_to_loopback_by_default():
    assert "--server.address 127.0.0.1" in run_command()


def test_siaga_bind_chooses_the_address():
    assert "--server.address 0.0.0.0" in run_command(SIAGA_BIND="0.0.0.0")  # noqa: S104 (the test's point)

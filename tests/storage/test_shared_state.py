"""Replicas share state only through the database: what an admin changes in one process is
what another process reads, within seconds, with its caches warm. The other process is a
real second interpreter with its own engine (like a second Streamlit replica)."""

from __future__ import annotations

import subprocess
import sys
import time

from storage import activate_questionnaire, get_questionnaire
from storage.baselines import active_baseline, register_baseline
from storage.questionnaires import register_file
from tests.conftest import DATA, ROOT
from tests.storage.conftest import SYSTEM

CONTOH = DATA / "contoh.yaml"
BASELINE = DATA / "baseline-contoh.yaml"
FRESH_SECONDS = 5  # "not stale for more than a few seconds"

OTHER_REPLICA = """
import sys
from pathlib import Path
from sqlalchemy.orm import Session
import storage
from storage.baselines import register_baseline
from storage.system import system_actor

url, what = sys.argv[1], sys.argv[2]
actor = system_actor("other-replica")
with Session(storage.make_engine(url)) as session:
    if what == "questionnaire-v2":
        data = Path("tests/data/contoh.yaml").read_bytes().replace(b'version: "1"', b'version: "2"', 1)
        storage.register_questionnaire(session, actor, data, "contoh-v2.yaml")
    elif what == "baseline-b":
        data = Path("tests/data/baseline-contoh.yaml").read_bytes().replace(b"a: 60", b"a: 65", 1)
        register_baseline(session, actor, data, "baseline-b.yaml")
"""


def on_other_replica(engine, what: str) -> None:
    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run([sys.executable, "-c", OTHER_REPLICA, url, what], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def seen_within(read, expected, seconds: float = FRESH_SECONDS):
    """Poll `read()` until it returns `expected`; the last value read."""
    deadline = time.monotonic() + seconds
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        value = read()
    return value


def test_an_activation_on_another_replica_is_read_here_within_seconds(engine, make_session):
    register_file(make_session(), SYSTEM, CONTOH)

    def active_version() -> str:
        return get_questionnaire(make_session(), SYSTEM, "contoh").version

    assert active_version() == "1"  # caches warm in this process
    on_other_replica(engine, "questionnaire-v2")
    assert seen_within(active_version, "2") == "2"
    # ... and back, by id and version: an older version stays readable and immutable.
    activate_questionnaire(make_session(), SYSTEM, "contoh", "1")
    assert active_version() == "1"
    assert get_questionnaire(make_session(), SYSTEM, "contoh", "2").version == "2"


def test_a_baseline_uploaded_on_another_replica_is_read_here_within_seconds(engine, make_session):
    register_file(make_session(), SYSTEM, CONTOH)
    register_baseline(make_session(), SYSTEM, BASELINE.read_bytes(), str(BASELINE))
    questionnaire = get_questionnaire(make_session(), SYSTEM, "contoh")

    def target_a() -> float:
        return active_baseline(make_session(), SYSTEM, questionnaire).target("a", "SD")

    assert target_a() == 60
    on_other_replica(engine, "baseline-b")
    assert seen_within(target_a, 65) == 65

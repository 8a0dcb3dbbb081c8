"""Two replicas behind nginx on one PostgreSQL, driven in Chromium: a session sticks to its
replica (websocket and upload), and a lockout made on one replica holds on the other.

Needs TEST_DATABASE_URL (.ci/postgres.sh), nginx (Debian's nginx-light) and Chromium; CI has
all three and sets SIAGA_REQUIRE_BROWSER=1, so there a missing one fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from ops.replicas import NGINX, Cluster, migrate
from tests.e2e.conftest import ROOT, _artifacts, screenshot, wait_connected, wait_idle
from tests.e2e.test_school_browser import CYBER, choose_questionnaire, first_question, open_nav

PG_URL = os.environ.get("TEST_DATABASE_URL")
LOCK_USER = "kunci.replika"
LOCK_PASSWORD = "Replika-Uji-7413-kuat"  # noqa: S105 (a test account in a throwaway database)


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("SIAGA_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster():
    _need(bool(PG_URL), "TEST_DATABASE_URL is not set; run `bash .ci/postgres.sh start` and source its env")
    _need(Path(NGINX).exists(), f"nginx not found at {NGINX}; `apt-get install nginx-light` (CI does)")
    name = f"siaga_replicas_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        storage = [sys.executable, "-m", "storage", "--database", url]
        subprocess.run([*storage, "seed-demo", "--schools", "200"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run([*storage, "create-user", LOCK_USER, "--role", "sekolah", "--school", "Z1300001"],
                       cwd=ROOT, check=True, capture_output=True, input=f"{LOCK_PASSWORD}\n", text=True)
        env = {k: v for k, v in os.environ.items() if k != "SIAGA_PERIOD"}
        with Cluster(url, 2, env=env, keep_logs=False) as running:
            running.db = create_engine(url)
            try:
                yield running
            finally:
                running.db.dispose()
                for log in running.run_dir.glob("*.log"):
                    shutil.copy(log, _artifacts() / f"replicas-{log.name}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    yield context
    context.close()


def open_page(context, base: str):
    page = context.new_page()
    page.set_default_timeout(60_000)  # two replicas and nginx share the machine's cores
    page.violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.violations.append(m.text))
    page.goto(base)
    wait_connected(page)
    return page


def submit_sign_in(page, username: str, password: str) -> None:
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    wait_idle(page)


def stored_answer(cluster) -> int | None:
    with cluster.db.connect() as conn:
        return conn.execute(text(
            "SELECT a.value FROM answers a JOIN assessments s ON s.id = a.assessment_id "
            "JOIN schools k ON k.id = s.school_id WHERE k.npsn = 'Z1300001' "
            "AND s.questionnaire_id = 'keamanan-siber-sekolah' AND a.question_id = 'tk.penanggung-jawab' "
            "ORDER BY s.id DESC LIMIT 1")).scalar()


def own_violations(page) -> list[str]:
    # Streamlit points a :material/…: favicon at Google's font server; the policy blocks that
    # third-party request on purpose. Anything else blocked is the policy breaking the app.
    return [v for v in page.violations if "fonts.gstatic.com" not in v]


def test_through_nginx_a_session_answers_uploads_and_keeps_its_replica(cluster, context):
    page = open_page(context, cluster.url)
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert len(cookies.get("siaga_route", "")) == 32  # nginx's affinity cookie
    submit_sign_in(page, "sekolah", "siaga-demo-2025")
    page.get_by_text("Masuk sebagai").wait_for()

    open_nav(page, "Penilaian")
    choose_questionnaire(page, CYBER)
    if page.get_by_role("button", name="Mulai penilaian").count():
        page.get_by_role("button", name="Mulai penilaian").click()
    question = first_question(page)
    question.wait_for()
    before = stored_answer(cluster)
    value, label = (3, "Diterapkan menyeluruh") if before == 1 else (1, "Dalam perencanaan")
    question.get_by_text(label, exact=True).click()
    page.get_by_text("Tersimpan").first.wait_for()
    assert stored_answer(cluster) == value  # in the shared database

    # An upload is a separate HTTP PUT to /_stcore/upload_file/SESSION/…: only the replica that
    # holds the session accepts it.
    open_nav(page, "Impor")
    choose_questionnaire(page, CYBER)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files=[{
        "name": "jawaban.yaml", "mimeType": "application/x-yaml",
        "buffer": b"questionnaire: keamanan-siber-sekolah\nanswers:\n  tk.penanggung-jawab: 2\n  tk.kebijakan: 3\n"}])
    page.get_by_text("Berkas valid: 2 dari").wait_for()
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.get_by_text("Jawaban tersimpan sebagai draf.").wait_for()
    screenshot(page, "replicas-01-impor")

    assert own_violations(page) == []
    # nginx's log: this browser's websocket and uploads all went to one replica. nginx logs a
    # websocket when it closes, so close the page first.
    page.close()
    context.new_page().wait_for_timeout(1000)
    route = cookies["siaga_route"]
    served = [line for line in (cluster.run_dir / "access.log").read_text().splitlines() if f"route={route}" in line]
    sticky = [line for line in served if "/_stcore/stream" in line or "/_stcore/upload_file" in line]
    assert any("/_stcore/upload_file" in line for line in sticky), served
    assert any("/_stcore/stream" in line for line in sticky), served
    assert len({line.split("upstream=")[1].split()[0] for line in sticky}) == 1, sticky


def attempt(page, username: str, password: str) -> str:
    """One sign-in that the app judged: "signed_in" or "failed". A throttled attempt (the growing
    delay per address and username) is not judged, so wait as told and try again, a few times."""
    for _ in range(6):
        submit_sign_in(page, username, password)
        signed_in = page.get_by_text("Masuk sebagai")
        failed = page.get_by_text("Gagal masuk")
        throttled = page.get_by_text("Terlalu banyak percobaan")
        # The rerun that judges the attempt can come after the page looks idle: wait for a verdict.
        signed_in.or_(failed).or_(throttled).first.wait_for()
        if signed_in.count():
            return "signed_in"
        if failed.count():
            return "failed"
        seconds = re.search(r"Tunggu (\d+) detik", throttled.first.inner_text())
        page.wait_for_timeout(1000 * min(30, int(seconds.group(1)) if seconds else 5) + 500)
    raise AssertionError("still throttled after six waits")


def test_a_lockout_on_one_replica_holds_on_the_other(cluster, context):
    # First proof that the account signs in on replica 1, so the refusal below is the lock.
    page = open_page(context, cluster.replica_url(1))
    assert attempt(page, LOCK_USER, LOCK_PASSWORD) == "signed_in"
    page.close()

    page = open_page(context, cluster.replica_url(0))
    page.get_by_label("Nama pengguna").wait_for()
    for number in range(5):
        assert attempt(page, LOCK_USER, f"salah-sekali-{number}-xyz") == "failed"
    page.close()

    page = open_page(context, cluster.replica_url(1))
    assert attempt(page, LOCK_USER, LOCK_PASSWORD) == "failed"
    screenshot(page, "replicas-02-dikunci")
    with cluster.db.connect() as conn:
        locked = conn.execute(text("SELECT locked_until FROM users WHERE username = :u"), {"u": LOCK_USER}).scalar()
    assert locked is not None

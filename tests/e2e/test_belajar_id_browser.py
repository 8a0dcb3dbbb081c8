"""Sign-in with belajar.id in headless Chromium, through a real OpenID provider (tests/oidc):
a linked address reaches Beranda; an unlinked one, one outside SIAGA_OIDC_DOMAINS, an
unverified one and one whose `hd` names another domain are refused with a page that says
whom to ask, in the audit log; signing out ends the app's session and the provider's."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

import storage
from tests.e2e.belajar_id import CLIENT_ID, app_with_belajar_id, provider_missing
from tests.e2e.conftest import screenshot, wait_connected, wait_idle

LINKED = "operator@belajar.id"  # the provider's account "operator", linked below to the demo's "sekolah"


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory):
    missing = provider_missing()
    if missing:
        if os.environ.get("SIAGA_REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("belajar-id")
    with app_with_belajar_id(folder) as (base, issuer, url):
        engine = storage.make_engine(url)
        with storage.session_factory(engine)() as session:
            storage.link_email(session, storage.system_actor("test"), "sekolah", LINKED)
        engine.dispose()
        yield base, issuer, folder / "demo.db"


@pytest.fixture
def page(browser, oidc_app):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())  # a closed network
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base_url, page.issuer, page.database = oidc_app
    yield page
    context.close()


def through_provider(page, account: str) -> None:
    """Sign-in page -> "Masuk dengan belajar.id" -> the provider's login form -> back in the app."""
    page.goto(page.base_url)
    wait_connected(page)
    page.get_by_role("button", name="Masuk dengan belajar.id").click()
    page.wait_for_url(f"{page.issuer}/interaction/**")
    page.locator('input[name="login"]').fill(account)
    page.locator('input[name="password"]').fill("any")
    page.locator('button[type="submit"]').click()
    page.wait_for_url(f"{page.base_url}/**")
    wait_connected(page)


def provider_session(page) -> str:
    """Ask the provider, without any prompt, whether this browser still has a session there:
    "code" (signed in) or the error it gives (login_required)."""
    query = urlencode({"client_id": CLIENT_ID, "response_type": "code", "scope": "openid",
                       "redirect_uri": f"{page.issuer}/probe", "prompt": "none", "state": "probe"})  # fmt: skip
    page.goto(f"{page.issuer}/auth?{query}")
    page.wait_for_url(f"{page.issuer}/probe?**")
    found = re.search(r"[?&](code|error)=([^&]+)", page.url)
    return "code" if found.group(1) == "code" else found.group(2)


def audit(database, action: str) -> list[tuple[str, str | None, dict]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT username, object_id, detail FROM audit_log WHERE action = ? ORDER BY id",
                                  (action,)).fetchall()  # fmt: skip
    return [(username, object_id, json.loads(detail)) for username, object_id, detail in rows]


def test_a_linked_address_reaches_beranda_and_signing_out_ends_both_sessions(page):
    through_provider(page, "operator")
    page.get_by_text("Masuk sebagai").wait_for()
    page.get_by_role("heading", name="Beranda").wait_for()
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Operator SMK Negeri Contoh 1")
    assert ("sekolah", "sekolah", {"method": "belajar.id"}) in audit(page.database, "sign_in")
    screenshot(page, "belajar-id-beranda")
    assert provider_session(page) == "code"  # the probe sees a live provider session

    page.goto(page.base_url)
    wait_connected(page)
    wait_idle(page)  # a click during the first run of the new page load could be lost with it
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's RP-initiated logout
    page.wait_for_url(f"{page.base_url}/**")
    wait_connected(page)
    page.get_by_role("button", name="Masuk dengan belajar.id").wait_for()
    assert provider_session(page) == "login_required"
    page.goto(page.base_url)  # a new page load: the st.login cookie is gone, nobody is signed in
    wait_connected(page)
    wait_idle(page)
    page.get_by_role("button", name="Masuk dengan belajar.id").wait_for()
    expect(page.get_by_text("Masuk sebagai")).to_have_count(0)


@pytest.mark.parametrize(("account", "email", "reason", "shown"), [
    ("guru", "guru.baru@belajar.id", "unknown", "belum terhubung dengan akun Siaga Siber"),
    ("luar", "kepala@gmail.com", "domain", "di luar domain yang diizinkan (belajar.id)"),
    ("belum", "belum.verif@belajar.id", "unverified", "belum diverifikasi"),
    ("hdlain", "hd.lain@belajar.id", "hd", "bukan milik domain sekolah yang diizinkan"),
])  # fmt: skip
def test_refusals_say_whom_to_ask_and_are_logged(page, account, email, reason, shown):
    accounts_before = _count(page.database, "users")
    through_provider(page, account)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text=shown)
    alert.wait_for()
    assert email in alert.inner_text().replace("\u2060", "")  # plain() keeps an address from becoming a link
    page.get_by_text("Sebutkan alamat e-mail di atas").wait_for()  # whom to ask
    expect(page.get_by_text("Masuk sebagai")).to_have_count(0)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    screenshot(page, f"belajar-id-refused-{reason}")
    refusals = [detail for _, _, detail in audit(page.database, "oidc_sign_in_refused") if detail["email"] == email]
    assert refusals and refusals[-1]["reason"] == reason
    assert _count(page.database, "users") == accounts_before  # no account from a token

    page.get_by_role("button", name="Keluar dari belajar.id").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{page.base_url}/**")
    wait_connected(page)
    page.get_by_role("button", name="Masuk dengan belajar.id").wait_for()
    assert provider_session(page) == "login_required"


def _count(database, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (a fixed name)

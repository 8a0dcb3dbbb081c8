"""A real OpenID provider (tests/oidc: npm oidc-provider) and the app configured to sign in
through it with st.login, as a deployment with `[auth]` in its secrets would be.

The secrets file is written to a temporary folder and handed to Streamlit with
--secrets.files: the checkout's .streamlit/ never holds one."""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.server import ROOT, free_port, running_app, stop, wait_until

PROVIDER = ROOT / "tests" / "oidc"
CLIENT_ID, CLIENT_SECRET = "siaga-test", "test-only-client-secret"  # noqa: S105 (tests/oidc's test client)


def provider_missing() -> str | None:
    """Why the provider cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (`apt-get install nodejs npm`; CI does)"
    if not (PROVIDER / "node_modules" / "oidc-provider").is_dir():
        return "tests/oidc has no node_modules: run `npm ci` there (`make test` does)"
    return None


@contextmanager
def running_provider(folder: Path, app_base: str):
    """Yield the issuer URL of the provider, whose one client redirects to `app_base`."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    log_path = folder / "oidc-provider.log"
    with log_path.open("w") as log:
        node = subprocess.Popen(["node", "provider.mjs", str(port), app_base], cwd=PROVIDER,
                                stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            wait_until(lambda body: json.loads(body).get("issuer") == issuer,
                       f"{issuer}/.well-known/openid-configuration", node, log_path, "the OpenID provider", 30)
            yield issuer
        finally:
            stop(node)


def secrets_toml(app_base: str, issuer: str) -> str:
    """The [auth] section st.login reads; the cookie secret is new for every run."""
    return "\n".join([
        "[auth]",
        f'redirect_uri = "{app_base}/oauth2callback"',
        f'cookie_secret = "{secrets.token_urlsafe(32)}"',
        f'client_id = "{CLIENT_ID}"',
        f'client_secret = "{CLIENT_SECRET}"',
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"',
        # Google's default, select_account, is not an OpenID Connect prompt oidc-provider knows.
        'client_kwargs = { prompt = "login" }',
        "",
    ])  # fmt: skip


@contextmanager
def app_with_belajar_id(folder: Path, env: dict | None = None):
    """Yield (app base URL, issuer URL, SQLite URL): the demo app signing in through the provider."""
    port = free_port()
    app_base = f"http://127.0.0.1:{port}"
    with running_provider(folder, app_base) as issuer:
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(secrets_toml(app_base, issuer))
        secrets_file.chmod(0o600)
        with running_app(folder, env=env, port=port, args=("--secrets.files", str(secrets_file))) as base:
            yield base, issuer, f"sqlite:///{folder / 'demo.db'}"

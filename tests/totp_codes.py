"""TOTP codes for test sign-ins, as an authenticator app would make them. A code's step is
accepted once per account, so each sign-in takes the next unused step (now, or the next
one, which the ±1 window accepts), waiting when both are used."""

from __future__ import annotations

import base64
import hashlib
import time

import pyotp

from storage.demo import DEMO_TOTP_SECRETS

_used: dict[str, int] = {}  # account key -> last step used by this test process


def secret_for(username: str) -> str:
    """The demo's published secret, else one derived from the username (test seeds enrol with it)."""
    if username in DEMO_TOTP_SECRETS:
        return DEMO_TOTP_SECRETS[username]
    return base64.b32encode(hashlib.sha256(f"siaga-test:{username}".encode()).digest()).decode()[:32]


def next_code(username: str, where: str = "") -> str:
    key = f"{where}/{username}"
    step = max(int(time.time() // 30), _used.get(key, -1) + 1)
    while step > int(time.time() // 30) + 1:  # both this step and the next are used: wait
        time.sleep(1)
    _used[key] = step
    return pyotp.TOTP(secret_for(username)).generate_otp(step)


def enrol(session, actor):
    """Enrol `actor` (a password sign-in owing TOTP) with secret_for(); the actor past the step."""
    import storage

    passed, _codes = storage.enrol(session, actor, secret_for(actor.username), next_code(actor.username, "seed"))
    return passed


def complete(session, actor):
    """`actor` (from storage.authenticate) past its second step, enrolling on first use."""
    import storage

    if not actor.awaits_second_factor:
        return actor
    if storage.second_factor_status(session, actor) == "enrolled":
        return storage.verify_code(session, actor, next_code(actor.username, "seed"))
    return enrol(session, actor)

"""Time-based one-time passwords (RFC 6238) for the second sign-in step, recovery codes,
and the encryption of the TOTP secret at rest. Pure: no database, no streamlit.

- codes of 6 digits, 30-second steps, accepted one step either side (clock drift);
- a step once used is never accepted again (the caller stores the last step);
- 10 recovery codes, each used once, stored as salted SHA-256 (they are random, 50 bits:
  a slow hash adds nothing a salt does not);
- the secret is encrypted with Fernet under a key derived from SIAGA_SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time

import pyotp
from cryptography.fernet import Fernet, InvalidToken

STEP_SECONDS = 30
WINDOW = 1  # steps either side
RECOVERY_CODES = 10
ISSUER = "Siaga Siber"
DEMO_KEY_PHRASE = "siaga-siber-demo-only-not-secret"  # the demo database's key: anyone can read it


class SecretKeyMissing(RuntimeError):
    """SIAGA_SECRET_KEY is not set, and this is not the demo database."""

    def __init__(self) -> None:
        super().__init__("SIAGA_SECRET_KEY must be set (a long random string) to store two-factor secrets.")


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, base32, as authenticator apps expect


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def current_code(secret: str, now: float | None = None) -> str:
    return pyotp.TOTP(secret).at(now if now is not None else time.time())


def matching_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step that `code` belongs to (within ±WINDOW of now), if it is newer than
    `last_step`; else None. Constant-time comparison."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    step = int((now if now is not None else time.time()) // STEP_SECONDS)
    for candidate in range(step - WINDOW, step + WINDOW + 1):
        if last_step is not None and candidate <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Ten codes like "k7q2m-9xw4p": easy to copy from paper."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2)) for _ in range(count)]


def normal_recovery_code(code: str) -> str:
    return "".join(code.split()).lower().replace("-", "")


def hash_recovery_code(code: str, salt: str | None = None) -> tuple[str, str]:
    """(salt, hash) of one recovery code, hex."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.sha256(bytes.fromhex(salt) + normal_recovery_code(code).encode()).hexdigest()
    return salt, digest


def recovery_code_matches(code: str, salt: str, digest: str) -> bool:
    return hmac.compare_digest(hash_recovery_code(code, salt)[1], digest)


def _fernet(demo: bool) -> Fernet:
    phrase = os.environ.get("SIAGA_SECRET_KEY", "")
    if not phrase:
        if not demo:
            raise SecretKeyMissing()
        phrase = DEMO_KEY_PHRASE
    key = hashlib.sha256(("siaga-totp:" + phrase).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(secret: str, demo: bool = False) -> str:
    return _fernet(demo).encrypt(secret.encode()).decode()


def decrypt_secret(token: str, demo: bool = False) -> str | None:
    """The secret, or None when the key changed (the user must be reset and enrol again)."""
    try:
        return _fernet(demo).decrypt(token.encode()).decode()
    except InvalidToken:
        return None

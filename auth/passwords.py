"""Password policy and hashing, after OWASP ASVS 4 level 2 (V2.1, V2.4).

- argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile);
- at least 12 characters, at most 128; no composition rules;
- refused when it is in the bundled list of common passwords, or is the username.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that both cases cost one argon2 run.
_DUMMY_HASH = _hasher.hash("siaga-dummy-password-never-used")


class PasswordRejected(ValueError):
    """The new password does not meet the policy; the message says why, never the password."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why `password` may not be used, or None if it may."""
    length = len(password)
    if length < MIN_LENGTH:
        return f"the password must have at least {MIN_LENGTH} characters (it has {length})"
    if length > MAX_LENGTH:
        return f"the password may have at most {MAX_LENGTH} characters (it has {length})"
    if password.lower() in common_passwords():
        return "this password is on the list of common passwords; choose a less predictable one"
    if username and password.lower() == username.lower():
        return "the password must not be the username"
    return None


def hash_password(password: str, username: str | None = None) -> str:
    """The argon2id hash of a password that meets the policy; raises PasswordRejected."""
    problem = password_problem(password, username)
    if problem:
        raise PasswordRejected(problem)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_unknown_user(password: str) -> bool:
    """Spend the same time as a real check, then fail."""
    verify_password(_DUMMY_HASH, password)
    return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)

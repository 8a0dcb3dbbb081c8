"""Password policy and hashing, after OWASP ASVS 4 level 2 (V2.1, V2.4) and NIST SP 800-63B.

- argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile);
- at least 12 characters, at most 128; no composition rules;
- refused when it is on the bundled lists of common passwords (auth/wordlists, 140,000
  entries and Indonesian ones), or is one of their entries with digits or symbols added;
  when it is one character repeated, whitespace only, digits only (dates, phone numbers,
  NPSNs) or holds control characters; and when it contains the username or an NPSN of
  the user's schools.

Each refusal is a PasswordRejected with a `code` and `values`, which the UI turns into
its own words (catalogue keys `password.problem.<code>`).
"""

from __future__ import annotations

import gzip
import itertools
import string
import unicodedata
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128
ONLY_DIGITS_BELOW = 20  # a shorter run of digits is a date, a phone number or an NPSN
WORDLISTS = Path(__file__).with_name("wordlists")
COMMON_PASSWORDS = WORDLISTS / "common-passwords.txt.gz"
INDONESIAN_PASSWORDS = WORDLISTS / "indonesia.txt"
_JENJANG = ("sd", "smp", "sma", "smk", "slb", "mi", "mts", "ma", "tk", "paud", "sdit", "smpit")
_FORMS = ("", "n", "s", "negeri", "swasta", "it")
_PADDING = string.digits + string.punctuation + string.whitespace

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that both cases cost one argon2 run.
_DUMMY_HASH = _hasher.hash("siaga-dummy-password-never-used")


class PasswordRejected(ValueError):
    """The new password does not meet the policy; the message says why, never the password."""

    def __init__(self, message: str, code: str = "policy", **values):
        self.code = code
        self.values = values
        super().__init__(message)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as handle:
        words = {line.rstrip("\n") for line in handle}
    lines = INDONESIAN_PASSWORDS.read_text(encoding="utf-8").splitlines()
    words |= {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    words |= {"".join(parts) for parts in itertools.product(_JENJANG, _FORMS)}  # smkn, sdnegeri, …
    words.discard("")
    return frozenset(words)


def _is_common(password: str) -> bool:
    words = common_passwords()
    lowered = password.lower()
    for candidate in (lowered, "".join(lowered.split())):
        base = candidate.strip(_PADDING)
        if candidate in words or (len(base) >= 3 and base in words):
            return True
    return False


def password_problem(password: str, username: str | None = None, npsns: tuple[str, ...] = ()
                     ) -> tuple[str, str, dict] | None:  # fmt: skip
    """Why `password` may not be used, as (code, message, values), or None if it may."""
    length = len(password)
    if length < MIN_LENGTH:
        return "too_short", f"the password must have at least {MIN_LENGTH} characters (it has {length})", {
            "min": MIN_LENGTH, "length": length}
    if length > MAX_LENGTH:
        return "too_long", f"the password may have at most {MAX_LENGTH} characters (it has {length})", {
            "max": MAX_LENGTH, "length": length}
    if not password.strip():
        return "blank", "the password must not be whitespace only", {}
    if len(set(password)) == 1:
        return "repeated", "the password must not be one character repeated", {}
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in password):
        return "control", "the password must not contain control characters", {}
    if password.isdigit() and length < ONLY_DIGITS_BELOW:
        return "digits_only", (f"a password of digits only needs at least {ONLY_DIGITS_BELOW} of them: shorter ones "
                               "are dates, phone numbers or NPSNs"), {"min": ONLY_DIGITS_BELOW}  # fmt: skip
    if username and len(username) >= 3 and username.lower() in password.lower():
        return "username", "the password must not contain the username", {}
    for npsn in npsns:
        if npsn and npsn.lower() in password.lower():
            return "npsn", "the password must not contain the school's NPSN", {"npsn": npsn}
    if _is_common(password):
        return "common", ("this password is on the list of common passwords, or is one with digits or symbols "
                          "added; choose a less predictable one, e.g. several unrelated words"), {}  # fmt: skip
    return None


def hash_password(password: str, username: str | None = None, npsns: tuple[str, ...] = ()) -> str:
    """The argon2id hash of a password that meets the policy; raises PasswordRejected."""
    problem = password_problem(password, username, npsns)
    if problem:
        code, message, values = problem
        raise PasswordRejected(message, code, **values)
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

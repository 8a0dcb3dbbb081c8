"""Sign-in throttling: after 5 failed sign-ins in a row the account is locked
for 15 minutes (ASVS V2.2.1). Pure functions; storage keeps the counter."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15


class SignInFailed(Exception):
    """One message for an unknown user, a wrong password, an inactive or a locked
    account, so that the message never tells which usernames exist."""

    MESSAGE = (
        "Sign-in failed: the username or password is wrong, or the account is locked "
        f"for {LOCK_MINUTES} minutes after {MAX_FAILED_ATTEMPTS} failed attempts."
    )

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def after_failure(failed_attempts: int, now: datetime) -> tuple[int, datetime | None]:
    """The new (failed_attempts, locked_until) after one more failure.

    The counter starts again once the lock is set, so the next lock needs five
    fresh failures after it expires."""
    failed_attempts += 1
    if failed_attempts >= MAX_FAILED_ATTEMPTS:
        return 0, now + timedelta(minutes=LOCK_MINUTES)
    return failed_attempts, None

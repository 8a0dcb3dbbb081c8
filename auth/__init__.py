"""Accounts without a database: password hashing and policy, sign-in throttling,
roles and what each role may do. `storage` keeps the accounts; this package only
decides. Nothing here imports streamlit or storage."""

from .passwords import (
    MIN_LENGTH,
    PasswordRejected,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
    verify_unknown_user,
)
from .roles import ROLES, SECOND_FACTOR_ROLES, Action, Actor, Role, may
from .throttle import (
    LOCK_MINUTES,
    MAX_FAILED_ATTEMPTS,
    SignInFailed,
    SignInThrottled,
    after_failure,
    client_address,
    is_locked,
    trusted_proxies,
)

__all__ = [
    "LOCK_MINUTES",
    "MAX_FAILED_ATTEMPTS",
    "MIN_LENGTH",
    "ROLES",
    "SECOND_FACTOR_ROLES",
    "Action",
    "Actor",
    "PasswordRejected",
    "Role",
    "SignInFailed",
    "SignInThrottled",
    "after_failure",
    "client_address",
    "hash_password",
    "is_locked",
    "may",
    "needs_rehash",
    "password_problem",
    "trusted_proxies",
    "verify_password",
    "verify_unknown_user",
]

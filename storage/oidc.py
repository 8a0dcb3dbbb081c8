"""Sign-in through belajar.id (OpenID Connect, st.login) and linking e-mail addresses to accounts.

st.login (Authlib) has checked the ID token's signature, iss, aud, exp and nonce before any
claim reaches here. On every sign-in this module checks again what Siaga Siber decides:
the e-mail is verified, its domain is allowed (SIAGA_OIDC_DOMAINS), the Google Workspace
`hd` claim (where present) names an allowed domain and matches, the token has not expired,
and an admin linked the address to an active account. No account is ever created from a token.
"""

from __future__ import annotations

import os
import re
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import Action, Actor, is_locked

from .access import authorize
from .audit import record
from .errors import AlreadyExists, InvalidInput
from .models import User, utcnow
from .scopes import actor_for
from .tx import unit_of_work
from .users import _user

_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
EMAIL = re.compile(rf"^[a-z0-9._%+\-']{{1,64}}@{_LABEL}(?:\.{_LABEL})+$")


class OidcRefused(Exception):
    """A valid token that Siaga Siber does not accept; `reason` names the check
    ("no_email", "unverified", "domain", "hd", "expired", "unknown", "inactive", "locked")."""

    def __init__(self, reason: str, email: str | None = None):
        self.reason, self.email = reason, email
        super().__init__(f"belajar.id sign-in refused ({reason}) for {email or 'no e-mail'}")


def allowed_domains() -> tuple[str, ...]:
    raw = os.environ.get("SIAGA_OIDC_DOMAINS", "belajar.id")
    return tuple(d.strip().lower().lstrip("@") for d in raw.split(",") if d.strip())


def normal_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """The address, lower-case, if it is well-formed and its domain allowed; else InvalidInput."""
    email = normal_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(f"E-mail '{email[:80]}' is not a valid address.")
    if email.rsplit("@", 1)[1] not in allowed_domains():
        raise InvalidInput(f"E-mail '{email}' is outside the allowed domains: {', '.join(allowed_domains())}.")
    return email


def claim_problem(claims: dict, now: float | None = None) -> tuple[str, str | None] | None:
    """(reason, e-mail) when these ID-token claims may not sign anyone in, else None."""
    email = normal_email(str(claims.get("email") or ""))
    if not email or "@" not in email:
        return "no_email", None
    if claims.get("email_verified") not in (True, "true", "True"):
        return "unverified", email
    domain = email.rsplit("@", 1)[1]
    if domain not in allowed_domains():
        return "domain", email
    hd = claims.get("hd")
    if hd is not None and (str(hd).lower() != domain or str(hd).lower() not in allowed_domains()):
        return "hd", email
    exp = claims.get("exp")
    if exp is not None and float(exp) < (now if now is not None else time.time()):
        return "expired", email
    return None


def oidc_sign_in(session: Session, claims: dict, now: float | None = None) -> Actor:
    """The actor of the account linked to this token's e-mail, or OidcRefused; every
    refusal is written to the audit log (committed before the refusal is raised)."""
    outcome = _sign_in(session, claims, now)
    if isinstance(outcome, OidcRefused):
        raise outcome
    return outcome


@unit_of_work(write=True)
def _sign_in(session: Session, claims: dict, now: float | None) -> Actor | OidcRefused:
    problem = claim_problem(claims, now)
    email = problem[1] if problem else normal_email(str(claims["email"]))
    user = None if problem else session.scalar(select(User).where(User.email == email).with_for_update())
    reason = problem[0] if problem else (
        "unknown" if user is None else "inactive" if not user.active
        else "locked" if is_locked(user.locked_until, utcnow()) else None)  # fmt: skip
    if reason is not None:
        record(session, None, "oidc_sign_in_refused", "user", user.username if user else None, reason=reason,
               email=(email or "")[:254], issuer=str(claims.get("iss", ""))[:200])  # fmt: skip
        return OidcRefused(reason, email)
    user.last_sign_in_at = utcnow()
    actor = actor_for(session, user, via_oidc=True)
    record(session, actor, "sign_in", "user", user.username, method="belajar.id")
    return actor


def _link(session: Session, actor: Actor, user: User, email: str | None) -> None:
    if email is not None:
        owner = session.scalar(select(User.username).where(User.email == email, User.id != user.id))
        if owner is not None:
            raise AlreadyExists(f"E-mail '{email}' is already linked to the account '{owner}'.")
    user.email = email
    record(session, actor, "link_email" if email else "unlink_email", "user", user.username, email=email)


@unit_of_work(write=True)
def link_email(session: Session, actor: Actor, username: str, email: str | None) -> None:
    """Admin: link a belajar.id address to an account (None or "" unlinks it)."""
    authorize(session, actor, Action.MANAGE_USERS, "user", username)
    user = _user(session, username)
    _link(session, actor, user, check_email(email) if email and email.strip() else None)

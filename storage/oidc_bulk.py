"""Linking belajar.id addresses in bulk: a CSV of `email,role` and one scope column
(`npsn`, `province`, or `kabupaten`). Each new address gets an account of that role and
scope that signs in only through belajar.id (no password opens it); an address already
linked is left as it is. One bad line saves nothing; every problem names its line and field."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .audit import record
from .errors import InvalidInput, NotFound
from .models import User, utcnow
from .oidc import check_email
from .scopes import UserScope, resolve_scope, write_scope
from .signin import NO_PASSWORD
from .tx import unit_of_work
from .users import USERNAME

MAX_ROWS = 5000
MAX_BYTES = 2_000_000
SCOPE_COLUMNS = ("npsn", "province", "kabupaten")


def _username(email: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0])[:50].strip("._-") or "pengguna"
    base = base if len(base) >= 3 else f"{base}-bid"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


@unit_of_work(write=True)
def link_emails_csv(session: Session, actor: Actor, data: bytes, file_name: str) -> dict[str, int]:
    """{"created": n, "already_linked": m}, or InvalidInput naming every bad line (nothing saved)."""
    authorize(session, actor, Action.MANAGE_USERS, "user", None)
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{file_name}: the file is larger than {MAX_BYTES // 1_000_000} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file_name}: the file is not UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "email" not in header or "role" not in header or not set(header) & set(SCOPE_COLUMNS):
        raise InvalidInput(f"{file_name}, line 1: the header must be email,role and npsn, province or kabupaten.")
    problems, plans, seen = [], [], set()
    taken = set(session.scalars(select(User.username)))
    linked = dict(session.execute(select(User.email, User.role).where(User.email.is_not(None))).all())
    for line, raw in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            problems.append(f"line {line}: more than {MAX_ROWS} lines")
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        try:
            email = check_email(row.get("email", ""))
        except InvalidInput as err:
            problems.append(f"line {line}, email: {err}")
            continue
        if email in seen:
            problems.append(f"line {line}, email: '{email}' appears twice in the file")
            continue
        seen.add(email)
        if email in linked:
            continue
        parts = {c: tuple(v for v in re.split(r"[;\s]+", row.get(c, "")) if v) for c in SCOPE_COLUMNS}
        field = next((c for c in SCOPE_COLUMNS if parts[c]), "npsn")
        try:
            role, school_ids, scope = resolve_scope(session, row.get("role", "").lower(),
                                                    UserScope(parts["npsn"], parts["province"], parts["kabupaten"]),
                                                    False)  # fmt: skip
        except (InvalidInput, NotFound) as err:
            problems.append(f"line {line}, role/{field}: {err} ({' '.join(parts[field])})")
            continue
        plans.append((email, role, school_ids, scope))
    if problems:
        raise InvalidInput(f"{file_name}: nothing was saved.\n" + "\n".join(problems[:50]))
    for email, role, school_ids, scope in plans:
        name = _username(email, taken)
        assert USERNAME.match(name)
        user = User(username=name, display_name=email, password_hash=NO_PASSWORD + "belajar.id", role=role.value,
                    national=False, active=True, failed_attempts=0, created_at=utcnow(), email=email)  # fmt: skip
        session.add(user)
        session.flush()
        write_scope(session, user.id, school_ids, scope)
    record(session, actor, "link_emails_csv", "user", None, file=file_name[:200], created=len(plans),
           already_linked=len(seen) - len(plans))  # fmt: skip
    return {"created": len(plans), "already_linked": len(seen) - len(plans)}

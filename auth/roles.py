"""The four roles, what each may do, and the signed-in actor.

What a role may do is decided here; which schools it may do it to (its scope)
is enforced by storage inside every query, from the scope kept in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SEKOLAH = "sekolah"  # school operator: fills in and submits their school's assessments
    AUDITOR = "auditor"  # Balai TIK: verifies or returns submissions in their provinces or kabupaten/kota
    PIMPINAN = "pimpinan"  # leader (e.g. kepala dinas): reads within a kabupaten/kota, a province or the country
    ADMIN = "admin"  # platform administrator: accounts, schools, questionnaires, audit log


ROLES = tuple(r.value for r in Role)
# Signing in with a password, these roles must pass a second factor (TOTP) before anything else.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})


class Action(StrEnum):
    READ = "read"  # schools, assessments, results and dashboards, within scope
    EDIT_ASSESSMENT = "edit_assessment"  # start, save a draft, submit
    REVIEW_ASSESSMENT = "review_assessment"  # verify or return
    IMPORT_ANSWERS = "import_answers"  # bulk-import answers collected offline, stored as submitted
    MANAGE_SCHOOLS = "manage_schools"
    MANAGE_QUESTIONNAIRES = "manage_questionnaires"
    MANAGE_USERS = "manage_users"
    READ_AUDIT_LOG = "read_audit_log"


# Duties are kept apart: the admin sees everything but neither answers for a
# school nor verifies one, so a verified result always means an auditor checked it.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.SEKOLAH: frozenset({Action.READ, Action.EDIT_ASSESSMENT}),
    Role.AUDITOR: frozenset({Action.READ, Action.REVIEW_ASSESSMENT, Action.IMPORT_ANSWERS}),
    Role.PIMPINAN: frozenset({Action.READ}),
    Role.ADMIN: frozenset(
        {
            Action.READ,
            Action.MANAGE_SCHOOLS,
            Action.MANAGE_QUESTIONNAIRES,
            Action.MANAGE_USERS,
            Action.READ_AUDIT_LOG,
        }
    ),
}


def may(role: Role | str, action: Action) -> bool:
    return action in ROLE_ACTIONS[Role(role)]


@dataclass(frozen=True)
class Actor:
    """Who is acting, resolved once at sign-in. It names the user; storage checks
    the user's current role, active flag and scope in the database on every call."""

    user_id: int | None
    username: str
    role: Role
    display_name: str = ""
    school_npsns: tuple[str, ...] = ()
    province_codes: tuple[str, ...] = ()
    national: bool = False
    must_change_password: bool = False  # signed in with a one-time password set by an admin
    session_generation: int = 0  # the account's generation at sign-in; storage refuses an older one
    kabupaten_codes: tuple[str, ...] = ()  # BPS codes of an auditor's or leader's kabupaten/kota
    jenjang: tuple[str, ...] = ()  # the jenjang the scope is limited to; empty: every jenjang
    # Set at a password sign-in when the role requires TOTP or the account enrolled in it;
    # until second_factor is passed, storage refuses every call but the second step.
    needs_second_factor: bool = False
    second_factor: bool = False  # passed TOTP (or a recovery code) in this sign-in
    via_oidc: bool = False  # signed in through belajar.id (st.login): signing out ends that session too

    @property
    def awaits_second_factor(self) -> bool:
        return self.needs_second_factor and not self.second_factor

    @property
    def is_system(self) -> bool:
        """The command line and the demo seeder act as the system, not as a user."""
        return self.user_id is None

"""Siaga Siber's database: schools, accounts, assessments, scores and the audit log.

Every public function takes a SQLAlchemy session and the acting user (auth.Actor),
runs as one transaction, and enforces the user's scope inside its queries.
Nothing here imports streamlit.
"""

from . import messages  # noqa: F401 - adds the data layer's message ids to the catalogue
from .assessments import (
    AssessmentInfo,
    get_assessment,
    get_or_create_assessment,
    list_assessments,
    save_answer,
    save_draft,
    submit,
)
from .audit import AuditRecord, audit_log
from .db import database_url, downgrade, make_engine, session_factory, upgrade
from .errors import (
    AccessDenied,
    AlreadyExists,
    DatabaseBusy,
    Incomplete,
    InvalidAnswers,
    InvalidInput,
    NotFound,
    SessionRevoked,
    StaleVersion,
    StorageError,
    WrongStatus,
)
from .imports import import_draft
from .oidc import OidcRefused, allowed_domains, link_email, oidc_sign_in
from .oidc_bulk import link_emails_csv
from .questionnaires import (
    QuestionnaireInfo,
    activate_questionnaire,
    get_questionnaire,
    list_questionnaires,
    register_file,
    register_questionnaire,
)
from .results import HistoryRow, ScoreRow, get_result, school_history, scores_in_scope
from .review import return_assessment, verify
from .schools import SchoolInfo, get_school, import_schools, list_kabupaten, list_provinces, list_schools
from .second_factor import enrol, recovery_codes_left, reset_second_factor, second_factor_status, verify_code
from .sessions import session_is_live, sign_out_everywhere
from .signin import authenticate
from .system import SYSTEM, is_demo_database, system_actor
from .users import (
    UserInfo,
    change_password,
    create_user,
    list_users,
    reset_password,
    set_active,
    set_scope,
    unlock_user,
)

__all__ = [
    "SYSTEM", "AccessDenied", "AlreadyExists", "AssessmentInfo", "AuditRecord", "DatabaseBusy", "HistoryRow",
    "Incomplete", "SessionRevoked",
    "InvalidAnswers", "InvalidInput", "NotFound", "QuestionnaireInfo", "SchoolInfo", "ScoreRow", "StaleVersion",
    "StorageError", "UserInfo", "WrongStatus", "activate_questionnaire", "audit_log", "authenticate",
    "change_password", "create_user", "database_url", "downgrade", "get_assessment",
    "get_or_create_assessment", "get_questionnaire", "get_result", "get_school", "import_draft", "import_schools",
    "is_demo_database", "list_assessments", "list_kabupaten", "list_provinces", "list_questionnaires",
    "list_schools", "list_users",
    "make_engine", "register_file", "register_questionnaire", "reset_password", "return_assessment", "save_answer",
    "save_draft",
    "school_history", "scores_in_scope", "session_factory", "session_is_live", "set_active", "set_scope",
    "sign_out_everywhere", "submit", "system_actor",
    "unlock_user", "upgrade", "verify",
    "OidcRefused", "allowed_domains", "link_email", "oidc_sign_in", "link_emails_csv",
    "enrol", "recovery_codes_left", "reset_second_factor", "second_factor_status", "verify_code",
]  # fmt: skip

# Registered last: the views' tables (review marks, uploaded baselines) join Base.metadata
# whenever storage is imported, so migrations, backups and tests see every table.
from . import (  # noqa: E402, F401  # noqa: E402, F401
    activity,
    baselines,
    bulk,
    dashboards,
    evidence,
    follow_up,
    preferences,
    review,
    school_pages,
    school_table,
    tasks,
)
from .aggregates import improvements, similar  # noqa: E402, F401

"""Named errors. Each message is written for the person at the screen."""

from __future__ import annotations

from scoring.loader import render_problems
from scoring.messages import Message


class StorageError(Exception):
    """Base of every error the data layer raises on purpose."""


class AccessDenied(StorageError):
    """The acting user may not do this, or not to this object. The attempt is audit-logged."""

    def __init__(self, username: str, action: str, object_type: str, object_id: object = None, reason: str = ""):
        self.username = username
        self.action = action
        self.object_type = object_type
        self.object_id = None if object_id is None else str(object_id)
        self.reason = reason or "outside the user's scope"
        target = object_type if object_id is None else f"{object_type} {object_id}"
        super().__init__(f"Access denied: {username} may not {action} {target} ({self.reason}).")


class SessionRevoked(AccessDenied):
    """The session was ended after it began (sign-out everywhere, a password change or reset,
    deactivation, a role or scope change): sign in again."""

    def __init__(self, username: str, action: str, object_type: str, object_id: object = None):
        super().__init__(username, action, object_type, object_id, "the session was ended; sign in again")


class DatabaseBusy(StorageError):
    """The database stayed locked by other writers through every retry: nothing was saved."""

    def __init__(self, attempts: int, seconds: float):
        self.attempts = attempts
        self.seconds = seconds
        super().__init__(
            f"The database was busy for {seconds:.0f} s ({attempts} attempts): nothing was saved. Try again."
        )


class NotFound(StorageError):
    def __init__(self, object_type: str, object_id: object):
        self.object_type = object_type
        self.object_id = str(object_id)
        super().__init__(f"No {object_type} '{object_id}' exists.")


class AlreadyExists(StorageError):
    pass


class StaleVersion(StorageError):
    """Someone else saved this assessment after it was opened; nothing was overwritten."""

    def __init__(self, assessment_id: int, expected: int, current: int):
        self.assessment_id = assessment_id
        self.expected = expected
        self.current = current
        super().__init__(
            f"Assessment {assessment_id} was changed by someone else since you opened it "
            f"(your copy is version {expected}, the stored one is version {current}). "
            "Nothing was saved: reload it, then make your changes again."
        )


class WrongStatus(StorageError):
    """The assessment's status does not allow this step (e.g. verifying a draft)."""


def first_ten(ids: list[str]) -> str:
    """The first ten ids, and how many more there are."""
    return ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


class Incomplete(StorageError):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(
            f"Cannot submit: {len(missing)} question(s) are not answered ({first_ten(missing)}). "
            "Answer every question; 'na' (not applicable) counts as an answer where it is allowed."
        )


class InvalidAnswers(StorageError):
    """Answers that do not fit the stored questionnaire version; `problems` lists each."""

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__("Invalid answers:\n" + "\n".join(map(str, problems)))


class InvalidInput(StorageError):
    """A value that is not valid, e.g. a period that is not like 2025-1; or an import file's
    rows, with `problems` naming each row. A `Message` renders in the user's language."""

    def __init__(self, message: str | Message, problems: list | None = None):
        self.message = message
        self.problems = problems or []
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        text = self.message.render(lang) if isinstance(self.message, Message) else self.message
        return text + ("\n" + render_problems(self.problems, lang) if self.problems else "")

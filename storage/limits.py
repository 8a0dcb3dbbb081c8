"""Server-side limits on the text people write: lengths and characters, one rule per field.

The browser's max_chars is a courtesy; these are the rules. Every write entry point of
the data layer calls `check_text` (or `text_problem`, where problems are collected per
file row), so a value is refused with a named error before the database sees it: SQLite
would store a NUL or 100,000 characters silently, PostgreSQL fails on either with an
error that is no use to the person at the screen.
"""

from __future__ import annotations

import unicodedata

from scoring.messages import Message, msg

from .errors import InvalidInput

MAX_RETURN_REASONS = 4000
MAX_NOTE = 2000
MAX_COMMENT = 2000
MAX_SCHOOL_NAME = 200
MAX_KABUPATEN_KOTA = 100
MAX_DISPLAY_NAME = 120
MAX_USERNAME = 60
MAX_SEARCH = 200
MAX_LOGGED = 80  # an object id in the audit log

# Bidirectional overrides and isolates reorder what is shown (a name that reads differently
# from what it is); other format characters, like the zero-width joiner, are ordinary text.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_LINE_BREAKS = {"\n", "\r", "\t"}


class TextLimitError(InvalidInput):
    """A value breaks a limit; `field` names it, `problem` says what would be right."""

    def __init__(self, field: str, problem: Message):
        self.field, self.problem = field, problem
        super().__init__(msg("limit.field", field=field, problem=problem))


class TextTooLong(TextLimitError):
    def __init__(self, field: str, length: int, limit: int):
        self.length, self.limit = length, limit
        super().__init__(field, msg("limit.too_long", limit=limit, length=length))


class ForbiddenCharacter(TextLimitError):
    def __init__(self, field: str, position: int, character: str):
        self.position, self.character = position, character
        super().__init__(field, msg("limit.control_character", char=f"U+{ord(character):04X}", position=position))


def _forbidden(character: str, multiline: bool) -> bool:
    if multiline and character in _LINE_BREAKS:
        return False
    return unicodedata.category(character) in ("Cc", "Cs") or character in _BIDI_CONTROLS


def limit_error(field: str, value: str, limit: int, *, multiline: bool = False) -> TextLimitError | None:
    """The error `value` would raise as `field`, or None. Single-line fields refuse line
    breaks and tabs too; multi-line ones (reasons, notes, comments) allow them."""
    if len(value) > limit:
        return TextTooLong(field, len(value), limit)
    for position, character in enumerate(value, 1):
        if _forbidden(character, multiline):
            return ForbiddenCharacter(field, position, character)
    return None


def check_text(field: str, value: str, limit: int, *, multiline: bool = False) -> str:
    """`value`, or TextTooLong / ForbiddenCharacter naming `field`."""
    error = limit_error(field, value, limit, multiline=multiline)
    if error is not None:
        raise error
    return value


def text_problem(value: str, limit: int, *, multiline: bool = False) -> Message | None:
    """What is wrong with `value`, without the field's name (for a file's problem list), or None."""
    error = limit_error("", value, limit, multiline=multiline)
    return None if error is None else error.problem


def loggable(value: object, limit: int = MAX_LOGGED) -> str:
    """A value safe to keep as an audit-log object id: control characters escaped, cut to `limit`."""
    text = "".join(c if not _forbidden(c, False) else f"\\u{ord(c):04x}" for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"

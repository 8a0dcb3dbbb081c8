"""The auditor's table a page at a time: paged in the database by keyset (never OFFSET), so a
page costs the same at the start of a 40,000-school province as at its end; counted apart; and
the whole filtered set as a stream of pages, for exports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth import Action, Actor

from .access import authorize
from .assessments import check_period
from .errors import InvalidInput
from .models import School
from .school_table import ANY_SCHOOL, PAGE_SIZE, SchoolFilter, SchoolRow, conditions, rows, sort_values, with_assessment
from .tx import unit_of_work


@dataclass(frozen=True)
class Page:
    rows: list[SchoolRow]
    after: tuple | None  # the keyset of the next page; None on the last page


@unit_of_work()
def school_page(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL, *,
    sort: str = "place", after: Sequence | None = None, size: int = PAGE_SIZE,
) -> Page:  # fmt: skip
    """One page of the school table, paged in the database by keyset (never OFFSET): a page
    costs the same at the start of a 40,000-school province as at its end."""
    authorize(session, actor, Action.READ, "schools")
    if not 1 <= size <= 5000:
        raise InvalidInput(f"A page holds 1 to 5000 schools ({size} asked).")
    found = rows(session, actor, questionnaire_id, period, filters, sort=sort, after=after, limit=size + 1)
    more = len(found) > size
    return Page(found[:size], sort_values(found[size - 1], sort) if more else None)


@unit_of_work()
def count_schools(
    session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL
) -> int:
    """How many schools the filter holds (the table's caption)."""
    authorize(session, actor, Action.READ, "schools")
    check_period(period)
    query = with_assessment(select(func.count()).select_from(School), questionnaire_id, period)
    return session.scalar(query.where(*conditions(session, actor, filters))) or 0


def every_row(session: Session, actor: Actor, questionnaire_id: str, period: str, filters: SchoolFilter = ANY_SCHOOL,
              *, sort: str = "place", batch: int = 2000) -> Iterator[SchoolRow]:  # fmt: skip
    """The whole filtered table as a stream, page after page (for exports): memory stays one
    page, whatever the size of the province."""
    after = None
    while True:
        page = school_page(session, actor, questionnaire_id, period, filters, sort=sort, after=after, size=batch)
        yield from page.rows
        if page.after is None:
            return
        after = page.after

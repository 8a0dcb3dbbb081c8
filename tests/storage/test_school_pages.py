"""The auditor's table paged in the database: pages in sort order add up to the whole filtered
table, the count matches, and the export's stream holds every row."""

from __future__ import annotations

import pytest

import storage
from storage.school_pages import count_schools, every_row, school_page
from storage.school_table import SchoolFilter, school_table

from .views_world import build

PERIOD = "2025-1"


@pytest.fixture
def big(make_session, password_hash, world):
    return build(make_session, password_hash, world)


def paged(session, actor, filters, sort, size):
    found, after = [], None
    while True:
        page = school_page(session, actor, "contoh", PERIOD, filters, sort=sort, after=after, size=size)
        assert len(page.rows) <= size
        found += page.rows
        if page.after is None:
            return found
        after = page.after


@pytest.mark.parametrize("filters", [SchoolFilter(), SchoolFilter(jenjang="SD"), SchoolFilter(status="swasta"),
                                     SchoolFilter(assessment_state="submitted"), SchoolFilter(search="uji")])
def test_pages_in_place_order_add_up_to_the_whole_table(big, session, filters):
    auditor = big.world.actors["auditor_13"]
    whole = school_table(session, auditor, "contoh", PERIOD, filters)
    for size in (1, 2, 3, 50):
        assert paged(session, auditor, filters, "place", size) == whole
    assert count_schools(session, auditor, "contoh", PERIOD, filters) == len(whole)
    assert list(every_row(session, auditor, "contoh", PERIOD, filters, batch=2)) == whole


def test_lowest_score_first_puts_unscored_schools_last(big, session):
    auditor = big.world.actors["auditor_13"]
    rows = paged(session, auditor, SchoolFilter(), "score", 2)
    scores = [r.score for r in rows]
    scored = [s for s in scores if s is not None]
    assert scored == sorted(scored) and scores[len(scored):] == [None] * (len(scores) - len(scored))
    assert sorted(r.npsn for r in rows) == sorted(r.npsn for r in school_table(session, auditor, "contoh", PERIOD))


def test_a_page_stays_in_the_scope(big, session):
    rows = paged(session, big.world.actors["auditor_31"], SchoolFilter(), "place", 1)
    assert [r.npsn for r in rows] == ["Z3100001"]
    with pytest.raises(storage.AccessDenied):
        school_page(session, big.world.actors["auditor_31"], "contoh", PERIOD, SchoolFilter(province_code="13"))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sort": "nama"}, "Sort 'nama' must be one of place, score"),
    ({"after": ("13",)}, "does not fit the sort order"),
    ({"size": 0}, "1 to 5000"),
])  # fmt: skip
def test_a_bad_page_request_is_named(big, session, kwargs, message):
    with pytest.raises(storage.InvalidInput, match=message):
        school_page(session, big.world.actors["auditor_13"], "contoh", PERIOD, **kwargs)

"""Many writers at once: nothing lost, no 'database is locked', exactly one winner."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

import storage
from auth import Role
from storage.models import Assessment, AssessmentResult

from .conftest import FULL_ANSWERS, add_schools, add_user
from .test_aggregates import assert_consistent

THREADS, SUBMISSIONS = 8, 50


def test_8_threads_x_50_submissions_are_all_stored(world, make_session, password_hash):
    session = make_session()
    rows = [(f"Z14{t}{i:04d}", f"SD Contoh {t}-{i}", "SD", "negeri", "13", "Kota Padang")
            for t in range(THREADS) for i in range(SUBMISSIONS)]  # fmt: skip
    school_ids = add_schools(session, rows)
    operators = [
        add_user(session, password_hash, f"operator_{t}", Role.SEKOLAH,
                 [r[0] for r in rows if r[0].startswith(f"Z14{t}")], school_ids=school_ids)
        for t in range(THREADS)
    ]  # fmt: skip
    session.commit()
    errors: list[BaseException] = []

    def work(t: int) -> int:
        own = make_session()
        done = 0
        try:
            for i in range(SUBMISSIONS):
                npsn = f"Z14{t}{i:04d}"
                draft = storage.get_or_create_assessment(own, operators[t], npsn, "contoh", "2025-1")
                version = storage.save_draft(own, operators[t], draft.id, FULL_ANSWERS, draft.version)
                storage.submit(own, operators[t], draft.id, version)
                done += 1
        except BaseException as err:  # collected: an error must fail the test, not vanish in a thread
            errors.append(err)
        return done

    with ThreadPoolExecutor(THREADS) as pool:
        done = sum(pool.map(work, range(THREADS)))
    assert errors == []
    assert done == THREADS * SUBMISSIONS
    ids = select(Assessment.id).where(Assessment.period == "2025-1", Assessment.status == "submitted")
    assert session.scalar(select(func.count()).select_from(ids.subquery())) == THREADS * SUBMISSIONS + 2
    assert session.scalar(select(func.count()).select_from(AssessmentResult)) == THREADS * SUBMISSIONS + 2
    # Every submission added to the same 12 group rows at once: none of the additions was lost.
    assert_consistent(session)


def race(make_session, actor, draft_id: int, version: int) -> list[object]:
    """Two sessions save the same draft at the same moment, both from `version`."""
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def save(value: int) -> None:
        own = make_session()
        barrier.wait()
        try:
            outcomes.append(storage.save_draft(own, actor, draft_id, {"q1": value}, version))
        except storage.StaleVersion as stale:
            outcomes.append(stale)
        finally:
            own.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in (0, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_sessions_saving_the_same_draft_exactly_one_wins(world, make_session):
    actor = world.actors["operator_a"]
    draft_id = world.drafts["Z1300001"]
    version = world.draft_versions["Z1300001"]
    for _ in range(5):
        outcomes = race(make_session, actor, draft_id, version)
        winners = [o for o in outcomes if isinstance(o, int)]
        losers = [o for o in outcomes if isinstance(o, storage.StaleVersion)]
        assert (len(winners), len(losers)) == (1, 1), outcomes
        assert winners == [version + 1]
        version = winners[0]

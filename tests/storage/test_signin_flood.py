"""Benchmark-style: 3 threads trying unknown usernames while one operator saves 40 answers
on a real SQLite file. No save may fail; the save times are printed, not asserted
(run with -s to see them; benchmarks/signin_flood.py prints more)."""

from __future__ import annotations

import pytest

from benchmarks.signin_flood import prepare, run

SAVES, THREADS = 40, 3


@pytest.mark.parametrize("rotate", [True, False], ids=["a-new-address-each", "one-address"])
def test_a_sign_in_flood_fails_no_save(tmp_path, rotate):
    engine, operator, assessment_id = prepare(tmp_path)
    try:
        alone = run(engine, operator, assessment_id, SAVES)
        flooded = run(engine, operator, assessment_id, SAVES, THREADS, rotate=rotate)
    finally:
        engine.dispose()
    print()
    print(alone.line("no flood"))
    print(flooded.line(f"{THREADS} threads, " + ("a new address each" if rotate else "one address")))
    assert alone.failed_saves == [] and flooded.failed_saves == []
    assert len(flooded.saves) == SAVES
    assert flooded.sign_ins >= THREADS  # the flood really ran during the saves

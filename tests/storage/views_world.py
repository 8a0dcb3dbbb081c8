"""A bigger world for the views' storage tests: the conftest World plus enough scored
schools in Sumatera Barat (13) that aggregates over them may be shown."""

from __future__ import annotations

from dataclasses import dataclass

import storage
from auth import Role

from .conftest import World, add_schools, add_user

# (npsn, jenjang, status, kabupaten/kota, answers of q1..q5)
EXTRA = [
    ("Z1300010", "SD", "negeri", "Kota Padang", {"q1": 3, "q2": 3, "q3": 3, "q4": 3, "q5": 3}),
    ("Z1300011", "SD", "negeri", "Kota Padang", {"q1": 2, "q2": 1, "q3": "na", "q4": 2, "q5": 1}),
    ("Z1300012", "SD", "swasta", "Kota Padang", {"q1": 1, "q2": 0, "q3": 0, "q4": 1, "q5": 0}),
    ("Z1300013", "SMP", "negeri", "Kabupaten Agam", {"q1": 3, "q2": 2, "q3": 3, "q4": "na", "q5": 2}),
    ("Z1300014", "SMP", "swasta", "Kabupaten Agam", {"q1": 0, "q2": 1, "q3": 0, "q4": 0, "q5": 1}),
    ("Z1300015", "SMA", "negeri", "Kabupaten Agam", {"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 2}),
]


@dataclass
class BigWorld:
    world: World
    operator: object  # the operator of every extra school
    submitted: dict[str, int]  # npsn -> 2025-1 assessment id, for A, C and the extra schools


def build(make_session, password_hash, world: World) -> BigWorld:
    session = make_session()
    ids = add_schools(session, [(n, f"{j} Uji {n[-2:]}", j, s, "13", k) for n, j, s, k, _ in EXTRA])
    operator = add_user(session, password_hash, "operator_extra", Role.SEKOLAH, [n for n, *_ in EXTRA], school_ids=ids)
    session.commit()
    submitted = dict(world.submitted)
    for npsn, *_, answers in EXTRA:
        info = storage.get_or_create_assessment(session, operator, npsn, "contoh", "2025-1")
        version = storage.save_draft(session, operator, info.id, answers, info.version)
        storage.submit(session, operator, info.id, version)
        submitted[npsn] = info.id
    session.close()
    return BigWorld(world, operator, submitted)

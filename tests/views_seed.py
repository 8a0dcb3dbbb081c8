"""A small database for the views' AppTests, built only through the real storage functions.

Three provinces: Sumatera Barat (13, 30 schools in two kabupaten/kota), DKI Jakarta (31,
20 schools, every name with "Jakarta") and Bali (51, 3 schools: too few for any aggregate).
Period 2025-1: most schools submitted, a few drafts, a few not started; 2025-2: a smaller
wave, for the trend. One account per role; the auditor and the provincial leader hold 13;
the kabupaten leader `kadispadang` holds the SD and SMP of Kota Padang.
"""

from __future__ import annotations

import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import storage
from auth import Actor
from scoring.loader import load_questionnaire
from storage.baselines import register_baseline
from storage.system import system_actor
from tests import totp_codes

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = ROOT / "questionnaires" / "cek-cepat.yaml"
BASELINE = ROOT / "questionnaires" / "baselines" / "baseline-cek-cepat.yaml"
PASSWORD = "kata-sandi-uji-tampilan"
PERIODS = ("2025-1", "2025-2")
SYSTEM = system_actor("tests")
FORMULA_NAME = "=HYPERLINK(\"http://contoh.invalid\",\"klik\")"  # a hostile school name, in 13

ACCOUNTS = {
    # username: (role, province codes, national)
    "auditor13": ("auditor", ("13",), False),
    "auditor31": ("auditor", ("31",), False),
    "pimpinan13": ("pimpinan", ("13",), False),
    "pimpinan": ("pimpinan", (), True),
    "admin": ("admin", (), False),
}


def schools() -> list[tuple[str, str, str, str, str, str]]:
    """(npsn, name, jenjang, status, province_code, kabupaten_kota)."""
    rows = []
    kinds = ["SD", "SD", "SMP", "SMA", "SMK"]
    for i in range(1, 31):
        kab = "Kota Padang" if i <= 22 else "Kabupaten Agam"
        jenjang = "SLB" if i in (27, 28) else kinds[i % len(kinds)]  # two SLB, both submitted in 2025-1
        name = FORMULA_NAME if i == 7 else f"{jenjang} Contoh {i} {kab}"
        rows.append((f"Z13{i:05d}", name, jenjang, "negeri" if i % 3 else "swasta", "13", kab))
    for i in range(1, 21):
        jenjang = kinds[i % len(kinds)]
        rows.append((f"Z31{i:05d}", f"{jenjang} Jakarta {i}", jenjang, "negeri" if i % 2 else "swasta", "31",
                     "Kota Jakarta Selatan"))  # fmt: skip
    rows += [(f"Z51{i:05d}", f"SMA Bali {i}", "SMA", "negeri", "51", "Kota Denpasar") for i in range(1, 4)]
    return rows


def answers_for(questionnaire, npsn: str, period: str) -> dict:
    rng = random.Random(f"{npsn}/{period}")
    level = rng.random()
    out = {}
    for _, q in questionnaire.questions():
        if q.allow_na and rng.random() < 0.1:
            out[q.id] = "na"
            continue
        values = sorted(questionnaire.scale_values(q))
        out[q.id] = min(values, key=lambda v: abs(v - 3 * min(1.0, max(0.0, level + rng.gauss(0, 0.3)))))
    return out


def state_of(index: int, period: str) -> str:
    """What each school did in each period."""
    if period == "2025-1":
        return "not_started" if index % 10 == 0 else "draft" if index % 10 == 9 else "submitted"
    return "submitted" if index % 3 == 0 else "not_started"


@dataclass
class Seeded:
    path: Path
    actors: dict[str, Actor]

    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def copy(self, to: Path) -> Seeded:
        shutil.copy(self.path, to)
        return Seeded(to, self.actors)


def build(path: Path) -> Seeded:
    engine = storage.make_engine(f"sqlite:///{path}")
    storage.upgrade(engine)
    session = storage.session_factory(engine)()
    storage.register_file(session, SYSTEM, QUESTIONNAIRE)
    # As `python -m storage register-questionnaires` does: the shipped national baseline with it.
    register_baseline(session, SYSTEM, BASELINE.read_bytes(), str(BASELINE))
    questionnaire = load_questionnaire(QUESTIONNAIRE)
    rows = schools()
    csv = "npsn,name,jenjang,status,province_code,kabupaten_kota\n" + "".join(
        ",".join(f'"{c}"' if "," in c or '"' in c else c for c in (r[0], r[1].replace('"', '""'), *r[2:])) + "\n"
        for r in rows
    )  # fmt: skip
    storage.import_schools(session, SYSTEM, csv.encode(), "sekolah.csv")
    for province in ("13", "31", "51"):
        npsns = tuple(r[0] for r in rows if r[4] == province)
        storage.create_user(session, SYSTEM, f"operator{province}", f"Operator {province}", "sekolah", PASSWORD,
                            school_npsns=npsns)  # fmt: skip
    for username, (role, provinces, national) in ACCOUNTS.items():
        storage.create_user(session, SYSTEM, username, username.title(), role, PASSWORD, province_codes=provinces,
                            national=national)  # fmt: skip
    # The kepala dinas of Kota Padang (1371, from the name): the SD and SMP its dinas runs.
    storage.create_user(session, SYSTEM, "kadispadang", "Kadis Padang", "pimpinan", PASSWORD,
                        kabupaten_codes=("1371",), jenjang=("SD", "SMP"))  # fmt: skip
    actors = {name: storage.authenticate(session, name, PASSWORD)
              for name in [*ACCOUNTS, "kadispadang", "operator13", "operator31", "operator51"]}  # fmt: skip
    # Admins and auditors owe TOTP: enrolled as their owner would, with tests.totp_codes' secret.
    actors = {name: totp_codes.enrol(session, a) if a.awaits_second_factor else a for name, a in actors.items()}
    for period in PERIODS:
        for index, (npsn, *_, province, _) in enumerate(rows, 1):
            state = state_of(index, period)
            if state == "not_started":
                continue
            operator = actors[f"operator{province}"]
            info = storage.get_or_create_assessment(session, operator, npsn, questionnaire.id, period)
            answers = answers_for(questionnaire, npsn, period)
            if state == "draft":
                answers = dict(list(answers.items())[:5])
            version = storage.save_draft(session, operator, info.id, answers, info.version)
            if state == "submitted":
                storage.submit(session, operator, info.id, version)
    session.close()
    engine.dispose()  # folds the WAL into the file, so a plain copy is complete
    return Seeded(path, actors)


def fresh_actor(actor: Actor) -> dict:
    """Session state that signs `actor` in for an AppTest."""
    return {"actor": actor, "last_seen": time.time()}

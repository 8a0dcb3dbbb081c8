"""The demo data set: synthetic, seeded and deterministic, clearly labelled.

About 1,500 fictional schools ("SD Contoh 12 ...", NPSN starting with Z so they
can never clash with a real one) over all 38 provinces, with the national jenjang
mix; two periods of assessments on the real questionnaires, answered from a
latent readiness per school; and five demo accounts that exist only here.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from auth import hash_password
from auth.totp import encrypt_secret
from scoring.engine import score
from scoring.loader import load_baseline
from scoring.models import AnswerEntry, Answers, Questionnaire

from .aggregates import rebuild_aggregates
from .assessments import _answer_row, domain_rows, result_row
from .audit import record
from .backup import _reset_sequences
from .baselines import baseline_files, register_baseline, stored_baseline_for
from .errors import InvalidInput
from .kabupaten import code_for
from .models import (
    Answer,
    Assessment,
    DomainScore,
    Meta,
    QuestionnaireVersion,
    School,
    User,
    UserJenjang,
    UserKabupaten,
    UserProvince,
    utcnow,
)
from .models import AssessmentResult as ResultRow
from .models import UserSchool as UserSchoolRow
from .questionnaires import questionnaire_files, register_file, stored_questionnaire
from .system import system_actor

DEMO_PASSWORD = "siaga-demo-2025"  # noqa: S105 (published on purpose: demo accounts only)
QUESTIONNAIRES = Path(__file__).resolve().parent.parent / "questionnaires"
PERIODS = ("2025-1", "2025-2")
RETURN_REASON = "Lengkapi bukti untuk jawaban kebijakan (contoh)."
JENJANG_SHARE = {"SD": 0.67, "SMP": 0.19, "SMA": 0.064, "SMK": 0.065, "SLB": 0.011}
NEGERI_SHARE = {"SD": 0.87, "SMP": 0.56, "SMA": 0.49, "SMK": 0.26, "SLB": 0.27}  # Dapodik 2023
# code: (a main city, population in millions, rounded: only a weight for spreading schools)
PROVINCES = {
    "11": ("Kota Banda Aceh", 5.5), "12": ("Kota Medan", 15.4), "13": ("Kota Padang", 5.8),
    "14": ("Kota Pekanbaru", 6.7),
    "15": ("Kota Jambi", 3.7), "16": ("Kota Palembang", 8.7), "17": ("Kota Bengkulu", 2.1),
    "18": ("Kota Bandar Lampung", 9.3), "19": ("Kota Pangkalpinang", 1.5), "21": ("Kota Batam", 2.2),
    "31": ("Kota Jakarta Pusat", 10.7), "32": ("Kota Bandung", 49.9), "33": ("Kota Semarang", 37.5),
    "34": ("Kota Yogyakarta", 3.7), "35": ("Kota Surabaya", 41.4), "36": ("Kota Serang", 12.3),
    "51": ("Kota Denpasar", 4.4), "52": ("Kota Mataram", 5.6), "53": ("Kota Kupang", 5.6),
    "61": ("Kota Pontianak", 5.6), "62": ("Kota Palangka Raya", 2.8), "63": ("Kota Banjarmasin", 4.2),
    "64": ("Kota Samarinda", 4.0), "65": ("Kota Tarakan", 0.7), "71": ("Kota Manado", 2.7), "72": ("Kota Palu", 3.1),
    "73": ("Kota Makassar", 9.4), "74": ("Kota Kendari", 2.8), "75": ("Kota Gorontalo", 1.2),
    "76": ("Kabupaten Mamuju", 1.5), "81": ("Kota Ambon", 1.9), "82": ("Kota Ternate", 1.3),
    "91": ("Kabupaten Manokwari", 0.6), "92": ("Kota Sorong", 0.6), "94": ("Kota Jayapura", 1.0),
    "95": ("Kabupaten Merauke", 0.5), "96": ("Kabupaten Nabire", 1.4), "97": ("Kabupaten Jayawijaya", 1.4),
}  # fmt: skip
# Plausible, made-up effects on readiness (0..1): better-connected regions and
# vocational schools a little ahead, special-needs and remote schools behind.
PROVINCE_EFFECT = {"31": 0.10, "32": 0.05, "33": 0.05, "34": 0.08, "35": 0.05, "36": 0.03, "51": 0.06}
REMOTE = {"53", "81", "82", "91", "92", "94", "95", "96", "97"}
JENJANG_EFFECT = {"SD": -0.06, "SMP": 0.0, "SMA": 0.05, "SMK": 0.09, "SLB": -0.08}
# status mix per period: how far schools got (draft / submitted / verified / returned)
STATUS_MIX = {
    "2025-1": (("verified", 0.55), ("submitted", 0.25), ("returned", 0.05), ("draft", 0.15)),
    "2025-2": (("verified", 0.20), ("submitted", 0.40), ("returned", 0.05), ("draft", 0.35)),
}
# Version counters as if each step had been saved once through the app.
VERSIONS = {"draft": 2, "submitted": 3, "verified": 4, "returned": 4}
PARTICIPATION = {"keamanan-siber-sekolah": 0.85, "pelindungan-data-sekolah": 0.6, "cek-cepat": 0.35}


def _allocate(total: int, shares: dict[str, float], minimum: int = 0) -> dict[str, int]:
    """Whole numbers in proportion to `shares` that add up to `total` (largest remainder)."""
    weight = sum(shares.values())
    spare = total - minimum * len(shares)
    raw = {k: spare * v / weight for k, v in shares.items()}
    counts = {k: minimum + int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - int(raw[k]), reverse=True)[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def make_schools(rng: random.Random, n_schools: int) -> list[dict]:
    per_province = _allocate(n_schools, {c: w for c, (_, w) in PROVINCES.items()}, minimum=5)
    jenjang = [j for j, n in _allocate(n_schools, JENJANG_SHARE).items() for _ in range(n)]
    # The demo operator's school is Z1300001: an SMK in Kota Padang, Sumatera Barat.
    jenjang.remove("SMK")
    rng.shuffle(jenjang)
    schools, numbers, i = [], {}, 0
    for code, count in per_province.items():
        city = PROVINCES[code][0]
        for serial in range(1, count + 1):
            if (code, serial) == ("13", 1):
                j = "SMK"
            else:
                j, i = jenjang[i], i + 1
            kabupaten_kota = city if serial == 1 or rng.random() < 0.4 else f"Kabupaten Contoh {rng.randint(1, 4)}"
            negeri = (code, serial) == ("13", 1) or rng.random() < NEGERI_SHARE[j]
            numbers[(j, kabupaten_kota)] = numbers.get((j, kabupaten_kota), 0) + 1
            name = f"{j} {'Negeri' if negeri else 'Swasta'} Contoh {numbers[(j, kabupaten_kota)]} {kabupaten_kota}"
            schools.append({"npsn": f"Z{code}{serial:05d}", "name": name, "jenjang": j,
                            "status": "negeri" if negeri else "swasta", "province_code": code,
                            "kabupaten_kota": kabupaten_kota,
                            "kabupaten_code": _demo_code(code, city, kabupaten_kota)})  # fmt: skip
    return schools


def _demo_code(province_code: str, city: str, kabupaten_kota: str) -> str | None:
    """The city's BPS code (None where the shipped table lacks it: Papua); a fictional
    'Kabupaten Contoh N' gets the fictional code PP9N (BPS numbers no kabupaten 91-94)."""
    if kabupaten_kota == city:
        return code_for(province_code, city)
    return f"{province_code}9{kabupaten_kota[-1]}"


def readiness(rng: random.Random, school: dict) -> float:
    base = 0.52 + PROVINCE_EFFECT.get(school["province_code"], 0.0) + JENJANG_EFFECT[school["jenjang"]]
    base -= 0.08 if school["province_code"] in REMOTE else 0.0
    base -= 0.02 if school["status"] == "swasta" else 0.0
    return min(1.0, max(0.0, base + rng.gauss(0, 0.13)))


def draw_answers(rng: random.Random, questionnaire: Questionnaire, level: float, share: float = 1.0) -> Answers:
    """Answers from a latent readiness: harder (higher-tier) questions score lower.
    `share` < 1 leaves some questions unanswered, as in a draft."""
    entries = {}
    for _, q in questionnaire.questions():
        if rng.random() > share:
            continue
        if q.allow_na and rng.random() < 0.06:
            entries[q.id] = AnswerEntry(value="na")
            continue
        p = level - 0.12 * (q.tier - 1) + rng.gauss(0, 0.22)
        wanted = 3 * min(1.0, max(0.0, p))
        allowed = sorted(questionnaire.scale_values(q))
        entries[q.id] = AnswerEntry(value=min(allowed, key=lambda v: abs(v - wanted)))
    return Answers(questionnaire=questionnaire.id, version=questionnaire.version, answers=entries)


def _pick(rng: random.Random, mix) -> str:
    x, acc = rng.random(), 0.0
    for status, p in mix:
        acc += p
        if x < acc:
            return status
    return mix[-1][0]


def seed_demo(session: Session, files: list[Path] | None = None, n_schools: int = 1500, seed: int = 2025) -> dict:
    """Fill an empty database with the demo data set. Returns counts of what was made."""
    actor = system_actor("demo")
    if session.scalar(select(func.count()).select_from(School)) or session.scalar(
        select(func.count()).select_from(User)
    ):
        raise InvalidInput("The database already holds schools or users; the demo data set goes only into a new one.")
    files = questionnaire_files(QUESTIONNAIRES) if files is None else files
    if not files:
        raise InvalidInput(f"No questionnaire files in {QUESTIONNAIRES}; the demo needs the real questionnaires.")
    session.rollback()
    versions = [register_file(session, actor, path) for path in files]
    registered = {v.questionnaire_id for v in versions}
    for path in baseline_files(QUESTIONNAIRES):  # the national targets every result is measured against
        if load_baseline(path).questionnaire in registered:
            register_baseline(session, actor, path.read_bytes(), str(path))
    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible on purpose)
    now = utcnow()
    schools = make_schools(rng, n_schools)
    for school in schools:
        school["updated_at"] = now
    session.connection(execution_options={"siaga_write": True})
    session.execute(insert(School), schools)
    school_ids = dict(session.execute(select(School.npsn, School.id)).all())
    users = _demo_users(session, school_ids, now)
    questionnaires = [
        (stored_questionnaire(row), row.id)
        for row in session.scalars(select(QuestionnaireVersion).where(QuestionnaireVersion.active.is_(True)))
    ]
    counts = _demo_assessments(session, rng, schools, school_ids, questionnaires, users, now)
    rebuild_aggregates(session.connection())  # the rows above went in around the write hook
    if session.get_bind().dialect.name == "postgresql":
        _reset_sequences(session.connection())
    session.add(Meta(key="demo", value="true"))
    session.add(Meta(key="demo_seed", value=str(seed)))
    # The demo's "now" is its last period, so its drafts are this period's drafts.
    session.add(Meta(key="current_period", value=PERIODS[-1]))
    record(session, actor, "seed_demo", "database", None, schools=len(schools), seed=seed,
           questionnaires=[f"{v.questionnaire_id}@{v.version}" for v in versions], **counts)  # fmt: skip
    session.commit()
    return {"schools": len(schools), "users": len(users), **counts}


# The demo admin and auditor are enrolled in TOTP with these published secrets (demo only: the
# sign-in page prints them), so that a newcomer can add them to an authenticator app.
DEMO_TOTP_SECRETS = {"admin": "DEMOADMINSIAGASIBERTOTPAAAAAAAAA", "auditor": "DEMOAUDITORSIAGASIBERTOTPAAAAAAA"}


def _demo_users(session: Session, school_ids: dict[str, int], now) -> dict[str, int]:
    accounts = [
        ("admin", "Admin Demo", "admin", False),
        ("sekolah", "Operator SMK Negeri Contoh 1 Kota Padang", "sekolah", False),
        ("auditor", "Balai TIK Sumatera Barat (demo)", "auditor", False),
        ("pimpinan", "Pimpinan Nasional (demo)", "pimpinan", True),
        ("kadis.padang", "Dinas Pendidikan Kota Padang, SD dan SMP (demo)", "pimpinan", False),
    ]
    ids = {}
    for username, display_name, role, national in accounts:
        secret = DEMO_TOTP_SECRETS.get(username)
        user = User(username=username, display_name=display_name, password_hash=hash_password(DEMO_PASSWORD),
                    role=role, national=national, active=True, failed_attempts=0, created_at=now,
                    totp_secret=encrypt_secret(secret, demo=True) if secret else None)  # fmt: skip
        session.add(user)
        session.flush()
        ids[username] = user.id
    session.add(UserSchoolRow(user_id=ids["sekolah"], school_id=school_ids["Z1300001"]))
    session.add(UserProvince(user_id=ids["auditor"], province_code="13"))
    # A kepala dinas kabupaten/kota: one kabupaten/kota, and only the jenjang its dinas runs.
    session.add(UserKabupaten(user_id=ids["kadis.padang"], kabupaten_code="1371"))
    session.add_all(UserJenjang(user_id=ids["kadis.padang"], jenjang=j) for j in ("SD", "SMP"))
    session.flush()
    return ids


def _demo_assessments(session, rng, schools, school_ids, questionnaires, users, now) -> dict:
    assessments, answers, results, domains = [], [], [], []
    next_id = (session.scalar(select(func.max(Assessment.id))) or 0) + 1
    latent = {s["npsn"]: readiness(rng, s) for s in schools}
    baselines = {q.id: stored_baseline_for(session, q) for q, _ in questionnaires}
    for questionnaire, version_id in questionnaires:
        share = PARTICIPATION.get(questionnaire.id, 0.5)
        for p_index, period in enumerate(PERIODS):
            when = now - timedelta(days=180 * (len(PERIODS) - 1 - p_index))
            for school in schools:
                npsn = school["npsn"]
                own = npsn == "Z1300001"
                if not own and rng.random() > share + 0.05 * p_index:
                    continue
                status = _pick(rng, STATUS_MIX[period])
                if own:
                    status = "verified" if p_index == 0 else "draft"
                level = min(1.0, latent[npsn] + p_index * (0.04 + rng.gauss(0, 0.04)))
                drawn = draw_answers(rng, questionnaire, level, rng.uniform(0.2, 0.9) if status == "draft" else 1.0)
                reviewer = (
                    users["auditor"] if status in ("verified", "returned") and school["province_code"] == "13" else None
                )
                operator = users["sekolah"] if own else None
                assessments.append({
                    "id": next_id, "school_id": school_ids[npsn], "questionnaire_id": questionnaire.id,
                    "questionnaire_version_id": version_id, "period": period, "status": status,
                    "version": VERSIONS[status],
                    "created_by_id": operator, "created_at": when, "updated_by_id": operator, "updated_at": when,
                    "submitted_at": None if status == "draft" else when, "reviewed_by_id": reviewer,
                    "reviewed_at": when if status in ("verified", "returned") else None,
                    "return_reasons": RETURN_REASON if status == "returned" else None,
                })  # fmt: skip
                answers.extend(_answer_row(next_id, qid, e) for qid, e in drawn.answers.items())
                if status != "draft":
                    result = score(questionnaire, drawn, baselines.get(questionnaire.id), jenjang=school["jenjang"])
                    results.append(result_row(next_id, result, when))
                    domains.extend(domain_rows(next_id, result))
                next_id += 1
    for model, rows in ((Assessment, assessments), (Answer, answers), (ResultRow, results), (DomainScore, domains)):
        for start in range(0, len(rows), 10_000):
            session.execute(model.__table__.insert(), rows[start : start + 10_000])
    return {"assessments": len(assessments), "answers": len(answers), "results": len(results)}

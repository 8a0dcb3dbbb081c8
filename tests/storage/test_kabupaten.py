"""Kabupaten/kota codes and scopes: the schools CSV's kabupaten_code, the migration that fills
it from names, accounts scoped to kabupaten/kota and jenjang, and the kabupaten leader's
dashboard read from the aggregates, on SQLite and PostgreSQL."""

from __future__ import annotations

import statistics

import pytest
from sqlalchemy import select, text

import storage
from auth import Role
from storage import db
from storage.dashboards import dashboard
from storage.kabupaten import code_for, name_key, reference
from storage.models import School
from storage.school_table import SchoolFilter

from .conftest import PASSWORD, SYSTEM, add_schools, add_user
from .test_storage_cli import cli  # noqa: F401 (the fixture)

HEADER = "npsn,name,jenjang,status,province_code,kabupaten_kota,kabupaten_code\n"


def test_the_reference_table_holds_the_verified_kabupaten_kota():
    table = reference()
    assert len(table) == 472  # 514 less the 42 of Papua and Papua Barat before the 2022 split
    assert all(code[:2] == province for code, (province, _) in table.items())
    assert table["1371"] == ("13", "Kota Padang") and table["1307"] == ("13", "Kabupaten Agam")
    assert table["3173"] == ("31", "Kota Jakarta Pusat")


@pytest.mark.parametrize(("province", "name", "code"), [
    ("13", "Kota Padang", "1371"), ("13", "KAB. AGAM", "1307"), ("13", "Kabupaten Solok", "1303"),
    ("13", "Kota Solok", "1372"), ("13", "Solok", None),  # both a kabupaten and a kota
    ("13", "Agam", "1307"), ("31", "Kota Adm. Jakarta Pusat", "3173"), ("32", "Kota Padang", None),
    ("13", "Kabupaten Contoh 1", None),
])  # fmt: skip
def test_a_name_identifies_a_code_only_when_it_names_one(province, name, code):
    assert code_for(province, name) == code


def test_name_keys():
    assert name_key("Kab. Lima Puluh Kota") == ("kabupaten", "limapuluhkota")
    assert name_key("Kota Tanjung Pinang") == ("kota", "tanjungpinang")


def import_csv(session, body: str, header: str = HEADER):
    return storage.import_schools(session, SYSTEM, (header + body).encode(), "sekolah.csv")


def codes(session) -> dict[str, str | None]:
    found = dict(session.execute(select(School.npsn, School.kabupaten_code)).all())
    session.rollback()
    return found


def test_the_csv_takes_kabupaten_code_or_finds_it_from_the_name(session):
    import_csv(session, "Z1300001,SD A,SD,negeri,13,Kota Padang,1371\n"
                        "Z1300002,SD B,SD,negeri,13,Kabupaten Contoh,1391\n"
                        "Z1300003,SD C,SD,negeri,13,Kabupaten Agam,\n")  # fmt: skip
    import_csv(session, "Z3100001,SD D,SD,negeri,31,Kota Jakarta Pusat\n", header=HEADER.replace(",kabupaten_code", ""))
    assert codes(session) == {"Z1300001": "1371", "Z1300002": "1391", "Z1300003": "1307", "Z3100001": "3173"}
    # Without the column a stored code stays (the name is not in the shipped table).
    without_code = HEADER.replace(",kabupaten_code", "")
    import_csv(session, "Z1300002,SD B baru,SD,negeri,13,Kabupaten Contoh\n", header=without_code)
    assert codes(session)["Z1300002"] == "1391"


@pytest.mark.parametrize(("value", "says"), [
    ("137", "harus kode BPS 4 angka"), ("13A1", "must be the 4-digit BPS code"),
    ("3171", "harus diawali kode provinsinya 13 / must start with its province code 13"),
])  # fmt: skip
def test_a_bad_kabupaten_code_is_named_by_line_and_field(session, value, says):
    with pytest.raises(storage.InvalidInput) as err:
        import_csv(session, "Z1300001,SD A,SD,negeri,13,Kota Padang,1371\n"
                            f"Z1300002,SD B,SD,negeri,13,Kota Padang,{value}\n")  # fmt: skip
    assert [(p.line, p.field) for p in err.value.problems] == [(3, "kabupaten_code")]
    assert says in err.value.problems[0].message
    assert codes(session) == {}  # nothing stored


def test_one_name_has_one_code_in_the_file_and_the_database(session):
    with pytest.raises(storage.InvalidInput) as err:
        import_csv(session, "Z1300001,SD A,SD,negeri,13,Kota Padang,1371\n"
                            "Z1300002,SD B,SD,negeri,13,Kota Padang,1372\n")  # fmt: skip
    assert "baris 2 / line 2" in err.value.problems[0].message and err.value.problems[0].line == 3
    import_csv(session, "Z1300001,SD A,SD,negeri,13,Kabupaten Contoh,1391\n")
    with pytest.raises(storage.InvalidInput) as err:
        import_csv(session, "Z1300009,SD Z,SD,negeri,13,Kabupaten Contoh,1392\n")
    assert "Z1300001" in err.value.problems[0].message
    assert codes(session) == {"Z1300001": "1391"}


def test_the_migration_fills_codes_where_the_name_identifies_them(fresh_engine):
    db.upgrade(fresh_engine, "0006")
    with fresh_engine.begin() as connection:
        for npsn, kab in (("Z1300001", "Kota Padang"), ("Z1300002", "Solok"), ("Z1300003", "Kab. Agam")):
            connection.execute(text("INSERT INTO schools (npsn, name, jenjang, status, province_code, kabupaten_kota, "
                                    "updated_at) VALUES (:n, 'SD', 'SD', 'negeri', '13', :k, CURRENT_TIMESTAMP)"),
                               {"n": npsn, "k": kab})  # fmt: skip
    db.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        found = dict(connection.execute(text("SELECT npsn, kabupaten_code FROM schools")).all())
    assert found == {"Z1300001": "1371", "Z1300002": None, "Z1300003": "1307"}
    db.downgrade(fresh_engine, "0006")
    db.upgrade(fresh_engine)


def test_accounts_take_kabupaten_and_jenjang_scopes(world, session):
    admin = world.actors["admin"]
    info = storage.create_user(session, admin, "kadis.padang", "Kadis Padang", "pimpinan", "kata-sandi-baru-2025",
                               kabupaten_codes=("1371",), jenjang=("SMP", "SD"))  # fmt: skip
    assert (info.kabupaten_codes, info.jenjang, info.province_codes, info.national) == (
        ("1371",), ("SD", "SMP"), (), False)  # fmt: skip
    actor = storage.authenticate(session, "kadis.padang", "kata-sandi-baru-2025")
    assert (actor.kabupaten_codes, actor.jenjang) == (("1371",), ("SD", "SMP"))
    assert {s.npsn for s in storage.list_schools(session, actor)} == {"Z1300002"}  # the SD of Kota Padang
    info = storage.set_scope(session, admin, "kadis.padang", "pimpinan", province_codes=("13",), jenjang=("SMK",))
    assert (info.kabupaten_codes, info.province_codes, info.jenjang) == ((), ("13",), ("SMK",))
    listed = {u.username: u for u in storage.list_users(session, admin)}
    assert listed["kadis.padang"].jenjang == ("SMK",)


@pytest.mark.parametrize(("role", "scope", "error"), [
    ("sekolah", {"school_npsns": ("Z1300001",), "jenjang": ("SD",)}, storage.InvalidInput),
    ("auditor", {"kabupaten_codes": ("1371",), "national": True}, storage.InvalidInput),
    ("pimpinan", {"kabupaten_codes": ("1371",), "province_codes": ("13",)}, storage.InvalidInput),
    ("pimpinan", {"kabupaten_codes": ("1399",)}, storage.NotFound),  # neither in the table nor on a school
    ("pimpinan", {"kabupaten_codes": ("9999",)}, storage.NotFound),
    ("pimpinan", {"kabupaten_codes": ("1371",), "jenjang": ("SMU",)}, storage.InvalidInput),
    ("admin", {"jenjang": ("SD",)}, storage.InvalidInput),
])  # fmt: skip
def test_a_scope_that_does_not_fit_is_refused(world, session, role, scope, error):
    with pytest.raises(error):
        storage.create_user(session, world.actors["admin"], "baru", "Baru", role, "kata-sandi-baru-2025", **scope)
    session.rollback()
    assert "baru" not in {u.username for u in storage.list_users(session, world.actors["admin"])}


def test_create_user_on_the_command_line_sets_kabupaten_and_jenjang(cli, make_session):  # noqa: F811
    assert cli("upgrade").returncode == 0
    done = cli("create-user", "kadis.agam", "--role", "pimpinan", "--kabupaten", "1307", "--jenjang", "SD", "SMP",
               stdin="kata-sandi-uji-2025\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    actor = storage.authenticate(make_session(), "kadis.agam", "kata-sandi-uji-2025")
    assert (actor.role, actor.kabupaten_codes, actor.jenjang) == (Role.PIMPINAN, ("1307",), ("SD", "SMP"))
    done = cli("create-user", "salah", "--role", "pimpinan", "--kabupaten", "3171", "--province", "13",
               stdin="kata-sandi-uji-2025\n")  # fmt: skip
    assert done.returncode == 1 and "Cakupan tidak sesuai peran" in done.stderr


# (npsn, jenjang, kabupaten/kota, the answer to every question; q3 is yes/no: 0 or 3)
DASHBOARD_SCHOOLS = [
    *((f"Z13000{i:02d}", "SD" if i % 2 else "SMP", "Kota Padang", i % 4) for i in range(10, 16)),
    *((f"Z13000{i:02d}", "SMA", "Kota Padang", 3) for i in range(16, 18)),
    *((f"Z13000{i:02d}", "SD", "Kabupaten Agam", 1) for i in range(18, 21)),
]


def test_the_kabupaten_leader_dashboard(make_session, password_hash):
    from storage.questionnaires import register_file

    from .conftest import CONTOH

    session = make_session()
    register_file(session, SYSTEM, CONTOH)
    ids = add_schools(session, [(n, f"{j} {n}", j, "negeri", "13", k) for n, j, k, _ in DASHBOARD_SCHOOLS])
    operator = add_user(session, password_hash, "op", Role.SEKOLAH, list(ids), school_ids=ids)
    leader = add_user(session, password_hash, "kadis", Role.PIMPINAN)
    session.commit()
    storage.set_scope(session, SYSTEM, "kadis", "pimpinan", kabupaten_codes=("1371",), jenjang=("SD", "SMP"))
    leader = storage.authenticate(session, "kadis", PASSWORD)
    scores = {}
    for npsn, _, _, value in DASHBOARD_SCHOOLS:
        info = storage.get_or_create_assessment(session, operator, npsn, "contoh", "2025-1")
        answers = {q: value for q in ("q1", "q2", "q4", "q5")} | {"q3": 3 if value >= 2 else 0}
        version = storage.save_draft(session, operator, info.id, answers, info.version)
        storage.submit(session, operator, info.id, version)
        scores[npsn] = storage.get_result(session, operator, info.id).overall.score
    data = dashboard(session, leader, "contoh", "2025-1")
    own = [n for n, j, k, _ in DASHBOARD_SCHOOLS if k == "Kota Padang" and j in ("SD", "SMP")]
    assert (data.registered, data.assessed) == (6, 6)
    assert data.median_score.value == pytest.approx(statistics.median(scores[n] for n in own))
    assert set(data.bands_by_jenjang) <= {"SD", "SMP"}
    assert [g.key for g in data.ranking] == ["Kota Padang"]  # no other kabupaten/kota of the province
    province, nation = data.comparisons
    sd_smp = [n for n, j, _, _ in DASHBOARD_SCHOOLS if j in ("SD", "SMP")]
    assert (province.key, province.name, province.schools, nation.key, nation.schools) == (
        "13", "Sumatera Barat", 9, "", 9)
    assert province.median == pytest.approx(statistics.median(scores[n] for n in sd_smp))
    # A filter outside the scope's jenjang or places shows nothing, not the province's figures.
    assert dashboard(session, leader, "contoh", "2025-1", SchoolFilter(jenjang="SMA")).assessed == 0
    agam = SchoolFilter(province_code="13", kabupaten_kota="Kabupaten Agam")
    other = dashboard(session, leader, "contoh", "2025-1", agam)
    assert (other.registered, other.assessed) == (0, 0)

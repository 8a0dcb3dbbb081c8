"""The school app world for AppTest: a real SQLite file seeded through storage, and the
steps an operator takes (sign in, open a page, answer, submit, upload).

World: the example questionnaire (5 questions), our SMK Z1300001 in Sumatera Barat with
operator `op_a`, another school Z1300009 nobody here may see, and `peers` SMK schools
with submitted assessments for the national median.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

import storage
from storage.system import system_actor
from tests.conftest import ROOT

PASSWORD = "kata-sandi-uji-coba"
PERIOD = "2026-2"
SYSTEM = system_actor("tests")
OWN, OTHER = "Z1300001", "Z1300009"


def build_world(path, peers: int) -> str:
    url = f"sqlite:///{path}"
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    rows = ["npsn,name,jenjang,status,province_code,kabupaten_kota",
            f"{OWN},SMK Uji Satu,SMK,negeri,13,Kota Padang",
            f"{OTHER},SMK Rahasia,SMK,swasta,13,Kota Padang"]
    rows += [f"Z31000{i:02d},SMK Sebaya {i},SMK,swasta,31,Jakarta Pusat" for i in range(peers)]
    with Session(engine) as session:
        storage.import_schools(session, SYSTEM, "\n".join(rows).encode(), "schools.csv")
        storage.register_file(session, SYSTEM, ROOT / "tests" / "data" / "contoh.yaml")
        storage.create_user(session, SYSTEM, "op_a", "Operator A", "sekolah", PASSWORD, school_npsns=(OWN,))
        for i in range(peers):  # every peer at 2 everywhere: a = 6+... known medians
            info = storage.get_or_create_assessment(session, SYSTEM, f"Z31000{i:02d}", "contoh", "2026-1")
            version = storage.save_draft(session, SYSTEM, info.id, {"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 2},
                                         info.version)
            storage.submit(session, SYSTEM, info.id, version)
    engine.dispose()
    return url


@pytest.fixture
def app(tmp_path, monkeypatch, request):
    peers = getattr(request, "param", 5)
    url = build_world(tmp_path / "siaga.db", peers)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SIAGA_PERIOD", PERIOD)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.url = url
    return at.run()


def sign_in(at: AppTest, username="op_a", password=PASSWORD) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def open_page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"ui/pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [x.value for x in at.caption] + [x.value for x in at.info]
    parts += [x.value for x in at.error] + [x.value for x in at.warning] + [x.value for x in at.title]
    parts += [x.value for x in at.subheader] + [x.value for x in at.success]
    return "\n".join(map(str, parts))


def stored_answers(url: str) -> dict:
    """Our school's answers for this period, read back through the data layer."""
    engine = storage.make_engine(url)
    with Session(engine) as session:
        found = storage.list_assessments(session, SYSTEM, npsn=OWN, period=PERIOD)
        info = storage.get_assessment(session, SYSTEM, found[0].id) if found else None
    engine.dispose()
    return {q: e.value for q, e in info.answers.answers.items()} if info else {}


def start_assessment(at: AppTest) -> AppTest:
    open_page(at, "penilaian")
    next(b for b in at.button if b.label == "Mulai penilaian").click().run()
    return at


def answer(at: AppTest, qid: str, value) -> AppTest:
    radio = next(r for r in at.radio if r.key and r.key.endswith(f":{qid}") and r.key.startswith("answer:"))
    radio.set_value(value).run()  # re-runs only the question's and the progress fragments
    assert not at.exception, [e.value for e in at.exception]
    if not any(box.key == "_domain" for box in at.selectbox):
        at.run()  # AppTest keeps only the last run's elements: after a fragment run, draw the page
        assert not at.exception, [e.value for e in at.exception]
    return at


def answer_all_and_submit(at: AppTest, values: dict) -> AppTest:
    start_assessment(at)
    for qid, value in values.items():
        if qid in ("q4", "q5"):  # domain b is on the second page
            at.selectbox(key="_domain").set_value("b").run()
        answer(at, qid, value)
    next(b for b in at.button if b.label == "Kirim").click().run()
    next(b for b in at.button if b.label == "Ya, kirim sekarang").click().run()
    assert "Penilaian terkirim" in texts(at), texts(at)
    return at


VALUES = {"q1": 3, "q2": 1, "q3": "na", "q4": "na", "q5": 2}


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.get("file_uploader")[0].upload(name, data, "application/x-yaml").run()
    assert not at.exception, [e.value for e in at.exception]
    return at

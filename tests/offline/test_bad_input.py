"""Every class of bad workbook or form file gets a clear bilingual message naming the file and
the cell or question; nothing is evaluated and nothing half-read is returned."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from offline import build_workbook, read_form
from offline.forms import content_hash
from offline.guard import MAX_BYTES, OLE_MAGIC
from offline.workbook import META, SHEET
from scoring.loader import LoadError
from scoring.models import Questionnaire
from tests.offline.helpers import QUESTIONNAIRES

CYBER = QUESTIONNAIRES["keamanan-siber-sekolah"]
FIRST = CYBER.questions()[0][1]  # status scale, no na
QUICK = QUESTIONNAIRES["cek-cepat"]
YA_TIDAK = next(q for _, q in QUICK.questions() if q.scale == "ya_tidak")
NO_NA = next(q for _, q in CYBER.questions() if not q.allow_na)


def problems(data: bytes, name: str = "sekolah.xlsx", questionnaire: Questionnaire | None = CYBER) -> list[str]:
    with pytest.raises(LoadError) as caught:
        read_form(data, name, questionnaire)
    return [str(p) for p in caught.value.problems]


def edited(edit, questionnaire: Questionnaire = CYBER) -> bytes:
    book = load_workbook(io.BytesIO(build_workbook(questionnaire)))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(book, qid: str) -> int:
    return next(c.row for c in book[SHEET]["A"] if c.value == qid)


def set_answer(qid: str, value, col: str = "E"):
    return lambda book: book[SHEET].__setitem__(f"{col}{row_of(book, qid)}", value)


def test_a_value_matching_nothing_names_the_sheet_cell_and_allowed_values():
    [message] = problems(edited(set_answer(FIRST.id, "Kadang-kadang")))
    assert message.startswith('sekolah.xlsx:Jawaban!E2: answers["tk.penanggung-jawab"]: ')
    assert "'Kadang-kadang' bukan jawaban yang sah" in message
    assert "Tidak dilakukan (0), Dalam perencanaan (1), Diterapkan sebagian (2), Diterapkan menyeluruh (3)" in message
    assert "/ 'Kadang-kadang' is not an allowed answer; choose one of: Not done (0)" in message


@pytest.mark.parametrize("value", [5, -1, 2.5, "7", True])
def test_a_number_off_the_scale_is_refused(value):
    [message] = problems(edited(set_answer(FIRST.id, value)))
    assert "Jawaban!E2" in message and "bukan jawaban yang sah" in message


def test_a_number_off_a_yes_no_scale_is_refused():
    [message] = problems(edited(set_answer(YA_TIDAK.id, 2), QUICK), questionnaire=QUICK)
    assert f"answers[\"{YA_TIDAK.id}\"]: '2' bukan jawaban yang sah; pilih salah satu: Tidak (0), Ya (3)" in message


def test_na_where_the_question_does_not_allow_it():
    [message] = problems(edited(set_answer(NO_NA.id, "Tidak berlaku")))
    assert f"answers[\"{NO_NA.id}\"]: 'Tidak berlaku' bukan jawaban yang sah" in message
    assert "(na)" not in message


def test_a_formula_is_read_as_its_text_and_never_evaluated():
    [message] = problems(edited(set_answer(FIRST.id, "=1+2")))
    assert "'=1+2' bukan jawaban yang sah" in message


def test_a_note_that_is_a_formula_is_kept_as_text():
    def edit(book):
        set_answer(FIRST.id, 3)(book)
        set_answer(FIRST.id, '=HYPERLINK("http://x","klik")', "F")(book)
    answers = read_form(edited(edit), "s.xlsx", CYBER)
    assert answers.answers[FIRST.id].note == '=HYPERLINK("http://x","klik")'


def test_unknown_and_repeated_question_rows():
    def edit(book):
        sheet = book[SHEET]
        sheet["A3"] = "tk.tidak-ada"
        sheet["A4"] = FIRST.id
    found = problems(edited(edit))
    assert "sekolah.xlsx:Jawaban!A3: ID pertanyaan 'tk.tidak-ada' tidak dikenal / unknown question id 'tk.tidak-ada'" \
        in found
    assert any('Jawaban!A4: answers["tk.penanggung-jawab"]: pertanyaan ini juga ada di baris 2' in m for m in found)


def test_a_note_without_an_answer_is_not_dropped_silently():
    [message] = problems(edited(set_answer(FIRST.id, "catatan saja", "F")))
    assert "Jawaban!F2" in message and "tanpa jawaban di E2" in message


def test_moved_columns_are_refused():
    [message] = problems(edited(lambda book: book[SHEET].move_range("E1:F200", cols=1)))
    assert "Jawaban!A1:F1" in message and "columns may not be moved" in message


def test_a_workbook_that_is_not_a_siaga_form():
    book, out = Workbook(), io.BytesIO()
    book.active["A1"] = "halo"
    book.save(out)
    [message] = problems(out.getvalue())
    assert "bukan formulir Siaga Siber" in message and "not a Siaga Siber form" in message


def test_another_questionnaire_is_refused_saying_which():
    data = build_workbook(QUESTIONNAIRES["cek-cepat"])
    [message] = problems(data)
    assert "formulir ini untuk kuesioner 'cek-cepat', bukan 'keamanan-siber-sekolah'" in message


def test_another_version_is_refused_saying_which():
    older = CYBER.model_copy(update={"version": "0.9"})
    [message] = problems(build_workbook(older))
    assert f"untuk versi '0.9' dari 'keamanan-siber-sekolah', bukan versi '{CYBER.version}'" in message
    assert "for version '0.9'" in message


def test_changed_content_of_the_same_version_is_refused():
    data = CYBER.model_dump()
    data["domains"][0]["questions"][0]["text"]["id"] = "Teks lain"
    changed = Questionnaire.model_validate(data)
    [message] = problems(build_workbook(changed))
    assert "form.hash" in message and "sudah berubah" in message and content_hash(changed) in message


def test_a_file_over_5_mib_is_refused():
    [message] = problems(b"PK\x03\x04" + b"\0" * MAX_BYTES)
    assert "lebih dari 5 MiB" in message and "larger than 5 MiB" in message


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_workbook_unpacking_past_50_mib_is_refused():
    zeros = b"\0" * (30 * 2**20)
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/a.xml": zeros, "xl/b.xml": zeros})
    assert len(bomb) < MAX_BYTES
    [message] = problems(bomb)
    assert "membongkar lebih dari 50 MiB" in message


def test_a_member_lying_about_its_size_is_refused():
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "xl/a.xml": b"\0" * (60 * 2**20)}))
    real = (60 * 2**20).to_bytes(4, "little")
    for at in [i for i in range(len(data)) if data[i:i + 4] == real]:  # declared size in both headers
        data[at:at + 4] = (1000).to_bytes(4, "little")
    [message] = problems(bytes(data))
    assert "tidak dapat dibongkar" in message or "membongkar lebih dari" in message


def test_a_macro_enabled_workbook_is_refused():
    data = build_workbook(CYBER)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {m: archive.read(m) for m in archive.namelist()}
    [message] = problems(_zip(members | {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "sekolah.xlsm")
    assert "berisi makro (.xlsm)" in message and "contains macros" in message
    types = members["[Content_Types].xml"].replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    [message] = problems(_zip(members | {"[Content_Types].xml": types}))
    assert "contains macros" in message


def test_an_encrypted_workbook_is_refused():
    [message] = problems(OLE_MAGIC + b"\0" * 4000)
    assert "terenkripsi" in message and "password-protected" in message


@pytest.mark.parametrize("data", [b"npsn,period\n", b"PK\x03\x04garbage"])
def test_a_file_that_is_no_workbook(data):
    [message] = problems(data)
    assert message.startswith("sekolah.xlsx: ") and (".xlsx" in message)


def test_an_xml_entity_bomb_is_refused_by_defusedxml():
    data = build_workbook(CYBER)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {m: archive.read(m) for m in archive.namelist()}
    laughs = (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
              b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&b;</workbook>')
    [message] = problems(_zip(members | {"xl/workbook.xml": laughs}))
    assert "tidak terbaca sebagai buku kerja" in message


def _saved(questionnaire: Questionnaire, **changes) -> bytes:
    data = {"questionnaire": questionnaire.id, "version": questionnaire.version, "answers": {FIRST.id: 3},
            "form": {"format": "siaga-offline-1", "hash": content_hash(questionnaire), "lang": "id"}} | changes
    return json.dumps(data, indent=2).encode()


def test_html_form_file_of_another_version_or_content_is_refused():
    [message] = problems(_saved(CYBER, version="0.9"), "jawaban.json")
    assert "jawaban.json: version: formulir ini untuk versi '0.9'" in message
    [message] = problems(_saved(CYBER, form={"format": "siaga-offline-1", "hash": "0" * 16}), "jawaban.json")
    assert "form.hash" in message
    [message] = problems(_saved(CYBER, form={"format": "lain"}), "jawaban.json")
    assert "blok 'form' tidak dikenal" in message


def test_html_form_file_with_a_bad_answer_names_the_question():
    [message] = problems(_saved(CYBER, answers={FIRST.id: 7}), "jawaban.json")
    assert message.startswith("jawaban.json:") and f'answers["{FIRST.id}"]' in message and "use 0, 1, 2, 3" in message


def test_the_hidden_sheet_names_the_questionnaire():
    book = load_workbook(io.BytesIO(build_workbook(CYBER)))
    assert book[META].sheet_state == "hidden"
    assert book[META]["B2"].value == CYBER.id

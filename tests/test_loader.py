"""Hostile and broken input: every class of bad file gets a clear `file:line: field: message`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.loader import (
    LoadError,
    load_answers,
    load_questionnaire,
    parse_answers,
    parse_baseline,
    parse_questionnaire,
)
from tests.conftest import DATA

CONTOH = (DATA / "contoh.yaml").read_bytes()


def problems(fn, data: bytes, *args) -> list[str]:
    with pytest.raises(LoadError) as err:
        fn(data, "f.yaml", *args)
    return [str(p) for p in err.value.problems]


def edited(old: str, new: str) -> bytes:
    text = CONTOH.decode()
    assert old in text, old
    return text.replace(old, new, 1).encode()


# --- reading the YAML itself -------------------------------------------------

@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a: &x 1\nb: *x\n", "f.yaml:1: YAML anchors (&x) are not allowed"),
        (b"a: [1]\nb: *x\n", "f.yaml:2: YAML aliases (*name) are not allowed"),
        (b"id: !!python/object:os.system x\n", "f.yaml:1: YAML tags (tag:yaml.org,2002:python/object:os.system)"),
        (b"id: !!str 1\n", "f.yaml:1: YAML tags"),
        (b"id: !custom 1\n", "f.yaml:1: YAML tags (!custom)"),
        (b"id: a\nversion: '1'\nid: b\n", "f.yaml:3: duplicate key 'id' (first used on line 1)"),
        (b"- 1\n- 2\n", "f.yaml:1: the top level must be a mapping"),
        (b"just text\n", "f.yaml:1: the top level must be a mapping"),
        (b"", "f.yaml:1: file is empty"),
        (b"a: 1\n---\nb: 2\n", "f.yaml:2: only one YAML document"),
        (b"id: x\ntitle: caf\xe9\n", "f.yaml:2: text is not UTF-8"),
        (b"a: [\n  1,\n", "f.yaml:3: YAML syntax error"),
        (b"a:\n  <<: {b: 1}\n", "f.yaml:2: YAML merge keys (<<) are not allowed"),
        (b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "f.yaml:1: YAML is nested too deeply"),
        (b"a: " + b"9" * 5000 + b"\n", "f.yaml:1: cannot read the value"),
    ],
)
def test_bad_yaml(data, expected):
    found = problems(parse_questionnaire, data)
    assert len(found) == 1
    assert found[0].startswith(expected), found


def test_file_over_one_mib_is_refused_before_parsing(tmp_path):
    path = tmp_path / "besar.yaml"
    path.write_bytes(b"id: x\n" + b"#" * (1024 * 1024))
    with pytest.raises(LoadError) as err:
        load_questionnaire(path)
    assert str(err.value) == f"{path}:1: file is larger than 1024 KiB"


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(LoadError) as err:
        load_questionnaire(tmp_path / "nope.yaml")
    assert "cannot read the file" in str(err.value)


def test_billion_laughs_cannot_be_written_without_aliases():
    bomb = b'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    assert "anchors" in problems(parse_questionnaire, bomb)[0]


def test_json_answers_are_read_with_lines(contoh):
    data = b'{\n  "questionnaire": "contoh",\n  "answers": {\n    "q1": 3,\n    "q2": 7\n  }\n}\n'
    assert problems(parse_answers, data, contoh) == ["f.yaml:5: answers.q2: 7 is not on the 'status' scale; "
                                                     "use 0, 1, 2, 3"]


# --- questionnaire structure and cross-references ---------------------------

@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("tier: 3", "tier: 4", "f.yaml:37: domains[0].questions[2].tier: must be 1, 2 or 3"),
        ("tier: 3", "tire: 3", "f.yaml:37: domains[0].questions[2].tire: unknown key"),
        ("id: contoh", "id: Contoh_1", "f.yaml:2: id: must be lowercase words joined by '-'"),
        ('version: "1"', "version: 1", "f.yaml:3: version: must be text"),
        ("{id: Contoh kuesioner, en: Example questionnaire}", "{id: Contoh kuesioner}",
         "f.yaml:4: title.en: is required"),
        ("{id: Contoh kuesioner, ", "{id: '  ', ", "f.yaml:4: title.id: must not be empty"),
        ("scale: ya_tidak", "scale: yes_no", "f.yaml:38: domains[0].questions[2].scale: unknown scale 'yes_no'"),
        ("- id: q5", "- id: q1", "f.yaml:49: domains[1].questions[1].id: question id 'q1' is used twice"),
        ("  - id: b\n", "  - id: a\n", "f.yaml:41: domains[1].id: domain id 'a' is used twice"),
        ("critical_cap: perlu-perbaikan", "critical_cap: hampir", "f.yaml:19: critical_cap: 'hampir' is not one"),
        ("min: 0, label: {id: Belum", "min: 5, label: {id: Belum", "f.yaml:15: bands[0].min: the first band"),
        ("min: 60,", "min: 40,", "f.yaml:17: bands[2].min: band mins must be strictly ascending"),
        ("min: 80,", "min: 101,", "f.yaml:18: bands[3].min: must be less than or equal to 100"),
        ("{value: 3, label: {id: Ya", "{value: 2, label: {id: Ya", "f.yaml:11: scales.ya_tidak: a scale must"),
        ("{value: 1, label: {id: Dalam", "{value: 0, label: {id: Dalam", "f.yaml:6: scales.status: option values"),
        ("{value: 1, label: {id: Dalam", "{value: 4, label: {id: Dalam", "f.yaml:8: scales.status[1].value: must be"),
        ("weight: 2", "weight: 0", "f.yaml:23: domains[0].weight: must be greater than 0"),
        ("weight: 2", "weight: .nan", "f.yaml:23: domains[0].weight: must be a finite number"),
        ("allow_na: true\n        ref", "allow_na: maybe\n        ref",
         "f.yaml:39: domains[0].questions[2].allow_na: must be true or false"),
        ("  - id: q5", "  - id: q 5", "f.yaml:49: domains[1].questions[1].id: may contain only letters"),
    ],
)
def test_bad_questionnaire(old, new, expected):
    found = problems(parse_questionnaire, edited(old, new))
    assert any(p.startswith(expected) for p in found), found


def test_all_problems_of_a_file_are_reported_at_once():
    data = edited("tier: 3", "tier: 9").decode().replace("tier: 2", "tier: 0", 1).replace("weight: 2", "weight: -1")
    found = problems(parse_questionnaire, data.encode())
    assert len(found) == 3, found


def test_cross_reference_problems_are_all_reported():
    data = edited("scale: ya_tidak", "scale: x").decode().replace("- id: q5", "- id: q1").encode()
    found = problems(parse_questionnaire, data)
    assert len(found) == 2, found


def test_file_name_must_match_id(tmp_path):
    path = tmp_path / "lain.yaml"
    path.write_bytes(CONTOH)
    with pytest.raises(LoadError) as err:
        load_questionnaire(path)
    assert "rename the file to 'contoh.yaml'" in str(err.value)


# --- answers -----------------------------------------------------------------

ANSWERS_HEAD = b"questionnaire: contoh\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"answers: {q9: 1}\n", "f.yaml:2: answers.q9: unknown question id 'q9'"),
        (b"answers:\n  q1: 5\n", "f.yaml:3: answers.q1: 5 is not on the 'status' scale"),
        (b"answers:\n  q3: 2\n", "f.yaml:3: answers.q3: 2 is not on the 'ya_tidak' scale; use 0, 3 or na"),
        (b"answers:\n  q1: na\n", "f.yaml:3: answers.q1: 'na' (not applicable) is not allowed"),
        (b"answers:\n  q1: '3'\n", "f.yaml:3: answers.q1.value: must be a number on the question's scale, or na"),
        (b"answers:\n  q1: true\n", "f.yaml:3: answers.q1.value: must be a number"),
        (b"answers:\n  q1: {value: 1, catatan: x}\n", "f.yaml:3: answers.q1.catatan: unknown key"),
        (b"answers:\n  q1: {note: x}\n", "f.yaml:3: answers.q1.value: is required"),
        (b"school: {npsn: '123'}\nanswers: {}\n", "f.yaml:2: school.npsn: must be 8 characters"),
        (b"school: {npsn: 20100001}\nanswers: {}\n", "f.yaml:2: school.npsn: must be text"),
        (b"school: {npsn: '2010000a'}\nanswers: {}\n", "f.yaml:2: school.npsn: must be 8 characters"),
        (b"school: {npsn: 'P9934907', jenjang: TK}\nanswers: {}\n", "f.yaml:2: school.jenjang: must be 'SD'"),
        (b"version: '2'\nanswers: {}\n", "f.yaml:2: version: must be '1', the questionnaire's version"),
        (b"answers: [1, 2]\n", "f.yaml:2: answers: must be a mapping"),
        (b"answers: {q 1: 2}\n", "f.yaml:2: answers.q 1: may contain only letters"),  # the id, not the value
    ],
)
def test_bad_answers(contoh, body, expected):
    found = problems(parse_answers, ANSWERS_HEAD + body, contoh)
    assert any(p.startswith(expected) for p in found), found


def test_questionnaire_mismatch(contoh):
    found = problems(parse_answers, b"questionnaire: lain\nanswers: {}\n", contoh)
    assert found == ["f.yaml:1: questionnaire: must be 'contoh', the questionnaire being scored"]


def test_answers_report_every_problem_even_with_structural_errors(contoh):
    data = ANSWERS_HEAD + b"answers:\n  q1: 5\n  q2: '1'\n  q9: 0\nschool: {npsn: x}\n"
    found = problems(parse_answers, data, contoh)
    assert [p.split(":")[1] for p in found] == ["3", "4", "5", "6"], found


def test_valid_answers_keep_notes(contoh):
    answers = load_answers(DATA / "jawaban-contoh.yaml", contoh)
    assert answers.answers["q2"].note == "kebijakan masih draf"
    assert answers.answers["q3"].is_na
    assert answers.school.npsn == "Z1300001"


def test_numeric_looking_question_ids_stay_text():
    questionnaire = parse_questionnaire(edited("- id: q5", "- id: '1.10'"), "f.yaml")
    answers = parse_answers(b"questionnaire: contoh\nanswers:\n  1.10: 2\n", "a.yaml", questionnaire)
    assert answers.answers["1.10"].value == 2


# --- baselines ---------------------------------------------------------------

BASELINE = b"id: baseline-contoh\nquestionnaire: contoh\ntitle: {id: B, en: B}\ntargets:\n"


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (b"  default: {a: 60}\n", "f.yaml:5: targets.default: must name every domain; missing: b"),
        (b"  default: {a: 60, b: 50, c: 1}\n", "f.yaml:5: targets.default.c: unknown domain 'c'"),
        (b"  default: {a: 60, b: 150}\n", "f.yaml:5: targets.default.b: must be less than or equal to 100"),
        (b"  default: {a: 60, b: 50}\n  TK: {a: 1}\n", "f.yaml:6: targets.TK: "),
        (b"  SD: {a: 60, b: 50}\n", "f.yaml:4: targets: 'default' targets are required"),
    ],
)
def test_bad_baseline(contoh, targets, expected):
    found = problems(parse_baseline, BASELINE + targets, contoh)
    assert any(p.startswith(expected) for p in found), found


def test_baseline_for_another_questionnaire(contoh):
    data = BASELINE.replace(b"questionnaire: contoh", b"questionnaire: lain") + b"  default: {a: 1, b: 1}\n"
    assert problems(parse_baseline, data, contoh) == ["f.yaml:2: questionnaire: must be 'contoh'"]


# --- no input ever gives a traceback -----------------------------------------

YAMLISH = st.lists(st.sampled_from(list("ab:-[]{},&*!%#|>'\"\n \t?<0.9") + ["na", "q1", "<<", "\n  "]),
                   max_size=60).map("".join)


@settings(max_examples=300)
@given(st.one_of(st.binary(max_size=200), YAMLISH.map(str.encode), st.builds(
    lambda tail: CONTOH[: len(CONTOH) // 2] + tail.encode(), YAMLISH)))
def test_any_input_gives_load_error_or_a_model(contoh, data):
    for parse, args in ((parse_questionnaire, ()), (parse_answers, (contoh,)), (parse_baseline, (contoh,))):
        try:
            parse(data, "f.yaml", *args)
        except LoadError as err:
            assert err.problems and all(str(p).startswith("f.yaml") for p in err.problems)

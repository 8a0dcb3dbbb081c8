"""The batch answers check accepts exactly what the model path accepts, and errors come from one place.

The model path (`loader.parse_answers`: pydantic validation, then `Answers.problems`) is
the reference; `answers_check.valid_values` must never accept a file it refuses.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import safeyaml
from scoring.answers_check import valid_values
from scoring.batch import answers_values, score_file
from scoring.engine import Result, answer_values, score
from scoring.loader import LoadError, parse_answers
from scoring.messages import msg
from tests.conftest import DATA

HEAD = b"questionnaire: contoh\n"

# One per class of bad answers file (the loader's own tests pin each message).
BAD = [
    b"answers: {q9: 1}\n",
    b"answers:\n  q1: 5\n",
    b"answers:\n  q3: 2\n",
    b"answers:\n  q1: na\n",
    b"answers:\n  q1: NA\n",
    b"answers:\n  q1: '3'\n",
    b"answers:\n  q1: true\n",
    b"answers:\n  q1: 3.0\n",
    b"answers:\n  q1:\n",
    b"answers:\n  q1: [3]\n",
    b"answers:\n  q1: {value: 1, catatan: x}\n",
    b"answers:\n  q1: {note: x}\n",
    b"answers:\n  q1: {value: 1, note: 5}\n",
    b"answers:\n  q1: {value: 1, note: '" + b"x" * 2001 + b"'}\n",
    b"answers:\n  q1: {value: {value: 1}}\n",
    b"school: {npsn: '123'}\nanswers: {}\n",
    b"school: {npsn: 20100001}\nanswers: {}\n",
    b"school: {npsn: 'P9934907', jenjang: TK}\nanswers: {}\n",
    b"school: {name: SD Contoh}\nanswers: {}\n",
    b"school: []\nanswers: {}\n",
    b"version: '2'\nanswers: {}\n",
    b"version: 1\nanswers: {}\n",
    b"answers: [1, 2]\n",
    b"answers:\n",
    b"answers: {q 1: 2}\n",
    b"answers: {q1: 2}\nsekolah: {}\n",
    b"answers: {q1: 2, q1: 3}\n",
    b"answers: {q1: &a 2, q2: *a}\n",
    b"answers: {q1: !!int 2}\n",
    b"answers: {q1: 2\n",
]


@pytest.mark.parametrize("body", BAD)
def test_bad_answers_are_refused_with_the_model_paths_errors(contoh, body):
    raw = HEAD + body
    with pytest.raises(LoadError) as reference:
        parse_answers(raw, "f.yaml", contoh)
    with pytest.raises(LoadError) as batch:
        answers_values(raw, "f.yaml", contoh)
    # The same message ids with the same parameters, so the same text in both languages.
    assert batch.value.problems == reference.value.problems
    assert batch.value.more == reference.value.more
    try:
        data = safeyaml.parse(raw, track_lines=False).data
    except safeyaml.YamlProblem:
        return
    assert valid_values(contoh, data) is None


def test_other_questionnaire_and_top_level_keys_are_refused(contoh):
    for raw in (b"questionnaire: lain\nanswers: {}\n", b"answers: {q1: 1}\n", b"questionnaire: 5\n"):
        assert valid_values(contoh, safeyaml.parse(raw).data) is None
        with pytest.raises(LoadError):
            answers_values(raw, "f.yaml", contoh)


def test_the_example_file_scores_as_the_model_path(contoh, contoh_baseline):
    path = DATA / "jawaban-contoh.yaml"
    data = score_file(path, contoh, contoh_baseline)
    reference = score(contoh, parse_answers(path.read_bytes(), str(path), contoh), contoh_baseline)
    assert Result.model_validate(data) == reference
    assert data == reference.model_dump(mode="json")


# --- property: the same verdict, values and errors on any answers document -----

VALUES = st.one_of(
    st.sampled_from([0, 1, 2, 3, 4, -1, "na", "NA", "3", True, False, None, 3.0, 2.5, [], {}, [1]]),
    st.fixed_dictionaries({"value": st.sampled_from([0, 2, 3, "na", "x", None, True])},
                          optional={"note": st.one_of(st.none(), st.text(max_size=5), st.integers(0, 3),
                                                      st.just("x" * 2001)),
                                    "extra": st.just(1)}),
)
IDS = st.sampled_from(["q1", "q2", "q3", "q4", "q5", "q9", "Q1", "q 1", "1.10"])
SCHOOLS = st.one_of(
    st.none(),
    st.fixed_dictionaries({"npsn": st.sampled_from(["20100001", "Z1300001", "123", 20100001, "2010000a"])},
                          optional={"jenjang": st.sampled_from(["SD", "SMK", "TK", None]),
                                    "name": st.sampled_from(["SD Contoh", None, 5]),
                                    "province": st.sampled_from(["Jawa Barat", None]),
                                    "kota": st.just("x")}),
    st.sampled_from([[], "SD", 1]),
)
DOCUMENTS = st.fixed_dictionaries(
    {"questionnaire": st.sampled_from(["contoh", "contoh", "contoh", "lain", 5, None])},
    optional={"version": st.sampled_from(["1", "2", 1, None]),
              "school": SCHOOLS,
              "answers": st.one_of(st.dictionaries(IDS, VALUES, max_size=6), st.sampled_from([None, [], "x"])),
              "catatan": st.just("x")},
)


def _outcome(fn, raw, contoh):
    try:
        return "ok", fn(raw)
    except LoadError as err:
        return "error", (err.problems, err.more)


@settings(max_examples=400)
@given(DOCUMENTS, st.sampled_from(["block", "flow", "json"]))
def test_batch_check_agrees_with_the_model_path(contoh, document, style):
    if style == "json":
        raw = yaml.safe_dump(document, default_flow_style=True, width=10_000).encode()
    else:
        raw = yaml.safe_dump(document, default_flow_style=style == "flow", allow_unicode=True).encode()
    kind, reference = _outcome(lambda r: parse_answers(r, "f.yaml", contoh), raw, contoh)
    batch_kind, batch = _outcome(lambda r: answers_values(r, "f.yaml", contoh), raw, contoh)
    assert batch_kind == kind
    if kind == "error":
        assert batch == reference
        try:  # (a value drawn twice is dumped with an anchor, which the reader refuses)
            data = safeyaml.parse(raw, track_lines=False).data
        except safeyaml.YamlProblem:
            return
        assert valid_values(contoh, data) is None
    else:
        values, jenjang = batch
        assert values == answer_values(reference)
        assert jenjang == (reference.school.jenjang if reference.school else None)
        assert valid_values(contoh, safeyaml.parse(raw, track_lines=False).data) == batch


# --- the reader without line bookkeeping refuses the same things, with the same message ---------

HOSTILE_YAML = [
    b"a: &x 1\nb: *x\n", b"a: [1]\nb: *x\n", b"id: !!python/object:os.system x\n", b"id: !!str 1\n",
    b"id: a\nversion: '1'\nid: b\n", b"a:\n  b: {c: 1, c: 2}\n", b"- 1\n- 2\n", b"", b"a: 1\n---\nb: 2\n",
    b"id: x\ntitle: caf\xe9\n", b"\xef\xbb\xbfa: 1\n\xff\n", b"a: [\n  1,\n", b"a:\n  <<: {b: 1}\n",
    b"a: " + b"[" * 200 + b"]" * 200 + b"\n", b"a: " + b"[" * 50 + b"1" + b"]" * 50 + b"\n",
    b"a: " + b"9" * 5000 + b"\n", b"? [a]\n: 1\n",
]


@pytest.mark.parametrize("raw", HOSTILE_YAML)
def test_reading_without_lines_refuses_the_same(raw):
    with pytest.raises(safeyaml.YamlProblem) as tracked:
        safeyaml.parse(raw)
    with pytest.raises(safeyaml.YamlProblem) as untracked:
        safeyaml.parse(raw, track_lines=False)
    assert (untracked.value.line, untracked.value.message) == (tracked.value.line, tracked.value.message)


def test_a_bom_is_allowed_and_the_bad_byte_line_counts_from_the_text():
    assert safeyaml.parse(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}
    with pytest.raises(safeyaml.YamlProblem) as err:
        safeyaml.parse(b"\xef\xbb\xbfa: 1\n\xff\n")
    assert (err.value.line, err.value.message) == (2, msg("yaml.not_utf8"))
    assert err.value.message.render("id") == "teks bukan UTF-8"

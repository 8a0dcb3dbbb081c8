"""The shipped questionnaires, baselines and glossary: valid, bilingual, honestly referenced.

Parametrised over every file in questionnaires/, with a guard that the expected
files are found, so a moved folder cannot make the suite pass silently.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from pydantic import BaseModel

from scoring.engine import score
from scoring.loader import (
    LoadError,
    load_baseline,
    load_glossary,
    load_questionnaire,
    parse_baseline,
    parse_glossary,
    parse_questionnaire,
)
from scoring.models import (
    JENJANG,
    AnswerEntry,
    Answers,
    Band,
    Baseline,
    Domain,
    GlossaryTerm,
    Question,
    Questionnaire,
    ScaleOption,
    Text,
    occurs,
)

QUESTIONNAIRES = Path(__file__).resolve().parent.parent / "questionnaires"
GLOSSARY = QUESTIONNAIRES / "glossary.yaml"
GUIDE = QUESTIONNAIRES / "README.md"
QUESTIONNAIRE_FILES = sorted(p for p in QUESTIONNAIRES.glob("*.yaml") if p != GLOSSARY)
BASELINE_FILES = sorted((QUESTIONNAIRES / "baselines").glob("*.yaml"))
SHIPPED = {"keamanan-siber-sekolah", "pelindungan-data-sekolah", "cek-cepat"}

CYBER, PDP, QUICK = "keamanan-siber-sekolah", "pelindungan-data-sekolah", "cek-cepat"

# Product names that read the same in both languages. Keep this list short.
SAME_IN_BOTH_LANGUAGES = {"Router", "Google Workspace", "Google Drive"}

# Data-protection questions that no article of UU PDP governs, so they cite none.
PDP_NOT_GOVERNED = {"tp.pelatihan-pdp", "kb.latihan"}

# ISO/IEC 27001:2022 Annex A: theme -> number of controls.
ISO_THEMES = {5: 37, 6: 8, 7: 14, 8: 34}
# NIST CSF 2.0: every subcategory (106), category -> subcategory numbers.
CSF = {
    "GV.OC": range(1, 6), "GV.RM": range(1, 8), "GV.RR": range(1, 5), "GV.PO": range(1, 3),
    "GV.OV": range(1, 4), "GV.SC": range(1, 11),
    "ID.AM": (1, 2, 3, 4, 5, 7, 8), "ID.RA": range(1, 11), "ID.IM": range(1, 5),
    "PR.AA": range(1, 7), "PR.AT": (1, 2), "PR.DS": (1, 2, 10, 11), "PR.PS": range(1, 7), "PR.IR": range(1, 5),
    "DE.CM": (1, 2, 3, 6, 9), "DE.AE": (2, 3, 4, 6, 7, 8),
    "RS.MA": range(1, 6), "RS.AN": (3, 6, 7, 8), "RS.CO": (2, 3), "RS.MI": (1, 2),
    "RC.RP": range(1, 7), "RC.CO": (3, 4),
}
# CIS Controls v8: control -> number of safeguards.
CIS_SAFEGUARDS = {1: 5, 2: 7, 3: 14, 4: 12, 5: 6, 6: 8, 7: 7, 8: 12, 9: 7, 10: 7, 11: 5, 12: 8,
                  13: 11, 14: 9, 15: 7, 16: 14, 17: 9, 18: 5}
UU_PDP_ARTICLES = 76
INDEKS_KAMI_AREAS = {"tata-kelola", "risiko", "kerangka-kerja", "aset", "teknologi", "pdp", "pihak-ketiga"}
FRAMEWORK_KEYS = {"iso27001", "nist_csf", "cis_v8", "uu_pdp"}
# help opens with the top answer of the question's scale, in the words the user sees.
HELP_START = {
    "status": ("Diterapkan menyeluruh:", "Fully implemented:"),
    "ya_tidak": ("Jawab Ya jika", "Answer Yes if"),
}


@cache
def questionnaire(stem: str) -> Questionnaire:
    return load_questionnaire(QUESTIONNAIRES / f"{stem}.yaml")


def shipped_questions():
    return [(stem, q) for stem in sorted(SHIPPED) for _, q in questionnaire(stem).questions()]


def by_stem(paths):
    return pytest.mark.parametrize("path", paths, ids=[p.stem for p in paths])


# --- the guard -------------------------------------------------------------------------

def test_every_shipped_file_is_found():
    assert {p.stem for p in QUESTIONNAIRE_FILES} == SHIPPED
    assert {p.stem for p in BASELINE_FILES} == {f"baseline-{s}" for s in SHIPPED}
    assert GLOSSARY.is_file() and GUIDE.is_file()
    assert len(QUESTIONNAIRE_FILES) == 3 and len(BASELINE_FILES) == 3


# --- validity ----------------------------------------------------------------------------

@by_stem(QUESTIONNAIRE_FILES)
def test_questionnaire_validates(path):
    try:
        load_questionnaire(path)
    except LoadError as err:
        pytest.fail(str(err))


@by_stem(BASELINE_FILES)
def test_baseline_validates_against_its_questionnaire(path):
    try:
        baseline = load_baseline(path)
        load_baseline(path, questionnaire(baseline.questionnaire))
    except LoadError as err:
        pytest.fail(str(err))


def test_glossary_validates():
    try:
        load_glossary(GLOSSARY)
    except LoadError as err:
        pytest.fail(str(err))


# --- both languages ----------------------------------------------------------------------

def texts_in(model: BaseModel, where: str = ""):
    """Every Text inside a model, with a readable path to it."""
    if isinstance(model, Text):
        yield where, model
        return
    for name in type(model).model_fields:
        yield from _texts_in_value(getattr(model, name), f"{where}.{name}" if where else name)


def _texts_in_value(value, where: str):
    if isinstance(value, BaseModel):
        yield from texts_in(value, where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts_in_value(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts_in_value(item, f"{where}.{key}")


def loaded_documents():
    docs = [(p.name, questionnaire(p.stem)) for p in QUESTIONNAIRE_FILES]
    docs += [(p.name, load_baseline(p)) for p in BASELINE_FILES]
    return docs + [(GLOSSARY.name, load_glossary(GLOSSARY))]


def test_the_text_walker_finds_texts():
    found = dict(texts_in(questionnaire(QUICK)))
    assert "domains[0].questions[0].text" in found
    assert "scales.ya_tidak[1].label" in found


def test_every_text_is_translated_not_copied():
    copies = [f"{name}: {where}: {text.id!r}" for name, doc in loaded_documents() for where, text in texts_in(doc)
              if text.id.strip() == text.en.strip() and text.id not in SAME_IN_BOTH_LANGUAGES]
    assert copies == []


# --- question form and house style ---------------------------------------------------------

@by_stem(QUESTIONNAIRE_FILES)
def test_each_domain_has_at_least_three_questions(path):
    small = [d.id for d in questionnaire(path.stem).domains if len(d.questions) < 3]
    assert small == []


@by_stem(QUESTIONNAIRE_FILES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_two_questions_share_a_text(path, lang):
    seen: dict[str, str] = {}
    for _, q in questionnaire(path.stem).questions():
        text = " ".join(q.text.get(lang).lower().split())
        assert text not in seen, f"{q.id} repeats the text of {seen[text]}"
        seen[text] = q.id


# A question asks one thing: two things joined by "and" make it unanswerable on one scale.
JOINED = {"id": re.compile(r"\bdan/atau\b|\s(dan|serta)\s"), "en": re.compile(r"\band/or\b|\sand\s")}


@pytest.mark.parametrize("stem", sorted(SHIPPED))
def test_each_question_asks_one_thing(stem):
    joined = [f"{q.id} ({lang}): {q.text.get(lang)}" for _, q in questionnaire(stem).questions()
              for lang in ("id", "en") if JOINED[lang].search(q.text.get(lang))]
    assert joined == []


def test_the_one_thing_rule_catches_joined_questions():
    assert JOINED["id"].search("Apakah sekolah mencadangkan dan menguji data?")
    assert JOINED["id"].search("Apakah laptop dan/atau flashdisk dienkripsi?")
    assert JOINED["en"].search("Are backups made and tested?")
    assert not JOINED["id"].search("Apakah daftar akun beserta pemegangnya ada?")


@pytest.mark.parametrize("stem", sorted(SHIPPED))
def test_questions_have_the_guidance_an_auditor_needs(stem):
    problems = []
    for _, q in questionnaire(stem).questions():
        if not (q.text.id.endswith("?") and q.text.en.endswith("?")):
            problems.append(f"{q.id}: the text must be a question in both languages")
        if q.help is None or q.evidence is None:
            problems.append(f"{q.id}: help and evidence are required in shipped content")
            continue
        start = HELP_START.get(q.scale, HELP_START["ya_tidak"])
        if not (q.help.id.startswith(start[0]) and q.help.en.startswith(start[1])):
            problems.append(f"{q.id}: help must start with {start[0]!r} / {start[1]!r}")
        if q.allow_na and not ("tidak berlaku" in q.help.id and "not applicable" in q.help.en):
            problems.append(f"{q.id}: allows na, so help must say when 'tidak berlaku' / 'not applicable' fits")
    assert problems == []


@pytest.mark.parametrize("stem", sorted(SHIPPED))
def test_critical_questions_are_basic_framework(stem):
    # An essential whose absence caps the band belongs to tier 1, the basic framework.
    assert [q.id for _, q in questionnaire(stem).questions() if q.critical and q.tier != 1] == []


@pytest.mark.parametrize("stem", sorted(SHIPPED))
def test_all_questionnaires_share_the_scales_and_bands(stem):
    q = questionnaire(stem)
    assert {sid: [(o.value, o.label.id) for o in opts] for sid, opts in q.scales.items()} == {
        "status": [(0, "Tidak dilakukan"), (1, "Dalam perencanaan"), (2, "Diterapkan sebagian"),
                   (3, "Diterapkan menyeluruh")],
        "ya_tidak": [(0, "Tidak"), (3, "Ya")],
    }
    assert [(b.id, b.min) for b in q.bands] == [("belum-siap", 0), ("perlu-perbaikan", 40), ("cukup", 60), ("siap", 80)]
    assert q.critical_cap == "perlu-perbaikan"


# --- references ----------------------------------------------------------------------------

def reference_problem(key: str, value: str) -> str | None:
    """Why one reference value is malformed or out of range, or None."""
    if key == "indeks_kami":
        return None if value in INDEKS_KAMI_AREAS else f"unknown Indeks KAMI area {value!r}"
    if key not in FRAMEWORK_KEYS:
        return f"unknown reference key {key!r}"
    for part in value.split(", "):
        problem = _one_reference_problem(key, part)
        if problem:
            return problem
    return None


def _one_reference_problem(key: str, ref: str) -> str | None:
    if key == "iso27001":
        m = re.fullmatch(r"A\.([5-8])\.([1-9]\d?)", ref)
        ok = m and int(m[2]) <= ISO_THEMES[int(m[1])]
    elif key == "nist_csf":
        m = re.fullmatch(r"([A-Z]{2}\.[A-Z]{2})-(\d\d)", ref)
        ok = m and m[1] in CSF and int(m[2]) in CSF[m[1]]
    elif key == "cis_v8":
        m = re.fullmatch(r"([1-9]\d?)\.([1-9]\d?)", ref)
        ok = m and int(m[1]) in CIS_SAFEGUARDS and int(m[2]) <= CIS_SAFEGUARDS[int(m[1])]
    else:
        m = re.fullmatch(r"Pasal ([1-9]\d?)( ayat \(\d\))?", ref)
        ok = m and int(m[1]) <= UU_PDP_ARTICLES
    return None if ok else f"{key} {ref!r} is not a real {key} reference"


@pytest.mark.parametrize(("key", "value"), [
    ("iso27001", "A.5.38"), ("iso27001", "A.9.1"), ("iso27001", "5.1"), ("nist_csf", "PR.AC-01"),
    ("nist_csf", "ID.AM-06"), ("nist_csf", "PR.DS-05"), ("nist_csf", "GV.RR-5"), ("cis_v8", "19.1"),
    ("cis_v8", "5.7"), ("cis_v8", "6,5"), ("uu_pdp", "Pasal 77"), ("uu_pdp", "Psl 46"),
    ("uu_pdp", "Pasal 25, Pasal 99"), ("indeks_kami", "keamanan"), ("nist", "PR.AA-05"),
])
def test_reference_check_rejects_bad_references(key, value):
    assert reference_problem(key, value) is not None


@pytest.mark.parametrize(("key", "value"), [
    ("iso27001", "A.5.37"), ("iso27001", "A.8.34"), ("nist_csf", "PR.AA-05"), ("nist_csf", "RC.CO-04"),
    ("cis_v8", "18.5"), ("cis_v8", "11.4"), ("uu_pdp", "Pasal 46"), ("uu_pdp", "Pasal 16 ayat (2)"),
    ("uu_pdp", "Pasal 22, Pasal 25"), ("iso27001", "A.5.5, A.5.26"), ("indeks_kami", "pihak-ketiga"),
])
def test_reference_check_accepts_real_references(key, value):
    assert reference_problem(key, value) is None


def test_csf_table_has_all_106_subcategories():
    assert sum(len(numbers) for numbers in CSF.values()) == 106
    assert sum(CIS_SAFEGUARDS.values()) == 153


@pytest.mark.parametrize("stem", sorted(SHIPPED))
def test_every_reference_is_real(stem):
    problems = []
    for _, q in questionnaire(stem).questions():
        if "indeks_kami" not in q.references:
            problems.append(f"{q.id}: needs an indeks_kami area")
        if not FRAMEWORK_KEYS & q.references.keys():
            problems.append(f"{q.id}: needs at least one framework reference besides indeks_kami")
        problems += [f"{q.id}: {p}" for k, v in q.references.items() if (p := reference_problem(k, v))]
    assert problems == []


def cited_articles(q) -> set[int]:
    return {int(n) for n in re.findall(r"Pasal (\d+)", q.references.get("uu_pdp", ""))}


def test_data_protection_questions_cite_their_article():
    uncited = [q.id for _, q in questionnaire(PDP).questions()
               if not cited_articles(q) and q.id not in PDP_NOT_GOVERNED]
    assert uncited == []
    assert PDP_NOT_GOVERNED <= {q.id for _, q in questionnaire(PDP).questions()}, "stale exception"


def test_articles_named_in_help_are_cited():
    # help that explains "Pasal N requires this" must cite Pasal N in the references.
    missing = []
    for stem, q in shipped_questions():
        for part in (q.text, q.help):
            named = {int(n) for n in re.findall(r"\bPasal (\d+)", part.id)}
            missing += [f"{stem}: {q.id}: Pasal {n}" for n in sorted(named - cited_articles(q))]
    assert missing == []


def test_the_key_articles_of_uu_pdp_are_covered():
    # Pasal 53 PDP officer, 25 children's consent, 46 breach notice, 34 DPIA, 31 record of processing.
    cited = set().union(*(cited_articles(q) for _, q in questionnaire(PDP).questions()))
    assert {25, 31, 34, 46, 53} <= cited


# --- shape of each questionnaire -------------------------------------------------------------

def test_cyber_questionnaire_covers_enough():
    q = questionnaire(CYBER)
    assert len(q.domains) >= 8
    assert len(q.questions()) >= 40
    assert sum(x.critical for _, x in q.questions()) >= 6
    assert q.critical_cap is not None


def test_data_protection_questionnaire_covers_enough():
    q = questionnaire(PDP)
    assert len(q.domains) >= 6
    assert len(q.questions()) >= 30
    assert q.critical_cap is not None


def test_quick_check_is_short_and_mostly_yes_no():
    questions = [x for _, x in questionnaire(QUICK).questions()]
    # 16 since version 2: km.pembaruan was split (updates; supported OS for the data computers).
    assert 12 <= len(questions) <= 16
    assert sum(x.scale == "ya_tidak" for x in questions) > len(questions) / 2


@pytest.mark.parametrize("stem", [CYBER, PDP])
def test_full_questionnaires_have_a_realistic_tier_mix(stem):
    tiers = [x.tier for _, x in questionnaire(stem).questions()]
    assert tiers.count(1) > tiers.count(2) > tiers.count(3) > 0


@pytest.mark.parametrize("stem", sorted(SHIPPED))
def test_a_missing_critical_caps_an_otherwise_perfect_school(stem):
    q = questionnaire(stem)
    top = {x.id: max(o.value for o in q.scales[x.scale]) for _, x in q.questions()}
    perfect = score(q, Answers(questionnaire=q.id, answers={k: AnswerEntry(value=v) for k, v in top.items()}))
    assert perfect.overall.band == "siap"
    first_critical = next(x.id for _, x in q.questions() if x.critical)
    capped = score(q, Answers(questionnaire=q.id, answers={
        k: AnswerEntry(value=0 if k == first_critical else v) for k, v in top.items()}))
    assert capped.overall.band == q.critical_cap


# --- baselines -------------------------------------------------------------------------------

def rule_answers(q: Questionnaire, up_to_tier: int) -> Answers:
    """The model school of the baseline rule: tier 1 at the top of its scale; with up_to_tier=2,
    tier 2 at its highest value not above 2 (the door to maturity III); everything else 0."""
    answers = {}
    for _, x in q.questions():
        values = [o.value for o in q.scales[x.scale]]
        if x.tier == 1:
            value = max(values)
        elif x.tier == 2 and up_to_tier >= 2:
            value = max(v for v in values if v <= 2)
        else:
            value = 0
        answers[x.id] = AnswerEntry(value=value)
    return Answers(questionnaire=q.id, answers=answers)


def rule_targets(q: Questionnaire) -> dict[str, dict[str, float]]:
    """Unrounded targets per group, as the baselines' `source` states the rule."""
    sd = {d.id: d.score for d in score(q, rule_answers(q, 1)).domains}
    sma = {d.id: d.score for d in score(q, rule_answers(q, 2)).domains}
    middle = {k: (sd[k] + sma[k]) / 2 for k in sd}
    return {"default": middle, "SD": sd, "SMP": middle, "SMA": sma, "SMK": sma, "SLB": middle}


@by_stem(BASELINE_FILES)
def test_baseline_names_every_domain_for_every_jenjang(path):
    baseline = load_baseline(path)
    domains = {d.id for d in questionnaire(baseline.questionnaire).domains}
    assert set(baseline.targets) == {"default", *JENJANG}
    assert {group: set(t) for group, t in baseline.targets.items()} == {group: domains for group in baseline.targets}


@by_stem(BASELINE_FILES)
def test_baseline_targets_follow_the_stated_rule(path):
    baseline = load_baseline(path)
    expected = rule_targets(questionnaire(baseline.questionnaire))
    wrong = []
    for group, targets in baseline.targets.items():
        for domain, target in targets.items():
            exact = expected[group][domain]
            # One decimal, and the correct rounding of the exact value.
            if abs(target * 10 - round(target * 10)) > 1e-9 or abs(target - exact) > 0.05 + 1e-9:
                wrong.append(f"{group}.{domain}: {target} (rule gives {round(exact, 1)})")
    assert wrong == []


@by_stem(BASELINE_FILES)
def test_baseline_source_states_the_rule_in_both_languages(path):
    source = load_baseline(path).source
    assert source is not None
    assert "tier 1" in source.id and "tier 1" in source.en
    assert "titik tengah" in source.id and "midpoint" in source.en


# --- glossary --------------------------------------------------------------------------------

def test_glossary_matches_are_lowercase_and_unambiguous():
    matches = [m for t in load_glossary(GLOSSARY).terms for m in t.match]
    assert [m for m in matches if m != m.lower() or m != m.strip()] == []
    assert len(matches) == len(set(matches))


def test_each_glossary_term_appears_in_a_question_or_its_help():
    texts = [t for _, q in shipped_questions() for t in (q.text.id, q.text.en, q.help.id, q.help.en)]
    unused = [t.term.id for t in load_glossary(GLOSSARY).terms
              if not any(occurs(m, text) for m in t.match for text in texts)]
    assert unused == []


# Words in capitals (VLAN, SSID, WPA3) count as technical terms, plus the jargon below.
# Institutions, school words and product names a school already knows need no gloss.
HELP_ALLOW = {
    "ANBK", "ARKAS", "BK", "BOS", "BSSN", "ID", "JRA", "NIK", "NISN", "PDF", "PDP", "PIP", "PPDB",
    "SD", "SMP", "SMA", "SMK", "SLB", "SMS", "SPMB", "SPP", "SK", "UKS", "UU", "USB", "NFC", "QR",
    "PIN", "SIM", "SSD", "FIDO2", "WhatsApp", "WordPress", "FileVault", "SafeSearch", "BitLocker",
}
HELP_JARGON = ("port forwarding", "penerusan port", "ransomware", "authenticator", "autorun", "autoplay",
               "plugin", "firmware", "firewall", "server", "admin instansi", "pusat kontak siber")
CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*\b")


def unglossed_terms(text: str, matches: list[str]) -> set[str]:
    """Technical terms of one help text that no glossary phrase covers and the allow-list lacks."""
    found = {tok for tok in CAPITALISED.findall(text) if tok not in HELP_ALLOW}
    found |= {word for word in HELP_JARGON if occurs(word, text)}
    return {term for term in found
            if not any(term.lower() in m.split() or term.lower() == m for m in matches if occurs(m, text))}


def test_every_technical_term_in_a_help_text_is_in_the_glossary():
    matches = [m for t in load_glossary(GLOSSARY).terms for m in t.match]
    missing = [f"{stem}: {q.id}: {sorted(terms)}" for stem, q in shipped_questions()
               for text in (q.help.id, q.help.en) if (terms := unglossed_terms(text, matches))]
    assert missing == []


def test_the_help_term_check_catches_an_unglossed_term():
    assert unglossed_terms("Pakai VLAN dan port forwarding.", ["router"]) == {"VLAN", "port forwarding"}
    assert unglossed_terms("Pakai VLAN.", ["vlan"]) == set()
    assert unglossed_terms("Hubungi BSSN.", []) == set()


def test_occurs_matches_whole_words_only():
    assert occurs("log", "Apakah catatan aktivitas (log) disimpan?")
    assert not occurs("log", "Apakah teknologi sekolah diperbarui?")


# --- the authoring guide ---------------------------------------------------------------------

def guide_yaml_blocks() -> dict[str, bytes]:
    """The guide's YAML examples, by the top-level key that gives their kind."""
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    kinds = {"domains": "questionnaire", "targets": "baseline", "terms": "glossary"}
    return {kind: block.encode() for block in blocks for key, kind in kinds.items()
            if re.search(rf"^{key}:", block, flags=re.M)}


def test_the_guides_examples_are_valid():
    blocks = guide_yaml_blocks()
    assert set(blocks) == {"questionnaire", "baseline", "glossary"}
    try:
        example = parse_questionnaire(blocks["questionnaire"], "README.md")
        parse_baseline(blocks["baseline"], "README.md", example)
        parse_glossary(blocks["glossary"], "README.md")
    except LoadError as err:
        pytest.fail(str(err))


@pytest.mark.parametrize("model", [Questionnaire, Domain, Question, ScaleOption, Band, Text, Baseline, GlossaryTerm])
def test_the_guide_shows_every_field(model):
    guide = GUIDE.read_text(encoding="utf-8")
    assert [f for f in model.model_fields if not re.search(rf"\b{f}:", guide)] == []

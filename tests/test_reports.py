"""Reports: figures carry the engine's numbers, exports are safe to open, HTML is self-contained."""

from __future__ import annotations

import ast
import csv
import io
import re

import openpyxl
import pytest

from reports import charts, exports
from reports.html_report import school_report_html, summary_html
from reports.labels import LABELS, label
from scoring.engine import score
from scoring.loader import load_answers, parse_answers, parse_baseline, parse_questionnaire
from scoring.models import AnswerEntry, Answers, School
from tests.conftest import DATA, ROOT, answers_of

# Three domains; `data` can be all-na, so it can have no score.
TRIO = b"""
id: trio
version: "2"
title: {id: Tiga domain, en: Three domains}
scales:
  status:
    - {value: 0, label: {id: Tidak, en: "No"}}
    - {value: 1, label: {id: Direncanakan, en: Planned}}
    - {value: 2, label: {id: Sebagian, en: Partly}}
    - {value: 3, label: {id: Penuh, en: Fully}}
bands:
  - {id: belum-siap, min: 0, label: {id: Belum siap, en: Not ready}}
  - {id: siap, min: 70, label: {id: Siap, en: Ready}}
domains:
  - id: akun
    title: {id: Akun, en: Accounts}
    questions:
      - {id: k1, text: {id: K1?, en: K1?}, recommendation: {id: R1., en: R1.}}
      - {id: k2, text: {id: K2?, en: K2?}, recommendation: {id: R2., en: R2.}}
  - id: data
    title: {id: Data pribadi, en: Personal data}
    questions:
      - {id: d1, text: {id: D1?, en: D1?}, recommendation: {id: R3., en: R3.}, allow_na: true}
  - id: cadangan
    title: {id: Cadangan, en: Backup}
    questions:
      - {id: c1, text: {id: C1?, en: C1?}, recommendation: {id: R4., en: R4.}}
"""
TRIO_BASELINE = b"""
id: baseline-trio
questionnaire: trio
title: {id: Target, en: Target}
targets:
  default: {akun: 80, data: 70, cadangan: 60}
"""
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_NOTE = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def trio():
    questionnaire = parse_questionnaire(TRIO, "trio.yaml")
    baseline = parse_baseline(TRIO_BASELINE, "baseline-trio.yaml", questionnaire)
    # akun 5/6 = 83.3 (gap -3.3), data all-na (no score), cadangan 1/3 = 33.3 (gap 26.7)
    answers = answers_of("trio", k1=3, k2=2, d1="na", c1=1)
    return questionnaire, score(questionnaire, answers, baseline)


@pytest.fixture(scope="module")
def contoh_result(contoh, contoh_baseline):
    answers = load_answers(DATA / "jawaban-contoh.yaml", contoh)
    return answers, score(contoh, answers, contoh_baseline)


# --- charts ------------------------------------------------------------------------------------


def test_radar_r_is_the_engines_domain_scores_closed_by_the_first(contoh, contoh_result):
    _, result = contoh_result
    fig = charts.radar(contoh, [charts.school_series(result, "SMK Contoh")], "id")
    scores = [d.score for d in result.domains]
    assert list(fig.data[0].r) == [*scores, scores[0]]
    assert list(fig.data[0].theta) == ["Tata kelola", "Cadangan", "Tata kelola"]
    assert fig.layout.polar.radialaxis.range == (0, 100)


def test_radar_styles_and_a_missing_score_is_a_gap(trio, contoh, contoh_baseline):
    questionnaire, result = trio
    fig = charts.radar(questionnaire, [
        charts.school_series(result, "Sekolah"),
        charts.target_series(result, "Target"),
        charts.median_series({"akun": 50.0, "data": None, "cadangan": 40.0}, "Median"),
    ], "en")
    school, target, median = fig.data
    assert school.r[1] is None and "no score" in school.text[1]
    assert school.fill == "toself" and target.line.dash == "dash" and median.line.dash == "dot"
    assert list(target.r) == [80, 70, 60, 80]
    assert list(median.r) == [50.0, None, 40.0, 50.0]
    from_baseline = charts.target_series(contoh_baseline, "Target SMK", "SMK")
    assert from_baseline.values == {"a": 70, "b": 50}


def test_radar_refuses_a_domain_the_questionnaire_lacks(contoh):
    with pytest.raises(charts.ChartInputError, match="unknown domain ids zz"):
        charts.radar(contoh, [charts.median_series({"a": 1.0, "zz": 2.0}, "Median")], "id")


def test_user_text_in_a_figure_is_escaped(contoh, contoh_result):
    _, result = contoh_result
    fig = charts.radar(contoh, [charts.school_series(result, HOSTILE_NAME)], "id")
    assert fig.data[0].name == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_gap_bars_largest_shortfall_first_without_domains_lacking_a_gap(trio):
    questionnaire, result = trio
    fig = charts.gap_bars(questionnaire, result, "id")
    bar = fig.data[0]
    assert list(bar.y) == ["Cadangan", "Akun"]  # `data` has no score, so no gap
    assert bar.x[0] == pytest.approx(60 - 100 / 3) and bar.x[1] == pytest.approx(80 - 500 / 6)
    assert bar.text == ("26,7", "-3,3")  # the value beside the bar; the words on hover
    assert bar.hovertext == ("Cadangan: 26,7 di bawah target", "Akun: 3,3 di atas target")
    assert fig.layout.yaxis.autorange == "reversed"  # the first bar is drawn at the top
    low, high = fig.layout.xaxis.range
    assert low < -3.3 and high > 26.7  # room for the value text on both sides


def test_gap_bars_without_a_baseline_are_empty(contoh):
    result = score(contoh, answers_of(q1=3, q2=1, q5=2))
    assert len(charts.gap_bars(contoh, result, "id").data[0].x) == 0


def test_heatmap_fixed_range_and_z_is_the_input(trio):
    questionnaire, _ = trio
    rows = [("SD 1", {"akun": 12.5, "data": None, "cadangan": 100.0}), ("SD 2", {"akun": 0.0})]
    fig = charts.heatmap(questionnaire, rows, "en")
    heat = fig.data[0]
    assert (heat.zmin, heat.zmax) == (0, 100)
    assert [list(r) for r in heat.z] == [[12.5, None, 100.0], [0.0, None, None]]
    assert list(heat.text[0]) == ["12.5", "–", "100.0"]  # values printed in the cells, not colour only


def test_trend_has_overall_and_each_domain_in_period_order(contoh, contoh_baseline):
    early = score(contoh, answers_of(q1=1, q2=0, q5=0), contoh_baseline)
    late = score(contoh, answers_of(q1=3, q2=3, q3=3, q4=3, q5=3), contoh_baseline)
    fig = charts.trend(contoh, [("2024/1", early), ("2025/1", late)], "id")
    assert [t.name for t in fig.data] == ["Keseluruhan", "Tata kelola", "Cadangan"]
    assert list(fig.data[0].y) == [early.overall.score, late.overall.score]
    assert list(fig.data[2].y) == [early.domains[1].score, 100.0]
    assert list(fig.data[0].x) == ["2024/1", "2025/1"]
    assert fig.layout.xaxis.type == "category"  # semesters, not dates


def test_box_marks_the_highlighted_rows(trio):
    questionnaire, _ = trio
    rows = [("SD 1", {"akun": 10.0, "cadangan": 20.0}), ("SD 2", {"akun": 30.0, "data": 40.0})]
    fig = charts.box_by_domain(questionnaire, rows, ["SD 2"], "id")
    assert fig.data[0].orientation == "h"  # domains down the side, where a phone has room for them
    assert sorted(fig.data[0].x) == [10.0, 20.0, 30.0, 40.0]
    assert fig.data[1].name == "SD 2" and list(fig.data[1].x) == [30.0, 40.0, None]
    assert list(fig.data[1].y) == ["Akun", "Data pribadi", "Cadangan"]
    with pytest.raises(charts.ChartInputError, match="'SD 9'"):
        charts.box_by_domain(questionnaire, rows, ["SD 9"], "id")


def test_ranking_highest_median_first_and_none_left_out():
    fig = charts.ranking_bars([("Aceh", 41.0), ("Bali", None), ("Sumatera Barat", 63.5)], "id")
    assert list(fig.data[0].y) == ["Sumatera Barat", "Aceh"]
    assert list(fig.data[0].x) == [63.5, 41.0]


def test_band_distribution_stacks_bands_named_in_the_legend(contoh):
    counts = {"Padang": {"belum-siap": 2, "siap": 1}, "Bukittinggi": {"cukup": 4}}
    fig = charts.band_distribution(contoh, counts, "en")
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["Not ready", "Needs improvement", "Adequate", "Ready"]
    assert list(fig.data[0].y) == [2, 0] and list(fig.data[2].y) == [0, 4]
    assert len({t.marker.color for t in fig.data}) == 4
    with pytest.raises(charts.ChartInputError, match="unknown band ids tinggi"):
        charts.band_distribution(contoh, {"Padang": {"tinggi": 1}}, "en")


def _every_chart(questionnaire, result, lang):
    rows = [("SD 1", {d.id: d.score for d in result.domains})]
    return {
        "radar_title": charts.radar(questionnaire, [charts.school_series(result, "x")], lang),
        "gap_title": charts.gap_bars(questionnaire, result, lang),
        "trend_title": charts.trend(questionnaire, [("2025", result)], lang),
        "heatmap_title": charts.heatmap(questionnaire, rows, lang),
        "box_title": charts.box_by_domain(questionnaire, rows, [], lang),
        "ranking_title": charts.ranking_bars([("Aceh", 50.0)], lang),
        "bands_title": charts.band_distribution(questionnaire, {"Aceh": {"siap": 1}}, lang),
    }


def _axis_titles(fig) -> list[str | None]:
    """Axis titles, and the colour bar's: the heatmap's third axis."""
    layout = fig.layout
    colour_bar = fig.data[0].colorbar.title.text if fig.data[0].type == "heatmap" else None
    return [layout.xaxis.title.text, layout.yaxis.title.text, layout.polar.radialaxis.title.text, colour_bar]


def test_titles_and_axis_labels_follow_the_language(contoh, contoh_result):
    _, result = contoh_result
    in_id, in_en = _every_chart(contoh, result, "id"), _every_chart(contoh, result, "en")
    for key in in_id:
        assert in_id[key].layout.title.text == LABELS["id"][key]
        assert in_en[key].layout.title.text == LABELS["en"][key]
        axes_id, axes_en = _axis_titles(in_id[key]), _axis_titles(in_en[key])
        assert any(axes_id), key
        assert axes_id != axes_en, key


def test_colours_are_the_colour_blind_safe_palette():
    allowed = {c.lower() for c in [*charts.SERIES_COLOURS, *charts.BAND_COLOURS]}
    fig = charts.ranking_bars([("Aceh", 50.0)], "id")
    assert {c.lower() for c in fig.layout.colorway} <= allowed
    assert fig.data[0].marker.color.lower() in allowed


# --- exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+62 812", "-16.7", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"x\")"])
def test_csv_safe_escapes_formula_prefixes(text):
    assert exports.csv_safe(text) == "'" + text


# Spreadsheets skip leading blanks and control characters before they look for a formula.
@pytest.mark.parametrize("text", [" =spasi dulu", "  +1", "\n=1+1", "\x00=cmd", "\x1f@SUM(A1)", "\u00a0-2+3",
                                  " \t =HYPERLINK(\"x\")", "\u200b=1", "\ufeff=1", "\u3000@x", "\x0b-1"])
def test_csv_safe_escapes_formulas_after_blanks_and_control_characters(text):
    assert exports.csv_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["SMK Contoh 1", "a=b", "", "'sudah", " spasi = dulu", "Kebijakan – ü"])
def test_csv_safe_leaves_other_text(text):
    assert exports.csv_safe(text) == text


@pytest.mark.parametrize(("value", "lang", "text"), [
    (-16.7, "en", "-16.7"), (-16.7, "id", "-16,7"), (3, "id", "3"), (-2, "en", "-2"), (0.1 + 0.2, "en", "0.3"),
    (200 / 3, "id", "66,7"), (None, "id", ""),
])
def test_csv_safe_writes_numbers_rounded_as_the_language_writes_them(value, lang, text):
    assert exports.csv_safe(value, lang) == text


HOSTILE_ROWS = [
    {"Sekolah": "=cmd|' /C calc'!A0", "Skor": 55.5, "Selisih": -16.7, "Catatan": "Ruang guru – lantai 2"},
    {"Sekolah": "@SUM(1+1)", "Skor": None, "Selisih": 3, "Catatan": "\x01=evil"},
]


def test_to_csv_has_a_bom_and_escaped_cells():
    raw = exports.to_csv(HOSTILE_ROWS, "en")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Sekolah", "Skor", "Selisih", "Catatan"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "55.5", "-16.7", "Ruang guru – lantai 2"]
    assert rows[2][:3] == ["'@SUM(1+1)", "", "3"]


def test_to_csv_in_indonesian_is_semicolon_separated_with_decimal_commas():
    raw = exports.to_csv([{"Sekolah": "SD 1; Padang", "Skor": 200 / 3, "Selisih": -16.75, "No.": 2}], "id")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "Sekolah;Skor;Selisih;No."
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1] == ["SD 1; Padang", "66,7", "-16,8", "2"]


def test_to_xlsx_has_no_formula_and_keeps_numbers():
    raw = exports.to_xlsx({"Ringkasan/2025: [A]?": HOSTILE_ROWS, "ringkasan_2025_ _A__": HOSTILE_ROWS})
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["Ringkasan_2025_ _A__", "ringkasan_2025_ _A__ (2)"]
    sheet = book.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert not any(isinstance(c.value, str) and exports.FORMULA.match(c.value) for c in cells)
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["B2"].value == 55.5 and sheet["C2"].value == -16.7 and sheet["C3"].value == 3
    assert sheet["B3"].value is None
    assert sheet["B2"].number_format == sheet["C2"].number_format == "0.0"  # shown with one decimal
    assert sheet["D3"].value == "'=evil"  # the control character is dropped before escaping, not after


def test_result_rows_are_the_engines_unrounded_numbers(contoh, contoh_result):
    _, result = contoh_result
    rows = exports.result_rows(contoh, result, "id")
    assert [r["ID domain"] for r in rows] == ["a", "b", ""]
    assert rows[0]["Skor (0–100)"] == 500 / 9  # a: (3 + 1*2) / 9 points
    assert rows[1]["Selisih"] == 50 - 200 / 3  # b: above its target, a negative gap
    assert rows[2]["Domain"] == "Keseluruhan" and rows[2]["Skor (0–100)"] == result.overall.score
    assert [r["Kematangan"] for r in rows] == ["II", "III", "II"]


def test_actions_rows_name_unanswered_questions(contoh, contoh_baseline):
    answers = answers_of(q1=3, q3="na", q4="na", q5=2)  # q2 unanswered
    result = score(contoh, answers, contoh_baseline)
    rows = exports.actions_rows(contoh, result, "en", answers)
    first = rows[0]
    assert (first["No."], first["Question ID"], first["Current value"], first["Critical"]) == (1, "q2", "unanswered",
                                                                                             "yes")
    assert first["Recommendation"] == "Turn on MFA." and first["Score gain"] == result.actions[0].gain
    assert exports.actions_rows(contoh, result, "id", answers)[0]["Nilai saat ini"] == "belum dijawab"


def test_actions_rows_show_the_answers_label_not_its_number(contoh, contoh_baseline):
    answers = answers_of(q1=1, q2=3, q3="na", q4="na", q5=2)
    result = score(contoh, answers, contoh_baseline)
    values = {r["ID pertanyaan"]: r["Nilai saat ini"] for r in exports.actions_rows(contoh, result, "id", answers)}
    assert values == {"q1": "Dalam perencanaan", "q5": "Diterapkan sebagian"}
    english = {r["Question ID"]: r["Current value"] for r in exports.actions_rows(contoh, result, "en", answers)}
    assert english == {"q1": "Planned", "q5": "Partially implemented"}


def test_answers_yaml_round_trips_through_the_loader(contoh, contoh_result):
    answers, _ = contoh_result
    text = exports.answers_yaml(contoh, answers)
    assert parse_answers(text.encode(), "kembali.yaml", contoh) == answers


def test_answers_yaml_round_trips_awkward_text_and_stamps_the_version(contoh):
    answers = Answers(
        questionnaire="contoh",
        school=School(npsn="20100001", name="SD N 1 \"Ceria\": kelas #2", jenjang="SD"),
        answers={"q5": AnswerEntry(value=1, note="- baris satu\nbaris dua: 'kutip' ✓ " + HOSTILE_NOTE),
                 "q1": AnswerEntry(value=0), "q4": AnswerEntry(value="na", note="na")},
    )
    text = exports.answers_yaml(contoh, answers)
    back = parse_answers(text.encode(), "kembali.yaml", contoh)
    assert back == answers.model_copy(update={"version": "1"})
    assert list(back.answers) == ["q1", "q4", "q5"]  # questionnaire order
    assert "✓" in text  # allow_unicode: readable, not \u escapes


# --- html --------------------------------------------------------------------------------------


def _report(contoh, contoh_result, lang="id", figures=None):
    answers, result = contoh_result
    noted = answers.model_copy(update={"answers": {**answers.answers, "q2": AnswerEntry(value=1, note=HOSTILE_NOTE)}})
    if figures is None:
        figures = [charts.radar(contoh, [charts.school_series(result, HOSTILE_NAME)], lang),
                   charts.gap_bars(contoh, result, lang)]
    return school_report_html(contoh, result, school_name=HOSTILE_NAME, npsn="Z1300001", jenjang="SMK",
                              date="2025-03-01", lang=lang, figures=figures, answers=noted)


def _outside_scripts(page: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S | re.I)


def test_report_escapes_hostile_text(contoh, contoh_result):
    page = _report(contoh, contoh_result)
    assert HOSTILE_NAME not in page and HOSTILE_NOTE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in _outside_scripts(page)


def test_report_draws_charts_as_svg_and_loads_nothing(contoh, contoh_result):
    page = _report(contoh, contoh_result)
    assert page.count("<svg ") == 2 and "plotly" not in page.lower()
    assert "<script" not in page.lower()
    assert len(page.encode()) < 100_000
    outside = _outside_scripts(page)
    assert "<link" not in outside and "<iframe" not in outside
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", outside, re.I)


def test_report_is_for_printing_and_has_the_headline(contoh, contoh_result):
    _, result = contoh_result
    page = _report(contoh, contoh_result, lang="en", figures=[])
    assert "@media print" in page and '<html lang="en">' in page
    assert "plotly" not in page.lower()  # no figures, no 4.6 MB of script
    assert "59.3" in page and "Needs improvement" in page and "II – Basic framework in place" in page
    assert "2025-03-01" in page and "Turn on MFA." in page and label("action_plan", "en") in page


def test_summary_is_self_contained_and_escaped(contoh, contoh_result):
    _, result = contoh_result
    figure = charts.ranking_bars([(HOSTILE_NAME, 50.0)], "id")
    page = summary_html(HOSTILE_NAME, {"Sekolah": 120, "Median": 61.24, "Catatan": HOSTILE_NOTE}, [figure], "id")
    assert HOSTILE_NAME not in page and HOSTILE_NOTE not in page
    assert "<svg " in page and "<script" not in page and "@media print" in page
    assert "61,2" in page


# --- layering ----------------------------------------------------------------------------------


def test_reports_import_only_scoring_and_libraries():
    files = sorted((ROOT / "reports").glob("*.py"))
    assert len(files) >= 5, "reports/ moved? the check would pass on nothing"
    forbidden = {"streamlit", "storage", "auth", "ui", "app"}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not {n.split(".")[0] for n in names} & forbidden, path.name


def test_each_compared_school_gets_its_own_colour_and_marker(contoh):
    series = [charts.RadarSeries(f"SMK {i}", {"a": 10.0 * i, "b": 5.0 * i}) for i in range(1, 4)]
    fig = charts.radar(contoh, series, "id")
    assert len({tr.line.color for tr in fig.data}) == 3
    assert len({tr.marker.symbol for tr in fig.data}) == 3


def test_weights_and_scores_use_the_languages_decimal_separator():
    from reports.labels import factor, number

    assert (factor(1.5, "id"), factor(1.5, "en"), factor(2.0, "id")) == ("1,5", "1.5", "2")
    assert (number(29.56, "id"), number(29.56, "en"), number(None, "id")) == ("29,6", "29.6", "–")

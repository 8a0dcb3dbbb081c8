"""Figures and reports that read on a 390 px phone: wrapped labels with the full name on hover,
ten series apart in colour and marker, legends below, and HTML reports drawn as small SVG."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

import pytest

from reports import charts, svg
from reports.chart_style import longest_line, shorten, wrap
from reports.html_report import school_report_html, summary_html
from scoring.engine import score
from scoring.loader import load_baseline, load_questionnaire
from scoring.models import Answers
from tests.conftest import ROOT

HOSTILE = "<script>alert(1)</script> & Co"


def _cyber_answers():
    """The shipped cyber questionnaire (nine domains), random answers and their result on its baseline."""
    folder = ROOT / "questionnaires"
    questionnaire = load_questionnaire(folder / "keamanan-siber-sekolah.yaml")
    baseline = load_baseline(folder / "baselines" / "baseline-keamanan-siber-sekolah.yaml", questionnaire)
    rng = random.Random(7)
    answers = Answers(questionnaire=questionnaire.id,
                      answers={q.id: rng.choice([0, 1, 2, 3]) for _, q in questionnaire.questions()})
    return questionnaire, answers, score(questionnaire, answers, baseline)


@pytest.fixture(scope="module")
def cyber():
    questionnaire, _, result = _cyber_answers()
    return questionnaire, result


def test_wrap_escapes_then_breaks_and_keeps_at_most_the_lines_asked():
    assert wrap("Cadangan data dan pemulihan", 14) == "Cadangan data<br>dan pemulihan"
    assert wrap("<b>x</b>", 14) == "&lt;b&gt;x&lt;/b&gt;"  # the only tags are our <br>
    three = wrap("satu dua tiga empat lima enam tujuh delapan sembilan", 10, 2)
    assert three.count("<br>") == 1 and all(len(line) <= 10 for line in three.split("<br>"))


def test_shorten_keeps_both_ends_so_npsns_tell_schools_apart():
    text = "SMK Negeri Contoh 1 Kota Padang (Z1300001)"
    short = shorten(text, 24)
    assert len(short) <= 24 and short.startswith("SMK Negeri") and short.endswith("(Z1300001)")
    assert shorten("SD 1", 24) == "SD 1"


def test_ten_trend_lines_each_have_their_own_colour_and_marker(cyber):
    questionnaire, result = cyber
    fig = charts.trend(questionnaire, [("2025-1", result), ("2025-2", result)], "id")
    assert len(fig.data) == 10  # overall and nine domains
    assert len({tr.line.color for tr in fig.data}) == 10
    assert len({tr.marker.symbol for tr in fig.data}) == 10
    assert fig.data[1].meta == "Tata kelola dan peran"  # the full name on hover
    overall_only = charts.trend(questionnaire, [("2025-1", result)], "id", domains=False)
    assert [tr.name for tr in overall_only.data] == ["Keseluruhan"]


def test_legends_go_below_and_titles_wrap(cyber):
    questionnaire, result = cyber
    fig = charts.radar(questionnaire, [charts.school_series(result, "SMK " * 20)], "id")
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")
    assert fig.data[0].name.count("<br>") == 1  # a long name in two lines, not off the edge
    charts.set_title(fig, "Sebaran tingkat kesiapan per jenjang dan status sekolah di provinsi")
    assert fig.layout.title.text.count("<br>") == 1


def test_radar_spoke_labels_are_wrapped_and_the_margins_hold_them(cyber):
    questionnaire, result = cyber
    fig = charts.radar(questionnaire, [charts.school_series(result, "SMK")], "id")
    spokes = list(fig.data[0].theta)
    assert "Pihak ketiga dan<br>layanan cloud" in spokes or "Pihak ketiga<br>dan layanan<br>cloud" in spokes
    assert longest_line(spokes) <= 14
    assert fig.layout.margin.l >= 5.5 * longest_line(spokes) and fig.layout.margin.r == fig.layout.margin.l
    assert "Pihak ketiga dan layanan cloud: " in fig.data[0].text[-2]


def test_domain_bars_lowest_first_with_the_targets(cyber):
    questionnaire, result = cyber
    fig = charts.domain_bars(questionnaire, result, "id")
    bars, targets = fig.data
    scores = sorted(d.score for d in result.domains)
    assert list(bars.x) == scores and fig.layout.yaxis.autorange == "reversed"
    by_title = {d.title.get("id"): d for d in questionnaire.domains}
    first = next(d for d in result.domains if d.score == scores[0])
    assert bars.hovertext[0].startswith(next(t for t, d in by_title.items() if d.id == first.id))
    assert targets.marker.symbol == "diamond" and len(targets.x) == 9


def test_heatmap_rows_stay_apart_when_their_short_names_agree(trio_questionnaire):
    rows = [("SMK Negeri Contoh 1 Kota Padang (Z1300001)", {"akun": 10.0}),
            ("SMK Negeri Contoh 1 Kota Pariaman (Z1300001)", {"akun": 90.0})]
    fig = charts.heatmap(trio_questionnaire, rows, "id")
    heat = fig.data[0]
    assert list(heat.y) == [0, 1] and len(heat.z) == 2
    assert list(heat.x) == ["D1", "D2", "D3"]
    assert heat.customdata[1][0] == ["SMK Negeri Contoh 1 Kota Pariaman (Z1300001)", "Akun"]
    assert all(len(t) <= 24 for t in fig.layout.yaxis.ticktext)


@pytest.fixture(scope="module")
def trio_questionnaire():
    from scoring.loader import parse_questionnaire
    from tests.test_reports import TRIO

    return parse_questionnaire(TRIO, "trio.yaml")


# --- svg ---------------------------------------------------------------------------------------


def _every_figure(questionnaire, result):
    rows = [(f"SD {i}", {d.id: d.score for d in result.domains}) for i in range(6)]
    return [
        charts.radar(questionnaire, [charts.school_series(result, HOSTILE), charts.target_series(result, "Target")],
                     "id"),
        charts.domain_bars(questionnaire, result, "id"),
        charts.gap_bars(questionnaire, result, "id"),
        charts.trend(questionnaire, [("2025-1", result), ("2025-2", result)], "id"),
        charts.ranking_bars([(HOSTILE, 50.0), ("Aceh", 40.0)], "id"),
        charts.band_distribution(questionnaire, {"SD": {"siap": 3, "belum-siap": 2}, HOSTILE: {"siap": 1}}, "id"),
        charts.box_by_domain(questionnaire, rows, ["SD 1"], "id"),
    ]


def test_every_report_figure_is_valid_svg_with_its_text_escaped(cyber):
    questionnaire, result = cyber
    for fig in _every_figure(questionnaire, result)[:6]:
        drawn = svg.figure_svg(fig)
        root = ET.fromstring(drawn)  # well-formed XML: every text escaped
        assert root.tag.endswith("svg") and "<script" not in drawn
        texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert texts, "no text drawn"
        assert all("&lt;" not in t for t in texts)  # unescaped once for plotly, escaped once for XML


def test_svg_shows_the_figures_names_and_values(cyber):
    questionnaire, result = cyber
    radar, _, gaps, trend, ranking, bands, _ = _every_figure(questionnaire, result)
    text = " ".join(t.text or "" for fig in (radar, ranking, bands, trend)
                    for t in ET.fromstring(svg.figure_svg(fig)).iter("{http://www.w3.org/2000/svg}text"))
    assert HOSTILE in text and "Target" in text and "Keseluruhan" in text and "Siap" in text
    assert "50,0" in text  # the ranking's value, with a decimal comma


def test_svg_refuses_a_kind_it_does_not_draw(trio_questionnaire):
    fig = charts.heatmap(trio_questionnaire, [("SD 1", {"akun": 1.0})], "id")
    with pytest.raises(svg.SvgError, match="heatmap"):
        svg.figure_svg(fig)


# --- html reports ------------------------------------------------------------------------------


def test_the_school_report_is_small_and_cards_its_tables_on_a_phone(cyber):
    questionnaire, result = cyber
    figures = _every_figure(questionnaire, result)[:3]
    page = school_report_html(questionnaire, result, school_name=HOSTILE, npsn="Z1300001", jenjang="SMK",
                              date="2025-03-01", lang="id", figures=figures)
    assert len(page.encode()) < 1_000_000 and page.count("<svg ") == 3
    assert 'data-label="Pertanyaan"' in page and "td::before { content: attr(data-label)" in page
    assert HOSTILE not in page


def test_the_summary_keeps_its_notes_in_normal_text_and_periods_whole(cyber):
    questionnaire, result = cyber
    figures = _every_figure(questionnaire, result)[3:6]
    page = summary_html("Ringkasan · Sumatera Barat · 2025-2", {"Median": 61.2}, figures, "id",
                        notes=[HOSTILE, "Tren 2025-1 disembunyikan"], notes_title="Catatan")
    assert '<h1>Ringkasan · Sumatera Barat · <span class="nobr">2025-2</span></h1>' in page
    assert '<section class="note"><h2>Catatan</h2>' in page and "Catatan</div>" not in page
    assert '<span class="nobr">2025-1</span>' in page and HOSTILE not in page
    assert len(page.encode()) < 1_000_000


def report_pages() -> dict[str, str]:
    """Both HTML reports on the shipped cyber questionnaire, for the browser test."""
    questionnaire, answers, result = _cyber_answers()
    figures = _every_figure(questionnaire, result)
    school = school_report_html(questionnaire, result, school_name="SMK Negeri Contoh 1 Kota Padang", npsn="Z1300001",
                                jenjang="SMK", date="2025-03-01", lang="id", figures=figures[:3], answers=answers)
    summary = summary_html("Ringkasan Kesiapan Keamanan Siber Sekolah · Sumatera Barat · 2025-2",
                           {"Sekolah yang dinilai": "120 dari 150", "Median skor": 61.2}, figures[3:6], "id",
                           "2025-12-01", notes=["Peringkat 3 kabupaten/kota disembunyikan: kurang dari 5 sekolah."],
                           notes_title="Catatan")
    return {"laporan-sekolah": school, "ringkasan": summary}

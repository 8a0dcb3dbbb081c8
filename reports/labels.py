"""The few words the reports print, Bahasa Indonesia first, and how numbers read.

The UI's string catalogues live in `ui/`; these are only the chart, table and
report labels, so `reports/` stays usable without the UI.
"""

from __future__ import annotations

import html

from scoring.engine import MATURITY_NAMES

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "score": "Skor (0–100)",
        "domain": "Domain",
        "period": "Periode",
        "overall": "Keseluruhan",
        "no_score": "tidak ada nilai (semua tidak berlaku)",
        "radar_title": "Skor per domain",
        "gap_title": "Selisih terhadap target per domain",
        "gap_axis": "Selisih: target − skor (poin)",
        "below_target": "di bawah target",
        "above_target": "di atas target",
        "trend_title": "Perkembangan skor",
        "heatmap_title": "Skor per domain",
        "box_title": "Sebaran skor per domain",
        "all_schools": "Semua",
        "ranking_title": "Peringkat menurut median skor",
        "median": "Median skor (0–100)",
        "bands_title": "Sebaran tingkat kesiapan",
        "schools": "Jumlah sekolah",
        "group": "Kelompok",
        # Table columns and report text.
        "col_domain_id": "ID domain",
        "col_target": "Target",
        "col_gap": "Selisih",
        "col_maturity": "Kematangan",
        "col_rank": "No.",
        "col_question_id": "ID pertanyaan",
        "col_question": "Pertanyaan",
        "col_value": "Nilai saat ini",
        "col_critical": "Kritis",
        "col_gain": "Kenaikan skor",
        "col_recommendation": "Rekomendasi",
        "col_note": "Catatan",
        "unanswered": "belum dijawab",
        "yes": "ya",
        "no": "tidak",
        "report_title": "Laporan kesiapan keamanan siber dan pelindungan data pribadi",
        "school": "Sekolah",
        "npsn": "NPSN",
        "jenjang": "Jenjang",
        "date": "Tanggal",
        "band": "Tingkat kesiapan",
        "maturity": "Tingkat kematangan",
        "completeness": "Kelengkapan jawaban",
        "domains": "Skor per domain",
        "action_plan": "Rencana tindak lanjut",
        "no_actions": "Tidak ada tindakan: semua jawaban sudah bernilai penuh.",
        "charts": "Grafik",
    },
    "en": {
        "score": "Score (0–100)",
        "domain": "Domain",
        "period": "Period",
        "overall": "Overall",
        "no_score": "no score (all not applicable)",
        "radar_title": "Score per domain",
        "gap_title": "Gap to target per domain",
        "gap_axis": "Gap: target − score (points)",
        "below_target": "below target",
        "above_target": "above target",
        "trend_title": "Score over time",
        "heatmap_title": "Score per domain",
        "box_title": "Spread of scores per domain",
        "all_schools": "All",
        "ranking_title": "Ranking by median score",
        "median": "Median score (0–100)",
        "bands_title": "Readiness bands",
        "schools": "Number of schools",
        "group": "Group",
        "col_domain_id": "Domain ID",
        "col_target": "Target",
        "col_gap": "Gap",
        "col_maturity": "Maturity",
        "col_rank": "No.",
        "col_question_id": "Question ID",
        "col_question": "Question",
        "col_value": "Current value",
        "col_critical": "Critical",
        "col_gain": "Score gain",
        "col_recommendation": "Recommendation",
        "col_note": "Note",
        "unanswered": "unanswered",
        "yes": "yes",
        "no": "no",
        "report_title": "Cyber security and personal data protection readiness report",
        "school": "School",
        "npsn": "NPSN",
        "jenjang": "Level",
        "date": "Date",
        "band": "Readiness",
        "maturity": "Maturity level",
        "completeness": "Answers given",
        "domains": "Score per domain",
        "action_plan": "Action plan",
        "no_actions": "No actions: every answer already has the full value.",
        "charts": "Charts",
    },
}


def label(key: str, lang: str) -> str:
    return LABELS["en" if lang == "en" else "id"][key]


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """Display text for a score: one decimal, a decimal comma in Bahasa Indonesia."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text if lang == "en" else text.replace(".", ",")


def factor(value: float, lang: str) -> str:
    """A multiplier as short as it is (2, 1.5), with a decimal comma in Bahasa Indonesia."""
    text = f"{value:g}"
    return text if lang == "en" else text.replace(".", ",")


def maturity_text(level: int | None, lang: str) -> str:
    if level is None:
        return "–"
    roman, name_id, name_en = MATURITY_NAMES[level]
    return f"{roman} – {name_en if lang == 'en' else name_id}"


def figure_text(text: str) -> str:
    """Text for inside a figure: plotly.js reads a few HTML tags in labels, so user text is escaped.

    Plotly decodes the entities again when it draws, so `SD <Kota> & Co` still reads as typed.
    """
    return html.escape(str(text), quote=False)

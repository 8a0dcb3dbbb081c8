"""The printed form: an A4 page per few questions, a box per option, question ids visible and
lines for notes. For workshops where answers are collected on paper and typed in later; it is
not read back by machine. One language per print, every text escaped."""

from __future__ import annotations

import base64
import hashlib
from html import escape

from scoring.models import Questionnaire, School

from . import forms

_CSS = """
@page{size:A4;margin:14mm 12mm}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:10.5pt;color:#000;margin:0}
h1{font-size:15pt;margin:0 0 2mm}
h2{font-size:12pt;margin:6mm 0 2mm;border-bottom:1px solid #000;break-after:avoid}
table.school{border-collapse:collapse;width:100%;margin:2mm 0 4mm}
table.school td{border:1px solid #000;padding:2mm;height:9mm}
table.school td:first-child{width:35mm;font-weight:bold}
.q{border:1px solid #555;padding:2mm 3mm;margin:0 0 3mm;break-inside:avoid}
.q code{font-family:"DejaVu Sans Mono",monospace;font-size:9pt}
.crit{font-weight:bold}
ul{list-style:none;margin:1.5mm 0;padding:0;display:flex;flex-wrap:wrap;gap:1.5mm 6mm}
li::before{content:"";display:inline-block;width:4.5mm;height:4.5mm;border:1.4px solid #000;margin-right:2mm;
vertical-align:-1mm}
.note{border-bottom:1px dotted #000;height:7mm}
.hint{font-size:9pt}
@media screen{body{max-width:190mm;margin:8mm auto}}
@media print{.hint{color:#000}}
"""
_WORDS = {
    "id": {"school": "Sekolah", "province": "Provinsi", "date": "Tanggal", "by": "Diisi oleh", "note": "Catatan",
           "critical": "KRITIS", "hint": "Beri tanda pada satu kotak per pertanyaan. Jawaban diketik kemudian di "
           "halaman Penilaian atau di buku kerja Excel."},
    "en": {"school": "School", "province": "Province", "date": "Date", "by": "Filled in by", "note": "Note",
           "critical": "CRITICAL", "hint": "Tick one box per question. The answers are typed in later on the "
           "Penilaian page or into the Excel workbook."},
}


def build_paper_form(questionnaire: Questionnaire, lang: str = "id", school: School | None = None) -> str:
    words = _WORDS[lang]
    policy = "default-src 'none'; style-src 'sha256-" + base64.b64encode(
        hashlib.sha256(_CSS.encode()).digest()).decode() + "'; base-uri 'none'"
    values = {"NPSN": school.npsn if school else "", words["school"]: school.name or "" if school else "",
              "Jenjang": school.jenjang or "" if school else "",
              words["province"]: school.province or "" if school else "", words["date"]: "", words["by"]: ""}
    head = [f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n',
            f"<title>{escape(questionnaire.title.get(lang))}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
            f"<h1>{escape(questionnaire.title.get(lang))}</h1>\n",
            f'<p class="hint">{escape(questionnaire.id)} · v{escape(questionnaire.version)} · '
            f"{escape(words['hint'])}</p>\n",
            '<table class="school">',
            *(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in values.items()), "</table>\n"]
    body = []
    for domain in questionnaire.domains:
        body.append(f"<h2>{escape(domain.title.get(lang))}</h2>\n")
        for question in domain.questions:
            labels = forms.option_labels(questionnaire, question, lang)
            critical = f' <span class="crit">[{escape(words["critical"])}]</span>' if question.critical else ""
            body.append(
                f'<div class="q"><code>{escape(question.id)}</code>{critical} {escape(question.text.get(lang))}'
                f'<ul>{"".join(f"<li>{escape(label)}</li>" for label in labels)}</ul>'
                f'<div>{escape(words["note"])}:</div><div class="note"></div><div class="note"></div></div>\n')
    return "".join(head + body) + "</body>\n</html>\n"

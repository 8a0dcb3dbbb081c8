"""The single-file HTML form for a phone: every text escaped here, both languages in the page
(the switch only toggles which shows), inline CSS and script allowed by their hashes under a
`default-src 'none'` policy, so the file makes no request of any kind."""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape
from pathlib import Path

from scoring.models import NA, Questionnaire, School, Text

from . import forms

ASSETS = Path(__file__).resolve().parent / "assets"
SAVE = {"id": "Simpan file jawaban", "en": "Save answers file"}
MESSAGES = {
    "id": {"saved": "File jawaban disimpan ({n} jawaban). Kirim file .json itu ke aplikasi (halaman Impor).",
           "orphans": "File disimpan, tetapi {n} catatan tanpa jawaban tidak ikut tersimpan.",
           "storage": "Peramban tidak dapat menyimpan jawaban di perangkat ini; jangan tutup halaman ini."},
    "en": {"saved": "Answers file saved ({n} answers). Send that .json file to the app (the Impor page).",
           "orphans": "File saved, but {n} notes without an answer were left out.",
           "storage": "The browser cannot keep answers on this device; do not close this page."},
}


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _both(text: Text | dict, tag: str = "span") -> str:
    id_text, en_text = (text.id, text.en) if isinstance(text, Text) else (text["id"], text["en"])
    return f'<{tag} data-l="id">{escape(id_text)}</{tag}><{tag} data-l="en">{escape(en_text)}</{tag}>'


def _json_block(data: dict) -> str:
    # Inside <script type="application/json"> only "<" could end the block; escape it and its kin.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def form_filename(questionnaire: Questionnaire, school: School | None) -> str:
    return f"jawaban-{questionnaire.id}-v{questionnaire.version}" + (f"-{school.npsn}" if school else "") + ".json"


def build_html_form(questionnaire: Questionnaire, lang: str = "id", school: School | None = None) -> str:
    meta = forms.meta_for(questionnaire, lang, school)
    css = (ASSETS / "form.css").read_text(encoding="utf-8")
    script = (ASSETS / "form.js").read_text(encoding="utf-8")
    data = {"format": forms.FORMAT, "questionnaire": meta.questionnaire, "version": meta.version, "hash": meta.hash,
            "lang": lang, "school": school.model_dump(exclude_none=True) if school else None,
            "questions": [q.id for _, q in questionnaire.questions()], "messages": MESSAGES,
            "filename": form_filename(questionnaire, school)}  # fmt: skip
    policy = (f"default-src 'none'; style-src {_digest(css)}; script-src {_digest(script)}; "
              "base-uri 'none'; form-action 'none'")  # fmt: skip
    parts = [
        f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{escape(questionnaire.title.get(lang))}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        f"<header><h1>{_both(questionnaire.title)}</h1>\n",
        _school_line(school),
        '<div class="row"><button type="button" id="lang-id">ID</button>'
        '<button type="button" id="lang-en">EN</button>'
        f'<progress id="progress" max="{len(data["questions"])}" value="0"></progress>'
        '<span id="count"></span></div></header>\n<main>\n',
    ]
    for index, domain in enumerate(questionnaire.domains):
        parts.append(f'<section class="domain" id="domain-{index}">\n<h2>{_both(domain.title)}</h2>\n')
        if domain.description:
            parts.append(f"<p>{_both(domain.description)}</p>\n")
        parts.extend(_question(questionnaire, q) for q in domain.questions)
        parts.append("</section>\n")
    parts += [
        '</main>\n<footer><div class="row">',
        f'<button type="button" id="prev">{_both({"id": "‹ Sebelumnya", "en": "‹ Previous"})}</button>',
        '<span id="step"></span>',
        f'<button type="button" id="next">{_both({"id": "Berikutnya ›", "en": "Next ›"})}</button>',
        f'<button type="button" id="simpan" class="primary">{_both(SAVE)}</button>',
        '</div><p id="status" role="status"></p></footer>\n',
        f'<script type="application/json" id="meta">{_json_block(data)}</script>\n',
        f"<script>{script}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


def _school_line(school: School | None) -> str:
    if school is None:
        return ""
    fields = [school.npsn, school.name, school.jenjang, school.province]
    return f'<p class="school">{escape(" · ".join(f for f in fields if f))}</p>\n'


def _question(questionnaire: Questionnaire, question) -> str:
    qid = escape(question.id)
    critical = _both({"id": "KRITIS", "en": "CRITICAL"}) if question.critical else ""
    out = [f'<fieldset data-q="{qid}"><legend><code>{qid}</code> ',
           f'<span class="critical">{critical}</span> ' if critical else "", _both(question.text), "</legend>\n"]
    for option in questionnaire.scales[question.scale]:
        out.append(f'<label class="opt"><input type="radio" name="{qid}" value="{option.value}">'
                   f"{_both(option.label)}</label>\n")
    if question.allow_na:
        out.append(f'<label class="opt"><input type="radio" name="{qid}" value="{NA}">'
                   f"{_both(forms.NA_LABEL)}</label>\n")
    more = [(label, text) for label, text in (
        ({"id": "Bantuan", "en": "Help"}, question.help), ({"id": "Bukti", "en": "Evidence"}, question.evidence),
        ({"id": "Rekomendasi", "en": "Recommendation"}, question.recommendation)) if text]
    out.append(f'<details><summary>{_both({"id": "Bantuan dan rekomendasi", "en": "Help and recommendation"})}'
               "</summary>\n")
    out.extend(f"<p><strong>{_both(label)}:</strong> {_both(text)}</p>\n" for label, text in more)
    out.append("</details>\n")
    out.append(f'<textarea name="note:{qid}" maxlength="{forms.MAX_NOTE}" '
               f'aria-label="Catatan / Note {qid}"></textarea>\n')
    out.append(f'<button type="button" data-clear="{qid}">{_both({"id": "Kosongkan", "en": "Clear"})}</button>'
               "</fieldset>\n")
    return "".join(out)

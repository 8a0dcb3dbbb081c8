"""Every message about a file, by id, in Bahasa Indonesia and English.

scoring imports nothing of ours, so it keeps its own catalogue; storage adds its ids
with `extend()`. A `Message` is an id with parameters: the command line renders it in
English (or `--lang id`), the app in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("id", "en")
_OR = {"id": " atau ", "en": " or "}


@dataclass(frozen=True)
class Message:
    code: str
    params: tuple[tuple[str, object], ...] = ()

    def render(self, lang: str = "en") -> str:
        texts = _TEXTS.get(self.code)
        if texts is None:  # an unknown id shows itself instead of failing
            return f"[{self.code}]"
        template = texts[0] if lang == "id" else texts[1]
        values = {k: _value(v, lang) for k, v in self.params}
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.render("en")


def msg(code: str, **params) -> Message:
    return Message(code, tuple(params.items()))


@dataclass(frozen=True)
class Both(Message):
    """A message written where it is raised, in both languages (the offline forms' own texts);
    it renders like any id, in the reader's language."""

    def render(self, lang: str = "en") -> str:
        return dict(self.params)["id" if lang == "id" else "en"]


def both(id_text: str, en_text: str) -> Message:
    return Both("text", (("id", id_text), ("en", en_text)))


def any_of(messages: list[Message]) -> Message:
    """Several reasons for one field (a union's alternatives), joined by "or"."""
    return messages[0] if len(messages) == 1 else Message("any_of", (("options", tuple(messages)),))


def _value(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.render(lang)
    if isinstance(value, tuple) and value and isinstance(value[0], Message):
        joined = _OR.get(lang, " or ").join(m.render(lang) for m in value)
        return joined.replace(" or must", " or").replace(" atau harus", " atau")
    if isinstance(value, tuple):  # choices: "a, b or c"
        words = [str(v) for v in value]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + _OR.get(lang, " or ") + words[-1]
    return value


def texts() -> dict[str, tuple[str, str]]:
    """Every id with its (Indonesian, English) template, for tests and tools."""
    return dict(_TEXTS)


def extend(more: dict[str, tuple[str, str]]) -> None:
    """Add another layer's ids (storage's); an id may not be defined twice differently."""
    for code, pair in more.items():
        if _TEXTS.get(code, pair) != pair:
            raise ValueError(f"message id {code!r} is already defined")
        _TEXTS[code] = pair


# id: (Bahasa Indonesia, English)
_TEXTS: dict[str, tuple[str, str]] = {
    "any_of": ("{options}", "{options}"),
    "problems.more": ("… dan {count} masalah lain (hanya {shown} pertama yang ditampilkan)",
                      "… and {count} more problems (only the first {shown} are shown)"),
    # reading files (safeyaml, loader)
    "file.too_large": ("berkas lebih besar dari {kib} KiB", "file is larger than {kib} KiB"),
    "file.too_large_mib": ("berkas lebih besar dari {mib} MiB", "file is larger than {mib} MiB"),
    "file.unreadable": ("berkas tidak dapat dibaca ({reason})", "cannot read the file ({reason})"),
    "yaml.not_utf8": ("teks bukan UTF-8", "text is not UTF-8"),
    "yaml.syntax": ("kesalahan sintaks YAML: {detail}", "YAML syntax error: {detail}"),
    "yaml.error": ("kesalahan YAML: {detail}", "YAML error: {detail}"),
    "yaml.too_deep": ("YAML bersarang terlalu dalam", "YAML is nested too deeply"),
    "yaml.unreadable": ("YAML ini tidak dapat dibaca ({kind})", "cannot read this YAML ({kind})"),
    "yaml.empty": ("berkas kosong; seharusnya berisi pemetaan (kunci: nilai)", "file is empty; expected a mapping"),
    "yaml.not_mapping": ("tingkat teratas harus berupa pemetaan (kunci: nilai)",
                         "the top level must be a mapping (key: value)"),
    "yaml.one_document": ("hanya satu dokumen YAML per berkas yang diizinkan",
                          "only one YAML document per file is allowed"),
    "yaml.alias": ("alias YAML (*nama) tidak diizinkan", "YAML aliases (*name) are not allowed"),
    "yaml.anchor": ("anchor YAML (&{anchor}) tidak diizinkan", "YAML anchors (&{anchor}) are not allowed"),
    "yaml.tag": ("tag YAML ({tag}) tidak diizinkan", "YAML tags ({tag}) are not allowed"),
    "yaml.unexpected": ("isi YAML yang tidak terduga", "unexpected YAML content"),
    "yaml.key_not_text": ("kunci pemetaan harus berupa teks biasa", "mapping keys must be plain text"),
    "yaml.merge_key": ("kunci gabungan YAML (<<) tidak diizinkan", "YAML merge keys (<<) are not allowed"),
    "yaml.duplicate_key": ("kunci '{key}' ganda (pertama dipakai di baris {first})",
                           "duplicate key '{key}' (first used on line {first})"),
    "yaml.bad_value": ("nilai {value} tidak dapat dibaca", "cannot read the value {value}"),
    # field types and shapes (pydantic's reasons, as instructions)
    "field.missing": ("wajib diisi", "is required"),
    "field.unknown": ("kunci tidak dikenal; periksa ejaannya di questionnaires/README.md",
                      "unknown key; check its spelling against questionnaires/README.md"),
    "field.int": ("harus bilangan bulat", "must be a whole number"),
    "field.text": ("harus berupa teks (beri tanda kutip)", "must be text (put it in quotes)"),
    "field.bool": ("harus true atau false", "must be true or false"),
    "field.mapping": ("harus berupa pemetaan (kunci: nilai)", "must be a mapping (key: value)"),
    "field.list": ("harus berupa daftar", "must be a list"),
    "field.number": ("harus berupa angka", "must be a number"),
    "field.finite": ("harus angka yang terhingga", "must be a finite number"),
    "field.pattern_npsn": ("harus 8 karakter, huruf kapital A-Z atau angka (mis. 20100001)",
                           "must be 8 characters, capital letters A-Z or digits (e.g. 20100001)"),
    "field.pattern_slug": ("harus kata-kata huruf kecil yang disambung '-' (mis. keamanan-siber)",
                           "must be lowercase words joined by '-' (e.g. keamanan-siber)"),
    "field.pattern_ident": ("hanya boleh berisi huruf, angka, '.', '_' dan '-'",
                            "may contain only letters, digits, '.', '_' and '-'"),
    "field.not_empty": ("tidak boleh kosong", "must not be empty"),
    "field.min_length": ("harus berisi paling sedikit {min} {unit}", "must have at least {min} {unit}"),
    "field.max_length": ("harus berisi paling banyak {max} {unit}", "must have at most {max} {unit}"),
    "field.gt": ("harus lebih besar dari {limit}", "must be greater than {limit}"),
    "field.ge": ("harus lebih besar dari atau sama dengan {limit}", "must be greater than or equal to {limit}"),
    "field.lt": ("harus lebih kecil dari {limit}", "must be less than {limit}"),
    "field.le": ("harus lebih kecil dari atau sama dengan {limit}", "must be less than or equal to {limit}"),
    "field.one_of": ("harus {expected}", "must be {expected}"),
    "field.invalid": ("tidak valid ({detail})", "{detail}"),
    "unit.character": ("karakter", "character"),
    "unit.characters": ("karakter", "characters"),
    "unit.item": ("butir", "item"),
    "unit.items": ("butir", "items"),
    # questionnaires, baselines, answers (models)
    "id.file_name": ("harus sama dengan nama berkas; ubah nama berkas menjadi '{id}.yaml'",
                     "must equal the file name; rename the file to '{id}.yaml'"),
    "scale.unique": ("nilai pilihan harus unik", "option values must be unique"),
    "scale.needs_0_3": ("skala harus memuat nilai 0 dan 3", "a scale must include the values 0 and 3"),
    "scale.unknown": ("skala '{scale}' tidak dikenal (yang ada: {known})", "unknown scale '{scale}' (known: {known})"),
    "bands.first_min": ("pita pertama harus mulai dari min 0", "the first band must start at min 0"),
    "bands.ascending": ("nilai min pita harus naik", "band mins must be strictly ascending"),
    "band_id.twice": ("id pita '{value}' dipakai dua kali", "band id '{value}' is used twice"),
    "domain_id.twice": ("id domain '{value}' dipakai dua kali", "domain id '{value}' is used twice"),
    "question_id.twice": ("id pertanyaan '{value}' dipakai dua kali", "question id '{value}' is used twice"),
    "critical_cap.unknown": ("'{value}' bukan salah satu id pita", "'{value}' is not one of the band ids"),
    "tier3_gate.no_effect": ("tidak berpengaruh: kuesioner tidak menetapkan tier3_gate",
                             "has no effect: the questionnaire sets no tier3_gate"),
    "targets.default_required": ("target 'default' wajib ada", "'default' targets are required"),
    "baseline.questionnaire": ("harus '{id}'", "must be '{id}'"),
    "targets.unknown_domain": ("domain '{domain}' tidak dikenal", "unknown domain '{domain}'"),
    "targets.missing": ("harus menyebut setiap domain; yang belum: {missing}",
                        "must name every domain; missing: {missing}"),
    "answers.questionnaire": ("harus '{id}', kuesioner yang dinilai",
                              "must be '{id}', the questionnaire being scored"),
    "answers.version": ("harus '{version}', versi kuesioner", "must be '{version}', the questionnaire's version"),
    "answer.unknown_question": ("id pertanyaan '{qid}' tidak dikenal", "unknown question id '{qid}'"),
    "answer.na_not_allowed": ("'na' (tidak berlaku) tidak diizinkan untuk pertanyaan ini",
                              "'na' (not applicable) is not allowed for this question"),
    "answer.not_on_scale": ("{value} tidak ada pada skala '{scale}'; gunakan {choices}",
                            "{value} is not on the '{scale}' scale; use {choices}"),
    "answer.not_on_scale_na": ("{value} tidak ada pada skala '{scale}'; gunakan {choices} atau na",
                               "{value} is not on the '{scale}' scale; use {choices} or na"),
    "answer.value": ("harus angka pada skala pertanyaan, atau na", "must be a number on the question's scale, or na"),
    # the command line
    "cli.unknown_kind": ("bukan kuesioner (domains), baseline (targets) atau glosarium (terms)",
                         "not a questionnaire (domains), baseline (targets) or glossary (terms)"),
    "cli.no_questionnaire": ("kuesioner '{id}' tidak ditemukan di antara berkas yang diberikan atau di "
                             "questionnaires/",
                             "questionnaire '{id}' not found among the given files or in questionnaires/"),
}

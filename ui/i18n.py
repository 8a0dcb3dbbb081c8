"""UI strings from the catalogues in ui/locales: Bahasa Indonesia first, English second."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LOCALES = Path(__file__).with_name("locales")
LANGS = ("id", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    with (LOCALES / f"{lang}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def translate(lang: str, key: str, **values) -> str:
    text = catalogue(lang if lang in LANGS else "id").get(key)
    if text is None:  # a missing key shows itself instead of crashing the page
        return f"[{key}]"
    return text.format(**values) if values else text

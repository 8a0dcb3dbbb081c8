"""JSON Schemas of the file formats, derived from the models, for editor autocompletion."""

from __future__ import annotations

import json
from pathlib import Path

from .models import Answers, Baseline, Questionnaire

MODELS = {"questionnaire": Questionnaire, "baseline": Baseline, "answers": Answers}


def schemas() -> dict[str, str]:
    """File name -> JSON text, stable so the committed copies can be compared."""
    out = {}
    for name, model in MODELS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

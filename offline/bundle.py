"""A zip of offline forms pre-filled with each school's fields, for a district workshop."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence

from scoring.models import Questionnaire, School

from .html_form import build_html_form
from .workbook import build_workbook

MAX_FORMS = 2000
FORMATS = ("xlsx", "html")


def forms_zip(questionnaire: Questionnaire, schools: Sequence[School], fmt: str, lang: str = "id",
              progress: Callable[[int, int], None] | None = None) -> bytes:  # fmt: skip
    """One form per school, named after its NPSN; at most MAX_FORMS (the caller says so first)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown form format {fmt!r}; use one of {', '.join(FORMATS)}")
    if len(schools) > MAX_FORMS:
        raise ValueError(f"{len(schools)} schools; at most {MAX_FORMS} forms per zip")
    out = io.BytesIO()
    # The workbooks are zips already: store them; the HTML forms compress well.
    method = zipfile.ZIP_STORED if fmt == "xlsx" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for done, school in enumerate(schools, start=1):
            if fmt == "xlsx":
                archive.writestr(f"{school.npsn}.xlsx", build_workbook(questionnaire, lang, school))
            else:
                archive.writestr(f"{school.npsn}.html", build_html_form(questionnaire, lang, school))
            if progress is not None:
                progress(done, len(schools))
    return out.getvalue()

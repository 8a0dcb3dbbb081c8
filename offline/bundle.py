"""A zip of offline forms pre-filled with each school's fields, for a district workshop."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

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
    template = _Template(questionnaire, lang) if fmt == "xlsx" else None
    with zipfile.ZipFile(out, "w", method) as archive:
        for done, school in enumerate(schools, start=1):
            if template is not None:
                archive.writestr(f"{school.npsn}.xlsx", template.for_school(school))
            else:
                archive.writestr(f"{school.npsn}.html", build_html_form(questionnaire, lang, school))
            if progress is not None:
                progress(done, len(schools))
    return out.getvalue()


FIELDS = ("npsn", "name", "jenjang", "province")
_MARK = re.compile(r"§§(npsn|name|jenjang|province)§§".encode())


class _Template:
    """One workbook built with placeholder school fields; each school's copy only swaps them
    in the sheets' XML (building a workbook with openpyxl costs far more)."""

    def __init__(self, questionnaire: Questionnaire, lang: str):
        marks = School.model_construct(**{f: f"§§{f}§§" for f in FIELDS})
        with zipfile.ZipFile(io.BytesIO(build_workbook(questionnaire, lang, marks))) as archive:
            self.members = [(info, archive.read(info)) for info in archive.infolist()]

    def for_school(self, school: School) -> bytes:
        values = {f.encode(): escape(getattr(school, f) or "").encode("utf-8") for f in FIELDS}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in self.members:
                if info.filename.startswith("xl/worksheets/"):  # openpyxl writes the text inline
                    data = _MARK.sub(lambda m: values[m.group(1)], data)
                archive.writestr(info.filename, data)
        return out.getvalue()

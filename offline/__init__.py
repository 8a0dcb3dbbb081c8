"""Offline answer forms: an Excel workbook, a single-file HTML form and a printed form, built
from a questionnaire and read back into `scoring.models.Answers`. Depends on `scoring` only."""

from .html_form import build_html_form, form_filename
from .paper import build_paper_form
from .reader import bundled, read_answers_file, read_form
from .workbook import build_workbook, read_workbook

__all__ = ["build_html_form", "build_paper_form", "build_workbook", "bundled", "form_filename",
           "read_answers_file", "read_form", "read_workbook"]

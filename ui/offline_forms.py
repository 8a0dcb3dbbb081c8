"""The auditor's zip of offline forms for the schools in the current filter: capped, with a
progress bar, and written to the audit log through the data layer before it is built."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from auth import Actor
from offline.bundle import FORMATS, MAX_FORMS, forms_zip
from scoring.models import Questionnaire, School
from storage.activity import record_export
from storage.school_table import SchoolRow

from . import views
from .common import built_on_click, lang, t


def school_of(row: SchoolRow) -> School:
    return School(npsn=row.npsn, name=row.name[:200], jenjang=row.jenjang, province=row.province[:100])


def school_forms_zip(actor: Actor, questionnaire: Questionnaire, rows: Sequence[SchoolRow], detail: Mapping,
                     total: int | None = None) -> None:  # fmt: skip
    """`total`: how many schools the filter holds, when `rows` are not read because there are too many."""
    with st.expander(t("offline_zip.title"), icon=":material/folder_zip:"):
        if (len(rows) if total is None else total) > MAX_FORMS:
            st.warning(t("offline_zip.too_many", count=len(rows) if total is None else total, max=MAX_FORMS))
            return
        st.caption(t("offline_zip.hint", count=len(rows), max=MAX_FORMS))
        labels = {fmt: t(f"offline_zip.{fmt}") for fmt in FORMATS}
        fmt = st.radio(t("offline_zip.format"), FORMATS, format_func=views.labelled(labels), horizontal=True,
                       key="sekolah.offline_format")  # fmt: skip
        if not rows or not st.button(t("offline_zip.build"), icon=":material/folder_zip:", key="sekolah.offline_build"):
            return
        views.read(record_export, actor, f"sekolah.formulir-{fmt}.zip",
                   {**detail, "rows": len(rows), "version": questionnaire.version})  # fmt: skip
        bar = st.progress(0.0, text=t("offline_zip.progress", done=0, total=len(rows)))

        def progress(done: int, total: int) -> None:
            if done == total or done % 25 == 0:  # a redraw per form would cost more than the form
                bar.progress(done / total, text=t("offline_zip.progress", done=done, total=total))

        data = forms_zip(questionnaire, [school_of(r) for r in rows], fmt, lang(), progress)
        st.download_button(t("offline_zip.download", count=len(rows)), built_on_click(lambda: data), on_click="ignore",
                           file_name=f"formulir-{questionnaire.id}-v{questionnaire.version}-{fmt}.zip",
                           mime="application/zip", icon=":material/download:", key="sekolah.offline_zip")

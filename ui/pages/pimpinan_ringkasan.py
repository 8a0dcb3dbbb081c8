"""Ringkasan (pimpinan): the dashboard's figures and charts as one self-contained HTML page
for printing; the download is audit-logged."""

from datetime import date

import streamlit as st

from reports.html_report import summary_html
from storage.activity import record_export
from ui import leaders, views
from ui.common import built_on_click, db, page_setup, plain, t

page = page_setup("nav.pimpinan_ringkasan")
scope = leaders.open_dashboard("ringkasan")
actor, questionnaire, period, options, filters, data = (scope.actor, scope.questionnaire, scope.period,
                                                        scope.options, scope.filters, scope.data)  # fmt: skip
# The HTML escapes the title itself; the page shows it through plain().
title = t("summary.title", title=questionnaire.title.get(page.lang), where=leaders.where(options, filters),
          period=period)  # fmt: skip
figures = leaders.headline(questionnaire, data) | leaders.comparisons(data)
built = leaders.build(actor, questionnaire, period, filters, data, views.baseline(actor, questionnaire), None, options)
st.subheader(plain(title))
st.table({t("summary.figure"): list(figures), t("summary.value"): list(figures.values())})
leaders.show_hidden(built.hidden)
st.caption(t("summary.charts", count=len(built.charts)))


def html() -> str:
    """Built and logged when the user clicks, for a live session only (built_on_click)."""
    with db() as session:
        record_export(session, actor, "ringkasan.html", views.filter_detail(questionnaire, period, filters))
    headline = figures | {t("summary.hidden_note"): " ".join(built.hidden)} if built.hidden else figures
    return summary_html(title, headline, [f for _, f in built.charts], page.lang, date.today())


stem = f"ringkasan-{questionnaire.id}-{period}-{filters.province_code or 'semua'}"
st.download_button(t("summary.download"), built_on_click(html), file_name=f"{stem}.html", mime="text/html",
                   icon=":material/print:", type="primary", on_click="ignore", key="ringkasan.html")  # fmt: skip
st.caption(t("download.html_hint"))

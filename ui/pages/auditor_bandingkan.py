"""Bandingkan (auditor): schools side by side on a radar, a heatmap of a filtered set,
the questions it most often answers below 2, and the spread of each domain."""

import streamlit as st

from reports import charts
from storage.comparisons import commonly_missed, domain_spread
from storage.school_table import MAX_COMPARE, MIN_COMPARE, compare_schools, school_table
from ui import views
from ui.common import page_setup, plain, t

MAX_HEATMAP = 400  # rows; more would not be readable

page = page_setup("nav.auditor_bandingkan")
actor = views.require_role("auditor")
questionnaire, period, options = views.pick_scope(actor)
filters = views.school_filter(options, questionnaire, "bandingkan", states=False)
spread = views.read(domain_spread, actor, questionnaire.id, period, filters)
missed = views.read(commonly_missed, actor, questionnaire.id, period, filters)
# The spread holds the scored schools when there are enough of them, less any domain scored by
# too few; each school's own scores (radar, heatmap) are read alone when the spread lacks them.
complete = spread.shown and {d.id for d in questionnaire.domains} <= {d for r in spread.value for d in r.domains}
rows = spread.value if complete else \
    [r for r in views.read(school_table, actor, questionnaire.id, period, filters) if r.scored]  # fmt: skip
st.caption(t("compare.count", count=len(rows), period=period))
if not rows:
    st.info(t("compare.none"))
    st.stop()
by_npsn = {r.npsn: r for r in rows}
target = views.baseline(actor, questionnaire)

st.subheader(t("compare.radar"))
labels = {n: views.school_label(r) for n, r in by_npsn.items()}
picked = st.multiselect(t("compare.pick", low=MIN_COMPARE, high=MAX_COMPARE), list(by_npsn), key="bandingkan.pick",
                        max_selections=MAX_COMPARE, format_func=views.labelled(labels),
                        placeholder=t("widget.choose_many"))
if len(picked) < MIN_COMPARE:
    st.caption(t("compare.pick_more", low=MIN_COMPARE))
else:
    chosen = views.read(compare_schools, actor, questionnaire.id, period, picked)
    series = [charts.RadarSeries(views.school_label(r), views.domain_scores(r, questionnaire)) for r in chosen]
    if target is not None:
        series.append(charts.target_series(target, t("compare.target"), None))
    st.plotly_chart(charts.radar(questionnaire, series, page.lang), key="bandingkan.radar",
                    config=charts.PLOTLY_CONFIG)

st.subheader(t("compare.heatmap"))
shown = sorted(rows, key=lambda r: (r.score is None, r.score or 0))[:MAX_HEATMAP]
if len(rows) > MAX_HEATMAP:
    st.caption(t("compare.heatmap_cut", shown=MAX_HEATMAP, count=len(rows)))
heatmap = charts.heatmap(questionnaire, [(views.school_label(r), views.domain_scores(r, questionnaire))
                                         for r in shown], page.lang)  # fmt: skip
st.plotly_chart(heatmap, key="bandingkan.heatmap", config=charts.PLOTLY_CONFIG)
columns = zip(charts.domain_codes(questionnaire), questionnaire.domains, strict=True)
st.caption(t("compare.heatmap_key",
             columns=" · ".join(f"{code} {plain(d.title.get(page.lang))}" for code, d in columns)))

st.subheader(t("compare.missed"))
if not missed.shown:
    views.hidden(t("compare.missed"), missed)
elif not missed.value:
    st.success(t("compare.missed_none"))
else:
    texts = {q.id: q.text.get(page.lang) for _, q in questionnaire.questions()}
    st.dataframe([{t("compare.col.question"): questionnaire.number(f.question_id),
                   t("compare.col.text"): texts.get(f.question_id, ""),
                   t("compare.col.below_two"): f.below_two, t("compare.col.answered"): f.answered}
                  for f in missed.value], hide_index=True, width="stretch", key="bandingkan.missed")  # fmt: skip
    st.caption(t("compare.missed_hint", count=missed.schools))

st.subheader(t("compare.box"))
if not spread.shown:
    views.hidden(t("compare.box"), spread)
else:
    box_rows = [(views.school_label(r), views.domain_scores(r, questionnaire)) for r in spread.value]
    marked = [views.school_label(by_npsn[n]) for n in picked if n in by_npsn]
    st.plotly_chart(charts.box_by_domain(questionnaire, box_rows, marked, page.lang), key="bandingkan.box",
                    config=charts.PLOTLY_CONFIG)
    if marked:
        st.caption(t("compare.box_marked", names=", ".join(plain(m) for m in marked)))

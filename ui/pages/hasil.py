"""Hasil: score, band, maturity, radar against the baseline and peers, gaps and the action plan."""

import streamlit as st

import storage
from reports import charts
from reports.labels import factor
from reports.tier3_gate import closed_gates, gate_texts
from scoring.engine import score_after
from storage.aggregates import MIN_SCHOOLS, peer_medians
from storage.aggregates.similar import similar_schools_improved
from ui.common import db, narrow_or_wide, page_setup, plain, require_actor, school_npsn, t
from ui.school import (
    assessments,
    band_label,
    detail,
    headline,
    latest_scored,
    maturity_label,
    percent,
    pick_questionnaire,
    school_header,
    school_or_stop,
    stored_result,
)
from ui.views import decimal_config, decimal_table

TOP_ACTIONS = 5

page = page_setup("nav.hasil")
actor = require_actor()
school = school_or_stop(actor, school_npsn(actor))
school_header(school)
chosen = pick_questionnaire(actor)
scored = latest_scored(assessments(actor, school.npsn, chosen.id))
if scored is None:
    st.info(t("result.none"))
    st.stop()

result = stored_result(actor, scored.id)
with db() as session:  # the questionnaire version this result was scored on
    questionnaire = storage.get_questionnaire(session, actor, result.questionnaire, result.version)
    peers = peer_medians(session, actor, questionnaire.id, questionnaire.version, school.jenjang)
st.caption(t("result.of_period", period=scored.period, status=t(f"status.{scored.status}"),
             version=result.version))

o = result.overall
headline(questionnaire, result)
if questionnaire.critical_cap and any(a.critical and (a.value or 0) < 2 for a in result.actions):
    st.warning(t("result.capped", band=band_label(questionnaire, questionnaire.critical_cap)))


def how_computed(what: str) -> None:
    with st.expander(t("result.how")):
        st.markdown(t(f"how.{what}"))
        weights = ", ".join(f"{plain(d.title.get(page.lang))} ×{factor(d.weight, page.lang)}"
                            for d in questionnaire.domains)  # fmt: skip
        st.markdown(t("how.weights", weights=weights))
        st.caption(t("how.version", id=questionnaire.id, version=questionnaire.version))


# Radar: the school, the baseline target for its jenjang, and the national peer median.
series = [charts.school_series(result, school.name)]
if any(d.target is not None for d in result.domains):
    series.append(charts.target_series(result, t("result.target_series", jenjang=school.jenjang)))
if peers.shown:
    series.append(charts.median_series(peers.domains, t("result.median_series", jenjang=school.jenjang,
                                                         count=peers.schools)))
radar = charts.radar(questionnaire, series, page.lang)
# A phone shows each domain's score against its target as sorted bars, the radar on request.
narrow, wide = narrow_or_wide("scores")
with wide:
    st.plotly_chart(radar, key="radar", config=charts.PLOTLY_CONFIG)
with narrow:
    st.plotly_chart(charts.domain_bars(questionnaire, result, page.lang), key="domain_bars",
                    config=charts.PLOTLY_CONFIG)
    with st.expander(t("result.show_radar"), icon=":material/radar:"):
        st.plotly_chart(radar, key="radar_narrow", config=charts.PLOTLY_CONFIG)
if not peers.shown:
    st.caption(t("result.median_hidden", count=peers.schools, minimum=MIN_SCHOOLS, jenjang=school.jenjang))
how_computed("radar")

if any(d.gap is not None for d in result.domains):
    st.plotly_chart(charts.gap_bars(questionnaire, result, page.lang), key="gaps", config=charts.PLOTLY_CONFIG)
    how_computed("gaps")
elif all(d.target is None for d in result.domains):
    st.caption(t("result.no_baseline", id=questionnaire.id, version=questionnaire.version))

st.subheader(t("result.domains"))
titles = {d.id: d.title.get(page.lang) for d in questionnaire.domains}
domain_rows = [{t("result.col.domain"): titles[d.id], t("result.col.score"): d.score, t("result.col.target"): d.target,
                t("result.col.gap"): d.gap, t("result.col.maturity"): maturity_label(d.maturity)}
               for d in result.domains]  # fmt: skip
numbers = [t(f"result.col.{c}") for c in ("score", "target", "gap")]
st.dataframe(decimal_table(domain_rows, numbers), hide_index=True, width="stretch",
             column_config=decimal_config(domain_rows, numbers))

# Indeks KAMI 5.0's tier-3 gate: say where it is closed and which answers keep it closed.
for gate in closed_gates(questionnaire, result):
    headline_text, parts = gate_texts(questionnaire, gate, page.lang)
    st.warning("\n\n".join([plain(headline_text), *(
        plain(lead) + "\n" + "".join(f"\n- {plain(q)}" for q in questions) for lead, questions in parts)]),
        icon=":material/lock:")

def similar_schools_hint() -> None:
    """Beside the plan, a hint: what schools like this one raised first (never a re-ranking)."""
    with db() as session:
        found = similar_schools_improved(session, actor, scored.id, among={a.question for a in result.actions})
    st.subheader(t("similar.title"))
    shown = [f for f in found if f.questions]
    if not shown:
        st.caption(t("similar.hidden", minimum=MIN_SCHOOLS, jenjang=school.jenjang))
    for figure in shown:
        st.caption(t("similar.caption", jenjang=school.jenjang, period=figure.period))
        heading = t("similar.national" if figure.place == "" else "similar.province", schools=figure.schools)
        lines = [t("similar.line", text=plain(questionnaire.question(i.question_id).text.get(page.lang)),
                   count=i.schools, share=percent(100 * i.share) + " %") for i in figure.questions]  # fmt: skip
        st.markdown(f"**{heading}**\n" + "".join(f"\n- {line}" for line in lines))
    st.page_link("ui/pages/rencana.py", label=t("similar.to_plan"), icon=":material/task_alt:")


st.subheader(t("result.actions"))
if not result.actions:
    st.success(t("result.no_actions"))
else:
    top = result.actions[:TOP_ACTIONS]
    after = score_after(questionnaire, detail(actor, scored.id).answers, [a.question for a in top])
    st.info(t("result.after_top", count=len(top), score=percent(after), now=percent(o.score)),
            icon=":material/trending_up:")

    def show_action(rank: int, action) -> None:
        q = questionnaire.question(action.question)
        value = t("result.unanswered") if action.value is None else str(action.value)
        flag = f" · :red[{t('assessment.critical')}]" if action.critical else ""
        with st.container(border=True):
            st.markdown(f"**{rank}. {plain(q.text.get(page.lang))}**{flag}")
            st.caption(t("result.action_meta", domain=plain(titles[action.domain]), value=value,
                         gain=percent(action.gain)))
            st.markdown(plain(q.recommendation.get(page.lang)))

    for rank, action in enumerate(top, 1):
        show_action(rank, action)
    rest = result.actions[TOP_ACTIONS:]
    if rest:
        with st.expander(t("result.see_all", count=len(rest))):
            for rank, action in enumerate(rest, TOP_ACTIONS + 1):
                show_action(rank, action)
    how_computed("actions")
    similar_schools_hint()

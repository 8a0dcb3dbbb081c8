"""The demo auditor and the demo leader in a real browser."""

from __future__ import annotations

import re

from tests.e2e.conftest import screenshot, sign_in, wait_idle

PLOTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
    div => (div.data || []).map(trace => ({type: trace.type, name: trace.name || ''})))"""


def open_nav(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    wait_idle(page)


def plots(page) -> list[list[dict]]:
    return page.evaluate(PLOTS)


def test_auditor_filters_the_province_and_compares_three_schools(page):
    sign_in(page, "auditor")
    open_nav(page, "Bandingkan")
    province = page.get_by_role("combobox", name="Provinsi")
    if province.count() and not province.input_value().startswith("13"):
        province.click()
        page.get_by_role("option").filter(has_text="Sumatera Barat").click()
        wait_idle(page)
    picker = page.get_by_role("combobox", name="Pilih 2 sampai 8 sekolah")
    picker.click()
    wanted = [o for o in page.get_by_role("option").all_inner_texts() if "(Z" in o][:3]
    page.keyboard.press("Escape")
    for name in wanted:  # one school at a time, by typing its name as a user would
        picker.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
        page.keyboard.press("Escape")
        wait_idle(page)
    radars = [p for p in plots(page) if p and p[0]["type"] == "scatterpolar"]
    assert radars, "no radar drawn"
    names = [trace["name"].replace("<br>", " ") for trace in radars[0]]  # long names wrap in the legend
    assert len(names) == 4, names  # three schools and the baseline
    npsn = re.compile(r"\((Z\d{7})\)$")  # long names are shortened in the middle; the NPSN at the end stays
    assert [npsn.search(n).group(1) for n in names[:3]] == [npsn.search(w).group(1) for w in wanted]
    assert "Z13" in "".join(wanted)  # demo NPSNs of Sumatera Barat
    screenshot(page, "10-auditor-bandingkan")


def test_leader_sees_the_radar_and_the_province_ranking(page):
    sign_in(page, "pimpinan")
    page.get_by_role("heading", name="Dasbor", exact=True).wait_for()
    wait_idle(page)
    page.locator(".js-plotly-plot").first.wait_for()
    drawn = plots(page)
    types = [trace["type"] for p in drawn for trace in p]
    assert "scatterpolar" in types  # the median radar
    bars = [p for p in drawn if p and p[0]["type"] == "bar"]
    assert bars, "no ranking drawn"
    screenshot(page, "11-pimpinan-dasbor")

"""Every page of every role on a phone (390×844) and a laptop (1366×768): nothing wider than
the screen, no plot text cut off, no mode bar. Screenshots go to test-artifacts/layout/.

One server for the session (conftest), one browser context per role and screen size: the
role signs in once and walks its pages through the sidebar, as a user does.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import _artifacts, open_select, sign_in, wait_connected, wait_idle

SCREENS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 768}}
ROLES = ["sekolah", "auditor", "pimpinan", "admin"]

# What sticks out of the viewport, and plot text outside its figure. A box is first cut to
# the ancestors that clip it (overflow other than visible): a data grid's own horizontal
# scroll is allowed, any other scrolling box in the page is reported.
PROBLEMS = """() => {
  const width = window.innerWidth, out = [];
  const root = document.documentElement;
  for (const error of document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContainer"]'))
    if (/encountered an error|Traceback/.test(error.textContent)) out.push('the page shows an error');
  if (root.scrollWidth > width) out.push(`the page scrolls sideways: ${root.scrollWidth} > ${width}`);
  const name = el => (el.getAttribute('data-testid') || el.tagName.toLowerCase())
      + (el.textContent || '').trim().slice(0, 40).replace(/\\s+/g, ' ');
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  for (const el of main.querySelectorAll('*')) {
    let r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let left = r.left, right = r.right;
    for (let a = el.parentElement; a && a !== root; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== 'visible') {
        const ar = a.getBoundingClientRect();
        left = Math.max(left, ar.left); right = Math.min(right, ar.right);
      }
    }
    if (right - left <= 0) continue;  // scrolled or clipped out of sight
    if (left < -1 || right > width + 1) out.push(`${name(el)} spans ${Math.round(left)}..${Math.round(right)}`);
    const style = getComputedStyle(el);
    if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1
        && !el.closest('[data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stCode"]'))
      out.push(`${name(el)} scrolls sideways: ${el.scrollWidth} > ${el.clientWidth}`);
  }
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    if (box.width === 0) continue;  // the other screen size's chart, hidden by ui/layout.css
    if (plot.querySelector('.modebar-container .modebar')) out.push('a plot shows its mode bar');
    for (const text of plot.querySelectorAll('svg text')) {
      if (!text.textContent.trim() || text.closest('.hoverlayer')) continue;
      const r = text.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push(`plot text cut off: "${text.textContent.trim().slice(0, 40)}"`);
    }
  }
  return out;
}"""

PLOTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    .filter(el => el.getBoundingClientRect().width > 0)
    .every(el => el.querySelector('.main-svg'))"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def settle(page) -> None:
    wait_idle(page)
    page.wait_for_function(PLOTS_DRAWN, timeout=20_000)
    page.wait_for_timeout(300)  # plotly's second layout pass (automargin)


def sidebar_links(page, narrow: bool) -> list[str]:
    open_sidebar(page, narrow)
    # After the two-step sign-in the page runs once more: the nav may come after "Masuk sebagai".
    page.locator('[data-testid="stSidebarNav"] a').first.wait_for()
    names = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    close_sidebar(page, narrow)
    return [n.strip().splitlines()[-1].strip() for n in names if n.strip()]  # after the icon's name


EXPAND = '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
COLLAPSE = '[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]'


def open_sidebar(page, narrow: bool) -> None:
    if narrow and not page.locator('[data-testid="stSidebarNav"]').is_visible():
        page.locator(EXPAND).first.click()
        page.locator('[data-testid="stSidebarNav"]').wait_for()


def close_sidebar(page, narrow: bool) -> None:
    if narrow and page.locator('[data-testid="stSidebarNav"]').is_visible():
        page.locator(COLLAPSE).first.click()
        page.locator('[data-testid="stSidebarNav"]').wait_for(state="hidden")


# Streamlit scrolls an inner box, not the document, so a full-page screenshot would show one
# screen: the viewport is made as tall as the content for the check and the picture.
CONTENT_HEIGHT = """() => Math.max(window.innerHeight, ...Array.from(document.querySelectorAll(
    '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stAppScrollToBottomContainer"]'))
    .map(el => el.scrollHeight))"""


def check(page, name: str, found: dict[str, list[str]]) -> None:
    settle(page)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(page.evaluate(CONTENT_HEIGHT), 16_000)})
    settle(page)
    problems = page.evaluate(PROBLEMS)
    page.screenshot(path=str(_artifacts() / "layout" / f"{name}.png"))
    page.set_viewport_size(size)
    if problems:
        found[name] = problems[:8]


VISIBLE_PLOTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(div => div.getBoundingClientRect().width > 0 && div.checkVisibility({visibilityProperty: true}))
    .map(div => div.data[0].type)"""  # a closed expander's plot has a width but is not visible


def hasil_shows_its_layout(page, narrow: bool) -> None:
    """A phone sees the sorted domain bars first and the radar folded away; a laptop the radar."""
    shown = page.evaluate(VISIBLE_PLOTS)
    if narrow:
        assert shown[0] == "bar" and "scatterpolar" not in shown, shown
        page.get_by_text("Lihat sebagai radar").click()
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0")
        page.wait_for_timeout(500)
        assert "scatterpolar" in page.evaluate(VISIBLE_PLOTS)
    else:
        assert shown[0] == "scatterpolar", shown
    # The cyber questionnaire (many actions); its box is at the top, far above the radar.
    open_select(page, page.get_by_role("combobox", name="Kuesioner"))
    page.get_by_role("option", name="Kesiapan Keamanan Siber Sekolah").click()
    settle(page)
    assert page.get_by_text("Lihat semua (").count() == 1
    rest = page.locator('[data-testid="stExpander"]').filter(has_text="Lihat semua (")
    assert rest.get_by_text("6. ", exact=False).count() >= 1


@pytest.fixture
def screen_page(browser, demo_server, request):
    """A fresh context at the requested screen size (one per role and size)."""
    size = SCREENS[request.param]
    context = browser.new_context(viewport=size, locale="id-ID", device_scale_factor=1,
                                  is_mobile=size["width"] < 640, has_touch=size["width"] < 640)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base_url = demo_server
    page.screen = request.param
    (_artifacts() / "layout").mkdir(exist_ok=True)
    yield page
    context.close()


@pytest.mark.parametrize("screen_page", list(SCREENS), indirect=True)
def test_sign_in_page_fits(screen_page):
    page = screen_page
    page.goto(page.base_url)
    wait_connected(page)
    page.get_by_label("Nama pengguna").wait_for(timeout=90_000)  # the first page of a busy server
    found = {}
    check(page, f"{page.screen}-masuk", found)
    assert not found, found


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("screen_page", list(SCREENS), indirect=True)
def test_every_page_of_the_role_fits_the_screen(screen_page, role):
    page, narrow = screen_page, screen_page.screen == "390"
    sign_in(page, role)
    titles = sidebar_links(page, narrow)
    assert len(titles) >= 3, titles  # a role's pages, glossary and password: the nav was found
    found: dict[str, list[str]] = {}
    for i, title in enumerate(titles, 1):
        open_sidebar(page, narrow)
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
        close_sidebar(page, narrow)
        page.get_by_role("heading", name=title, exact=True).wait_for()
        check(page, f"{page.screen}-{role}-{i:02d}-{slug(title)}", found)
        if title == "Hasil":
            hasil_shows_its_layout(page, narrow)
    assert not found, "\n".join(f"{name}: {'; '.join(p)}" for name, p in found.items())


CUT_AND_WIDE = """<!DOCTYPE html><html><body style="margin:0"><div data-testid="stMain">
<p>fits</p><div id="wide" style="width: 600px">wider than a phone</div>
<div class="js-plotly-plot" style="width: 200px; height: 100px; overflow: hidden">
  <svg class="main-svg" width="200" height="100"><text x="150" y="50">a label that runs out of the plot</text></svg>
</div></div></body></html>"""


def test_the_check_finds_a_wide_element_and_cut_plot_text(browser):
    """The check itself can fail: a 600 px block and a label running off its plot, at 390 px."""
    context = browser.new_context(viewport=SCREENS["390"])
    page = context.new_page()
    page.set_content(CUT_AND_WIDE)
    problems = page.evaluate(PROBLEMS)
    context.close()
    assert any("scrolls sideways" in p for p in problems), problems
    assert any("wider than a phone" in p for p in problems), problems
    assert any("plot text cut off" in p and "a label that runs" in p for p in problems), problems


def test_the_html_reports_fit_a_phone_and_print_on_a4(browser):
    """The school report and the leaders' summary, with every kind of chart they draw: no
    sideways scroll at 390 px, no text outside its SVG, and an A4 PDF for the artifacts."""
    from tests.test_charts_phone import report_pages

    for name, html in report_pages().items():
        for screen, size in SCREENS.items():
            context = browser.new_context(viewport=size)
            page = context.new_page()
            page.set_content(html)
            problems = page.evaluate(PROBLEMS) + page.evaluate(SVG_TEXT_OUTSIDE)
            page.screenshot(path=str(_artifacts() / "layout" / f"{screen}-{name}.png"), full_page=True)
            if screen == "1366":
                page.pdf(path=str(_artifacts() / "layout" / f"{name}.pdf"), format="A4")
            context.close()
            assert not problems, f"{name} at {screen} px: {problems}"


SVG_TEXT_OUTSIDE = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push(`chart text cut off: "${text.textContent.slice(0, 40)}"`);
    }
  }
  return out;
}"""

"""Real browser: start the app the way `make run` does, on a warehouse in a temporary folder, open
every page in headless Chromium at 1400 px and at 390 px (a phone) in fi/sv/en, check what a
person sees and save screenshots under tests/artifacts/screenshots/.

Nothing here writes inside the checkout but the screenshots: the server is `streamlit run` with
the Makefile's flags, not `make run` (which may pip-install and build data/warehouse.duckdb).
What is checked at both widths: every table fits its column (all columns visible, nothing cut on
the right), every chart's labels lie inside the chart and the tick labels of an axis do not
overlap, images fit, button labels are not cut, nothing is fetched from outside.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from presentation import format as fmt
from presentation.i18n import t
from warehouse import query

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
PAGES = ["tilannekuva", "alke", "vertailu", "indikaattorit", "painotukset", "menetelma"]
WIDTHS = [1400, 390]
# Every visible layout problem of the page, as text (empty when none).
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const visible = (el) => { const b = el.getBoundingClientRect();
                            return b.width > 0 && b.height > 0; };
  const inside = (b, box) => b.left >= box.left - 1 && b.right <= box.right + 1 &&
                             b.top >= box.top - 1 && b.bottom <= box.bottom + 1;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
                            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  document.querySelectorAll('[data-testid="stMarkdownContainer"] table').forEach((t, i) => {
    if (!visible(t)) return;
    const column = t.closest('[data-testid="stMarkdownContainer"]').getBoundingClientRect();
    const b = t.getBoundingClientRect();
    if (b.right > column.right + 1 || b.left < column.left - 1)
      problems.push(`table ${i} is wider than its column (${Math.round(b.width)} px > ` +
                    `${Math.round(column.width)} px): columns cut off`);
  });
  document.querySelectorAll('[data-testid="stDataFrame"]').forEach((frame, i) => {
    const scroller = frame.querySelector('.dvn-scroller');
    if (!visible(frame) || !scroller) return;
    if (scroller.scrollWidth > scroller.clientWidth + 1)
      problems.push(`data table ${i} scrolls sideways: ${scroller.scrollWidth} px > ` +
                    `${scroller.clientWidth} px`);
  });
  document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
    if (!visible(plot)) return;
    const box = plot.querySelector('.svg-container').getBoundingClientRect();
    const selectors = ['.xtick text', '.ytick text', '.g-xtitle text', '.g-ytitle text',
                       '.legendtext', '.annotation-text', '.cbtitle text'];
    for (const sel of selectors) {
      const boxes = [];
      plot.querySelectorAll(sel).forEach((el) => {
        if (!visible(el) || !el.textContent.trim()) return;
        const b = el.getBoundingClientRect();
        if (!inside(b, box))
          problems.push(`chart ${i}: label "${el.textContent}" (${sel}) is cut by its edge`);
        boxes.push([el.textContent, b]);
      });
      if (sel === '.xtick text' || sel === '.ytick text')
        for (let a = 0; a < boxes.length; a++)
          for (let c = a + 1; c < boxes.length; c++)
            if (overlap(boxes[a][1], boxes[c][1]))
              problems.push(`chart ${i}: labels "${boxes[a][0]}" and "${boxes[c][0]}" overlap`);
    }
  });
  document.querySelectorAll('[data-testid="stImage"] img').forEach((img, i) => {
    if (!visible(img)) return;
    const column = img.closest('[data-testid="stVerticalBlock"]').getBoundingClientRect();
    const b = img.getBoundingClientRect();
    if (b.right > column.right + 1) problems.push(`image ${i} is wider than its column`);
    if (!img.complete || img.naturalWidth === 0) problems.push(`image ${i} did not load`);
  });
  document.querySelectorAll('[data-testid="stMain"] button').forEach((button) => {
    if (!visible(button)) return;
    const label = button.querySelector('[data-testid="stMarkdownContainer"]') || button;
    if (label.scrollWidth > label.clientWidth + 1)
      problems.push(`button "${button.textContent.trim()}" is cut`);
  });
  return problems;
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def checkout_warehouse() -> tuple | None:
    """Return the checkout's own warehouse file's (size, mtime), None when there is none."""
    path = ROOT / "data" / "warehouse.duckdb"
    return (path.stat().st_size, path.stat().st_mtime_ns) if path.exists() else None


@pytest.fixture(scope="module")
def server(warehouse):
    """The app as `make run` starts it, on a free loopback port and the test warehouse."""
    before = checkout_warehouse()
    port = free_port()
    env = {**os.environ, "TILANNEKUVA_DB": str(warehouse)}
    log = ROOT / "tests" / "artifacts"
    log.mkdir(parents=True, exist_ok=True)
    with open(log / "server.log", "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the app exited with {proc.returncode}; see {log / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail("the app did not become healthy within 180 s")
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    assert checkout_warehouse() == before, "the browser test touched data/warehouse.duckdb"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is not installed; install it with: sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def expected(warehouse):
    con = query.connect(warehouse)
    year = query.latest_period(con)
    scores = query.scores(con, period=year, dimension="overall").set_index("area_code")
    areas = query.areas(con).set_index("code")
    ind = query.indicator_scores(con, period=year, indicator_ids=["unemployment_rate"])
    con.close()
    return {"year": year, "scores": scores, "areas": areas,
            "unemployment": ind.set_index("area_code")}


def settled(page) -> None:
    """Wait until the app has finished running and the charts and images have drawn."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for(timeout=90_000)
    page.wait_for_timeout(2500)


def open_view(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 1000}, locale="fi-FI")
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost") and
            not r.url.startswith(("data:", "blob:")) else None)
    page.goto(url, wait_until="domcontentloaded")
    settled(page)
    return page, outside


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("page_id", PAGES)
def test_page_in_a_real_browser(server, browser, expected, page_id, lang, width):
    area = "MK12"
    path = "" if page_id == "tilannekuva" else page_id
    page, outside = open_view(browser, f"{server}/{path}?alue={area}&kieli={lang}", width)
    # Streamlit scrolls inside its main block: grow the window to the content for a full shot
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(1500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{page_id}_{lang}_{width}.png"), full_page=True)

    main = page.locator('[data-testid="stMain"]')
    name = expected["areas"].loc[area, f"name_{lang}"]
    assert main.get_by_text(name).first.is_visible()
    if page_id == "indikaattorit":
        shown = fmt.number(expected["unemployment"].loc[area, "score"], 1, lang)
    elif page_id == "alke":  # the discussion's sections: no scores, the fast picture first
        shown = t("fast.title", lang)
    else:
        shown = fmt.number(expected["scores"].loc[area, "score"], 1, lang)
    assert main.get_by_text(shown, exact=False).first.is_visible(), shown
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    if lang != "en":
        body = main.inner_text()
        for english in ("No options to select", "free re-use", "Sotkanet indicator",
                        "(snapshot)", "No data"):
            assert english not in body, english
    assert outside == [], outside  # no tile server, CDN or other outside request
    page.close()


def test_the_checks_see_a_cut_table_and_overlapping_labels(server, browser):
    """The layout checks can fail: a table wider than its column, labels on top of each other."""
    page, _ = open_view(browser, f"{server}/vertailu?alue=MK12", 390)
    page.locator(".js-plotly-plot .xtick text").nth(1).wait_for(state="attached", timeout=60_000)
    page.evaluate("""() => {
        const t = document.querySelector('[data-testid="stMarkdownContainer"] table');
        t.style.width = '900px'; t.style.maxWidth = 'none';
        const ticks = document.querySelectorAll('.js-plotly-plot .xtick text');
        ticks[1].setAttribute('x', ticks[0].getAttribute('x'));
        ticks[1].setAttribute('transform', ticks[0].getAttribute('transform') || '');
    }""")
    problems = page.evaluate(LAYOUT_PROBLEMS)
    assert any("wider than its column" in p for p in problems), problems
    assert any("overlap" in p for p in problems), problems
    page.close()


def test_coverage_matrix_tab_on_a_phone(server, browser):
    page, _ = open_view(browser, f"{server}/menetelma?alue=MK04", 390)
    page.get_by_role("tab", name="Tietojen kattavuus").click()
    panel = page.get_by_role("tabpanel", name="Tietojen kattavuus")
    panel.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(2000)
    assert panel.get_by_text("Saavutettavuus", exact=True).first.is_visible()
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    panel.screenshot(path=str(SHOTS / "menetelma_coverage_fi_390.png"))
    page.close()


def test_bad_region_in_link_shows_message_in_browser(server, browser):
    page, _ = open_view(browser, f"{server}/vertailu?alue=ZZ42", 1400)
    assert page.get_by_text("ZZ42", exact=False).first.is_visible()
    assert page.get_by_text("Uusimaa").first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "alue=MK01" in page.url
    page.close()


def test_navigation_keeps_region_and_language(server, browser):
    page, _ = open_view(browser, f"{server}/?alue=MK19&kieli=sv", 1400)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Jämförelse").click()
    page.get_by_text("Jämförelse av landskapen").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=90_000)
    assert page.get_by_text("Lappland").first.is_visible()
    assert "alue=MK19" in page.url and "kieli=sv" in page.url
    page.close()

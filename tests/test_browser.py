"""Real browser: start the app as the README does (`make run`), open every page in headless
Chromium, check what a person sees, and save screenshots under tests/artifacts/screenshots/."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from etl import query
from presentation import format as fmt

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
PAGES = ["tilannekuva", "vertailu", "indikaattorit", "painotukset", "menetelma"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(warehouse):
    """`make run` on a free loopback port against the test warehouse; yields the base URL."""
    port = free_port()
    env = {**os.environ, "TILANNEKUVA_DB": str(warehouse)}
    log = (ROOT / "tests" / "artifacts")
    log.mkdir(parents=True, exist_ok=True)
    with open(log / "make_run.log", "wb") as out:
        proc = subprocess.Popen(["make", "run", f"PORT={port}", "HOST=127.0.0.1"], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"`make run` exited with {proc.returncode}; see {log / 'make_run.log'}")
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


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("page_id", PAGES)
def test_page_in_a_real_browser(server, browser, expected, page_id, lang):
    area = "MK02"
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="fi-FI")
    outside = []
    page.on("request", lambda r: outside.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost") and
            not r.url.startswith(("data:", "blob:")) else None)
    path = "" if page_id == "tilannekuva" else page_id
    page.goto(f"{server}/{path}?alue={area}&kieli={lang}", wait_until="domcontentloaded")
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(state="visible", timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    # Streamlit scrolls inside its main block: grow the window to the content for a full shot
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 9000)})
    page.wait_for_timeout(2000)  # let every chart finish drawing before the screenshot
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{page_id}_{lang}.png"), full_page=True)

    main = page.locator('[data-testid="stMain"]')
    name = expected["areas"].loc[area, f"name_{lang}"]
    assert main.get_by_text(name).first.is_visible()
    if page_id == "indikaattorit":
        score = fmt.number(expected["unemployment"].loc[area, "score"], 1, lang)
    else:
        score = fmt.number(expected["scores"].loc[area, "score"], 1, lang)
    assert main.get_by_text(score, exact=False).first.is_visible(), score
    assert page.locator(".js-plotly-plot svg").first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert outside == [], outside  # no tile server, CDN or other outside request
    page.close()


def open_page(browser, url, height=900):
    """Open url in a new page and wait until its first chart is visible."""
    page = browser.new_page(viewport={"width": 1440, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=90_000)
    return page


def test_coverage_matrix_tab(server, browser):
    page = open_page(browser, f"{server}/menetelma?alue=MK04", height=1200)
    page.get_by_role("tab", name="Tietojen kattavuus").click()
    panel = page.get_by_role("tabpanel", name="Tietojen kattavuus")
    panel.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    assert panel.get_by_text("Saavutettavuus", exact=True).first.is_visible()
    assert page.get_by_text("Satakunta").first.is_visible()
    page.wait_for_timeout(1500)
    panel.screenshot(path=str(SHOTS / "menetelma_coverage_fi.png"))
    page.close()


def test_bad_region_in_link_shows_message_in_browser(server, browser):
    page = open_page(browser, f"{server}/vertailu?alue=ZZ42")
    assert page.get_by_text("ZZ42", exact=False).first.is_visible()
    assert page.get_by_text("Uusimaa").first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "alue=MK01" in page.url
    page.screenshot(path=str(SHOTS / "vertailu_bad_link_fi.png"))
    page.close()


def test_navigation_keeps_region_and_language(server, browser):
    page = open_page(browser, f"{server}/?alue=MK19&kieli=sv")
    page.locator('[data-testid="stSidebarNav"] a', has_text="Jämförelse").click()
    page.get_by_text("Jämförelse av landskapen").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=90_000)
    assert page.get_by_text("Lappland").first.is_visible()
    assert "alue=MK19" in page.url and "kieli=sv" in page.url
    page.close()

"""Real browser, the ALKE page's five sections: what a person sees in each of them.

One server for the module (the app as `make run` starts it, on the session warehouse in a
temporary folder, from tests/test_browser.py), one headless Chromium and one page per language
and width, which opens Pohjois-Karjala (MK12) and then Lappi (MK19). For each section (the fast
picture, the structural-change alerts, the region's own assessment, the industry structure and
the EU twins) at 1400 px and 390 px in fi/sv/en: its heading is visible with the title of the
view-model built here in-process; its tables show every column of the view-model's table and
none is cut on the right (the layout checks of tests/test_browser.py, run on the section); its
chart has loaded and fits its column; its three download buttons are there with their labels
uncut; the assessment box is marked as the region's own text or shows the template hint.
A screenshot of each section goes to tests/artifacts/screenshots/alke_*.png. The last test
breaks a table, an image, a button, a heading and the assessment box on purpose and sees every
check go red.
"""

from __future__ import annotations

import datetime as dt
import functools

import pytest
import test_browser as tb

from presentation import alke
from presentation.alke_frames import load_alke_frames
from presentation.i18n import t

pytestmark = pytest.mark.browser

server = tb.server  # one app server for this module, on the session warehouse
browser = tb.browser

AREAS = ["MK12", "MK19"]
LANGS = ["fi", "sv", "en"]
WIDTHS = tb.WIDTHS
SECTIONS = ["fast", "alerts", "assessment", "industry", "twins"]
BUTTONS = {"shown_csv": "download.csv", "machine_csv": "download.machine_csv",
           "xlsx": "download.excel"}
# One page per width and language, the areas one after the other, every section of an area.
CASES = [(area, lang, width, section) for width in WIDTHS for lang in LANGS for area in AREAS
         for section in SECTIONS]

# test_browser.py's layout checks, run on a section's elements instead of the whole document.
SCOPED_PROBLEMS = tb.LAYOUT_PROBLEMS.replace(
    "() => {", "(roots) => {\n  const all = (sel) => roots.flatMap((r) => "
               "[...r.querySelectorAll(sel)]);", 1).replace("document.querySelectorAll(", "all(")
assert "document.querySelectorAll" not in SCOPED_PROBLEMS and SCOPED_PROBLEMS.count("all(") >= 5

# Marks each section's elements with data-alke="<section>": a heading's element and those
# after it up to the next heading (a column's end ends the fast picture); the assessment box.
MARK_SECTIONS = """
(titles) => {
  document.querySelectorAll('[data-alke]').forEach((el) => el.removeAttribute('data-alke'));
  const text = (el) => el.textContent.replace(/\\u00ad/g, '').replace(/\\s+/g, ' ').trim();
  const found = {};
  for (const [name, title] of Object.entries(titles)) {
    if (name === 'assessment') {
      const strong = [...document.querySelectorAll('[data-testid="stMain"] strong')]
        .find((el) => text(el) === title);
      const box = strong && strong.closest('[data-testid="stElementContainer"]').parentElement;
      if (box) { box.setAttribute('data-alke', name); found[name] = 1; }
      continue;
    }
    const heading = [...document.querySelectorAll('[data-testid="stMain"] h3')]
      .find((el) => text(el) === title);
    if (!heading) continue;
    let el = heading.closest('[data-testid="stElementContainer"]');
    el.setAttribute('data-alke', name);
    found[name] = 1;
    for (el = el.nextElementSibling; el && !el.querySelector('h3');
         el = el.nextElementSibling) {
      el.setAttribute('data-alke', name);
      found[name] += 1;
    }
  }
  return found;
}
"""
# What the section's elements show: headings, tables (their header texts and whether each column
# lies inside the table's column), images, download buttons, the section's box.
SECTION_FACTS = """
(els) => {
  const visible = (el) => { const b = el.getBoundingClientRect();
                            return b.width > 0 && b.height > 0; };
  const text = (el) => el.innerText.replace(/\\u00ad/g, '').replace(/\\s+/g, ' ').trim();
  const all = (sel) => els.flatMap((r) => [...r.querySelectorAll(sel)]).filter(visible);
  const right = Math.max(...els.map((el) => el.getBoundingClientRect().right));
  return {
    headings: all('h3').map(text),
    strong: all('strong').map(text),
    texts: all('[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]')
      .map(text),
    alerts: all('[data-testid="stAlert"] [data-testid="stMarkdownContainer"]').map(text),
    items: all('li').length,
    tables: all('[data-testid="stMarkdownContainer"] table').map((table) => {
      const column = table.closest('[data-testid="stMarkdownContainer"]')
        .getBoundingClientRect();
      return [...table.querySelectorAll('th')].map((th) => {
        const b = th.getBoundingClientRect();
        return {text: text(th), inside: b.width > 0 && b.left >= column.left - 1 &&
                                        b.right <= column.right + 1};
      });
    }),
    images: all('[data-testid="stImage"] img').map((img) => {
      const column = img.closest('[data-testid="stVerticalBlock"]').getBoundingClientRect();
      const b = img.getBoundingClientRect();
      return {loaded: img.complete && img.naturalWidth > 0, width: b.width,
              fits: b.left >= column.left - 1 && b.right <= column.right + 1};
    }),
    buttons: Object.fromEntries(all('[data-testid="stDownloadButton"] button').map((button) => {
      const holder = button.closest('[class*="st-key-dl_"]');
      const key = [...holder.classList].find((c) => c.startsWith('st-key-dl_')).slice(10);
      // the label's block clips it (ellipsis); its <p> is inline, with no scroll width
      const label = button.querySelector('[data-testid="stMarkdownContainer"]') || button;
      const words = label.querySelector('p') || label;
      const cut = label.scrollWidth > label.clientWidth + 1 || label.clientWidth === 0 ||
        words.getBoundingClientRect().right > label.getBoundingClientRect().right + 1;
      return [key, {label: text(label), cut: cut,
                    right: button.getBoundingClientRect().right}];
    })),
    bordered: els.length === 1 && ['Top', 'Right', 'Bottom', 'Left'].every((side) =>
      parseFloat(getComputedStyle(els[0])[`border${side}Width`]) > 0),
    right: right, window: window.innerWidth,
  };
}
"""


@pytest.fixture(scope="module")
def views(warehouse):
    """The ALKE view-models of a region in a language, built here as the page builds them."""
    frames = load_alke_frames(warehouse)

    @functools.cache
    def build(area: str, lang: str) -> alke.AlkePicture:
        return alke.build_alke_picture(frames, area, lang, dt.date.today().year)

    return build


def titles(picture: alke.AlkePicture) -> dict[str, str]:
    """Return each section's title as the page shows it."""
    return {"fast": picture.fast.title, "alerts": picture.alerts.title,
            "assessment": picture.assessment.title, "industry": picture.industry.title,
            "twins": picture.twins.title}


def plain(text: str) -> str:
    """Return text as the page's innerText reads: no soft hyphens, single spaces."""
    return " ".join(text.replace("\u00ad", "").split())


class Pages:
    """One page per width and language, at the region last opened (reopened on a change)."""

    def __init__(self, base: str, chromium, views) -> None:
        self.base, self.chromium, self.views = base, chromium, views
        self.key: tuple | None = None
        self.page = self.outside = None

    def get(self, area: str, lang: str, width: int):
        """Return the page showing the ALKE page of area in lang at width, sections marked."""
        if self.key == (area, lang, width):
            return self.page
        if self.page is not None and self.key[1:] != (lang, width):
            self.page.close()
            self.page = None
        url = f"{self.base}/alke?alue={area}&kieli={lang}"
        if self.page is None:
            self.page, self.outside = tb.open_view(self.chromium, url, width)
        else:
            self.outside.clear()
            self.page.set_viewport_size({"width": width, "height": 1000})
            self.page.goto(url, wait_until="domcontentloaded")
            tb.settled(self.page)
        self.key = (area, lang, width)
        load(self.page, self.views(area, lang), width)
        return self.page

    def close(self) -> None:
        if self.page is not None:
            self.page.close()
        self.page = self.key = None


def load(page, picture: alke.AlkePicture, width: int) -> None:
    """Wait for the sections, open their expanders, show the whole page and mark the sections."""
    main = page.locator('[data-testid="stMain"]')
    main.locator("h3", has_text=picture.twins.title).first.wait_for(timeout=90_000)
    for title in (picture.alerts.earlier_title if picture.alerts.earlier else None,
                  picture.industry.table_title if picture.industry.table else None):
        if title:
            expander = main.locator('[data-testid="stExpander"]', has_text=title).first
            expander.locator("summary").click()
            expander.locator('[data-testid="stExpanderDetails"]').wait_for(timeout=30_000)
    # Streamlit scrolls inside its main block: grow the window to the content
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(1500)
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stImage"] img')]
                              .every((img) => img.complete)""", timeout=30_000)
    mark(page, picture)


def mark(page, picture: alke.AlkePicture) -> None:
    """Mark each section's elements (data-alke); fail when a section is not on the page."""
    found = page.evaluate(MARK_SECTIONS, titles(picture))
    assert set(found) == set(SECTIONS), f"sections not found on the page: {sorted(found)}"


@pytest.fixture(scope="module")
def pages(server, browser, views):
    opened = Pages(server, browser, views)
    yield opened
    opened.close()


def facts(page, section: str) -> dict:
    return page.locator(f'[data-alke="{section}"]').evaluate_all(SECTION_FACTS)


def expected_tables(picture: alke.AlkePicture, section: str) -> list:
    """Return the view-model's tables the section shows (after its expanders are opened)."""
    twins = picture.twins
    tables = {"fast": [picture.fast.table], "industry": [picture.industry.table],
              "twins": [twins.twins, twins.compare_narrow or twins.compare]
              if twins.twins is not None else []}
    return [table for table in tables.get(section, []) if table is not None]


def expected_images(picture: alke.AlkePicture, section: str) -> int:
    return int({"fast": picture.fast.chart, "industry": picture.industry.chart}.get(section)
               is not None)


def download_of(picture: alke.AlkePicture, section: str):
    return {"fast": picture.fast.download, "alerts": picture.alerts.download,
            "industry": picture.industry.download, "twins": picture.twins.download}.get(section)


def check_heading(shown: dict, picture: alke.AlkePicture, section: str) -> None:
    title = titles(picture)[section]
    got = shown["strong"][:1] if section == "assessment" else shown["headings"]
    assert got == [title], f"{section}: heading {got} shown, expected {title!r}"
    assert shown["right"] <= shown["window"] + 1, "the section is wider than the window"


def check_tables(shown: dict, picture: alke.AlkePicture, section: str) -> None:
    want = [[plain(c) for c in table.columns] for table in expected_tables(picture, section)]
    got = [[th["text"] for th in table] for table in shown["tables"]]
    assert got == want, f"{section}: tables shown {got}, expected {want}"
    cut = [th["text"] for table in shown["tables"] for th in table if not th["inside"]]
    assert cut == [], f"{section}: columns cut off: {cut}"


def check_images(shown: dict, picture: alke.AlkePicture, section: str) -> None:
    images = shown["images"]
    assert len(images) == expected_images(picture, section), f"{section}: charts {images}"
    for image in images:
        assert image["loaded"] and image["width"] > 0, f"{section}: chart not loaded {image}"
        assert image["fits"], f"{section}: chart wider than its column {image}"


def check_downloads(shown: dict, picture: alke.AlkePicture, section: str) -> None:
    download = download_of(picture, section)
    keys = {k for k in shown["buttons"] if not k.startswith("brief_")}
    want = {} if download is None else {
        f"{section}_{kind}": t(label, picture.lang) for kind, label in BUTTONS.items()}
    got = {k: shown["buttons"][k]["label"] for k in keys}
    assert got == want, f"{section}: download buttons {got}, expected {want}"
    for key in want:
        button = shown["buttons"][key]
        assert not button["cut"], f"button {key} '{button['label']}' is cut"
        assert button["right"] <= shown["window"] + 1, f"button {key} leaves the window"


def check_assessment(shown: dict, picture: alke.AlkePicture, section: str) -> None:
    if section != "assessment":
        return
    view = picture.assessment
    assert shown["bordered"], "the region's own assessment is not in a box of its own"
    if view.present:
        assert plain(view.marker) in shown["texts"], "the region's own text is not marked"
    else:
        assert shown["alerts"] == [plain(view.missing)], shown["alerts"]
        assert plain(view.how) in shown["texts"], "the template hint is not shown"


def check_section(page, picture: alke.AlkePicture, section: str) -> None:
    """Check what a person sees in one section (raise AssertionError on the first problem)."""
    shown = facts(page, section)
    for check in (check_heading, check_tables, check_images, check_downloads,
                  check_assessment):
        check(shown, picture, section)
    if section == "alerts":
        alerts = picture.alerts
        want = len(alerts.recent) + len(alerts.earlier)
        assert shown["items"] == want, f"alert items: {shown['items']} shown, expected {want}"
        assert (alerts.download is not None) == bool(alerts.recent or alerts.earlier)
    problems = page.locator(f'[data-alke="{section}"]').evaluate_all(SCOPED_PROBLEMS)
    assert problems == [], problems


def screenshot(page, section: str, path) -> None:
    """Save the section's part of the page."""
    box = page.evaluate("""(name) => {
        const els = [...document.querySelectorAll(`[data-alke="${name}"]`)];
        els[0].scrollIntoView({block: 'start'});
        const rects = els.map((el) => el.getBoundingClientRect()).filter((b) => b.height > 0);
        const top = Math.max(0, Math.min(...rects.map((b) => b.top)) - 8);
        const bottom = Math.min(window.innerHeight, Math.max(...rects.map((b) => b.bottom)) + 8);
        const left = Math.max(0, Math.min(...rects.map((b) => b.left)) - 8);
        const right = Math.min(window.innerWidth, Math.max(...rects.map((b) => b.right)) + 8);
        return {x: left, y: top, width: right - left, height: bottom - top};
    }""", section)
    page.screenshot(path=str(path), clip=box)


@pytest.mark.parametrize(("area", "lang", "width", "section"), CASES,
                         ids=["-".join(map(str, case)) for case in CASES])
def test_alke_section_in_a_real_browser(pages, views, area, lang, width, section):
    page = pages.get(area, lang, width)
    picture = views(area, lang)
    tb.SHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, section, tb.SHOTS / f"alke_{section}_{area}_{lang}_{width}.png")
    assert page.locator('[data-testid="stException"]').count() == 0
    if section != "assessment":  # the four sections with data offer it for download
        assert download_of(picture, section) is not None
    check_section(page, picture, section)
    assert pages.outside == [], pages.outside  # nothing fetched from outside


# What is broken on purpose (CSS added to the page, or a script and its undo), in which section,
# and what the section's check must then say.
BREAKS = [
    ("fast", "[data-alke=fast] table {width: 2000px !important; max-width: none !important}",
     "columns cut off"),
    ("fast", "[data-alke=fast] img {width: 3000px !important; max-width: none !important}",
     "chart wider than its column"),
    ("industry", ("(img) => { img.dataset.was = img.src; img.removeAttribute('srcset'); "
                  "img.src = 'data:image/png;base64,AAAA'; }",
                  "(img) => { img.src = img.dataset.was; }"), "chart"),
    ("twins", "[data-alke=twins] table {display: none !important}", "tables shown"),
    ("industry", "[data-alke=industry] h3 {display: none !important}", "heading"),
    ("alerts", ".st-key-dl_alerts_xlsx button {width: 90px !important; "
               "max-width: 90px !important; min-width: 0 !important}", "is cut"),
    ("alerts", ".st-key-dl_alerts_machine_csv {display: none !important}", "download buttons"),
    ("alerts", "[data-alke=alerts] li {display: none !important}", "alert items"),
    ("assessment", "[data-alke=assessment] [data-testid=stCaptionContainer] "
                   "{display: none !important}", "template hint"),
]


def break_page(page, how, undo: bool = False) -> None:
    """Add (or remove) a breaking style, or run a breaking script (or its undo) on images."""
    if isinstance(how, str):
        page.evaluate("""([css, undo]) => {
            if (undo) { document.getElementById('alke-break').remove(); return; }
            const style = document.createElement('style');
            style.id = 'alke-break'; style.textContent = css; document.head.append(style);
        }""", [how, undo])
    else:
        page.locator('[data-alke="industry"] [data-testid="stImage"] img').evaluate_all(
            f"(imgs) => imgs.forEach({how[1] if undo else how[0]})")
    page.wait_for_timeout(300)


def test_the_section_checks_see_what_is_broken(pages, views):
    """Each check can fail: a cut table, a too wide or broken chart, a hidden table, heading,
    download button, alert list or template hint, a cut button label, the wrong language and
    a missing section."""
    page = pages.get("MK12", "fi", 390)
    picture = views("MK12", "fi")
    for section, how, message in BREAKS:
        check_section(page, picture, section)  # whole before
        break_page(page, how)
        with pytest.raises(AssertionError, match=message):
            check_section(page, picture, section)
        if message == "columns cut off":  # and the layout checks of test_browser.py see it too
            problems = page.locator('[data-alke="fast"]').evaluate_all(SCOPED_PROBLEMS)
            assert any("wider than its column" in p for p in problems), problems
        break_page(page, how, undo=True)
        check_section(page, picture, section)  # whole again after the undo
    with pytest.raises(AssertionError, match="Larm om strukturförändring"):
        check_heading(facts(page, "alerts"), views("MK12", "sv"), "alerts")
    page.evaluate("""() => document.querySelector('[data-alke="alerts"]').remove()""")
    with pytest.raises(AssertionError, match="sections not found"):
        mark(page, picture)
    pages.close()  # the page is broken: a next test opens a new one

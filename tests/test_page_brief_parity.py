"""The region page and the PDF and HTML brief show the same numbers from one RegionPicture.

For every region the picture is built once; then the page (AppTest), the PDF (text extracted)
and the HTML are read back, and each field of the picture is looked for in all three: the cards
and the scores table, the key indicators, the peers, the ages, the notices and the sentences,
and of the ALKE sections the fast picture, the alerts, the industry profile and the note on the
region's own text. Where the two-page brief shows fewer rows than the page (sentences, alerts),
what it shows are the page's first rows and it says how many more there are.
"""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from app_helpers import PAGES, assert_ok, run_page, texts
from report_helpers import pdf_pages, squash

from presentation.alke import build_alke_picture
from presentation.display import plain
from presentation.frames import region_codes
from presentation.i18n import t
from presentation.region import build_region_picture
from presentation.static_charts import brief_charts
from report.html import html_bytes
from report.pdf import pdf_bytes


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def html_text(data: bytes) -> str:
    parser = _Text()
    parser.feed(data.decode("utf-8"))
    return squash(" ".join(parser.parts))


def tokens(text: str) -> set[str]:
    return set(squash(text).split(" "))


def fields(picture):
    """Return (free texts, table cells) that both renderings must show."""
    free = [picture.region_name, picture.ages_text, *picture.notices, *picture.extremes]
    cells = []
    for card in picture.cards:
        cells += [card.score_text, card.rank_text, card.interval_text, card.change_1y.text,
                  card.change_5y.text]
        free += [*card.notes]  # on the page's card; in the brief inside 'Dimension: note'
    for row in picture.key_rows:
        cells += [row.value_text, row.year_text, row.change.text, row.country_text]
    cells += [plain(c) for row in picture.peers_print.rows for c in row]
    return free, cells


def assert_peers_print_is_the_page_table(picture):
    """The brief's peers table (a column per region) holds the page's cells, in columns."""
    page, printed = picture.peers, picture.peers_print
    assert printed.columns[1] == page.columns[1]
    for page_row, print_row in zip(page.rows, printed.rows, strict=True):
        assert [plain(c) for c in print_row[:2]] == [plain(c) for c in page_row[:2]]
        joined = " · ".join(f"{name} {plain(c)}"
                            for name, c in zip(printed.columns[2:], print_row[2:], strict=True))
        assert plain(page_row[2]) == joined


def alke_fields(alke):
    """Return the ALKE texts that the page and both briefs show in full."""
    f, v, i = alke.fast, alke.alerts, alke.industry
    texts = [f.title, f.intro, *f.notes, f.source, v.title, *v.notes, i.title, i.intro,
             *i.notes[1:], i.source, alke.assessment.title]  # (no quotients: not their note)
    texts += [v.recent_title] if v.recent else [v.recent_empty]
    texts += [line for g in i.growth for line in (g.title, *g.lines)]
    cells = [plain(c) for row in f.table.rows for c in row] if f.table is not None else []
    return texts, cells


def assert_alerts_are_the_pages_first_rows(alke, page, pdf, html):
    """The brief prints the page's newest alert episodes, in order, and says how many more."""
    v = alke.alerts
    listed = [*v.recent, *v.earlier]  # as the page lists them (the earlier ones newest first)
    for item in listed:
        for text in (item.span, item.text, item.rule):
            assert squash(text) in page, ("page", text)
    for brief in (pdf, html):
        shown = [item for item in listed if squash(item.text) in brief and
                 squash(item.rule) in brief]
        assert shown == listed[:len(shown)], "the brief's alerts are the page's first rows"
        assert shown or not listed
        if len(shown) < len(listed):
            total = len(v.download.shown) if v.download is not None else len(listed)
            key = "brief.alerts_shown_one" if len(shown) == 1 else "brief.alerts_shown"
            assert squash(t(key, "fi", shown=len(shown), total=total)) in brief


ALKE_PAGE = "views/alke.py"


@pytest.fixture(scope="module")
def today():
    return dt.date.today()


@pytest.mark.parametrize("code", [f"MK{n:02d}" for n in (*range(1, 3), *range(4, 20), 21)])
def test_page_and_brief_show_the_same_picture(warehouse_env, frames, alke_frames, today,
                                              code):
    assert code in region_codes(frames)
    picture = build_region_picture(frames, code, "fi", today=today)
    alke = build_alke_picture(alke_frames, code, "fi", today.year)
    at = run_page(PAGES[0], {"alue": code, "kieli": "fi"})
    assert_ok(at)
    page = squash(texts(at) + "\n" + "\n".join(m.proto.delta for m in at.metric))
    alke_at = run_page(ALKE_PAGE, {"alue": code, "kieli": "fi"})  # the ALKE sections' page
    assert_ok(alke_at)
    alke_page = squash(texts(alke_at))
    charts = brief_charts(picture)
    pages = pdf_pages(pdf_bytes(picture, charts, alke))
    assert len(pages) <= 2  # the whole brief, ALKE sections too, on two pages
    pdf = squash(" ".join(pages))
    html = html_text(html_bytes(picture, charts, alke))
    assert_peers_print_is_the_page_table(picture)
    alke_texts, alke_cells = alke_fields(alke)
    for text in alke_texts:
        assert squash(text) in alke_page, ("page", text)
        assert squash(text) in html, ("html", text)
        assert squash(text) in pdf, ("pdf", text)
    for text in alke_cells:
        assert squash(text) in alke_page and squash(text) in html, text
        assert tokens(text) <= tokens(pdf), ("pdf", text)
    assert_alerts_are_the_pages_first_rows(alke, alke_page, pdf, html)
    for shown in (page, alke_page, pdf, html):  # where to add the region's own text
        assert alke.assessment.path in shown
    free, cells = fields(picture)
    for text in picture.card_notes:  # 'Dimension: note' under the brief's scores table
        assert squash(text) in html and squash(text) in pdf, text
    for text in free:
        assert squash(text) in page, ("page", text)
        assert squash(text) in html, ("html", text)
        assert squash(text) in pdf, ("pdf", text)
    pdf_tokens = tokens(pdf)
    for text in cells:
        assert squash(text) in html, ("html", text)
        assert tokens(text) <= pdf_tokens, ("pdf", text, tokens(text) - pdf_tokens)
        # on the page a shown 1-year change is the metric's delta, without its arrow
        shown = squash(re.sub(r"^[▲▼●] ", "", text))
        assert squash(text) in page or shown in page, ("page", text)
    # every sentence the PDF prints is on the page; the rest is counted as '… ja n muuta'
    for kind in ("strengths", "weaknesses"):
        items = getattr(picture, kind)
        in_pdf = [s for s in items if squash(s) in pdf]
        assert all(squash(s) in page for s in items)
        assert all(squash(s) in html for s in items)
        left_out = len(items) - len(in_pdf)
        if left_out:
            assert f"… ja {left_out} muuta" in pdf, (kind, left_out)


def test_page_and_brief_agree_on_the_contract_cases(contract_db, cases, today, monkeypatch):
    """The hand-set cases (a break, a changed set, no new data, …) read the same in both."""
    from picture_fixtures import CASE_AREA

    monkeypatch.setenv("TILANNEKUVA_DB", str(contract_db))
    picture = build_region_picture(cases, CASE_AREA, "fi", today=today)
    at = run_page(PAGES[0], {"alue": CASE_AREA, "kieli": "fi"})
    assert_ok(at)
    page = squash(texts(at))
    html = html_text(html_bytes(picture))
    for card in picture.cards:
        for line in card.change_lines:
            assert squash(line) in page
        for change in (card.change_1y, card.change_5y):
            if not change.shown:
                assert squash(change.text) in html
    assert "aikasarjassa katko" in page and "aikasarjassa katko" in html

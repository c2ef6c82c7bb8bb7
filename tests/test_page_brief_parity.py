"""The region page and the PDF and HTML brief show the same numbers from one RegionPicture.

For every region the picture is built once; then the page (AppTest), the PDF (text extracted)
and the HTML are read back, and each field of the picture is looked for in all three: the cards
and the scores table, the key indicators, the peers, the ages, the notices and the sentences.
"""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from app_helpers import PAGES, assert_ok, run_page, texts
from report_helpers import pdf_pages, squash

from presentation.display import plain
from presentation.frames import region_codes
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
    cells += [plain(c) for row in picture.peers.rows for c in row]
    return free, cells


@pytest.fixture(scope="module")
def today():
    return dt.date.today()


@pytest.mark.parametrize("code", [f"MK{n:02d}" for n in (*range(1, 3), *range(4, 20), 21)])
def test_page_and_brief_show_the_same_picture(warehouse_env, frames, today, code):
    assert code in region_codes(frames)
    picture = build_region_picture(frames, code, "fi", today=today)
    at = run_page(PAGES[0], {"alue": code, "kieli": "fi"})
    assert_ok(at)
    page = squash(texts(at) + "\n" + "\n".join(m.proto.delta for m in at.metric))
    charts = brief_charts(picture)
    pdf = squash(" ".join(pdf_pages(pdf_bytes(picture, charts))))
    html = html_text(html_bytes(picture, charts))
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

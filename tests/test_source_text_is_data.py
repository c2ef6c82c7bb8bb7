"""Text that came from a source stays text: Markdown and HTML in every stored text field of a
warehouse are shown as written on every page and in the brief, never as links, images or style.
"""

import datetime as dt
import json
import re
import shutil

import duckdb
import pytest
from app_helpers import PAGES, run_page, visible

from presentation.frames import load_frames
from presentation.region import build_region_picture
from presentation.static_charts import brief_charts
from report.html import html_bytes
from report.pdf import pdf_bytes

EVIL = ("**b** [l](http://evil.example/l) ![i](http://evil.example/i.png) :red[r] "
        "<img src='http://evil.example/x.png'> <a href='http://evil.example/a'>a</a> "
        "<span style='color:red'>s</span> $x$")
# a shorter one where a text is printed many times (a peer's name in a two-page brief)
SHORT_EVIL = "**b** [l](http://evil.example/l) <img src='http://evil.example/x.png'> $x$"
# EVIL's parts as a renderer would act on them (in Markdown unless a backslash escapes them)
MARKDOWN_LEAKS = ("](http://evil", "<img src='http", "<a href='http", ":red[", "**b**",
                  "<span style='color", "$x$")
HTML_LEAKS = ("<img src='http", "<a href='http", "<span style='color")
TEXT_COLUMNS = {
    "sources": ["publisher", "title", "licence", "origin", "derivation"],
    "indicators": ["unit_fi", "unit_sv", "unit_en", "label_fi", "label_sv", "label_en",
                   "description_fi", "description_sv", "description_en", "source_publisher",
                   "source_table", "source_selection", "source_licence"],
    "dimensions": ["description_fi", "description_sv", "description_en"],
    "breaks": ["reason_fi", "reason_sv", "reason_en"],
    "monthly_series": ["unit_fi", "unit_sv", "unit_en", "label_fi", "label_sv", "label_en",
                       "description_fi", "description_sv", "description_en"],
    "industries": ["label_fi", "label_sv", "label_en"],
    "eu_regions": ["name"],
    "eu_variables": ["unit_fi", "unit_sv", "unit_en", "label_fi", "label_sv", "label_en"],
}


def with_evil(source, target, columns, evil=EVIL):
    """Write a copy of source with evil appended to the given text columns and a few more."""
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        for table, names in columns.items():
            sets = ", ".join(f"{c} = coalesce({c}, '') || ' ' || ?" for c in names)
            con.execute(f"UPDATE {table} SET {sets}", [evil] * len(names))
        # one source's update stamp, a peer's name and a logged run's message
        con.execute("UPDATE sources SET updated = ? WHERE source_id = (SELECT min(source_id) "
                    "FROM sources)", [evil])
        con.execute("UPDATE areas SET name_fi = name_fi || ' ' || ?, name_sv = name_sv || ' ' "
                    "|| ?, name_en = name_en || ' ' || ? WHERE code = 'MK02'", [evil] * 3)
        con.execute("INSERT INTO etl_runs VALUES ('r1', (SELECT min(source_id) FROM sources), "
                    "now(), now(), 'failed', 0, ?)", [evil])
    finally:
        con.close()
    return target


@pytest.fixture(scope="module")
def hostile(warehouse, tmp_path_factory):
    """The session warehouse with EVIL appended to every text a source or a file supplies."""
    return with_evil(warehouse, tmp_path_factory.mktemp("hostile") / "w.duckdb", TEXT_COLUMNS)


@pytest.fixture(scope="module")
def hostile_brief(warehouse, tmp_path_factory):
    """EVIL in the texts a brief prints once each (so that it still fits its two pages)."""
    return with_evil(warehouse, tmp_path_factory.mktemp("hostile_brief") / "w.duckdb",
                     {"breaks": ["reason_fi"], "dimensions": ["description_fi"]}, SHORT_EVIL)


def leaks(text: str, patterns=MARKDOWN_LEAKS) -> list[str]:
    return [p for p in patterns if re.search(r"(?<!\\)" + re.escape(p), text)]


def page_leaks(at) -> list[tuple[str, str]]:
    """Return (element kind, pattern) for every Markdown element that would render EVIL."""
    found = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        for element in getattr(at, kind):
            found += [(kind, p) for p in leaks(str(element.value))]
    for metric in at.metric:
        found += [("metric", p) for p in leaks(metric.label + " " + str(metric.value))]
    for kind in ("expander", "select_slider", "selectbox", "multiselect", "radio"):
        for element in at.get(kind):
            label = getattr(element, "label", None) or getattr(element.proto, "label", "")
            found += [(kind, p) for p in leaks(str(label))]
    for chart in at.get("plotly_chart"):
        spec = json.dumps(json.loads(chart.proto.spec))
        found += [("plotly", p) for p in leaks(spec, HTML_LEAKS)]
    return found


@pytest.mark.parametrize(("page", "params"), [
    (PAGES[0], {"alue": "MK02"}), (PAGES[0], {"alue": "MK01", "kieli": "en"}),
    (PAGES[1], {"alue": "MK02"}), (PAGES[2], {"alue": "MK02", "mittari": "offences_per_1000"}),
    (PAGES[3], {"alue": "MK02", "kieli": "sv"}), (PAGES[4], {"alue": "MK02"})])
def test_every_page_shows_source_text_as_text(hostile, monkeypatch, page, params):
    monkeypatch.setenv("TILANNEKUVA_DB", str(hostile))
    at = run_page(page, params)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("html")
    assert page_leaks(at) == []
    shown = " ".join(visible(e.value) for e in at.markdown)
    assert "evil.example" in shown  # the text is there, as text


@pytest.mark.parametrize("code", ["MK02", "MK01"])
def test_the_brief_shows_source_text_as_text(hostile_brief, code):
    picture = build_region_picture(load_frames(hostile_brief), code, "fi",
                                   today=dt.date(2026, 12, 1))
    charts = brief_charts(picture)
    html = html_bytes(picture, charts).decode("utf-8")
    assert leaks(html, HTML_LEAKS) == [] and "evil.example" in html
    pdf = pdf_bytes(picture, charts)
    assert b"/URI" not in pdf and b"/Subtype /Link" not in pdf  # no link in the PDF

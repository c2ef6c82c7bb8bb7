"""The ALKE sections on their page (AppTest), the region page's part of them, and the brief."""

import io

import pypdf
import pytest
from app_helpers import PAGES, assert_ok, markdown_tables, run_page, texts, visible

from presentation.alke import build_alke_picture
from presentation.i18n import t
from presentation.region import build_region_picture
from report.html import html_text
from report.pdf import pdf_bytes

ALKE_PAGE = "views/alke.py"


def test_alke_page_shows_the_fast_picture_alerts_and_the_assessment(warehouse_env,
                                                                    alke_frames):
    at = run_page(ALKE_PAGE, {"alue": "MK12", "kieli": "fi"})
    assert_ok(at)
    shown = texts(at)
    assert visible(at.title[0].value) == "Pohjois-Karjala: ALKE-keskustelun aineisto"
    for text in ("Nopea tilannekuva: työllisyys kuukausittain", "kesäkuu 2026",
                 "Aluekehittämiskeskustelua (ALKE) varten: Pohjois-Karjalan nopea tilannekuva",
                 "Rakennemuutoshälytykset", "Maakunnan oma arvio",
                 "Elinkeinorakenne 2023", "EU-kaksoset: samankaltaisimmat alueet EU:ssa",
                 "Pohjois-Karjala kaksostensa joukossa",
                 "Ei hälytyksiä viimeisten 24 kuukauden aikana (heinäkuu 2024 – kesäkuu 2026).",
                 "assessments/TEMPLATE.md"):
        assert text in shown, text
    assert "aukko marraskuu 2023 – toukokuu 2026" in shown
    fast = next(tb for tb in markdown_tables(at) if tb[0][-1] == "Sija")
    assert fast[0][1] == "Pohjois-Karjala"
    assert "Muutos vuodessa" not in fast[0]  # no year-earlier figure: no change column
    expected = build_alke_picture(alke_frames, "MK12", "fi", 2026).fast.table.plain_rows()
    assert [r[1] for r in fast[1:]] == [r[1] for r in expected]


def test_brief_carries_the_alke_sections(frames, alke_frames):
    picture = build_region_picture(frames, "MK19", "sv")
    alke = build_alke_picture(alke_frames, "MK19", "sv", 2026)
    html = html_text(picture, alke=alke)
    for text in (t("fast.title", "sv"), "juni 2026", t("alerts.title", "sv"),
                 t("assessment.title", "sv"), "assessments/2026/MK19.md",
                 t("brief.twins_label", "sv")):
        assert text in html, text
    assert html.index(t("fast.title", "sv")) < html.index(t("alerts.title", "sv"))
    assert t("fast.title", "sv") not in html_text(picture)
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(picture, alke=alke)))
    assert len(reader.pages) == 2  # the picture and the ALKE sections on two pages
    first, second = (reader.pages[i].extract_text() for i in (0, 1))
    assert "juni 2026" in second and "Lappland" in second
    ordered = [t(k, "sv", **kw) for k, kw in (("fast.title", {}), ("alerts.title", {}),
                                              ("industry.title", {"year": 2023}),
                                              ("brief.twins_label", {}),
                                              ("assessment.title", {}))]
    places = [second.index(title) for title in ordered]  # every section, in this order
    assert places == sorted(places)
    assert "assessments/2026/MK19.md" in second.replace("\n", "")
    for page in (first, second):  # no heading alone at the foot of a page
        for title in ordered:
            if title in page:
                assert len(page) - page.index(title) > 150, (title, page[-200:])


def test_region_page_shows_the_assessment_and_links_to_the_alke_page(warehouse_env,
                                                                      alke_frames):
    at = run_page(PAGES[0], {"alue": "MK19", "kieli": "fi"})
    assert_ok(at)
    shown = texts(at)
    alke = build_alke_picture(alke_frames, "MK19", "fi", 2026)
    assert alke.assessment.title in shown and "assessments/TEMPLATE.md" in shown
    assert alke.link_help in shown and alke.link_help.startswith("Lapin nopea tilannekuva")
    links = [(visible(e.proto.label), e.proto.page) for e in at.get("page_link")]
    assert links == [(alke.link, "alke")]  # the ALKE page's URL path
    for other in (alke.fast.title, alke.alerts.title, alke.industry.title, alke.twins.title):
        assert other not in shown, other


def test_region_page_shows_the_regions_own_text_as_plain_text(warehouse_env, tmp_path,
                                                              monkeypatch):
    import datetime as dt

    from test_assessment_view import MARKDOWN, filled

    from indicators import assessments

    year = dt.date.today().year
    path = tmp_path / str(year) / "MK16.md"
    path.parent.mkdir(parents=True)
    path.write_text(filled("MK16", year), encoding="utf-8")
    monkeypatch.setattr(assessments, "ASSESSMENTS_DIR", tmp_path)
    at = run_page(PAGES[0], {"alue": "MK16", "kieli": "en"})
    assert_ok(at)
    shown = texts(at)
    assert "This is the region's own text, not computed by Tilannekuva." in shown
    assert "Testiliitto" in shown
    raw = [str(m.value) for m in at.markdown]
    # the Markdown of the text is escaped: shown as written, never as bold or a link
    assert any(r"Kasvu on \*\*vahvaa\*\* ja \[linkki\]\(https\://example" in m for m in raw)
    assert MARKDOWN.split(" #")[0] in shown


@pytest.mark.parametrize(("code", "lang"), [("MK12", "sv"), ("MK19", "fi"), ("MK19", "en")])
def test_all_five_sections_in_every_language(warehouse_env, alke_frames, code, lang):
    at = run_page(ALKE_PAGE, {"alue": code, "kieli": lang})
    assert_ok(at)
    shown = texts(at)
    alke = build_alke_picture(alke_frames, code, lang, 2026)
    for text in (alke.title, alke.intro, alke.fast.title, alke.fast.month_text, alke.alerts.title,
                 alke.industry.title,
                 alke.twins.title, alke.assessment.title, *alke.fast.notes,
                 *alke.industry.notes, alke.alerts.recent_empty):
        assert text in shown, text


def test_a_warehouse_without_the_alke_tables_says_so_plainly(frames, alke_frames, tmp_path):
    import dataclasses

    empty = dataclasses.replace(
        alke_frames, monthly=alke_frames.monthly.iloc[0:0], alerts=alke_frames.alerts.iloc[0:0],
        industry_employment=alke_frames.industry_employment.iloc[0:0],
        eu_twins=alke_frames.eu_twins.iloc[0:0])
    alke = build_alke_picture(empty, "MK12", "fi", 2026, tmp_path)
    assert alke.fast.table is None and alke.fast.intro == t("fast.none", "fi")
    assert alke.alerts.recent == () and alke.alerts.earlier == ()
    assert alke.industry.table is None and alke.twins.twins is None
    html = html_text(build_region_picture(frames, "MK12", "fi"), alke=alke)
    assert t("fast.none", "fi") in html and t("twins.none", "fi") in html


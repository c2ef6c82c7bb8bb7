import dataclasses
import io
import re

import pypdf
import pytest
from PIL import Image
from report_helpers import (
    latest_score_year,
    overall_score,
    pdf_pages,
    render_pages,
    squash,
    unscored_warehouse,
)

from indicators.catalog import load_dimensions
from presentation import format as fmt
from presentation.frames import load_frames
from presentation.region import build_region_picture as build_content
from presentation.static_charts import brief_charts
from report import pdf as rpdf


def _brief(frames, code, lang):
    content = build_content(frames, code, lang)
    return content, rpdf.pdf_bytes(content)


@pytest.mark.parametrize(("code", "lang", "name", "letters"), [
    ("MK07", "fi", "Päijät-Häme", ["Elinympäristö", "Elinkeinot ja työllisyys"]),
    ("MK15", "sv", "Österbotten", ["Livsmiljö", "Näringsliv och sysselsättning"]),
    ("MK21", "en", "Åland", ["Living environment"]),
])
def test_pdf_has_the_region_score_and_dimensions(frames, warehouse, tmp_path, code, lang, name,
                                                 letters):
    year = latest_score_year(warehouse)
    content, data = _brief(frames, code, lang)
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    reader = pypdf.PdfReader(path)
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:  # A4 portrait: 595 × 842 pt
        assert round(float(page.mediabox.width)) == 595
        assert round(float(page.mediabox.height)) == 842
    text = squash(" ".join(pdf_pages(data)))
    assert name in text
    score = overall_score(warehouse, code, year)
    shown = fmt.number(score, 1, lang)
    assert shown != fmt.MISSING or code == "MK21"
    assert f"{content.overall.label} {shown}" in text
    for dim in load_dimensions():
        assert squash(dim["label"][lang]) in text
    for word in letters:
        assert word in text


@pytest.mark.parametrize(("code", "lang"), [("MK07", "fi"), ("MK15", "sv")])
def test_every_page_renders_to_png(frames, warehouse, tmp_path, code, lang):
    latest_score_year(warehouse)
    _, data = _brief(frames, code, lang)
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    pngs = render_pages(path, tmp_path)
    assert len(pngs) == len(pypdf.PdfReader(path).pages)
    for png in pngs:
        with Image.open(png) as image:
            assert image.size[1] > image.size[0]  # portrait
            dark = sum(1 for px in image.convert("L").tobytes() if px < 128)
            assert dark > 500, f"{png.name} looks blank"


def test_the_font_is_embedded_dejavu(frames, warehouse):
    latest_score_year(warehouse)
    _, data = _brief(frames, "MK07", "sv")
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in f for f in fonts)


def test_a_long_brief_is_compacted_to_two_pages(frames, warehouse):
    latest_score_year(warehouse)
    content = build_content(frames, "MK07", "fi")
    many = tuple(f"Vahvuus – mittari {i}: {i} pistettä (koko maa 40, vertaisalueet 45)."
                 for i in range(30))
    long = dataclasses.replace(content, strengths=many, weaknesses=many)
    data = rpdf.pdf_bytes(long, brief_charts(content))
    pages = pdf_pages(data)
    assert len(pages) == 2
    text = squash(" ".join(pages))
    left_out = [int(n) for n in re.findall(r"… ja (\d+) muuta", text)]
    assert len(left_out) == 2  # strengths and weaknesses were both shortened, and say so
    shown = len(re.findall(r"Vahvuus – mittari \d+:", text))
    assert shown + left_out[0] + left_out[1] == 60


def test_a_brief_that_cannot_fit_raises(frames, warehouse):
    latest_score_year(warehouse)
    content = build_content(frames, "MK07", "fi")
    table = content.key_table_print
    huge = dataclasses.replace(content, key_table_print=dataclasses.replace(
        table, rows=table.rows * 12))
    with pytest.raises(rpdf.BriefTooLong, match="at most 2"):
        rpdf.pdf_bytes(huge, brief_charts(content))


def test_a_brief_without_scores_says_no_data(tmp_path):
    frames = load_frames(unscored_warehouse(tmp_path / "wh.duckdb"))
    content = build_content(frames, "MK07", "fi")
    data = rpdf.pdf_bytes(content)
    text = squash(" ".join(pdf_pages(data)))
    assert 1 <= len(pdf_pages(data)) <= 2
    assert "Päijät-Häme" in text
    assert "Päijät-Hämeen pisteitä vuodelta" in text
    assert "Elinvoimaindeksi –" in text


def test_missing_fonts_give_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(rpdf, "REGULAR_FONT", tmp_path / "nope.ttf")
    with pytest.raises(FileNotFoundError, match="nope.ttf"):
        rpdf.check_fonts()


def _font_sizes(data: bytes) -> set[float]:
    """Return every text size (pt) the PDF's pages set (the 'Tf' operators)."""
    sizes = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        sizes |= {float(s) for s in re.findall(r"/F\d+\s+([\d.]+)\s+Tf", content)}
    return sizes


def test_the_type_is_never_tiny(frames, alke_frames):
    """Room is made by design: body text 7.5 pt, tables 7 pt, notes and sources 6.4 pt."""
    from presentation.alke import build_alke_picture

    for code, lang in (("MK01", "en"), ("MK19", "fi")):  # Uusimaa's is the longest brief
        content = build_content(frames, code, lang)
        alke = build_alke_picture(alke_frames, code, lang, 2026)
        data = rpdf.pdf_bytes(content, alke=alke)
        assert len(pdf_pages(data)) == 2
        sizes = _font_sizes(data)
        assert min(sizes) >= rpdf.NOTE == 6.4, sorted(sizes)
        assert rpdf.BODY >= 7.5 and rpdf.TABLE >= 7.0


def test_a_long_own_text_fills_page_3_and_leaves_the_rest_to_the_page(frames, alke_frames,
                                                                      tmp_path):
    from test_assessment_view import filled, write

    from presentation.alke import build_alke_picture

    long = "Maakunnan kehitys on ollut vaihtelevaa, ja väestö vähenee. " * 12
    write(tmp_path, filled(extra="\n\n".join([long] * 25)))
    content = build_content(frames, "MK12", "fi")
    alke = build_alke_picture(alke_frames, "MK12", "fi", 2026, tmp_path)
    pages = [squash(p) for p in pdf_pages(rpdf.pdf_bytes(content, alke=alke))]
    assert len(pages) == 3
    assert "Maakunnan oma arvio: sivulla 3." in pages[1]
    assert pages[2].startswith("Maakunnan oma arvio Tämä on maakunnan oma teksti")
    left = re.search(r"Loput tekstistä \((\d+) kappaletta tai luettelon kohtaa\)", pages[2])
    assert left and 0 < int(left.group(1)) < 26  # what did not fit is counted, never cut
    assert "Nopea tilannekuva" not in pages[2] and "Lähteet" not in pages[2]

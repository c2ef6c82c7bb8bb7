"""The region's own assessment: file format, validation, plain-text blocks, the template.

The sample texts are written by the tests into temporary folders and are not assessments of any
region; the repository ships no assessment text.
"""

from __future__ import annotations

import datetime as dt

import pytest

from indicators import assessments as A
from indicators.catalog import dimension_ids

SAMPLE_TEXT = "Testiteksti {n} (ei maakunnan arvio)."


def filled_template(region="MK12", year="2026", date="2026-10-30", text=True) -> str:
    """Return TEMPLATE.md with its header filled and a test sentence in every section."""
    out = A.TEMPLATE.read_text(encoding="utf-8")
    out = (out.replace("region: MKnn", f"region: {region}").replace("year: VVVV", f"year: {year}")
           .replace("date: VVVV-KK-PP", f"date: {date}")
           .replace("organisation: Maakuntaliiton nimi", "organisation: Testiorganisaatio"))
    if text:
        lines, n = [], 0
        for line in out.splitlines():
            lines.append(line)
            if line.startswith("## "):
                n += 1
                lines += ["", SAMPLE_TEXT.format(n=n)]
        out = "\n".join(lines) + "\n"
    return out


def write(root, text, year="2026", name="MK12.md"):
    path = root / year / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_ships_no_assessment_text_and_every_file_is_valid():
    assert A.assessment_files() == []
    assert A.validate_folder() == []
    assert A.TEMPLATE.exists() and (A.ASSESSMENTS_DIR / "README.md").exists()


def test_template_has_every_section_in_finnish_in_order():
    text = A.TEMPLATE.read_text(encoding="utf-8")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == [h["fi"] for h in A.section_headings().values()]
    assert list(A.section_headings()) == ["overall", *dimension_ids(), "proposals"]
    for note in ("ANVISNING (sv)", "NOTE (en)"):
        assert note in text


def test_unfilled_template_is_rejected(tmp_path):
    with pytest.raises(A.AssessmentError, match="unknown region 'MKnn'"):
        A.parse_assessment(A.TEMPLATE.read_text(encoding="utf-8"), "TEMPLATE.md")
    with pytest.raises(A.AssessmentError, match="no text in any section"):
        A.parse_assessment(filled_template(text=False), "x.md")


def test_a_filled_template_loads_as_plain_text_blocks(tmp_path):
    path = write(tmp_path, filled_template())
    found = A.load_assessments(tmp_path)
    got = found[("MK12", 2026)]
    assert (got.organisation, got.date, got.language) == ("Testiorganisaatio",
                                                          dt.date(2026, 10, 30), "fi")
    assert [s.id for s in got.sections] == list(A.section_headings())
    assert got.section("overall").blocks == (A.Block("paragraph", SAMPLE_TEXT.format(n=1)),)
    assert got.section("proposals").heading == "Ehdotukset keskusteluun"
    assert all(">" not in b.text and "OHJE" not in b.text
               for s in got.sections for b in s.blocks)
    assert A.assessment_for("MK12", 2026, tmp_path) == A.load_assessment(path)
    assert A.assessment_for("MK19", 2026, tmp_path) is None
    assert A.validate_folder(tmp_path) == []


def test_paragraphs_items_other_languages_and_left_out_sections():
    text = """---
region: MK15
year: 2026
organisation: Test
date: 2026-11-02
language: sv
---
## Förslag till diskussionen
- första
  fortsätter
- andra

## helhetsbild
Rad ett
rad två.

Nytt stycke med * och _ som tecken.
"""
    got = A.parse_assessment(text, "t.md")
    assert [s.id for s in got.sections] == ["overall", "proposals"]      # file-format order
    assert got.section("overall").blocks == (
        A.Block("paragraph", "Rad ett rad två."),
        A.Block("paragraph", "Nytt stycke med * och _ som tecken."))
    assert got.section("proposals").blocks == (A.Block("item", "första fortsätter"),
                                               A.Block("item", "andra"))
    assert got.section("turvallisuus") is None and got.language == "sv"


HEADER = "---\nregion: MK12\nyear: 2026\norganisation: Test\ndate: 2026-10-30\n---\n"


@pytest.mark.parametrize("text, line, message", [
    (HEADER + "## Kokonaiskuva\nTeksti <b>lihava</b>.\n", 8, "HTML is not allowed"),
    (HEADER + "## Kokonaiskuva\n<script>alert(1)</script>\n", 8, "HTML"),
    (HEADER + "## Kokonaiskuva\nA &amp; B\n", 8, "HTML"),
    (HEADER + "## Kokonaiskuva\n<!-- piilo -->\n", 8, "HTML"),
    (HEADER + "## Talous\nTeksti\n", 7, "unknown section 'Talous'"),
    (HEADER + "## Kokonaiskuva\nA\n## Kokonaiskuva\nB\n", 9, "appears twice"),
    (HEADER + "# Otsikko\n", 7, "headings are '## '"),
    (HEADER + "### Kokonaiskuva\nA\n", 7, "headings are '## '"),
    (HEADER + "Johdanto\n## Kokonaiskuva\nA\n", 7, "text before the first"),
    (HEADER.replace("MK12", "MK03") + "## Kokonaiskuva\nA\n", 2, "unknown region 'MK03'"),
    (HEADER.replace("2026-10-30", "2026-13-01") + "## Kokonaiskuva\nA\n", 5, "not a date"),
    (HEADER.replace("2026-10-30", "30.10.2026") + "## Kokonaiskuva\nA\n", 5, "not a date"),
    (HEADER.replace("2026-10-30", "20261030") + "## Kokonaiskuva\nA\n", 5, "not a date"),
    (HEADER.replace("year: 2026", "year: 26") + "## Kokonaiskuva\nA\n", 3, "not a year"),
    (HEADER.replace("organisation: Test\n", "") + "## Kokonaiskuva\nA\n", 5, "lacks organ"),
    (HEADER.replace("date:", "author: X\ndate:") + "## Kokonaiskuva\nA\n", 5,
     "unknown header line"),
    (HEADER.replace("year: 2026", "year: 2026\nyear: 2027") + "## Kokonaiskuva\nA\n", 4,
     "given twice"),
    (HEADER.replace("---\n", "---\nlanguage: de\n", 1) + "## Kokonaiskuva\nA\n", 2,
     "language must be"),
    ("## Kokonaiskuva\nA\n", 1, "must start with a header"),
    ("---\nregion: MK12\n", 1, "not closed"),
])
def test_bad_files_name_the_file_and_line(text, line, message):
    with pytest.raises(A.AssessmentError, match=message) as caught:
        A.parse_assessment(text, "assessments/2026/MK12.md")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"assessments/2026/MK12.md:{line}: ")


def test_file_level_problems(tmp_path):
    write(tmp_path, filled_template(region="MK19"), name="MK12.md")
    write(tmp_path, filled_template(), year="2025")
    write(tmp_path, filled_template(), name="Pohjois-Karjala.md")
    write(tmp_path, filled_template(), year="vuosi")
    big = write(tmp_path, "x" * (A.MAX_BYTES + 1), name="MK01.md")
    latin = tmp_path / "2026" / "MK02.md"
    latin.write_bytes(HEADER.replace("MK12", "MK02").encode() + "## Kokonaiskuva\nTästä\n"
                      .encode("latin-1"))
    problems = "\n".join(A.validate_folder(tmp_path))
    assert "belongs at assessments/2026/MK19.md" in problems
    assert "belongs at assessments/2026/MK12.md" in problems       # the 2025 folder copy
    assert "file name must be the region code" in problems
    assert "folder must be a year" in problems
    assert f"{big}: larger than" in problems
    assert "not UTF-8" in problems and f"{latin}:" in problems
    with pytest.raises(A.AssessmentError):
        A.load_assessments(tmp_path)
    assert A.load_assessments(tmp_path / "none") == {}


def test_empty_binary_and_unreadable_files(tmp_path):
    with pytest.raises(A.AssessmentError, match="empty"):
        A.parse_assessment("\n\n", "e.md")
    with pytest.raises(A.AssessmentError, match="not text"):
        A.parse_assessment(HEADER + "## Kokonaiskuva\nA\x00\n", "b.md")
    with pytest.raises(A.AssessmentError, match="cannot be read"):
        A.load_assessment(tmp_path / "missing.md")
    bom = A.parse_assessment("\ufeff" + HEADER + "## Kokonaiskuva\nA\n", "bom.md")
    assert bom.section("overall").blocks[0].text == "A"

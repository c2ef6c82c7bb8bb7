"""The region's own assessment: plain text marked as the region's, or how to add one."""

from indicators import assessments as A
from presentation.assessment_view import build_assessment_view
from report.html import alke_html

MARKDOWN = "Kasvu on **vahvaa** ja [linkki](https://example.org) _kursiivi_ # ei otsikko"


def filled(region="MK12", year=2026, extra=MARKDOWN):
    out = A.TEMPLATE.read_text(encoding="utf-8")
    out = (out.replace("region: MKnn", f"region: {region}").replace("year: VVVV", f"year: {year}")
           .replace("date: VVVV-KK-PP", "date: 2026-11-15")
           .replace("organisation: Maakuntaliiton nimi", "organisation: Testiliitto"))
    return out.replace("## Kokonaiskuva\n", f"## Kokonaiskuva\n\n{extra}\n\n- kohta 1\n", 1)


def write(root, text, name="MK12.md"):
    path = root / "2026" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_no_file_says_where_and_how_to_add_one(tmp_path):
    view = build_assessment_view("MK12", 2026, "fi", tmp_path)
    assert not view.present and view.sections == ()
    assert "vuodelle 2026" in view.missing
    assert "assessments/2026/MK12.md" in view.how and "assessments/TEMPLATE.md" in view.how


def test_text_is_plain_and_marked_as_the_regions(tmp_path):
    write(tmp_path, filled())
    view = build_assessment_view("MK12", 2026, "fi", tmp_path)
    assert view.present
    assert "Testiliitto" in view.marker and "15.11.2026" in view.marker
    assert "maakunnan oma teksti" in view.marker
    overall = view.sections[0]
    assert overall.heading == "Kokonaiskuva"
    assert overall.blocks == (("paragraph", MARKDOWN), ("item", "kohta 1"))


def test_brief_prints_the_markdown_as_it_is(tmp_path, alke_frames):
    from presentation.alke import build_alke_picture

    write(tmp_path, filled())
    picture = build_alke_picture(alke_frames, "MK12", "fi", 2026, tmp_path)
    html = alke_html(picture)
    assert "Kasvu on **vahvaa** ja [linkki](https://example.org) _kursiivi_" in html
    assert "<strong>" not in html and 'href="https://example.org"' not in html
    assert 'class="own"' in html and "Testiliitto" in html


def test_html_in_the_file_is_refused_not_shown(tmp_path):
    write(tmp_path, filled(extra='Katso <script>alert("x")</script>'))
    view = build_assessment_view("MK12", 2026, "en", tmp_path)
    assert not view.present and view.sections == ()
    assert view.missing.startswith("The region's assessment file could not be shown")
    assert "HTML is not allowed" in view.missing


def test_items_are_grouped_into_lists_in_order(tmp_path):
    write(tmp_path, filled(extra="Eka.\n\n- a\n- b\n\nToka."))
    overall = build_assessment_view("MK12", 2026, "fi", tmp_path).sections[0]
    assert overall.runs() == (("paragraph", ("Eka.",)), ("list", ("a", "b")),
                              ("paragraph", ("Toka.",)), ("list", ("kohta 1",)))


def test_the_brief_says_add_a_text_or_correct_the_file(tmp_path):
    from report.selection import assessment_note

    none = build_assessment_view("MK12", 2026, "fi", tmp_path)
    assert not none.invalid
    assert assessment_note(none, "fi") == (
        "vuodelle 2026 ei ole vielä tekstiä – kopioi malli assessments/TEMPLATE.md tiedostoksi "
        "assessments/2026/MK12.md.")
    write(tmp_path, filled(extra="<b>lihava</b>"))
    bad = build_assessment_view("MK12", 2026, "fi", tmp_path)
    assert bad.invalid and not bad.present
    note = assessment_note(bad, "fi")
    assert note.startswith(bad.missing.rstrip("."))
    assert note.endswith("Korjaa tiedosto assessments/2026/MK12.md mallin "
                         "assessments/TEMPLATE.md mukaan.")

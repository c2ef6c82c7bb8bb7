from pathlib import Path

from presentation import tables
from ui import navigation

ROOT = Path(__file__).resolve().parent.parent


def test_pages_toml_is_valid_and_complete():
    pages = navigation.load_pages()
    assert [p["id"] for p in pages] == ["tilannekuva", "alke", "vertailu", "indikaattorit",
                                        "painotukset", "menetelma"]
    assert [p["id"] for p in pages if p.get("default")] == ["tilannekuva"]
    # no pages/ folder: it would switch Streamlit to legacy directory navigation
    assert not (ROOT / "pages").exists()
    for page in pages:
        assert (ROOT / page["file"]).is_file()
        assert set(page["title"]) == {"fi", "sv", "en"}
    assert sorted(p.name for p in (ROOT / "views").glob("*.py")) == sorted(
        Path(p["file"]).name for p in pages)  # every page file is in the list


def test_validate_pages_catches_problems():
    good = {"id": "a", "file": "app.py", "icon": ":material/map:", "default": True,
            "title": {"fi": "A", "sv": "A", "en": "A"}}
    assert navigation.validate_pages([good]) == []
    problems = navigation.validate_pages([
        good, dict(good, default=False),
        {"id": "B!", "file": "nope.py", "icon": "x", "title": {"fi": "b"}, "colour": "red"},
    ])
    text = "\n".join(problems)
    assert "duplicate page ids" in text
    assert "B!: id must be" in text
    assert "nope.py does not exist" in text
    assert "B!: title must have" in text
    assert "unknown field 'colour'" in text
    assert navigation.validate_pages([dict(good, default=False)]) == [
        "exactly one page must have default = true"]


def test_links_are_https():
    links = tables.load_links()
    assert links["licence"]["CC BY 4.0"].startswith("https://creativecommons.org/")
    assert all(u.startswith("https://") for table in links.values() for u in table.values())

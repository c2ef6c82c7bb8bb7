import ast
import re
from pathlib import Path

import pytest

from presentation import i18n

ROOT = Path(__file__).resolve().parent.parent
# The app, the presentation layer and the printable brief share one string table.
CODE = [ROOT / "app.py", *(path for package in ("ui", "views", "presentation", "report")
                           for path in sorted((ROOT / package).glob("*.py")))]
KEY = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")


def literal_keys() -> dict[str, set[str]]:
    """Every string literal in the app's code that looks like a UI-string key, by file."""
    sections = {k.split(".")[0] for k in i18n.load_strings()}
    found: dict[str, set[str]] = {}
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and KEY.match(node.value) and node.value.split(".")[0] in sections:
                found.setdefault(node.value, set()).add(path.name)
    return found


def test_every_key_has_all_three_languages_and_same_placeholders():
    assert i18n.validate_strings(i18n.load_strings()) == []
    for texts in i18n.load_strings().values():
        assert set(texts) == {"fi", "sv", "en"}


def test_every_key_used_in_the_code_exists():
    used = literal_keys()
    assert len(used) > 100  # the scan really finds the keys
    missing = {k: sorted(files) for k, files in used.items() if not i18n.has(k)}
    assert missing == {}


def test_every_key_in_the_table_is_used():
    unused = sorted(set(i18n.load_strings()) - set(literal_keys()))
    assert unused == []


def test_scan_sees_translator_calls_in_pages():
    used = literal_keys()
    assert "views/tilannekuva.py" not in used  # keys are names, not paths
    assert "region.py" in used["region.subtitle"]
    assert "shell.py" in used["sidebar.region"]


def test_validate_strings_catches_problems():
    problems = i18n.validate_strings({
        "a.missing_sv": {"fi": "x", "en": "y"},
        "a.empty": {"fi": "x", "sv": " ", "en": "y"},
        "a.placeholder": {"fi": "{n} kpl", "sv": "{m} st", "en": "{n} pcs"},
        "a.ok": {"fi": "{n}", "sv": "{n}", "en": "{n}"},
    })
    assert len(problems) == 3
    assert any("a.missing_sv" in p for p in problems)
    assert any("a.empty" in p for p in problems)
    assert any("a.placeholder" in p for p in problems)


def test_t_formats_and_fails_loudly():
    assert i18n.t("col.rank", "fi") == "Sija"
    assert i18n.t("col.rank", "sv") == "Placering"
    assert i18n.t("compare.subtitle", "en", year=2021, n=18, total=19) == (
        "Year 2021 · 18 of 19 regions ranked")
    with pytest.raises(KeyError):
        i18n.t("no.such_key", "fi")
    with pytest.raises(ValueError):
        i18n.t("col.rank", "de")
    assert i18n.t("col.year", "sv") == "År"


def test_texts_are_plain_text():
    for key, texts in i18n.load_strings().items():
        for lang, text in texts.items():
            assert "<" not in text, (key, lang)  # no HTML
            assert "**" not in text and "](" not in text, (key, lang)  # no Markdown


def test_finnish_texts_name_regions_by_their_inflected_forms():
    """'alueen Lappi pisteet' reads badly: a region's name in running text is inflected."""
    for key, texts in i18n.load_strings().items():
        assert "alueen {region}" not in texts["fi"] and "Alueelle {region}" not in texts["fi"], key

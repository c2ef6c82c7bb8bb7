from pathlib import Path

from ui import methodology

DOC = """# Title

Intro both.

## Suomeksi

### 1. Sääntö
Teksti.

## In English

### 1. Rule
Text.

## Examples

```pycon
>>> 1 + 1
2
```
"""


def test_split_sections():
    parts = methodology.split_sections(DOC)
    assert [h for h, _ in parts] == ["", "Suomeksi", "In English", "Examples"]
    assert parts[1][1].startswith("### 1. Sääntö")


def test_for_language_picks_one_language_and_keeps_the_appendix():
    fi, appendix = methodology.for_language(DOC, "fi")
    assert "Sääntö" in fi and "Rule" not in fi and "Intro both." in fi
    assert appendix.startswith("## Examples") and ">>> 1 + 1" in appendix
    en, _ = methodology.for_language(DOC, "en")
    assert "Rule" in en and "Sääntö" not in en
    sv, _ = methodology.for_language(DOC, "sv")
    assert sv == en


def test_the_real_document_has_both_languages():
    text = (Path(__file__).resolve().parent.parent / "docs" / "methodology.md").read_text(
        encoding="utf-8")
    fi, _ = methodology.for_language(text, "fi")
    en, _ = methodology.for_language(text, "en")
    assert "Normalisointi" in fi and "Normalisation" in en
    assert "$" not in fi + en  # Streamlit Markdown would start LaTeX

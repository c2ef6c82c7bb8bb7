from pathlib import Path

from presentation import methodology

DOC = """# Title

Intro both.

## Suomeksi

### 1. Sääntö
Teksti.

## På svenska

### 1. Regel
Text på svenska.

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
    assert [h for h, _ in parts] == ["", "Suomeksi", "På svenska", "In English", "Examples"]
    assert parts[1][1].startswith("### 1. Sääntö")


def test_for_language_picks_one_language_and_keeps_the_appendix():
    fi, appendix = methodology.for_language(DOC, "fi")
    assert "Sääntö" in fi and "Rule" not in fi and "Regel" not in fi and "Intro both." in fi
    assert appendix.startswith("## Examples") and ">>> 1 + 1" in appendix
    en, _ = methodology.for_language(DOC, "en")
    assert "Rule" in en and "Sääntö" not in en and "Regel" not in en
    sv, sv_appendix = methodology.for_language(DOC, "sv")
    assert "Regel" in sv and "Text på svenska." in sv and "Intro both." in sv
    assert "Rule" not in sv and "Sääntö" not in sv
    assert sv_appendix == appendix


def test_the_real_document_has_every_language():
    text = (Path(__file__).resolve().parent.parent / "docs" / "methodology.md").read_text(
        encoding="utf-8")
    fi, _ = methodology.for_language(text, "fi")
    sv, _ = methodology.for_language(text, "sv")
    en, _ = methodology.for_language(text, "en")
    assert "Normalisointi" in fi and "Normalisering" in sv and "Normalisation" in en
    assert "### 1. Metodversion och val" in sv and "### 10. Till datalagret" in sv
    assert "Normalisation" not in sv and "Normalisointi" not in sv
    assert "$" not in fi + sv + en  # Streamlit Markdown would start LaTeX

"""The EU twins section of docs/methodology.md: in fi, sv and en, naming every rule function."""

import inspect

import pytest
from test_methodology_doc import LANGUAGE_HEADINGS, sections

import indicators.twins

HEADINGS = {"fi": "### 14. EU-kaksoset", "sv": "### 14. EU-tvillingar", "en": "### 14. EU twins"}


def twin_section(lang: str) -> str:
    """Return the EU twins section of one language part (up to the next heading)."""
    part = sections()[lang]
    start = part.index(HEADINGS[lang])
    rest = part[start + len(HEADINGS[lang]):]
    ends = [i for i in (rest.find("\n### "), rest.find("\n## ")) if i >= 0]
    return rest[: min(ends)] if ends else rest


def rule_functions() -> list[str]:
    return sorted(name for name, obj in vars(indicators.twins).items()
                  if inspect.isfunction(obj) and obj.__module__ == "indicators.twins"
                  and not name.startswith("_"))


@pytest.mark.parametrize("lang", sorted(LANGUAGE_HEADINGS))
def test_twins_section_names_every_rule_and_the_warehouse_table(lang):
    text = twin_section(lang)
    missing = [f for f in rule_functions() if f"`{f}`" not in text]
    assert not missing, f"{HEADINGS[lang]} lacks {missing}"
    for name, value in vars(indicators.twins).items():
        if name.startswith("TWIN_") and isinstance(value, str | int | float | tuple):
            assert f"`{name} = {value!r}`" in text
    assert "`eu_twins`" in text and "indicators/eu_variables.toml" in text
    marks = {"fi": "*Esimerkki.*", "sv": "*Exempel.*", "en": "*Example.*"}
    assert text.count(marks[lang]) == 3          # three worked examples in each language


def test_every_structural_variable_is_described_in_every_language():
    words = {"fi": ("BKT", "väestötiheys", "vanhushuoltosuhde", "lasten huoltosuhde"),
             "sv": ("BNP", "befolkningstäthet", "för äldre", "för unga"),
             "en": ("GDP", "population density", "old-age", "young-age")}
    assert len(indicators.twins.role_variables("structure")) == 4
    for lang, needed in words.items():
        text = twin_section(lang).lower()
        assert all(w.lower() in text for w in needed), lang

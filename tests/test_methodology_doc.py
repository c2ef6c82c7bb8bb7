"""The methodology document must state every rule of the code, in Finnish, Swedish and English."""

import doctest
import inspect
import re
from pathlib import Path

import pytest

import indicators.aggregate
import indicators.alerts
import indicators.changes
import indicators.fast
import indicators.goalposts
import indicators.industry
import indicators.method
import indicators.normalise
import indicators.panel
import indicators.peers
import indicators.scoring
import indicators.strengths
import indicators.twins
import indicators.uncertainty

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"
RULE_MODULES = (indicators.method, indicators.normalise, indicators.aggregate,
                indicators.uncertainty, indicators.peers, indicators.strengths, indicators.panel,
                indicators.scoring, indicators.goalposts, indicators.changes, indicators.industry,
                indicators.fast, indicators.alerts)
# Modules whose upper-case constants are rules stated with their values in every language.
CONSTANT_MODULES = (indicators.method, indicators.industry, indicators.fast, indicators.alerts)


LANGUAGE_HEADINGS = {"fi": "## Suomeksi", "sv": "## På svenska", "en": "## In English"}
CODE_HEADING = "## Laskuesimerkit koodina"


def sections():
    """Return {language: its part of the document}, each up to the next part or the code."""
    text = DOC.read_text(encoding="utf-8")
    starts = sorted((text.index(h), lang) for lang, h in LANGUAGE_HEADINGS.items())
    ends = [start for start, _ in starts[1:]] + [text.index(CODE_HEADING)]
    return {lang: text[start:end] for (start, lang), end in zip(starts, ends, strict=True)}


def rule_constants():
    constants = {}
    for module in CONSTANT_MODULES:
        for name, value in vars(module).items():
            if (name.isupper() and not name.startswith("_")
                    and isinstance(value, str | int | float | tuple)):
                assert name not in constants, f"{name} is defined in two rule modules"
                constants[name] = value
    twins = {name: value for name, value in vars(indicators.twins).items()
             if name.startswith("TWIN_") and isinstance(value, str | int | float | tuple)}
    return {**constants, **twins}


def rule_functions():
    names = set()
    for module in RULE_MODULES:
        for name, obj in vars(module).items():
            if (inspect.isfunction(obj) and obj.__module__ == module.__name__
                    and not name.startswith("_")):
                names.add(name)
    return sorted(names)


def test_there_are_rules_to_check():
    assert len(rule_constants()) >= 20
    assert len(rule_functions()) >= 20


@pytest.mark.parametrize("name", sorted(rule_constants()))
def test_every_rule_constant_is_stated_with_its_value_in_every_language(name):
    tag = f"`{name} = {rule_constants()[name]!r}`"
    for lang, part in sections().items():
        assert tag in part, f"docs/methodology.md ({LANGUAGE_HEADINGS[lang]}) lacks {tag}"


@pytest.mark.parametrize("name", rule_functions())
def test_every_rule_function_is_named_in_every_language(name):
    for lang, part in sections().items():
        assert f"`{name}`" in part, f"{LANGUAGE_HEADINGS[lang]} lacks `{name}`"


def test_every_tagged_value_in_the_document_is_the_code_value():
    constants = rule_constants()
    text = DOC.read_text(encoding="utf-8")
    tags = re.findall(r"`([A-Z][A-Z_]+) = ([^`]+)`", text)
    assert len(tags) >= len(LANGUAGE_HEADINGS) * len(constants)
    for name, value in tags:
        assert name in constants, f"the document names an unknown rule {name}"
        assert value == repr(constants[name]), f"{name}: document {value}, code {constants[name]!r}"


def test_method_names_and_default_method_id_are_in_the_document():
    default_id = indicators.method.Method().id()
    for part in sections().values():
        assert f"`{default_id}`" in part
        for name in (*indicators.method.NORMALISATIONS, *indicators.method.AGGREGATIONS):
            assert f"`{name}`" in part


def test_every_language_gives_the_same_worked_examples_in_prose():
    # Each part states the examples in prose; only the shared code part runs them (doctest).
    marks = {"fi": "*Esimerkki.*", "sv": "*Exempel.*", "en": "*Example.*"}
    parts = sections()
    counts = {lang: parts[lang].count(mark) for lang, mark in marks.items()}
    assert len(set(counts.values())) == 1 and counts["fi"] >= 10, counts
    for lang, part in parts.items():
        assert ">>>" not in part, f"{LANGUAGE_HEADINGS[lang]} holds doctest code"


def test_worked_examples_compute_what_the_document_says():
    result = doctest.testfile(str(DOC), module_relative=False, verbose=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 20
    assert result.failed == 0


def test_every_alert_rule_is_stated_with_all_its_numbers_in_every_language():
    rules = indicators.alerts.load_rules()
    for rule in rules:
        for lang, part in sections().items():
            assert f"`{rule.text()}`" in part, f"{LANGUAGE_HEADINGS[lang]} lacks {rule.id}"
    stated = re.findall(r"`(tk-alerts-[^`]+)`", DOC.read_text(encoding="utf-8"))
    assert stated and set(stated) == {rule.text() for rule in rules}

"""The methodology document must state every rule of the code, in Finnish and English."""

import doctest
import inspect
import re
from pathlib import Path

import pytest

import indicators.aggregate
import indicators.method
import indicators.normalise
import indicators.panel
import indicators.peers
import indicators.scoring
import indicators.strengths
import indicators.uncertainty

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"
RULE_MODULES = (indicators.method, indicators.normalise, indicators.aggregate,
                indicators.uncertainty, indicators.peers, indicators.strengths, indicators.panel,
                indicators.scoring)


def sections():
    text = DOC.read_text(encoding="utf-8")
    fi_start, en_start = text.index("## Suomeksi"), text.index("## In English")
    code_start = text.index("## Laskuesimerkit koodina")
    return text[fi_start:en_start], text[en_start:code_start]


def rule_constants():
    return {name: value for name, value in vars(indicators.method).items()
            if name.isupper() and not name.startswith("_")
            and isinstance(value, str | int | float | tuple)}


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
def test_every_rule_constant_is_stated_with_its_value_in_both_languages(name):
    tag = f"`{name} = {rule_constants()[name]!r}`"
    fi, en = sections()
    assert tag in fi, f"docs/methodology.md (Suomeksi) lacks {tag}"
    assert tag in en, f"docs/methodology.md (In English) lacks {tag}"


@pytest.mark.parametrize("name", rule_functions())
def test_every_rule_function_is_named_in_both_languages(name):
    fi, en = sections()
    assert f"`{name}`" in fi and f"`{name}`" in en, f"docs/methodology.md does not name `{name}`"


def test_every_tagged_value_in_the_document_is_the_code_value():
    constants = rule_constants()
    text = DOC.read_text(encoding="utf-8")
    tags = re.findall(r"`([A-Z][A-Z_]+) = ([^`]+)`", text)
    assert len(tags) >= 2 * len(constants)
    for name, value in tags:
        assert name in constants, f"the document names an unknown rule {name}"
        assert value == repr(constants[name]), f"{name}: document {value}, code {constants[name]!r}"


def test_method_names_and_default_method_id_are_in_the_document():
    fi, en = sections()
    default_id = indicators.method.Method().id()
    for part in (fi, en):
        assert f"`{default_id}`" in part
        for name in (*indicators.method.NORMALISATIONS, *indicators.method.AGGREGATIONS):
            assert f"`{name}`" in part


def test_worked_examples_compute_what_the_document_says():
    result = doctest.testfile(str(DOC), module_relative=False, verbose=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 20
    assert result.failed == 0

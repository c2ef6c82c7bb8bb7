"""Texts in Finnish, Swedish and English: t(key, lang, **fmt) over presentation/strings.toml."""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path

from indicators.catalog import LANGUAGES

DEFAULT_LANG = "fi"
STRINGS_PATH = Path(__file__).with_name("strings.toml")
__all__ = ["DEFAULT_LANG", "LANGUAGES", "has", "load_strings", "t", "validate_strings"]


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    """Flatten nested TOML tables into {'a.b': {'fi': .., 'sv': .., 'en': ..}}."""
    out: dict[str, dict[str, str]] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and any(isinstance(v, dict) for v in value.values()):
            out.update(_flatten(value, key + "."))
        elif isinstance(value, dict):
            out[key] = value
        else:
            out[key] = {"_invalid": value}
    return out


def placeholders(text: str) -> set[str]:
    """Return the names of the {placeholders} in a template."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def validate_strings(strings: dict[str, dict[str, str]]) -> list[str]:
    """Return every problem of the string table (empty list when valid).

    Checks: exactly the three languages, no empty text, same placeholders in every language.
    """
    problems = []
    for key, texts in strings.items():
        if set(texts) != set(LANGUAGES):
            problems.append(f"{key}: languages {sorted(texts)} != {list(LANGUAGES)}")
            continue
        if not all(isinstance(v, str) and v.strip() for v in texts.values()):
            problems.append(f"{key}: empty or non-text value")
            continue
        fields = {lang: placeholders(texts[lang]) for lang in LANGUAGES}
        if len({frozenset(f) for f in fields.values()}) != 1:
            problems.append(f"{key}: placeholders differ between languages {fields}")
    return problems


@cache
def load_strings(path: Path = STRINGS_PATH) -> dict[str, dict[str, str]]:
    """Return the validated strings keyed by dotted key; raise ValueError naming problems."""
    with open(path, "rb") as fh:
        strings = _flatten(tomllib.load(fh))
    problems = validate_strings(strings)
    if problems:
        raise ValueError(f"Invalid {path}:\n" + "\n".join(problems))
    return strings


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """Return the text of key in lang, formatted with fmt; KeyError/ValueError name key or lang."""
    strings = load_strings()
    if key not in strings:
        raise KeyError(f"Unknown text '{key}'")
    if lang not in LANGUAGES:
        raise ValueError(f"Unsupported language '{lang}'; use one of {LANGUAGES}")
    text = strings[key][lang]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    """Return True when key exists in the string table."""
    return key in load_strings()

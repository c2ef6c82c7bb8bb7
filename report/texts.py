"""Brief and download texts in fi/sv/en: report/strings.toml, validated like ui/strings.toml."""

from __future__ import annotations

from pathlib import Path

from ui.i18n import load_strings, lookup

STRINGS_PATH = Path(__file__).with_name("strings.toml")


def strings() -> dict[str, dict[str, str]]:
    """Return the validated report strings by dotted key (raise ValueError naming problems)."""
    return load_strings(STRINGS_PATH)


def rt(key: str, lang: str, **fmt: object) -> str:
    """Return the report text of key in lang formatted with fmt; KeyError for an unknown key."""
    return lookup(strings(), key, lang, fmt, kind="report string")

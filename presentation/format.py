"""Number, change, rank and date formatting per language (fi/sv decimal comma, thin spaces)."""

from __future__ import annotations

import math
from numbers import Real

from indicators.catalog import LANGUAGES

THIN_SPACE = "\u202f"  # narrow no-break space: thousands separator in fi/sv
NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "–"  # the visible mark for a missing value (en dash)


def is_missing(value: object) -> bool:
    """Return True when value is None, NaN or pandas NA (a figure that does not exist)."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return True  # pandas.NA raises on bool()


def _check_lang(lang: str) -> str:
    """Return lang when it is a supported language, else raise ValueError."""
    if lang not in LANGUAGES:
        raise ValueError(f"Unsupported language '{lang}'; use one of {LANGUAGES}")
    return lang


def number(value: object, decimals: int = 1, lang: str = "fi") -> str:
    """Format a number for lang: '1 234,5' (fi/sv, thin space, comma) or '1,234.5' (en).

    A missing value gives the missing mark; negative numbers use a true minus sign.
    """
    _check_lang(lang)
    if is_missing(value):
        return MISSING
    if not isinstance(value, Real):
        raise TypeError(f"Not a number: {value!r}")
    decimals = max(0, int(decimals))
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0,0"
    text = f"{abs(rounded):,.{decimals}f}"
    if lang in ("fi", "sv"):
        text = text.replace(",", THIN_SPACE).replace(".", ",")
    return (MINUS if rounded < 0 else "") + text


def signed(value: object, decimals: int = 1, lang: str = "fi") -> str:
    """Format a change with an explicit sign: '+1,2', '−0,4', '±0,0'."""
    if is_missing(value):
        return MISSING
    text = number(value, decimals, lang)
    if text.startswith(MINUS):
        return text
    return ("±" if round(float(value), max(0, int(decimals))) == 0 else "+") + text


def with_unit(value: object, unit: str, decimals: int = 1, lang: str = "fi") -> str:
    """Format a value with its unit ('12,3 %', '1 234 €/asukas'); missing gives the mark alone."""
    if is_missing(value):
        return MISSING
    text = number(value, decimals, lang)
    if not unit:
        return text
    if lang == "en" and unit.startswith("%"):
        return text + unit
    return text + NBSP + unit


def rank(value: object, total: int, lang: str = "fi") -> str:
    """Format a rank among total: '3./19' (fi), '3/19' (sv, en); missing gives the mark."""
    _check_lang(lang)
    if is_missing(value):
        return MISSING
    r = int(value)
    return f"{r}./{total}" if lang == "fi" else f"{r}/{total}"


def rank_interval(low: object, high: object) -> str:
    """Format a rank interval as '2–5' (or '3' when both ends are equal); missing gives the mark."""
    if is_missing(low) or is_missing(high):
        return MISSING
    lo, hi = int(low), int(high)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def year(value: object) -> str:
    """Format a year without thousands separators; missing gives the mark."""
    if is_missing(value):
        return MISSING
    return str(int(value))


def date(iso_text: object, lang: str = "fi") -> str:
    """Format an ISO date or timestamp text as a date in lang ('3.2.2025', '2025-02-03')."""
    _check_lang(lang)
    if is_missing(iso_text) or not str(iso_text).strip():
        return MISSING
    text = str(iso_text).strip()
    day_part = text[:10]
    try:
        y, m, d = (int(x) for x in day_part.split("-"))
    except ValueError:
        return text
    if lang == "fi":
        return f"{d}.{m}.{y}"
    if lang == "sv":
        return f"{d}.{m}.{y}"
    return f"{y}-{m:02d}-{d:02d}"

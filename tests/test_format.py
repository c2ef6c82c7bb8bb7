import math

import pandas as pd
import pytest

from presentation import format as fmt

NNBSP = "\u202f"


@pytest.mark.parametrize(("value", "decimals", "lang", "expected"), [
    (1234.5, 1, "fi", f"1{NNBSP}234,5"),
    (1234.5, 1, "sv", f"1{NNBSP}234,5"),
    (1234.5, 1, "en", "1,234.5"),
    (1234567.891, 2, "fi", f"1{NNBSP}234{NNBSP}567,89"),
    (0.05, 1, "fi", "0,1"),
    (12, 0, "en", "12"),
    (-3.25, 1, "fi", "\u22123,2"),  # true minus sign; banker's rounding of 3.25 -> 3.2
    (-0.04, 1, "fi", "0,0"),  # never "−0,0"
    (999.96, 1, "en", "1,000.0"),
])
def test_number_per_language(value, decimals, lang, expected):
    assert fmt.number(value, decimals, lang) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, math.nan])
def test_missing_is_the_mark_never_zero(missing):
    assert fmt.number(missing, 1, "fi") == fmt.MISSING
    assert fmt.with_unit(missing, "%", 1, "fi") == fmt.MISSING
    assert fmt.signed(missing) == fmt.MISSING
    assert fmt.rank(missing, 19) == fmt.MISSING
    assert fmt.year(missing) == fmt.MISSING
    assert fmt.MISSING != "0"


def test_number_rejects_bad_input():
    with pytest.raises(ValueError):
        fmt.number(1.0, 1, "de")
    with pytest.raises(TypeError):
        fmt.number("12", 1, "fi")


def test_signed_changes():
    assert fmt.signed(1.23, 1, "fi") == "+1,2"
    assert fmt.signed(-0.4, 1, "en") == "\u22120.4"
    assert fmt.signed(0.0, 1, "fi") == "±0,0"
    assert fmt.signed(0.01, 1, "fi") == "±0,0"


def test_with_unit():
    assert fmt.with_unit(12.345, "%", 1, "fi") == "12,3\u00a0%"
    assert fmt.with_unit(12.345, "%", 1, "en") == "12.3%"
    assert fmt.with_unit(41234, "€/asukas", 0, "fi") == f"41{NNBSP}234\u00a0€/asukas"
    assert fmt.with_unit(3.0, "", 1, "sv") == "3,0"


def test_rank_and_interval():
    assert fmt.rank(3, 19, "fi") == "3./19"
    assert fmt.rank(3.0, 19, "sv") == "3/19"
    assert fmt.rank_interval(2, 5) == "2–5"
    assert fmt.rank_interval(4, 4) == "4"
    assert fmt.rank_interval(None, 5) == fmt.MISSING


def test_date():
    assert fmt.date("2025-02-03T10:11:12+00:00", "fi") == "3.2.2025"
    assert fmt.date("2025-02-03", "en") == "2025-02-03"
    assert fmt.date(None, "fi") == fmt.MISSING
    assert fmt.date("", "fi") == fmt.MISSING
    assert fmt.date("yesterday", "fi") == "yesterday"


def test_freshness_names_build_run_and_source_dates():
    from types import SimpleNamespace

    from presentation.region import freshness

    frames = SimpleNamespace(freshness={"built_at": "2026-03-01T04:00:00", "last_run": None,
                                        "updated_min": "2025-01-02",
                                        "updated_max": "2026-02-03", "fetched_max": None})
    assert freshness(frames, "fi", "method.freshness") == (
        "Tietovarasto koottu 1.3.2026 · viimeisin tiedonhaku: ei ajoja kirjattu · "
        "lähteiden päivitykset 2.1.2025–3.2.2026")
    frames = SimpleNamespace(freshness={"built_at": None, "last_run": "2026-03-02",
                                        "updated_max": None, "fetched_max": "2026-03-02"})
    text = freshness(frames, "en", "region.subtitle", year="2024")
    assert text.startswith("Situational picture for 2024 · warehouse built –")
    assert text.endswith("sources last fetched 2026-03-02")

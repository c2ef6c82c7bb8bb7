import numpy as np
import pandas as pd

from etl.validate import Rules, validate_observations

AREAS = {"SSS", "MK01", "005", "009"}
RULES = Rules(first_year=1990, last_year=2027, max_row_drop=0.25)


def frame(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value", "flag"])


GOOD = frame([("x", "SSS", 2020, 10.0, None), ("x", "MK01", 2020, 12.0, None),
              ("x", "005", 2020, np.nan, "confidential"), ("x", "009", 2021, 0.0, None)])


def check(f, **kw):
    kw.setdefault("valid_range", (0, 100))
    return validate_observations(f, known_areas=AREAS, rules=RULES, **kw)


def test_good_rows_pass():
    assert check(GOOD) == []


def test_empty_dataset():
    assert "empty dataset" in check(GOOD.iloc[0:0])[0]


def test_all_missing():
    f = GOOD.assign(value=np.nan)
    assert any("every value is missing" in p for p in check(f))


def test_unknown_area_codes():
    f = pd.concat([GOOD, frame([("x", "MK03", 2020, 1.0, None)])])
    assert any("unknown area codes: ['MK03']" in p for p in check(f))


def test_implausible_periods():
    f = pd.concat([GOOD, frame([("x", "SSS", 1850, 1.0, None), ("x", "MK01", 2031, 1.0, None)])])
    problem = next(p for p in check(f) if "implausible periods" in p)
    assert "1850" in problem and "2031" in problem


def test_duplicates():
    f = pd.concat([GOOD, GOOD.iloc[[0]]])
    assert any("share a key (duplicates)" in p for p in check(f))


def test_values_outside_valid_range():
    f = GOOD.assign(value=[10.0, 120.0, np.nan, -1.0])
    problem = next(p for p in check(f) if "outside the valid range" in p)
    assert problem.startswith("2 values")


def test_row_count_drop_needs_force():
    assert any("row count fell from 10 to 4" in p for p in check(GOOD, previous_rows=10))
    assert check(GOOD, previous_rows=10, force=True) == []
    assert check(GOOD, previous_rows=5) == []  # a drop of 20 % is allowed


def test_monthly_counts_are_checked_before_publishing():
    from etl.validate import validate_monthly

    good = pd.DataFrame({"series_id": ["unemployed", "unemployed"], "area_code": ["SSS", "005"],
                         "month": ["2026-06", "2026-06"], "value": [352001.0, np.nan],
                         "flag": [None, "confidential"], "source_id": ["s", "s"]})
    assert validate_monthly(good, AREAS) == []
    assert validate_monthly(good.iloc[0:0], AREAS) == [
        "the source returned no monthly figures (empty dataset)"]
    bad = good.assign(area_code=["SSS", "ELY01"], value=[-1.0, 2.0])
    problems = " ".join(validate_monthly(bad, AREAS))
    assert "unknown area codes: ['ELY01']" in problems and "1 negative counts" in problems
    assert "duplicates" in " ".join(validate_monthly(pd.concat([good, good]), AREAS))

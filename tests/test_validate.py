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

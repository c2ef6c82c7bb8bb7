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


def rows(values, period, indicator="x"):
    return pd.DataFrame({"indicator_id": indicator, "area_code": list(values),
                         "period": period, "value": list(values.values()), "flag": None,
                         "source_id": "s"})


KNOWN = {"SSS", "MK01", "005", "009", "010", "016"} | {f"{i:03d}" for i in range(100, 200)}
LEVELS = ("country", "region", "subregion", "municipality")


def doubts(new, old, factor=10.0):
    from etl.validate import plausibility_problems

    return plausibility_problems(new, old, known_areas=KNOWN, levels=LEVELS,
                                 max_factor=factor)


def test_a_unit_change_of_a_published_figure_is_named():
    old = rows({"SSS": 14.2, "005": 9.0}, 2024)
    new = rows({"SSS": 0.0142, "005": 0.009}, 2024)
    problems = doubts(new, old)
    assert problems[0].startswith("2 published figures would change by more than ×10 or ÷10")
    assert "SSS 2024 14.2 → 2024 0.0142" in problems[0]
    assert doubts(rows({"SSS": 14.3, "005": 9.1}, 2024), old) == []  # a revision
    assert doubts(new, old, factor=2000) == []


def test_jumps_from_the_previous_year_count_at_higher_levels_and_for_many_municipalities():
    munis = {f"{i:03d}": 10.0 for i in range(100, 200)}
    old = rows({"SSS": 10.0, "MK01": 10.0, **munis}, 2023)
    one_muni = rows({"SSS": 10.5, "MK01": 10.2, **munis, "150": 150.0}, 2024)
    assert doubts(one_muni, old) == []  # one municipality of 100: not a unit change
    region = rows({"SSS": 10.5, "MK01": 150.0, **munis}, 2024)
    assert "from their previous year: MK01 2023 10 → 2024 150" in doubts(region, old)[0]
    many = rows({"SSS": 10.5, "MK01": 10.2,
                 **{k: (0.01 if i < 5 else v) for i, (k, v) in enumerate(munis.items())}},
                2024)
    assert "5 areas jump" in doubts(many, old)[0]


def test_figures_around_zero_are_not_compared_by_factor():
    old = rows({"SSS": -0.5, "005": 0.1}, 2023)
    new = rows({"SSS": 3.0, "005": 0.0}, 2024)
    assert doubts(new, old) == []


def test_vanished_areas_are_named_with_their_last_figure():
    old = rows({"SSS": 14.2, "005": 9.0, "009": 8.0}, 2024)
    new = rows({"SSS": 14.2, "009": 8.0}, 2024)
    assert doubts(new, old) == ["1 published figures have no row in the new load: "
                                "005 (2024: 9)"]
    newer = rows({"SSS": 14.0, "009": 8.0}, 2025)
    assert doubts(newer, old) == ["1 areas had a figure in 2024 and have none in 2025: "
                                  "005 (2024: 9)"]
    # an area no longer in today's division, or a level the source does not give, is not asked
    from etl.validate import plausibility_problems
    assert plausibility_problems(newer, old, known_areas={"SSS", "009"}, levels=LEVELS) == []
    assert plausibility_problems(newer, old, known_areas=KNOWN, levels=("country",)) == []

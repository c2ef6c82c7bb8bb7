import math

import pandas as pd
import pytest

from etl.monthly import PARTIAL_FLAG, annual_means, annual_ratio


def months(area, series, year, values):
    return [(series, area, f"{year}-{m:02d}", v) for m, v in enumerate(values, 1)]


def frame(rows):
    return pd.DataFrame(rows, columns=["series_id", "area_code", "month", "value"])


def test_complete_year_is_the_mean_of_twelve_months_and_not_flagged():
    unemployed = list(range(100, 112))          # mean 105.5
    rows = months("MK01", "unemployed", 2022, unemployed)
    rows += months("MK01", "labour_force", 2022, [1000] * 12)
    out = annual_ratio(frame(rows), "unemployed", "labour_force")
    assert len(out) == 1
    row = out.iloc[0]
    assert row["period"] == 2022 and row["months"] == 12
    assert row["value"] == pytest.approx(105.5 / 1000 * 100)
    assert row["flag"] is None


def test_a_short_year_is_flagged_partial_with_its_month_count():
    rows = months("SSS", "unemployed", 2023, [90] * 10)
    rows += months("SSS", "labour_force", 2023, [1000] * 10)
    row = annual_ratio(frame(rows), "unemployed", "labour_force").iloc[0]
    assert row["months"] == 10
    assert row["flag"] == PARTIAL_FLAG
    assert row["value"] == pytest.approx(9.0)


def test_a_missing_month_in_either_series_makes_the_year_partial():
    rows = months("MK02", "unemployed", 2021, [50] * 12)
    labour = [1000] * 12
    labour[5] = float("nan")
    rows += months("MK02", "labour_force", 2021, labour)
    row = annual_ratio(frame(rows), "unemployed", "labour_force").iloc[0]
    assert row["months"] == 11 and row["flag"] == PARTIAL_FLAG


def test_zero_denominator_gives_no_row_and_areas_stay_apart():
    rows = months("MK01", "unemployed", 2020, [10] * 12)
    rows += months("MK01", "labour_force", 2020, [0] * 12)
    rows += months("MK02", "unemployed", 2020, [20] * 12)
    rows += months("MK02", "labour_force", 2020, [400] * 12)
    out = annual_ratio(frame(rows), "unemployed", "labour_force")
    assert list(out["area_code"]) == ["MK02"]
    assert out["value"].iloc[0] == pytest.approx(5.0)


def test_means_report_months_per_series():
    rows = months("MK01", "unemployed", 2019, [1] * 12) + months("MK01", "open_vacancies", 2019,
                                                                  [3] * 7)
    out = annual_means(frame(rows), ["unemployed", "open_vacancies"])
    assert out["unemployed_months"].iloc[0] == 12
    assert out["open_vacancies_months"].iloc[0] == 7
    assert math.isclose(out["open_vacancies"].iloc[0], 3.0)


def test_bad_month_codes_are_refused():
    with pytest.raises(ValueError, match="YYYY-MM"):
        annual_ratio(frame([("unemployed", "MK01", "2022/01", 1.0)]), "unemployed",
                     "labour_force")


def test_fewer_than_half_a_year_gives_no_annual_row():
    rows = months("SSS", "unemployed", 2026, [350_000] * 5)
    rows += months("SSS", "labour_force", 2026, [2_700_000] * 5)
    rows += months("SSS", "unemployed", 2025, [300_000] * 6)
    rows += months("SSS", "labour_force", 2025, [2_700_000] * 6)
    out = annual_ratio(frame(rows), "unemployed", "labour_force")
    assert list(out["period"]) == [2025]
    assert out["flag"].iloc[0] == PARTIAL_FLAG

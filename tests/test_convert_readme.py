import pandas as pd

from etl.convert.readme import monthly_coverage, recent_table
from indicators.catalog import catalog_frame


def obs_frame(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value", "flag",
                                       "source_id"])


def test_recent_table_lists_newest_years_partial_and_context():
    obs = obs_frame([
        ("unemployment_rate", "SSS", 2022, 9.5, None, "s"),
        ("unemployment_rate", "SSS", 2023, 9.6, "partial", "s"),
        ("tertiary_education_share", "SSS", 2025, 34.5, None, "s"),
        ("no_post_basic_share", "SSS", 2025, 24.6, None, "s"),
        ("works_in_home_municipality", "SSS", 2017, 66.0, None, "s"),
        ("median_income", "SSS", 2024, None, "confidential", "s"),
    ])
    table = recent_table(obs, catalog_frame(), 2023).set_index("dimension")
    text = table.columns[-1]
    assert table.loc["elinkeinot_tyollisyys", text] == "unemployment_rate (2023 partial)"
    assert table.loc["osaaminen", text] == ("tertiary_education_share (2025), "
                                            "no_post_basic_share (2025, context)")
    assert table.loc["osaaminen", "count"] == 2
    assert table.loc["saavutettavuus", text] == "none"
    assert table.loc["hyvinvointi", "count"] == 0  # an empty confidential value is no figure


def test_monthly_coverage_counts_levels_and_suppressed_rows():
    monthly = pd.DataFrame({
        "series_id": ["unemployed"] * 4, "area_code": ["SSS", "MK12", "707", "707"],
        "month": ["2019-01", "2019-01", "2019-01", "2026-06"],
        "value": [1.0, 1.0, None, 2.0], "flag": [None, None, "confidential", None],
        "source_id": ["s"] * 4})
    levels = pd.Series({"SSS": "country", "MK12": "region", "707": "municipality"})
    row = monthly_coverage(monthly, levels).iloc[0]
    assert row["months"] == "2019-01 … 2026-06" and row["n_months"] == 2
    assert (row["country"], row["region"], row["municipality"]) == (1, 1, 1)
    assert row["confidential_rows"] == 1

import math

import pandas as pd
import pytest

from indicators.fast import (
    FAST_SERIES,
    FIGURE_COLUMNS,
    GAP_COLUMNS,
    HISTORY_COLUMNS,
    HISTORY_MONTHS,
    competition_rank,
    fast_picture,
    gap_runs,
    latest_month,
    month_range,
    shift_month,
    with_rate,
)

AREAS = pd.DataFrame({"code": ["SSS", "MK01", "MK02", "MK04", "SK011", "SK021"],
                      "level": ["country", "region", "region", "region", "subregion",
                                "subregion"]})
SERIES = pd.DataFrame({"id": ["unemployed", "labour_force", "open_vacancies",
                              "long_term_unemployed"], "decimals": [0, 0, 0, 0]})


def rows(series, area, values, flag=None):
    """Monthly rows of one series and area from {month: value}."""
    return pd.DataFrame({"series_id": series, "area_code": area, "month": list(values),
                         "value": [float(v) if v is not None else math.nan
                                   for v in values.values()],
                         "flag": flag, "source_id": "test"})


def monthly(*frames):
    return pd.concat(frames, ignore_index=True)


def figure(picture, series, area):
    frame = picture.figures
    hit = frame[(frame.series == series) & (frame.area_code == area)]
    assert len(hit) == 1, (series, area)
    return hit.iloc[0]


def two_years(area, june_2025, june_2026, may_2026=None, series="unemployed"):
    values = {"2025-06": june_2025, "2026-06": june_2026}
    if may_2026 is not None:
        values["2026-05"] = may_2026
    return rows(series, area, values)


def test_month_arithmetic():
    assert shift_month("2026-06", -12) == "2025-06"
    assert shift_month("2026-01", -1) == "2025-12"
    assert shift_month("2025-12", 1) == "2026-01"
    assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range("2026-02", "2026-01") == []
    with pytest.raises(ValueError, match="YYYY-MM"):
        shift_month("2026-13", 1)


def test_rate_is_unemployed_over_labour_force_in_the_same_month():
    data = monthly(rows("unemployed", "MK01", {"2026-06": 1000, "2026-05": 900}),
                   rows("labour_force", "MK01", {"2026-06": 8000, "2026-05": 0}))
    rate = with_rate(data)
    got = rate[rate.series_id == "unemployment_rate"].set_index("month")["value"]
    assert got["2026-06"] == pytest.approx(12.5)
    assert "2026-05" not in got.dropna().index          # a zero labour force gives no rate


def test_change_is_against_the_same_month_a_year_earlier_never_the_previous_month():
    data = monthly(two_years("MK01", 1000, 1250, may_2026=2000),
                   two_years("SSS", 10000, 11000, may_2026=12000))
    picture = fast_picture(data, SERIES, AREAS, "MK01", "2026-06")
    row = figure(picture, "unemployed", "MK01")
    assert (row.value, row.year_earlier_value, row.change) == (1250, 1000, 250)
    assert row.change_pct == pytest.approx(25.0)
    assert row.note is None
    country = figure(picture, "unemployed", "SSS")
    assert country.change_pct == pytest.approx(10.0)
    assert picture.year_earlier == "2025-06"
    assert (picture.year, picture.month_no) == (2026, 6)


def test_no_year_earlier_month_gives_no_change_and_is_never_bridged():
    # June 2025 is missing (the 2023-11…2026-05 gap): June 2023 exists but must not be used.
    data = monthly(rows("unemployed", "MK01", {"2023-06": 900, "2023-10": 950, "2026-06": 1100}),
                   rows("unemployed", "SSS", {"2023-06": 9000, "2026-06": 11000}),
                   rows("labour_force", "MK01", {"2023-06": 9000, "2026-06": 10000}),
                   rows("labour_force", "SSS", {"2023-06": 90000, "2026-06": 100000}))
    picture = fast_picture(data, SERIES, AREAS, "MK01")
    assert picture.month == "2026-06" and picture.year_earlier == "2025-06"
    for series in ("unemployed", "unemployment_rate"):
        for area in ("MK01", "SSS"):
            row = figure(picture, series, area)
            assert math.isnan(row.change) and math.isnan(row.year_earlier_value)
            assert row.note == "no_year_earlier"
    assert figure(picture, "unemployment_rate", "MK01").value == pytest.approx(11.0)
    assert pd.isna(figure(picture, "unemployed", "MK01").change_rank)


def test_ranks_among_the_level_highest_first_with_the_number_ranked():
    data = monthly(two_years("MK01", 1000, 1200), two_years("MK02", 3000, 3000),
                   two_years("MK04", 500, None), two_years("SSS", 10000, 11000),
                   two_years("SK011", 100, 150), two_years("SK021", 300, 330))
    picture = fast_picture(data, SERIES, AREAS, "MK01", "2026-06")
    row = figure(picture, "unemployed", "MK01")
    assert (row["rank"], row.n_ranked) == (2, 2)          # MK04 has no June 2026 figure
    assert (row.change_rank, row.change_n_ranked) == (1, 2)   # +20 % against MK02's 0 %
    country = figure(picture, "unemployed", "SSS")
    assert pd.isna(country["rank"]) and pd.isna(country.n_ranked)
    sub = figure(fast_picture(data, SERIES, AREAS, "SK011", "2026-06"), "unemployed", "SK011")
    assert (sub["rank"], sub.n_ranked, sub.change_rank) == (2, 2, 1)
    missing = fast_picture(data, SERIES, AREAS, "MK04", "2026-06")
    gone = figure(missing, "unemployed", "MK04")
    assert gone.note == "no_figure" and pd.isna(gone["rank"]) and gone.n_ranked == 2


def test_ranks_compare_the_shown_decimal_and_ties_share_the_best_rank():
    assert competition_rank(pd.Series([10.0, 12.0, 10.0, math.nan])).tolist()[:3] == [2, 1, 2]
    # Rates 10.04 % and 10.0 % both show 10,0 % and share the rank.
    data = monthly(rows("unemployed", "MK01", {"2026-06": 1004}),
                   rows("unemployed", "MK02", {"2026-06": 1000}),
                   rows("unemployed", "MK04", {"2026-06": 2000}),
                   rows("labour_force", "MK01", {"2026-06": 10000}),
                   rows("labour_force", "MK02", {"2026-06": 10000}),
                   rows("labour_force", "MK04", {"2026-06": 10000}),
                   rows("unemployed", "SSS", {"2026-06": 5000}))
    picture = fast_picture(data, SERIES, AREAS, "MK02")
    assert figure(picture, "unemployment_rate", "MK02")["rank"] == 2
    assert figure(fast_picture(data, SERIES, AREAS, "MK01"), "unemployment_rate",
                  "MK01")["rank"] == 2
    assert figure(picture, "unemployed", "MK02")["rank"] == 3   # counts: whole persons


def test_history_keeps_every_month_of_the_window_and_gaps_stay_gaps():
    values = {m: 1000 for m in month_range("2022-01", "2023-10")}
    values["2026-06"] = 1100
    data = monthly(rows("unemployed", "MK01", values), rows("unemployed", "SSS", values))
    picture = fast_picture(data, SERIES, AREAS, "MK01")
    history = picture.history
    assert list(history.columns) == HISTORY_COLUMNS
    mine = history[(history.series == "unemployed") & (history.area_code == "MK01")]
    assert mine.month.tolist() == month_range("2024-07", "2026-06")
    assert len(mine) == HISTORY_MONTHS
    assert mine.value.notna().sum() == 1                  # only June 2026: nothing filled
    assert mine.iloc[-1][["year", "month_no", "value"]].tolist() == [2026, 6, 1100]
    gaps = picture.gaps
    assert list(gaps.columns) == GAP_COLUMNS
    gap = gaps[(gaps.series == "unemployed") & (gaps.area_code == "MK01")].iloc[0]
    assert (gap["first"], gap["last"], gap["months"]) == ("2023-11", "2026-05", 31)
    earlier = fast_picture(data, SERIES, AREAS, "MK01", "2023-10")
    assert earlier.gaps.empty                              # the window ends before the gap
    assert earlier.history.value.notna().sum() == 2 * 22   # 2022-01…2023-10, two areas


def test_gap_runs_are_only_between_figures():
    assert gap_runs(["2023-09", "2023-10", "2026-06"]) == [("2023-11", "2026-05", 31)]
    assert gap_runs(["2026-06"]) == []
    assert gap_runs(["2020-01", "2020-03", "2020-04"]) == [("2020-02", "2020-02", 1)]


def test_confidential_figures_say_so():
    data = monthly(rows("unemployed", "SK011", {"2026-06": None}, flag="confidential"),
                   rows("unemployed", "SK011", {"2025-06": 80}),
                   rows("unemployed", "SK021", {"2026-06": 50}),
                   rows("unemployed", "SK021", {"2025-06": None}, flag="confidential"),
                   rows("unemployed", "SSS", {"2025-06": 9000, "2026-06": 10000}))
    hidden = figure(fast_picture(data, SERIES, AREAS, "SK011", "2026-06"), "unemployed", "SK011")
    assert hidden.note == "confidential" and math.isnan(hidden.value)
    before = figure(fast_picture(data, SERIES, AREAS, "SK021", "2026-06"), "unemployed", "SK021")
    assert before.note == "year_earlier_confidential" and math.isnan(before.change)


def test_series_shown_where_the_data_have_them_in_order():
    data = monthly(rows("unemployed", "MK01", {"2023-10": 1000}),
                   rows("labour_force", "MK01", {"2023-10": 10000}),
                   rows("long_term_unemployed", "MK01", {"2026-06": 400}),
                   rows("unemployed", "SSS", {"2023-10": 10000}))
    picture = fast_picture(data, SERIES, AREAS, "MK01", "2023-10")
    assert list(picture.figures.columns) == FIGURE_COLUMNS
    shown = list(dict.fromkeys(picture.figures.series))
    assert shown == ["unemployment_rate", "unemployed", "long_term_unemployed"]
    assert shown == [s for s in FAST_SERIES if s in shown]
    assert figure(picture, "long_term_unemployed", "MK01").note == "no_figure"
    assert picture.figures.area_code.tolist()[:2] == ["MK01", "SSS"]


def test_latest_month_bad_input_and_no_data():
    data = monthly(rows("unemployed", "MK01", {"2023-10": 1000, "2026-06": None}),
                   rows("unemployed", "SSS", {"2026-06": 5}))
    assert latest_month(data, "MK01") == "2023-10"        # a NULL figure is not data
    assert fast_picture(data, SERIES, AREAS, "MK01").month == "2023-10"
    with pytest.raises(ValueError, match="unknown area code 'MK99'"):
        fast_picture(data, SERIES, AREAS, "MK99")
    with pytest.raises(ValueError, match="YYYY-MM"):
        fast_picture(data, SERIES, AREAS, "MK01", "2026-6")
    nothing = fast_picture(data, SERIES, AREAS, "MK02")
    assert nothing.month is None and nothing.figures.empty and nothing.history.empty


def test_the_country_alone():
    data = monthly(two_years("SSS", 10000, 9000))
    picture = fast_picture(data, SERIES, AREAS, "SSS")
    assert picture.figures.area_code.tolist() == ["SSS"]
    assert figure(picture, "unemployed", "SSS").change_pct == pytest.approx(-10.0)


def test_bundled_june_2026_has_figures_but_no_change():
    from indicators.monthly import series_frame
    from indicators.regions import areas_frame
    from warehouse.snapshot import read_monthly

    data = read_monthly()
    picture = fast_picture(data, series_frame(), areas_frame(), "MK12")
    assert picture.month == "2026-06"
    raw = data[(data.area_code == "MK12") & (data.month == "2026-06")].set_index("series_id")
    rate = figure(picture, "unemployment_rate", "MK12")
    assert rate.value == pytest.approx(raw.at["unemployed", "value"]
                                       / raw.at["labour_force", "value"] * 100)
    assert rate.note == "no_year_earlier" and rate.n_ranked == 19
    assert set(picture.figures.series) == set(FAST_SERIES)
    october = fast_picture(data, series_frame(), areas_frame(), "MK12", "2023-10")
    before = data[(data.area_code == "MK12") & (data.month == "2022-10")
                  & (data.series_id == "unemployed")].value.iloc[0]
    row = figure(october, "unemployed", "MK12")
    assert row.year_earlier_value == before and row.note is None


def test_non_finite_values_count_as_missing():
    data = monthly(rows("unemployed", "MK01", {"2025-06": 1000, "2026-06": math.inf}),
                   rows("unemployed", "MK02", {"2025-06": 1000, "2026-06": 1100}),
                   rows("unemployed", "SSS", {"2025-06": 9000, "2026-06": 10000}))
    row = figure(fast_picture(data, SERIES, AREAS, "MK01", "2026-06"), "unemployed", "MK01")
    assert row.note == "no_figure" and math.isnan(row.value) and row.n_ranked == 1

"""Engine tests on synthetic employment frames (regions R1, R2, country SSS; figures made up),
and the alert rule run over the bundled real history (data/industry.parquet)."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators import industry
from indicators.industries import section_codes
from indicators.industry import (
    ALERT_COLUMNS,
    INDUSTRY_ALERT_MIN_PERSONS,
    INDUSTRY_ALERT_THRESHOLD,
    NoIndustryData,
    diversity_index,
    diversity_table,
    fastest,
    growth,
    industry_alerts,
    latest_year,
    location_quotients,
    profile,
    section_shares,
    top_share,
)

SECTIONS = section_codes()
DATA = Path(__file__).resolve().parent.parent / "data"


def synthetic(overrides=None, years=(2018, 2019, 2020, 2021, 2022, 2023), regions=("R1", "R2")):
    """Every region has 100 employed in each section, 50 with an unknown industry (X)."""
    overrides = overrides or {}
    rows = []
    for year in years:
        for area in regions:
            for code in (*SECTIONS, "X"):
                rows.append((area, year, code, overrides.get((area, year, code), 100.0
                                                             if code != "X" else 50.0)))
    frame = pd.DataFrame(rows, columns=["area_code", "period", "industry", "value"])
    country = frame.groupby(["period", "industry"], as_index=False)["value"].sum()
    return pd.concat([frame, country.assign(area_code="SSS")], ignore_index=True)


def test_shares_and_location_quotients():
    counts = pd.Series({"A": 20.0, "B": 30.0, "C": 50.0})
    shares = section_shares(counts)
    assert shares.tolist() == [20.0, 30.0, 50.0]
    country = pd.Series({"A": 10.0, "B": 30.0, "C": 0.0})
    lq = location_quotients(shares, country)
    assert lq["A"] == 2.0 and lq["B"] == 1.0 and math.isnan(lq["C"])
    assert section_shares(pd.Series({"A": 0.0})).isna().all()


def test_diversity_index_is_the_normalised_shannon_entropy():
    assert diversity_index([1, 1, 1, 1]) == pytest.approx(1.0)
    assert diversity_index([5, 0, 0, 0]) == 0.0
    shares = np.array([0.4, 0.3, 0.2, 0.1])
    expected = -(shares * np.log(shares)).sum() / np.log(4)
    assert diversity_index([40, 30, 20, 10]) == pytest.approx(expected)
    assert round(diversity_index([40, 30, 20, 10]), 4) == 0.9232
    # empty categories count in K: the same mass over more possible sections is less even
    assert diversity_index([40, 30, 20, 10, 0]) < diversity_index([40, 30, 20, 10])
    for bad in ([], [3], [1, np.nan], [1, -1], [0, 0]):
        assert math.isnan(diversity_index(bad))


def test_top_share_names_the_largest_sections():
    share, codes = top_share(pd.Series({"A": 10.0, "B": 40.0, "C": 30.0, "D": 20.0}), 3)
    assert share == 90.0 and codes == ("B", "C", "D")


def test_profile_against_the_country():
    data = synthetic({("R1", 2023, "C"): 500.0, ("R1", 2023, "X"): 100.0})
    p = profile(data, "R1", 2023)
    assert (p.year, p.known, p.unknown, p.employed) == (2023, 2500, 100, 2600)
    assert p.unknown_share == pytest.approx(100 / 2600 * 100)
    assert p.country_unknown_share == pytest.approx(150 / 4750 * 100)
    c = p.sections.set_index("industry").loc["C"]
    assert c.share == pytest.approx(20.0)
    assert c.country_share == pytest.approx(600 / 4600 * 100)
    assert c.lq == pytest.approx(20.0 / (600 / 4600 * 100))
    assert c.share_gap == pytest.approx(20.0 - 600 / 4600 * 100)
    assert int(c["rank"]) == 1
    assert p.sections.share.sum() == pytest.approx(100.0)     # X is not a section
    assert "X" not in set(p.sections.industry)
    assert p.concentration == pytest.approx((500 + 100 + 100) / 2500 * 100)
    assert p.concentration_sections[0] == "C"
    assert p.diversity < p.country_diversity < 1.0
    assert (p.diversity_rank, p.n_ranked) == (2, 2)
    assert p.complete


def test_profile_defaults_to_the_newest_year_of_both_area_and_country():
    data = synthetic()
    data = data[~((data.area_code == "SSS") & (data.period == 2023))]
    assert latest_year(data, "R1") == 2022
    assert profile(data, "R1").year == 2022
    with pytest.raises(NoIndustryData):
        profile(data, "R1", 2023)
    with pytest.raises(NoIndustryData):
        profile(data, "R9")


def test_a_missing_section_stays_missing():
    data = synthetic()
    data = data[~((data.area_code == "R2") & (data.period == 2023) & (data.industry == "B"))]
    p = profile(data, "R2", 2023)
    assert not p.complete
    assert math.isnan(p.diversity) and math.isnan(p.concentration)
    assert math.isnan(p.sections.set_index("industry").at["B", "value"])
    assert diversity_table(data, 2023).set_index("area_code").at["R2", "rank"] is pd.NA


def test_growth_over_one_and_five_years_never_across_a_missing_year():
    data = synthetic({("R1", 2023, "J"): 130.0, ("R1", 2018, "J"): 80.0,
                        ("R1", 2022, "F"): 125.0, ("R1", 2023, "F"): 100.0})
    one = growth(data, "R1", 2023, 1).set_index("industry")
    assert one.at["J", "change"] == 30.0 and one.at["J", "change_pct"] == pytest.approx(30.0)
    assert one.at["F", "change_pct"] == pytest.approx(-20.0)
    assert one.at["J", "country_change_pct"] == pytest.approx(15.0)
    five = growth(data, "R1", 2023, 5).set_index("industry")
    assert (five.at["J", "from_year"], five.at["J", "value_from"]) == (2018, 80.0)
    assert five.at["J", "change_pct"] == pytest.approx(62.5)
    # no 2017 figures: the 5-year change from 2022 does not fall back to 2018
    assert growth(data, "R1", 2022, 5).empty
    gap = data[data.period != 2022]
    assert growth(gap, "R1", 2023, 1).empty
    p = profile(gap, "R1", 2023)
    assert p.from_year == {1: None, 5: 2018} and p.growing[1].empty


def test_fastest_growing_and_shrinking_only_real_moves_of_ranked_sections():
    data = synthetic({("R1", 2023, "J"): 130.0, ("R1", 2023, "F"): 80.0,
                        ("R1", 2023, "K"): 110.0, ("R1", 2022, "U"): 10.0,
                        ("R1", 2023, "U"): 40.0})
    rows = growth(data, "R1", 2023, 1)
    up = fastest(rows, "up")
    assert up.industry.tolist() == ["J", "K"]          # U (+300 %) is under 1 % of the employed
    assert rows.set_index("industry").at["U", "ranked"] == np.False_
    down = fastest(rows, "down")
    assert down.industry.tolist() == ["F"]
    assert list(up.columns) == industry.GROWTH_COLUMNS
    with pytest.raises(ValueError):
        fastest(rows, "sideways")


def test_bad_employment_rows_are_refused():
    with pytest.raises(ValueError, match="lack columns"):
        profile(pd.DataFrame({"area_code": ["R1"]}), "R1", 2023)
    data = synthetic()
    with pytest.raises(ValueError, match="repeat"):
        profile(pd.concat([data, data.iloc[[0]]]), "R1", 2023)


def alert_frame(values, area="R1", code="C", years=None):
    years = years or list(range(2015, 2015 + len(values)))
    rows = [(area, y, code, v) for y, v in zip(years, values, strict=True)]
    rows += [("SSS", y, code, 10 * v) for y, v in zip(years, values, strict=True)]
    return pd.DataFrame(rows, columns=["area_code", "period", "industry", "value"])


def test_alert_rule_flags_falls_and_rises_beyond_the_threshold():
    # 2000 -> 1790 (-10.5 %) -> 1790 -> 1980 (+10.6 %) -> 1782 (-10.0 %, not more than 10 %)
    alerts = industry_alerts(alert_frame([2000, 1790, 1790, 1980, 1782]))
    assert list(alerts.columns) == ALERT_COLUMNS
    assert alerts.period.tolist() == ["2016", "2018"]
    assert alerts.direction.tolist() == ["down", "up"]
    first = alerts.iloc[0]
    assert first.series == "industry:C" and first.since == "2015" and first.level == "region"
    assert first.value == pytest.approx(-10.5) and first.baseline == 2000
    assert first.country_value == pytest.approx(-10.5)
    assert first.threshold == INDUSTRY_ALERT_THRESHOLD
    assert first.rule_id == "industry_employment_change"
    assert "min_persons=1000" in first.method and "threshold=10.0%" in first.method
    assert "SSS" not in set(alerts.area_code)


def test_tiny_sections_do_not_alert():
    small = industry_alerts(alert_frame([INDUSTRY_ALERT_MIN_PERSONS - 1, 500]))
    assert small.empty
    big = industry_alerts(alert_frame([INDUSTRY_ALERT_MIN_PERSONS, 500]))
    assert len(big) == 1


def test_no_alert_across_a_missing_year_or_for_the_unknown_industry():
    gap = alert_frame([2000, 1000], years=[2015, 2017])
    assert industry_alerts(gap).empty
    assert industry_alerts(alert_frame([2000, 1000], code="X")).empty


def test_alert_parameters_and_levels():
    data = alert_frame([2000, 1860])                              # -7 %
    assert industry_alerts(data).empty
    loose = industry_alerts(data, threshold=5.0, levels={"R1": "subregion"})
    assert len(loose) == 1 and loose.iloc[0].level == "subregion"
    assert loose.iloc[0].threshold == 5.0 and "threshold=5.0%" in loose.iloc[0].method


# The rule over the bundled real history 2007–2023 (what docs/methodology.md reports).

def real_alerts():
    return industry_alerts(pd.read_parquet(DATA / "industry.parquet"))


def test_history_counts_stated_in_the_methodology():
    alerts = real_alerts()
    per_year = alerts.groupby("period").size()
    quiet = per_year.reindex([str(y) for y in range(2010, 2020)], fill_value=0)
    assert (len(alerts), int(per_year["2009"]), int(per_year["2020"]),
            int(per_year["2021"])) == (155, 22, 36, 38)
    assert (round(float(quiet.mean()), 1), int(quiet.max())) == (4.5, 9)
    text = (Path(__file__).resolve().parent.parent / "docs" / "methodology.md").read_text(
        encoding="utf-8")
    for fact in ("155 hälytystä: 22 vuonna 2009", "36 vuonna 2020", "38 vuonna 2021",
                 "keskimäärin 4,5 vuodessa (enintään 9)", "155 larm: 22 år 2009", "36 år 2020",
                 "38 år 2021", "4,5 per år (högst 9)", "155 alerts in all: 22 in 2009",
                 "36 in 2020", "38 in 2021", "on average 4.5 a year (at most\n9)"):
        assert fact in text, fact


def test_history_flags_the_2009_manufacturing_fall_and_2020():
    alerts = real_alerts()
    c2009 = alerts[(alerts.series == "industry:C") & (alerts.period == "2009")]
    assert len(c2009) == 13 and set(c2009.direction) == {"down"}
    i2020 = alerts[(alerts.series == "industry:I") & (alerts.period == "2020")]
    assert len(i2020) == 17 and (i2020.country_value < -20).all()
    assert (alerts.since.astype(int) == alerts.period.astype(int) - 1).all()


def test_the_grid_the_threshold_was_chosen_from():
    data = pd.read_parquet(DATA / "industry.parquet")

    def c2009(threshold, persons):
        a = industry_alerts(data, threshold, persons)
        return int(((a.series == "industry:C") & (a.period == "2009")).sum())

    assert c2009(15.0, 1000) == 3
    quiet = industry_alerts(data, 8.0, 1000).groupby("period").size().reindex(
        [str(y) for y in range(2010, 2020)], fill_value=0)
    assert round(float(quiet.mean()), 1) == 9.3
    mk02 = data[(data.area_code == "MK02") & (data.industry == "C")].set_index("period")["value"]
    assert round((mk02[2012] / mk02[2011] - 1) * 100, 1) == -8.1

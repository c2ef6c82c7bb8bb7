import math
import tomllib

import numpy as np
import pandas as pd
import pytest

from indicators.alerts import (
    ALERT_COLUMNS,
    ALERTS_VERSION,
    EPISODE_COLUMNS,
    MONTHLY_CHANGE,
    RULE_KINDS,
    RULES_PATH,
    AlertRulesError,
    Rule,
    RuleKind,
    episodes,
    evaluate,
    inputs,
    lagged,
    load_rules,
    month_index,
    monthly_change_alerts,
    rules_for,
    rules_from_entries,
    run_lengths,
    share_move,
    trailing_mean,
    validate_rules,
)
from indicators.fast import month_range

AREAS = pd.DataFrame({"code": ["SSS", "MK01", "MK02", "SK011"],
                      "level": ["country", "region", "region", "subregion"]})
MONTHS = month_range("2010-01", "2013-12")
SIMPLE = {"series": "unemployed", "level": "region", "window_months": 1, "lag_months": 12,
          "threshold_pct": 10.0, "history_factor": 0.0, "history_months": 60,
          "min_history_months": 12, "min_change": 0.0, "persist_months": 1}


def rule(**changes):
    return Rule("test_rule", "monthly_change", {**SIMPLE, **changes})


def series(area, level_before, level_after=None, start="2012-01", months=MONTHS,
           drop=(), name="unemployed"):
    """One area's monthly figures: level_before until `start`, level_after from it."""
    after = level_before if level_after is None else level_after
    values = [after if m >= start else level_before for m in months]
    frame = pd.DataFrame({"series_id": name, "area_code": area, "month": months,
                          "value": np.array(values, dtype=float), "flag": None,
                          "source_id": "test"})
    return frame[~frame.month.isin(drop)]


def data(*frames):
    return pd.concat(frames, ignore_index=True)


def flagged(frame, area="MK01"):
    return frame[frame.area_code == area].period.tolist()


# --- Rule edges on synthetic frames -------------------------------------------------------


def test_just_above_the_threshold_alerts_just_below_does_not():
    country = series("SSS", 10000)
    above = monthly_change_alerts(rule(), data(country, series("MK01", 1000, 1101)), AREAS)
    assert flagged(above) == month_range("2012-01", "2012-12")   # 12 months of +10.1 %
    assert set(above.direction) == {"up"}
    below = monthly_change_alerts(rule(), data(country, series("MK01", 1000, 1099)), AREAS)
    assert below.empty


def test_the_country_moving_too_is_no_alert_and_the_test_is_on_the_share():
    # Both +10 %: the area's share of the country did not move.
    same = data(series("SSS", 10000, 11000), series("MK01", 1000, 1100))
    assert monthly_change_alerts(rule(), same, AREAS).empty
    # +16 % against +5 %: the share moved 1.16 / 1.05 − 1 = +10.5 % -> alert.
    more = monthly_change_alerts(rule(), data(series("SSS", 10000, 10500),
                                              series("MK01", 1000, 1160)), AREAS)
    row = more.iloc[0]
    assert row.gap == pytest.approx((1.16 / 1.05 - 1) * 100)
    assert (row.value, row.country_value) == (pytest.approx(16.0), pytest.approx(5.0))
    # +15 % against +5 %: 10 percentage points, but the share moved only +9.5 % -> no alert.
    less = data(series("SSS", 10000, 10500), series("MK01", 1000, 1150))
    assert monthly_change_alerts(rule(), less, AREAS).empty


def test_positive_moves_alert_too_as_down():
    found = monthly_change_alerts(rule(), data(series("SSS", 10000), series("MK01", 1000, 880)),
                                  AREAS)
    assert set(found.direction) == {"down"} and len(found) == 12
    assert found.gap.iloc[0] == pytest.approx(-12.0)
    # Falling 5 % while the country falls 20 % is a move up against the country.
    relative = monthly_change_alerts(rule(), data(series("SSS", 10000, 8000),
                                                  series("MK01", 1000, 950)), AREAS)
    assert set(relative.direction) == {"up"}
    assert relative.value.iloc[0] == pytest.approx(-5.0)


def test_a_row_says_what_moved_how_much_since_when_and_why():
    found = monthly_change_alerts(rule(), data(series("SSS", 10000), series("MK01", 1000, 1200)),
                                  AREAS)
    assert list(found.columns) == ALERT_COLUMNS
    row = found.iloc[0]
    assert (row.area_code, row.level, row.rule_id, row.series) == ("MK01", "region", "test_rule",
                                                                 "unemployed")
    assert (row.period, row.since, row.threshold) == ("2012-01", "2011-01", 10.0)
    assert row.value == pytest.approx(20.0) and row.country_value == pytest.approx(0.0)
    assert row.method.startswith(f"{ALERTS_VERSION}:test_rule:monthly_change ")
    assert "threshold_pct=10.0" in row.method and "window_months=1" in row.method


def test_gaps_are_never_bridged():
    country = series("SSS", 10000)
    # The area's figure of 2011-06 is missing: no change for 2012-06, the other months alert.
    found = monthly_change_alerts(rule(), data(country, series("MK01", 1000, 1200,
                                                               drop=("2011-06",))), AREAS)
    assert "2012-06" not in flagged(found) and len(flagged(found)) == 11
    # A missing country month: no comparison that month.
    found = monthly_change_alerts(rule(), data(series("SSS", 10000, drop=("2012-03",)),
                                               series("MK01", 1000, 1200)), AREAS)
    assert "2012-03" not in flagged(found) and len(flagged(found)) == 11
    # A three-month window needs all three months at both ends.
    found = monthly_change_alerts(rule(window_months=3), data(
        country, series("MK01", 1000, 1200, start="2011-11", drop=("2012-05",))), AREAS)
    assert not {"2012-05", "2012-06", "2012-07"} & set(flagged(found))
    assert "2012-04" in flagged(found) and "2012-08" in flagged(found)


def test_a_gap_breaks_the_run_of_months_in_a_row():
    country = series("SSS", 10000)
    found = monthly_change_alerts(rule(persist_months=3), data(
        country, series("MK01", 1000, 1200, drop=("2011-06",))), AREAS)
    # Jan–May 2012 alert from March; after the missing June the run starts again in July.
    assert flagged(found) == ["2012-03", "2012-04", "2012-05", "2012-09", "2012-10", "2012-11",
                              "2012-12"]


def test_persistence_needs_the_months_in_a_row():
    until = month_range("2010-01", "2012-12")      # the year after (back down) is not looked at
    country = series("SSS", 10000, months=until)
    # The move lasts from 2012-01 to 2012-02 only (two months of +20 %).
    two = series("MK01", 1000, 1200, start="2012-01", months=until)
    two.loc[two.month >= "2012-03", "value"] = 1000.0
    assert monthly_change_alerts(rule(persist_months=3), data(country, two), AREAS).empty
    three = series("MK01", 1000, 1200, start="2012-01", months=until)
    three.loc[three.month >= "2012-04", "value"] = 1000.0
    found = monthly_change_alerts(rule(persist_months=3), data(country, three), AREAS)
    assert flagged(found) == ["2012-03"]


def test_short_history_gives_no_alert():
    country = series("SSS", 10000)
    # Changes exist from 2011-01; with 12 months of history needed the first test is 2012-01.
    early = series("MK01", 1000, 1300, start="2011-06")
    strict = rule(history_factor=1.0, min_history_months=12)
    found = monthly_change_alerts(strict, data(country, early), AREAS)
    assert all(p >= "2012-01" for p in flagged(found))
    assert "2011-06" in flagged(monthly_change_alerts(rule(), data(country, early), AREAS))
    # Data that end before a year of history has built up raise nothing.
    short = series("MK01", 1000, 1300, start="2011-06", months=month_range("2010-01", "2011-12"))
    assert monthly_change_alerts(strict, data(series("SSS", 10000, months=short.month.tolist()),
                                              short), AREAS).empty


def test_own_history_a_volatile_area_needs_a_larger_move():
    country = series("SSS", 10000)
    # MK01 swings: its share moves ±12 % every year; MK02 is calm. Both then move +15 %.
    swing = series("MK01", 1000)
    year = swing.month.str[:4].astype(int)
    swing["value"] = np.where(year % 2 == 0, 1000.0, 1120.0)
    swing.loc[swing.month >= "2013-01", "value"] = 1000.0 * 1.15   # 2012 was 1000: +15 %
    calm = series("MK02", 1000, 1150, start="2013-01")
    strict = rule(history_factor=2.0, min_history_months=12)
    found = monthly_change_alerts(strict, data(country, swing, calm), AREAS)
    assert set(found.area_code) == {"MK02"}
    row = found.iloc[0]
    assert row.baseline == pytest.approx(0.0) and row.gap == pytest.approx(15.0)
    loose = monthly_change_alerts(rule(), data(country, swing, calm), AREAS)
    assert {"MK01", "MK02"} <= set(loose.area_code)
    usual = monthly_change_alerts(rule(history_factor=1.0, min_history_months=12),
                                  data(country, swing), AREAS)
    # 2013-01: the 24 months before moved +12 % (2011) and 1000 / 1120 − 1 = −10.7 % (2012).
    first = usual[usual.period == "2013-01"].iloc[0]
    assert first.baseline == pytest.approx((12.0 + (1 - 1000 / 1120) * 100) / 2)


def test_a_handful_of_people_in_a_small_area_is_no_alert():
    country = series("SSS", 10000)
    small = series("MK01", 50, 70)       # +40 %, but only 20 persons
    big = series("MK02", 1000, 1400)
    found = monthly_change_alerts(rule(min_change=100.0), data(country, small, big), AREAS)
    assert set(found.area_code) == {"MK02"}


def test_a_rule_evaluates_its_level_and_series_only():
    frames = data(series("SSS", 10000), series("MK01", 1000, 1500), series("SK011", 100, 200),
                  series("MK02", 1000, 1500, name="open_vacancies"))
    regional = monthly_change_alerts(rule(min_change=0.0), frames, AREAS)
    assert set(regional.area_code) == {"MK01"}
    sub = monthly_change_alerts(rule(level="subregion"), frames, AREAS)
    assert set(sub.area_code) == {"SK011"} and set(sub.level) == {"subregion"}
    assert monthly_change_alerts(rule(series="laid_off"), frames, AREAS).empty
    no_country = frames[frames.area_code != "SSS"]
    assert monthly_change_alerts(rule(), no_country, AREAS).empty


def test_hostile_values_are_missing_not_alerts():
    area = series("MK01", 1000)
    area.loc[area.month == "2012-03", "value"] = np.inf
    area.loc[area.month == "2012-04", "value"] = -np.inf
    area["value"] = area["value"].astype(object)
    area.loc[area.month == "2012-05", "value"] = "lots"
    zero = series("MK02", 0, 500)
    found = monthly_change_alerts(rule(), data(series("SSS", 10000), area, zero), AREAS)
    assert found.empty                                     # nothing moved; 0 -> 500 has no base
    assert np.isfinite(found[["value", "gap"]].to_numpy(float)).all()


# --- Helpers --------------------------------------------------------------------------------


def test_helpers():
    values = np.array([[1.0], [2.0], [np.nan], [4.0], [5.0]])
    assert np.allclose(trailing_mean(values, 2), [[np.nan], [1.5], [np.nan], [np.nan], [4.5]],
                       equal_nan=True)
    assert np.allclose(trailing_mean(values, 3, min_count=2, skip=1),
                       [[np.nan], [np.nan], [1.5], [1.5], [3.0]], equal_nan=True)
    assert np.allclose(lagged(values, 2)[2:, 0], [1.0, 2.0, np.nan], equal_nan=True)
    assert np.isnan(lagged(values, 9)).all()
    assert run_lengths(np.array([[1], [1], [0], [1]], bool))[:, 0].tolist() == [1, 2, 0, 1]
    assert share_move(np.array([25.0]), np.array([5.0]))[0] == pytest.approx(19.047619)
    assert np.isnan(share_move(np.array([5.0]), np.array([-100.0]))[0])
    assert month_index(pd.Series(["2026-06", "2025-06"])).tolist() == [2026 * 12 + 5,
                                                                      2025 * 12 + 5]
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_index(pd.Series(["2026-6"]))


# --- Rules as data --------------------------------------------------------------------------


def entry(**changes):
    return {"id": "r1", "kind": "monthly_change", **SIMPLE, **changes}


@pytest.mark.parametrize("changes, message", [
    ({"kind": "weekly_change"}, "unknown kind 'weekly_change'"),
    ({"threshold_pct": "ten"}, "'threshold_pct' must be a finite number"),
    ({"threshold_pct": 0.0}, "'threshold_pct' must be above 0"),
    ({"threshold_pct": float("nan")}, "'threshold_pct' must be a finite number"),
    ({"window_months": 1.5}, "'window_months' must be a whole number"),
    ({"window_months": 0}, "'window_months' must be at least 1"),
    ({"persist_months": True}, "'persist_months' must be a whole number"),
    ({"lag_months": 1}, "'lag_months' must be at least 12"),
    ({"lag_months": 18}, "multiple of 12"),
    ({"history_factor": -1.0}, "'history_factor' must be at least 0"),
    ({"min_history_months": 61}, "'min_history_months' (61) cannot exceed"),
    ({"series": "unemploid"}, "'series' must be one of"),
    ({"level": "country"}, "'level' must be one of"),
    ({"id": "Bad-Id"}, "id must be snake_case"),
    ({"colour": "red"}, "unknown field 'colour'"),
])
def test_bad_rules_are_refused_with_a_clear_message(changes, message):
    problems = validate_rules([entry(**changes)])
    assert any(message in p for p in problems), problems
    with pytest.raises(AlertRulesError, match="Invalid alert rules"):
        rules_from_entries([entry(**changes)])


def test_missing_fields_and_duplicate_ids():
    bad = entry()
    del bad["min_change"]
    problems = validate_rules([bad, entry()])
    assert "r1: missing 'min_change'" in problems
    assert "r1: duplicate id" in problems
    assert validate_rules([]) == ["no [[rule]] entries"]
    assert validate_rules([entry()]) == []


def test_the_shipped_rules():
    rules = load_rules()
    with open(RULES_PATH, "rb") as fh:
        raw = tomllib.load(fh)["rule"]
    assert [r.id for r in rules] == [e["id"] for e in raw]
    monthly = [r for r in rules if r.kind == "monthly_change"]
    assert {(r.params["series"], r.params["level"]) for r in monthly} == {
        ("unemployed", "region"), ("unemployed", "subregion"),
        ("open_vacancies", "region"), ("open_vacancies", "subregion")}
    for r in monthly:
        assert r.params["lag_months"] == 12
        assert isinstance(r.params["threshold_pct"], float)
    annual = [r for r in rules if r.kind == "industry_change"]
    assert [r.id for r in annual] == ["industry_employment_change"]


def test_the_industry_rule_runs_through_the_engine_with_the_numbers_of_the_method():
    from indicators import industry

    rule = next(r for r in load_rules() if r.kind == "industry_change")
    # the rule file and the method's stated rule are the same numbers (docs/methodology.md)
    assert rule.params == {"threshold_pct": industry.INDUSTRY_ALERT_THRESHOLD,
                           "min_persons": industry.INDUSTRY_ALERT_MIN_PERSONS}
    rows = []
    for area, prev, now in (("MK01", 2000, 1790), ("MK02", 999, 400), ("MK04", 5000, 5200)):
        rows += [(area, 2019, "C", prev), (area, 2020, "C", now)]
    rows += [("SSS", 2019, "C", 7999), ("SSS", 2020, "C", 7390)]
    employment = pd.DataFrame(rows, columns=["area_code", "period", "industry", "value"])
    employment["source_id"] = "synthetic"
    areas = pd.DataFrame({"code": ["SSS", "MK01", "MK02", "MK04"],
                          "level": ["country", "region", "region", "region"]})
    found = evaluate([rule], {"industry_employment": employment}, areas)
    assert list(found["area_code"]) == ["MK01"]          # −10.5 % of 2,000; MK02 is too small
    row = found.iloc[0]
    assert row["rule_id"] == rule.id and row["series"] == "industry:C"
    assert row["period"] == "2020" and row["direction"] == "down" and row["since"] == "2019"
    assert row["value"] == pytest.approx(-10.5) and row["method"] == rule.text()


# --- The engine: evaluation, plugging in a kind, episodes -----------------------------------


def annual_kind_rows(rule, frame, areas):
    """A stand-in annual kind (like the industry rule): contract columns, no gap."""
    return pd.DataFrame({"area_code": ["MK01"], "level": ["region"], "rule_id": [rule.id],
                         "series": ["industry:C"], "period": ["2021"], "direction": ["down"],
                         "value": [-12.0], "baseline": [math.nan], "country_value": [-2.0],
                         "threshold": [10.0], "since": ["2020"], "method": [rule.text()]})


ANNUAL = RuleKind("annual_test", "industry_employment",
                  {"threshold_pct": MONTHLY_CHANGE.params["threshold_pct"]}, annual_kind_rows)


def test_evaluate_orders_rows_and_plugs_in_another_kind():
    kinds = {**RULE_KINDS, ANNUAL.name: ANNUAL}
    rules = (*rules_from_entries([entry(id="monthly_one")], kinds),
             *rules_from_entries([{"id": "industry_one", "kind": "annual_test",
                                   "threshold_pct": 10.0}], kinds))
    assert inputs(rules, kinds) == {"monthly", "industry_employment"}
    frames = {"monthly": data(series("SSS", 10000), series("MK01", 1000, 1200)),
              "industry_employment": pd.DataFrame()}
    found = evaluate(rules, frames, AREAS, kinds)
    assert list(found.columns) == ALERT_COLUMNS
    assert found.period.tolist() == sorted(found.period.tolist())
    annual = found[found.rule_id == "industry_one"].iloc[0]
    assert annual.gap == pytest.approx((0.88 / 0.98 - 1) * 100)    # filled in by the engine
    assert len(found[found.rule_id == "monthly_one"]) == 12
    with pytest.raises(AlertRulesError, match="need the frames \\['industry_employment'\\]"):
        evaluate(rules, {"monthly": frames["monthly"]}, AREAS, kinds)


def test_evaluate_refuses_a_kind_that_breaks_the_contract():
    def no_since(rule, frame, areas):
        return annual_kind_rows(rule, frame, areas).drop(columns="since")

    def sideways(rule, frame, areas):
        return annual_kind_rows(rule, frame, areas).assign(direction="sideways")

    for function, message in ((no_since, "returned no \\['since'\\]"),
                              (sideways, "directions must be")):
        kind = RuleKind("bad", "x", {}, function)
        with pytest.raises(AlertRulesError, match=message):
            evaluate([Rule("b", "bad", {})], {"x": pd.DataFrame()}, AREAS, {"bad": kind})


def test_evaluate_without_alerts_is_an_empty_frame_with_the_columns():
    found = evaluate([rule()], {"monthly": data(series("SSS", 10), series("MK01", 1))}, AREAS)
    assert found.empty and list(found.columns) == ALERT_COLUMNS


def test_episodes_group_consecutive_periods():
    found = monthly_change_alerts(rule(persist_months=1), data(
        series("SSS", 10000), series("MK01", 1000, 1200, drop=("2011-06",))), AREAS)
    runs = episodes(found)
    assert list(runs.columns) == EPISODE_COLUMNS
    assert runs[["first", "last", "n_periods"]].values.tolist() == [
        ["2012-01", "2012-05", 5], ["2012-07", "2012-12", 6]]
    annual = pd.DataFrame({"area_code": "MK01", "level": "region", "rule_id": "a",
                           "series": "industry:C", "direction": "down",
                           "period": ["2019", "2020", "2022"], "gap": [-11.0, -15.0, -12.0],
                           "value": [-11.0, -15.0, -12.0], "country_value": 0.0})
    runs = episodes(annual)
    assert runs[["first", "last", "n_periods", "peak_period"]].values.tolist() == [
        ["2019", "2020", 2, "2020"], ["2022", "2022", 1, "2022"]]
    assert episodes(found.iloc[:0]).empty


# --- The bundled history --------------------------------------------------------------------


@pytest.fixture(scope="module")
def history():
    from indicators.regions import areas_frame
    from warehouse.snapshot import read_monthly

    frames = {"monthly": read_monthly()}
    return evaluate(rules_for(frames), frames, areas_frame())


def test_only_the_rules_whose_data_are_given_are_evaluated():
    kinds = {r.kind for r in rules_for({"monthly": pd.DataFrame()})}
    assert kinds == {"monthly_change"}
    both = rules_for({"monthly": pd.DataFrame(), "industry_employment": pd.DataFrame()})
    assert {r.kind for r in both} == {"monthly_change", "industry_change"}
    assert rules_for({}) == ()


def test_every_bundled_alert_meets_its_rule(history):
    assert len(history) > 0
    rules = {r.id: r for r in load_rules()}
    for rule_id, rows in history.groupby("rule_id"):
        p = rules[rule_id].params
        assert (rows.gap.abs() >= p["threshold_pct"]).all()
        assert (rows.gap.abs() >= p["history_factor"] * rows.baseline - 1e-9).all()
        assert np.allclose(rows.gap, share_move(rows.value.to_numpy(),
                                                rows.country_value.to_numpy()))
        assert ((rows.gap > 0) == (rows.direction == "up")).all()
        assert set(rows.level) == {p["level"]}
    assert not history.duplicated(["area_code", "rule_id", "series", "period"]).any()


def test_june_2026_raises_no_alert_without_june_2025(history):
    assert history.period.max() <= "2023-10"
    assert not history.period.between("2023-11", "2026-12").any()


def test_a_known_event_salo_2009_and_2012(history):
    # Salo (SK022): Nokia's electronics plant; unemployment rose far more than the country's.
    salo = history[(history.area_code == "SK022") & (history.rule_id == "unemployed_subregion")]
    years = set(salo[salo.direction == "up"].period.str[:4])
    assert {"2009", "2012"} <= years


def test_the_warehouse_stores_the_alerts(warehouse, history):
    from warehouse import query

    con = query.connect(warehouse)
    try:
        stored = query.alerts(con)
        monthly = stored[stored.period.str.len() == 7]        # 'YYYY-MM'; annual rules 'YYYY'
        assert len(monthly) == len(history)
        assert list(stored.columns) == ALERT_COLUMNS
        industry = stored[stored.rule_id == "industry_employment_change"]
        assert len(industry) > 0 and industry.series.str.startswith("industry:").all()
        assert set(industry.period.str.len()) == {4}
        salo = query.alerts(con, area_code="SK022", rule_id="unemployed_subregion")
        assert set(salo.area_code) == {"SK022"} and len(salo) > 0
        month = query.alerts(con, period="2020-07")
        assert set(month.period) == {"2020-07"}
    finally:
        con.close()

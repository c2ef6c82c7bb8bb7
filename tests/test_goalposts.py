"""Goalposts are fixed per method version in indicators/goalposts.toml (tests of the mechanism)."""

import math

import numpy as np
import pandas as pd
import pytest

from indicators.goalposts import (
    GOALPOST_COLUMNS,
    GOALPOSTS_PATH,
    GoalpostsError,
    derive_goalposts,
    goalposts_command,
    goalposts_differ,
    goalposts_text,
    load_goalposts,
    parse_goalposts,
    write_goalposts,
)
from indicators.method import GOALPOST_MARGIN, METHOD_VERSION
from indicators.scoring import NO_BREAKS, score_panel

AREAS = pd.DataFrame({"code": ["SSS", "MK01", "MK02", "MK03"],
                      "level": ["country", "region", "region", "region"]})
INDICATORS = pd.DataFrame({"id": ["a", "b", "population_density"],
                           "dimension": ["osaaminen", "osaaminen", "elinymparisto"],
                           "direction": ["higher_better", "lower_better", "higher_better"],
                           "goalpost_low": [np.nan, 0.0, np.nan],
                           "goalpost_high": [np.nan, 50.0, np.nan]})


def observations(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value", "flag"])


ROWS = observations(
    [("a", code, year, x + (year - 2010), None)
     for year in (2010, 2011) for code, x in (("MK01", 10.0), ("MK02", 20.0), ("MK03", 30.0),
                                             ("SSS", 99.0))]
    + [("a", "MK01", 2030, 500.0, None),                       # after the reference years
       ("b", "MK01", 2010, 5.0, None), ("b", "MK02", 2010, 6.0, None),
       ("a", "MK02", 2012, 999.0, "partial")]                  # never a figure
    + [("population_density", code, 2010, x, None)
       for code, x in (("MK01", 2.0), ("MK02", 20.0), ("MK03", 200.0))])


def test_derived_goalposts_come_from_the_reference_years_and_the_catalog():
    got = derive_goalposts(ROWS, INDICATORS, AREAS, reference=(2000, 2025)).set_index(
        "indicator_id")
    span = 31.0 - 10.0                                          # regions 10..31 in 2010-2011
    assert got.loc["a", "low"] == pytest.approx(10.0 - GOALPOST_MARGIN * span)
    assert got.loc["a", "high"] == pytest.approx(31.0 + GOALPOST_MARGIN * span)
    assert (got.loc["a", "reference_first"], got.loc["a", "reference_last"]) == (2010, 2011)
    assert (got.loc["b", "low"], got.loc["b", "high"], got.loc["b", "origin"]) == (
        0.0, 50.0, "catalog")
    log_span = math.log(200) - math.log(2)
    assert got.loc["population_density", "scale"] == "log"
    assert got.loc["population_density", "low"] == pytest.approx(
        math.exp(math.log(2) - GOALPOST_MARGIN * log_span))
    narrow = derive_goalposts(ROWS, INDICATORS, AREAS, reference=(2011, 2011)).set_index(
        "indicator_id")
    assert narrow.loc["a", "reference_first"] == 2011 and "population_density" not in narrow.index


def test_the_file_round_trips_and_refuses_another_version(tmp_path):
    derived = derive_goalposts(ROWS, INDICATORS, AREAS)
    path = write_goalposts(derived, tmp_path / "goalposts.toml")
    loaded = load_goalposts(path)
    assert list(loaded.columns) == [*GOALPOST_COLUMNS, "origin"]
    assert set(loaded.method_version) == {METHOD_VERSION}
    assert goalposts_differ(loaded, derived) == []
    assert goalposts_differ(loaded, derived.assign(high=derived.high + 1)) == sorted(
        derived.indicator_id)
    with pytest.raises(GoalpostsError, match="method version 'tk-0.1'"):
        parse_goalposts(goalposts_text(derived, version="tk-0.1"))


@pytest.mark.parametrize("damage, message", [
    ("low = 1.0\nhigh = 1.0", "low < high"),
    ("low = 1.0\nhigh = 'x'", "finite numbers"),
    ("low = -1.0\nhigh = 3.0\nscale = 'log'", "above zero"),
    ("low = 1.0\nhigh = 3.0\nscale = 'cubic'", "scale must be"),
    ("low = 1.0\nhigh = 3.0\nwho = 'me'", "unknown field"),
])
def test_a_damaged_file_names_its_problem(damage, message):
    entry = dict(line.split(" = ") for line in damage.splitlines())
    base = {"low": "1.0", "high": "2.0", "scale": "'linear'", "origin": "'data'",
            "reference_first": "2010", "reference_last": "2011", **entry}
    text = (f'method_version = "{METHOD_VERSION}"\n[goalpost.a]\n'
            + "\n".join(f"{k} = {v}" for k, v in base.items()))
    with pytest.raises(GoalpostsError, match=message):
        parse_goalposts(text)
    with pytest.raises(GoalpostsError, match="not valid TOML"):
        parse_goalposts("method_version = ")


def test_a_missing_file_says_how_to_write_it(tmp_path):
    with pytest.raises(GoalpostsError, match="python -m indicators.goalposts --write"):
        load_goalposts(tmp_path / "none.toml")


def test_the_bundled_file_is_this_method_versions_and_covers_every_indicator_in_use():
    from indicators.catalog import catalog_frame, dimension_ids
    from indicators.regions import areas_frame

    file = load_goalposts(GOALPOSTS_PATH)
    assert set(file.method_version) == {METHOD_VERSION}
    assert (file.low < file.high).all() and np.isfinite(file[["low", "high"]]).all().all()
    snapshot = pd.read_parquet(GOALPOSTS_PATH.parent.parent / "data" / "observations.parquet")
    result = score_panel(snapshot, catalog_frame(), areas_frame(), dimensions=dimension_ids())
    used = result.goalposts[result.goalposts.in_use]
    assert len(used) > 10
    assert set(used.origin) == {"file"}, used[used.origin != "file"].indicator_id.tolist()
    fixed = file.set_index("indicator_id")
    for row in used.itertuples():
        assert row.low == pytest.approx(fixed.loc[row.indicator_id, "low"])


def test_scores_use_the_file_and_cap_and_flag_values_beyond_it():
    fixed = pd.DataFrame({"indicator_id": ["a"], "low": [15.0], "high": [25.0],
                          "scale": ["linear"]})
    ind = score_panel(ROWS, INDICATORS, AREAS, goalposts=fixed,
                      breaks=NO_BREAKS).indicator_scores.set_index(
        ["indicator_id", "area_code", "period"])
    assert ind.loc[("a", "MK02", 2010), "score"] == pytest.approx(50.0)      # (20-15)/10
    assert not ind.loc[("a", "MK02", 2010), "capped"]
    low = ind.loc[("a", "MK01", 2010)]
    high = ind.loc[("a", "MK03", 2011)]
    assert (low.score, low.capped) == (0.0, True) and (high.score, high.capped) == (100.0, True)


def test_adding_a_later_year_does_not_change_earlier_scores():
    fixed = derive_goalposts(ROWS, INDICATORS, AREAS)
    before = score_panel(ROWS[ROWS.period <= 2011], INDICATORS, AREAS, goalposts=fixed)
    after = score_panel(ROWS, INDICATORS, AREAS, goalposts=fixed)
    for name in ("indicator_scores", "dimension_scores"):
        old = getattr(before, name)
        new = getattr(after, name)
        new = new[new.period <= 2011].reset_index(drop=True)
        pd.testing.assert_frame_equal(old.reset_index(drop=True), new)
    later = after.indicator_scores
    assert later[(later.period == 2030) & (later.area_code == "MK01")].capped.all()


def test_check_and_write_commands(tmp_path, capsys):
    from warehouse.paths import DATA_DIR

    path = tmp_path / "goalposts.toml"
    args = ["--file", str(path), "--snapshot", str(DATA_DIR)]
    assert goalposts_command(["--write", *args]) == 0
    assert goalposts_command(["--check", *args]) == 0
    assert "matches" in capsys.readouterr().out
    lines = path.read_text(encoding="utf-8").splitlines()
    first_low = next(i for i, line in enumerate(lines) if line.startswith("low = "))
    lines[first_low] = "low = -1e9"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert goalposts_command(["--check", *args]) == 1
    assert "differs" in capsys.readouterr().out
    assert goalposts_command(["--check", "--snapshot", str(tmp_path)]) == 2

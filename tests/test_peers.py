import math
import statistics

import pandas as pd
import pytest

from indicators.method import PEER_COUNT, PEER_MIN_VARIABLES, PEER_VARIABLES
from indicators.peers import (
    PEER_COLUMNS,
    PERIOD_PEER_COLUMNS,
    peer_variables,
    peers,
    peers_by_period,
    structural_matrix,
)

AREAS = pd.DataFrame({"code": ["SSS", "MK01", "MK02", "MK03", "MK04", "SK011"],
                      "level": ["country", "region", "region", "region", "region", "subregion"]})
INDICATORS = pd.DataFrame({"id": [v for v, _ in PEER_VARIABLES]})
URBAN = {"MK01": 50.0, "MK02": 52.0, "MK03": 90.0, "MK04": 88.0}
TERTIARY = {"MK01": 10.0, "MK02": 11.0, "MK03": 40.0, "MK04": 38.0}


def obs(series, period=2020):
    rows = [(ind, area, period, value, None) for ind, values in series.items()
            for area, value in values.items()]
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value", "flag"])


def z(values):
    mean, sd = statistics.fmean(values.values()), statistics.pstdev(values.values())
    return {k: (v - mean) / sd for k, v in values.items()}


def test_structural_variables_are_documented_catalog_ids():
    from indicators.catalog import catalog_frame
    assert {v for v, _ in PEER_VARIABLES} <= set(catalog_frame().id)
    assert {t for _, t in PEER_VARIABLES} <= {"log", "identity"}


def test_nearest_neighbours_hand_computed():
    frame = peers(obs({"urbanisation_degree": URBAN, "tertiary_education_share": TERTIARY}),
                  INDICATORS, AREAS, n=2)
    assert list(frame.columns) == PEER_COLUMNS
    assert frame.attrs["variables"] == ["urbanisation_degree", "tertiary_education_share"]
    zu, zt = z(URBAN), z(TERTIARY)
    d_12 = math.sqrt(((zu["MK01"] - zu["MK02"]) ** 2 + (zt["MK01"] - zt["MK02"]) ** 2) / 2)
    d_14 = math.sqrt(((zu["MK01"] - zu["MK04"]) ** 2 + (zt["MK01"] - zt["MK04"]) ** 2) / 2)
    mk01 = frame[frame.area_code == "MK01"]
    assert mk01.peer_code.tolist() == ["MK02", "MK04"]
    assert mk01.peer_rank.tolist() == [1, 2]
    assert mk01.distance.tolist() == pytest.approx([d_12, d_14])
    assert frame[frame.area_code == "MK03"].peer_code.iloc[0] == "MK04"
    assert "SSS" not in set(frame.area_code) | set(frame.peer_code)


def test_default_count_and_latest_value_up_to_period():
    early = obs({"urbanisation_degree": URBAN, "tertiary_education_share": TERTIARY}, 2010)
    swapped = {"MK01": 89.0, "MK02": 52.0, "MK03": 51.0, "MK04": 88.0}
    late = obs({"urbanisation_degree": swapped}, 2015)
    both = pd.concat([early, late])
    assert len(peers(both, INDICATORS, AREAS)) == 4 * min(PEER_COUNT, 3)
    first_2012 = peers(both, INDICATORS, AREAS, n=1, period=2012)
    first_now = peers(both, INDICATORS, AREAS, n=1)
    assert first_2012.set_index("area_code").peer_code["MK01"] == "MK02"
    assert structural_matrix(both, AREAS).loc["MK01", "urbanisation_degree"] == pytest.approx(
        z(swapped)["MK01"])
    assert first_now.set_index("area_code").peer_code["MK01"] != "MK02"


def test_log_variable_and_dropping_rules():
    density = {"MK01": 1.0, "MK02": 10.0, "MK03": 100.0, "MK04": 1000.0}
    gdp_gap = {"MK01": 30000.0, "MK02": 31000.0, "MK03": 40000.0}         # MK04 lacks it
    flat = {k: 5.0 for k in URBAN}
    matrix = structural_matrix(obs({"population_density": density, "gdp_per_capita": gdp_gap,
                                    "urbanisation_degree": flat,
                                    "tertiary_education_share": TERTIARY}), AREAS)
    assert list(matrix.columns) == ["population_density", "tertiary_education_share"]
    # log10 steps are equal, so the z-scores are evenly spaced
    assert matrix.population_density.diff().dropna().tolist() == pytest.approx([matrix.iloc[
        1, 0] - matrix.iloc[0, 0]] * 3)


def test_too_few_variables_give_no_peers():
    frame = peers(obs({"urbanisation_degree": URBAN}), INDICATORS, AREAS)
    assert frame.empty and list(frame.columns) == PEER_COLUMNS
    with pytest.raises(ValueError):
        peers(obs({"urbanisation_degree": URBAN}), INDICATORS, AREAS, n=0)


def test_peers_per_year_use_the_data_up_to_that_year():
    early = obs({"urbanisation_degree": URBAN, "tertiary_education_share": TERTIARY}, 2010)
    swapped = {"MK01": 89.0, "MK02": 52.0, "MK03": 51.0, "MK04": 88.0}
    both = pd.concat([early, obs({"urbanisation_degree": swapped}, 2015)])
    frame = peers_by_period(both, INDICATORS, AREAS, [2009, 2010, 2012, 2015, 2016], n=1)
    assert list(frame.columns) == PERIOD_PEER_COLUMNS
    first = frame.set_index(["period", "area_code"]).peer_code
    assert 2009 not in set(frame.period)                  # no data yet: no peers
    assert first[(2010, "MK01")] == first[(2012, "MK01")] == "MK02"
    assert first[(2015, "MK01")] == first[(2016, "MK01")] == "MK04"
    for period in (2012, 2015):
        one = peers(both, INDICATORS, AREAS, n=1, period=period)
        assert one.peer_code.tolist() == frame[frame.period == period].peer_code.tolist()


def test_context_indicators_and_partial_years_are_not_peer_variables():
    context = INDICATORS.assign(scored=[v != "urbanisation_degree" for v in INDICATORS.id])
    assert "urbanisation_degree" not in dict(peer_variables(context))
    series = obs({"urbanisation_degree": URBAN, "tertiary_education_share": TERTIARY,
                  "economic_dependency_ratio": {"MK01": 1.0, "MK02": 2.0, "MK03": 3.0,
                                                "MK04": 4.0}})
    assert peers(series, context, AREAS).attrs["variables"] == [
        "economic_dependency_ratio", "tertiary_education_share"]
    partial = pd.concat([series, obs({"tertiary_education_share": {k: 100 - v for k, v in
                                                                   TERTIARY.items()}}, 2021)
                         .assign(flag="partial")])
    assert structural_matrix(partial, AREAS, 2021).loc["MK01", "tertiary_education_share"] == \
        pytest.approx(z(TERTIARY)["MK01"])
    assert len(peer_variables(INDICATORS.iloc[:PEER_MIN_VARIABLES - 1])) < PEER_MIN_VARIABLES

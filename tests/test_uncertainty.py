import numpy as np
import pandas as pd
import pytest

from indicators.method import DIRICHLET_CONCENTRATION, MC_SEED, RANK_PERCENTILES, Method
from indicators.scoring import rank_intervals, score_panel
from indicators.uncertainty import dirichlet_around, draw_methods

REGIONS = [f"MK{i:02d}" for i in range(1, 7)]
AREAS = pd.DataFrame({"code": [*REGIONS, "SSS"], "level": ["region"] * 6 + ["country"]})
INDICATORS = pd.DataFrame({
    "id": [f"i{k}" for k in range(6)],
    "dimension": ["osaaminen", "osaaminen", "osaaminen", "hyvinvointi", "hyvinvointi",
                  "hyvinvointi"],
    "direction": ["higher_better"] * 5 + ["lower_better"]})


def random_panel(seed, dominant=None):
    rng = np.random.default_rng(seed)
    rows = []
    for year in (2019, 2020, 2021):
        for area in [*REGIONS, "SSS"]:
            for k, ind in enumerate(INDICATORS.id):
                x = rng.uniform(0, 100)
                if area == dominant:
                    x = 1000.0 if k < 5 else -1000.0
                rows.append((ind, area, year, x, None))
    return pd.DataFrame(rows, columns=["indicator_id", "area_code", "period", "value", "flag"])


def test_dirichlet_is_centred_on_the_chosen_weights():
    rng = np.random.default_rng(0)
    draws = dirichlet_around(rng, np.array([2.0, 1.0, 1.0, 0.0]), 20000)
    assert np.allclose(draws.sum(axis=1), 1.0)
    assert draws.mean(axis=0) == pytest.approx([0.5, 0.25, 0.25, 0.0], abs=0.01)
    assert (draws[:, 3] == 0).all()
    # equal weights: alpha = c for each, so the sd of one of three weights is known
    equal = dirichlet_around(rng, np.ones(3), 20000)[:, 0]
    c = DIRICHLET_CONCENTRATION
    expected_sd = np.sqrt(c * 2 * c / ((3 * c) ** 2 * (3 * c + 1)))
    assert equal.std() == pytest.approx(expected_sd, rel=0.05)
    assert (dirichlet_around(rng, np.array([0.0, 3.0]), 5) == [0.0, 1.0]).all()


def test_draws_are_seeded_and_cover_every_method():
    a = draw_methods(np.ones(6), np.ones(2), np.array([0, 0, 0, 1, 1, 1]), 3000, 7)
    b = draw_methods(np.ones(6), np.ones(2), np.array([0, 0, 0, 1, 1, 1]), 3000, 7)
    c = draw_methods(np.ones(6), np.ones(2), np.array([0, 0, 0, 1, 1, 1]), 3000, 8)
    assert np.array_equal(a.ind_weights, b.ind_weights)
    assert not np.array_equal(a.ind_weights, c.ind_weights)
    assert np.bincount(a.normalisation).tolist() == pytest.approx([1000] * 3, abs=100)
    assert np.bincount(a.aggregation).tolist() == pytest.approx([1500] * 2, abs=100)
    assert np.allclose(a.ind_weights[:, :3].sum(axis=1), 1.0)
    with pytest.raises(ValueError):
        draw_methods(np.ones(6), np.ones(2), np.zeros(6, int), 0, 1)


def test_monte_carlo_is_reproducible_with_the_seed():
    obs = random_panel(1)
    a = rank_intervals(obs, INDICATORS, AREAS, draws=300, seed=MC_SEED)
    b = rank_intervals(obs, INDICATORS, AREAS, draws=300, seed=MC_SEED)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == ["area_code", "period", "dimension", "rank_low", "rank_high"]
    assert set(a.area_code) == set(REGIONS)


def test_intervals_hold_the_point_rank_and_stay_in_range():
    obs = random_panel(2)
    for method in (Method(), Method("zscore", "geometric")):
        point = score_panel(obs, INDICATORS, AREAS, method).dimension_scores
        iv = rank_intervals(obs, INDICATORS, AREAS, method, draws=400, seed=3)
        merged = point.merge(iv, on=["area_code", "period", "dimension"])
        assert len(merged) == 6 * 3 * 3
        assert (merged.rank_low <= merged["rank"]).all()
        assert (merged["rank"] <= merged.rank_high).all()
        assert merged.rank_low.min() >= 1 and merged.rank_high.max() <= 6


def test_a_region_best_on_everything_is_surely_first():
    iv = rank_intervals(random_panel(4, dominant="MK03"), INDICATORS, AREAS, draws=200)
    mk03 = iv[iv.area_code == "MK03"]
    assert (mk03.rank_low == 1).all() and (mk03.rank_high == 1).all()
    others = iv[iv.area_code != "MK03"]
    assert (others.rank_low >= 2).all()


def test_uncertain_ranks_give_wide_intervals():
    # Random scores: with weights, normalisation and aggregation varied, some rank must move.
    iv = rank_intervals(random_panel(5), INDICATORS, AREAS, draws=500)
    assert RANK_PERCENTILES == (5, 95)
    assert (iv.rank_high - iv.rank_low).max() >= 2


def test_years_limit_the_work_and_missing_scores_have_no_interval():
    obs = random_panel(6)
    obs = obs[~((obs.area_code == "MK01") & (obs.indicator_id.isin(["i0", "i1"])))]
    iv = rank_intervals(obs, INDICATORS, AREAS, draws=100, years=[2021])
    assert set(iv.period) == {2021}
    row = iv[(iv.area_code == "MK01") & (iv.dimension == "osaaminen")].iloc[0]
    assert pd.isna(row.rank_low) and pd.isna(row.rank_high)
    overall = iv[(iv.area_code == "MK01") & (iv.dimension == "overall")].iloc[0]
    assert pd.isna(overall.rank_low)       # one of two dimensions is not enough

import numpy as np
import pandas as pd
import pytest

from indicators.aggregate import competition_ranks
from indicators.method import DIRICHLET_CONCENTRATION, MC_SEED, Method
from indicators.scoring import hold_point_rank, rank_intervals, score_panel
from indicators.uncertainty import dirichlet_around, draw_methods, simulate_year, year_rank_draws

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
    assert (iv.rank_high - iv.rank_low).max() >= 2


def test_with_one_draw_only_the_widening_makes_an_interval_wider_than_one_rank():
    # One draw ranks each region once; its interval can only hold the published rank, where
    # the two differ, because the interval is widened to hold it.
    obs = random_panel(7)
    point = score_panel(obs, INDICATORS, AREAS).dimension_scores
    widened = 0
    for seed in range(8):
        iv = rank_intervals(obs, INDICATORS, AREAS, draws=1, seed=seed)
        ranked = point.merge(iv, on=["area_code", "period", "dimension"]).dropna(subset=["rank"])
        assert ((ranked.rank_low <= ranked["rank"]) & (ranked["rank"] <= ranked.rank_high)).all()
        widened += int((ranked.rank_high > ranked.rank_low).sum())
    assert widened > 0


def test_hold_point_rank_widens_only_where_needed():
    low, high = np.array([2.0, 1.0, 3.0, np.nan]), np.array([3.0, 4.0, 5.0, np.nan])
    point = np.array([1.0, 2.0, 6.0, np.nan])
    new_low, new_high = hold_point_rank(low, high, point)
    assert new_low[:3].tolist() == [1.0, 1.0, 3.0] and new_high[:3].tolist() == [3.0, 4.0, 6.0]
    assert np.isnan(new_low[3]) and np.isnan(new_high[3])
    assert np.isnan(hold_point_rank(np.array([1.0]), np.array([2.0]), np.array([np.nan]))[0][0])


def test_draw_ranks_are_the_ranks_of_the_simulated_scores():
    from indicators.method import DEFAULT_RULES
    from indicators.scoring import NORMALISATIONS, _prepare, _scores
    obs = random_panel(8)
    ctx = _prepare(obs, INDICATORS, AREAS, Method(), None, None, None, DEFAULT_RULES)
    scored = {n: _scores(ctx, n) for n in NORMALISATIONS}
    sampled = draw_methods(ctx.ind_w, ctx.dim_w, ctx.panel.ind_dim, 60, 5)
    scores = {n: s for n, (s, _) in scored.items()}
    covs = {n: c for n, (_, c) in scored.items()}
    sim = simulate_year(scores, covs, 2, ctx.panel.ind_dim, sampled)     # [D, A, K+1]
    expected = competition_ranks(sim[:, ctx.panel.is_region, :].transpose(0, 2, 1))
    got = year_rank_draws(scores, covs, 2, ctx.panel.ind_dim, ctx.panel.is_region, sampled)
    # year_rank_draws orders the draws by method; compare as multisets per region and column
    np.testing.assert_array_equal(np.sort(got, axis=0), np.sort(expected, axis=0))


def test_years_limit_the_work_and_missing_scores_have_no_interval():
    obs = random_panel(6)
    obs = obs[~((obs.area_code == "MK01") & (obs.indicator_id.isin(["i0", "i1"])))]
    iv = rank_intervals(obs, INDICATORS, AREAS, draws=100, years=[2021])
    assert set(iv.period) == {2021}
    row = iv[(iv.area_code == "MK01") & (iv.dimension == "osaaminen")].iloc[0]
    assert pd.isna(row.rank_low) and pd.isna(row.rank_high)
    overall = iv[(iv.area_code == "MK01") & (iv.dimension == "overall")].iloc[0]
    assert pd.isna(overall.rank_low)       # one of two dimensions is not enough


def _interval_inputs(seed=9, draws=80):
    from indicators.method import DEFAULT_RULES
    from indicators.scoring import NORMALISATIONS, _prepare, _scores
    ctx = _prepare(random_panel(seed), INDICATORS, AREAS, Method(), None, None, None,
                   DEFAULT_RULES)
    scored = {n: _scores(ctx, n) for n in NORMALISATIONS}
    sampled = draw_methods(ctx.ind_w, ctx.dim_w, ctx.panel.ind_dim, draws, 3)
    return ({n: s for n, (s, _) in scored.items()}, {n: c for n, (_, c) in scored.items()},
            range(len(ctx.panel.periods)), ctx.panel.ind_dim, ctx.panel.is_region, sampled)


def test_years_ranked_in_threads_equal_the_years_ranked_one_by_one(monkeypatch):
    import threading

    import indicators.uncertainty as uncertainty
    inputs = _interval_inputs()
    serial = uncertainty.rank_interval_arrays(*inputs, workers=1)
    monkeypatch.setattr(uncertainty, "MC_THREAD_CELLS", 0)      # thread even this small panel
    threads, calls, barrier = set(), [], threading.Barrier(2, timeout=10)
    ranked = uncertainty.year_rank_draws

    def recording(*args, **kwargs):
        threads.add(threading.get_ident())
        calls.append(1)
        if len(calls) <= 2:
            barrier.wait()           # the first two years meet: they run at the same time
        return ranked(*args, **kwargs)

    monkeypatch.setattr(uncertainty, "year_rank_draws", recording)
    threaded = uncertainty.rank_interval_arrays(*inputs, workers=2)
    assert len(threads) == 2
    for one, other in zip(serial, threaded, strict=True):
        np.testing.assert_array_equal(one, other)


def test_small_panels_rank_their_years_in_one_thread():
    from indicators.uncertainty import MC_THREAD_CELLS, year_workers
    assert year_workers(19, 1000, 2) == 1                     # 19 regions: threads only wait
    assert year_workers(-(-MC_THREAD_CELLS // 1000), 1000, 2) == 2
    assert year_workers(1200, 1000, 0) == 1

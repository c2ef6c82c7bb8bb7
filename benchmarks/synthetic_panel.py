"""Synthetic scoring panels for the benchmarks (labelled SYNTHETIC: random, no real figures)."""

from __future__ import annotations

import numpy as np
import pandas as pd

SIX = ("saavutettavuus", "hyvinvointi", "osaaminen", "elinymparisto", "elinkeinot_tyollisyys",
       "turvallisuus")


def synthetic_areas(n_regions: int) -> pd.DataFrame:
    """Return an areas frame: n regions R0001.. plus the country SSS."""
    codes = [f"R{i:04d}" for i in range(1, n_regions + 1)]
    return pd.DataFrame({
        "code": [*codes, "SSS"], "level": ["region"] * n_regions + ["country"],
        "sort_order": list(range(1, n_regions + 1)) + [0],
    })


def synthetic_indicators(n_indicators: int, dims=SIX) -> pd.DataFrame:
    """Return an indicators frame spreading n indicators over the dimensions."""
    ids = [f"ind{i:03d}" for i in range(n_indicators)]
    return pd.DataFrame({
        "id": ids, "dimension": [dims[i % len(dims)] for i in range(n_indicators)],
        "direction": ["lower_better" if i % 3 == 1 else "higher_better"
                      for i in range(n_indicators)],
        "valid_min": 0.0, "valid_max": 1000.0, "goalpost_low": np.nan, "goalpost_high": np.nan,
    })


def synthetic_observations(n_regions: int, n_indicators: int, n_years: int, seed: int = 1,
                           missing: float = 0.05, first_year: int = 2000) -> pd.DataFrame:
    """Return random observations (regions + country) with a share of missing values."""
    rng = np.random.default_rng(seed)
    areas = synthetic_areas(n_regions)["code"].to_numpy()
    level = rng.uniform(10, 100, size=(1, len(areas), n_indicators))
    trend = rng.normal(0, 1, size=(n_years, 1, n_indicators)).cumsum(axis=0)
    values = level + trend + rng.normal(0, 5, size=(n_years, len(areas), n_indicators))
    values[rng.uniform(size=values.shape) < missing] = np.nan
    t, a, i = np.indices(values.shape)
    return pd.DataFrame({
        "indicator_id": np.array([f"ind{k:03d}" for k in range(n_indicators)])[i.ravel()],
        "area_code": areas[a.ravel()], "period": first_year + t.ravel(),
        "value": values.ravel(), "flag": None,
    })

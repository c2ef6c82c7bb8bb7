"""Peer regions: nearest neighbours on z-scored structural variables (latest value per region)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.method import PEER_COUNT, PEER_MIN_VARIABLES, PEER_VARIABLES, RANKED_LEVEL

PEER_COLUMNS = ["area_code", "peer_code", "peer_rank", "distance"]


def structural_matrix(observations: pd.DataFrame, areas: pd.DataFrame,
                      period: int | None = None) -> pd.DataFrame:
    """Return regions × structural variables: latest value up to period, transformed, z-scored.

    A variable is left out when a region lacks it, when a log variable is not positive, or when it
    does not vary; the variables kept are in the columns.
    """
    regions = sorted(str(c) for c in areas.loc[areas["level"] == RANKED_LEVEL, "code"])
    obs = observations[observations["area_code"].isin(regions)
                       & pd.to_numeric(observations["value"], errors="coerce").notna()]
    if period is not None:
        obs = obs[obs["period"] <= int(period)]
    columns = {}
    for var, transform in PEER_VARIABLES:
        rows = obs[obs["indicator_id"] == var].sort_values("period")
        latest = rows.groupby("area_code")["value"].last().astype(float).reindex(regions)
        if latest.isna().any():
            continue
        if transform == "log":
            if (latest <= 0).any():
                continue
            latest = np.log(latest)
        sd = latest.std(ddof=0)
        if not sd > 0:
            continue
        columns[var] = (latest - latest.mean()) / sd
    return pd.DataFrame(columns, index=pd.Index(regions, name="area_code"))


def peers(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
          n: int = PEER_COUNT, period: int | None = None) -> pd.DataFrame:
    """Return each region's n structurally nearest regions with their distances.

    Distance = root mean square difference of the z-scores; empty when fewer than
    PEER_MIN_VARIABLES structural variables are available for every region.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    matrix = structural_matrix(observations, areas, period)
    if matrix.shape[1] < PEER_MIN_VARIABLES or len(matrix) < 2:
        frame = pd.DataFrame({c: pd.Series(dtype=object if "code" in c else float)
                              for c in PEER_COLUMNS})
        frame["peer_rank"] = frame["peer_rank"].astype("int64")
        frame.attrs["variables"] = list(matrix.columns)
        return frame
    z = matrix.to_numpy()
    dist = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).mean(axis=-1))
    np.fill_diagonal(dist, np.inf)
    codes = np.array(matrix.index, dtype=object)
    order = np.argsort(dist, axis=1, kind="stable")[:, : min(n, len(codes) - 1)]
    k = order.shape[1]
    frame = pd.DataFrame({
        "area_code": np.repeat(codes, k),
        "peer_code": codes[order].reshape(-1),
        "peer_rank": np.tile(np.arange(1, k + 1), len(codes)).astype(np.int64),
        "distance": np.take_along_axis(dist, order, axis=1).reshape(-1),
    })
    frame.attrs["variables"] = list(matrix.columns)
    return frame

"""Peer regions: nearest neighbours on z-scored structural variables, per year (data up to it)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from indicators.method import (
    NOT_SCORED_FLAGS,
    PEER_COUNT,
    PEER_MIN_VARIABLES,
    PEER_VARIABLES,
    RANKED_LEVEL,
    scored_indicators,
)

PEER_COLUMNS = ["area_code", "peer_code", "peer_rank", "distance"]
PERIOD_PEER_COLUMNS = ["area_code", "period", "peer_code", "peer_rank", "distance"]


def peer_variables(indicators: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Return the structural variables that are scored indicators of this catalog."""
    known = set(scored_indicators(indicators)["id"])
    return tuple((v, t) for v, t in PEER_VARIABLES if v in known)


def _latest_tables(observations: pd.DataFrame, regions: list[str], periods: list[int],
                   variables) -> dict[str, pd.DataFrame]:
    """Return, per variable, periods × regions of the latest value up to each period."""
    values = pd.to_numeric(observations["value"], errors="coerce")
    keep = observations["area_code"].isin(regions) & values.notna()
    if "flag" in observations.columns:
        keep &= ~observations["flag"].isin(NOT_SCORED_FLAGS)
    obs = observations.loc[keep, ["indicator_id", "area_code", "period"]].assign(
        value=values[keep].astype(float))
    periods = sorted(periods)
    first = int(obs["period"].min()) if len(obs) else periods[0]
    span = range(min(first, periods[0]), periods[-1] + 1)
    tables = {}
    for var, _ in variables:
        rows = obs[obs["indicator_id"] == var]
        wide = rows.pivot_table(index="period", columns="area_code", values="value",
                                aggfunc="last")
        tables[var] = wide.reindex(index=list(span), columns=regions).ffill().reindex(periods)
    return tables


def _matrix(tables: dict[str, pd.DataFrame], variables, regions: list[str],
            period: int) -> pd.DataFrame:
    """Return regions × the usable structural variables of one period, z-scored."""
    columns = {}
    for var, transform in variables:
        latest = tables[var].loc[period]
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


def _regions(areas: pd.DataFrame) -> list[str]:
    """Return the region codes, sorted."""
    return sorted(str(c) for c in areas.loc[areas["level"] == RANKED_LEVEL, "code"])


def structural_matrix(observations: pd.DataFrame, areas: pd.DataFrame,
                      period: int | None = None,
                      variables=PEER_VARIABLES) -> pd.DataFrame:
    """Return regions × structural variables: latest value up to period, transformed, z-scored.

    A variable is left out when a region lacks it, when a log variable is not positive, or when it
    does not vary; the variables kept are in the columns.
    """
    regions = _regions(areas)
    if period is None:
        period = int(pd.to_numeric(observations["period"]).max()) if len(observations) else 0
    tables = _latest_tables(observations, regions, [int(period)], variables)
    return _matrix(tables, variables, regions, int(period))


def _nearest(matrix: pd.DataFrame, n: int) -> pd.DataFrame:
    """Return each row's n nearest other rows (root mean square z difference)."""
    z = matrix.to_numpy()
    dist = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).mean(axis=-1))
    np.fill_diagonal(dist, np.inf)
    codes = np.array(matrix.index, dtype=object)
    order = np.argsort(dist, axis=1, kind="stable")[:, : min(n, len(codes) - 1)]
    k = order.shape[1]
    return pd.DataFrame({
        "area_code": np.repeat(codes, k),
        "peer_code": codes[order].reshape(-1),
        "peer_rank": np.tile(np.arange(1, k + 1), len(codes)).astype(np.int64),
        "distance": np.take_along_axis(dist, order, axis=1).reshape(-1),
    })


def _empty(columns: list[str]) -> pd.DataFrame:
    """Return an empty peers frame with the right dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype=object if "code" in c else float) for c in columns})
    for column in ("peer_rank", "period"):
        if column in frame:
            frame[column] = frame[column].astype("int64")
    return frame


def peers_by_period(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                    periods: Iterable[int], n: int = PEER_COUNT) -> pd.DataFrame:
    """Return, for each period, each region's n structurally nearest regions (data up to then).

    A period gets no peers when fewer than PEER_MIN_VARIABLES structural variables are usable.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    periods = sorted({int(p) for p in periods})
    variables = peer_variables(indicators)
    regions = _regions(areas)
    if not periods or len(regions) < 2:
        return _empty(PERIOD_PEER_COLUMNS)
    tables = _latest_tables(observations, regions, periods, variables)
    frames = []
    for period in periods:
        matrix = _matrix(tables, variables, regions, period)
        if matrix.shape[1] >= PEER_MIN_VARIABLES:
            frames.append(_nearest(matrix, n).assign(period=period))
    if not frames:
        return _empty(PERIOD_PEER_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    frame["period"] = frame["period"].astype("int64")
    return frame[PERIOD_PEER_COLUMNS]


def peers(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
          n: int = PEER_COUNT, period: int | None = None) -> pd.DataFrame:
    """Return each region's n structurally nearest regions with their distances, in one period.

    Distance = root mean square difference of the z-scores; empty when fewer than
    PEER_MIN_VARIABLES structural variables are available for every region. period None = the
    latest observed year.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    variables = peer_variables(indicators)
    matrix = structural_matrix(observations, areas, period, variables)
    if matrix.shape[1] < PEER_MIN_VARIABLES or len(matrix) < 2:
        frame = _empty(PEER_COLUMNS)
    else:
        frame = _nearest(matrix, n)
    frame.attrs["variables"] = list(matrix.columns)
    return frame

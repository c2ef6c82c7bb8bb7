"""Pure aggregation: municipal counts onto today's sub-regions, regions and country; rates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.convert.errors import ConvertError
from indicators.regions import COUNTRY_CODE as COUNTRY


def to_today(frame: pd.DataFrame, successors: dict[str, str], current: set[str],
             column: str = "code") -> pd.DataFrame:
    """Replace merged-away municipality codes by today's codes; raise on a code that is unknown.

    Rows whose code is missing (NA) are kept as they are: they count only in the country total.
    """
    out = frame.copy()
    mapped = out[column].map(lambda c: successors.get(c, c) if isinstance(c, str) else c)
    unknown = sorted(set(mapped.dropna()) - set(current))
    if unknown:
        raise ConvertError(f"municipality codes not on today's division: {unknown[:10]}")
    out[column] = mapped
    return out


def rollup(frame: pd.DataFrame, columns: list[str], parents: pd.DataFrame,
           levels: tuple[str, ...] = ("municipality", "subregion", "region", "country"),
           ) -> pd.DataFrame:
    """Sum count columns of municipal rows (code, period, *columns) to every requested level.

    parents has one row per municipality: code, subregion_code, region_code. Rows with a missing
    code count in the country total only. Returns area_code, level, period, n_parts, *columns
    where n_parts is the number of input rows summed (an indicator of merged municipalities).
    A sum is NaN when any of its parts is NaN.
    """
    missing = [c for c in ("code", "period", *columns) if c not in frame.columns]
    if missing:
        raise ConvertError(f"rollup input lacks columns {missing}")
    data = frame.merge(parents, on="code", how="left", validate="many_to_one")
    stray = data["code"].notna() & data["region_code"].isna()
    if stray.any():
        raise ConvertError(f"codes without a parent: {sorted(set(data.loc[stray, 'code']))[:10]}")
    data["country"] = COUNTRY
    data["n_parts"] = 1
    key_of = {"municipality": "code", "subregion": "subregion_code", "region": "region_code",
              "country": "country"}
    parts = []
    for level in levels:
        key = key_of[level]
        subset = data.loc[data[key].notna()]
        grouped = subset.groupby([key, "period"], sort=True)
        sums = grouped[list(columns)].sum(min_count=1)
        counts = grouped[list(columns)].count()
        sums = sums.mask(counts.lt(grouped.size(), axis=0))
        sums["n_parts"] = grouped["n_parts"].sum()
        sums = sums.reset_index().rename(columns={key: "area_code"})
        sums.insert(1, "level", level)
        parts.append(sums)
    return pd.concat(parts, ignore_index=True)


def ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> pd.Series:
    """Return numerator / denominator × scale, NaN where the denominator is zero or missing."""
    den = denominator.where(denominator != 0)
    return numerator / den * scale


def rate_from_counts(frame: pd.DataFrame, numerator: str, denominator: str, parents: pd.DataFrame,
                     scale: float = 1.0, **kwargs) -> pd.DataFrame:
    """Sum both counts to every level and return area_code, level, period, n_parts, value."""
    rolled = rollup(frame, [numerator, denominator], parents, **kwargs)
    rolled["value"] = ratio(rolled[numerator], rolled[denominator], scale)
    return rolled


def weighted_mean(frame: pd.DataFrame, value: str, weight: str, parents: pd.DataFrame,
                  **kwargs) -> pd.DataFrame:
    """Aggregate a rate by its weight (e.g. population) to every level: Σ(rate × w) / Σ w."""
    data = frame.assign(_product=frame[value] * frame[weight])
    rolled = rollup(data, ["_product", weight], parents, **kwargs)
    rolled["value"] = ratio(rolled["_product"], rolled[weight])
    return rolled.drop(columns="_product")


def prefer_published(rolled: pd.DataFrame, published: pd.DataFrame, value: str) -> pd.DataFrame:
    """Use the published municipal rate where a today's municipality has one source row.

    Recomputed figures are kept for merged municipalities (n_parts > 1) and for higher levels.
    published has code, period and the value column.
    """
    pub = published.rename(columns={"code": "area_code", value: "_published"})
    pub = pub.loc[:, ["area_code", "period", "_published"]]
    pub = pub.loc[~pub.duplicated(["area_code", "period"], keep=False)]
    out = rolled.merge(pub, on=["area_code", "period"], how="left")
    use = (out["level"] == "municipality") & (out["n_parts"] == 1) & out["_published"].notna()
    out.loc[use, "value"] = out.loc[use, "_published"]
    return out.drop(columns="_published")


def coverage_filter(rolled: pd.DataFrame, covered: pd.DataFrame, total: pd.DataFrame,
                    weight: str, threshold: float) -> pd.DataFrame:
    """Drop aggregates whose included municipalities hold less than threshold of the weight.

    covered and total are rollups (area_code, period, weight) of the municipalities that have a
    figure and of all municipalities. Municipality rows are never dropped.
    """
    cov = covered[["area_code", "period", weight]].rename(columns={weight: "_cov"})
    tot = total[["area_code", "period", weight]].rename(columns={weight: "_tot"})
    out = rolled.merge(cov, on=["area_code", "period"], how="left")
    out = out.merge(tot, on=["area_code", "period"], how="left")
    share = out["_cov"] / out["_tot"]
    keep = (out["level"] == "municipality") | (share >= threshold)
    return out.loc[keep].drop(columns=["_cov", "_tot"]).reset_index(drop=True)


def change_pct(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Return the percentage change of a count from the previous year, per area_code.

    Only consecutive years are compared; the first year of each area gets no value.
    """
    data = frame.sort_values(["area_code", "period"]).copy()
    prev = data.groupby("area_code")[column].shift(1)
    prev_year = data.groupby("area_code")["period"].shift(1)
    consecutive = prev_year == data["period"] - 1
    data["value"] = np.where(consecutive, ratio(data[column] - prev, prev, 100.0), np.nan)
    return data.loc[consecutive].reset_index(drop=True)

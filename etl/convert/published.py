"""Observations from a StatFin table (pure): published values, ratios of counts, municipal sums."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.convert.aggregate import COUNTRY, ratio, rollup
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError
from etl.convert.pxweb_json import CONFIDENTIAL_SYMBOLS

CONFIDENTIAL = "confidential"


def _flagged(frame: pd.DataFrame, confidential: pd.Series, indicator_id: str,
             source_id: str) -> pd.DataFrame:
    """Return observations: figures as they are, confidential cells as NULL with their flag."""
    keep = frame["value"].notna() | confidential
    kept = frame.loc[keep]
    flag = pd.Series(np.where(confidential[keep], CONFIDENTIAL, None), index=kept.index,
                     dtype=object)
    out = observations(kept, indicator_id, source_id, flag=flag)
    out.loc[out["flag"] == CONFIDENTIAL, "value"] = np.nan
    return out


def is_confidential(frame: pd.DataFrame, *columns: str) -> pd.Series:
    """Return True where any of the columns' cells carries the confidential symbol."""
    hit = pd.Series(False, index=frame.index)
    for column in columns:
        hit |= frame[f"{column}_symbol"].isin(CONFIDENTIAL_SYMBOLS)
    return hit


def published(frame: pd.DataFrame, column: str, indicator_id: str,
              source_id: str) -> pd.DataFrame:
    """Return a published column (area_code, period, column, column_symbol) as observations."""
    data = frame.assign(value=frame[column])
    return _flagged(data, is_confidential(frame, column), indicator_id, source_id)


def count_ratio(frame: pd.DataFrame, numerator: str, denominator: str, indicator_id: str,
                source_id: str, scale: float = 100.0) -> pd.DataFrame:
    """Return numerator / denominator × scale of published counts, area by area."""
    data = frame.assign(value=ratio(frame[numerator], frame[denominator], scale))
    return _flagged(data, is_confidential(frame, numerator, denominator), indicator_id, source_id)


def municipal_sums(frame: pd.DataFrame, columns: list[str], division: Division,
                   levels: tuple[str, ...]) -> pd.DataFrame:
    """Sum the municipal rows of published counts to the given levels of today's division.

    frame has area_code, period and the count columns; non-municipal rows are ignored.
    Returns area_code, level, period, n_parts and the summed columns (NaN if a part is NaN).
    """
    munis = frame.loc[frame["area_code"].isin(division.current)]
    data = munis.rename(columns={"area_code": "code"})[["code", "period", *columns]]
    return rollup(data, list(columns), division.parents, levels=levels)


def fill_with_sums(own: pd.DataFrame, frame: pd.DataFrame, numerator: str, denominator: str,
                   division: Division, indicator_id: str, source_id: str,
                   scale: float = 100.0) -> pd.DataFrame:
    """Add Σ numerator / Σ denominator × scale for the areas the table does not publish.

    own holds the observations of the areas the table publishes (e.g. 12bs: the country,
    regions and municipalities); every other sub-region, region or country gets the ratio of its
    municipalities' summed counts, when the frame has all of its municipalities.
    """
    sums = municipal_sums(frame, [numerator, denominator], division,
                          ("subregion", "region", "country"))
    sums = sums.loc[sums["n_parts"] == sums["area_code"].map(municipality_counts(division))]
    done = pd.MultiIndex.from_frame(own[["area_code", "period"]])
    sums = sums.loc[~pd.MultiIndex.from_frame(sums[["area_code", "period"]]).isin(done)]
    sums = sums.assign(value=ratio(sums[numerator], sums[denominator], scale))
    summed = observations(sums.dropna(subset=["value"]), indicator_id, source_id)
    return pd.concat([own, summed], ignore_index=True)


def municipality_counts(division: Division) -> pd.Series:
    """Return area code -> number of today's municipalities in it (sub-regions up to SSS)."""
    parents = division.parents
    return pd.concat([parents.groupby("subregion_code").size(),
                      parents.groupby("region_code").size(),
                      pd.Series({COUNTRY: len(parents)})])


def check_sums(frame: pd.DataFrame, columns: list[str], division: Division, name: str) -> None:
    """Raise ConvertError where a published count differs from the sum of its municipalities.

    Only areas whose municipalities are all in the frame, each with a figure, are compared (an
    excerpt or a confidential part leaves the sum unknown).
    """
    sums = municipal_sums(frame, columns, division, ("subregion", "region", "country"))
    sums = sums.loc[sums["n_parts"] == sums["area_code"].map(municipality_counts(division))]
    both = sums.merge(frame[["area_code", "period", *columns]], on=["area_code", "period"],
                      suffixes=("_sum", ""))
    for column in columns:
        off = both.loc[both[f"{column}_sum"].notna() & both[column].notna()
                       & (both[f"{column}_sum"] != both[column])]
        if len(off):
            shown = ", ".join(f"{r.area_code} {r.period}" for r in off.head(5).itertuples())
            raise ConvertError(f"{name}: published {column} is not the sum of the "
                               f"municipalities for {shown}")

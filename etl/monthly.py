"""Annual figures from monthly series (pure): means of the months, flagged when a year is short.

Used by the snapshot converter and by the live ETL alike, so a bundled and a fetched annual
figure are derived the same way. A year counts as an annual figure only with all 12 months;
a shorter year keeps its mean of the months there are, flagged PARTIAL_FLAG, and is never scored;
a year with fewer than MIN_PARTIAL_MONTHS months gives no annual row at all (one summer month is
not a year's level: the series are seasonal, so it stays a monthly figure only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.monthly import parse_month

MONTHS_IN_YEAR = 12
MIN_PARTIAL_MONTHS = 6
PARTIAL_FLAG = "partial"


def with_year(monthly: pd.DataFrame) -> pd.DataFrame:
    """Return monthly rows (series_id, area_code, month, value) with period and month number."""
    parsed = monthly["month"].map(parse_month)
    bad = parsed.isna()
    if bad.any():
        shown = sorted(set(monthly.loc[bad, "month"].astype(str)))[:5]
        raise ValueError(f"month codes must be 'YYYY-MM': {shown}")
    out = monthly.copy()
    out["period"] = [p[0] for p in parsed]
    out["month_no"] = [p[1] for p in parsed]
    return out


def annual_means(monthly: pd.DataFrame, series_ids: list[str]) -> pd.DataFrame:
    """Return per area_code and year the mean and the number of months with a value per series.

    Columns: area_code, period, then <series> and <series>_months for each series id.
    """
    data = with_year(monthly[monthly["series_id"].isin(series_ids)])
    data = data[pd.to_numeric(data["value"], errors="coerce").notna()]
    grouped = data.groupby(["area_code", "period", "series_id"])
    stats = pd.DataFrame({"mean": grouped["value"].mean(),
                          "months": grouped["month_no"].nunique()}).unstack("series_id")
    out = pd.DataFrame(index=stats.index)
    for sid in series_ids:
        out[sid] = stats["mean"][sid] if sid in stats["mean"] else np.nan
        out[f"{sid}_months"] = (stats["months"][sid] if sid in stats["months"] else 0)
    out = out.reset_index()
    for sid in series_ids:
        out[f"{sid}_months"] = out[f"{sid}_months"].fillna(0).astype(int)
    return out


def annual_ratio(monthly: pd.DataFrame, numerator: str, denominator: str,
                 scale: float = 100.0) -> pd.DataFrame:
    """Return mean(numerator) / mean(denominator) × scale per area and year.

    Columns: area_code, period, value, months (the fewer months of the two series), flag
    (PARTIAL_FLAG when a year has fewer than 12 months of either series, else None).
    A zero or missing denominator, or fewer than MIN_PARTIAL_MONTHS months, gives no row.
    """
    means = annual_means(monthly, [numerator, denominator])
    den = means[denominator].where(means[denominator] > 0)
    value = means[numerator] / den * scale
    months = np.minimum(means[f"{numerator}_months"], means[f"{denominator}_months"])
    out = pd.DataFrame({"area_code": means["area_code"], "period": means["period"].astype(int),
                        "value": value, "months": months.astype(int)})
    out["flag"] = np.where(out["months"] < MONTHS_IN_YEAR, PARTIAL_FLAG, None)
    out["flag"] = out["flag"].astype(object).where(out["flag"].notna(), None)
    out = out[out["months"] >= MIN_PARTIAL_MONTHS]
    return out.dropna(subset=["value"]).reset_index(drop=True)

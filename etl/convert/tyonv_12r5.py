"""StatFin tyonv/12r5 (employment service statistics, monthly) -> monthly series, annual rates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError
from etl.convert.published import CONFIDENTIAL
from etl.convert.pxweb_json import today_codes
from etl.convert.raw import read_raw
from etl.monthly import annual_ratio
from indicators.monthly import MONTHLY_COLUMNS, month_code, parse_month

CSV_FILE = Path("tem_tyonv_12r5_2006_2023") / "tyonv_12r5_monthly_2006_2023.csv.gz"
JSON_FILE = Path("statfin_pxweb_2026_maps") / "unemployment_register_kunnat_12r5.json"
MONTHLY_SOURCE = "tyonv_12r5"
# annual indicator -> (numerator series, denominator series, source_id)
ANNUAL = {"unemployment_rate": ("unemployed", "labour_force", "tyonv_12r5_unemployment_rate"),
          "vacancies_per_100_unemployed": ("open_vacancies", "unemployed",
                                           "tyonv_12r5_vacancies")}


def read_12r5_csv(path: Path) -> pd.DataFrame:
    """Read the 2006–2023 monthly file into area, month ('YYYY-MM'), content, value, symbol."""
    raw = read_raw(path, "12r5 monthly file", {"alue", "tiedot", "value", "time"},
                   only_empty_is_missing=True)
    value = pd.to_numeric(raw["value"], errors="coerce")
    bad = raw["value"].notna() & value.isna()
    if bad.any():
        raise ConvertError(f"{Path(path).name}: unreadable values {sorted(raw['value'][bad])[:5]}")
    # an empty cell is a suppressed small count (every one hides 1–4 persons)
    return pd.DataFrame({"area": raw["alue"].astype(str), "month": raw["time"].astype(str),
                         "content": raw["tiedot"].astype(str), "value": value.astype(float),
                         "symbol": np.where(value.isna(), "...", None)})


def from_pxweb(long: pd.DataFrame) -> pd.DataFrame:
    """Return PxWeb json rows of 12r5 (period '2026M06') in the monthly reading's shape."""
    return long.rename(columns={"period": "month"})[["area", "month", "content", "value",
                                                     "symbol"]]


def monthly_rows(long: pd.DataFrame, series: tuple[dict, ...], division: Division,
                 name: str) -> pd.DataFrame:
    """Return the monthly observations of the declared series on today's areas.

    Municipal counts of merged municipalities are summed into today's municipality (unknown
    when a part is suppressed); regions, sub-regions and the country are used as published.
    Suppressed cells are kept as NULL with flag 'confidential'.
    """
    by_code = {s["code"]: s["id"] for s in series}
    data = long.loc[long["content"].isin(by_code)].copy()
    if data.empty:
        raise ConvertError(f"{name}: none of the series codes {sorted(by_code)}")
    parsed = data["month"].map(parse_month)
    if parsed.isna().any():
        raise ConvertError(f"{name}: month codes not understood: "
                           f"{sorted(set(data.loc[parsed.isna(), 'month']))[:5]}")
    data["month"] = [month_code(*p) for p in parsed]
    data["series_id"] = data["content"].map(by_code)
    data["area_code"] = today_codes(data["area"], division, name, allow_merged=True)
    data = data.loc[data["area_code"].notna()]
    key = ["series_id", "area_code", "month"]
    data["suppressed"] = data["symbol"].notna()
    grouped = data.groupby(key, sort=True)
    out = pd.DataFrame({"value": grouped["value"].sum(min_count=1),
                        "suppressed": grouped["suppressed"].any()}).reset_index()
    out.loc[out["suppressed"], "value"] = np.nan
    out["flag"] = np.where(out["suppressed"], CONFIDENTIAL, None)
    out["flag"] = out["flag"].astype(object).where(out["flag"].notna(), None)
    out["source_id"] = MONTHLY_SOURCE
    return out.loc[:, MONTHLY_COLUMNS]


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Return the monthly parts together; the same series, area and month twice is an error."""
    monthly = pd.concat(parts, ignore_index=True)
    dupes = monthly.duplicated(["series_id", "area_code", "month"])
    if dupes.any():
        raise ConvertError(f"12r5 files overlap: {monthly.loc[dupes].head(3).to_dict('records')}")
    return monthly.sort_values(["series_id", "area_code", "month"]).reset_index(drop=True)


def annual_rates(monthly: pd.DataFrame) -> pd.DataFrame:
    """Return unemployment_rate and vacancies_per_100_unemployed by etl.monthly.annual_ratio.

    Years with fewer than 12 months of both series are kept, flagged 'partial'.
    """
    frames = []
    for indicator_id, (numerator, denominator, source_id) in ANNUAL.items():
        rates = annual_ratio(monthly, numerator, denominator)
        frames.append(observations(rates, indicator_id, source_id, flag=rates["flag"]))
    return pd.concat(frames, ignore_index=True)

"""StatFin tyokay 115i (employed labour force by region of residence) -> employed_change."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.aggregate import COUNTRY, change_pct
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError
from etl.convert.raw import read_raw

RAW_FILE = Path("statfin_tyokay_115i") / "employed_by_industry_mk_2007_2023.parquet"
SOURCE_ID = "statfin_tyokay_115i"


def read_employed(path: Path) -> pd.DataFrame:
    """Read employed persons by region, industry, sex and year."""
    raw = read_raw(path, "employment file", {"Area", "Industry", "Sex", "Year", "Value"})
    return pd.DataFrame({"area_code": raw["Area"], "period": raw["Year"].astype(int),
                         "employed": raw["Value"].astype(float)})


def convert_employed(raw: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Sum industries and sexes per region (and all regions for the country); % change from t-1."""
    unknown = sorted(set(raw["area_code"]) - set(division.registry["code"]))
    if unknown:
        raise ConvertError(f"employment file has unknown region codes {unknown}")
    regions = raw.groupby(["area_code", "period"], as_index=False)["employed"].sum()
    country = regions.groupby("period", as_index=False)["employed"].sum().assign(area_code=COUNTRY)
    changed = change_pct(pd.concat([regions, country], ignore_index=True), "employed")
    return observations(changed, "employed_change", SOURCE_ID)

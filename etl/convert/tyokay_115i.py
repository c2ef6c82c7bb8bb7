"""StatFin tyokay 115i -> industry_employment: employed by region and TOL 2008 section."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.convert import employed
from etl.convert.aggregate import COUNTRY, change_pct
from etl.convert.errors import ConvertError
from etl.convert.raw import read_raw
from indicators.industries import all_codes
from indicators.industry import STORED_EMPLOYMENT_COLUMNS
from warehouse.atomic import replacing
from warehouse.paths import SNAPSHOT_INDUSTRY

RAW_FILE = employed.RAW_FILE
SOURCE_ID = employed.SOURCE_ID
DERIVED_FILE = Path("statfin_tyokay_115i") / "employed_by_region_year.csv"
INDUSTRY_COLUMNS = STORED_EMPLOYMENT_COLUMNS
SEXES = ("1", "2")


def read_industry(path: Path) -> pd.DataFrame:
    """Read employed persons by region, TOL 2008 section, sex and year (one row per cell).

    Raise ConvertError on an unknown section or sex, a count that is missing, negative or not
    whole, or a cell given twice.
    """
    raw = read_raw(path, "employment file", {"Area", "Industry", "Sex", "Year", "Value"})
    frame = pd.DataFrame({"area_code": raw["Area"].astype(str),
                          "period": pd.to_numeric(raw["Year"], errors="coerce"),
                          "industry": raw["Industry"].astype(str),
                          "sex": raw["Sex"].astype(str),
                          "value": pd.to_numeric(raw["Value"], errors="coerce")})
    name = Path(path).name
    unknown = sorted(set(frame["industry"]) - set(all_codes()))
    if unknown:
        raise ConvertError(f"{name}: unknown industry codes {unknown[:10]}")
    bad_sex = sorted(set(frame["sex"]) - set(SEXES))
    if bad_sex:
        raise ConvertError(f"{name}: unknown sex codes {bad_sex[:10]}")
    if frame["period"].isna().any() or (frame["period"] % 1 != 0).any():
        raise ConvertError(f"{name}: a year is missing or not a whole number")
    value = frame["value"]
    bad = value.isna() | (value < 0) | (value % 1 != 0)
    if bad.any():
        raise ConvertError(f"{name}: {int(bad.sum())} counts are missing, negative or not whole, "
                           f"e.g. {frame.loc[bad].head(3).to_dict('records')}")
    key = ["area_code", "period", "industry", "sex"]
    if frame.duplicated(key).any():
        raise ConvertError(f"{name}: cells given twice, e.g. "
                           f"{frame.loc[frame.duplicated(key)].head(3).to_dict('records')}")
    return frame.astype({"period": "int64", "value": "int64"})


def convert_industry(raw: pd.DataFrame, region_codes: set[str]) -> pd.DataFrame:
    """Sum the sexes per region, year and section; the country is the sum of every region.

    A region's cell needs both sexes; the country's cell needs that cell in all the regions
    (otherwise it is left out, never estimated). Section X (industry unknown) is kept.
    """
    unknown = sorted(set(raw["area_code"]) - set(region_codes))
    if unknown:
        raise ConvertError(f"employment file has unknown region codes {unknown}")
    key = ["area_code", "period", "industry"]
    cells = raw.groupby(key, as_index=False).agg(value=("value", "sum"),
                                                 sexes=("sex", "nunique"))
    regions = cells.loc[cells["sexes"] == len(SEXES), key + ["value"]]
    by_cell = regions.groupby(["period", "industry"], as_index=False).agg(
        value=("value", "sum"), n=("area_code", "nunique"))
    country = by_cell.loc[by_cell["n"] == len(region_codes)].drop(columns="n")
    out = pd.concat([regions, country.assign(area_code=COUNTRY)], ignore_index=True)
    return typed_industry(out.assign(source_id=SOURCE_ID))


def typed_industry(frame: pd.DataFrame) -> pd.DataFrame:
    """Return industry rows in the table's columns and order, period int32, value int64."""
    order = {code: n for n, code in enumerate(all_codes())}
    out = frame.loc[:, INDUSTRY_COLUMNS].copy()
    out["_area"] = (out["area_code"] != COUNTRY).astype(int)
    out["_order"] = out["industry"].map(order)
    out = out.sort_values(["_area", "area_code", "period", "_order"]).drop(
        columns=["_area", "_order"]).reset_index(drop=True)
    out["period"] = out["period"].astype("int32")
    out["value"] = out["value"].astype("int64")
    for column in ("area_code", "industry", "source_id"):
        out[column] = out[column].astype("string")
    return out


def check_industry(industry: pd.DataFrame, source_ids: set[str], area_codes: set[str]
                   ) -> list[str]:
    """Return every problem of the industry rows (empty when they may be written)."""
    if list(industry.columns) != INDUSTRY_COLUMNS:
        return [f"industry columns {list(industry.columns)} != {INDUSTRY_COLUMNS}"]
    problems = []
    for column, known, what in (("area_code", area_codes, "area codes"),
                                ("industry", set(all_codes()), "industry codes"),
                                ("source_id", source_ids, "source ids")):
        unknown = sorted(set(industry[column]) - known)
        if unknown:
            problems.append(f"industry: unknown {what}: {unknown[:10]}")
    if industry.duplicated(["area_code", "period", "industry"]).any():
        problems.append("industry: duplicate (area_code, period, industry) rows")
    if (industry["value"] < 0).any():
        problems.append("industry: negative counts")
    return problems


def read_derived_totals(path: Path) -> pd.DataFrame:
    """Read the raw folder's derived employed_by_region_year.csv (area_code, period, employed)."""
    raw = read_raw(path, "derived employed file", {"year", "region_code", "employed_persons"})
    return pd.DataFrame({"area_code": raw["region_code"].astype(str),
                         "period": raw["year"].astype(int),
                         "employed": raw["employed_persons"].astype(float)})


def _totals(industry: pd.DataFrame) -> pd.DataFrame:
    """Return employed persons per area and year, all sections (X included) summed."""
    return industry.groupby(["area_code", "period"], as_index=False).agg(
        employed=("value", "sum")).astype({"employed": "float64", "period": "int64"})


def check_region_totals(industry: pd.DataFrame, derived: pd.DataFrame) -> list[str]:
    """Return the region-years whose summed sections differ from the derived totals."""
    mine = _totals(industry.loc[industry["area_code"] != COUNTRY])
    both = mine.merge(derived, on=["area_code", "period"], how="outer",
                      suffixes=("", "_derived"), indicator=True)
    problems = []
    missing = both.loc[both["_merge"] != "both"]
    if len(missing):
        problems.append(f"industry totals and the derived file cover different region-years, "
                        f"e.g. {missing[['area_code', 'period']].head(3).to_dict('records')}")
    differ = both.loc[(both["_merge"] == "both") & (both["employed"] != both["employed_derived"])]
    if len(differ):
        shown = differ[["area_code", "period", "employed", "employed_derived"]].head(3)
        problems.append(f"{len(differ)} region-years differ from the derived totals, e.g. "
                        f"{shown.to_dict('records')}")
    return problems


def check_employed_change(industry: pd.DataFrame, observations: pd.DataFrame,
                          indicator_id: str = "employed_change") -> list[str]:
    """Return problems when the sections' totals do not reproduce every employed_change figure.

    The snapshot stores the change rounded to four decimals; so is the recomputed one.
    """
    published = observations.loc[observations["indicator_id"] == indicator_id,
                                 ["area_code", "period", "value"]]
    recomputed = change_pct(_totals(industry), "employed")[["area_code", "period", "value"]]
    both = published.merge(recomputed.astype({"period": published["period"].dtype}),
                           on=["area_code", "period"], how="left", suffixes=("", "_mine"))
    problems = []
    if both["value_mine"].isna().any():
        problems.append(f"{int(both['value_mine'].isna().sum())} {indicator_id} figures have no "
                        f"counterpart in industry_employment")
    gap = np.abs(both["value"] - both["value_mine"].round(4))
    if (gap > 1e-9).any():
        problems.append(f"{int((gap > 1e-9).sum())} {indicator_id} figures differ from the "
                        f"change of the summed sections (up to {float(gap.max()):.3g})")
    return problems


def write_industry(industry: pd.DataFrame, out_dir: Path) -> Path:
    """Write data/industry.parquet atomically (beside it, then renamed into place)."""
    target = Path(out_dir) / SNAPSHOT_INDUSTRY
    with replacing(target) as tmp:
        typed_industry(industry).to_parquet(tmp, index=False)
    return target

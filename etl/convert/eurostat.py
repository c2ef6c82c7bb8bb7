"""Eurostat NUTS-3 bulk TSV files -> GDP per head, density, enterprise births, natural increase."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pandas as pd

from etl.convert.aggregate import COUNTRY, ratio
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError

RAW_DIR = Path("eurostat_nuts3_vds2023w")
FILES = {"gdp": "estat_nama_10r_3gdp.tsv.gz", "density": "density.tsv.gz",
         "business": "bd_size_r3_tabular.tsv.gz", "births": "births.tsv.gz",
         "deaths": "deaths_total.tsv.gz"}
KNOWN_FLAGS = ("b", "e", "p")  # break, estimate, provisional (kept in this order when combined)
CELL = re.compile(r"^\s*(?P<value>[-+0-9.]+|:)?\s*(?P<flags>[a-z]*)\s*$")
NUTS0 = "FI"


def parse_cell(text: str) -> tuple[float | None, str | None]:
    """Parse an Eurostat cell ('36600', '4700p', '3.5 e', ':') into (value, flag).

    ':' gives (None, 'missing'). Of the flags only b, e and p are kept (first of them wins).
    """
    match = CELL.match(str(text))
    if not match:
        raise ConvertError(f"unreadable Eurostat cell {text!r}")
    raw_value, flags = match.group("value"), match.group("flags")
    if raw_value in (None, ":"):
        return None, "missing"
    flag = next((f for f in KNOWN_FLAGS if f in flags), None)
    return float(raw_value), flag


def read_eurostat(path: Path, geo_prefix: str = NUTS0) -> pd.DataFrame:
    """Read a bulk TSV (comma key, values split by comma or tab) into long rows for one country.

    Returns the key columns (lower-case, geo) plus period, value and flag.
    """
    path = Path(path)
    if not path.exists():
        raise ConvertError(f"Eurostat file missing: {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    if not lines:
        raise ConvertError(f"{path.name} is empty")
    header = re.split(r"[,\t]", lines[0])
    header = [h.strip() for h in header]
    n_keys = next((i for i, h in enumerate(header) if h.isdigit()), None)
    if n_keys is None:
        raise ConvertError(f"{path.name}: no year columns in header")
    keys = [h.split("\\")[0].lower() for h in header[:n_keys]]
    years = [int(h) for h in header[n_keys:]]
    if "geo" not in keys:
        raise ConvertError(f"{path.name}: no geo column")
    geo_at = keys.index("geo")
    rows = []
    for line in lines[1:]:
        cells = re.split(r"[,\t]", line)
        geo = cells[geo_at].strip()
        if not geo.startswith(geo_prefix):
            continue
        if len(cells) != len(header):
            raise ConvertError(f"{path.name}: row for {geo} has {len(cells)} cells, "
                               f"header {len(header)}")
        base = dict(zip(keys, (c.strip() for c in cells[:n_keys]), strict=True))
        for year, cell in zip(years, cells[n_keys:], strict=True):
            value, flag = parse_cell(cell)
            rows.append({**base, "period": year, "value": value, "flag": flag})
    return pd.DataFrame(rows)


def finnish_areas(frame: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Keep the country row 'FI' (-> SSS) and the NUTS 2021 regions (-> MKxx); drop other codes."""
    mapping = {NUTS0: COUNTRY, **division.region_for_nuts2021()}
    out = frame.loc[frame["geo"].isin(mapping)].copy()
    out["area_code"] = out["geo"].map(mapping)
    return out


def _published(frame: pd.DataFrame, indicator_id: str, source_id: str) -> pd.DataFrame:
    """Return observations of a directly published series (missing cells kept as 'missing')."""
    return observations(frame, indicator_id, source_id, flag=frame["flag"])


def gdp_per_capita(raw: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return nama_10r_3gdp EUR_HAB for the regions and the whole country."""
    data = finnish_areas(raw.loc[raw["unit"] == "EUR_HAB"], division)
    return _published(data, "gdp_per_capita", "eurostat_nama_10r_3gdp")


def population_density(raw: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return demo_r_d3dens PER_KM2 for the regions and the whole country."""
    data = finnish_areas(raw.loc[raw["unit"] == "PER_KM2"], division)
    return _published(data, "population_density", "eurostat_demo_r_d3dens")


def _combine_flags(a: pd.Series, b: pd.Series) -> pd.Series:
    """Return 'missing' when either part is missing, else the first non-null flag."""
    out = a.where(a.notna(), b)
    return out.where(~((a == "missing") | (b == "missing")), "missing")


def enterprise_birth_rate(raw: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return births / active enterprises × 100 (size class TOTAL, nace B-S_X_K642)."""
    sel = raw.loc[(raw["sizeclas"] == "TOTAL") & (raw["nace_r2"] == "B-S_X_K642")]
    sel = finnish_areas(sel, division)
    births = sel.loc[sel["indic_sb"] == "V11920", ["area_code", "period", "value", "flag"]]
    active = sel.loc[sel["indic_sb"] == "V11910", ["area_code", "period", "value", "flag"]]
    data = births.merge(active, on=["area_code", "period"], suffixes=("_b", "_a"),
                        validate="one_to_one")
    data["value"] = ratio(data["value_b"], data["value_a"], 100.0)
    data["flag"] = _combine_flags(data["flag_b"], data["flag_a"])
    return _published(data, "enterprise_birth_rate", "eurostat_bd_size_r3")


def nuts2021_population(population: pd.DataFrame, division: Division,
                        moves: pd.DataFrame) -> pd.DataFrame:
    """Sum municipal population onto NUTS 2021 regions (municipalities in moves keep old region).

    population: code, period, population; moves: municipality_code, region_code_nuts2021.
    Returns area_code, period, population for the regions and the whole country.
    """
    parents = division.parents.set_index("code")["region_code"].copy()
    for row in moves.itertuples():
        parents.loc[row.municipality_code] = row.region_code_nuts2021
    data = population.assign(area_code=population["code"].map(parents))
    if data["area_code"].isna().any():
        raise ConvertError("population has municipalities outside today's division")
    regions = data.groupby(["area_code", "period"], as_index=False)["population"].sum()
    country = data.groupby("period", as_index=False)["population"].sum().assign(area_code=COUNTRY)
    return pd.concat([regions, country], ignore_index=True)


def natural_increase(births: pd.DataFrame, deaths: pd.DataFrame, population: pd.DataFrame,
                     division: Division) -> pd.DataFrame:
    """Return (live births − deaths) / population 31.12. × 1000 on NUTS 2021 boundaries."""
    b = finnish_areas(births.loc[births["unit"] == "NR"], division)
    d = finnish_areas(deaths.loc[deaths["unit"] == "NR"], division)
    cols = ["area_code", "period", "value", "flag"]
    data = b[cols].merge(d[cols], on=["area_code", "period"], suffixes=("_b", "_d"),
                         validate="one_to_one")
    data = data.merge(population, on=["area_code", "period"], how="inner")
    data["value"] = ratio(data["value_b"] - data["value_d"], data["population"], 1000.0)
    data["flag"] = _combine_flags(data["flag_b"], data["flag_d"])
    return _published(data, "natural_increase_per_1000", "eurostat_demo_r_births_deaths")

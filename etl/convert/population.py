"""THL Sotkanet population 31.12. by municipality -> population_change and denominators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.aggregate import change_pct, rollup, to_today
from etl.convert.division import Division, observations
from etl.convert.raw import read_raw

RAW_FILE = Path("sotkanet_geofi") / "sotkadata_population_municipality.csv"
SOURCE_ID = "sotkanet_population"


def read_population(path: Path) -> pd.DataFrame:
    """Read the Sotkanet population file into code (3-digit), period, population."""
    raw = read_raw(path, "population file", {"municipality_code", "primary.value", "year"})
    return pd.DataFrame({"code": raw["municipality_code"].astype(int).map("{:03d}".format),
                         "period": raw["year"].astype(int),
                         "population": pd.to_numeric(raw["primary.value"]).astype(float)})


def municipal_population(raw: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return code, period, population summed onto today's municipalities."""
    today = to_today(raw, division.successor_map, division.current)
    return today.groupby(["code", "period"], as_index=False)["population"].sum()


def population_rollup(municipal: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return area_code, level, period, population for every level of today's division."""
    return rollup(municipal, ["population"], division.parents)


def population_change(municipal: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return population_change observations (% from the previous year) for all levels."""
    changed = change_pct(population_rollup(municipal, division), "population")
    return observations(changed, "population_change", SOURCE_ID)

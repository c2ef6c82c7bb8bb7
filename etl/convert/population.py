"""Population 31.12. by municipality (Sotkanet, then StatFin 11rh and 11ra) -> population series."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.aggregate import change_pct, rollup, to_today
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError
from etl.convert.raw import read_raw

RAW_FILE = Path("sotkanet_geofi") / "sotkadata_population_municipality.csv"
SOURCE_ID = "sotkanet_population"
RH_SOURCE = "statfin_vaerak_11rh_population"  # 11rh, as carried by the rpk 13kq file
RA_SOURCE = "statfin_vaerak_11ra_population"
COLUMNS = ["code", "period", "population"]


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


def statfin_population(rh: pd.DataFrame, ra: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return code, period, population, source_id from 11rh (2020–2024) and 11ra (2025).

    A year must come from one table only.
    """
    parts = [municipal_population(rh[COLUMNS], division).assign(source_id=RH_SOURCE),
             municipal_population(ra[COLUMNS], division).assign(source_id=RA_SOURCE)]
    data = pd.concat(parts, ignore_index=True)
    both = set(parts[0]["period"]) & set(parts[1]["period"])
    if both:
        raise ConvertError(f"11rh and 11ra both give the population of {sorted(both)}")
    return data


def population_series(sotkanet: pd.DataFrame, statfin: pd.DataFrame) -> pd.DataFrame:
    """Return code, period, population, source_id: Sotkanet to its last year, StatFin after.

    The two agree on 2020–2022 (checked: 922 of 924 municipality-years equal, Haapavesi and
    Nivala 2022 differ by ±10 persons).
    """
    last = sotkanet["period"].max()
    later = statfin.loc[statfin["period"] > last]
    return pd.concat([sotkanet.assign(source_id=SOURCE_ID), later], ignore_index=True)


def population_rollup(municipal: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return area_code, level, period, population for every level of today's division."""
    return rollup(municipal[COLUMNS], ["population"], division.parents)


def _sources_by_year(series: pd.DataFrame) -> pd.Series:
    """Return period -> source_id (each year of the series comes from one source)."""
    per_year = series.groupby("period")["source_id"].unique()
    mixed = per_year[per_year.map(len) > 1]
    if len(mixed):
        raise ConvertError(f"population years from more than one source: {list(mixed.index)}")
    return per_year.map(lambda s: s[0])


def population_observations(series: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return the population indicator (persons on 31.12.) for every level and year."""
    rolled = population_rollup(series, division).dropna(subset=["population"])
    sources = _sources_by_year(series)
    frames = [observations(part.assign(value=part["population"]), "population", sources[period])
              for period, part in rolled.groupby("period")]
    return pd.concat(frames, ignore_index=True)


def _change(municipal: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return the % change per area from the previous year.

    Only where both years sum the same number of municipalities, so that an area is never
    compared with a differently covered self.
    """
    rolled = population_rollup(municipal, division).sort_values(["area_code", "period"])
    rolled["_previous_parts"] = rolled.groupby("area_code")["n_parts"].shift(1)
    changed = change_pct(rolled, "population")
    return changed.loc[changed["n_parts"] == changed["_previous_parts"]]


def population_change(sotkanet: pd.DataFrame, statfin: pd.DataFrame,
                      division: Division) -> pd.DataFrame:
    """Return population_change (% from the previous year) for every level.

    Each year's change is computed within one source: Sotkanet's years from Sotkanet, later
    years from 11rh/11ra (their previous year too), so no change mixes two tables' borders.
    """
    last = sotkanet["period"].max()
    old = _change(sotkanet, division)
    frames = [observations(old, "population_change", SOURCE_ID)]
    new = _change(statfin, division)
    new = new.loc[new["period"] > last]
    sources = _sources_by_year(statfin)
    frames += [observations(part, "population_change", sources[period])
               for period, part in new.groupby("period")]
    return pd.concat(frames, ignore_index=True)

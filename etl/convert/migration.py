"""StatFin muutl 11a5 (migration between regions) -> net internal migration per 1,000."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.aggregate import COUNTRY, ratio
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError
from etl.convert.raw import read_raw

RAW_FILE = Path("statfin_muutl_11a5") / "migration_mk_to_mk_2002_2022.parquet"
SOURCE_ID = "statfin_muutl_11a5"
COLUMNS = ("Year", "Region of arrival", "Region of departure", "Value")


def read_migration(path: Path) -> pd.DataFrame:
    """Read the region-to-region migration flows (all origins, sexes and ages as rows)."""
    raw = read_raw(path, "migration file", COLUMNS)
    return pd.DataFrame({"period": raw["Year"].astype(int), "to": raw["Region of arrival"],
                         "from": raw["Region of departure"], "persons": raw["Value"].astype(float)})


def net_migration(flows: pd.DataFrame) -> pd.DataFrame:
    """Return area_code, period, net (arrivals minus departures between different regions)."""
    moves = flows.loc[flows["to"] != flows["from"]]
    arrivals = moves.groupby(["to", "period"])["persons"].sum().rename_axis(["area_code", "period"])
    departures = moves.groupby(["from", "period"])["persons"].sum().rename_axis(
        ["area_code", "period"])
    net = arrivals.sub(departures, fill_value=0).rename("net").reset_index()
    country = net.groupby("period", as_index=False)["net"].sum().assign(area_code=COUNTRY)
    return pd.concat([net, country], ignore_index=True)


def convert_migration(flows: pd.DataFrame, population: pd.DataFrame,
                      division: Division) -> pd.DataFrame:
    """Divide net migration by population 31.12. (area_code, period, population) × 1000."""
    net = net_migration(flows)
    unknown = sorted(set(net["area_code"]) - set(division.registry["code"]))
    if unknown:
        raise ConvertError(f"migration file has unknown region codes {unknown}")
    data = net.merge(population[["area_code", "period", "population"]], on=["area_code", "period"])
    data["value"] = ratio(data["net"], data["population"], 1000.0)
    return observations(data.dropna(subset=["value"]), "net_internal_migration_per_1000", SOURCE_ID)

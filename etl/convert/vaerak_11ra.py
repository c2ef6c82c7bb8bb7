"""StatFin vaerak/11ra (key figures on population) -> population 31.12., share 65+, mean age."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.division import Division
from etl.convert.published import check_sums, published
from etl.convert.pxweb_json import annual_table

RAW_FILE = Path("statfin_pxweb_2026_maps") / "age_register_kunnat_11ra.json"
POPULATION = "vaerak-vaesto"
PUBLISHED = {"share_65_plus": ("vaesto_yli64_p", "statfin_vaerak_11ra_65plus"),
             "mean_age": ("vaesto_keski_ika", "statfin_vaerak_11ra_mean_age")}


def table_11ra(long: pd.DataFrame, division: Division, name: str = RAW_FILE.name,
               ) -> pd.DataFrame:
    """Return the 11ra rows of today's areas; the published populations must add up."""
    contents = [POPULATION, *[code for code, _ in PUBLISHED.values()]]
    data = annual_table(long, contents, division, name)
    check_sums(data, [POPULATION], division, name)
    return data


def municipal_population(data: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return code, period, population of today's municipalities (for the population series)."""
    munis = data.loc[data["area_code"].isin(division.current) & data[POPULATION].notna()]
    return pd.DataFrame({"code": munis["area_code"].to_numpy(),
                         "period": munis["period"].astype(int).to_numpy(),
                         "population": munis[POPULATION].astype(float).to_numpy()})


def convert_11ra(data: pd.DataFrame) -> pd.DataFrame:
    """Return the published share of people aged 65+ and mean age for every level."""
    return pd.concat([published(data, code, ident, source)
                      for ident, (code, source) in PUBLISHED.items()], ignore_index=True)

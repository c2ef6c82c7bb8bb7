"""Statistics Finland commuting by municipality of residence -> works_in_home_municipality."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.aggregate import COUNTRY, prefer_published, rate_from_counts, to_today
from etl.convert.division import Division, observations
from etl.convert.raw import read_raw

RAW_FILE = Path("statfin_tyokay_pendelointi") / "commuting_by_residence_municipality_1987_2017.csv"
HOME = "Asuinkunnassaan työssäkäyvät"
TOTAL = "Yhteensä"
COUNTRY_LABEL = "KOKO MAA"
SOURCE_ID = "statfin_tyokay_pendelointi"


def read_commuting(path: Path) -> pd.DataFrame:
    """Read the commuting file into alue, period, home, total (counts of employed residents)."""
    raw = read_raw(path, "commuting file", {"alue", "time", HOME, TOTAL})
    return pd.DataFrame({"alue": raw["alue"], "period": raw["time"].astype(int),
                         "home": raw[HOME].astype(float), "total": raw[TOTAL].astype(float)})


def convert_commuting(raw: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return the share working in the home municipality for every level (country as published)."""
    munis = raw.loc[raw["alue"] != COUNTRY_LABEL].copy()
    munis["code"] = division.codes_for_names(munis["alue"])
    munis = to_today(munis, division.successor_map, division.current)
    rolled = rate_from_counts(munis, "home", "total", division.parents, scale=100.0,
                              levels=("municipality", "subregion", "region"))
    published = munis.assign(share=munis["home"] / munis["total"] * 100)
    rolled = prefer_published(rolled, published[["code", "period", "share"]], "share")
    country = raw.loc[raw["alue"] == COUNTRY_LABEL]
    country = pd.DataFrame({"area_code": COUNTRY, "period": country["period"],
                            "value": country["home"] / country["total"] * 100})
    out = pd.concat([rolled[["area_code", "period", "value"]], country], ignore_index=True)
    return observations(out.dropna(subset=["value"]), "works_in_home_municipality", SOURCE_ID)

"""Build the region registry and the successor table from geofi's municipality keys (pure)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.errors import ConvertError
from etl.convert.raw import read_raw

HERE = Path(__file__).parent
MERGERS_CSV = HERE / "mergers.csv"
NUTS2021_CSV = HERE / "nuts2021.csv"
NUTS2021_MOVES_CSV = HERE / "nuts2021_moves.csv"
KEY_COLUMNS = ("kunta", "municipality_name_fi", "municipality_name_sv", "municipality_name_en",
               "maakunta_code", "maakunta_name_fi", "maakunta_name_sv", "maakunta_name_en",
               "seutukunta_code", "seutukunta_name_fi", "nuts3_code")
COUNTRY_NAMES = {"name_fi": "Koko maa", "name_sv": "Hela landet", "name_en": "Whole country"}
REGISTRY_COLUMNS = ("code", "level", "parent_code", "region_code", "name_fi", "name_sv", "name_en",
                    "nuts3_code", "nuts3_2021", "sort_order")


def read_key(path: Path) -> pd.DataFrame:
    """Read one geofi municipality_key_<year>.csv with padded string codes."""
    key = read_raw(path, "municipality key", KEY_COLUMNS).loc[:, list(KEY_COLUMNS)].copy()
    key["kunta"] = key["kunta"].astype(int).map("{:03d}".format)
    key["region_code"] = key["maakunta_code"].astype(int).map("MK{:02d}".format)
    key["subregion_code"] = key["seutukunta_code"].astype(int).map("SK{:03d}".format)
    return key


def read_nuts2021(path: Path = NUTS2021_CSV) -> pd.DataFrame:
    """Return the declared NUTS 2021 code of each region (Eurostat files use these)."""
    return pd.read_csv(path, dtype=str)


def read_nuts2021_moves(path: Path = NUTS2021_MOVES_CSV) -> pd.DataFrame:
    """Return municipalities that changed region in 2021 (their NUTS 2021 region is the old one)."""
    return pd.read_csv(path, dtype=str)


def read_mergers(path: Path = MERGERS_CSV) -> pd.DataFrame:
    """Return the declared municipality mergers (old code, name, successor code, merger year)."""
    mergers = pd.read_csv(path, dtype={"old_code": str, "successor_code": str})
    mergers["merger_year"] = mergers["merger_year"].astype(int)
    return mergers


def registry_frame(key: pd.DataFrame, nuts2021: pd.DataFrame,
                   moves: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the area registry (country, regions, sub-regions, municipalities) from today's key.

    moves lists municipalities whose NUTS 2021 region is their pre-2021 region.
    """
    if key.groupby("subregion_code")["region_code"].nunique().max() != 1:
        raise ConvertError("a sub-region lies in more than one region in the municipality key")
    regions = (key.groupby("region_code", as_index=False)
               .agg(name_fi=("maakunta_name_fi", "first"), name_sv=("maakunta_name_sv", "first"),
                    name_en=("maakunta_name_en", "first"), nuts3_code=("nuts3_code", "first")))
    regions = regions.merge(nuts2021[["region_code", "nuts3_2021"]], on="region_code", how="left")
    if regions["nuts3_2021"].isna().any():
        lacking = list(regions.loc[regions["nuts3_2021"].isna(), "region_code"])
        raise ConvertError(f"no NUTS 2021 code for {lacking}")
    regions = regions.assign(code=regions["region_code"], level="region", parent_code="SSS")

    subs = (key.groupby("subregion_code", as_index=False)
            .agg(name_fi=("seutukunta_name_fi", "first"), region_code=("region_code", "first")))
    subs["name_sv"] = subs["name_fi"]  # the key has Finnish sub-region names only
    subs["name_en"] = subs["name_fi"]
    subs = subs.assign(code=subs["subregion_code"], level="subregion",
                       parent_code=subs["region_code"])

    munis = key.rename(columns={"kunta": "code", "municipality_name_fi": "name_fi",
                                "municipality_name_sv": "name_sv",
                                "municipality_name_en": "name_en"})
    munis = munis.assign(level="municipality", parent_code=munis["subregion_code"])

    region_nuts = regions.set_index("code")[["nuts3_code", "nuts3_2021"]]
    for frame in (subs, munis):
        frame["nuts3_code"] = frame["region_code"].map(region_nuts["nuts3_code"])
        frame["nuts3_2021"] = frame["region_code"].map(region_nuts["nuts3_2021"])
    if moves is not None:
        old = moves.set_index("municipality_code")["region_code_nuts2021"]
        moved = munis["code"].isin(old.index)
        munis.loc[moved, "nuts3_2021"] = (munis.loc[moved, "code"].map(old)
                                          .map(region_nuts["nuts3_2021"]))
    country = pd.DataFrame([{"code": "SSS", "level": "country", "parent_code": None,
                             "region_code": None, **COUNTRY_NAMES}])
    parts = [country, regions.sort_values("code"), subs.sort_values("code"),
             munis.sort_values("code")]
    out = pd.concat([p.reindex(columns=REGISTRY_COLUMNS) for p in parts], ignore_index=True)
    out["sort_order"] = range(len(out))
    return out


def successors_frame(mergers: pd.DataFrame, today: pd.DataFrame,
                     older_keys: list[pd.DataFrame]) -> pd.DataFrame:
    """Return the merger table checked against today's key; every vanished code must be declared."""
    names = today.set_index("kunta")
    unknown = sorted(set(mergers["successor_code"]) - set(names.index))
    if unknown:
        raise ConvertError(f"successor codes not in today's municipality key: {unknown}")
    current = set(names.index)
    still = sorted(set(mergers["old_code"]) & current)
    if still:
        raise ConvertError(f"merged-away codes still exist in today's key: {still}")
    for key in older_keys:
        vanished = sorted(set(key["kunta"]) - current - set(mergers["old_code"]))
        if vanished:
            raise ConvertError(f"municipalities {vanished} vanished from the key but have no "
                               "declared successor in etl/convert/mergers.csv")
    out = mergers.copy()
    out["successor_name_fi"] = out["successor_code"].map(names["municipality_name_fi"])
    out["successor_region_code"] = out["successor_code"].map(names["region_code"])
    return out[["old_code", "old_name_fi", "successor_code", "successor_name_fi",
                "successor_region_code", "merger_year"]].sort_values("old_code")

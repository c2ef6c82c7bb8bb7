"""THL Sotkanet inter-municipal net migration per 1,000 inhabitants, 1990–2024 (municipalities)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError

RAW_FILE = (Path("sotkanet_netmigration_spatialcourseOL")
            / "intermunicipal_net_migration_per_1000_1990_2024.csv")
SOURCE_ID = "sotkanet_intermunicipal_net_migration"
YEAR_COLUMN = re.compile(r"nm(\d{4})$")


def read_netmigration(path: Path) -> pd.DataFrame:
    """Read the wide file (nimi, tunnus, nm1990 … nm2024) into code, period, rate."""
    path = Path(path)
    if not path.exists():
        raise ConvertError(f"net migration file missing: {path}")
    raw = pd.read_csv(path, dtype={"tunnus": str}, encoding="utf-8-sig",
                      keep_default_na=False, na_values=[""])
    years = {c: int(m.group(1)) for c in raw.columns if (m := YEAR_COLUMN.match(str(c)))}
    if "tunnus" not in raw.columns or not years:
        raise ConvertError(f"{path.name}: expected columns tunnus and nm<year>")
    long = raw.melt(id_vars=["tunnus"], value_vars=list(years), var_name="column",
                    value_name="rate")
    rate = pd.to_numeric(long["rate"], errors="coerce")
    if (long["rate"].notna() & rate.isna()).any():
        raise ConvertError(f"{path.name}: a rate is not a number")
    return pd.DataFrame({"code": long["tunnus"].str.strip().str.zfill(3),
                         "period": long["column"].map(years).astype(int),
                         "rate": rate.astype(float)})


def convert_netmigration(data: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return the published municipal rates as net_internal_migration_per_1000.

    The file is on today's division; rates are never averaged into sub-regions or regions,
    since moves between municipalities of the same area cancel out there.
    """
    unknown = sorted(set(data["code"]) - division.current)
    if unknown:
        raise ConvertError(f"net migration file has codes not on today's division: {unknown[:10]}")
    if data.duplicated(["code", "period"]).any():
        raise ConvertError("net migration file lists a municipality twice")
    rows = data.dropna(subset=["rate"]).rename(columns={"code": "area_code", "rate": "value"})
    return observations(rows, "net_internal_migration_per_1000", SOURCE_ID)

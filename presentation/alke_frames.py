"""The warehouse frames behind the ALKE views (fast picture, alerts, industry, EU twins)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from warehouse import query

MONTHLY_LEVELS = ("country", "region", "subregion")


@dataclass(frozen=True)
class AlkeFrames:
    """The monthly, alert, industry and EU tables, read once per warehouse version."""

    areas: pd.DataFrame
    monthly_series: pd.DataFrame
    monthly: pd.DataFrame
    alerts: pd.DataFrame
    industries: pd.DataFrame
    industry_employment: pd.DataFrame
    eu_regions: pd.DataFrame
    eu_variables: pd.DataFrame
    eu_observations: pd.DataFrame
    eu_twins: pd.DataFrame


def read_alke_frames(con: duckdb.DuckDBPyConnection) -> AlkeFrames:
    """Return the ALKE frames from an open read-only connection (empty tables stay empty)."""
    areas = query.areas(con, levels=list(MONTHLY_LEVELS))
    twins = query.eu_twins(con)
    nuts = sorted(set(twins["nuts_code"].astype(str)) | set(twins["twin_nuts"].astype(str)))
    countries = sorted({code[:2] for code in nuts})  # their countries' names as published
    return AlkeFrames(
        areas=areas, monthly_series=query.monthly_series(con),
        monthly=query.monthly_observations(con, area_codes=list(areas["code"])),
        alerts=query.alerts(con), industries=query.industries(con),
        industry_employment=query.industry_employment(con),
        eu_regions=query.eu_regions(con, nuts_codes=[*nuts, *countries] or None),
        eu_variables=query.eu_variables(con),
        eu_observations=query.eu_observations(con, nuts_codes=nuts or None), eu_twins=twins)


def load_alke_frames(db_path: Path | str | None = None) -> AlkeFrames:
    """Open the warehouse read-only (default: $TILANNEKUVA_DB), read the frames and close it."""
    con = query.connect(db_path)
    try:
        return read_alke_frames(con)
    finally:
        con.close()

"""TEM employment-service statistics (StatFin tyonv 1001), monthly by region -> annual rates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.aggregate import COUNTRY, ratio
from etl.convert.division import Division, observations
from etl.convert.raw import read_raw

REGION_FILE = Path("tem_tyonv_1001") / "data_maakunta_1001.csv"
COUNTRY_FILE = Path("tem_tyonv_1001") / "data_kokomaa_1001.csv"
COLUMNS = ("Tyottomat", "Tyovoima", "Avoimet_tyopaikat", "time")


def read_tem(path: Path, region_column: str | None) -> pd.DataFrame:
    """Read a monthly 1001 file into area name (or None), year, month and the three counts."""
    raw = read_raw(path, "TEM file", set(COLUMNS) | ({region_column} if region_column else set()))
    time = pd.to_datetime(raw["time"])
    return pd.DataFrame({
        "area": raw[region_column] if region_column else None,
        "period": time.dt.year, "month": time.dt.month,
        "unemployed": raw["Tyottomat"].astype(float), "labour_force": raw["Tyovoima"].astype(float),
        "vacancies": raw["Avoimet_tyopaikat"].astype(float)})


def annual_means(monthly: pd.DataFrame) -> pd.DataFrame:
    """Return the mean of the monthly counts per area_code and full year (12 months) only."""
    grouped = monthly.groupby(["area_code", "period"])
    means = grouped[["unemployed", "labour_force", "vacancies"]].mean()
    months = grouped["month"].nunique()
    return means.loc[months == 12].reset_index()


def convert_tem(regions: pd.DataFrame, country: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return unemployment_rate and vacancies_per_100_unemployed for regions and the country."""
    regions = regions.assign(area_code=regions["area"].map(division.region_for_name))
    country = country.assign(area_code=COUNTRY)
    annual = annual_means(pd.concat([regions, country], ignore_index=True))
    unemployment = annual.assign(value=ratio(annual["unemployed"], annual["labour_force"], 100.0))
    vacancies = annual.assign(value=ratio(annual["vacancies"], annual["unemployed"], 100.0))
    return pd.concat([
        observations(unemployment.dropna(subset=["value"]), "unemployment_rate", "tem_tyonv_1001"),
        observations(vacancies.dropna(subset=["value"]), "vacancies_per_100_unemployed",
                     "tem_tyonv_1001_vacancies"),
    ], ignore_index=True)

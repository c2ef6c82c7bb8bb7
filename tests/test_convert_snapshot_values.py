"""The committed snapshot (data/) against figures computed by hand from the raw excerpts."""

import csv
from pathlib import Path

import pandas as pd
import pytest
from raw_excerpts import MK12_MUNICIPALITIES, MK12_SUBREGIONS, RAW, monthly_12r5, number

DATA = Path(__file__).resolve().parent.parent / "data"
EDU, INCOME, AGE, VITAL, JOBS = ("education_register_kunnat_12bs.json",
                                 "income_register_kunnat_14ww.json",
                                 "age_register_kunnat_11ra.json",
                                 "population_register_kunnat_121w.json",
                                 "unemployment_register_kunnat_12r5.json")


@pytest.fixture(scope="module")
def obs():
    frame = pd.read_parquet(DATA / "observations.parquet")
    return frame.set_index(["indicator_id", "area_code", "period"])


@pytest.fixture(scope="module")
def monthly():
    return pd.read_parquet(DATA / "monthly.parquet").set_index(["series_id", "area_code", "month"])


def value(obs, indicator, area, period):
    return obs.loc[(indicator, area, period), "value"]


def sum_of(file_name, codes, content):
    return sum(number(file_name, f"KU{c}", content) for c in codes)


def test_education_2025(obs):
    assert value(obs, "tertiary_education_share", "MK12", 2025) == 29.1
    assert value(obs, "tertiary_education_share", "167", 2025) == number(EDU, "KU167",
                                                                         "kaste5T8osuus")
    codes = MK12_SUBREGIONS["SK122"]
    assert value(obs, "tertiary_education_share", "SK122", 2025) == pytest.approx(
        sum_of(EDU, codes, "kaste5T8") / sum_of(EDU, codes, "vaesto_15_") * 100, abs=1e-4)
    codes = MK12_SUBREGIONS["SK124"]
    assert value(obs, "no_post_basic_share", "SK124", 2025) == pytest.approx(
        sum_of(EDU, codes, "kaste0") / sum_of(EDU, codes, "vaesto_15_") * 100, abs=1e-4)
    assert value(obs, "education_level_index", "167", 2025) == number(EDU, "KU167", "vktm")


def test_income_2024(obs):
    assert value(obs, "low_income_rate", "SK125", 2024) == number(INCOME, "SK125", "rpt_aste")
    assert value(obs, "low_income_rate", "MK12", 2024) == 19.0
    assert value(obs, "median_income", "541", 2024) == number(INCOME, "KU541",
                                                              "tjt-ekvikturaha_med")
    assert value(obs, "basic_security_share", "MK12", 2024) == pytest.approx(
        number(INCOME, "MK12", "pt1_henkiloita") / number(INCOME, "MK12", "tjt-henkiloita")
        * 100, abs=1e-4)
    row = obs.loc[("child_low_income_rate", "035", 2024)]
    assert pd.isna(row["value"]) and row["flag"] == "confidential"


def test_low_income_2019_and_gini_2019_from_sotkanet(obs):
    path = RAW / "sotkanet_spatialcourseOL" / "sotkanet_2019_municipal.csv"
    with open(path, encoding="utf-8") as fh:
        rows = {(r["indicator"], r["region.code"]): r for r in csv.DictReader(fh)}
    assert value(obs, "low_income_rate", "214", 2019) == float(rows[("3099", "214")]
                                                                ["primary.value"])
    assert value(obs, "gini_coefficient", "214", 2019) == float(rows[("3126", "214")]
                                                                 ["primary.value"])
    assert ("gini_coefficient", "MK04", 2019) not in obs.index


def test_population_2025(obs):
    assert value(obs, "population", "MK12", 2025) == sum_of(AGE, MK12_MUNICIPALITIES,
                                                           "vaerak-vaesto") == 161418
    assert value(obs, "population", "SSS", 2025) == 5652881
    assert value(obs, "share_65_plus", "SK124", 2025) == number(AGE, "SK124", "vaesto_yli64_p")
    assert value(obs, "mean_age", "SSS", 2025) == 44.1
    # total change 2025 (121w) over the population at the end of 2024
    change = number(VITAL, "KU167", "ssaaty-kokmuutos")
    before = number(VITAL, "KU167", "ssaaty-vaesto") - change
    assert value(obs, "population_change", "167", 2025) == pytest.approx(
        change / before * 100, abs=1e-4)


def test_vital_statistics_2025(obs):
    for indicator, content in (("natural_increase_per_1000", "ssaaty-luonvalisays"),
                               ("net_internal_migration_per_1000", "ssaaty-vm43_netto"),
                               ("net_immigration_per_1000", "ssaaty-vm4142")):
        assert value(obs, indicator, "MK12", 2025) == pytest.approx(
            sum_of(VITAL, MK12_MUNICIPALITIES, content)
            / sum_of(VITAL, MK12_MUNICIPALITIES, "ssaaty-vaesto") * 1000, abs=1e-4)
    assert value(obs, "net_internal_migration_per_1000", "SSS", 2025) == 0.0


def test_municipal_net_migration_1990_2024(obs):
    path = RAW / "sotkanet_netmigration_spatialcourseOL" / \
        "intermunicipal_net_migration_per_1000_1990_2024.csv"
    with open(path, encoding="utf-8-sig") as fh:
        rows = {r["tunnus"]: r for r in csv.DictReader(fh)}
    for code, year in (("167", 2024), ("422", 2010), ("890", 1990)):
        assert value(obs, "net_internal_migration_per_1000", code, year) == float(
            rows[code][f"nm{year}"])


def test_unemployment_from_monthly_counts(obs, monthly):
    cells = monthly_12r5()
    months = [f"2019-{m:02d}" for m in range(1, 13)]
    for area, code in (("MK12", "MK12"), ("SK125", "SK125"), ("167", "KU167")):
        unemployed = sum(cells[(code, "TYOTTOMATLOPUSSA", m)] for m in months)
        force = sum(cells[(code, "TYOVOIMATK", m)] for m in months)
        assert value(obs, "unemployment_rate", area, 2019) == pytest.approx(
            unemployed / force * 100, abs=1e-4)
    months = [f"2023-{m:02d}" for m in range(1, 11)]
    row = obs.loc[("unemployment_rate", "MK12", 2023)]
    assert row["flag"] == "partial"
    assert row["value"] == pytest.approx(
        sum(cells[("MK12", "TYOTTOMATLOPUSSA", m)] for m in months)
        / sum(cells[("MK12", "TYOVOIMATK", m)] for m in months) * 100, abs=1e-4)
    merged = cells[("KU507", "TYOTTOMATLOPUSSA", "2019-09")] + cells[
        ("KU588", "TYOTTOMATLOPUSSA", "2019-09")]
    assert monthly.loc[("unemployed", "507", "2019-09"), "value"] == merged
    assert monthly.loc[("laid_off", "MK12", "2026-06"), "value"] == number(JOBS, "MK12",
                                                                            "LOMAUTETTU")


def test_road_accidents_2022_2023_for_regions(obs):
    path = RAW / "vayla_tieliikenneonnettomuudet_2022_2023" / \
        "road_accidents_by_region_year_2022_2023.csv"
    with open(path, encoding="utf-8") as fh:
        derived = {(int(r["year"]), r["region_code"]): r for r in csv.DictReader(fh)}
    for (year, area), row in derived.items():
        population = value(obs, "population", area, year)
        injury = value(obs, "road_injury_accidents_per_100k", area, year) * population / 1e5
        fatal = value(obs, "road_fatal_accidents_per_100k", area, year) * population / 1e5
        assert injury == pytest.approx(int(row["fatal"]) + int(row["injury"]), abs=1e-3)
        assert fatal == pytest.approx(int(row["fatal"]), abs=1e-3)
    assert ("road_injury_accidents_per_100k", "167", 2023) not in obs.index
    assert ("road_injury_accidents_per_100k", "167", 2022) in obs.index


def test_annual_unemployment_equals_the_raw_folders_own_annual_file(obs):
    path = RAW / "tem_tyonv_12r5_2006_2023" / "unemployment_by_region_year_2006_2023.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 * 18
    for row in rows:
        key = (row["region_code"], int(row["year"]))
        rate = obs.loc[("unemployment_rate", *key)]
        assert round(rate["value"], 2) == float(row["unemployment_rate_pct"]), key
        flag = rate["flag"] if pd.notna(rate["flag"]) else None
        assert flag == ("partial" if int(row["months"]) < 12 else None), key
        vacancies = value(obs, "vacancies_per_100_unemployed", *key)
        assert round(vacancies, 2) == float(row["vacancies_per_100_unemployed"]), key

"""THL Sotkanet municipal indicators for 2019 -> wellbeing, skills and income differences."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.convert.aggregate import (
    coverage_filter,
    prefer_published,
    rate_from_counts,
    rollup,
    to_today,
)
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError
from etl.convert.raw import read_raw

RAW_FILE = Path("sotkanet_spatialcourseOL") / "sotkanet_2019_municipal.csv"
COVERAGE = 0.97  # aggregates need municipalities with a figure holding >= 97 % of the population

UNEMPLOYED = 181
LONG_TERM_UNEMPLOYED = 3562
SOCIAL_ASSISTANCE = 5
LOW_INCOME = 3099
TERTIARY_20PLUS = 3195
ECONOMIC_DEPENDENCY = 182
DEMOGRAPHIC_DEPENDENCY = 761
YOUTH_LONG_TERM_ASSISTANCE = 1275
GINI = 3126


def read_sotkanet(path: Path) -> pd.DataFrame:
    """Read the Sotkanet 2019 file into indicator, code, period, rate, count (gender total only)."""
    raw = read_raw(path, "Sotkanet file", {"indicator", "year", "gender", "primary.value",
                                           "absolute.value", "region.code", "region.category"})
    raw = raw.loc[(raw["gender"] == "total") & (raw["region.category"] == "KUNTA")]
    return pd.DataFrame({"indicator": raw["indicator"].astype(int),
                         "code": raw["region.code"].astype(int).map("{:03d}".format),
                         "period": raw["year"].astype(int),
                         "rate": pd.to_numeric(raw["primary.value"]).astype(float),
                         "count": pd.to_numeric(raw["absolute.value"]).astype(float)})


def _one(data: pd.DataFrame, indicator: int, division: Division) -> pd.DataFrame:
    """Return the rows of one Sotkanet indicator on today's municipalities (merged codes mapped)."""
    part = data.loc[data["indicator"] == indicator].drop(columns="indicator")
    if part.empty:
        raise ConvertError(f"Sotkanet indicator {indicator} has no rows")
    return to_today(part, division.successor_map, division.current)


def _finish(rolled: pd.DataFrame, published: pd.DataFrame, population: pd.DataFrame,
            division: Division, indicator_id: str, source_id: str) -> pd.DataFrame:
    """Prefer published municipal rates, drop poorly covered aggregates, return observations."""
    rolled = prefer_published(rolled, published[["code", "period", "rate"]], "rate")
    covered_codes = published[["code", "period"]]
    covered = rollup(population.merge(covered_codes, on=["code", "period"]), ["population"],
                     division.parents)
    periods = population.loc[population["period"].isin(published["period"].unique())]
    total = rollup(periods, ["population"], division.parents)
    rolled = coverage_filter(rolled, covered, total, "population", COVERAGE)
    return observations(rolled.dropna(subset=["value"]), indicator_id, source_id)


def rate_with_own_denominator(data: pd.DataFrame, indicator: int, population: pd.DataFrame,
                              division: Division, indicator_id: str, source_id: str,
                              ) -> pd.DataFrame:
    """Recompute a rate from its count and the denominator recovered as count / rate × 100."""
    part = _one(data, indicator, division)
    part = part.loc[part["rate"] > 0].assign(denominator=lambda d: d["count"] / d["rate"] * 100)
    rolled = rate_from_counts(part, "count", "denominator", division.parents, scale=100.0)
    return _finish(rolled, part, population, division, indicator_id, source_id)


def long_term_unemployed(data: pd.DataFrame, population: pd.DataFrame,
                         division: Division) -> pd.DataFrame:
    """Long-term unemployed / labour force; the labour force is recovered from indicator 181."""
    ltu = _one(data, LONG_TERM_UNEMPLOYED, division)
    unemp = _one(data, UNEMPLOYED, division)
    unemp = unemp.loc[unemp["rate"] > 0]
    force = unemp.assign(labour_force=unemp["count"] / unemp["rate"] * 100)
    part = ltu.merge(force[["code", "period", "labour_force"]], on=["code", "period"])
    rolled = rate_from_counts(part, "count", "labour_force", division.parents, scale=100.0)
    return _finish(rolled, part, population, division, "long_term_unemployed_share",
                   "sotkanet_3562")


def dependency_ratio(data: pd.DataFrame, indicator: int, population: pd.DataFrame,
                     division: Division, indicator_id: str, source_id: str) -> pd.DataFrame:
    """Aggregate a ratio 'others per 100 base persons' weighted by the base persons.

    The base (employed persons for 182, people aged 15–64 for 761) is recovered from the
    population 31.12. as population / (1 + ratio / 100); others = population − base.
    """
    part = _one(data, indicator, division)
    part = part.merge(population, on=["code", "period"], how="inner")
    part["base"] = part["population"] / (1 + part["rate"] / 100)
    part["others"] = part["population"] - part["base"]
    rolled = rate_from_counts(part, "others", "base", division.parents, scale=100.0)
    return _finish(rolled, part, population, division, indicator_id, source_id)


def municipal_published(data: pd.DataFrame, indicator: int, division: Division,
                        indicator_id: str, source_id: str) -> pd.DataFrame:
    """Return a published municipal figure that cannot be aggregated (e.g. a Gini coefficient).

    Only municipalities; a today's municipality made of several source municipalities gets none.
    """
    part = _one(data, indicator, division)
    part = part.loc[~part.duplicated(["code", "period"], keep=False)]
    rows = part.dropna(subset=["rate"]).rename(columns={"code": "area_code", "rate": "value"})
    return observations(rows, indicator_id, source_id)


def convert_sotkanet(data: pd.DataFrame, population: pd.DataFrame,
                     division: Division) -> pd.DataFrame:
    """Return observations of the Sotkanet 2019 indicators (population: code, period, value)."""
    frames = [
        rate_with_own_denominator(data, LOW_INCOME, population, division, "low_income_rate",
                                  "sotkanet_3099"),
        rate_with_own_denominator(data, SOCIAL_ASSISTANCE, population, division,
                                  "social_assistance_25_64", "sotkanet_5"),
        rate_with_own_denominator(data, TERTIARY_20PLUS, population, division,
                                  "higher_education_20plus", "sotkanet_3195"),
        municipal_published(data, GINI, division, "gini_coefficient", "sotkanet_3126"),
        rate_with_own_denominator(data, YOUTH_LONG_TERM_ASSISTANCE, population, division,
                                  "youth_long_term_social_assistance", "sotkanet_1275"),
        long_term_unemployed(data, population, division),
        dependency_ratio(data, ECONOMIC_DEPENDENCY, population, division,
                         "economic_dependency_ratio", "sotkanet_182"),
        dependency_ratio(data, DEMOGRAPHIC_DEPENDENCY, population, division,
                         "demographic_dependency_ratio", "sotkanet_761"),
    ]
    return pd.concat(frames, ignore_index=True)

"""Väylävirasto road-traffic accident records -> injury and fatal accidents per 100,000."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.convert.aggregate import rate_from_counts, to_today
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError

RAW_DIR = Path("vayla_tieliikenneonnettomuudet")
FILE_PATTERN = re.compile(r"tieliikenneonnettomuudet_(\d{4})_onnettomuus\.csv(\.gz)?$")
FATAL, INJURY = 1, 2  # Vakavuusko: 1 fatal, 2 injury, 0 property damage only
ALAND = "MK21"  # the records do not cover Åland
INDICATORS = {"road_injury_accidents_per_100k": ("fatal_or_injury", "vayla_onnettomuudet_injury"),
              "road_fatal_accidents_per_100k": ("fatal", "vayla_onnettomuudet_fatal")}


def read_accident_file(path: Path) -> pd.DataFrame:
    """Read one yearly accident file (';'-separated, latin-1) into period, code, severity."""
    try:
        raw = pd.read_csv(path, sep=";", encoding="latin-1",
                          usecols=["Vuosi", "Vakavuusko", "Kunta"])
    except ValueError as exc:
        raise ConvertError(f"{Path(path).name}: {exc}") from exc
    return pd.DataFrame({"period": raw["Vuosi"].astype(int),
                         "code": raw["Kunta"].astype(int).map("{:03d}".format),
                         "severity": raw["Vakavuusko"].astype(int)})


def read_accidents(folder: Path) -> pd.DataFrame:
    """Read every yearly accident file in a folder."""
    files = sorted(p for p in Path(folder).glob("*") if FILE_PATTERN.search(p.name))
    if not files:
        raise ConvertError(f"no tieliikenneonnettomuudet_<year>_onnettomuus.csv(.gz) in {folder}")
    return pd.concat([read_accident_file(p) for p in files], ignore_index=True)


def accident_counts(records: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Count fatal and fatal-or-injury accidents per today's municipality and year (zeros kept).

    Only mainland municipalities are returned, for every year present in the records.
    """
    data = to_today(records, division.successor_map, division.current)
    data["fatal"] = (data["severity"] == FATAL).astype(int)
    data["fatal_or_injury"] = data["severity"].isin([FATAL, INJURY]).astype(int)
    counts = data.groupby(["code", "period"])[["fatal", "fatal_or_injury"]].sum()
    parents = division.parents
    mainland = parents.loc[parents["region_code"] != ALAND, "code"]
    full = pd.MultiIndex.from_product([sorted(mainland), sorted(data["period"].unique())],
                                      names=["code", "period"])
    stray = sorted(set(counts.index.get_level_values("code")) - set(mainland))
    if stray:
        raise ConvertError(f"accident records in municipalities outside the mainland: {stray}")
    return counts.reindex(full, fill_value=0).reset_index()


def convert_accidents(records: pd.DataFrame, population: pd.DataFrame,
                      division: Division) -> pd.DataFrame:
    """Return both accident rates per 100,000 (population 31.12.) on the mainland division."""
    counts = accident_counts(records, division)
    data = counts.merge(population, on=["code", "period"], how="left", validate="one_to_one")
    if data["population"].isna().any():
        raise ConvertError("population missing for some municipality-years of the accident data")
    frames = []
    for indicator_id, (column, source_id) in INDICATORS.items():
        rolled = rate_from_counts(data, column, "population", division.parents, scale=1e5)
        frames.append(observations(rolled.dropna(subset=["value"]), indicator_id, source_id))
    return pd.concat(frames, ignore_index=True)

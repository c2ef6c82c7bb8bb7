"""Väylävirasto road-traffic accident records -> injury and fatal accidents per 100,000.

The records cover all road keepers (state roads, municipal streets and other roads) of
mainland Finland. Files up to 2021 give the municipality as a number; from 2022 (new data model)
the municipality and region are names, and in 2023 they are empty for every accident on a
municipal or other road, so those are placed in their region by their coordinates.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pandas as pd

from etl.convert.aggregate import COUNTRY, rate_from_counts, ratio, to_today
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError

RAW_DIR = Path("vayla_tieliikenneonnettomuudet")
NEW_DIR = Path("vayla_tieliikenneonnettomuudet_2022_2023")
FILE_PATTERN = re.compile(r"tieliikenneonnettomuudet_(\d{4})_onnettomuus\.csv(\.gz)?$")
NEW_PATTERN = re.compile(r"tieliikenneonnettomuudet_(\d{4})_onnettomuu(s|det)\.csv(\.gz)?$")
FATAL, INJURY, PROPERTY_ONLY = 1, 2, 0  # Vakavuusko of the files up to 2021
SEVERITY_TEXT = {"Kuolemaan johtanut": FATAL, "Loukkaantumiseen johtanut": INJURY,
                 "Ei henkilövahinkoja": PROPERTY_ONLY}
ALAND = "MK21"  # the records do not cover Åland
# Municipal (and sub-region) figures only for years in which at most this share of the
# accidents has no municipality (2022: 21 of 9,924; 2023: 3,900 of 9,091, so none for 2023).
MAX_UNPLACED_SHARE = 0.01
RECORD_COLUMNS = ["period", "code", "region_code", "x", "y", "severity"]
INDICATORS = {"road_injury_accidents_per_100k": ("fatal_or_injury", "vayla_onnettomuudet_injury"),
              "road_fatal_accidents_per_100k": ("fatal", "vayla_onnettomuudet_fatal")}


def read_accident_file(path: Path) -> pd.DataFrame:
    """Read one yearly file of the old model (';', latin-1, codes) into the record columns."""
    try:
        raw = pd.read_csv(path, sep=";", encoding="latin-1",
                          usecols=["Vuosi", "Vakavuusko", "Kunta"])
    except ValueError as exc:
        raise ConvertError(f"{Path(path).name}: {exc}") from exc
    return pd.DataFrame({"period": raw["Vuosi"].astype(int),
                         "code": raw["Kunta"].astype(int).map("{:03d}".format),
                         "region_code": None, "x": float("nan"), "y": float("nan"),
                         "severity": raw["Vakavuusko"].astype(int)})


def _encoding(path: Path) -> str:
    """Return 'utf-8-sig' for a file that starts with a byte-order mark, else 'latin-1'."""
    opener = gzip.open if Path(path).suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return "utf-8-sig" if fh.read(3) == b"\xef\xbb\xbf" else "latin-1"


def parse_new_model(raw: pd.DataFrame, division: Division, name: str) -> pd.DataFrame:
    """Return the record columns of a 2022+ file (names and texts instead of codes)."""
    raw = raw.rename(columns=lambda c: str(c).strip())
    needed = {"Vuosi", "Vakavuus", "Maakunta", "Kunta", "x-koordinaatti", "y-koordinaatti"}
    missing = sorted(needed - set(raw.columns))
    if missing:
        raise ConvertError(f"{name}: columns missing {missing}")
    severity = raw["Vakavuus"].map(SEVERITY_TEXT)
    if severity.isna().any():
        unknown = sorted(set(raw.loc[severity.isna(), "Vakavuus"].astype(str)))
        raise ConvertError(f"{name}: unknown Vakavuus {unknown}")
    names = raw["Kunta"].where(raw["Kunta"].notna() & (raw["Kunta"].astype(str).str.strip() != ""))
    codes = pd.Series(None, index=raw.index, dtype=object)
    named = names.notna()
    codes[named] = division.codes_for_names(names[named].astype(str))
    regions = raw["Maakunta"].map(lambda n: division.region_for_name(n)
                                  if isinstance(n, str) and n.strip() else None)
    return pd.DataFrame({"period": pd.to_numeric(raw["Vuosi"]).astype(int), "code": codes,
                         "region_code": regions,
                         "x": pd.to_numeric(raw["x-koordinaatti"], errors="coerce"),
                         "y": pd.to_numeric(raw["y-koordinaatti"], errors="coerce"),
                         "severity": severity.astype(int)})


def read_new_model_file(path: Path, division: Division) -> pd.DataFrame:
    """Read one 2022+ file (';', latin-1 or UTF-8 with BOM) into the record columns."""
    try:
        raw = pd.read_csv(path, sep=";", encoding=_encoding(path), dtype=str)
    except (ValueError, OSError) as exc:
        raise ConvertError(f"{Path(path).name}: {exc}") from exc
    return parse_new_model(raw, division, Path(path).name)


def _files(folder: Path, pattern: re.Pattern) -> list[Path]:
    """Return the yearly files of a folder, by name."""
    return sorted(p for p in Path(folder).glob("*") if pattern.search(p.name))


def read_accidents(folder: Path, new_folder: Path | None = None,
                   division: Division | None = None) -> pd.DataFrame:
    """Read every yearly file of the old model (folder) and of the new one (new_folder)."""
    files = _files(folder, FILE_PATTERN)
    if not files:
        raise ConvertError(f"no tieliikenneonnettomuudet_<year>_onnettomuus.csv(.gz) in {folder}")
    parts = [read_accident_file(p) for p in files]
    if new_folder is not None:
        new_files = _files(new_folder, NEW_PATTERN)
        if not new_files:
            raise ConvertError(f"no tieliikenneonnettomuudet_<year>_onnettomuu*.csv(.gz) in "
                               f"{new_folder}")
        parts += [read_new_model_file(p, division) for p in new_files]
    records = pd.concat(parts, ignore_index=True)
    return records.astype({"code": object, "region_code": object})


def place(records: pd.DataFrame, division: Division, boundaries: list | None = None,
          ) -> pd.DataFrame:
    """Return records on today's municipalities with a region for every placeable accident.

    The region comes from the municipality, else from the region name, else (when boundaries
    are given) from the coordinates; accidents that cannot be placed keep region None.
    """
    data = to_today(records, division.successor_map, division.current)
    parents = division.parents.set_index("code")["region_code"]
    from_code = data["code"].map(lambda c: parents.get(c) if isinstance(c, str) else None)
    clash = from_code.notna() & data["region_code"].notna() & (from_code != data["region_code"])
    if clash.any():
        raise ConvertError(f"{int(clash.sum())} accidents name a municipality outside their "
                           "region")
    data["region_code"] = from_code.where(from_code.notna(), data["region_code"])
    todo = data["region_code"].isna() & data["x"].notna()
    if todo.any() and boundaries is not None:
        from etl.convert.locate import regions_of_points

        data.loc[todo, "region_code"] = regions_of_points(data.loc[todo, "x"],
                                                          data.loc[todo, "y"], boundaries)
    stray = sorted(set(data["region_code"].dropna()) - set(division.parents["region_code"])
                   | ({ALAND} & set(data["region_code"].dropna())))
    if stray:
        raise ConvertError(f"accident records in regions outside the mainland: {stray}")
    return data


def _severity_counts(data: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return fatal and fatal-or-injury accident counts per key."""
    counted = data.assign(fatal=(data["severity"] == FATAL).astype(int),
                          fatal_or_injury=data["severity"].isin([FATAL, INJURY]).astype(int))
    return counted.groupby(keys)[["fatal", "fatal_or_injury"]].sum()


def municipal_years(placed: pd.DataFrame, max_unplaced: float = MAX_UNPLACED_SHARE) -> list[int]:
    """Return the years in which at most max_unplaced of the accidents lack a municipality."""
    unplaced = placed["code"].isna().groupby(placed["period"]).mean()
    return sorted(int(y) for y in unplaced.index[unplaced <= max_unplaced])


def accident_counts(records: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Count fatal and fatal-or-injury accidents per today's municipality and year (zeros kept).

    Only mainland municipalities are returned, for every year present in the records.
    """
    data = to_today(records, division.successor_map, division.current)
    parents = division.parents
    mainland = parents.loc[parents["region_code"] != ALAND, "code"]
    stray = sorted(set(data["code"].dropna()) - set(mainland))
    if stray:
        raise ConvertError(f"accident records in municipalities outside the mainland: {stray}")
    counts = _severity_counts(data.loc[data["code"].notna()], ["code", "period"])
    full = pd.MultiIndex.from_product([sorted(mainland), sorted(data["period"].unique())],
                                      names=["code", "period"])
    return counts.reindex(full, fill_value=0).reset_index()


def region_counts(placed: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Count accidents per mainland region and year (zeros kept), and all of them as SSS."""
    regions = sorted(set(division.parents["region_code"]) - {ALAND})
    years = sorted(placed["period"].unique())
    counts = _severity_counts(placed.loc[placed["region_code"].notna()],
                              ["region_code", "period"])
    full = pd.MultiIndex.from_product([regions, years], names=["region_code", "period"])
    counts = counts.reindex(full, fill_value=0).reset_index()
    counts = counts.rename(columns={"region_code": "area_code"})
    country = _severity_counts(placed, ["period"]).reset_index().assign(area_code=COUNTRY)
    return pd.concat([counts, country], ignore_index=True)


def convert_accidents(records: pd.DataFrame, population: pd.DataFrame, division: Division,
                      boundaries: list | None = None,
                      max_unplaced: float = MAX_UNPLACED_SHARE) -> pd.DataFrame:
    """Return both accident rates per 100,000 (population 31.12.) on the mainland division.

    Municipalities and sub-regions only for years with municipal records (municipal_years);
    regions and the whole country (mainland Finland) for every year.
    """
    placed = place(records, division, boundaries)
    years = municipal_years(placed, max_unplaced)
    counts = accident_counts(placed.loc[placed["period"].isin(years)], division)
    data = counts.merge(population, on=["code", "period"], how="left", validate="one_to_one")
    if data["population"].isna().any():
        raise ConvertError("population missing for some municipality-years of the accident data")
    mainland_pop = population.merge(division.parents, on="code")
    mainland_pop = mainland_pop.loc[(mainland_pop["region_code"] != ALAND)
                                    & mainland_pop["period"].isin(set(placed["period"]))]
    region_pop = pd.concat([
        mainland_pop.groupby(["region_code", "period"], as_index=False)["population"].sum()
        .rename(columns={"region_code": "area_code"}),
        mainland_pop.groupby("period", as_index=False)["population"].sum().assign(
            area_code=COUNTRY)], ignore_index=True)
    wide = region_counts(placed, division).merge(region_pop, on=["area_code", "period"],
                                                 how="left", validate="one_to_one")
    if wide["population"].isna().any():
        raise ConvertError("population missing for some region-years of the accident data")
    frames = []
    for indicator_id, (column, source_id) in INDICATORS.items():
        local = rate_from_counts(data, column, "population", division.parents, scale=1e5,
                                 levels=("municipality", "subregion"))
        wide_rates = wide.assign(value=ratio(wide[column], wide["population"], 1e5))
        frames += [observations(local.dropna(subset=["value"]), indicator_id, source_id),
                   observations(wide_rates.dropna(subset=["value"]), indicator_id, source_id)]
    return pd.concat(frames, ignore_index=True)

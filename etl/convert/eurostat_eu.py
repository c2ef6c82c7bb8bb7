"""Eurostat NUTS-3 tables of every EU/EFTA region -> eu_regions and eu_observations (EU twins)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.convert.errors import ConvertError
from etl.convert.eurostat import KNOWN_FLAGS, RAW_DIR, parse_cell
from etl.convert.readme import markdown_table
from etl.convert.snapshot import _atomic_parquet
from indicators.twins import EU_OBS_COLUMNS, EU_REGION_COLUMNS, TWIN_POOL, load_variables
from warehouse.paths import SNAPSHOT_EU_OBSERVATIONS, SNAPSHOT_EU_REGIONS

NAMES_CSV = Path(__file__).with_name("nuts2021_names.csv")
NAMES_SOURCE = "nuts2021_names_hilma"
NUTS3_LENGTH = 5
# Figures older than this are not kept: the twins use the reference year and the latest years.
FIRST_YEAR = 2010
# Published series: variable -> (file, the key values that select its rows).
PUBLISHED: dict[str, tuple[str, dict[str, str]]] = {
    "gdp_per_head_pps": ("estat_nama_10r_3gdp.tsv.gz", {"unit": "PPS_EU27_2020_HAB"}),
    "population_density": ("density.tsv.gz", {"unit": "PER_KM2"}),
    "old_age_dependency": ("estat_demo_r_pjanind3.tsv.gz", {"indic_de": "OLDDEP1", "unit": "PC"}),
    "young_age_dependency": ("estat_demo_r_pjanind3.tsv.gz",
                             {"indic_de": "YOUNGDEP1", "unit": "PC"}),
    "enterprise_birth_rate": ("bd_size_r3_tabular.tsv.gz",
                              {"indic_sb": "V97020", "sizeclas": "TOTAL", "nace_r2": "B-S_X_K642"}),
    "enterprise_survival_3y": ("bd_size_r3_tabular.tsv.gz",
                               {"indic_sb": "V97043", "sizeclas": "TOTAL",
                                "nace_r2": "B-S_X_K642"}),
    "population": ("estat_demo_r_pjangrp3.tsv.gz", {"sex": "T", "age": "TOTAL", "unit": "NR"}),
}
# Counts divided by the average population: variable -> (file, selection).
EVENTS: dict[str, tuple[str, dict[str, str]]] = {
    "crude_birth_rate": ("births.tsv.gz", {"unit": "NR"}),
    "crude_death_rate": ("deaths_total.tsv.gz", {"unit": "NR"}),
}
BREAK_FLAG = "b"
LONG_COLUMNS = ["nuts_code", "period", "value", "flag"]


def read_names(path: Path = NAMES_CSV) -> pd.DataFrame:
    """Return code and name of the NUTS 2021 list (semicolon-separated NUTS_ID;NAME_LATN)."""
    if not Path(path).exists():
        raise ConvertError(f"NUTS names file missing: {path}")
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    if list(frame.columns) != ["NUTS_ID", "NAME_LATN"]:
        raise ConvertError(f"{Path(path).name}: header must be NUTS_ID;NAME_LATN")
    frame = frame.rename(columns={"NUTS_ID": "nuts_code", "NAME_LATN": "name"})
    bad = frame.loc[~frame["nuts_code"].str.fullmatch(r"[A-Z]{2}[0-9A-Z]{0,3}")
                    | (frame["name"].str.strip() == ""), "nuts_code"]
    if len(bad):
        raise ConvertError(f"{Path(path).name}: bad rows {list(bad)[:5]}")
    if frame["nuts_code"].duplicated().any():
        raise ConvertError(f"{Path(path).name}: duplicate codes")
    return frame


def eu_regions(names: pd.DataFrame) -> pd.DataFrame:
    """Return the countries (level 0) and NUTS-3 regions (level 3) of the names list."""
    level = names["nuts_code"].str.len() - 2
    keep = level.isin([0, 3])
    return pd.DataFrame({
        "nuts_code": names.loc[keep, "nuts_code"].to_numpy(),
        "level": level[keep].astype("int64").to_numpy(),
        "country_code": names.loc[keep, "nuts_code"].str[:2].to_numpy(),
        "name": names.loc[keep, "name"].to_numpy(),
        "name_source": NAMES_SOURCE,
    })[EU_REGION_COLUMNS]


def read_selected(path: Path, select: Mapping[str, str]) -> pd.DataFrame:
    """Return the NUTS-3 rows of a bulk TSV whose keys match select: nuts_code, period, value, flag.

    The key part is comma-separated, the year cells follow after commas or tabs. ':' (no figure)
    gives no row; of the flags only b, e and p are kept (etl.convert.eurostat.parse_cell).
    """
    path = Path(path)
    if not path.exists():
        raise ConvertError(f"Eurostat file missing: {path}")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise ConvertError(f"{path.name}: unreadable ({exc})") from exc
    if not lines:
        raise ConvertError(f"{path.name} is empty")
    header = [h.strip() for h in re.split(r"[,\t]", lines[0])]
    n_keys = next((i for i, h in enumerate(header) if h.isdigit()), None)
    if n_keys is None:
        raise ConvertError(f"{path.name}: no year columns in header")
    keys = [h.split("\\")[0].lower() for h in header[:n_keys]]
    years = [int(h) for h in header[n_keys:]]
    missing = [k for k in ("geo", *select) if k not in keys]
    if missing:
        raise ConvertError(f"{path.name}: no key column(s) {missing}")
    wanted = {keys.index(k): v for k, v in select.items()}
    geo_at = keys.index("geo")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = re.split(r"[,\t]", line)
        if any(cells[i].strip() != v for i, v in wanted.items() if i < len(cells)):
            continue
        geo = cells[geo_at].strip()
        if len(geo) != NUTS3_LENGTH:
            continue
        if len(cells) != len(header):
            raise ConvertError(f"{path.name} line {number}: {len(cells)} cells, header "
                               f"{len(header)}")
        for year, cell in zip(years, cells[n_keys:], strict=True):
            value, flag = parse_cell(cell)
            if value is not None:
                rows.append((geo, year, value, flag))
    return pd.DataFrame(rows, columns=LONG_COLUMNS)


def first_flag(*flags: pd.Series) -> pd.Series:
    """Return per row the first of b, e, p carried by any of the parts (None when none)."""
    out = [None] * len(flags[0])
    for flag in reversed(KNOWN_FLAGS):
        hit = pd.concat([f == flag for f in flags], axis=1).any(axis=1).to_numpy()
        out = [flag if h else o for h, o in zip(hit, out, strict=True)]
    return pd.Series(out, index=flags[0].index, dtype=object)


def _next_year(population: pd.DataFrame) -> pd.DataFrame:
    """Return population rows joined with the next year's population (pop, pop_next)."""
    pop = population.rename(columns={"value": "pop", "flag": "flag_pop"})
    later = pop.assign(period=pop["period"] - 1).rename(
        columns={"pop": "pop_next", "flag_pop": "flag_next"})
    return pop.merge(later, on=["nuts_code", "period"], validate="one_to_one")


def crude_rate(events: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Return events / average population × 1000 (average of 1 January this and next year)."""
    both = events.merge(_next_year(population), on=["nuts_code", "period"],
                        validate="one_to_one")
    average = (both["pop"] + both["pop_next"]) / 2
    both["value"] = (both["value"] / average.where(average > 0) * 1000).round(4)
    both["flag"] = first_flag(both["flag"], both["flag_pop"], both["flag_next"])
    return both.loc[both["value"].notna(), LONG_COLUMNS]


def population_change(population: pd.DataFrame) -> pd.DataFrame:
    """Return the change over the year: population 1.1. next year / population 1.1. − 1, in %.

    No change is given across a break: when next year's population is flagged b (e.g. a census
    revision), the difference is not a change of the population.
    """
    both = _next_year(population)
    both = both.loc[both["flag_next"] != BREAK_FLAG]
    both["value"] = ((both["pop_next"] / both["pop"].where(both["pop"] > 0) - 1) * 100).round(4)
    both["flag"] = first_flag(both["flag_pop"], both["flag_next"])
    return both.loc[both["value"].notna(), LONG_COLUMNS]


def convert_eu(raw_dir: Path, names: pd.DataFrame | None = None,
               first_year: int = FIRST_YEAR) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Return (eu_regions, eu_observations, dropped codes) from RAW_DIR/eurostat_nuts3_vds2023w.

    Only NUTS 2021 NUTS-3 codes of the names list are kept; the codes of older NUTS versions
    found in the files are returned sorted as dropped. Years before first_year are left out.
    """
    folder = Path(raw_dir) / RAW_DIR
    regions = eu_regions(read_names() if names is None else names)
    source = {v["id"]: v["source_id"] for v in load_variables()}
    cache: dict[tuple, pd.DataFrame] = {}

    def read(file: str, select: dict[str, str]) -> pd.DataFrame:
        key = (file, tuple(sorted(select.items())))
        if key not in cache:
            cache[key] = read_selected(folder / file, select)
        return cache[key]

    parts = {var: read(file, select) for var, (file, select) in PUBLISHED.items()}
    population = parts["population"]
    for var, (file, select) in EVENTS.items():
        parts[var] = crude_rate(read(file, select), population)
    parts["population_change"] = population_change(population)
    unknown = sorted(set(parts) - set(source))
    absent = sorted(set(source) - set(parts))
    if unknown or absent:
        raise ConvertError(f"eu_variables.toml and the converter differ: converted {unknown} "
                           f"not declared, declared {absent} not converted")
    frame = pd.concat([p.assign(variable=v, source_id=source[v]) for v, p in parts.items()],
                      ignore_index=True)
    known = set(regions.loc[regions["level"] == 3, "nuts_code"])
    dropped = sorted(set(frame["nuts_code"]) - known)
    frame = frame.loc[frame["nuts_code"].isin(known) & (frame["period"] >= first_year)]
    return regions, typed_eu_observations(frame), dropped


def typed_eu_observations(frame: pd.DataFrame) -> pd.DataFrame:
    """Return eu_observations sorted, period int32, value float64, the other columns strings."""
    out = frame.loc[:, EU_OBS_COLUMNS].sort_values(["variable", "nuts_code", "period"])
    out = out.reset_index(drop=True)
    out["period"] = out["period"].astype("int32")
    out["value"] = out["value"].astype("float64")
    for column in ("variable", "nuts_code", "flag", "source_id"):
        out[column] = out[column].astype("string")
    return out


def check_eu(regions: pd.DataFrame, obs: pd.DataFrame, source_ids: set[str]) -> list[str]:
    """Return every problem of the EU tables (empty when they may be written)."""
    problems = []
    if list(regions.columns) != EU_REGION_COLUMNS:
        problems.append(f"eu_regions columns {list(regions.columns)} != {EU_REGION_COLUMNS}")
    if list(obs.columns) != EU_OBS_COLUMNS:
        return problems + [f"eu_observations columns {list(obs.columns)} != {EU_OBS_COLUMNS}"]
    if regions["nuts_code"].duplicated().any():
        problems.append("duplicate NUTS codes in eu_regions")
    for column, known, what in (
            ("nuts_code", set(regions["nuts_code"]), "NUTS codes"),
            ("variable", {v["id"] for v in load_variables()}, "variables"),
            ("source_id", source_ids, "source ids")):
        unknown = sorted(set(obs[column].dropna()) - known)
        if unknown:
            problems.append(f"eu_observations: unknown {what}: {unknown[:10]}")
    if obs.duplicated(["variable", "nuts_code", "period"]).any():
        problems.append("eu_observations: duplicate (variable, nuts_code, period)")
    if obs["value"].isna().any():
        problems.append("eu_observations: rows without a value")
    bad_flags = sorted(set(obs["flag"].dropna()) - set(KNOWN_FLAGS))
    if bad_flags:
        problems.append(f"eu_observations: unknown flags {bad_flags}")
    if NAMES_SOURCE not in source_ids:
        problems.append(f"sources lack the names source {NAMES_SOURCE}")
    return problems


def write_eu(regions: pd.DataFrame, obs: pd.DataFrame, out_dir: Path) -> tuple[Path, Path]:
    """Write eu_regions.parquet and eu_observations.parquet (each atomically)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = out_dir / SNAPSHOT_EU_REGIONS, out_dir / SNAPSHOT_EU_OBSERVATIONS
    typed = regions.astype({"nuts_code": "string", "country_code": "string", "name": "string",
                            "name_source": "string", "level": "int32"})
    _atomic_parquet(typed.sort_values("nuts_code", ignore_index=True), paths[0])
    _atomic_parquet(obs, paths[1])
    return paths


COVERAGE_YEARS = (2018, 2019, 2020, 2021, 2022)


def eu_coverage(regions: pd.DataFrame, obs: pd.DataFrame,
                pool: tuple[str, ...] = TWIN_POOL) -> pd.DataFrame:
    """Return per variable: years, countries, rows, and EU-27 regions with a figure per year."""
    level3 = regions.loc[regions["level"] == 3]
    in_pool = set(level3.loc[level3["country_code"].isin(pool), "nuts_code"])
    rows = []
    for var in [v["id"] for v in load_variables()]:
        part = obs.loc[obs["variable"] == var]
        if part.empty:
            continue
        eu = part.loc[part["nuts_code"].isin(in_pool)]
        counts = eu.groupby("period")["nuts_code"].nunique()
        rows.append({"variable": var,
                     "years": f"{int(part['period'].min())}–{int(part['period'].max())}",
                     "countries": int(part["nuts_code"].str[:2].nunique()),
                     "rows": len(part),
                     **{str(y): int(counts.get(y, 0)) for y in COVERAGE_YEARS}})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class EuSnapshot:
    """The converted EU tables, the older NUTS codes left out, and the problems found."""

    regions: pd.DataFrame
    observations: pd.DataFrame
    dropped: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def source_ids(self) -> frozenset[str]:
        """Return the sources the EU files cite (figures and names)."""
        return frozenset(set(self.observations["source_id"].dropna())
                         | set(self.regions["name_source"].dropna()))

    def write(self, out_dir: Path) -> tuple[Path, Path]:
        """Write both parquet files (the caller checks problems first)."""
        return write_eu(self.regions, self.observations, out_dir)

    def readme(self, out_dir: Path) -> str:
        """Return the data/README.md section on the EU files (sizes of the written files)."""
        sizes = ", ".join(f"`{name}` {(Path(out_dir) / name).stat().st_size / 1000:,.0f} kB"
                          for name in (SNAPSHOT_EU_OBSERVATIONS, SNAPSHOT_EU_REGIONS)
                          if (Path(out_dir) / name).exists())
        level3 = self.regions.loc[self.regions["level"] == 3]
        pool = int(level3["country_code"].isin(TWIN_POOL).sum())
        return "\n".join([
            f"{len(self.observations):,} rows; {sizes}. {len(level3):,} NUTS-3 regions in "
            f"{level3['country_code'].nunique()} countries, {pool:,} of them in the EU-27 "
            f"(the twins' pool). Figures from {FIRST_YEAR} on. {len(self.dropped)} codes of "
            "older NUTS versions (and extra-regio codes) in the raw files were left out: "
            f"{', '.join(self.dropped[:12])}{' …' if len(self.dropped) > 12 else ''}.",
            "",
            "EU-27 NUTS-3 regions with a figure, by year:",
            "",
            markdown_table(eu_coverage(self.regions, self.observations)),
        ])


def prepare(raw_dir: Path, source_ids: set[str]) -> EuSnapshot:
    """Convert and check the EU tables of RAW_DIR; nothing is written."""
    regions, obs, dropped = convert_eu(raw_dir)
    return EuSnapshot(regions, obs, tuple(dropped), tuple(check_eu(regions, obs, source_ids)))

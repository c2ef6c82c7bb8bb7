"""Run every raw-source converter; write the registry, snapshot, geometry and data/README.md."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd

from etl.convert import (
    avainluvut,
    commuting,
    crime,
    employed,
    eurostat,
    migration,
    population,
    road_accidents,
    sotkanet2019,
    tem,
)
from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.geofi import read_nuts2021_moves
from etl.convert.readme import write_readme
from etl.convert.registry import build_registry, write_registry
from etl.convert.snapshot import (
    check_snapshot,
    coverage_table,
    load_sources,
    split_out_of_range,
    write_snapshot,
)
from indicators.catalog import catalog_frame

GEOMETRY_FILE = Path("geometry_tk_maakunta") / "maakunnat_2021_simplified_4326.geojson"


def convert_observations(raw: Path, division: Division) -> pd.DataFrame:
    """Return the observations of every raw source, concatenated."""
    pop_municipal = population.municipal_population(
        population.read_population(raw / population.RAW_FILE), division)
    pop_levels = population.population_rollup(pop_municipal, division)
    eurostat_raw = {k: eurostat.read_eurostat(raw / eurostat.RAW_DIR / f)
                    for k, f in eurostat.FILES.items()}
    nuts_pop = eurostat.nuts2021_population(pop_municipal, division, read_nuts2021_moves())
    parts = [
        population.population_change(pop_municipal, division),
        avainluvut.convert_avainluvut(
            avainluvut.read_avainluvut(raw / avainluvut.RAW_FILE, division), division),
        commuting.convert_commuting(commuting.read_commuting(raw / commuting.RAW_FILE), division),
        sotkanet2019.convert_sotkanet(sotkanet2019.read_sotkanet(raw / sotkanet2019.RAW_FILE),
                                      pop_municipal, division),
        tem.convert_tem(tem.read_tem(raw / tem.REGION_FILE, "maakunta"),
                        tem.read_tem(raw / tem.COUNTRY_FILE, None), division),
        migration.convert_migration(migration.read_migration(raw / migration.RAW_FILE),
                                    pop_levels, division),
        employed.convert_employed(employed.read_employed(raw / employed.RAW_FILE), division),
        crime.convert_crime(crime.read_crime(raw / crime.RAW_FILE), division),
        road_accidents.convert_accidents(
            road_accidents.read_accidents(raw / road_accidents.RAW_DIR), pop_municipal, division),
        eurostat.gdp_per_capita(eurostat_raw["gdp"], division),
        eurostat.population_density(eurostat_raw["density"], division),
        eurostat.enterprise_birth_rate(eurostat_raw["business"], division),
        eurostat.natural_increase(eurostat_raw["births"], eurostat_raw["deaths"], nuts_pop,
                                  division),
    ]
    return pd.concat(parts, ignore_index=True)


def copy_geometry(raw: Path, out_dir: Path, region_codes: set[str]) -> Path:
    """Copy the simplified region boundaries into out_dir/geometry after checking their codes."""
    source = raw / GEOMETRY_FILE
    if not source.exists():
        raise ConvertError(f"geometry file missing: {source}")
    doc = json.loads(source.read_text(encoding="utf-8"))
    codes = {f["properties"].get("code") for f in doc.get("features", [])}
    if codes != region_codes:
        raise ConvertError(f"geometry region codes {sorted(map(str, codes))} do not match registry")
    target_dir = out_dir / "geometry"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / "regions.geojson"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)
    return target


def convert_all(raw_dir: Path, out_dir: Path) -> dict:
    """Convert RAW_DIR into out_dir; return a summary (coverage and rejected rows)."""
    raw = Path(raw_dir)
    if not raw.is_dir():
        raise ConvertError(f"raw folder not found: {raw}")
    registry, successors = build_registry(raw)
    division = Division(registry, successors)
    catalog = catalog_frame()
    observations = convert_observations(raw, division)
    observations, rejected = split_out_of_range(observations, catalog)
    sources = load_sources()
    problems = check_snapshot(observations, sources, set(registry["code"]), catalog)
    if problems:
        raise ConvertError("snapshot not written: " + "; ".join(problems))
    out_dir = Path(out_dir)
    write_registry(registry, successors)
    write_snapshot(observations, sources, out_dir)
    copy_geometry(raw, out_dir, set(registry.loc[registry["level"] == "region", "code"]))
    coverage = coverage_table(observations, registry.set_index("code")["level"])
    write_readme(out_dir / "README.md", coverage, rejected, catalog)
    return {"coverage": coverage, "rejected": rejected, "rows": len(observations)}

"""Run every raw-source converter; write the registry, snapshot, geometry and data/README.md."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from etl.convert import (
    avainluvut,
    commuting,
    crime,
    employed,
    eurostat,
    eurostat_eu,
    locate,
    migration,
    population,
    road_accidents,
    sotkanet2019,
    sotkanet_netmigration,
    ssaaty_121w,
    tjt_14ww,
    tyokay_115i,
    tyonv_12r5,
    vaerak_11ra,
    vkour_12bs,
)
from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.geofi import read_nuts2021_moves
from etl.convert.pxweb_json import read_pxweb_json
from etl.convert.readme import monthly_coverage, write_readme
from etl.convert.registry import build_registry, write_registry
from etl.convert.snapshot import (
    check_monthly,
    check_snapshot,
    coverage_table,
    load_sources,
    split_out_of_range,
    write_snapshot,
)
from indicators.catalog import catalog_frame
from indicators.monthly import load_series
from warehouse.atomic import replacing

GEOMETRY_FILE = Path("geometry_tk_maakunta") / "maakunnat_2021_simplified_4326.geojson"


def convert_monthly(raw: Path, division: Division) -> pd.DataFrame:
    """Return the monthly series of tyonv/12r5: 2006-01 … 2023-10 and the 2026 export."""
    series = load_series()
    parts = [tyonv_12r5.monthly_rows(tyonv_12r5.read_12r5_csv(raw / tyonv_12r5.CSV_FILE),
                                     series, division, tyonv_12r5.CSV_FILE.name),
             tyonv_12r5.monthly_rows(
                 tyonv_12r5.from_pxweb(read_pxweb_json(raw / tyonv_12r5.JSON_FILE)),
                 series, division, tyonv_12r5.JSON_FILE.name)]
    return tyonv_12r5.combine(parts)


def convert_observations(raw: Path, division: Division,
                         monthly: pd.DataFrame) -> pd.DataFrame:
    """Return the observations of every raw source, concatenated."""
    sotkanet_pop = population.municipal_population(
        population.read_population(raw / population.RAW_FILE), division)
    crime_raw = crime.read_crime(raw / crime.RAW_FILE)
    table_11ra = vaerak_11ra.table_11ra(read_pxweb_json(raw / vaerak_11ra.RAW_FILE), division)
    statfin_pop = population.statfin_population(
        crime_raw, vaerak_11ra.municipal_population(table_11ra, division), division)
    pop_series = population.population_series(sotkanet_pop, statfin_pop)
    pop_municipal = pop_series[["code", "period", "population"]]
    pop_levels = population.population_rollup(pop_municipal, division)
    eurostat_raw = {k: eurostat.read_eurostat(raw / eurostat.RAW_DIR / f)
                    for k, f in eurostat.FILES.items()}
    nuts_pop = eurostat.nuts2021_population(sotkanet_pop, division, read_nuts2021_moves())
    boundaries = locate.read_boundaries(raw / locate.BOUNDARY_FILE, division)
    parts = [
        population.population_observations(pop_series, division),
        population.population_change(sotkanet_pop, statfin_pop, division),
        avainluvut.convert_avainluvut(
            avainluvut.read_avainluvut(raw / avainluvut.RAW_FILE, division), division),
        commuting.convert_commuting(commuting.read_commuting(raw / commuting.RAW_FILE), division),
        sotkanet2019.convert_sotkanet(sotkanet2019.read_sotkanet(raw / sotkanet2019.RAW_FILE),
                                      sotkanet_pop, division),
        tyonv_12r5.annual_rates(monthly),
        migration.convert_migration(migration.read_migration(raw / migration.RAW_FILE),
                                    pop_levels, division),
        sotkanet_netmigration.convert_netmigration(
            sotkanet_netmigration.read_netmigration(raw / sotkanet_netmigration.RAW_FILE),
            division),
        employed.convert_employed(employed.read_employed(raw / employed.RAW_FILE), division),
        crime.convert_crime(crime_raw, division),
        road_accidents.convert_accidents(
            road_accidents.read_accidents(raw / road_accidents.RAW_DIR,
                                          raw / road_accidents.NEW_DIR, division),
            pop_municipal, division, boundaries),
        eurostat.gdp_per_capita(eurostat_raw["gdp"], division),
        eurostat.population_density(eurostat_raw["density"], division),
        eurostat.enterprise_birth_rate(eurostat_raw["business"], division),
        eurostat.natural_increase(eurostat_raw["births"], eurostat_raw["deaths"], nuts_pop,
                                  division),
        vkour_12bs.convert_12bs(read_pxweb_json(raw / vkour_12bs.RAW_FILE), division),
        tjt_14ww.convert_14ww(read_pxweb_json(raw / tjt_14ww.RAW_FILE), division),
        vaerak_11ra.convert_11ra(table_11ra),
        ssaaty_121w.convert_121w(read_pxweb_json(raw / ssaaty_121w.RAW_FILE), division),
    ]
    return pd.concat(parts, ignore_index=True)


def convert_industry(raw: Path, division: Division) -> pd.DataFrame:
    """Return industry_employment from tyokay 115i (regions and their sum, the country)."""
    regions = set(division.registry.loc[division.registry["level"] == "region", "code"])
    return tyokay_115i.convert_industry(tyokay_115i.read_industry(raw / tyokay_115i.RAW_FILE),
                                        regions)


def check_industry_rows(raw: Path, industry: pd.DataFrame, observations: pd.DataFrame,
                        sources: pd.DataFrame, area_codes: set[str]) -> list[str]:
    """Return the problems of industry_employment, cross-checked with the same file's totals.

    The region totals are compared with the raw folder's derived employed_by_region_year.csv and
    every employed_change figure is recomputed from the summed sections.
    """
    problems = tyokay_115i.check_industry(industry, set(sources["source_id"]), area_codes)
    derived = raw / tyokay_115i.DERIVED_FILE
    if derived.exists():
        problems += tyokay_115i.check_region_totals(
            industry, tyokay_115i.read_derived_totals(derived))
    return problems + tyokay_115i.check_employed_change(industry, observations)


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
    with replacing(target) as tmp:
        shutil.copyfile(source, tmp)
    return target


def convert_all(raw_dir: Path, out_dir: Path) -> dict:
    """Convert RAW_DIR into out_dir; return a summary (coverage and rejected rows)."""
    raw = Path(raw_dir)
    if not raw.is_dir():
        raise ConvertError(f"raw folder not found: {raw}")
    registry, successors = build_registry(raw)
    division = Division(registry, successors)
    catalog = catalog_frame()
    monthly = convert_monthly(raw, division)
    observations = convert_observations(raw, division, monthly)
    observations, rejected = split_out_of_range(observations, catalog)
    industry = convert_industry(raw, division)
    sources = load_sources()
    problems = check_snapshot(observations, sources, set(registry["code"]), catalog)
    problems += check_monthly(monthly, sources, set(registry["code"]),
                              {s["id"] for s in load_series()})
    problems += check_industry_rows(raw, industry, observations, sources, set(registry["code"]))
    eu = eurostat_eu.prepare(raw, set(sources["source_id"]))
    problems += list(eu.problems)
    if problems:
        raise ConvertError("snapshot not written: " + "; ".join(problems))
    out_dir = Path(out_dir)
    write_registry(registry, successors)
    write_snapshot(observations, sources, out_dir, monthly, also_used=eu.source_ids)
    tyokay_115i.write_industry(industry, out_dir)
    eu.write(out_dir)
    copy_geometry(raw, out_dir, set(registry.loc[registry["level"] == "region", "code"]))
    levels = registry.set_index("code")["level"]
    coverage = coverage_table(observations, levels)
    write_readme(out_dir / "README.md", coverage, rejected, catalog, observations,
                 monthly_coverage(monthly, levels), eu_text=eu.readme(out_dir))
    return {"coverage": coverage, "rejected": rejected, "rows": len(observations),
            "monthly_rows": len(monthly), "industry_rows": len(industry)}

"""Build the warehouse in four visible steps: load the inputs, check them, score, save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from indicators.alerts import evaluate, rules_for
from indicators.breaks import breaks_frame
from indicators.catalog import LANGUAGES, catalog_frame, dimension_ids, load_dimensions
from indicators.goalposts import load_goalposts
from indicators.industries import industries_frame
from indicators.monthly import series_frame
from indicators.regions import areas_frame, registry_frame
from indicators.scoring import DEFAULT_METHOD, warehouse_scores
from indicators.twins import finnish_twins, variables_frame
from warehouse.checks import check_eu_integrity, check_industry_integrity, check_integrity
from warehouse.paths import DATA_DIR
from warehouse.snapshot import (
    bundled_industry,
    read_eu,
    read_industry,
    read_monthly,
    read_snapshot,
    snapshot_sha256,
)
from warehouse.writer import WarehouseError, empty_table, read_tables, write_warehouse

# The steps of every build, in order; `report(step, text)` is told of each one as it ends.
STEPS = ("load", "check", "score", "save")
Report = Callable[[str, str], None]


@dataclass(frozen=True)
class Inputs:
    """The figures a build publishes: observations with their sources, and the other tables."""

    observations: pd.DataFrame
    sources: pd.DataFrame
    monthly: pd.DataFrame | None = None
    industry: pd.DataFrame | None = None
    eu: dict[str, pd.DataFrame] | None = None


def load_snapshot(snapshot_dir: Path = DATA_DIR) -> Inputs:
    """Step 1 of a snapshot build: read every bundled parquet file."""
    observations, sources = read_snapshot(snapshot_dir)
    return Inputs(observations, sources, read_monthly(snapshot_dir), read_industry(snapshot_dir),
                  read_eu(snapshot_dir))


def dimensions_frame() -> pd.DataFrame:
    """Return the dimensions table from indicators/dimensions.toml."""
    rows = []
    for order, d in enumerate(load_dimensions()):
        row = {"id": d["id"], "sort_order": order, "color": d["color"]}
        for lang in LANGUAGES:
            row[f"label_{lang}"] = d["label"][lang]
            row[f"description_{lang}"] = d["description"][lang]
        rows.append(row)
    return pd.DataFrame(rows)


def reference_tables() -> dict[str, pd.DataFrame]:
    """Return the tables that come from the repository's declarative files, not from sources."""
    return {"areas": areas_frame(), "dimensions": dimensions_frame(),
            "indicators": catalog_frame(), "breaks": breaks_frame(),
            "monthly_series": series_frame(), "industries": industries_frame()}


def with_eu_sources(inputs: Inputs) -> Inputs:
    """Return inputs whose sources also hold the rows the EU figures cite (from eu['sources'])."""
    eu = inputs.eu
    if eu is None or eu["eu_observations"].empty:
        return inputs
    missing = eu["sources"].loc[~eu["sources"]["source_id"].isin(inputs.sources["source_id"])]
    if not len(missing):
        return inputs
    return replace(inputs, sources=pd.concat([inputs.sources, missing], ignore_index=True))


def check(inputs: Inputs, reference: dict[str, pd.DataFrame]) -> Inputs:
    """Step 2: raise WarehouseError when a row points at an unknown area, id or source."""
    inputs = with_eu_sources(inputs)
    check_integrity(inputs.observations, inputs.sources, reference["areas"],
                    reference["indicators"], inputs.monthly, reference["monthly_series"])
    check_industry_integrity(inputs.industry, inputs.sources, reference["areas"],
                             reference["industries"])
    if inputs.eu is not None and not inputs.eu["eu_observations"].empty:
        check_eu_integrity(inputs.eu["eu_observations"], inputs.eu["eu_regions"],
                           variables_frame(), inputs.sources)
    return inputs


def eu_tables(eu: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Return the EU warehouse tables with each Finnish region's twins (none without figures)."""
    regions, obs = eu["eu_regions"], eu["eu_observations"]
    if obs.empty:
        return {}
    return {"eu_regions": regions, "eu_variables": variables_frame(), "eu_observations": obs,
            "eu_twins": finnish_twins(obs, regions, registry_frame())}


def score(inputs: Inputs, reference: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Step 3: the derived tables — scores, peers, alerts, the EU twins — and the method id."""
    frames = {k: v for k, v in (("monthly", inputs.monthly),
                                ("industry_employment", inputs.industry)) if v is not None}
    tables = {"alerts": evaluate(rules_for(frames), frames, reference["areas"])}
    tables.update(warehouse_scores(inputs.observations, reference["indicators"],
                                   reference["areas"], dimensions=dimension_ids(),
                                   breaks=reference["breaks"], goalposts=load_goalposts()))
    if inputs.eu is not None:
        tables.update(eu_tables(inputs.eu))
    tables["meta"] = pd.DataFrame({"key": ["method"], "value": [DEFAULT_METHOD.id()]})
    return tables


def input_tables(inputs: Inputs) -> dict[str, pd.DataFrame]:
    """Return the inputs as warehouse tables (those that are present)."""
    tables = {"sources": inputs.sources, "observations": inputs.observations}
    if inputs.monthly is not None:
        tables["monthly_observations"] = inputs.monthly
    if inputs.industry is not None:
        tables["industry_employment"] = inputs.industry
    return tables


def base_tables(inputs: Inputs, report: Report | None = None) -> dict[str, pd.DataFrame]:
    """Return every table for the inputs: checked (step 2) and scored (step 3)."""
    reference = reference_tables()
    inputs = check(inputs, reference)
    if report:
        report("check", f"{len(inputs.observations):,} observations, "
                        f"{len(inputs.sources)} sources: every row points at a known id")
    tables = {**reference, **input_tables(inputs), **score(inputs, reference)}
    if report:
        scores = tables["scores"]
        index = scores.loc[(scores["dimension"] == "overall") & scores["score"].notna(), "period"]
        report("score", f"{len(scores):,} scores, the overall index for {index.min()}–"
                        f"{index.max()}, {len(tables['alerts'])} alerts, "
                        f"method {DEFAULT_METHOD.id()}")
    return tables


def vintage(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Return the data's vintage for meta: the newest year with a figure and the newest month."""
    obs = tables["observations"]
    years = obs.loc[obs["value"].notna() & (obs["flag"].fillna("") != "partial"), "period"]
    monthly = tables.get("monthly_observations")
    months = monthly.loc[monthly["value"].notna(), "month"] if monthly is not None and len(
        monthly) else pd.Series(dtype=object)
    return {"newest_period": str(int(years.max())) if len(years) else "",
            "newest_month": str(months.max()) if len(months) else ""}


def save(db_path: Path, tables: dict[str, pd.DataFrame], meta: dict[str, str],
         report: Report | None = None, **write_options) -> Path:
    """Step 4: write every table and meta (with the data's vintage) atomically to db_path."""
    meta = {**meta, **vintage(tables)}
    path = write_warehouse(db_path, tables, meta, **write_options)
    if report:
        report("save", f"{path} (newest year {meta['newest_period']}, "
                       f"newest month {meta['newest_month'] or '–'})")
    return path


def build_from_snapshot(db_path: Path, snapshot_dir: Path = DATA_DIR,
                        report: Report | None = None) -> Path:
    """Build the warehouse at db_path from the bundled snapshot: load → check → score → save."""
    inputs = load_snapshot(snapshot_dir)
    if report:
        report("load", f"{snapshot_dir}: {len(inputs.observations):,} observations, "
                       f"{len(inputs.monthly):,} monthly rows")
    tables = base_tables(inputs, report)
    meta = {"built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "built_from": "snapshot", "snapshot_dir": str(snapshot_dir),
            "snapshot_sha256": snapshot_sha256(snapshot_dir)}
    return save(db_path, tables, meta, report)


def build_live(db_path: Path, observations: pd.DataFrame, sources: pd.DataFrame,
               etl_runs: pd.DataFrame, meta: dict[str, str],
               before_replace: Callable[[Path], None] | None = None,
               monthly: pd.DataFrame | None = None,
               industry: pd.DataFrame | None = None,
               eu: dict[str, pd.DataFrame] | None = None) -> Path:
    """Publish a live-run warehouse: the same check and score steps, the run log, a backup.

    Without industry rows the bundled ones are kept (see bundled_industry); the EU tables (not
    fetched live) come from eu, by default the bundled snapshot's.
    """
    if industry is None:
        industry, sources = bundled_industry(sources)
    inputs = Inputs(observations, sources, monthly, industry, read_eu() if eu is None else eu)
    tables = base_tables(inputs)
    tables["etl_runs"] = etl_runs
    return save(db_path, tables, meta, backup=True, before_replace=before_replace)


def last_good(db_path: Path, snapshot_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Return the last good observations, sources and etl_runs.

    They come from the live warehouse, else from the bundled snapshot, else are empty.
    """
    if Path(db_path).exists():
        return read_tables(db_path, ("observations", "sources", "monthly_observations",
                                     "etl_runs"))
    try:
        observations, sources = read_snapshot(snapshot_dir)
        monthly = read_monthly(snapshot_dir)
    except WarehouseError:
        observations, sources = empty_table("observations"), empty_table("sources")
        monthly = empty_table("monthly_observations")
    return {"observations": observations, "sources": sources, "monthly_observations": monthly,
            "etl_runs": empty_table("etl_runs")}

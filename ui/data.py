"""Cached warehouse access and view-models for the pages.

The connection is an st.cache_resource and query results are st.cache_data (each caller gets
its own copy). The view-models, the pictures' images and the lookups are built once per process
and shared by every session with a plain memo (ui/memo.py: each key built once, even when many
sessions ask at the same time): they are frozen (or read-only) and a plain memo costs a
fraction of Streamlit's hashed cache on every rerun. Every key holds the
warehouse file's path and modification time, so a nightly rebuild (an atomic rename) is picked
up without restarting the app.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from presentation import alke_charts, compare, explorer, method, static_charts, weights
from presentation import alke_frames as alke_tables
from presentation import frames as picture_frames
from presentation.alke import AlkePicture, build_alke_picture
from presentation.geometry import polygon_paths, simplify_geojson
from presentation.methodology import for_language
from presentation.region import RegionPicture, build_region_picture
from ui import memo
from warehouse import query
from warehouse.paths import DATA_DIR, ROOT, warehouse_path

GEOJSON_PATH = DATA_DIR / "geometry" / "regions.geojson"
METHODOLOGY_PATH = ROOT / "docs" / "methodology.md"
QUERIES = {fn.__name__: fn for fn in (
    query.meta, query.areas, query.dimensions, query.indicators, query.sources,
    query.observations, query.coverage, query.indicator_levels, query.scores,
    query.indicator_scores, query.score_periods, query.observation_periods, query.latest_period,
    query.peers, query.etl_runs, query.freshness, query.breaks,
)}
WarehouseMissing = query.WarehouseMissing
LOG = logging.getLogger(__name__)


def version() -> tuple[str, int]:
    """Return (path, modification time) of the warehouse; raise WarehouseMissing when absent."""
    path = warehouse_path()
    try:
        return str(path), path.stat().st_mtime_ns
    except FileNotFoundError:
        query.connect(path)  # raises WarehouseMissing with the how-to message
        raise


@st.cache_resource(show_spinner=False)
def _registry() -> dict:
    """Return the app-wide holder of the open read-only connection (one per warehouse path)."""
    return {"lock": threading.Lock(), "open": {}}


def _connection(path: str, mtime: int):
    """Return the shared read-only connection of this warehouse version.

    DuckDB shares one database instance per file path within a process, so a connection opened
    after a rebuild would still read the replaced file while the old one is open: the old
    connection is closed first.
    """
    registry = _registry()
    with registry["lock"]:
        current = registry["open"].get(path)
        if current is not None and current[0] == mtime:
            return current[1]
        if current is not None:
            current[1].close()
        connection = query.connect(Path(path))
        registry["open"][path] = (mtime, connection)
        return connection


@st.cache_data(show_spinner=False, max_entries=512)
def _query(path: str, mtime: int, name: str, args: tuple, kwargs: tuple) -> object:
    """Run one whitelisted query function of warehouse.query and cache its result."""
    try:
        try:
            return QUERIES[name](_connection(path, mtime), *args, **dict(kwargs))
        except duckdb.ConnectionException:  # closed by a concurrent switch to a rebuilt file
            return QUERIES[name](_connection(*version()), *args, **dict(kwargs))
    except duckdb.Error as exc:  # a block that fails to read after all: the friendly message
        LOG.warning("warehouse read %s failed: %s", name, exc)
        raise query.WarehouseDamaged(f"The warehouse cannot be read ({type(exc).__name__})."
                                     ) from exc


def _run(name: str, *args: object, **kwargs: object) -> object:
    """Call warehouse.query.<name> through the cache (lists become tuples for stable keys)."""
    path, mtime = version()
    norm = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    return _query(path, mtime, name, tuple(args), tuple(sorted(norm.items())))


@memo.shared(maxsize=4)
def _verified(path: str, mtime: int) -> None:
    """Read the whole warehouse once per version; raise WarehouseDamaged when it is unusable."""
    query.verify(Path(path))


def check() -> None:
    """Raise WarehouseMissing when the warehouse is absent, damaged or of another method."""
    path, mtime = version()
    _verified(path, mtime)
    _connection(path, mtime)


def meta() -> dict:
    """Return the warehouse meta table as a dict."""
    return _run("meta")


def areas(levels: list[str] | None = None) -> pd.DataFrame:
    """Return areas, optionally of some levels only."""
    return _run("areas", levels=levels)


def dimensions() -> pd.DataFrame:
    """Return the six dimensions."""
    return _run("dimensions")


def indicators() -> pd.DataFrame:
    """Return the indicator catalog."""
    return _run("indicators")


def sources() -> pd.DataFrame:
    """Return the sources table."""
    return _run("sources")


def observations(indicator_ids: list[str] | None = None, area_codes: list[str] | None = None,
                 periods: list[int] | None = None, levels: list[str] | None = None
                 ) -> pd.DataFrame:
    """Return filtered observations."""
    return _run("observations", indicator_ids=indicator_ids, area_codes=area_codes,
                periods=periods, levels=levels)


def coverage() -> pd.DataFrame:
    """Return the coverage counts (indicator × year × level)."""
    return _run("coverage")


def indicator_levels() -> pd.DataFrame:
    """Return per indicator and level how many areas have data."""
    return _run("indicator_levels")


def scores(period: int | list[int] | None = None, area_code: str | list[str] | None = None,
           dimension: str | list[str] | None = None) -> pd.DataFrame:
    """Return stored scores."""
    return _run("scores", period=period, area_code=area_code, dimension=dimension)


def indicator_scores(period: int | list[int] | None = None,
                     area_code: str | list[str] | None = None,
                     indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Return stored indicator scores."""
    return _run("indicator_scores", period=period, area_code=area_code,
                indicator_ids=indicator_ids)


def score_periods() -> list[int]:
    """Return the years with stored scores."""
    return _run("score_periods")


def observation_periods() -> list[int]:
    """Return the years with observations."""
    return _run("observation_periods")


def peers(area_code: str | None = None) -> pd.DataFrame:
    """Return stored peers."""
    return _run("peers", area_code=area_code)


def etl_runs(limit: int = 50) -> pd.DataFrame:
    """Return the ETL run log."""
    return _run("etl_runs", limit=limit)


def freshness() -> dict:
    """Return build, last run and source dates."""
    return _run("freshness")


def years() -> list[int]:
    """Return the selectable years: years with scores, else years with observations."""
    return score_periods() or observation_periods()


@memo.shared(maxsize=4)
def _map_paths(path: str, mtime: int, decimals: int, min_extent: float) -> dict:
    """Return the region outlines as plottable paths (loaded once per file version)."""
    with open(path, encoding="utf-8") as fh:
        return polygon_paths(simplify_geojson(json.load(fh), decimals, min_extent))


@st.cache_data(show_spinner=False)
def _methodology(path: str, mtime: int, lang: str) -> tuple[str, str]:
    """Return (body, appendix) of the methodology document in lang (read once per version)."""
    with open(path, encoding="utf-8") as fh:
        return for_language(fh.read(), lang, intro=lang == "fi")  # the intro is in Finnish


def methodology(lang: str) -> tuple[str, str] | None:
    """Return the methodology document's part in lang and its appendix, None when missing."""
    if not METHODOLOGY_PATH.is_file():
        return None
    return _methodology(str(METHODOLOGY_PATH), METHODOLOGY_PATH.stat().st_mtime_ns, lang)


def map_paths(detail: bool = True) -> dict | None:
    """Return the bundled region outlines (code -> lon, lat arrays), None when the file is missing.

    detail=False gives a coarser outline for small maps.
    """
    if not GEOJSON_PATH.is_file():
        return None
    # islands under ~5 km (detail) or ~10 km (small map) are a few pixels at the drawn size
    return _map_paths(str(GEOJSON_PATH), GEOJSON_PATH.stat().st_mtime_ns,
                      *((2, 0.08) if detail else (1, 0.15)))


@memo.shared(maxsize=2)
def _frames(path: str, mtime: int) -> picture_frames.PictureFrames:
    """Return the picture frames of one warehouse version (read once, shared read-only)."""
    try:
        return picture_frames.read_frames(_connection(path, mtime))
    except duckdb.Error as exc:
        LOG.warning("warehouse frames failed: %s", exc)
        raise query.WarehouseDamaged(f"The warehouse cannot be read ({type(exc).__name__})."
                                     ) from exc


def frames() -> picture_frames.PictureFrames:
    """Return the country's and the regions' frames behind every view-model."""
    return _frames(*version())


@memo.shared(maxsize=256)
def _region_picture(path: str, mtime: int, area: str, year: int | None, lang: str,
                    today: dt.date) -> RegionPicture:
    """Return one region picture (built once per warehouse version, region, year, language)."""
    return build_region_picture(_frames(path, mtime), area, lang, year, today)


def region_picture(area: str, year: int | None, lang: str) -> RegionPicture:
    """Return the picture of a region in a year and language, judged against today's date."""
    return _region_picture(*version(), area, year, lang, dt.date.today())


@memo.shared(maxsize=2)
def _alke_frames(path: str, mtime: int) -> alke_tables.AlkeFrames:
    """Return the ALKE frames of one warehouse version (read once, shared read-only)."""
    return alke_tables.read_alke_frames(_connection(path, mtime))


@memo.shared(maxsize=256)
def _alke_picture(path: str, mtime: int, area: str, year: int, lang: str) -> AlkePicture:
    """Return one region's ALKE sections (per warehouse version, region, year, language)."""
    return build_alke_picture(_alke_frames(path, mtime), area, lang, year)


def alke_picture(area: str, lang: str) -> AlkePicture:
    """Return the fast picture, the alerts and the region's own assessment of a region.

    The assessment is the one of this year's discussion (the year of today's date).
    """
    return _alke_picture(*version(), area, dt.date.today().year, lang)


@memo.shared(maxsize=256)
def _alke_images(path: str, mtime: int, area: str, year: int,
                 lang: str) -> alke_charts.AlkeCharts:
    """Return the ALKE page's charts."""
    return alke_charts.alke_charts(_alke_picture(path, mtime, area, year, lang))


def alke_images(area: str, lang: str) -> alke_charts.AlkeCharts:
    """Return the ALKE sections' static charts."""
    return _alke_images(*version(), area, dt.date.today().year, lang)


@memo.shared(maxsize=64)
def _alke_print_images(path: str, mtime: int, area: str, year: int,
                       lang: str) -> alke_charts.AlkePrintCharts:
    """Return the brief's compact ALKE charts (drawn once per version, region and language)."""
    return alke_charts.alke_print_charts(_alke_picture(path, mtime, area, year, lang))


def alke_print_images(area: str, lang: str) -> alke_charts.AlkePrintCharts:
    """Return the brief's compact ALKE charts of a region."""
    return _alke_print_images(*version(), area, dt.date.today().year, lang)


@memo.shared(maxsize=256)
def _region_images(path: str, mtime: int, area: str, year: int | None, lang: str,
                   today: dt.date) -> tuple[static_charts.BriefCharts, bytes | None]:
    """Return the picture's radar and trends, and the locator map (None without outlines)."""
    picture = _region_picture(path, mtime, area, year, lang, today)
    paths = map_paths(detail=False)
    locator = static_charts.locator_png(paths, area) if paths else None
    return static_charts.brief_charts(picture), locator


def region_images(area: str, year: int | None, lang: str
                  ) -> tuple[static_charts.BriefCharts, bytes | None]:
    """Return the region picture's static charts (the brief's own) and its locator map."""
    return _region_images(*version(), area, year, lang, dt.date.today())


@memo.shared(maxsize=64)
def _compare_measures(path: str, mtime: int, year: int, lang: str) -> tuple:
    """Return the compare page's measures of a year (id, label)."""
    return compare.measure_options(_frames(path, mtime), year, lang)


def compare_measures(year: int, lang: str) -> tuple[tuple[str, str], ...]:
    """Return (id, label) of the measures that can be compared in a year."""
    return _compare_measures(*version(), int(year), lang)


@memo.shared(maxsize=256)
def _compare_picture(path: str, mtime: int, measure: str, year: int, lang: str, area: str,
                     today: dt.date) -> compare.ComparePicture:
    """Return one compare picture (per warehouse version, measure, year, language, region)."""
    return compare.build_compare_picture(_frames(path, mtime), measure, lang, year, area, today)


def compare_picture(measure: str, year: int, lang: str, area: str) -> compare.ComparePicture:
    """Return the regions compared on a measure in a year, the region in focus highlighted."""
    return _compare_picture(*version(), measure, int(year), lang, area, dt.date.today())


def explorer_indicators(lang: str) -> dict[str, str]:
    """Return id -> label of the indicators with at least one figure."""
    return _explorer_indicators(*version(), lang)


@memo.shared(maxsize=8)
def _explorer_indicators(path: str, mtime: int, lang: str) -> dict[str, str]:
    """Return the explorer's indicator choices in lang."""
    frames_ = _frames(path, mtime)
    return explorer.indicator_options(frames_.indicators, frames_.dimensions,
                                      indicator_levels(), lang)


def explorer_picture(indicator: str, chosen: tuple[str, ...], level: str | None,
                     dist_year: int | None, lang: str, year: int | None,
                     area: str) -> explorer.ExplorerPicture:
    """Return the explorer's picture of one indicator for the chosen areas, level and year."""
    return _explorer_picture(*version(), indicator, tuple(chosen), level, dist_year, lang,
                             year, area)


@memo.shared(maxsize=128)
def _explorer_picture(path: str, mtime: int, indicator: str, chosen: tuple[str, ...],
                      level: str | None, dist_year: int | None, lang: str, year: int | None,
                      area: str) -> explorer.ExplorerPicture:
    """Return one explorer picture (per warehouse version and choice)."""
    frames_ = _frames(path, mtime)
    own = frames_.indicator_scores
    own = own[(own["indicator_id"] == indicator) & (own["area_code"] == area)
              & (own["period"] == year)]
    return explorer.build_explorer_picture(
        frames_.indicators, areas(), observations(indicator_ids=[indicator]), own,
        frames_.sources, frames_.breaks, indicator, chosen, level, dist_year, lang, year, area)


def weights_picture(normalisation: str, aggregation: str, dimension_weights: dict,
                    indicator_weights: dict, year: int, area: str, lang: str
                    ) -> weights.WeightsPicture:
    """Return the custom method's scores against the default method's in a year."""
    custom = custom_scores(normalisation, aggregation, dimension_weights, indicator_weights,
                           year)
    default = custom_scores("goalposts", "arithmetic", None, None, year)
    look = lookups(lang)
    return weights.build_weights_picture(default, custom, year, area, look["regions"],
                                         look["names"], lang)


@memo.shared(maxsize=64)
def _method_picture(path: str, mtime: int, area: str, year: int | None,
                    lang: str) -> method.MethodPicture:
    """Return one method picture (per warehouse version, region, year, language)."""
    return method.build_method_picture(_frames(path, mtime), area, year, lang)


def method_picture(area: str, year: int | None, lang: str) -> method.MethodPicture:
    """Return the method page's picture with the worked example of a region and year."""
    return _method_picture(*version(), area, year, lang)


@memo.shared(maxsize=16)
def _coverage_picture(path: str, mtime: int, level: str, lang: str) -> method.CoveragePicture:
    """Return one level's coverage matrices."""
    frames_ = _frames(path, mtime)
    return method.build_coverage_picture(coverage(), frames_.indicators, frames_.dimensions,
                                         areas(), level, lang)


def coverage_picture(level: str, lang: str) -> method.CoveragePicture:
    """Return how many areas of a level have a value, per dimension, indicator and year."""
    return _coverage_picture(*version(), level, lang)


def runs_table(runs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the ETL run log with its headings in lang."""
    return method.runs_table(runs, lang)


@memo.shared(maxsize=64)
def _page_trends(path: str, mtime: int, area: str, year: int | None, lang: str,
                 today: dt.date) -> bytes | None:
    """Return the key-indicator trends in three columns, readable on a phone too."""
    picture = _region_picture(path, mtime, area, year, lang, today)
    return static_charts.trends_png(picture.key_rows, lang, columns=3, width_in=6.0,
                                    row_height_in=1.6)


def page_trends(area: str, year: int | None, lang: str) -> bytes | None:
    """Return the region page's trend small multiples (the brief's, in three columns)."""
    return _page_trends(*version(), area, year, lang, dt.date.today())


@st.cache_data(show_spinner=False, max_entries=64)
def _custom_scores(path: str, mtime: int, normalisation: str, aggregation: str,
                   dimension_weights: tuple, indicator_weights: tuple,
                   year: int) -> pd.DataFrame:
    """Return the dimension scores of one method for a year, recomputed with score_panel."""
    from indicators import scoring

    con = _connection(path, mtime)
    obs = query.observations(con, levels=["country", "region"])
    method = scoring.Method(normalisation=normalisation, aggregation=aggregation,
                            dimension_weights=dict(dimension_weights) or None,
                            indicator_weights=dict(indicator_weights) or None)
    result = scoring.score_panel(obs, query.indicators(con), query.areas(con), method,
                                 years=[year])
    return result.dimension_scores


def custom_scores(normalisation: str, aggregation: str, dimension_weights: dict | None,
                  indicator_weights: dict | None, year: int) -> pd.DataFrame:
    """Return dimension scores recomputed with a chosen method (raises scoring.WeightsError)."""
    path, mtime = version()
    return _custom_scores(path, mtime, normalisation, aggregation,
                          tuple(sorted((dimension_weights or {}).items())),
                          tuple(sorted((indicator_weights or {}).items())), int(year))


@memo.shared(maxsize=16)
def _lookups(path: str, mtime: int, lang: str) -> dict:
    """Return the per-language lookups and the reference frames the shell uses every run.

    The frames (areas, dimensions, indicators) are shared by every session: read-only.
    """
    con = _connection(path, mtime)
    areas_frame = query.areas(con)
    dims, inds = query.dimensions(con), query.indicators(con)
    return {"names": dict(zip(areas_frame["code"], areas_frame[f"name_{lang}"], strict=True)),
            "regions": list(areas_frame.loc[areas_frame["level"] == "region", "code"]),
            "dim_labels": _labels(dims, lang), "ind_labels": _labels(inds, lang),
            "years": query.score_periods(con) or query.observation_periods(con),
            "areas": areas_frame, "dimensions": dims, "indicators": inds}


def _labels(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """Return id -> label in lang."""
    return dict(zip(frame["id"], frame[f"label_{lang}"], strict=True))


def lookups(lang: str) -> dict:
    """Return area names, the region codes in order, dimension and indicator labels for lang."""
    path, mtime = version()
    return _lookups(path, mtime, lang)

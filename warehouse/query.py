"""Read-only queries of the warehouse for the app: the only module that runs SQL reads."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from indicators.industry import STORED_EMPLOYMENT_COLUMNS
from indicators.monthly import MONTHLY_COLUMNS
from indicators.twins import EU_OBS_COLUMNS, EU_REGION_COLUMNS, WAREHOUSE_TWIN_COLUMNS
from warehouse.paths import warehouse_path

PEER_COLUMNS = ["area_code", "period", "peer_code", "peer_rank", "distance", "method"]
SCORE_COLUMNS = ["area_code", "period", "dimension", "score", "rank", "rank_low", "rank_high",
                 "n_ranked", "change_1y", "change_1y_note", "change_5y", "change_5y_note",
                 "n_indicators", "n_expected", "n_carried", "newest_period", "oldest_period",
                 "flag", "method"]
INDICATOR_SCORE_COLUMNS = ["indicator_id", "area_code", "period", "value_period", "value",
                           "score", "capped", "method"]
GOALPOST_COLUMNS = ["indicator_id", "low", "high", "scale", "reference_first", "reference_last",
                    "method_version"]
ETL_RUN_COLUMNS = ["run_id", "source_id", "started_at", "finished_at", "status", "rows",
                   "message"]


# What a warehouse must hold for the app to read it (tables and the columns it reads).
REQUIRED_COLUMNS = {
    "meta": ["key", "value"],
    "areas": ["code", "level", "parent_code", "region_code", "name_fi", "name_sv", "name_en"],
    "dimensions": ["id"],
    "indicators": ["id", "dimension", "direction"],
    "sources": ["source_id"],
    "observations": ["indicator_id", "area_code", "period", "value", "flag", "source_id"],
    "scores": SCORE_COLUMNS,
    "indicator_scores": INDICATOR_SCORE_COLUMNS,
}


class WarehouseMissing(RuntimeError):
    """Raised when the warehouse file does not exist or cannot be opened read-only."""


class WarehouseDamaged(WarehouseMissing):
    """Raised when the warehouse opens but cannot be used: damaged, another schema or method."""


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only; raise WarehouseMissing with how to build it."""
    db = Path(path) if path else warehouse_path()
    hint = "Run `make run` or `python -m etl build` to build it from the bundled snapshot."
    if not db.is_file():
        raise WarehouseMissing(f"The warehouse {db} does not exist. {hint}")
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseMissing(f"The warehouse {db} cannot be opened ({exc}). {hint}") from exc


def problems(con: duckdb.DuckDBPyConnection, method_version: str) -> list[str]:
    """Return why the warehouse cannot be used (empty when it can): every table read in full.

    A missing table or column, a method version other than method_version in meta, or a block
    that fails to read (a truncated or bit-rotted file) is one line each.
    """
    found: list[str] = []
    try:
        columns = _frame(con, "SELECT table_name, column_name FROM information_schema.columns")
        have = columns.groupby("table_name")["column_name"].apply(set).to_dict()
        for table, wanted in REQUIRED_COLUMNS.items():
            if table not in have:
                found.append(f"table {table} is missing")
            elif set(wanted) - have[table]:
                found.append(f"table {table} lacks {', '.join(sorted(set(wanted) - have[table]))}")
        for table in sorted(have):
            con.execute(f'SELECT bit_xor(hash(COLUMNS(*))) FROM "{table}"').fetchall()
        if "meta" in have:
            method = meta(con).get("method", "")
            if method.split(":")[0] != method_version:
                found.append(f"built with method {method.split(':')[0] or 'unknown'}, "
                             f"the app scores with {method_version}")
    except duckdb.Error as exc:
        found.append(f"cannot be read ({type(exc).__name__})")
    return found


def verify(path: Path | str | None = None) -> None:
    """Open the warehouse and raise WarehouseDamaged when problems() finds any (else close it)."""
    from indicators.method import METHOD_VERSION

    con = connect(path)
    try:
        found = problems(con, METHOD_VERSION)
    finally:
        con.close()
    if found:
        raise WarehouseDamaged("The warehouse cannot be used: " + "; ".join(found) + ". Rebuild "
                               "it with `make build` (or `python -m etl build`), or restore the "
                               "backup `data/warehouse.duckdb.bak`.")


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence | None = None
           ) -> pd.DataFrame:
    """Run one parameterised read on its own cursor (thread-safe) and return a DataFrame."""
    cur = con.cursor()
    try:
        return cur.execute(sql, list(params or [])).df()
    finally:
        cur.close()


def _list(values: Sequence | None) -> list | None:
    """Return a list for an optional filter (None stays None = no filter)."""
    if values is None:
        return None
    if isinstance(values, (str, int)):
        return [values]
    return list(values)


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Return True when the warehouse has the table."""
    found = _frame(con, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?",
                   [table])
    return bool(found["n"].iloc[0])


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Return the warehouse's meta key/value pairs (built_at, built_from, ...)."""
    frame = _frame(con, "SELECT key, value FROM meta ORDER BY key")
    return dict(zip(frame["key"], frame["value"], strict=True))


def areas(con: duckdb.DuckDBPyConnection, levels: Sequence[str] | None = None) -> pd.DataFrame:
    """Return areas (code, level, parent_code, region_code, names, nuts3_code) in display order."""
    return _frame(con, """
        SELECT code, level, parent_code, region_code, name_fi, name_sv, name_en, nuts3_code,
               sort_order
        FROM areas WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], level))
        ORDER BY sort_order NULLS LAST, code""", [_list(levels), _list(levels)])


def dimensions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the six dimensions with labels, descriptions and colours in display order."""
    return _frame(con, "SELECT * FROM dimensions ORDER BY sort_order")


def indicators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the indicator catalog table ordered by dimension, then catalog order."""
    return _frame(con, """
        SELECT i.* FROM indicators i LEFT JOIN dimensions d ON d.id = i.dimension
        ORDER BY d.sort_order, i.rowid""")


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the sources table (publisher, table, licence, origin, updated, fetched_at)."""
    return _frame(con, "SELECT * FROM sources ORDER BY publisher, source_id")


def observations(con: duckdb.DuckDBPyConnection, indicator_ids: Sequence[str] | None = None,
                 area_codes: Sequence[str] | None = None, periods: Sequence[int] | None = None,
                 levels: Sequence[str] | None = None) -> pd.DataFrame:
    """Return observations filtered by indicators, areas, periods and area levels (None = all)."""
    ids, codes, years, lvls = _list(indicator_ids), _list(area_codes), _list(periods), _list(levels)
    return _frame(con, """
        SELECT o.indicator_id, o.area_code, o.period, o.value, o.flag, o.source_id
        FROM observations o
        WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], o.indicator_id))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], o.area_code))
          AND (?::INTEGER[] IS NULL OR list_contains(?::INTEGER[], o.period))
          AND (?::VARCHAR[] IS NULL OR o.area_code IN
               (SELECT code FROM areas WHERE list_contains(?::VARCHAR[], level)))
        ORDER BY o.indicator_id, o.area_code, o.period""",
                  [ids, ids, codes, codes, years, years, lvls, lvls])


def indicator_levels(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return, per indicator and area level, how many areas have at least one value."""
    return _frame(con, """
        SELECT o.indicator_id, a.level, count(DISTINCT o.area_code) AS n_areas
        FROM observations o JOIN areas a ON a.code = o.area_code
        WHERE o.value IS NOT NULL
        GROUP BY o.indicator_id, a.level ORDER BY o.indicator_id, a.level""")


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return indicators × years by dimension and area level: areas with a value and without."""
    return _frame(con, """
        SELECT i.dimension, o.indicator_id, o.period, a.level,
               count(o.value) AS n_values,
               count(*) - count(o.value) AS n_missing
        FROM observations o
        JOIN indicators i ON i.id = o.indicator_id
        JOIN areas a ON a.code = o.area_code
        GROUP BY i.dimension, o.indicator_id, o.period, a.level
        ORDER BY i.dimension, o.indicator_id, o.period, a.level""")


def _stored(con: duckdb.DuckDBPyConnection, table: str, columns: list[str],
            filters: Sequence[tuple[str, str, object]], order: str) -> pd.DataFrame:
    """Read columns of a derived table filtered by (column, SQL type, values); empty if absent."""
    if not has_table(con, table):
        return pd.DataFrame(columns=columns)
    where, params = [], []
    for column, sql_type, values in filters:
        where.append(f"(?::{sql_type}[] IS NULL OR list_contains(?::{sql_type}[], {column}))")
        params += [_list(values)] * 2
    return _frame(con, f"""
        SELECT {", ".join(columns)} FROM {table}
        WHERE {" AND ".join(where) or "TRUE"}
        ORDER BY {order}""", params)


def scores(con: duckdb.DuckDBPyConnection, period: int | Sequence[int] | None = None,
           area_code: str | Sequence[str] | None = None,
           dimension: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Return stored dimension and overall scores, ranks, rank intervals and data ages.

    A change is NULL unless comparable; its note says why (docs/methodology.md).
    """
    return _stored(con, "scores", SCORE_COLUMNS,
                   [("period", "INTEGER", period), ("area_code", "VARCHAR", area_code),
                    ("dimension", "VARCHAR", dimension)], "period, area_code, dimension")


def indicator_scores(con: duckdb.DuckDBPyConnection, period: int | Sequence[int] | None = None,
                     area_code: str | Sequence[str] | None = None,
                     indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Return stored indicator scores (0–100) with the value, its year and the capped flag."""
    return _stored(con, "indicator_scores", INDICATOR_SCORE_COLUMNS,
                   [("period", "INTEGER", period), ("area_code", "VARCHAR", area_code),
                    ("indicator_id", "VARCHAR", indicator_ids)], "period, area_code, indicator_id")


def score_periods(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Return the years that have a stored overall score for some region (ascending)."""
    if not has_table(con, "scores"):
        return []
    frame = _frame(con, """
        SELECT DISTINCT s.period FROM scores s JOIN areas a ON a.code = s.area_code
        WHERE a.level = 'region' AND s.dimension = 'overall' AND s.score IS NOT NULL
        ORDER BY s.period""")
    return [int(p) for p in frame["period"]]


def observation_periods(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Return the years that have at least one observed value (ascending)."""
    frame = _frame(con, "SELECT DISTINCT period FROM observations WHERE value IS NOT NULL "
                        "ORDER BY period")
    return [int(p) for p in frame["period"]]


def latest_period(con: duckdb.DuckDBPyConnection) -> int | None:
    """Return the latest year with stored scores, else the latest observed year, else None."""
    years = score_periods(con) or observation_periods(con)
    return years[-1] if years else None


def peers(con: duckdb.DuckDBPyConnection, area_code: str | None = None,
          period: int | None = None) -> pd.DataFrame:
    """Return each region's structurally nearest peers in a year (peer_rank 1 = nearest).

    Peers come from the data up to each year; period None gives the newest year's peers.
    """
    if not has_table(con, "peers"):
        return pd.DataFrame(columns=PEER_COLUMNS)
    year = None if period is None else int(period)
    return _frame(con, f"""
        SELECT {", ".join(PEER_COLUMNS)} FROM peers
        WHERE (?::VARCHAR IS NULL OR area_code = ?::VARCHAR)
          AND period = coalesce(?::INTEGER, (SELECT max(period) FROM peers))
        ORDER BY area_code, peer_rank""", [area_code, area_code, year])


def goalposts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the goalposts of the method version, in the indicators' own units."""
    return _stored(con, "goalposts", GOALPOST_COLUMNS, [], "indicator_id")


def etl_runs(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """Return the latest ETL run log rows, newest first."""
    if not has_table(con, "etl_runs"):
        return pd.DataFrame(columns=ETL_RUN_COLUMNS)
    return _frame(con, f"""
        SELECT {", ".join(ETL_RUN_COLUMNS)} FROM etl_runs
        ORDER BY started_at DESC NULLS LAST, run_id DESC LIMIT ?""", [int(limit)])


def freshness(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Return when the warehouse was built, the last finished ETL run and the sources' dates."""
    info: dict[str, str | None] = {"built_at": meta(con).get("built_at")}
    runs = _frame(con, """
        SELECT max(finished_at)::VARCHAR AS last_run FROM etl_runs WHERE status = 'ok'""")
    info["last_run"] = runs["last_run"].iloc[0] if not runs.empty else None
    dates = _frame(con, """
        SELECT min(NULLIF(trim(updated), '')) AS updated_min,
               max(NULLIF(trim(updated), '')) AS updated_max,
               max(NULLIF(trim(CAST(fetched_at AS VARCHAR)), '')) AS fetched_max
        FROM sources""")
    for column in ("updated_min", "updated_max", "fetched_max"):
        value = dates[column].iloc[0]
        info[column] = None if pd.isna(value) else str(value)
    return {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
            for k, v in info.items()}


BREAK_COLUMNS = ["indicator_id", "period", "level", "kind", "reason_fi", "reason_sv",
                 "reason_en"]


def breaks(con: duckdb.DuckDBPyConnection,
           indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the recorded series breaks (indicator, year, level, kind, reason in fi/sv/en)."""
    return _stored(con, "breaks", BREAK_COLUMNS, [("indicator_id", "VARCHAR", indicator_ids)],
                   "indicator_id, period, level")


def monthly_series(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the monthly series list (id, code, table, decimals, unit/label/description)."""
    if not has_table(con, "monthly_series"):
        return pd.DataFrame(columns=["id"])
    return _frame(con, "SELECT * FROM monthly_series ORDER BY rowid")


def monthly_observations(con: duckdb.DuckDBPyConnection,
                         series_ids: Sequence[str] | None = None,
                         area_codes: Sequence[str] | None = None,
                         since: str | None = None) -> pd.DataFrame:
    """Return monthly figures (month 'YYYY-MM') filtered by series, areas and first month."""
    frame = _stored(con, "monthly_observations", MONTHLY_COLUMNS,
                    [("series_id", "VARCHAR", series_ids), ("area_code", "VARCHAR", area_codes)],
                    "series_id, area_code, month")
    return frame if since is None else frame[frame["month"] >= since].reset_index(drop=True)


INDUSTRY_COLUMNS = STORED_EMPLOYMENT_COLUMNS
INDUSTRY_LABEL_COLUMNS = ["code", "label_fi", "label_sv", "label_en", "sort_order"]


def industries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the TOL 2008 sections (and X, industry unknown) with fi/sv/en names, in order."""
    return _stored(con, "industries", INDUSTRY_LABEL_COLUMNS, [], "sort_order")


def industry_employment(con: duckdb.DuckDBPyConnection,
                        area_codes: Sequence[str] | None = None,
                        periods: Sequence[int] | None = None,
                        industry_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Return employed persons by area, year and section (None = all); SSS = the 19 regions."""
    return _stored(con, "industry_employment", INDUSTRY_COLUMNS,
                   [("area_code", "VARCHAR", area_codes), ("period", "INTEGER", periods),
                    ("industry", "VARCHAR", industry_codes)], "area_code, period, industry")
ALERT_COLUMNS = ["area_code", "level", "rule_id", "series", "period", "direction", "value",
                 "baseline", "country_value", "threshold", "since", "method", "gap"]


def alerts(con: duckdb.DuckDBPyConnection, area_code: str | Sequence[str] | None = None,
           period: str | Sequence[str] | None = None,
           rule_id: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Return structural-change alerts (docs/methodology.md) filtered by area, period and rule.

    period is 'YYYY-MM' for monthly rules and 'YYYY' for annual ones; empty when none is stored.
    """
    return _stored(con, "alerts", ALERT_COLUMNS,
                   [("area_code", "VARCHAR", area_code), ("period", "VARCHAR", period),
                    ("rule_id", "VARCHAR", rule_id)], "period, rule_id, area_code")

def eu_regions(con: duckdb.DuckDBPyConnection,
               nuts_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Return EU regions (NUTS-3 and countries): code, level, country, name and its source."""
    return _stored(con, "eu_regions", EU_REGION_COLUMNS, [("nuts_code", "VARCHAR", nuts_codes)],
                   "nuts_code")


def eu_variables(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the EU variables (role, transform, decimals, unit/label/description) in order."""
    if not has_table(con, "eu_variables"):
        return pd.DataFrame(columns=["id", "role"])
    return _frame(con, "SELECT * FROM eu_variables ORDER BY sort_order")


def eu_observations(con: duckdb.DuckDBPyConnection, variables: Sequence[str] | None = None,
                    nuts_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Return Eurostat NUTS-3 figures filtered by variables and NUTS codes (None = all)."""
    return _stored(con, "eu_observations", EU_OBS_COLUMNS,
                   [("variable", "VARCHAR", variables), ("nuts_code", "VARCHAR", nuts_codes)],
                   "variable, nuts_code, period")


def eu_twins(con: duckdb.DuckDBPyConnection,
             area_code: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Return the Finnish regions' EU twins (twin_rank 1 = the most similar)."""
    return _stored(con, "eu_twins", WAREHOUSE_TWIN_COLUMNS, [("area_code", "VARCHAR", area_code)],
                   "area_code, twin_rank")

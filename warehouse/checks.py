"""Integrity checks before a build: every row points at a known area, id and source."""

from __future__ import annotations

import pandas as pd

from indicators.industry import STORED_EMPLOYMENT_COLUMNS
from indicators.monthly import parse_month
from warehouse.writer import WarehouseError


def reference_problems(frame: pd.DataFrame, name: str,
                       references: list[tuple[str, set, str]], key: list[str]) -> list[str]:
    """Return the problems of one table: values of a column outside its known set, duplicate keys.

    references: (column, the known values, what they are called in the message).
    """
    problems = []
    for column, known, what in references:
        unknown = sorted(set(frame[column].dropna()) - known)
        if unknown:
            problems.append(f"{name}: unknown {what}: {unknown[:10]}")
    dupes = frame.duplicated(key).sum()
    if dupes:
        problems.append(f"{name}: {dupes} duplicate ({', '.join(key)}) rows")
    return problems


def _raise_if(problems: list[str]) -> None:
    """Raise WarehouseError naming every problem (nothing when there are none)."""
    if problems:
        raise WarehouseError("Snapshot fails integrity checks: " + "; ".join(problems))


def check_integrity(observations: pd.DataFrame, sources: pd.DataFrame, areas: pd.DataFrame,
                    indicators: pd.DataFrame, monthly: pd.DataFrame | None = None,
                    series: pd.DataFrame | None = None) -> None:
    """Raise WarehouseError when observations point at unknown areas, indicators or sources."""
    problems = []
    checks = [(observations, "observations", "indicator_id", set(indicators["id"]),
               ["indicator_id", "area_code", "period"])]
    if monthly is not None and len(monthly):
        checks.append((monthly, "monthly observations", "series_id",
                       set(series["id"]) if series is not None else set(),
                       ["series_id", "area_code", "month"]))
        bad_months = sorted(m for m in set(monthly["month"])
                            if not (parse_month(m) and len(str(m)) == 7))
        if bad_months:
            problems.append(f"monthly observations: month codes not 'YYYY-MM': {bad_months[:5]}")
    for frame, name, id_column, known_ids, key in checks:
        problems += reference_problems(frame, name, [
            ("area_code", set(areas["code"]), "area codes"), (id_column, known_ids, "ids"),
            ("source_id", set(sources["source_id"]), "source ids")], key)
    _raise_if(problems)


def check_industry_integrity(industry: pd.DataFrame, sources: pd.DataFrame, areas: pd.DataFrame,
                             industries: pd.DataFrame) -> None:
    """Raise WarehouseError when industry rows point at unknown areas, sections or sources."""
    if industry is None or industry.empty:
        return
    missing = sorted(set(STORED_EMPLOYMENT_COLUMNS) - set(industry.columns))
    if missing:
        raise WarehouseError(f"Industry snapshot lacks columns {missing}")
    problems = reference_problems(industry, "industry_employment", [
        ("area_code", set(areas["code"]), "area codes"),
        ("industry", set(industries["code"]), "industry codes"),
        ("source_id", set(sources["source_id"]), "source ids")],
        ["area_code", "period", "industry"])
    if industry["value"].isna().any() or (pd.to_numeric(industry["value"]) < 0).any():
        problems.append("industry_employment: counts missing or negative")
    _raise_if(problems)


def check_eu_integrity(obs: pd.DataFrame, regions: pd.DataFrame, variables: pd.DataFrame,
                       sources: pd.DataFrame) -> None:
    """Raise WarehouseError when EU figures point at unknown NUTS codes, variables or sources."""
    _raise_if(reference_problems(obs, "eu_observations", [
        ("nuts_code", set(regions["nuts_code"]), "NUTS codes"),
        ("variable", set(variables["id"]), "variables"),
        ("source_id", set(sources["source_id"]), "source ids")],
        ["variable", "nuts_code", "period"]))

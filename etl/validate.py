"""Pure checks a fetched source must pass before it is published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

KEY = ["indicator_id", "area_code", "period"]


@dataclass(frozen=True)
class Rules:
    """Plausibility rules: period range and the largest allowed drop in row count."""

    first_year: int = 1900
    last_year: int | None = None
    max_row_drop: float = 0.25

    def latest_year(self) -> int:
        """Return the latest plausible period (next year unless set)."""
        return self.last_year if self.last_year is not None else date.today().year + 1


def validate_observations(frame: pd.DataFrame, *, valid_range: tuple[float, float],
                          known_areas: set[str], previous_rows: int | None = None,
                          force: bool = False, rules: Rules | None = None) -> list[str]:
    """Return every reason the observations must not be published (empty when they may be)."""
    rules = rules or Rules()
    if frame is None or len(frame) == 0:
        return ["the source returned no observations (empty dataset)"]
    problems, values = _common_problems(frame, known_areas)
    periods = pd.to_numeric(frame["period"], errors="coerce")
    bad = frame["period"][periods.isna() | (periods % 1 != 0)
                          | (periods < rules.first_year) | (periods > rules.latest_year())]
    if len(bad):
        problems.append(f"implausible periods (expected years {rules.first_year}–"
                        f"{rules.latest_year()}): {sorted(set(map(str, bad)))[:10]}")
    keys = [c for c in KEY if c in frame.columns]
    dupes = frame.duplicated(keys, keep=False)
    if dupes.any():
        sample = frame.loc[dupes, keys].drop_duplicates().head(3).to_dict("records")
        problems.append(f"{int(dupes.sum())} rows share a key (duplicates), e.g. {sample}")
    low, high = valid_range
    outside = ~np.isnan(values) & ((values < low) | (values > high))
    if outside.any():
        sample = frame.loc[outside, ["area_code", "period", "value"]].head(3).to_dict("records")
        problems.append(f"{int(outside.sum())} values outside the valid range [{low:g}, {high:g}],"
                        f" e.g. {sample}")
    if previous_rows and not force:
        floor = previous_rows * (1 - rules.max_row_drop)
        if len(frame) < floor:
            problems.append(f"row count fell from {previous_rows} to {len(frame)} (more than "
                            f"{rules.max_row_drop:.0%}); rerun with --force if this is expected")
    return problems


def validate_monthly(frame: pd.DataFrame, known_areas: set[str]) -> list[str]:
    """Return every reason monthly counts must not be published (empty when they may be)."""
    if frame is None or len(frame) == 0:
        return ["the source returned no monthly figures (empty dataset)"]
    problems, values = _common_problems(frame, known_areas)
    negative = ~np.isnan(values) & (values < 0)
    if negative.any():
        sample = frame.loc[negative, ["series_id", "area_code", "month", "value"]].head(3)
        problems.append(f"{int(negative.sum())} negative counts, e.g. "
                        f"{sample.to_dict('records')}")
    dupes = frame.duplicated(["series_id", "area_code", "month"], keep=False)
    if dupes.any():
        problems.append(f"{int(dupes.sum())} rows share a key (duplicates)")
    return problems


def _common_problems(frame: pd.DataFrame, known_areas: set[str]) -> tuple[list[str], np.ndarray]:
    """Return the problems every load is checked for (all missing, unknown areas) and values."""
    problems: list[str] = []
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(float)
    if np.isnan(values).all():
        problems.append("every value is missing")
    unknown = sorted(set(frame["area_code"].astype(str)) - set(known_areas))
    if unknown:
        problems.append(f"{len(unknown)} unknown area codes: {unknown[:10]}")
    return problems, values


LEVEL_PREFIXES = (("SSS", "country"), ("MK", "region"), ("SK", "subregion"))
MUNICIPAL_SHARE = 0.02  # at most this share of municipal year-on-year jumps beyond the factor


def _level(code: str) -> str:
    """Return the level of an area code."""
    return next((lvl for prefix, lvl in LEVEL_PREFIXES if code.startswith(prefix)),
                "municipality")


def _jumps(a: np.ndarray, b: np.ndarray, factor: float) -> np.ndarray:
    """Return where two positive figures differ by more than the factor either way."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = b / a
    return (a > 0) & (b > 0) & ((ratio > factor) | (ratio < 1.0 / factor))


def _shown(rows: pd.DataFrame, limit: int = 5) -> str:
    """Return 'area old_period old → period new' for a few rows, country and regions first."""
    rank = {"country": 0, "region": 1, "subregion": 2, "municipality": 3}
    rows = rows.assign(_rank=rows["area_code"].map(_level).map(rank)).sort_values(
        ["_rank", "area_code"])
    parts = [f"{r.area_code} {r.base_period} {r.old:g} → {r.period} {r.new:g}"
             for r in rows.head(limit).itertuples()]
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return ", ".join(parts) + more


def plausibility_problems(new: pd.DataFrame, published: pd.DataFrame, *, known_areas: set[str],
                          levels: tuple[str, ...], max_factor: float = 10.0) -> list[str]:
    """Return why a load looks wrong against what is published for the same indicator.

    - a figure published for the same area and year jumps by more than max_factor (either
      way): a unit change, not a revision;
    - against the area's previous year, a jump beyond max_factor at a country, region or
      sub-region, or in more than MUNICIPAL_SHARE of the municipalities;
    - a published figure (area, year) the load covers has no row in it, or an area that had a
      figure in the previous year has no row in the newest year.
    Only positive figures are compared by factor (rates around zero change sign freely).
    """
    if new is None or not len(new) or published is None or not len(published):
        return []
    problems = []
    old = published[published["value"].notna() & published["area_code"].isin(known_areas)
                    & published["area_code"].map(_level).isin(levels)]
    fresh = new[new["value"].notna()]
    same = fresh.merge(old[["area_code", "period", "value"]], on=["area_code", "period"],
                       suffixes=("", "_old"))
    flagged = same[_jumps(same["value_old"].to_numpy(float), same["value"].to_numpy(float),
                          max_factor)]
    if len(flagged):
        rows = flagged.assign(base_period=flagged["period"], old=flagged["value_old"],
                              new=flagged["value"])
        problems.append(f"{len(flagged)} published figures would change by more than "
                        f"×{max_factor:g} or ÷{max_factor:g} (a unit change?): {_shown(rows)}")
    present = set(zip(new["area_code"], new["period"], strict=True))
    covered = old[old["period"].isin(set(new["period"]))]
    lost = covered[[k not in present for k in zip(covered["area_code"], covered["period"],
                                                     strict=True)]]
    if len(lost):
        shown = ", ".join(f"{r.area_code} ({r.period}: {r.value:g})"
                          for r in lost.head(5).itertuples())
        problems.append(f"{len(lost)} published figures have no row in the new load: {shown}"
                        + (" …" if len(lost) > 5 else ""))
    # against the previous year: the newest earlier year in the load or published
    history = pd.concat([old[["area_code", "period", "value"]],
                         fresh[["area_code", "period", "value"]]], ignore_index=True)
    history = history.drop_duplicates(["area_code", "period"], keep="last")
    newest = int(new["period"].max())
    earlier = history[history["period"] < newest]
    if len(earlier):
        base = earlier.sort_values("period").drop_duplicates("area_code", keep="last")
        now = fresh[fresh["period"] == newest]
        pair = now.merge(base.rename(columns={"period": "base_period", "value": "old"}),
                         on="area_code").rename(columns={"value": "new"})
        jump = pair[_jumps(pair["old"].to_numpy(float), pair["new"].to_numpy(float),
                           max_factor)]
        levels_of = jump["area_code"].map(_level)
        munis = pair["area_code"].map(_level) == "municipality"
        bad_higher = jump[levels_of != "municipality"]
        bad_munis = jump[levels_of == "municipality"]
        if len(bad_higher) or (munis.any() and len(bad_munis) > MUNICIPAL_SHARE * munis.sum()):
            problems.append(f"{len(jump)} areas jump by more than ×{max_factor:g} or "
                            f"÷{max_factor:g} from their previous year: {_shown(jump)}")
        had = set(base.loc[base["period"] == base["period"].max(), "area_code"])
        gone = sorted(had - set(new.loc[new["period"] == newest, "area_code"]))
        if gone:
            last = int(base["period"].max())
            values = base.set_index("area_code")["value"]
            shown = ", ".join(f"{a} ({last}: {values[a]:g})" for a in gone[:5])
            problems.append(f"{len(gone)} areas had a figure in {last} and have none in "
                            f"{newest}: {shown}" + (" …" if len(gone) > 5 else ""))
    return problems


def monthly_unit_change(new: pd.DataFrame, stored: pd.DataFrame,
                        max_factor: float = 10.0) -> list[str]:
    """Return a problem when stored monthly counts would change by more than the factor."""
    if new is None or not len(new) or stored is None or not len(stored):
        return []
    key = ["series_id", "area_code", "month"]
    same = new[key + ["value"]].merge(stored[key + ["value"]], on=key, suffixes=("", "_old"))
    flagged = same[_jumps(same["value_old"].to_numpy(float), same["value"].to_numpy(float),
                          max_factor)]
    if not len(flagged):
        return []
    shown = ", ".join(f"{r.series_id} {r.area_code} {r.month} {r.value_old:g} → {r.value:g}"
                      for r in flagged.head(5).itertuples())
    return [f"{len(flagged)} stored monthly counts would change by more than ×{max_factor:g} "
            f"or ÷{max_factor:g} (a unit change?): {shown}"]

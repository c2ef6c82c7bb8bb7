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

"""Pure merging of live loads into the last good tables, and the revisions they make."""

from __future__ import annotations

import numpy as np
import pandas as pd

KEY = ["indicator_id", "area_code", "period"]
MONTHLY_KEY = ["series_id", "area_code", "month"]
REL_TOLERANCE = 1e-9


def _replace(old: pd.DataFrame, new: pd.DataFrame, key: list[str], source_id: str
             ) -> pd.DataFrame:
    """Return old without the rows of source_id and without rows whose key new has, plus new."""
    if not len(old):
        return new.copy()
    kept = old[old["source_id"] != source_id]
    if len(kept) and len(new):
        kept = kept[~kept.set_index(key).index.isin(new.set_index(key).index)]
    return pd.concat([kept, new], ignore_index=True) if len(kept) else new.copy()


def replace_observations(old: pd.DataFrame, new: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """Return observations with a load swapped in (its old rows and overlapping keys replaced)."""
    return _replace(old, new, KEY, source_id)


def replace_monthly(old: pd.DataFrame, new: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """Return monthly observations with a monthly load swapped in."""
    return _replace(old, new, MONTHLY_KEY, source_id)


def replace_source(sources: pd.DataFrame, row: dict) -> pd.DataFrame:
    """Return the sources table with one source row added or replaced."""
    new = pd.DataFrame([row])
    if not len(sources):
        return new
    kept = sources[sources["source_id"] != row["source_id"]]
    return pd.concat([kept, new], ignore_index=True)


def revisions(old: pd.DataFrame, new: pd.DataFrame, key: list[str] = KEY) -> pd.DataFrame:
    """Return the keys whose published value a load changes: key..., old, new.

    A value that appears where there was none, or disappears, counts as a revision too.
    """
    if not len(old) or not len(new):
        return pd.DataFrame(columns=[*key, "old", "new"])
    joined = old[[*key, "value"]].merge(new[[*key, "value"]], on=key, how="inner",
                                        suffixes=("_old", "_new"))
    a = joined["value_old"].to_numpy(float)
    b = joined["value_new"].to_numpy(float)
    both = ~np.isnan(a) & ~np.isnan(b)
    changed = np.where(both, ~np.isclose(a, b, rtol=REL_TOLERANCE, atol=0.0),
                       np.isnan(a) != np.isnan(b))
    out = joined[changed].rename(columns={"value_old": "old", "value_new": "new"})
    return out.reset_index(drop=True)


def describe_revisions(rows: pd.DataFrame, limit: int = 5) -> str:
    """Return 'revised N figures: 091 2024 14.2 -> 14.3, …' (empty string when none)."""
    if not len(rows):
        return ""
    area = "area_code"
    period = "period" if "period" in rows.columns else "month"
    shown = [f"{r[area]} {r[period]} {_num(r['old'])} → {_num(r['new'])}"
             for _, r in rows.head(limit).iterrows()]
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"revised {len(rows)} published figures: " + ", ".join(shown) + more


def _num(value) -> str:
    """Return a figure for a log line ('none' for a missing one)."""
    return "none" if value is None or (isinstance(value, float) and np.isnan(value)) \
        else f"{value:g}"

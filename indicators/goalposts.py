"""Goalposts fixed per method version: derived from a reference period, kept in goalposts.toml.

Maintainer command: `python -m indicators.goalposts --write` (re)writes the file from the bundled
snapshot; `--check` says whether the file still matches it.
"""

from __future__ import annotations

import argparse
import math
import sys
import tomllib
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.method import GOALPOST_MARGIN, GOALPOST_REFERENCE, METHOD_VERSION
from indicators.normalise import choose_goalposts, data_goalposts
from indicators.panel import build_panel, on_scale

GOALPOSTS_PATH = Path(__file__).with_name("goalposts.toml")
GOALPOST_COLUMNS = ["indicator_id", "low", "high", "scale", "reference_first", "reference_last",
                    "method_version"]
SCALES = ("linear", "log")
ORIGINS = ("data", "catalog")
ENTRY_FIELDS = {"low", "high", "scale", "origin", "reference_first", "reference_last"}


class GoalpostsError(ValueError):
    """Raised when the goalposts file is missing, damaged or for another method version."""


def derive_goalposts(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
                     reference: tuple[int, int] = GOALPOST_REFERENCE,
                     margin: float = GOALPOST_MARGIN) -> pd.DataFrame:
    """Return goalposts of every scored indicator with region values in the reference years.

    Catalog goalposts are used as given; otherwise the lowest and highest region value of the
    reference years, widened by margin × range (on the log scale for the log indicators).
    Columns: indicator_id, low, high (in the indicator's units), scale, origin, and the first and
    last year of the values they come from.
    """
    panel = build_panel(observations, indicators, areas)
    window = (panel.periods >= reference[0]) & (panel.periods <= reference[1])
    raw = on_scale(panel.raw[window], panel.log_scale)
    data = data_goalposts(raw, panel.is_region, margin)
    catalog = (on_scale(panel.goal_low, panel.log_scale), on_scale(panel.goal_high,
                                                                   panel.log_scale))
    none = np.full(len(panel.indicator_ids), np.nan)
    low, high, origin = choose_goalposts((none, none), catalog, data)
    has = ~np.isnan(raw[:, panel.is_region, :]).all(axis=1)                # [years, I]
    years = panel.periods[window]
    rows = []
    for i, ident in enumerate(panel.indicator_ids):
        if not has[:, i].any() or not low[i] < high[i]:
            continue
        back = (math.exp(low[i]), math.exp(high[i])) if panel.log_scale[i] else (low[i],
                                                                                  high[i])
        rows.append({"indicator_id": ident, "low": float(back[0]), "high": float(back[1]),
                     "scale": "log" if panel.log_scale[i] else "linear",
                     "origin": str(origin[i]), "reference_first": int(years[has[:, i]][0]),
                     "reference_last": int(years[has[:, i]][-1])})
    columns = ["indicator_id", "low", "high", "scale", "origin", "reference_first",
               "reference_last"]
    return pd.DataFrame(rows, columns=columns)


def goalposts_text(frame: pd.DataFrame, version: str = METHOD_VERSION,
                   reference: tuple[int, int] = GOALPOST_REFERENCE,
                   margin: float = GOALPOST_MARGIN) -> str:
    """Return the TOML text of the goalposts file for a derived goalposts frame."""
    lines = [
        "# Goalposts of the scoring method, fixed per method version (docs/methodology.md).",
        "# Written by `python -m indicators.goalposts --write` from the region values of the",
        "# bundled snapshot in the reference years; do not edit by hand. Next year's figures are",
        "# scored against these goalposts (a value beyond one is capped and flagged) until a new",
        "# method version writes new ones.",
        f'method_version = "{version}"',
        f"reference = [{reference[0]}, {reference[1]}]",
        f"margin = {margin!r}",
        "",
    ]
    for row in frame.sort_values("indicator_id").itertuples(index=False):
        lines += [f"[goalpost.{row.indicator_id}]",
                  f"low = {float(row.low)!r}", f"high = {float(row.high)!r}",
                  f'scale = "{row.scale}"', f'origin = "{row.origin}"',
                  f"reference_first = {int(row.reference_first)}",
                  f"reference_last = {int(row.reference_last)}", ""]
    return "\n".join(lines)


def write_goalposts(frame: pd.DataFrame, path: Path = GOALPOSTS_PATH, **kwargs) -> Path:
    """Write the goalposts file atomically (temp file, then rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(goalposts_text(frame, **kwargs), encoding="utf-8")
    tmp.replace(path)
    return path


def _entry_problems(ident: str, entry) -> list[str]:
    """Return the problems of one [goalpost.<id>] table."""
    if not isinstance(entry, dict):
        return [f"{ident}: must be a table"]
    problems = [f"{ident}: missing '{f}'" for f in sorted(ENTRY_FIELDS - set(entry))]
    problems += [f"{ident}: unknown field '{f}'" for f in sorted(set(entry) - ENTRY_FIELDS)]
    if problems:
        return problems
    low, high = entry["low"], entry["high"]
    if not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
               for x in (low, high)) or not low < high:
        problems.append(f"{ident}: low and high must be finite numbers with low < high")
    if entry["scale"] not in SCALES:
        problems.append(f"{ident}: scale must be one of {SCALES}")
    elif entry["scale"] == "log" and not (isinstance(low, int | float) and low > 0):
        problems.append(f"{ident}: a log-scale goalpost must be above zero")
    if entry["origin"] not in ORIGINS:
        problems.append(f"{ident}: origin must be one of {ORIGINS}")
    first, last = entry["reference_first"], entry["reference_last"]
    if not (isinstance(first, int) and isinstance(last, int) and first <= last):
        problems.append(f"{ident}: reference_first and reference_last must be years, first <= last")
    return problems


def parse_goalposts(text: str, version: str = METHOD_VERSION) -> pd.DataFrame:
    """Return the goalposts table of a file's text; raise GoalpostsError naming every problem."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GoalpostsError(f"The goalposts file is not valid TOML: {exc}") from exc
    if doc.get("method_version") != version:
        raise GoalpostsError(
            f"The goalposts file is for method version {doc.get('method_version')!r}, not "
            f"{version!r}; a maintainer writes it with `python -m indicators.goalposts --write`")
    entries = doc.get("goalpost", {})
    problems = [] if isinstance(entries, dict) else ["[goalpost.<id>] tables expected"]
    for ident, entry in (entries.items() if isinstance(entries, dict) else ()):
        problems += _entry_problems(ident, entry)
    if problems:
        raise GoalpostsError("Invalid goalposts file:\n" + "\n".join(problems))
    rows = [{"indicator_id": ident, **entry, "method_version": version}
            for ident, entry in entries.items()]
    frame = pd.DataFrame(rows, columns=[*GOALPOST_COLUMNS, "origin"])
    return frame.astype({"low": float, "high": float, "reference_first": "int64",
                         "reference_last": "int64"})


@cache
def _load(path: str, mtime: int) -> pd.DataFrame:
    """Return the parsed goalposts file (cached per path and modification time)."""
    return parse_goalposts(Path(path).read_text(encoding="utf-8"))


def load_goalposts(path: Path = GOALPOSTS_PATH) -> pd.DataFrame:
    """Return the goalposts of this method version from the file (the warehouse table rows)."""
    path = Path(path)
    if not path.is_file():
        raise GoalpostsError(f"The goalposts file {path} is missing; a maintainer writes it with "
                             "`python -m indicators.goalposts --write`")
    return _load(str(path), path.stat().st_mtime_ns).copy()


def goalposts_differ(file: pd.DataFrame, derived: pd.DataFrame) -> list[str]:
    """Return the indicators whose goalposts in the file differ from the derived ones."""
    a = file.set_index("indicator_id")[["low", "high", "scale"]]
    b = derived.set_index("indicator_id")[["low", "high", "scale"]]
    changed = sorted(set(a.index) ^ set(b.index))
    for ident in sorted(set(a.index) & set(b.index)):
        x, y = a.loc[ident], b.loc[ident]
        if x["scale"] != y["scale"] or not np.allclose([x["low"], x["high"]],
                                                       [y["low"], y["high"]], rtol=1e-12):
            changed.append(ident)
    return changed


def goalposts_command(argv: list[str] | None = None) -> int:
    """Write or check indicators/goalposts.toml from the bundled snapshot."""
    parser = argparse.ArgumentParser(prog="python -m indicators.goalposts",
                                     description=goalposts_command.__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="(re)write the goalposts file")
    action.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    parser.add_argument("--snapshot", type=Path, default=None,
                        help="folder of observations.parquet (default: the bundled data/)")
    parser.add_argument("--file", type=Path, default=GOALPOSTS_PATH)
    args = parser.parse_args(argv)
    from indicators.catalog import catalog_frame
    from indicators.regions import areas_frame
    from warehouse.paths import DATA_DIR, SNAPSHOT_OBSERVATIONS

    snapshot = Path(args.snapshot or DATA_DIR) / SNAPSHOT_OBSERVATIONS
    if not snapshot.is_file():
        print(f"No snapshot at {snapshot}", file=sys.stderr)
        return 2
    derived = derive_goalposts(pd.read_parquet(snapshot), catalog_frame(), areas_frame())
    if args.write:
        write_goalposts(derived, args.file)
        print(f"Wrote {len(derived)} goalposts of {METHOD_VERSION} (reference years "
              f"{GOALPOST_REFERENCE[0]}–{GOALPOST_REFERENCE[1]}) to {args.file}")
        return 0
    try:
        stale = goalposts_differ(load_goalposts(args.file), derived)
    except GoalpostsError as exc:
        print(exc, file=sys.stderr)
        return 1
    if stale:
        print("The goalposts file differs from the snapshot for: " + ", ".join(stale))
        return 1
    print(f"The goalposts file matches the snapshot ({len(derived)} indicators).")
    return 0


if __name__ == "__main__":
    raise SystemExit(goalposts_command())

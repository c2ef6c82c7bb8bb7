"""StatFin PxWeb 'json' exports (post-June-2026 format) -> long rows on today's area codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from etl.convert.division import Division
from etl.convert.errors import ConvertError

# Statistics Finland's cell symbols: '...' = confidential (small counts suppressed; in 12r5 every
# suppressed municipal cell hides 1–4 persons, measured against the published region totals),
# '.' and '..' = no figure for the cell. A cell is a figure or one of these, nothing else.
CONFIDENTIAL_SYMBOLS = ("...",)
NO_FIGURE_SYMBOLS = (".", "..", "-", "")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
LONG_COLUMNS = ("area", "period", "content", "value", "symbol")

# Area prefixes on today's division; every other area type (ELY, HVA, MA, SA, TA, FI, …) is
# another classification and is left out.
LEVEL_PREFIXES = ("SSS", "MK", "SK", "KU")
# The tyonv tables' buckets for job seekers with no or an unknown home municipality.
UNKNOWN_AREAS = ("KU199", "KUJOU", "MK91", "MKJO", "SK902", "SKJOU")


def parse_pxweb_json(doc: object, name: str) -> pd.DataFrame:
    """Return one row per cell of a PxWeb json export: area, period, content, value, symbol.

    value is NaN where the cell holds a symbol; symbol is None for figures.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("columns"), list) \
            or not isinstance(doc.get("data"), list):
        raise ConvertError(f"{name}: not a PxWeb json export (needs 'columns' and 'data')")
    try:
        types = [c["type"] for c in doc["columns"]]
        codes = [str(c["code"]) for c in doc["columns"]]
    except (KeyError, TypeError) as exc:
        raise ConvertError(f"{name}: a column lacks its code or type") from exc
    keys = [i for i, t in enumerate(types) if t in ("d", "t")]
    contents = [codes[i] for i, t in enumerate(types) if t == "c"]
    areas = [i for i in keys if types[i] == "d"]
    times = [i for i in keys if types[i] == "t"]
    if len(areas) != 1 or len(times) != 1 or not contents:
        raise ConvertError(f"{name}: expected one area, one time and some content columns, "
                           f"got {list(zip(codes, types, strict=True))}")
    area_at, time_at = keys.index(areas[0]), keys.index(times[0])
    rows = []
    for n, cell in enumerate(doc["data"]):
        key, values = (cell.get("key"), cell.get("values")) if isinstance(cell, dict) else (None,
                                                                                         None)
        if not isinstance(key, list) or not isinstance(values, list) \
                or len(key) != len(keys) or len(values) != len(contents):
            raise ConvertError(f"{name}: data row {n} does not match the columns")
        for content, text in zip(contents, values, strict=True):
            rows.append((str(key[area_at]), str(key[time_at]), content, *_cell(text, name, n)))
    frame = pd.DataFrame(rows, columns=list(LONG_COLUMNS))
    frame["value"] = frame["value"].astype(float)
    return frame


def _cell(text: object, name: str, row: int) -> tuple[float, str | None]:
    """Return (value, symbol) of one cell; raise on anything but a number or a known symbol."""
    cell = str(text).strip()
    if NUMBER.fullmatch(cell):
        return float(cell), None
    if cell in CONFIDENTIAL_SYMBOLS or cell in NO_FIGURE_SYMBOLS:
        return np.nan, cell
    raise ConvertError(f"{name}: data row {row} has an unreadable cell {cell!r}")


def read_pxweb_json(path: Path) -> pd.DataFrame:
    """Read a PxWeb json export file into long rows (ConvertError names the file)."""
    path = Path(path)
    if not path.exists():
        raise ConvertError(f"PxWeb export missing: {path}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConvertError(f"{path.name}: not valid JSON ({exc})") from exc
    return parse_pxweb_json(doc, path.name)


def today_codes(areas: pd.Series, division: Division, name: str,
                allow_merged: bool = False) -> pd.Series:
    """Return today's registry code for each published area code, None for other area types.

    'KU091' -> '091'; 'SSS', 'MK12', 'SK122' stay. Unknown-home buckets and other area types give
    None. A KU/MK/SK code that is not on today's division raises, as does a merged-away
    municipality unless allow_merged (count tables, whose merged codes are summed later).
    """
    known = set(division.registry["code"])
    successors = division.successor_map

    def one(code: str) -> str | None:
        if code in UNKNOWN_AREAS or not code.startswith(LEVEL_PREFIXES):
            return None
        today = code[2:] if code.startswith("KU") else code
        if today in successors and allow_merged:
            return successors[today]
        if today not in known:
            raise ConvertError(f"{name}: area {code} is not on today's division")
        return today

    unique = {code: one(code) for code in pd.unique(areas)}
    return areas.map(unique)


def wide_values(long: pd.DataFrame, contents: list[str], name: str) -> pd.DataFrame:
    """Return one row per area and period with a value column per content code.

    Also returns <content>_symbol columns. Raises when a needed content code is absent.
    """
    missing = sorted(set(contents) - set(long["content"]))
    if missing:
        raise ConvertError(f"{name}: content codes missing {missing}")
    part = long.loc[long["content"].isin(contents)]
    if part.duplicated(["area", "period", "content"]).any():
        raise ConvertError(f"{name}: an area and period appear twice")
    values = part.pivot(index=["area", "period"], columns="content", values="value")
    symbols = part.pivot(index=["area", "period"], columns="content", values="symbol")
    symbols.columns = [f"{c}_symbol" for c in symbols.columns]
    return pd.concat([values, symbols], axis=1).reset_index().rename_axis(columns=None)


def year(periods: pd.Series, name: str) -> pd.Series:
    """Return the integer year of annual period codes ('2025'); raise on anything else."""
    text = periods.astype(str).str.strip()
    bad = sorted(set(text[~text.str.fullmatch(r"\d{4}")]))
    if bad:
        raise ConvertError(f"{name}: period codes are not years: {bad[:5]}")
    return text.astype(int)


def annual_table(long: pd.DataFrame, contents: list[str], division: Division,
                 name: str) -> pd.DataFrame:
    """Return the wide rows of an annual table for today's areas: area_code, period, contents.

    Other area types and unknown-home buckets are dropped; a merged-away municipality raises
    (these tables publish on today's division).
    """
    data = wide_values(long, contents, name)
    data["area_code"] = today_codes(data["area"], division, name)
    data = data.loc[data["area_code"].notna()].copy()
    data["period"] = year(data["period"], name)
    return data.drop(columns="area").reset_index(drop=True)

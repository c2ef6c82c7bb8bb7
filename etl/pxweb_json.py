"""Pure parser of PxWeb's own `json` export (columns d/t/c, data {key, values}) into tidy cells."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from etl.jsonstat import MISSING_FLAGS, NIL_SYMBOLS, VALUE_FLAGS


class PxJsonError(ValueError):
    """The document is not a PxWeb `json` export this parser can read."""


def is_px_json(doc) -> bool:
    """Return True when a decoded document has the shape of PxWeb's `json` export."""
    return isinstance(doc, dict) and isinstance(doc.get("columns"), list) \
        and isinstance(doc.get("data"), list)


def updated_stamp(doc: dict) -> str | None:
    """Return the export's `updated` stamp as ISO 8601 ('2026-05-29T05.00.00Z' -> ...05:00:00Z)."""
    meta = doc.get("metadata") if isinstance(doc, dict) else None
    first = meta[0] if isinstance(meta, list) and meta and isinstance(meta[0], dict) else {}
    raw = first.get("updated")
    if not isinstance(raw, str) or not raw.strip():
        return None
    day, sep, clock = raw.strip().partition("T")
    return f"{day}T{clock.replace('.', ':')}" if sep else day


def _cell(text) -> tuple[float, str | None]:
    """Return (value, flag) of one exported cell; Statistics Finland's symbols become flags."""
    if text is None:
        return np.nan, "missing"
    if isinstance(text, bool):
        raise PxJsonError(f"a cell holds {text!r}, not a number or a symbol")
    if isinstance(text, (int, float)):
        return float(text), None
    raw = str(text).strip()
    if raw in MISSING_FLAGS:
        return np.nan, MISSING_FLAGS[raw]
    if raw in NIL_SYMBOLS:
        return 0.0, None
    try:
        return float(raw), None
    except ValueError:
        pass
    # a trailing marker such as '12.3p' (preliminary) or '12.3e' (estimate)
    if raw[-1:] in VALUE_FLAGS:
        try:
            return float(raw[:-1]), VALUE_FLAGS[raw[-1]]
        except ValueError:
            pass
    raise PxJsonError(f"a cell holds {raw[:40]!r}, which is neither a number nor one of "
                      f"Statistics Finland's symbols {sorted({*MISSING_FLAGS, *NIL_SYMBOLS})}")


def parse_px_json(doc: dict | bytes | str, contents_code: str) -> pd.DataFrame:
    """Return one row per cell: a column per d/t variable, `contents_code`, value, flag.

    The export puts every content in its own column (type c); the content variable's own
    code is not in the file, so the caller names it (from the table's metadata).
    Confidential and missing symbols give a NaN value with a flag, never zero; '-' is a zero.
    The frame's attrs carry the export's `updated`, `label` and `source`.
    """
    if isinstance(doc, (bytes, bytearray, str)):
        try:
            doc = json.loads(doc)
        except ValueError as exc:
            raise PxJsonError(f"not valid JSON: {exc}") from exc
    if not is_px_json(doc):
        raise PxJsonError("not a PxWeb json export (no 'columns' and 'data' lists)")
    columns = doc["columns"]
    if not all(isinstance(c, dict) and isinstance(c.get("code"), str) for c in columns):
        raise PxJsonError("every column needs a 'code'")
    keys = [c["code"] for c in columns if c.get("type") in ("d", "t")]
    contents = [c["code"] for c in columns if c.get("type") == "c"]
    if not contents:
        raise PxJsonError("the export has no content column (type 'c')")
    if contents_code in keys:
        raise PxJsonError(f"the content variable '{contents_code}' is also a key column")
    if len(set(keys + contents)) != len(keys) + len(contents):
        raise PxJsonError("the export repeats a column code")
    rows: dict[str, list] = {k: [] for k in keys}
    rows[contents_code] = []
    values: list[float] = []
    flags: list[str | None] = []
    for i, row in enumerate(doc["data"]):
        row = row if isinstance(row, dict) else {}
        key, cells = row.get("key"), row.get("values")
        if not isinstance(key, list) or len(key) != len(keys):
            got = len(key) if isinstance(key, list) else 0
            raise PxJsonError(f"data row {i} has a key of {got} codes, the columns give "
                              f"{len(keys)}")
        if not isinstance(cells, list) or len(cells) != len(contents):
            got = len(cells) if isinstance(cells, list) else 0
            raise PxJsonError(f"data row {i} has {got} values, the columns give "
                              f"{len(contents)}")
        for code, cell in zip(contents, cells, strict=True):
            for name, part in zip(keys, key, strict=True):
                rows[name].append(str(part))
            rows[contents_code].append(code)
            value, flag = _cell(cell)
            values.append(value)
            flags.append(flag)
    frame = pd.DataFrame(rows)
    frame["value"] = np.asarray(values, dtype=float)
    frame["flag"] = pd.Series(flags, dtype=object)
    meta = doc.get("metadata")
    first = meta[0] if isinstance(meta, list) and meta and isinstance(meta[0], dict) else {}
    frame.attrs.update({"updated": updated_stamp(doc), "label": first.get("label"),
                        "source": first.get("source")})
    return frame

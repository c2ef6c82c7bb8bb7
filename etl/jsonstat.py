"""Pure, vectorised JSON-stat 2.0 dataset parser into a tidy frame (one row per cell)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

# Statistics Finland's data symbols (PxWeb puts them in `status`, the value is null).
MISSING_FLAGS = {
    ".": "missing",        # category not applicable / nothing published
    ":": "missing",        # not available
    "..": "confidential",  # not available or too uncertain / secret
    "...": "confidential",  # subject to secrecy
}
NIL_SYMBOLS = frozenset({"-"})  # magnitude nil: a published zero
VALUE_FLAGS = {"p": "p", "e": "e", "b": "b", "*": "p"}


class JsonStatError(ValueError):
    """The document is not a JSON-stat 2.0 dataset this parser can read."""


def load(doc: dict | bytes | str) -> dict:
    """Return the decoded document, decoding bytes or text when needed."""
    if isinstance(doc, (bytes, bytearray, str)):
        try:
            doc = json.loads(doc)
        except ValueError as exc:
            raise JsonStatError(f"not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise JsonStatError("a JSON-stat dataset must be a JSON object")
    return doc


def category_codes(dim_id: str, dimension: dict) -> list[str]:
    """Return a dimension's category codes in index order."""
    category = dimension.get("category") if isinstance(dimension, dict) else None
    if not isinstance(category, dict):
        raise JsonStatError(f"dimension '{dim_id}' has no category")
    index = category.get("index")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        codes = [""] * len(index)
        for code, pos in index.items():
            if not isinstance(pos, int) or not 0 <= pos < len(index) or codes[pos]:
                raise JsonStatError(f"dimension '{dim_id}' has a broken category index")
            codes[pos] = str(code)
        return codes
    labels = category.get("label")
    if isinstance(labels, dict) and len(labels) == 1:
        return [str(next(iter(labels)))]
    raise JsonStatError(f"dimension '{dim_id}' has no category index")


def _dense(raw, n: int, what: str, dtype) -> np.ndarray:
    """Return a length-n array from a JSON-stat array or sparse {index: item} object."""
    if isinstance(raw, list):
        if len(raw) != n:
            raise JsonStatError(f"'{what}' has {len(raw)} entries but the dimension sizes "
                                f"give {n} cells (truncated or inconsistent document)")
        return np.asarray(raw, dtype=dtype)
    if isinstance(raw, dict):
        out = np.full(n, np.nan if dtype is float else None, dtype=dtype)
        if raw:
            idx = np.fromiter((int(k) for k in raw), dtype=np.int64, count=len(raw))
            if idx.min() < 0 or idx.max() >= n:
                raise JsonStatError(f"'{what}' points outside the {n} cells")
            out[idx] = np.asarray(list(raw.values()), dtype=dtype)
        return out
    raise JsonStatError(f"'{what}' must be an array or an object")


def _values(raw, n: int) -> tuple[np.ndarray, tuple[np.ndarray, list] | None]:
    """Return float values (NaN for null) and the (positions, symbols) of text values."""
    try:
        return _dense(raw, n, "value", float), None
    except (TypeError, ValueError) as exc:
        if isinstance(exc, JsonStatError):
            raise
    texts = _dense(raw, n, "value", object)
    numbers = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").to_numpy(
        float, copy=True)
    idx = np.flatnonzero(np.isnan(numbers) & pd.notna(texts))
    return numbers, (idx, [str(t) for t in texts[idx]])


def _status(raw, n: int) -> tuple[np.ndarray, list] | None:
    """Return the (positions, symbols) of cells that carry a status, or None."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return np.arange(n, dtype=np.int64), [raw] * n
    if isinstance(raw, dict):
        idx = np.fromiter((int(k) for k in raw), dtype=np.int64, count=len(raw))
        if len(idx) and (idx.min() < 0 or idx.max() >= n):
            raise JsonStatError(f"'status' points outside the {n} cells")
        return idx, [str(v) for v in raw.values()]
    dense = _dense(raw, n, "status", object)
    idx = np.flatnonzero(pd.notna(dense) & (dense != ""))
    return idx, [str(v) for v in dense[idx]]


def _apply_status(values: np.ndarray, flags: np.ndarray, marks) -> None:
    """Turn StatFin symbols into NaN + flag ('-' into a published zero), in place."""
    idx, symbols = marks
    if not len(idx):
        return
    symbols = np.asarray(symbols, dtype=object)
    for symbol in set(symbols.tolist()):
        at = idx[symbols == symbol]
        if symbol in MISSING_FLAGS:
            values[at] = np.nan
            flags[at] = MISSING_FLAGS[symbol]
        elif symbol in NIL_SYMBOLS:
            at = at[np.isnan(values[at])]
            values[at] = 0.0
        elif symbol in VALUE_FLAGS:
            at = at[~np.isnan(values[at])]
            flags[at] = VALUE_FLAGS[symbol]


def parse_jsonstat(doc: dict | bytes | str) -> pd.DataFrame:
    """Return a tidy frame: one categorical column per dimension (codes), `value`, `flag`.

    Missing and confidential symbols give value NaN with flag 'missing' / 'confidential',
    never zero; '-' (magnitude nil) is a published zero. The frame's attrs carry the dataset's
    `updated`, `label`, `source` and `role`.
    """
    doc = load(doc)
    if doc.get("class", "dataset") != "dataset":
        raise JsonStatError(f"expected class 'dataset', got '{doc.get('class')}'")
    ids, sizes, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not (isinstance(ids, list) and isinstance(sizes, list) and isinstance(dims, dict)):
        raise JsonStatError("dataset lacks 'id', 'size' or 'dimension'")
    if len(ids) != len(sizes):
        raise JsonStatError("'id' and 'size' have different lengths")
    if "value" not in doc:
        raise JsonStatError("dataset has no 'value'")
    n = math.prod(int(s) for s in sizes)
    codes = []
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dims:
            raise JsonStatError(f"dimension '{dim_id}' is listed in 'id' but not described")
        cats = category_codes(dim_id, dims[dim_id])
        if len(cats) != size:
            raise JsonStatError(f"dimension '{dim_id}' has {len(cats)} categories, "
                                f"size says {size}")
        codes.append(cats)

    values, text_marks = _values(doc["value"], n)
    status_marks = _status(doc.get("status"), n)
    columns: dict[str, object] = {}
    position = np.arange(n, dtype=np.int64)
    stride = n
    for dim_id, cats in zip(ids, codes, strict=True):
        stride //= max(len(cats), 1)
        index = (position // stride) % len(cats) if n else position
        columns[dim_id] = pd.Categorical.from_codes(index.astype(np.int32), categories=cats)

    flags = np.full(n, None, dtype=object)
    for marks in (status_marks, text_marks):  # a text symbol in `value` wins over `status`
        if marks is not None:
            _apply_status(values, flags, marks)
    nan_at = np.flatnonzero(np.isnan(values))
    unflagged = nan_at[pd.isna(flags[nan_at])]
    flags[unflagged] = "missing"

    columns["value"] = values
    columns["flag"] = pd.Series(flags, dtype=object)
    frame = pd.DataFrame(columns, copy=False)
    frame.attrs.update({k: doc.get(k) for k in ("updated", "label", "source", "role")})
    return frame

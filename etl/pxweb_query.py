"""Pure PxWeb query helpers: build query bodies, count cells, split under the API's limits."""

from __future__ import annotations

import math

Selection = dict[str, list[str]]


def build_query(selection: Selection, response_format: str = "json") -> dict:
    """Return the PxWeb v1 POST body selecting the given value codes.

    The answer format defaults to PxWeb's own `json` export, the format of the recorded
    post-June-2026 responses (`json-stat2` is the other one the client reads).
    """
    return {
        "query": [
            {"code": code, "selection": {"filter": "item", "values": list(values)}}
            for code, values in selection.items()
        ],
        "response": {"format": response_format},
    }


def count_cells(selection: Selection) -> int:
    """Return how many data cells a selection asks for (the product of the value counts)."""
    return math.prod(len(values) for values in selection.values())


def split_selection(selection: Selection, max_cells: int,
                    keep_whole: tuple[str, ...] = ()) -> list[Selection]:
    """Split a selection into parts of at most max_cells cells, cutting the largest variable first.

    Variables named in keep_whole are only cut when nothing else can be. Every cell of the
    original selection is in exactly one part, and the parts keep the original value order.
    """
    if max_cells < 1:
        raise ValueError("max_cells must be at least 1")
    if count_cells(selection) <= max_cells:
        return [dict(selection)]
    cuttable = [c for c, v in selection.items() if len(v) > 1 and c not in keep_whole]
    if not cuttable:
        cuttable = [c for c, v in selection.items() if len(v) > 1]
    if not cuttable:
        return [dict(selection)]
    largest = max(cuttable, key=lambda c: len(selection[c]))
    values = selection[largest]
    others = count_cells(selection) // len(values)
    chunk = max(1, max_cells // others)
    parts: list[Selection] = []
    for start in range(0, len(values), chunk):
        part = dict(selection)
        part[largest] = values[start:start + chunk]
        parts.extend(split_selection(part, max_cells, keep_whole))
    return parts

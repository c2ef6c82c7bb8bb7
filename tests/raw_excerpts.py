"""Plain readers of the raw excerpts in tests/fixtures/raw, independent of etl.convert.

Tests compute expected figures from these by hand and compare them with the converter's output
or with the committed snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path

RAW = Path(__file__).parent / "fixtures" / "raw"
MAPS = RAW / "statfin_pxweb_2026_maps"


def cells(file_name: str) -> dict[tuple[str, str], str]:
    """Return {(area code, content code): cell text} of one PxWeb json excerpt (one period)."""
    doc = json.loads((MAPS / file_name).read_text(encoding="utf-8"))
    columns = doc["columns"]
    area_at = next(i for i, c in enumerate(c for c in columns if c["type"] != "c")
                   if c["type"] == "d")
    contents = [c["code"] for c in columns if c["type"] == "c"]
    out = {}
    for row in doc["data"]:
        for code, text in zip(contents, row["values"], strict=True):
            out[(row["key"][area_at], code)] = text
    return out


def number(file_name: str, area: str, content: str) -> float:
    """Return one published number of an excerpt ('KU167', 'kaste5T8')."""
    return float(cells(file_name)[(area, content)])


# Pohjois-Karjala (MK12): its sub-regions and municipalities, as in indicators/regions.csv
MK12_SUBREGIONS = {"SK122": ["090", "146", "167", "176", "276", "309", "426", "607"],
                   "SK124": ["260", "707", "848"], "SK125": ["422", "541"]}
MK12_MUNICIPALITIES = sorted(c for codes in MK12_SUBREGIONS.values() for c in codes)


def monthly_12r5() -> dict[tuple[str, str, str], float | None]:
    """Return {(alue, tiedot, 'YYYY-MM'): value, None when empty} of the 12r5 monthly excerpt."""
    import csv
    import gzip

    path = RAW / "tem_tyonv_12r5_2006_2023" / "tyonv_12r5_monthly_2006_2023.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return {(r["alue"], r["tiedot"], r["time"]): (float(r["value"]) if r["value"] else None)
                for r in csv.DictReader(fh)}

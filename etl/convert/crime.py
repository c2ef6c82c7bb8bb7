"""StatFin rpk 13kq (offences known to the police by municipality) -> offences per 1,000."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from etl.convert.aggregate import rate_from_counts, to_today
from etl.convert.division import Division, observations
from etl.convert.errors import ConvertError

RAW_FILE = Path("statfin_rpk_13kq") / "crime_statistics_municipal_2020_2024.json"
# indicator id -> (ICCS code in the file, source_id)
INDICATORS = {"offences_per_1000": ("SSS", "statfin_rpk_13kq_total"),
              "harm_offences_per_1000": ("020000", "statfin_rpk_13kq_iccs02")}


def read_crime(path: Path) -> pd.DataFrame:
    """Read the JSON into code, period, population and one column per ICCS code."""
    path = Path(path)
    if not path.exists():
        raise ConvertError(f"crime file missing: {path}")
    doc = json.loads(path.read_text(encoding="utf-8"))
    if "crimeData" not in doc or "populationData" not in doc:
        raise ConvertError(f"{path.name}: expected keys crimeData and populationData")
    rows = []
    for year, by_muni in doc["crimeData"].items():
        for code, counts in by_muni.items():
            pop = doc["populationData"].get(year, {}).get(code)
            rows.append({"code": f"{int(code):03d}", "period": int(year), "population": pop,
                         **{iccs: counts.get(iccs) for iccs, _ in INDICATORS.values()}})
    frame = pd.DataFrame(rows)
    for column in ["population", *[iccs for iccs, _ in INDICATORS.values()]]:
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame


def convert_crime(raw: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Return offences per 1,000 inhabitants recomputed from counts on every level."""
    data = to_today(raw, division.successor_map, division.current)
    frames = []
    for indicator_id, (iccs, source_id) in INDICATORS.items():
        rolled = rate_from_counts(data, iccs, "population", division.parents, scale=1000.0)
        frames.append(observations(rolled.dropna(subset=["value"]), indicator_id, source_id))
    return pd.concat(frames, ignore_index=True)

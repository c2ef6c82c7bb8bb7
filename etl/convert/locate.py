"""Place map points (ETRS-TM35FIN metres) in today's regions by point-in-polygon.

Maintainer-only: needs shapely and pyproj (requirements-dev.txt), imported when first used, so
the rest of the converter and the app do not depend on them.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd

from etl.convert.division import Division
from etl.convert.errors import ConvertError

BOUNDARY_FILE = Path("geometry_tk_maakunta") / "maakunnat_tk_4326_original.json.gz"
ETRS_TM35FIN = "EPSG:3067"
WGS84 = "EPSG:4326"
# The boundaries are generalised to 1:1,000,000: a coastal point can fall just outside every
# region (a quay or bridge in Helsinki). Such a point is given to the nearest region within this
# distance; farther points stay unlocated.
NEAREST_WITHIN_M = 1000.0


def read_boundaries(path: Path, division: Division) -> list[tuple[str, object]]:
    """Return (region code, shapely geometry in ETRS-TM35FIN) for each feature of a GeoJSON file.

    Features are matched to today's regions by their Finnish name (property 'nimi').
    """
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    path = Path(path)
    if not path.exists():
        raise ConvertError(f"region boundary file missing: {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            doc = json.load(fh)
        features = doc["features"]
        pairs = [(division.region_for_name(f["properties"]["nimi"]), shape(f["geometry"]))
                 for f in features]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConvertError(f"{path.name}: not region boundaries ({exc})") from exc
    codes = [code for code, _ in pairs]
    if len(set(codes)) != len(codes):
        raise ConvertError(f"{path.name}: a region appears twice")
    to_metres = Transformer.from_crs(WGS84, ETRS_TM35FIN, always_xy=True)
    return [(code, shapely.transform(geom, lambda xy: np.column_stack(
        to_metres.transform(xy[:, 0], xy[:, 1])))) for code, geom in pairs]


def regions_of_points(x: pd.Series, y: pd.Series, boundaries: list[tuple[str, object]],
                      nearest_within: float = NEAREST_WITHIN_M) -> pd.Series:
    """Return the region code of each point (x east, y north, metres), None where unlocated.

    A point inside a region's polygon gets that region; one outside all of them gets the
    nearest region within nearest_within metres; a point without coordinates gets None.
    """
    import shapely

    xs = pd.to_numeric(x, errors="coerce").to_numpy(dtype=float)
    ys = pd.to_numeric(y, errors="coerce").to_numpy(dtype=float)
    out = np.full(len(xs), None, dtype=object)
    known = ~(np.isnan(xs) | np.isnan(ys))
    for code, geom in boundaries:
        inside = known & (out == None)  # noqa: E711 (element-wise on an object array)
        inside[inside] = shapely.contains_xy(geom, xs[inside], ys[inside])
        out[inside] = code
    outside = np.flatnonzero(known & (out == None))  # noqa: E711
    if len(outside):
        points = shapely.points(xs[outside], ys[outside])
        distances = np.column_stack([shapely.distance(geom, points) for _, geom in boundaries])
        best = distances.argmin(axis=1)
        near = distances[np.arange(len(outside)), best] <= nearest_within
        codes = np.array([code for code, _ in boundaries], dtype=object)
        out[outside[near]] = codes[best[near]]
    return pd.Series(out, index=x.index, dtype=object)

"""Region outlines: a lighter GeoJSON and plottable (lon, lat) paths, for every map renderer."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np


def simplify_geojson(geojson: Mapping, decimals: int = 2, min_extent: float = 0.0) -> dict:
    """Return a lighter copy of a (Multi)Polygon FeatureCollection.

    Coordinates are rounded, consecutive duplicate points removed, rings under 4 points dropped,
    and polygons smaller than min_extent degrees across (small islands) dropped, though never
    the largest polygon of a feature.
    """

    def ring(points: Sequence[Sequence[float]]) -> list[list[float]]:
        out: list[list[float]] = []
        for point in points:
            p = [round(float(point[0]), decimals), round(float(point[1]), decimals)]
            if not out or out[-1] != p:
                out.append(p)
        if out and out[0] != out[-1]:
            out.append(out[0])
        return out

    def polygon(rings: Sequence) -> list:
        kept = [ring(r) for r in rings]
        return [r for r in kept if len(r) >= 4]

    features = []
    for feature in geojson.get("features", []):
        geom = feature.get("geometry") or {}
        if geom.get("type") == "Polygon":
            new_geom = {"type": "Polygon", "coordinates": polygon(geom["coordinates"])}
        elif geom.get("type") == "MultiPolygon":
            polys = [p for p in (polygon(poly) for poly in geom["coordinates"]) if p]
            if min_extent > 0 and polys:
                sizes = [_extent(p[0]) for p in polys]
                largest = max(range(len(polys)), key=sizes.__getitem__)
                polys = [p for i, p in enumerate(polys)
                         if i == largest or sizes[i] >= min_extent]
            new_geom = {"type": "MultiPolygon", "coordinates": polys}
        else:
            continue
        features.append({"type": "Feature", "properties": dict(feature.get("properties", {})),
                         "geometry": new_geom})
    return {"type": "FeatureCollection", "features": features}


def _extent(ring: Sequence[Sequence[float]]) -> float:
    """Return the larger side (degrees) of a ring's bounding box."""
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def polygon_paths(geojson: Mapping) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return code -> (lon, lat) arrays of a FeatureCollection's outer rings, NaN-separated.

    Drawn as filled scatter traces, the map needs no geo subplot, tile server or topojson
    download, and numpy arrays keep the figure cheap to build and send. Holes are ignored.
    """
    paths: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for feature in geojson.get("features", []):
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        elif geom.get("type") != "MultiPolygon":
            continue
        xs: list[float] = []
        ys: list[float] = []
        for poly in polys:
            if not poly:
                continue
            if xs:
                xs.append(math.nan)
                ys.append(math.nan)
            xs.extend(float(p[0]) for p in poly[0])
            ys.extend(float(p[1]) for p in poly[0])
        paths[feature["properties"]["code"]] = (np.array(xs), np.array(ys))
    return paths

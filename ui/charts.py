"""Plotly figure builders: pure functions of frames (radar, maps, heatmap, series, distribution).

Colour-blind-safe palettes (Okabe–Ito, ColorBrewer YlGnBu); a missing value is drawn as missing
(a gap, or a grey area with its own legend entry), never as zero. Each figure is built with one
go.Figure(data, layout) call: plotly validates once, which keeps page runs fast.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000")
GOOD = "#0072B2"  # blue: change in the good direction
BAD = "#B34700"  # dark vermillion: change in the bad direction (contrast ≥ 4.5:1 on white)
NEUTRAL = "#6B6B6B"
MISSING_FILL = "#D9D9D9"
MISSING_LINE = "#8C8C8C"
HIGHLIGHT = "#0072B2"
COUNTRY = "#1A1A1A"
# ColorBrewer YlGnBu (sequential, colour-blind safe): light = low, dark = high.
SEQUENTIAL = [[0.0, "#ffffd9"], [0.125, "#edf8b1"], [0.25, "#c7e9b4"], [0.375, "#7fcdbb"],
              [0.5, "#41b6c4"], [0.625, "#1d91c0"], [0.75, "#225ea8"], [0.875, "#253494"],
              [1.0, "#081d58"]]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13, color="#1A1A1A")
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
GRID = "#E5E5E5"


def plot_config(lang: str) -> dict:
    """Return the st.plotly_chart config for lang (no logo, no lasso)."""
    return {**CONFIG, "locale": {"fi": "fi", "sv": "sv", "en": "en"}.get(lang, "en")}


def _clean(value: object) -> float | None:
    """Return a float, or None for a missing value (so plotly draws a gap, not a zero)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


SEPARATORS = {"fi": ", ", "sv": ", ", "en": ".,"}  # plotly: decimal mark, then thousands mark


def _figure(data: list, height: int, lang: str = "fi", **layout: object) -> go.Figure:
    """Return a figure with the common layout; layout wins.

    Common: font, margins, white background and the language's decimal and thousands marks.
    """
    base = dict(height=height, font=FONT, paper_bgcolor="white", plot_bgcolor="white",
                margin=dict(l=10, r=10, t=10, b=10), separators=SEPARATORS.get(lang, ".,"))
    base.update(layout)
    return go.Figure(data=data, layout=base)


def wrap_label(text: str, width: int = 16) -> str:
    """Break a long axis label onto lines of about width characters (plotly's <br>)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def radar(labels: Sequence[str], values: Sequence[object], names: Mapping[str, str],
          country: Sequence[object] | None = None, previous: Sequence[object] | None = None,
          height: int = 380, lang: str = "fi") -> go.Figure:
    """Radar of dimension scores (0–100): the region, the country as a ring, last year as a ghost.

    names: {'region': .., 'country': .., 'previous': ..}. Missing scores leave a gap in the line.
    """
    wrapped = [wrap_label(label) for label in labels]
    theta = wrapped + wrapped[:1]
    hover = "%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>"

    def closed(vals: Sequence[object]) -> list[float | None]:
        cleaned = [_clean(v) for v in vals]
        return cleaned + cleaned[:1]

    data = []
    if previous is not None:
        data.append(dict(type="scatterpolar", r=closed(previous), theta=theta,
                         name=names.get("previous", ""), mode="lines", connectgaps=False,
                         line=dict(color="#7FA7C9", width=2, dash="dot"), hovertemplate=hover))
    if country is not None:
        data.append(dict(type="scatterpolar", r=closed(country), theta=theta,
                         name=names.get("country", ""), mode="lines", connectgaps=False,
                         line=dict(color=COUNTRY, width=1.5, dash="dash"), hovertemplate=hover))
    data.append(dict(type="scatterpolar", r=closed(values), theta=theta,
                     name=names.get("region", ""), mode="lines+markers", connectgaps=False,
                     line=dict(color=HIGHLIGHT, width=3), marker=dict(size=7), fill="toself",
                     fillcolor="rgba(0,114,178,0.12)", hovertemplate=hover))
    polar = dict(radialaxis=dict(range=[0, 100], tickvals=[25, 50, 75, 100], gridcolor="#D0D0D0",
                                 tickfont=dict(size=10)),
                 angularaxis=dict(gridcolor="#D0D0D0"), bgcolor="white")
    return _figure(data, height, lang, polar=polar, margin=dict(l=70, r=70, t=30, b=30),
                   legend=dict(orientation="h", y=-0.12, x=0.5, xanchor="center"))


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


def _map_layout(paths: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> dict:
    """Return hidden axes that keep the map's shape (1° latitude = 1/cos(lat) × 1° longitude)."""
    lats = np.concatenate([y for _, y in paths.values()]) if paths else np.array([64.0])
    mid = float(np.nanmin(lats) + np.nanmax(lats)) / 2
    return dict(xaxis=dict(visible=False, fixedrange=True),
                yaxis=dict(visible=False, fixedrange=True, scaleanchor="x",
                           scaleratio=1 / math.cos(math.radians(mid))),
                dragmode=False, hovermode="closest")


def _outline(x: np.ndarray, y: np.ndarray, fill: str, line: str, width: float, name: str,
             hover: bool = True) -> dict:
    """Return one filled outline trace (a region, or several NaN-separated)."""
    return dict(type="scatter", x=x, y=y, mode="lines", fill="toself", fillcolor=fill,
                line=dict(color=line, width=width), name=name, showlegend=False,
                hoveron="fills", hoverinfo="name" if hover else "skip")


def choropleth(values: pd.DataFrame, paths: Mapping[str, tuple[np.ndarray, np.ndarray]],
               colorbar_title: str, missing_label: str, height: int = 560,
               highlight: str | None = None, zrange: tuple[float, float] | None = None,
               reverse: bool = False, lang: str = "fi") -> go.Figure:
    """Choropleth of the regions from bundled boundaries (no tile server, no map download).

    values: columns area_code, value, name, text (the formatted value for the hover). Areas with
    no value are drawn grey under their own legend entry. reverse=True darkens low values.
    """
    frame = values.set_index("area_code")
    present = frame[frame["value"].notna()]
    if zrange:
        zmin, zmax = zrange
    elif not present.empty:
        zmin, zmax = float(present["value"].min()), float(present["value"].max())
    else:
        zmin, zmax = 0.0, 1.0
    scale = [[1 - p, c] for p, c in reversed(SEQUENTIAL)] if reverse else SEQUENTIAL
    span = (zmax - zmin) or 1.0
    data = []
    any_missing = False
    for code, (x, y) in paths.items():
        row = frame.loc[code] if code in frame.index else None
        if row is None or pd.isna(row["value"]):
            label = row["name"] if row is not None else code
            data.append(_outline(x, y, MISSING_FILL, MISSING_LINE, 0.8,
                                 f"{label}: {missing_label}"))
            any_missing = True
            continue
        share = min(1.0, max(0.0, (float(row["value"]) - zmin) / span))
        colour = sample_colorscale(scale, [share])[0]
        data.append(_outline(x, y, colour, "white", 0.8, f"{row['name']}: {row['text']}"))
    if highlight in paths:
        x, y = paths[highlight]
        data.append(dict(type="scatter", x=x, y=y, mode="lines", showlegend=False,
                         line=dict(color="#000000", width=1.6), hoverinfo="skip"))
    if any_missing:
        data.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=missing_label,
                         showlegend=True, hoverinfo="skip",
                         marker=dict(color=MISSING_FILL, size=12, symbol="square",
                                     line=dict(color=MISSING_LINE, width=1))))
    data.append(dict(type="scatter", x=[None], y=[None], mode="markers", showlegend=False,
                     hoverinfo="skip",
                     marker=dict(color=[zmin, zmax], cmin=zmin, cmax=zmax, colorscale=scale,
                                 showscale=True, colorbar=dict(
                                     title=dict(text=colorbar_title, side="right"),
                                     thickness=14, len=0.7))))
    return _figure(data, height, lang, margin=dict(l=0, r=0, t=0, b=0),
                   legend=dict(orientation="h", y=0.02, x=0.0), **_map_layout(paths))


def locator(paths: Mapping[str, tuple[np.ndarray, np.ndarray]], area_code: str, name: str,
            height: int = 300, lang: str = "fi") -> go.Figure:
    """Small map locating one region among all regions (the region filled, others light grey)."""
    others = [c for c in paths if c != area_code]
    nan = np.array([math.nan])
    xs = np.concatenate([a for c in others for a in (paths[c][0], nan)]) if others else nan
    ys = np.concatenate([a for c in others for a in (paths[c][1], nan)]) if others else nan
    data = [_outline(xs, ys, "#EDEDED", "#A0A0A0", 0.6, "", hover=False)]
    if area_code in paths:
        data.append(_outline(*paths[area_code], HIGHLIGHT, "#000000", 1.2, name))
    return _figure(data, height, lang, showlegend=False, margin=dict(l=0, r=0, t=0, b=0),
                   **_map_layout(paths))


def heatmap(values: pd.DataFrame, text: pd.DataFrame, colorbar_title: str, missing_label: str,
            height: int | None = None, zrange: tuple[float, float] = (0, 100),
            lang: str = "fi") -> go.Figure:
    """Heatmap of a rows × columns matrix (e.g. regions × dimensions) with values in the cells.

    values: numeric matrix (NaN = missing); text: the same shape, formatted. Missing cells keep
    the grey background, show the missing mark as text and say so in the hover.
    """
    z = [[_clean(v) for v in row] for row in values.to_numpy().tolist()]
    cell_text = text.reindex(index=values.index, columns=values.columns).to_numpy().tolist()
    hover = [[missing_label if zv is None else ct for zv, ct in zip(zr, tr, strict=True)]
             for zr, tr in zip(z, cell_text, strict=True)]
    rows = [str(r) for r in values.index]
    data = [dict(type="heatmap", z=z, x=[str(c) for c in values.columns], y=rows,
                 text=cell_text, texttemplate="%{text}", customdata=hover,
                 colorscale=SEQUENTIAL, zmin=zrange[0], zmax=zrange[1], hoverongaps=True,
                 xgap=2, ygap=2, hovertemplate="%{y} · %{x}: %{customdata}<extra></extra>",
                 colorbar=dict(title=dict(text=colorbar_title, side="right"), thickness=12))]
    return _figure(data, height or max(260, 26 * len(rows) + 80), lang,
                   plot_bgcolor=MISSING_FILL,
                   margin=dict(l=10, r=10, t=50, b=10),
                   yaxis=dict(autorange="reversed", tickfont=dict(size=12)),
                   xaxis=dict(side="top", tickangle=0, tickfont=dict(size=12)))


def time_series(frame: pd.DataFrame, y_title: str, height: int = 380,
                reference: str | None = None, lang: str = "fi") -> go.Figure:
    """Line chart of series (columns: name, period, value); a missing value is a gap.

    reference: the name of a series drawn as a dashed black reference line (e.g. the country).
    """
    data = []
    colours = iter(OKABE_ITO)
    for name in dict.fromkeys(frame["name"]):
        part = frame[frame["name"] == name].sort_values("period")
        is_ref = name == reference
        colour = COUNTRY if is_ref else next(colours, NEUTRAL)
        data.append(dict(type="scatter", x=[int(p) for p in part["period"]],
                         y=[_clean(v) for v in part["value"]], name=name, mode="lines+markers",
                         connectgaps=False,
                         line=dict(color=colour, width=2 if is_ref else 2.5,
                                   dash="dash" if is_ref else "solid"),
                         marker=dict(size=6, symbol="diamond" if is_ref else "circle"),
                         hovertemplate="%{y}<extra>%{fullData.name}</extra>"))
    n_years = frame["period"].nunique()
    return _figure(data, height, lang, legend=dict(orientation="h", y=-0.15),
                   hovermode="x unified",
                   xaxis=dict(tickformat="d", dtick=1 if n_years <= 12 else 2, gridcolor="#EEEEEE"),
                   yaxis=dict(title=dict(text=y_title), gridcolor=GRID, zeroline=False),
                   margin=dict(l=10, r=10, t=10, b=10))


def _vline(x: float, colour: str, label: str, dash: str = "solid", position: str = "top") -> tuple:
    """Return (shape, annotation) of a labelled vertical line over the whole plot height."""
    shape = dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper",
                 line=dict(color=colour, width=2 if dash == "solid" else 1.5, dash=dash))
    note = dict(x=x, y=1 if position == "top" else 0, yref="paper", text=label, showarrow=False,
                yanchor="bottom" if position == "top" else "top", xanchor="left",
                font=dict(size=11, color=colour))
    return shape, note


def distribution(frame: pd.DataFrame, x_title: str, highlight: Sequence[str] = (),
                 reference: float | None = None, reference_label: str = "",
                 height: int | None = None, lang: str = "fi") -> go.Figure:
    """Values of one indicator across areas in a year (columns: name, value).

    Up to 30 areas: sorted horizontal bars, the highlighted areas in blue. More: a histogram with
    the highlighted areas marked as lines. Areas without a value are left out (listed by the page).
    """
    values = frame[frame["value"].notna()].sort_values("value")
    shapes, notes = [], []
    if len(values) <= 30:
        colours = [HIGHLIGHT if n in highlight else "#A9C6DD" for n in values["name"]]
        data = [dict(type="bar", x=[float(v) for v in values["value"]], y=list(values["name"]),
                     orientation="h", marker=dict(color=colours),
                     hovertemplate="%{y}: %{x}<extra></extra>")]
        size = height or max(300, 22 * len(values) + 80)
    else:
        data = [dict(type="histogram", x=[float(v) for v in values["value"]], nbinsx=30,
                     marker=dict(color="#A9C6DD", line=dict(color="white", width=1)),
                     hovertemplate="%{x}: %{y}<extra></extra>")]
        present = set(values["name"])
        for i, name in enumerate(n for n in highlight if n in present):
            value = float(values.loc[values["name"] == name, "value"].iloc[0])
            shape, note = _vline(value, OKABE_ITO[i % len(OKABE_ITO)], name)
            shapes.append(shape)
            notes.append(note)
        size = height or 360
    if reference is not None and not math.isnan(reference):
        shape, note = _vline(reference, COUNTRY, reference_label, dash="dash", position="bottom")
        shapes.append(shape)
        notes.append(note)
    return _figure(data, size, lang, showlegend=False, bargap=0.25, shapes=shapes,
                   annotations=notes,
                   xaxis=dict(title=dict(text=x_title), gridcolor=GRID),
                   yaxis=dict(tickfont=dict(size=11)), margin=dict(l=10, r=10, t=20, b=30))


def rank_intervals(frame: pd.DataFrame, x_title: str, highlight: str | None = None,
                   height: int | None = None, lang: str = "fi") -> go.Figure:
    """Dot-and-whisker chart of ranks with their 5–95 % rank intervals, rank 1 at the top.

    frame columns: name, rank, rank_low, rank_high.
    """
    ranked = frame[frame["rank"].notna()].sort_values("rank")
    rank = [float(r) for r in ranked["rank"]]
    low = [r - float(lo) if pd.notna(lo) else 0.0 for r, lo in zip(rank, ranked["rank_low"],
                                                                    strict=True)]
    high = [float(hi) - r if pd.notna(hi) else 0.0 for r, hi in zip(rank, ranked["rank_high"],
                                                                     strict=True)]
    colours = [HIGHLIGHT if n == highlight else NEUTRAL for n in ranked["name"]]
    top = max([19.0, *[float(h) for h in ranked["rank_high"].dropna()]])
    data = [dict(type="scatter", x=rank, y=list(ranked["name"]), mode="markers",
                 marker=dict(size=9, color=colours),
                 error_x=dict(type="data", symmetric=False, array=high, arrayminus=low,
                              color="#8C8C8C", thickness=2, width=4),
                 hovertemplate="%{y}: %{x}<extra></extra>")]
    return _figure(data, height or max(300, 22 * len(ranked) + 80), lang, showlegend=False,
                   yaxis=dict(autorange="reversed", tickfont=dict(size=11)),
                   xaxis=dict(title=dict(text=x_title), range=[0.5, top + 0.5], dtick=2,
                              gridcolor=GRID))


def indicator_bars(frame: pd.DataFrame, x_title: str, missing_label: str,
                   height: int | None = None, lang: str = "fi") -> go.Figure:
    """Horizontal bars of indicator scores grouped by dimension.

    frame columns: group, name, score, colour. An indicator without a score gets no bar and the
    missing label as its text (never a zero-length bar passed off as a score).
    """
    labels = [f"{g} · {n}" for g, n in zip(frame["group"], frame["name"], strict=True)]
    scores = [_clean(s) for s in frame["score"]]
    missing = [label for label, s in zip(labels, scores, strict=True) if s is None]
    data = [dict(type="bar", x=scores, y=labels, orientation="h",
                 marker=dict(color=list(frame["colour"])),
                 text=[f"{s:.0f}" if s is not None else "" for s in scores],
                 textposition="outside", cliponaxis=False,
                 hovertemplate="%{y}: %{x:.1f}<extra></extra>")]
    if missing:  # a visible mark where there is no score: text, never a bar of zero
        data.append(dict(type="scatter", x=[1] * len(missing), y=missing, mode="text",
                         text=[missing_label] * len(missing), textposition="middle right",
                         textfont=dict(color=NEUTRAL, size=11), hoverinfo="skip",
                         showlegend=False))
    return _figure(data, height or max(300, 22 * len(frame) + 80), lang, showlegend=False,
                   yaxis=dict(autorange="reversed", tickfont=dict(size=11),
                              categoryorder="array", categoryarray=labels),
                   xaxis=dict(title=dict(text=x_title), range=[0, 110], gridcolor=GRID,
                              dtick=25))


def score_shift(frame: pd.DataFrame, names: Mapping[str, str], x_title: str,
                highlight: str | None = None, height: int | None = None,
                lang: str = "fi") -> go.Figure:
    """Dumbbell chart of each region's index: default method (ring) and custom (dot), joined.

    frame columns: name, default_score, custom_score. names: {'default': .., 'custom': ..}
    legend texts. Rows without a custom score are left out; the frame's order is kept.
    """
    rows = frame[frame["custom_score"].notna()]
    labels = list(rows["name"])
    default = [_clean(v) for v in rows["default_score"]]
    custom = [float(v) for v in rows["custom_score"]]
    xs: list[float | None] = []
    ys: list[str | None] = []
    for label, d, c in zip(labels, default, custom, strict=True):
        if d is not None:
            xs += [d, c, None]
            ys += [label, label, None]
    colours = [HIGHLIGHT if n == highlight else "#56B4E9" for n in labels]
    data = [
        dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color="#B0B0B0", width=2),
             hoverinfo="skip", showlegend=False),
        dict(type="scatter", x=default, y=labels, mode="markers", name=names.get("default", ""),
             marker=dict(size=9, color="white", line=dict(color=NEUTRAL, width=2)),
             hovertemplate="%{y}: %{x:.1f}<extra>%{fullData.name}</extra>"),
        dict(type="scatter", x=custom, y=labels, mode="markers", name=names.get("custom", ""),
             marker=dict(size=10, color=colours),
             hovertemplate="%{y}: %{x:.1f}<extra>%{fullData.name}</extra>"),
    ]
    return _figure(data, height or max(300, 24 * len(labels) + 90), lang,
                   legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
                   yaxis=dict(autorange="reversed", tickfont=dict(size=11)),
                   xaxis=dict(title=dict(text=x_title), gridcolor=GRID),
                   margin=dict(l=10, r=10, t=30, b=10))

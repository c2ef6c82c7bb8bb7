"""Plotly figure builders for the pages: pure functions of view-model frames.

Colours come from presentation/palette.py; a missing value is drawn as missing (a gap, or a
grey area with its own legend entry), never as zero; an area keeps one colour in every chart of
a page; a recorded series break splits a line (no line bridges it). Labels are single lines or
wrapped short, and axes grow their margins to fit them (automargin), so nothing is cut at a
phone's width. Each figure is built with one go.Figure(data, layout) call.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from presentation.palette import (
    COUNTRY_LINE,
    GRID,
    HIGHLIGHT,
    INK,
    LIGHT_BAR,
    MISSING_FILL,
    MISSING_LINE,
    NEUTRAL,
    OKABE_ITO,
    SEQUENTIAL,
)

SCALE = [list(step) for step in SEQUENTIAL]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13, color=INK)
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


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
    return go.Figure(data=plain(data), layout=plain(base))


# plotly draws a few HTML tags in its texts (links, styles, images): of the tags only the
# line breaks and hover boxes this module writes itself stay tags; any other '<' from the data
# is shown as the character (plotly turns the entity back into '<' on screen)
_OWN_TAG = re.compile(r"<(?:br|/?extra)>")


def plain(value: object) -> object:
    """Return strings (in lists and dicts too) with every '<' but this module's tags escaped."""
    if isinstance(value, str):
        parts = _OWN_TAG.split(value)
        tags = _OWN_TAG.findall(value)
        escaped = [html.escape(p, quote=False) for p in parts]
        return "".join(e + (tags[i] if i < len(tags) else "") for i, e in enumerate(escaped))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


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
    scale = [[1 - p, c] for p, c in reversed(SCALE)] if reverse else SCALE
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


def heatmap(values: pd.DataFrame, text: pd.DataFrame, colorbar_title: str, missing_label: str,
            height: int | None = None, zrange: tuple[float, float] = (0, 100),
            wrap_rows: int | None = None, lang: str = "fi") -> go.Figure:
    """Heatmap of a rows × columns matrix (e.g. regions × dimensions) with values in the cells.

    values: numeric matrix (NaN = missing); text: the same shape, formatted. Missing cells keep
    the grey background, show the missing mark as text and say so in the hover.
    """
    z = [[_clean(v) for v in row] for row in values.to_numpy().tolist()]
    cell_text = text.reindex(index=values.index, columns=values.columns).to_numpy().tolist()
    hover = [[missing_label if zv is None else ct for zv, ct in zip(zr, tr, strict=True)]
             for zr, tr in zip(z, cell_text, strict=True)]
    rows = [wrap_label(r, wrap_rows) if wrap_rows else str(r) for r in values.index]
    columns = [str(c) for c in values.columns]
    data = [dict(type="heatmap", z=z, x=columns, y=rows,
                 text=cell_text, texttemplate="%{text}", customdata=hover,
                 colorscale=SCALE, zmin=zrange[0], zmax=zrange[1], hoverongaps=True,
                 xgap=2, ygap=2, hovertemplate="%{y} · %{x}: %{customdata}<extra></extra>",
                 colorbar=dict(title=dict(text=colorbar_title, side="right"), thickness=12))]
    lines = sum(r.count("<br>") + 1 for r in rows)
    return _figure(data, height or max(200, 16 * lines + 12 * len(rows) + 120), lang,
                   plot_bgcolor=MISSING_FILL,
                   margin=dict(l=10, r=10, t=10, b=10),
                   yaxis=dict(autorange="reversed", tickfont=dict(size=12), automargin=True),
                   xaxis=dict(side="top", tickfont=dict(size=12), automargin=True,
                              **_column_ticks(columns)))


def _column_ticks(columns: Sequence[object]) -> dict:
    """Return the column ticks: all of a short matrix, long names upright, round years only.

    Up 25 years every fifth year (2010, 2015, …), more every tenth (1990, 2000, …), so
    that even 40 years beside wrapped row names fit a phone: the cells keep their values and
    hover texts.
    """
    labels = [str(c) for c in columns]
    years = all(label.isdigit() for label in labels)
    if len(labels) > 15 and years:
        step = 5 if len(labels) <= 25 else 10
        shown = [label for label in labels if int(label) % step == 0] or labels[::step]
        return {"tickmode": "array", "tickvals": shown, "ticktext": shown, "tickangle": -90}
    if not years and max((len(label) for label in labels), default=0) > 12:
        return {"tickangle": -90}  # long names upright: a column is wider than a line of text
    return {"autotickangles": [0, 30, 90]}


def _split(periods: Sequence[int], values: Sequence[object],
           breaks: Sequence[tuple[int, str]]) -> tuple[list, list, list, list]:
    """Return a line's x and y with None where a break forbids joining, and the lone points.

    A one-off year stands alone (taken out of the line); a series break starts a new line.
    """
    one_off = {p for p, kind in breaks if kind == "one_off"}
    series = {p for p, kind in breaks if kind == "series_break"}
    xs: list = []
    ys: list = []
    lone_x: list = []
    lone_y: list = []
    for period, value in zip(periods, values, strict=True):
        if period in series and xs:
            xs.append(None)
            ys.append(None)
        if period in one_off:
            if _clean(value) is not None:
                lone_x.append(period)
                lone_y.append(_clean(value))
            value = None
        xs.append(int(period))
        ys.append(_clean(value))
    return xs, ys, lone_x, lone_y


def time_series(frame: pd.DataFrame, y_title: str, colours: Mapping[str, str],
                reference: str | None = None, breaks: Sequence[tuple[int, str, str]] = (),
                break_label: str = "", height: int = 400, lang: str = "fi") -> go.Figure:
    """Line chart of series (columns: area_code, name, period, value); missing = a gap.

    colours: area code -> colour (the page's); reference: the code drawn dashed (the country);
    breaks: (year, kind, reason): a series break is a labelled vertical line and splits every
    line, a one-off year's points stand alone as rings.
    """
    data = []
    kinds = [(int(p), k) for p, k, _ in breaks]
    for code in dict.fromkeys(frame["area_code"]):
        part = frame[frame["area_code"] == code].sort_values("period")
        is_ref = code == reference
        colour = colours.get(code, NEUTRAL)
        name = str(part["name"].iloc[0])
        xs, ys, lone_x, lone_y = _split([int(p) for p in part["period"]], list(part["value"]),
                                        kinds)
        data.append(dict(type="scatter", x=xs, y=ys, name=name, mode="lines+markers",
                         connectgaps=False, legendgroup=code,
                         line=dict(color=colour, width=2 if is_ref else 2.5,
                                   dash="dash" if is_ref else "solid"),
                         marker=dict(size=6, symbol="diamond" if is_ref else "circle"),
                         hovertemplate="%{y}<extra>%{fullData.name}</extra>"))
        if lone_x:
            data.append(dict(type="scatter", x=lone_x, y=lone_y, name=name, mode="markers",
                             legendgroup=code, showlegend=False,
                             marker=dict(size=9, color="white", symbol="circle",
                                         line=dict(color=colour, width=2)),
                             hovertemplate="%{y}<extra>%{fullData.name}</extra>"))
    shapes, notes = [], []
    for year, kind, _ in breaks:
        if kind == "series_break":
            shape, note = _vline(year - 0.5, MISSING_LINE, break_label, dash="dot")
            shapes.append(shape)
            notes.append(note)
    n_years = frame["period"].nunique()
    return _figure(data, height, lang, legend=dict(orientation="h", y=-0.18),
                   hovermode="x unified", shapes=shapes, annotations=notes,
                   # a tick per year on short series; longer ones get plotly's own spacing,
                   # which follows the drawn width (a phone shows fewer years than a desktop)
                   xaxis=dict(tickformat="d", **({"dtick": 1} if n_years <= 8 else {}),
                              gridcolor="#EEEEEE", automargin=True),
                   yaxis=dict(title=dict(text=y_title), gridcolor=GRID, zeroline=False,
                              automargin=True),
                   margin=dict(l=10, r=10, t=24, b=10))


def _vline(x: float, colour: str, label: str, dash: str = "solid", position: str = "top") -> tuple:
    """Return (shape, annotation) of a labelled vertical line over the whole plot height."""
    shape = dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper",
                 line=dict(color=colour, width=2 if dash == "solid" else 1.5, dash=dash))
    note = dict(x=x, y=1 if position == "top" else 0, yref="paper", text=label, showarrow=False,
                yanchor="bottom" if position == "top" else "top", xanchor="left",
                font=dict(size=11, color=colour))
    return shape, note


def distribution(frame: pd.DataFrame, x_title: str, count_title: str,
                 highlight: Mapping[str, str] | None = None, reference: float | None = None,
                 reference_label: str = "", height: int | None = None,
                 lang: str = "fi") -> go.Figure:
    """Values of one indicator across areas in a year (columns: name, value).

    highlight: name -> colour of the chosen areas (the colours of the page's other charts).
    Up to 30 areas: sorted horizontal bars, the chosen ones in their colour. More: a histogram
    (y axis: count_title) with the chosen areas as lines. Areas without a value are left out.
    """
    highlight = dict(highlight or {})
    values = frame[frame["value"].notna()].sort_values("value")
    shapes, notes = [], []
    if len(values) <= 30:
        colours = [highlight.get(n, LIGHT_BAR) for n in values["name"]]
        data = [dict(type="bar", x=[float(v) for v in values["value"]], y=list(values["name"]),
                     orientation="h", marker=dict(color=colours),
                     hovertemplate="%{y}: %{x}<extra></extra>")]
        size = height or max(300, 22 * len(values) + 80)
        yaxis = dict(tickfont=dict(size=11), automargin=True)
    else:
        data = [dict(type="histogram", x=[float(v) for v in values["value"]], nbinsx=30,
                     marker=dict(color=LIGHT_BAR, line=dict(color="white", width=1)),
                     hovertemplate="%{x}: %{y}<extra></extra>")]
        present = set(values["name"])
        for name, colour in highlight.items():
            if name not in present:
                continue
            value = float(values.loc[values["name"] == name, "value"].iloc[0])
            shape, note = _vline(value, colour, name)
            shapes.append(shape)
            notes.append(note)
        size = height or 380
        yaxis = dict(title=dict(text=count_title), gridcolor=GRID, automargin=True)
    if reference is not None and not math.isnan(reference):
        shape, note = _vline(reference, COUNTRY_LINE, reference_label, dash="dash",
                             position="bottom")
        shapes.append(shape)
        notes.append(note)
    return _figure(data, size, lang, showlegend=False, bargap=0.25, shapes=shapes,
                   annotations=notes,
                   xaxis=dict(title=dict(text=x_title), gridcolor=GRID, automargin=True),
                   yaxis=yaxis, margin=dict(l=10, r=10, t=24, b=30))


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
    top = max([float(len(ranked)), *[float(h) for h in ranked["rank_high"].dropna()]])
    data = [dict(type="scatter", x=rank, y=list(ranked["name"]), mode="markers",
                 marker=dict(size=9, color=colours),
                 error_x=dict(type="data", symmetric=False, array=high, arrayminus=low,
                              color="#8C8C8C", thickness=2, width=4),
                 hovertemplate="%{y}: %{x}<extra></extra>")]
    return _figure(data, height or max(300, 22 * len(ranked) + 80), lang, showlegend=False,
                   yaxis=dict(autorange="reversed", tickfont=dict(size=11), automargin=True),
                   xaxis=dict(title=dict(text=x_title), range=[0.5, top + 0.5], dtick=2,
                              gridcolor=GRID, automargin=True))


def wrap_label(text: str, width: int = 24) -> str:
    """Break a long axis label onto lines of about width characters (plotly's <br>)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def indicator_bars(frame: pd.DataFrame, x_title: str, missing_label: str,
                   height: int | None = None, lang: str = "fi") -> go.Figure:
    """Horizontal bars of indicator scores, one colour and legend entry per dimension.

    frame columns: group, name, score, colour. Labels are the indicator names, wrapped. An
    indicator without a score gets no bar and the missing label as its text (never a zero).
    """
    labels = [wrap_label(n, 30) for n in frame["name"]]
    scores = [_clean(s) for s in frame["score"]]
    data = []
    for group in dict.fromkeys(frame["group"]):
        rows = [i for i, g in enumerate(frame["group"]) if g == group]
        data.append(dict(type="bar", x=[scores[i] for i in rows], y=[labels[i] for i in rows],
                         orientation="h", name=str(group),
                         marker=dict(color=str(frame["colour"].iloc[rows[0]])),
                         text=[f"{scores[i]:.0f}" if scores[i] is not None else ""
                               for i in rows], textposition="outside", cliponaxis=False,
                         hovertemplate="%{y}: %{x:.1f}<extra>%{fullData.name}</extra>"))
    missing = [label for label, s in zip(labels, scores, strict=True) if s is None]
    if missing:  # a visible mark where there is no score: text, never a bar of zero
        data.append(dict(type="scatter", x=[1] * len(missing), y=missing, mode="text",
                         text=[missing_label] * len(missing), textposition="middle right",
                         textfont=dict(color=NEUTRAL, size=11), hoverinfo="skip",
                         showlegend=False))
    lines = max([label.count("<br>") + 1 for label in labels] or [1])
    return _figure(data, height or max(300, (13 * lines + 11) * len(labels) + 120), lang,
                   legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0),
                   yaxis=dict(autorange="reversed", tickfont=dict(size=11),
                              categoryorder="array", categoryarray=labels, automargin=True),
                   xaxis=dict(title=dict(text=x_title), range=[0, 112], gridcolor=GRID,
                              dtick=25, automargin=True),
                   margin=dict(l=10, r=16, t=10, b=10))


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
    colours = [HIGHLIGHT if n == highlight else OKABE_ITO[4] for n in labels]
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
                   yaxis=dict(autorange="reversed", tickfont=dict(size=11), automargin=True),
                   xaxis=dict(title=dict(text=x_title), gridcolor=GRID, automargin=True),
                   margin=dict(l=10, r=10, t=30, b=10))

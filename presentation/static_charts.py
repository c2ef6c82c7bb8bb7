"""Static PNG charts of the region picture (matplotlib Agg, no pyplot, no plotly, no network).

The radar, the key-indicator trends and the locator map, drawn once and shown by the region
page and printed by the brief alike. Colours: presentation/palette.py (Okabe–Ito blue for the
region, black dashed for the country); a missing value leaves a gap, never a zero; a recorded
series break splits the line and a one-off year stands alone, so no line bridges a break.
Fonts: matplotlib's bundled DejaVu Sans.
"""

from __future__ import annotations

import contextlib
import io
import math
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator
from PIL import Image

from presentation import format as fmt
from presentation.palette import COUNTRY_LINE as COUNTRY
from presentation.palette import HIGHLIGHT, MISSING_LINE
from presentation.region import KeyRow, RadarData, RegionPicture

# rcParams are global: one chart at a time (the app may render briefs on several threads).
_RENDER_LOCK = threading.Lock()
# Labels come from the data: a '$' is a dollar sign, never matplotlib's math markup.
PLAIN_TEXT = {"text.parse_math": False}


@contextlib.contextmanager
def _rendering():
    """Hold the render lock with text drawn as written (no math markup)."""
    with _RENDER_LOCK, matplotlib.rc_context(PLAIN_TEXT):
        yield
DPI = 180
FONT = "DejaVu Sans"
GRID = "#D0D0D0"
TREND_COLUMNS = 6
RADAR_SIZE = (3.1, 2.75)  # inches: printed at about this size, so the type sizes are true


def _wrap(text: str, width: int) -> str:
    """Return text wrapped at word boundaries (a long word stays whole)."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _png(fig: Figure) -> bytes:
    """Return the figure as an RGB PNG: no alpha (the PDF needs no soft mask), no timestamp."""
    canvas = FigureCanvasAgg(fig)
    fig.set_facecolor("white")
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(),
                             "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def _nan(values: Sequence[object]) -> list[float]:
    """Return floats with NaN for missing values (matplotlib leaves a gap at NaN)."""
    return [math.nan if fmt.is_missing(v) else float(v) for v in values]


def radar_png(radar: RadarData, size: tuple[float, float] = RADAR_SIZE) -> bytes:
    """Return the radar of the dimension scores (0–100) with the country as a dashed ring."""
    with _rendering():
        return _png(radar_figure(radar, size))


def _labels_fit(fig: Figure, ax) -> bool:
    """Return True when every dimension label lies inside the figure (drawn with a renderer)."""
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for label in ax.get_xticklabels():
        extent = label.get_window_extent(renderer)
        if extent.x0 < box.x0 or extent.x1 > box.x1 or extent.y0 < box.y0 or extent.y1 > box.y1:
            return False
    return True


def radar_figure(radar: RadarData, size: tuple[float, float] = RADAR_SIZE) -> Figure:
    """Return the drawn radar figure, its axes shrunk until every label fits inside it."""
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    wrapped = [_wrap(label, 13) for label in radar.labels]
    longest = max((len(line) for text in wrapped for line in text.split("\n")), default=0)
    side = min(0.3, (longest * 0.6 * 6.4 / 72 + 0.08) / size[0])  # room for the side labels
    ax = fig.add_axes((side, 0.15, 1 - 2 * side, 0.70), projection="polar")
    _draw_radar(fig, ax, radar, wrapped)
    for _ in range(6):
        fig.canvas.draw()
        if _labels_fit(fig, ax):
            break
        x0, y0, w, h = ax.get_position().bounds
        ax.set_position((x0 + w * 0.05, y0 + h * 0.05, w * 0.9, h * 0.9))
    return fig


def _draw_radar(fig: Figure, ax, radar: RadarData, wrapped: list[str]) -> None:
    """Draw the rings, the labels, the country and the region into the polar axes."""
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    n = len(radar.labels)
    angles = [2 * math.pi * i / n for i in range(n)]
    closed = [*angles, angles[0]] if n else []
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100])
    ax.set_yticklabels(["25", "50", "75", "100"], family=FONT)
    ax.tick_params(axis="y", labelsize=5, labelcolor="#6B6B6B")
    ax.set_rlabel_position(180 / n if n else 0)
    ax.set_xticks(angles)
    ax.set_xticklabels(wrapped, family=FONT)
    ax.tick_params(axis="x", labelsize=6.4, pad=5)
    for angle, label in zip(angles, ax.get_xticklabels(), strict=True):
        side = math.sin(angle)  # clockwise from the top: > 0 right half, < 0 left half
        label.set_horizontalalignment("left" if side > 0.1 else "right" if side < -0.1
                                      else "center")
    ax.grid(color=GRID, linewidth=0.6)
    ax.spines["polar"].set_color(GRID)
    if n:
        country = _nan(radar.country)
        own = _nan(radar.values)
        ax.plot(closed, [*country, country[0]], color=COUNTRY, linewidth=1.1, linestyle="--",
                label=radar.country_label)
        ax.plot(closed, [*own, own[0]], color=HIGHLIGHT, linewidth=2, marker="o", markersize=3,
                label=radar.region_label)
        if all(not math.isnan(v) for v in own):
            ax.fill(closed, [*own, own[0]], color=HIGHLIGHT, alpha=0.12)
    if not radar.has_data:
        ax.text(0, 0, radar.no_data_label, ha="center", va="center", fontsize=9,
                family=FONT, color="#1A1A1A",
                bbox=dict(facecolor="white", edgecolor=MISSING_LINE, boxstyle="round"))
    fig.legend(loc="lower center", ncols=2, frameon=False, prop={"family": FONT, "size": 6},
               borderaxespad=0.2)


def _year_ticks(periods: Sequence[int]) -> list[int]:
    """Return the first, a middle and the last year of a trend's x-axis."""
    if not periods:
        return []
    first, last = int(periods[0]), int(periods[-1])
    mid = first + (last - first) // 2
    return sorted({first, mid, last})


TREND_INK = "#333333"
TREND_AXIS = "#999999"
TREND_GRID = "#E6E6E6"
TREND_BREAK = "#B34700"
TREND_TICK_PT = 4.8
TREND_TITLE_PT = 5.6


@dataclass(frozen=True)
class _Panel:
    """One small multiple's plot box in inches (x0, y0 bottom-left; x1, y1 top-right)."""

    x0: float
    y0: float
    x1: float
    y1: float


def _y_range(values: Sequence[float]) -> tuple[float, float, list[float]]:
    """Return the y-axis range (padded) and at most three 'nice' ticks inside it."""
    finite = [v for v in values if not math.isnan(v)]
    lo, hi = min(finite), max(finite)
    if hi == lo:
        half = abs(lo) * 0.05 or 1.0
        lo, hi = lo - half, hi + half
    pad = (hi - lo) * 0.08
    lo, hi = lo - pad, hi + pad
    ticks = [float(t) for t in MaxNLocator(nbins=3, min_n_ticks=2).tick_values(lo, hi)
             if lo <= t <= hi]
    return lo, hi, ticks


def split_at_breaks(years: Sequence[float], values: Sequence[float],
                    breaks: Sequence[tuple[int, str]]) -> tuple[list[float], list[float], list]:
    """Return a line's x and y with NaN where a break forbids joining, and the lone points.

    A one-off year's value is taken out of the line and returned as a lone point (x, y); a
    series break at year b ends the line before b and starts a new one at b.
    """
    one_off = {int(y) for y, kind in breaks if kind == "one_off"}
    series = {int(y) for y, kind in breaks if kind == "series_break"}
    xs: list[float] = []
    ys: list[float] = []
    alone = []
    for year, value in zip(years, values, strict=True):
        if int(year) in series and xs:
            xs.append(math.nan)
            ys.append(math.nan)
        if int(year) in one_off:
            if not math.isnan(value):
                alone.append((year, value))
            value = math.nan
        xs.append(year)
        ys.append(value)
    return xs, ys, alone


def _panel(ax, box: _Panel, row: KeyRow, lang: str, segments: list, title_x: float,
           title_chars: int = 20) -> None:
    """Draw one small multiple into the shared canvas axes (coordinates in inches)."""
    years = list(row.periods)
    xmin, xmax = years[0] - 0.6, years[-1] + 0.6
    lo, hi, yticks = _y_range([*_nan(row.values), *_nan(row.country_values)])

    def px(year: float) -> float:
        return box.x0 + (year - xmin) / (xmax - xmin) * (box.x1 - box.x0)

    def py(value: float) -> float:
        return box.y0 + (value - lo) / (hi - lo) * (box.y1 - box.y0)

    for t in yticks:
        segments.append(("grid", [(box.x0, py(t)), (box.x1, py(t))]))
        segments.append(("axis", [(box.x0 - 0.02, py(t)), (box.x0, py(t))]))
    segments.append(("axis", [(box.x0, box.y1), (box.x0, box.y0), (box.x1, box.y0)]))
    labels = _TickFormatter(lang).format_ticks(yticks)
    for t, label in zip(yticks, labels, strict=True):
        ax.text(box.x0 - 0.035, py(t), label, ha="right", va="center", fontsize=TREND_TICK_PT,
                color=TREND_INK)
    for year in _year_ticks(years):
        segments.append(("axis", [(px(year), box.y0), (px(year), box.y0 - 0.02)]))
        ax.text(px(year), box.y0 - 0.035, str(year), ha="center", va="top",
                fontsize=TREND_TICK_PT, color=TREND_INK)
    country = [math.nan if math.isnan(v) else py(v) for v in _nan(row.country_values)]
    own = [math.nan if math.isnan(v) else py(v) for v in _nan(row.values)]
    for series, colour, width, style, size in ((country, COUNTRY, 0.9, "--", 0.9),
                                               (own, HIGHLIGHT, 1.5, "-", 1.6)):
        xs, ys, alone = split_at_breaks([float(y) for y in years], series, row.breaks)
        ax.plot([px(x) if not math.isnan(x) else math.nan for x in xs], ys, color=colour,
                linewidth=width, linestyle=style, marker="o", markersize=size)
        for x, y in alone:
            ax.plot([px(x)], [y], color=colour, marker="o", markersize=size + 1.2,
                    markerfacecolor="white", linestyle="none")
    for year, kind in row.breaks:
        if kind == "series_break" and years[0] < year <= years[-1]:
            segments.append(("break", [(px(year - 0.5), box.y0), (px(year - 0.5), box.y1)]))
    lines = textwrap.wrap(row.label, title_chars, break_long_words=False) or [row.label]
    title = "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")
    longest = max(len(line) for line in lines[:3])
    ax.text(title_x, box.y1 + 0.05, title, ha="left", va="bottom", color="#1A1A1A",
            fontsize=TREND_TITLE_PT * max(0.78, min(1.0, (title_chars + 1) / longest)),
            linespacing=1.15)


def trends_png(rows: Sequence[KeyRow], lang: str, columns: int = TREND_COLUMNS,
               width_in: float = 7.3, row_height_in: float = 1.25,
               title_chars: int = 20) -> bytes | None:
    """Return small multiples of the key indicators: the region solid, the country dashed.

    Drawn on one canvas (no Axes per panel), which is several times faster to render.
    None when no indicator has a single value to draw. title_chars: a title's line length.
    """
    drawn = [r for r in rows if any(not math.isnan(v) for v in r.values + r.country_values)]
    if not drawn:
        return None
    n_rows = math.ceil(len(drawn) / columns)
    height = row_height_in * n_rows
    cell = width_in / columns
    with _rendering():
        fig = Figure(figsize=(width_in, height), dpi=DPI)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width_in)
        ax.set_ylim(0, height)
        ax.set_axis_off()
        segments: list[tuple[str, list]] = []
        for k, row in enumerate(drawn):
            left = (k % columns) * cell
            top = height - (k // columns) * row_height_in
            box = _Panel(x0=left + 0.30, y0=top - row_height_in + 0.17, x1=left + cell - 0.07,
                         y1=top - 0.40)
            _panel(ax, box, row, lang, segments, title_x=left + 0.06, title_chars=title_chars)
        for kind, colour, width, z in (("grid", TREND_GRID, 0.5, 0), ("axis", TREND_AXIS, 0.5, 1),
                                       ("break", TREND_BREAK, 0.7, 1)):
            ax.add_collection(LineCollection([seg for k, seg in segments if k == kind],
                                             colors=colour, linewidths=width, zorder=z))
        return _png(fig)


class _TickFormatter(Formatter):
    """Tick labels written as the app writes numbers, with as few decimals as tell them apart."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        """Return labels for all ticks at once with the fewest decimals that keep them distinct."""
        for decimals in range(0, 4):
            labels = [fmt.number(float(v), decimals, self.lang) for v in values]
            if len(set(labels)) == len(labels):
                return labels
        return labels

    def __call__(self, value: float, pos: int | None = None) -> str:
        """Return one label (used for a single tick)."""
        return fmt.number(float(value), 0 if abs(value) >= 10 else 1, self.lang)


# The brief's trends: only the key indicators with a comparable series, in rows of at most
# eight small panels across the printed page (186 mm), at the size the type is drawn for.
MIN_TREND_YEARS = 5  # values in one stretch without a series break (one-off years left out)
PRINT_TREND_WIDTH_IN = 186 / 25.4
PRINT_TREND_ROW_IN = 0.92
PRINT_TREND_COLUMNS = (6, 8)  # fewest and most panels in a row
PRINT_TITLE_CHARS = 17


def comparable_years(row: KeyRow) -> int:
    """Return the most of the region's values in one stretch that no series break splits.

    A one-off year (not comparable with the others) and a year without a value do not count.
    """
    series = {int(y) for y, kind in row.breaks if kind == "series_break"}
    one_off = {int(y) for y, kind in row.breaks if kind == "one_off"}
    best = count = 0
    for year, value in zip(row.periods, _nan(row.values), strict=True):
        if int(year) in series:
            count = 0
        if int(year) in one_off or math.isnan(value):
            continue
        count += 1
        best = max(best, count)
    return best


def print_trend_rows(rows: Sequence[KeyRow]) -> tuple[KeyRow, ...]:
    """Return the key indicators the brief draws: those with a comparable series.

    A comparable series has at least MIN_TREND_YEARS values in one stretch; when no indicator
    has one, every indicator with a value is drawn (so there is a chart whenever there are
    figures, as on the region page).
    """
    drawn = [r for r in rows if any(not math.isnan(v) for v in _nan(r.values + r.country_values))]
    chosen = [r for r in drawn if comparable_years(r) >= MIN_TREND_YEARS]
    return tuple(chosen or drawn)


def print_trends_png(rows: Sequence[KeyRow], lang: str) -> bytes | None:
    """Return the brief's small multiples: the comparable series, eight at most in a row."""
    chosen = print_trend_rows(rows)
    if not chosen:
        return None
    low, high = PRINT_TREND_COLUMNS
    columns = min(high, max(low, math.ceil(len(chosen) / math.ceil(len(chosen) / high))))
    return trends_png(chosen, lang, columns=columns, width_in=PRINT_TREND_WIDTH_IN,
                      row_height_in=PRINT_TREND_ROW_IN, title_chars=PRINT_TITLE_CHARS)


@dataclass(frozen=True)
class BriefCharts:
    """The PNG images of one brief: the radar and the trend small multiples (None = no series).

    trends: the brief's panels (print_trend_rows); the region page draws its own, all of them.
    """

    radar: bytes
    trends: bytes | None


def brief_charts(picture: RegionPicture) -> BriefCharts:
    """Return the picture's charts (made once and shared by the page, the PDF and the HTML)."""
    return BriefCharts(radar=radar_png(picture.radar),
                       trends=print_trends_png(picture.key_rows, picture.lang))


def locator_png(paths: dict, area_code: str, width_in: float = 1.8, dpi: int = 150) -> bytes:
    """Return a small map locating one region among all (the region filled, others grey)."""
    import numpy as np

    xs = np.concatenate([x[~np.isnan(x)] for x, _ in paths.values()]) if paths else np.zeros(1)
    ys = np.concatenate([y[~np.isnan(y)] for _, y in paths.values()]) if paths else np.zeros(1)
    mid = math.radians((float(ys.min()) + float(ys.max())) / 2)
    aspect = (float(ys.max()) - float(ys.min())) / max(
        (float(xs.max()) - float(xs.min())) * math.cos(mid), 1e-9)
    with _rendering():
        fig = Figure(figsize=(width_in, width_in * aspect), dpi=dpi)
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
        ax.set_axis_off()
        for code, (x, y) in paths.items():
            own = code == area_code
            ax.fill(x, y, facecolor=HIGHLIGHT if own else "#EDEDED",
                    edgecolor="#000000" if own else "#A0A0A0", linewidth=0.8 if own else 0.4,
                    zorder=2 if own else 1)
        ax.set_aspect(1 / math.cos(mid))
        ax.set_xlim(float(xs.min()), float(xs.max()))
        ax.set_ylim(float(ys.min()), float(ys.max()))
        return _png(fig)

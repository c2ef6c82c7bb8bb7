"""Static PNG charts of the brief (matplotlib Agg, no pyplot state, no network): radar and trends.

Colours follow the app (ui/charts.py: Okabe–Ito blue for the region, black dashed for the
country); a missing value leaves a gap, never a zero. Fonts: matplotlib's bundled DejaVu Sans.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from report.content import BriefContent, KeyRow, RadarData
from ui import format as fmt
from ui.charts import COUNTRY, HIGHLIGHT, MISSING_LINE

DPI = 200
FONT = "DejaVu Sans"
GRID = "#D0D0D0"
TREND_COLUMNS = 6
RADAR_SIZE = (3.1, 2.75)  # inches: printed at about this size, so the type sizes are true


def _wrap(text: str, width: int) -> str:
    """Return text wrapped at word boundaries (a long word stays whole)."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _png(fig: Figure) -> bytes:
    """Return the figure as PNG bytes (no timestamp metadata, so output is reproducible)."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white",
                metadata={"Software": None})
    return buffer.getvalue()


def _nan(values: Sequence[object]) -> list[float]:
    """Return floats with NaN for missing values (matplotlib leaves a gap at NaN)."""
    return [math.nan if fmt.is_missing(v) else float(v) for v in values]


def radar_png(radar: RadarData, size: tuple[float, float] = RADAR_SIZE) -> bytes:
    """Return the radar of the six dimension scores (0–100) with the country as a dashed ring."""
    fig = Figure(figsize=size)
    wrapped = [_wrap(label, 13) for label in radar.labels]
    longest = max((len(line) for text in wrapped for line in text.split("\n")), default=0)
    side = min(0.3, (longest * 0.6 * 6.4 / 72 + 0.08) / size[0])  # room for the side labels
    ax = fig.add_axes((side, 0.15, 1 - 2 * side, 0.70), projection="polar")
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
    return _png(fig)


def _year_ticks(periods: Sequence[int]) -> list[int]:
    """Return the first, a middle and the last year of a trend's x-axis."""
    if not periods:
        return []
    first, last = int(periods[0]), int(periods[-1])
    mid = first + (last - first) // 2
    return sorted({first, mid, last})


def trends_png(rows: Sequence[KeyRow], lang: str, columns: int = TREND_COLUMNS,
               width_in: float = 7.3, row_height_in: float = 1.25) -> bytes | None:
    """Return small multiples of the key indicators: the region solid, the country dashed.

    None when no indicator has a single value to draw.
    """
    drawn = [r for r in rows if any(not math.isnan(v) for v in r.values + r.country_values)]
    if not drawn:
        return None
    n_rows = math.ceil(len(drawn) / columns)
    fig = Figure(figsize=(width_in, row_height_in * n_rows))
    fig.subplots_adjust(left=0.045, right=0.99, top=1 - 0.36 / n_rows, bottom=0.18 / n_rows,
                        wspace=0.42, hspace=1.25)
    axes = fig.subplots(n_rows, columns, squeeze=False)
    for ax in axes.flat[len(drawn):]:
        ax.set_visible(False)
    for ax, row in zip(axes.flat, drawn, strict=False):
        x = list(row.periods)
        ax.set_xlim(x[0] - 0.6, x[-1] + 0.6)
        ax.plot(x, _nan(row.country_values), color=COUNTRY, linewidth=0.9, linestyle="--",
                marker="o", markersize=0.9)
        ax.plot(x, _nan(row.values), color=HIGHLIGHT, linewidth=1.5, marker="o", markersize=1.6)
        lines = textwrap.wrap(row.label, 20, break_long_words=False)
        title = "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")
        longest = max(len(line) for line in lines[:3])
        ax.set_title(title, fontsize=5.6 * max(0.78, min(1.0, 21 / longest)), family=FONT,
                     loc="left",
                     pad=3)
        ax.set_xticks(_year_ticks(x))
        ax.set_xticklabels([str(y) for y in _year_ticks(x)], fontsize=4.8, family=FONT)
        ax.tick_params(axis="both", length=1.5, pad=1, labelsize=4.8, colors="#333333")
        ax.yaxis.set_major_locator(_locator())
        ax.yaxis.set_major_formatter(_TickFormatter(lang))
        ax.grid(axis="y", color="#EEEEEE", linewidth=0.5)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color("#999999")
            ax.spines[side].set_linewidth(0.5)
    return _png(fig)


def _locator() -> MaxNLocator:
    """Return a y-axis locator with at most three ticks."""
    return MaxNLocator(nbins=3, min_n_ticks=2)


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


@dataclass(frozen=True)
class BriefCharts:
    """The PNG images of one brief: the radar and the trend small multiples (None = no series)."""

    radar: bytes
    trends: bytes | None


def brief_charts(content: BriefContent) -> BriefCharts:
    """Return the brief's charts (made once and shared by the PDF and the HTML)."""
    return BriefCharts(radar=radar_png(content.radar),
                       trends=trends_png(content.key_rows, content.lang))

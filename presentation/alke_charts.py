"""Static PNG charts of the ALKE views (matplotlib Agg): the fast picture's 24 months, industries.

Shown by the region page and printed by the brief alike. A month without a figure leaves a gap
(shaded and labelled), never a zero, and no line bridges it; a lone month is drawn as a dot.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from presentation import format as fmt
from presentation.alke import AlkePicture
from presentation.fast import FastChart, month_name
from presentation.industry_view import IndustryChart
from presentation.palette import COUNTRY_LINE, GRID, HIGHLIGHT, MISSING_FILL, MUTED
from presentation.static_charts import _RENDER_LOCK, DPI, FONT, _png, _TickFormatter

FAST_SIZE = (6.4, 2.3)
INDUSTRY_WIDTH = 6.4
BAR_HEIGHT_IN = 0.27
# The brief's compact variants, drawn at the size they are printed (the type sizes are true):
# the 24 months beside the fast picture's table, the industries beside the growth lists.
FAST_PRINT_SIZE = (2.83, 1.2)
INDUSTRY_PRINT_WIDTH = 74 / 25.4
INDUSTRY_PRINT_BAR_IN = 0.185


def runs(values: tuple[float | None, ...]) -> list[tuple[int, int]]:
    """Return (first, last) index of each run of months without a figure."""
    out, start = [], None
    for i, value in enumerate((*values, 0.0)):
        if value is None and start is None:
            start = i
        elif value is not None and start is not None:
            out.append((start, i - 1))
            start = None
    return [r for r in out if r[0] < len(values)]


def fast_png(chart: FastChart, size: tuple[float, float] = FAST_SIZE,
             compact: bool = False) -> bytes:
    """Return the region's and the country's rate by month; gaps stay empty and are labelled.

    compact: the brief's small chart, without the title (the brief prints it above the chart).
    """
    x = list(range(len(chart.months)))
    with _RENDER_LOCK:
        fig = Figure(figsize=size, dpi=DPI)
        ax = fig.add_axes((0.13, 0.27, 0.81, 0.7) if compact else (0.08, 0.2, 0.86, 0.68))
        for values, colour, style, label in ((chart.region, HIGHLIGHT, "-", "region"),
                                             (chart.country, COUNTRY_LINE, "--", "country")):
            y = [math.nan if v is None else v for v in values]
            ax.plot(x, y, linestyle=style, color=colour, linewidth=1.3 if compact else 1.6,
                    marker="o", markersize=2.4 if compact else 3.2, label=label)
        both = tuple(None if a is None and b is None else 0.0
                     for a, b in zip(chart.region, chart.country, strict=True))
        for first, last in runs(both):
            ax.axvspan(first - 0.5, last + 0.5, color=MISSING_FILL, alpha=0.5, linewidth=0)
            ax.text((first + last) / 2, 0.5, chart.gap_label, transform=ax.get_xaxis_transform(),
                    ha="center", va="center", fontsize=7, color=MUTED, family=FONT)
        shown = [v for v in (*chart.region, *chart.country) if v is not None]
        if shown:
            low, high = min(shown), max(shown)
            pad = max((high - low) * 0.15, 0.5)
            ax.set_ylim(max(0.0, low - pad), high + pad)
        ticks = [i for i, m in enumerate(chart.months) if m.endswith(("-01", "-07"))]
        ticks = sorted(set([0, *ticks, len(x) - 1]))
        ax.set_xticks(ticks)
        ax.set_xticklabels([month_name(chart.months[i], chart.lang).replace(" ", "\n")
                            for i in ticks], fontsize=6 if compact else 6.5, family=FONT)
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.yaxis.set_major_formatter(_TickFormatter(chart.lang))
        ax.tick_params(axis="y", labelsize=6.5 if compact else 7)
        if compact:
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
            ax.tick_params(axis="both", length=2, pad=1.5)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if not compact:
            ax.set_title(chart.title, fontsize=8, family=FONT, loc="left")
        return _png(fig)


def _two_lines(label: str, width: int = 40) -> str:
    """Return a label on at most two lines, an ellipsis marking what was left out."""
    lines = textwrap.wrap(label, width, break_long_words=False) or [label]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder=" …")]
    return "\n".join(lines)


def industry_png(chart: IndustryChart, width: float = INDUSTRY_WIDTH,
                 compact: bool = False) -> bytes:
    """Return horizontal bars of the region's largest industries, the country's share marked.

    compact: the brief's narrow chart (thinner bars, labels on two shorter lines, 6 pt).
    """
    n = len(chart.labels)
    bar = INDUSTRY_PRINT_BAR_IN if compact else BAR_HEIGHT_IN
    size, chars = (6.0, 28) if compact else (6.5, 40)
    height = (0.36 if compact else 0.45) + bar * n
    with _RENDER_LOCK:
        fig = Figure(figsize=(width, height), dpi=DPI)
        ax = fig.add_axes((0.43, 0.26 / height, 0.535, 1 - 0.32 / height) if compact
                          else (0.36, 0.3 / height, 0.6, 1 - 0.42 / height))
        y = list(range(n))[::-1]
        ax.barh(y, chart.shares, height=0.62, color=HIGHLIGHT, alpha=0.85)
        ax.scatter(chart.country_shares, y, marker="|", s=160, linewidths=2.2,
                   color=COUNTRY_LINE, zorder=3)
        for yi, share, country in zip(y, chart.shares, chart.country_shares, strict=True):
            ax.text(max(share, country) + 0.4, yi, fmt.number(share, 1, chart.lang), va="center",
                    fontsize=size, family=FONT, color=COUNTRY_LINE)
        ax.set_yticks(y)
        ax.set_yticklabels([_two_lines(label, chars) for label in chart.labels], fontsize=size,
                           family=FONT, linespacing=0.95 if compact else 1.2)
        if compact:  # the bars start where the widest label ends (no label is cut)
            renderer = FigureCanvasAgg(fig).get_renderer()
            widest = max((label.get_window_extent(renderer).width
                          for label in ax.get_yticklabels()), default=0.0)
            left = (widest + 0.09 * DPI) / (width * DPI)
            x0, y0, w, h = ax.get_position().bounds
            ax.set_position((left, y0, 0.965 - left, h))
        top = max([*chart.shares, *chart.country_shares, 1.0])
        ax.set_xlim(0, top * (1.22 if compact else 1.15))
        ax.xaxis.set_major_formatter(_TickFormatter(chart.lang))
        ax.tick_params(axis="x", labelsize=size)
        if compact:
            ax.tick_params(axis="both", length=2, pad=1.5)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _png(fig)


@dataclass(frozen=True)
class AlkeCharts:
    """The ALKE sections' images (None = nothing to draw)."""

    fast: bytes | None
    industry: bytes | None = None


def alke_charts(picture: AlkePicture) -> AlkeCharts:
    """Return the ALKE sections' charts (made once, shown by the page and printed by the brief)."""
    chart, industry = picture.fast.chart, picture.industry.chart
    return AlkeCharts(fast=fast_png(chart) if chart else None,
                      industry=industry_png(industry) if industry else None)


@dataclass(frozen=True)
class AlkePrintCharts:
    """The brief's compact ALKE images (None = nothing to draw)."""

    fast: bytes | None
    industry: bytes | None


def alke_print_charts(picture: AlkePicture) -> AlkePrintCharts:
    """Return the brief's charts: the 24 months and the industries at their printed size."""
    chart, industry = picture.fast.chart, picture.industry.chart
    return AlkePrintCharts(
        fast=fast_png(chart, FAST_PRINT_SIZE, compact=True) if chart else None,
        industry=industry_png(industry, INDUSTRY_PRINT_WIDTH, compact=True) if industry
        else None)

"""Static PNG charts of the ALKE views (matplotlib Agg): the fast picture's 24 months, industries.

Shown by the region page and printed by the brief alike. A month without a figure leaves a gap
(shaded and labelled), never a zero, and no line bridges it; a lone month is drawn as a dot.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure

from presentation import format as fmt
from presentation.alke import AlkePicture
from presentation.fast import FastChart, month_name
from presentation.industry_view import IndustryChart
from presentation.palette import COUNTRY_LINE, GRID, HIGHLIGHT, MISSING_FILL, MUTED
from presentation.static_charts import _RENDER_LOCK, DPI, FONT, _png, _TickFormatter

FAST_SIZE = (6.4, 2.3)
INDUSTRY_WIDTH = 6.4
BAR_HEIGHT_IN = 0.27


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


def fast_png(chart: FastChart, size: tuple[float, float] = FAST_SIZE) -> bytes:
    """Return the region's and the country's rate by month; gaps stay empty and are labelled."""
    x = list(range(len(chart.months)))
    with _RENDER_LOCK:
        fig = Figure(figsize=size, dpi=DPI)
        ax = fig.add_axes((0.08, 0.2, 0.86, 0.68))
        for values, colour, style, label in ((chart.region, HIGHLIGHT, "-", "region"),
                                             (chart.country, COUNTRY_LINE, "--", "country")):
            y = [math.nan if v is None else v for v in values]
            ax.plot(x, y, linestyle=style, color=colour, linewidth=1.6, marker="o",
                    markersize=3.2, label=label)
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
                            for i in ticks], fontsize=6.5, family=FONT)
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.yaxis.set_major_formatter(_TickFormatter(chart.lang))
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(chart.title, fontsize=8, family=FONT, loc="left")
        return _png(fig)


def _two_lines(label: str, width: int = 40) -> str:
    """Return a label on at most two lines, an ellipsis marking what was left out."""
    lines = textwrap.wrap(label, width, break_long_words=False) or [label]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder=" …")]
    return "\n".join(lines)


def industry_png(chart: IndustryChart, width: float = INDUSTRY_WIDTH) -> bytes:
    """Return horizontal bars of the region's largest industries, the country's share marked."""
    n = len(chart.labels)
    height = 0.45 + BAR_HEIGHT_IN * n
    with _RENDER_LOCK:
        fig = Figure(figsize=(width, height), dpi=DPI)
        ax = fig.add_axes((0.36, 0.3 / height, 0.6, 1 - 0.42 / height))
        y = list(range(n))[::-1]
        ax.barh(y, chart.shares, height=0.62, color=HIGHLIGHT, alpha=0.85)
        ax.scatter(chart.country_shares, y, marker="|", s=160, linewidths=2.2,
                   color=COUNTRY_LINE, zorder=3)
        for yi, share, country in zip(y, chart.shares, chart.country_shares, strict=True):
            ax.text(max(share, country) + 0.4, yi, fmt.number(share, 1, chart.lang), va="center",
                    fontsize=6.5, family=FONT, color=COUNTRY_LINE)
        ax.set_yticks(y)
        ax.set_yticklabels([_two_lines(label) for label in chart.labels], fontsize=6.5,
                           family=FONT)
        top = max([*chart.shares, *chart.country_shares, 1.0])
        ax.set_xlim(0, top * 1.15)
        ax.xaxis.set_major_formatter(_TickFormatter(chart.lang))
        ax.tick_params(axis="x", labelsize=6.5)
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

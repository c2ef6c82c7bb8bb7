"""Colours shared by the page's charts and the brief's: colour-blind safe, one meaning each.

Okabe & Ito (2008) categorical colours; ColorBrewer YlGnBu for sequential scales. GOOD and BAD
colour a change by its direction (never red/green); a missing value is grey, never a colour of
the scale. An area keeps the same colour in every chart of a view (area_colours).
"""

from __future__ import annotations

from collections.abc import Sequence

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000")
HIGHLIGHT = "#0072B2"  # the region in focus
COUNTRY_LINE = "#1A1A1A"  # the whole country as a reference (dashed)
GOOD = "#0072B2"  # blue: change in the good direction
BAD = "#B34700"  # dark vermillion: change in the bad direction (contrast >= 4.5:1 on white)
NEUTRAL = "#6B6B6B"
MUTED = "#5A5A5A"
INK = "#1A1A1A"
MISSING_FILL = "#D9D9D9"
MISSING_LINE = "#8C8C8C"
GRID = "#E5E5E5"
LIGHT_BAR = "#A9C6DD"
# ColorBrewer YlGnBu (sequential, colour-blind safe): light = low, dark = high.
SEQUENTIAL = ((0.0, "#ffffd9"), (0.125, "#edf8b1"), (0.25, "#c7e9b4"), (0.375, "#7fcdbb"),
              (0.5, "#41b6c4"), (0.625, "#1d91c0"), (0.75, "#225ea8"), (0.875, "#253494"),
              (1.0, "#081d58"))
# Areas other than the country take these in order (the country is always COUNTRY_LINE).
AREA_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")


def rgb(colour: str) -> tuple[int, int, int]:
    """Return '#RRGGBB' as an (r, g, b) tuple of 0–255."""
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def area_colours(codes: Sequence[str], country_code: str) -> dict[str, str]:
    """Return code -> colour for the areas of a view, the same in each of its charts.

    The country is the reference colour; the others take AREA_COLOURS in the order chosen.
    """
    out: dict[str, str] = {}
    others = iter(AREA_COLOURS)
    for code in codes:
        if code in out:
            continue
        out[code] = COUNTRY_LINE if code == country_code else next(others, NEUTRAL)
    return out

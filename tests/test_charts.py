import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ui import charts

SQUARE = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "MK01"},
     "geometry": {"type": "Polygon", "coordinates": [[[24.0, 60.0], [25.0, 60.0], [25.0, 61.0],
                                                      [24.0, 61.0], [24.0, 60.0]]]}},
    {"type": "Feature", "properties": {"code": "MK02"},
     "geometry": {"type": "MultiPolygon", "coordinates": [
         [[[22.0, 60.0], [23.0, 60.0], [23.0, 61.0], [22.0, 60.0]]],
         [[[21.0, 60.0], [21.5, 60.0], [21.5, 60.5], [21.0, 60.0]]]]}},
    {"type": "Feature", "properties": {"code": "MK04"},
     "geometry": {"type": "Polygon", "coordinates": [[[21.0, 61.0], [22.0, 61.0], [22.0, 62.0],
                                                      [21.0, 61.0]]]}},
]}


def relative_luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


def test_good_and_bad_colours_are_readable_and_not_red_green():
    assert contrast_on_white(charts.GOOD) >= 4.5
    assert contrast_on_white(charts.BAD) >= 4.5
    assert charts.GOOD.upper() == "#0072B2"  # Okabe–Ito blue, paired with vermillion
    assert charts.OKABE_ITO[0] == "#0072B2" and "#D55E00" in charts.OKABE_ITO


def test_sequential_scale_gets_darker():
    lum = [relative_luminance(c) for _, c in charts.SEQUENTIAL]
    assert lum == sorted(lum, reverse=True)
    assert [p for p, _ in charts.SEQUENTIAL] == sorted(p for p, _ in charts.SEQUENTIAL)


def test_radar_missing_is_a_gap_not_zero_and_has_ring_and_ghost():
    fig = charts.radar(["A", "B", "C"], [50, None, float("nan")],
                       {"region": "Uusimaa 2021", "country": "Koko maa", "previous": "2020"},
                       country=[40, 45, 50], previous=[48, 52, 47])
    assert isinstance(fig, go.Figure)
    names = [t.name for t in fig.data]
    assert names == ["2020", "Koko maa", "Uusimaa 2021"]
    region = fig.data[-1]
    assert list(region.r) == [50, None, None, 50]  # closed loop, gaps for missing
    assert list(region.theta) == ["A", "B", "C", "A"]
    assert region.connectgaps is False
    assert fig.data[1].line.dash == "dash"
    assert fig.layout.polar.radialaxis.range == (0, 100)


def test_simplify_geojson_rounds_and_drops_degenerate_rings():
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "X"},
         "geometry": {"type": "Polygon", "coordinates": [
             [[1.001, 2.001], [1.002, 2.002], [3.0, 2.0], [3.0, 4.0], [1.0, 2.0]],
             [[5.0, 5.0], [5.001, 5.001], [5.0, 5.0]]]}},
        {"type": "Feature", "properties": {"code": "P"}, "geometry": {"type": "Point",
                                                                       "coordinates": [1, 2]}}]}
    out = charts.simplify_geojson(geo, decimals=2)
    assert len(out["features"]) == 1
    rings = out["features"][0]["geometry"]["coordinates"]
    assert rings == [[[1.0, 2.0], [3.0, 2.0], [3.0, 4.0], [1.0, 2.0]]]


def test_polygon_paths_separate_polygons_with_nan():
    paths = charts.polygon_paths(SQUARE)
    assert list(paths) == ["MK01", "MK02", "MK04"]
    x, y = paths["MK02"]
    assert len(x) == 4 + 1 + 4 and math.isnan(x[4]) and math.isnan(y[4])
    assert x[0] == 22.0 and y[-1] == 60.0


def values(rows):
    return pd.DataFrame(rows, columns=["area_code", "value", "name", "text"])


def test_choropleth_colours_by_value_and_shows_missing_grey_with_legend():
    paths = charts.polygon_paths(SQUARE)
    fig = charts.choropleth(values([("MK01", 10.0, "Uusimaa", "10,0"),
                                    ("MK02", 90.0, "Varsinais-Suomi", "90,0"),
                                    ("MK04", None, "Satakunta", "–")]),
                            paths, "Pisteet", "Ei tietoa", highlight="MK02", zrange=(0, 100))
    by_name = {t.name: t for t in fig.data if t.name}
    low, high = by_name["Uusimaa: 10,0"], by_name["Varsinais-Suomi: 90,0"]
    assert low.fillcolor != high.fillcolor
    missing = by_name["Satakunta: Ei tietoa"]
    assert missing.fillcolor == charts.MISSING_FILL
    legend = [t for t in fig.data if t.showlegend]
    assert [t.name for t in legend] == ["Ei tietoa"]
    outline = [t for t in fig.data if t.line.width == 1.6]
    assert len(outline) == 1 and np.allclose(outline[0].x, paths["MK02"][0], equal_nan=True)
    assert fig.layout.yaxis.scaleanchor == "x"
    assert not any(t.type in ("choropleth", "choroplethmap", "choroplethmapbox") for t in fig.data)


def test_choropleth_reverse_darkens_low_values():
    paths = charts.polygon_paths(SQUARE)
    rows = values([("MK01", 1.0, "A", "1"), ("MK02", 9.0, "B", "9"), ("MK04", 5.0, "C", "5")])
    normal = {t.name: t.fillcolor for t in charts.choropleth(rows, paths, "u", "n").data if t.name}
    rev = {t.name: t.fillcolor for t in charts.choropleth(rows, paths, "u", "n",
                                                          reverse=True).data if t.name}
    assert normal["A: 1"] == rev["B: 9"] and normal["B: 9"] == rev["A: 1"]


def test_locator_highlights_one_region():
    paths = charts.polygon_paths(SQUARE)
    fig = charts.locator(paths, "MK04", "Satakunta")
    assert len(fig.data) == 2
    assert fig.data[1].name == "Satakunta" and fig.data[1].fillcolor == charts.HIGHLIGHT
    # the two other regions' three rings in one trace: a NaN after each ring
    assert np.isnan(fig.data[0].x).sum() == 3 and len(fig.data[0].x) == 5 + 4 + 4 + 3


def test_heatmap_missing_cell_is_none_with_mark():
    vals = pd.DataFrame([[10.0, float("nan")], [55.5, 70.0]], index=["A", "B"],
                        columns=["x", "y"])
    text = pd.DataFrame([["10", "–"], ["56", "70"]], index=["A", "B"], columns=["x", "y"])
    fig = charts.heatmap(vals, text, "Pisteet", "Ei tietoa")
    trace = fig.data[0]
    assert list(trace.z[0]) == [10.0, None]
    assert list(trace.text[0]) == ["10", "–"]
    assert trace.customdata[0][1] == "Ei tietoa"
    assert fig.layout.plot_bgcolor == charts.MISSING_FILL


def test_time_series_gap_and_reference_line():
    frame = pd.DataFrame({"name": ["A", "A", "A", "Koko maa", "Koko maa", "Koko maa"],
                          "period": [2019, 2020, 2021] * 2,
                          "value": [1.0, None, 3.0, 2.0, 2.5, 2.7]})
    fig = charts.time_series(frame, "%", reference="Koko maa")
    a, ref = fig.data
    assert list(a.y) == [1.0, None, 3.0] and a.connectgaps is False
    assert ref.line.dash == "dash" and ref.line.color == charts.COUNTRY
    assert a.line.color == charts.OKABE_ITO[0]


def test_distribution_bars_for_few_areas_histogram_for_many():
    few = pd.DataFrame({"name": ["A", "B", "C", "D"], "value": [3.0, 1.0, None, 2.0]})
    fig = charts.distribution(few, "%", highlight=["B"], reference=2.2, reference_label="Maa")
    bar = fig.data[0]
    assert bar.type == "bar" and list(bar.y) == ["B", "D", "A"]  # sorted, missing left out
    assert list(bar.marker.color) == [charts.HIGHLIGHT, "#A9C6DD", "#A9C6DD"]
    assert fig.layout.shapes[0].x0 == 2.2
    many = pd.DataFrame({"name": [f"K{i}" for i in range(50)], "value": range(50)})
    fig = charts.distribution(many, "%", highlight=["K7"])
    assert fig.data[0].type == "histogram"
    assert fig.layout.shapes[0].x0 == 7.0 and fig.layout.annotations[0].text == "K7"


def test_rank_intervals_error_bars():
    frame = pd.DataFrame({"name": ["A", "B", "C"], "rank": [2, 1, None],
                          "rank_low": [1, 1, None], "rank_high": [4, 3, None]})
    fig = charts.rank_intervals(frame, "Sija", highlight="B")
    trace = fig.data[0]
    assert list(trace.y) == ["B", "A"]
    assert list(trace.error_x.array) == [2.0, 2.0] and list(trace.error_x.arrayminus) == [0.0, 1.0]
    assert list(trace.marker.color) == [charts.HIGHLIGHT, charts.NEUTRAL]


def test_indicator_bars_missing_shows_label_not_a_score():
    frame = pd.DataFrame({"group": ["D", "D"], "name": ["a", "b"], "score": [62.4, None],
                          "colour": ["#0072B2", "#0072B2"]})
    fig = charts.indicator_bars(frame, "Pisteet", "Ei tietoa")
    bars, marks = fig.data
    assert list(bars.x) == [62.4, None] and list(bars.text) == ["62", ""]
    assert list(marks.y) == ["D · b"] and list(marks.text) == ["Ei tietoa"]
    assert list(fig.layout.yaxis.categoryarray) == ["D · a", "D · b"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_plot_config_locale(lang):
    config = charts.plot_config(lang)
    assert config["locale"] == lang and config["displaylogo"] is False


def test_simplify_drops_small_islands_but_never_the_largest_polygon():
    big = [[[20.0, 60.0], [22.0, 60.0], [22.0, 61.0], [20.0, 60.0]]]
    islet = [[[21.0, 59.0], [21.01, 59.0], [21.01, 59.01], [21.0, 59.0]]]
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "A"},
         "geometry": {"type": "MultiPolygon", "coordinates": [islet, big]}},
        {"type": "Feature", "properties": {"code": "B"},
         "geometry": {"type": "MultiPolygon", "coordinates": [islet]}}]}
    out = charts.simplify_geojson(geo, decimals=3, min_extent=0.05)
    assert out["features"][0]["geometry"]["coordinates"] == [big]
    assert out["features"][1]["geometry"]["coordinates"] == [islet]  # its only polygon stays
    assert len(charts.simplify_geojson(geo, 3)["features"][0]["geometry"]["coordinates"]) == 2


def test_separators_follow_the_language():
    fig = charts.radar(["A"], [1.5], {}, lang="fi")
    assert fig.layout.separators == ", "
    assert charts.radar(["A"], [1.5], {}, lang="en").layout.separators == ".,"


def test_score_shift_joins_default_and_custom():
    frame = pd.DataFrame({"name": ["A", "B", "C"], "default_score": [60.0, None, 40.0],
                          "custom_score": [55.0, 50.0, None]})
    fig = charts.score_shift(frame, {"default": "Oletus", "custom": "Omat"}, "Pisteet",
                             highlight="A")
    lines, default, custom = fig.data
    assert list(custom.y) == ["A", "B"] and list(custom.x) == [55.0, 50.0]
    assert list(default.x) == [60.0, None]  # no default score: no ring, not a zero
    assert list(lines.x) == [60.0, 55.0, None]
    assert custom.marker.color[0] == charts.HIGHLIGHT
    assert (default.name, custom.name) == ("Oletus", "Omat")


def test_long_radar_labels_wrap():
    assert charts.wrap_label("Näringsliv och sysselsättning") == "Näringsliv och<br>sysselsättning"
    assert charts.wrap_label("Osaaminen") == "Osaaminen"
    fig = charts.radar(["Elinkeinot ja työllisyys", "Osaaminen"], [1, 2], {})
    assert list(fig.data[-1].theta) == ["Elinkeinot ja<br>työllisyys", "Osaaminen",
                                        "Elinkeinot ja<br>työllisyys"]

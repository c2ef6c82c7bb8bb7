import math

import numpy as np
import pandas as pd
import pytest

from presentation import palette
from presentation.geometry import polygon_paths, simplify_geojson
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
    assert contrast_on_white(palette.GOOD) >= 4.5
    assert contrast_on_white(palette.BAD) >= 4.5
    assert palette.GOOD.upper() == "#0072B2"  # Okabe–Ito blue, paired with vermillion
    assert palette.OKABE_ITO[0] == "#0072B2" and "#D55E00" in palette.OKABE_ITO


def test_sequential_scale_gets_darker():
    lum = [relative_luminance(c) for _, c in palette.SEQUENTIAL]
    assert lum == sorted(lum, reverse=True)
    assert [p for p, _ in palette.SEQUENTIAL] == sorted(p for p, _ in palette.SEQUENTIAL)


def test_the_same_area_keeps_its_colour_and_the_country_is_black():
    colours = palette.area_colours(["MK12", "SSS", "MK01"], "SSS")
    assert colours == {"MK12": palette.AREA_COLOURS[0], "SSS": palette.COUNTRY_LINE,
                       "MK01": palette.AREA_COLOURS[1]}
    frame = pd.DataFrame({"area_code": ["MK12", "MK12", "SSS", "SSS"],
                          "name": ["P-K", "P-K", "Maa", "Maa"], "period": [2020, 2021] * 2,
                          "value": [1.0, 2.0, 1.5, 1.6]})
    series = charts.time_series(frame, "%", colours, reference="SSS")
    dist = charts.distribution(pd.DataFrame({"name": ["P-K", "X"], "value": [2.0, 1.0]}), "%",
                               "Alueita", highlight={"P-K": colours["MK12"]})
    assert series.data[0].line.color == dist.data[0].marker.color[1] == colours["MK12"]


def test_simplify_geojson_rounds_and_drops_degenerate_rings():
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "X"},
         "geometry": {"type": "Polygon", "coordinates": [
             [[1.001, 2.001], [1.002, 2.002], [3.0, 2.0], [3.0, 4.0], [1.0, 2.0]],
             [[5.0, 5.0], [5.001, 5.001], [5.0, 5.0]]]}},
        {"type": "Feature", "properties": {"code": "P"}, "geometry": {"type": "Point",
                                                                       "coordinates": [1, 2]}}]}
    out = simplify_geojson(geo, decimals=2)
    assert len(out["features"]) == 1
    rings = out["features"][0]["geometry"]["coordinates"]
    assert rings == [[[1.0, 2.0], [3.0, 2.0], [3.0, 4.0], [1.0, 2.0]]]


def test_polygon_paths_separate_polygons_with_nan():
    paths = polygon_paths(SQUARE)
    assert list(paths) == ["MK01", "MK02", "MK04"]
    x, y = paths["MK02"]
    assert len(x) == 4 + 1 + 4 and math.isnan(x[4]) and math.isnan(y[4])
    assert x[0] == 22.0 and y[-1] == 60.0


def values(rows):
    return pd.DataFrame(rows, columns=["area_code", "value", "name", "text"])


def test_choropleth_colours_by_value_and_shows_missing_grey_with_legend():
    paths = polygon_paths(SQUARE)
    fig = charts.choropleth(values([("MK01", 10.0, "Uusimaa", "10,0"),
                                    ("MK02", 90.0, "Varsinais-Suomi", "90,0"),
                                    ("MK04", None, "Satakunta", "–")]),
                            paths, "Pisteet", "Ei tietoa", highlight="MK02", zrange=(0, 100))
    by_name = {t.name: t for t in fig.data if t.name}
    low, high = by_name["Uusimaa: 10,0"], by_name["Varsinais-Suomi: 90,0"]
    assert low.fillcolor != high.fillcolor
    missing = by_name["Satakunta: Ei tietoa"]
    assert missing.fillcolor == palette.MISSING_FILL
    legend = [t for t in fig.data if t.showlegend]
    assert [t.name for t in legend] == ["Ei tietoa"]
    outline = [t for t in fig.data if t.line.width == 1.6]
    assert len(outline) == 1 and np.allclose(outline[0].x, paths["MK02"][0], equal_nan=True)
    assert fig.layout.yaxis.scaleanchor == "x"
    assert not any(t.type in ("choropleth", "choroplethmap", "choroplethmapbox") for t in fig.data)


def test_choropleth_reverse_darkens_low_values():
    paths = polygon_paths(SQUARE)
    rows = values([("MK01", 1.0, "A", "1"), ("MK02", 9.0, "B", "9"), ("MK04", 5.0, "C", "5")])
    normal = {t.name: t.fillcolor for t in charts.choropleth(rows, paths, "u", "n").data if t.name}
    rev = {t.name: t.fillcolor for t in charts.choropleth(rows, paths, "u", "n",
                                                          reverse=True).data if t.name}
    assert normal["A: 1"] == rev["B: 9"] and normal["B: 9"] == rev["A: 1"]


def test_heatmap_missing_cell_is_none_with_mark():
    vals = pd.DataFrame([[10.0, float("nan")], [55.5, 70.0]], index=["A", "B"],
                        columns=["x", "y"])
    text = pd.DataFrame([["10", "–"], ["56", "70"]], index=["A", "B"], columns=["x", "y"])
    fig = charts.heatmap(vals, text, "Pisteet", "Ei tietoa")
    trace = fig.data[0]
    assert list(trace.z[0]) == [10.0, None]
    assert list(trace.text[0]) == ["10", "–"]
    assert trace.customdata[0][1] == "Ei tietoa"
    assert fig.layout.plot_bgcolor == palette.MISSING_FILL
    # labels are single lines and may turn upright where they would overlap (a phone's width)
    assert tuple(fig.layout.xaxis.autotickangles) == (0, 30, 90)
    assert fig.layout.xaxis.automargin is True and fig.layout.yaxis.automargin is True
    wrapped = charts.heatmap(vals.rename(index={"A": "Henkilövahinkoon johtaneet "
                                                 "tieliikenneonnettomuudet"}), text, "P", "E",
                             wrap_rows=26)
    assert wrapped.data[0].y[0] == "Henkilövahinkoon johtaneet<br>tieliikenneonnettomuudet"


def test_time_series_gap_and_reference_line():
    frame = pd.DataFrame({"area_code": ["MK01"] * 3 + ["SSS"] * 3,
                          "name": ["A", "A", "A", "Koko maa", "Koko maa", "Koko maa"],
                          "period": [2019, 2020, 2021] * 2,
                          "value": [1.0, None, 3.0, 2.0, 2.5, 2.7]})
    fig = charts.time_series(frame, "%", {"MK01": "#0072B2", "SSS": "#1A1A1A"},
                             reference="SSS")
    a, ref = fig.data
    assert list(a.y) == [1.0, None, 3.0] and a.connectgaps is False
    assert ref.line.dash == "dash" and ref.line.color == "#1A1A1A"
    assert a.line.color == "#0072B2"


def test_no_line_bridges_a_break():
    frame = pd.DataFrame({"area_code": ["MK01"] * 5, "name": ["A"] * 5,
                          "period": [2018, 2019, 2020, 2021, 2022],
                          "value": [1.0, 2.0, 9.0, 3.0, 4.0]})
    fig = charts.time_series(frame, "%", {"MK01": "#0072B2"},
                             breaks=[(2020, "one_off", "aalto"), (2022, "series_break", "uusi")],
                             break_label="katko")
    line, lone = fig.data
    # 2020 stands alone; the series break before 2022 ends the line (None between)
    assert list(line.x) == [2018, 2019, 2020, 2021, None, 2022]
    assert list(line.y) == [1.0, 2.0, None, 3.0, None, 4.0]
    assert list(lone.x) == [2020] and list(lone.y) == [9.0] and lone.showlegend is False
    assert fig.layout.shapes[0].x0 == 2021.5 and fig.layout.annotations[0].text == "katko"


def test_distribution_bars_for_few_areas_histogram_for_many():
    few = pd.DataFrame({"name": ["A", "B", "C", "D"], "value": [3.0, 1.0, None, 2.0]})
    fig = charts.distribution(few, "%", "Alueita", highlight={"B": "#E69F00"}, reference=2.2,
                              reference_label="Maa")
    bar = fig.data[0]
    assert bar.type == "bar" and list(bar.y) == ["B", "D", "A"]  # sorted, missing left out
    assert list(bar.marker.color) == ["#E69F00", palette.LIGHT_BAR, palette.LIGHT_BAR]
    assert fig.layout.shapes[0].x0 == 2.2
    many = pd.DataFrame({"name": [f"K{i}" for i in range(50)], "value": range(50)})
    fig = charts.distribution(many, "%", "Alueita", highlight={"K7": "#009E73"})
    assert fig.data[0].type == "histogram"
    assert fig.layout.yaxis.title.text == "Alueita"  # the histogram's y axis says what it counts
    assert fig.layout.shapes[0].x0 == 7.0 and fig.layout.annotations[0].text == "K7"
    assert fig.layout.shapes[0].line.color == "#009E73"


def test_rank_intervals_error_bars():
    frame = pd.DataFrame({"name": ["A", "B", "C"], "rank": [2, 1, None],
                          "rank_low": [1, 1, None], "rank_high": [4, 3, None]})
    fig = charts.rank_intervals(frame, "Sija", highlight="B")
    trace = fig.data[0]
    assert list(trace.y) == ["B", "A"]
    assert list(trace.error_x.array) == [2.0, 2.0] and list(trace.error_x.arrayminus) == [0.0, 1.0]
    assert list(trace.marker.color) == [palette.HIGHLIGHT, palette.NEUTRAL]
    assert fig.layout.xaxis.range == (0.5, 4.5)  # as many ranks as regions ranked, not 19


def test_indicator_bars_missing_shows_label_not_a_score():
    frame = pd.DataFrame({"group": ["D", "D", "E"], "name": ["a", "b", "Henkilövahinkoon "
                                                                  "johtaneet tieliikenneonnet"],
                          "score": [62.4, None, 10.0],
                          "colour": ["#0072B2", "#0072B2", "#009E73"]})
    fig = charts.indicator_bars(frame, "Pisteet", "Ei tietoa")
    d, e, marks = fig.data
    assert (d.name, e.name) == ("D", "E")  # one legend entry per dimension, not a prefix
    assert list(d.x) == [62.4, None] and list(d.text) == ["62", ""]
    assert list(marks.y) == ["b"] and list(marks.text) == ["Ei tietoa"]
    assert list(e.y) == ["Henkilövahinkoon johtaneet<br>tieliikenneonnet"]
    assert fig.layout.yaxis.automargin is True


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
    out = simplify_geojson(geo, decimals=3, min_extent=0.05)
    assert out["features"][0]["geometry"]["coordinates"] == [big]
    assert out["features"][1]["geometry"]["coordinates"] == [islet]  # its only polygon stays
    assert len(simplify_geojson(geo, 3)["features"][0]["geometry"]["coordinates"]) == 2


def test_separators_follow_the_language():
    frame = pd.DataFrame({"group": ["D"], "name": ["a"], "score": [1.5], "colour": ["#000000"]})
    assert charts.indicator_bars(frame, "P", "E", lang="fi").layout.separators == ", "
    assert charts.indicator_bars(frame, "P", "E", lang="en").layout.separators == ".,"


def test_score_shift_joins_default_and_custom():
    frame = pd.DataFrame({"name": ["A", "B", "C"], "default_score": [60.0, None, 40.0],
                          "custom_score": [55.0, 50.0, None]})
    fig = charts.score_shift(frame, {"default": "Oletus", "custom": "Omat"}, "Pisteet",
                             highlight="A")
    lines, default, custom = fig.data
    assert list(custom.y) == ["A", "B"] and list(custom.x) == [55.0, 50.0]
    assert list(default.x) == [60.0, None]  # no default score: no ring, not a zero
    assert list(lines.x) == [60.0, 55.0, None]
    assert custom.marker.color[0] == palette.HIGHLIGHT
    assert (default.name, custom.name) == ("Oletus", "Omat")


def test_long_labels_wrap():
    assert charts.wrap_label("Näringsliv och sysselsättning", 16) == \
        "Näringsliv och<br>sysselsättning"
    assert charts.wrap_label("Osaaminen") == "Osaaminen"


def test_long_matrices_label_every_fifth_column_and_keep_every_cell():
    years = list(range(1987, 2027))
    values = pd.DataFrame([[1.0] * len(years)], index=["Uusimaa"], columns=years)
    fig = charts.heatmap(values, values.map(str), "n", "–")
    assert list(fig.layout.xaxis.ticktext) == ["1990", "2000", "2010", "2020"]
    assert len(fig.data[0].x) == len(years)  # the cells stay, only the labels thin out
    some = values[years[-20:]]
    assert list(charts.heatmap(some, some.map(str), "n", "–").layout.xaxis.ticktext) == [
        "2010", "2015", "2020", "2025"]
    short = values[years[:10]]
    assert charts.heatmap(short, short.map(str), "n", "–").layout.xaxis.ticktext is None
    names = pd.DataFrame([[1.0, 2.0]], index=["Lappi"],
                         columns=["Livsmiljö", "Näringsliv och sysselsättning"])
    assert charts.heatmap(names, names.map(str), "n", "–").layout.xaxis.tickangle == -90
    brief = pd.DataFrame([[1.0, 2.0]], index=["Lappi"], columns=["Skills", "Safety"])
    assert charts.heatmap(brief, brief.map(str), "n", "–").layout.xaxis.tickangle is None


def test_long_series_leave_the_year_ticks_to_the_drawn_width():
    def series(n):
        return pd.DataFrame({"area_code": "MK01", "name": "Uusimaa",
                             "period": range(2026 - n, 2026), "value": 1.0})
    assert charts.time_series(series(6), "y", {}).layout.xaxis.dtick == 1
    assert charts.time_series(series(20), "y", {}).layout.xaxis.dtick is None

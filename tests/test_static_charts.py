"""Static charts of the page and the brief: labels inside the image, no line across a break."""

import io
import math

import pytest
from PIL import Image

from presentation import static_charts
from presentation.geometry import polygon_paths
from presentation.i18n import LANGUAGES
from presentation.region import RadarData, build_region_picture


def label_boxes(fig):
    """Return (figure box, label boxes) of a drawn radar (pixels)."""
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return fig.bbox, [label.get_window_extent(renderer) for label in ax.get_xticklabels()]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_radar_labels_are_not_cut(frames, lang):
    picture = build_region_picture(frames, "MK12", lang)
    fig = static_charts.radar_figure(picture.radar)
    box, labels = label_boxes(fig)
    assert len(labels) == 6
    for label in labels:
        assert box.x0 <= label.x0 and label.x1 <= box.x1, (lang, label)
        assert box.y0 <= label.y0 and label.y1 <= box.y1, (lang, label)


def test_long_labels_shrink_the_radar_until_they_fit():
    long = RadarData(labels=("Näringsliv och sysselsättning väldigt långt",) * 6,
                     values=(50.0,) * 6, country=(40.0,) * 6, region_label="A",
                     country_label="B", no_data_label="-", caption="")
    fig = static_charts.radar_figure(long, size=(2.4, 2.2))
    box, labels = label_boxes(fig)
    assert all(box.x0 <= b.x0 and b.x1 <= box.x1 for b in labels)


def test_a_break_splits_the_trend_line():
    xs, ys, alone = static_charts.split_at_breaks(
        [2018, 2019, 2020, 2021, 2022], [1.0, 2.0, 9.0, 3.0, 4.0],
        [(2020, "one_off"), (2022, "series_break")])
    assert alone == [(2020, 9.0)]
    assert math.isnan(ys[2]) and math.isnan(xs[4]) and xs[5] == 2022
    assert ys[:2] == [1.0, 2.0] and ys[3] == 3.0 and ys[5] == 4.0


def test_locator_is_a_png_with_the_region_filled():
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code},
         "geometry": {"type": "Polygon", "coordinates": [[[x, 60.0], [x + 1, 60.0],
                                                          [x + 1, 61.0], [x, 60.0]]]}}
        for code, x in (("MK01", 24.0), ("MK02", 22.0))]}
    png = static_charts.locator_png(polygon_paths(geo), "MK01")
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        colours = {rgb.getpixel((x, y)) for x in range(0, rgb.width, 3)
                   for y in range(0, rgb.height, 3)}
    assert (0, 114, 178) in colours  # the region in the highlight colour

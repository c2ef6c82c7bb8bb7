import math

import pandas as pd
import pytest
from raw_excerpts import RAW

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.locate import BOUNDARY_FILE, read_boundaries, regions_of_points
from indicators.regions import registry_frame, successors_frame

DIVISION = Division(registry_frame(), successors_frame())
# accidents of the 2022 file (ETRS-TM35FIN): Joensuu and Juuka (MK12), Pertunmaa (MK10)
JOENSUU = (641139, 6943611)
JUUKA = (618720, 7019510)
PERTUNMAA = (474456, 6814735)


@pytest.fixture(scope="module")
def boundaries():
    return read_boundaries(RAW / BOUNDARY_FILE, DIVISION)


def points(*xy):
    return (pd.Series([p[0] for p in xy], dtype=float), pd.Series([p[1] for p in xy],
                                                                     dtype=float))


def test_features_are_matched_to_regions_by_name(boundaries):
    assert sorted(code for code, _ in boundaries) == ["MK10", "MK12", "MK18"]


def test_points_inside_get_their_region(boundaries):
    x, y = points(JOENSUU, JUUKA, PERTUNMAA)
    assert regions_of_points(x, y, boundaries).tolist() == ["MK12", "MK12", "MK10"]


def test_points_just_outside_go_to_the_nearest_region_within_the_limit(boundaries):
    geom = dict(boundaries)["MK12"]
    east = geom.bounds[2]  # the easternmost point of Pohjois-Karjala (the national border)
    _, north = geom.exterior.coords[max(range(len(geom.exterior.coords)),
                                        key=lambda i: geom.exterior.coords[i][0])]
    x, y = points((east + 300, north), (east + 5000, north), (math.nan, math.nan))
    assert regions_of_points(x, y, boundaries).tolist() == ["MK12", None, None]
    x, y = points((east + 300, north))
    assert regions_of_points(x, y, boundaries, nearest_within=100).tolist() == [None]


def test_bad_boundary_files_are_clear_errors(tmp_path):
    with pytest.raises(ConvertError, match="missing"):
        read_boundaries(tmp_path / "none.json", DIVISION)
    path = tmp_path / "b.json"
    path.write_text('{"features": [{"properties": {"nimi": "Atlantis"}, "geometry": null}]}',
                    encoding="utf-8")
    with pytest.raises(ConvertError, match="b.json: not region boundaries"):
        read_boundaries(path, DIVISION)

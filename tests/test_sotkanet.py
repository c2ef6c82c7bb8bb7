import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl import http
from etl.sotkanet import (
    SotkanetClient,
    SotkanetError,
    check_indicator,
    indicator_updated,
    indicator_years,
    official_code,
    parse_data,
    region_codes,
)

FIX = Path(__file__).parent / "fixtures" / "sotkanet"
REGIONS = json.loads((FIX / "regions.json").read_text("utf-8"))
ROWS = pd.read_csv(FIX / "data.csv")


@pytest.mark.parametrize("category, code, expected", [
    ("MAA", "1", "SSS"), ("MAAKUNTA", "1", "MK01"), ("MAAKUNTA", "21", "MK21"),
    ("SEUTUKUNTA", "11", "SK011"), ("KUNTA", "5", "005"), ("KUNTA", "851", "851"),
    ("ERVA", "1", None), ("SAIRAANHOITOPIIRI", "6", None), ("KUNTA", "", None),
])
def test_official_codes(category, code, expected):
    assert official_code(category, code) == expected


def rows_for(indicator):
    part = ROWS[ROWS["indicator"] == indicator]
    return [{"indicator": int(r.indicator), "region": int(r.region), "year": int(r.year),
             "gender": r.gender, "value": float(r.value)} for r in part.itertuples()]


def test_parse_real_2019_rows_maps_region_ids_to_municipality_codes():
    regions = region_codes(REGIONS)
    frame = parse_data(rows_for(3099), regions, indicator_id=3099)
    assert len(frame) == len(ROWS[ROWS.indicator == 3099]) and frame["period"].eq(2019).all()
    tornio = next(r for r in REGIONS if r["title"]["fi"] == "Tornio")
    row = ROWS[(ROWS.indicator == 3099) & (ROWS.region == tornio["id"])]
    assert frame.loc[frame.area_code == "851", "value"].item() == row["value"].item()
    assert frame["flag"].isna().all()


def test_other_genders_other_indicators_and_other_region_kinds_are_dropped():
    regions = {1: ("KUNTA", "005"), 2: ("ERVA", None), 3: ("MAAKUNTA", "MK14")}
    rows = [{"indicator": 5, "region": 1, "year": 2020, "gender": "total", "value": 3.0},
            {"indicator": 5, "region": 1, "year": 2020, "gender": "male", "value": 4.0},
            {"indicator": 6, "region": 1, "year": 2020, "gender": "total", "value": 5.0},
            {"indicator": 5, "region": 2, "year": 2020, "gender": "total", "value": 6.0},
            {"indicator": 5, "region": 3, "year": 2020, "gender": "total", "value": 7.0}]
    frame = parse_data(rows, regions, indicator_id=5)
    assert sorted(zip(frame.area_code, frame.value, strict=True)) == [("005", 3.0), ("MK14", 7.0)]
    only_regions = parse_data(rows, regions, indicator_id=5, levels=("region",))
    assert only_regions["area_code"].tolist() == ["MK14"]


def test_null_value_is_missing_not_zero():
    frame = parse_data([{"indicator": 5, "region": 1, "year": 2020, "gender": "total",
                         "value": None}], {1: ("KUNTA", "005")}, indicator_id=5)
    assert np.isnan(frame["value"][0]) and frame["flag"][0] == "missing"


def test_unknown_region_id_raises():
    with pytest.raises(SotkanetError, match="not in the regions list: \\[999\\]"):
        parse_data([{"indicator": 5, "region": 999, "year": 2020, "gender": "total",
                     "value": 1}], {1: ("KUNTA", "005")}, indicator_id=5)


def test_bad_shapes_raise():
    with pytest.raises(SotkanetError):
        parse_data({"error": "x"}, {}, indicator_id=5)
    with pytest.raises(SotkanetError, match="lack"):
        parse_data([{"indicator": 5}], {}, indicator_id=5)
    with pytest.raises(SotkanetError):
        region_codes({"regions": []})


def test_metadata_helpers():
    meta = {"id": 3099, "title": {"fi": "Kunnan yleinen pienituloisuusaste"},
            "data-updated": "2026-03-01", "range": {"start": 1995, "end": 2024}}
    assert indicator_updated(meta) == "2026-03-01"
    assert indicator_updated({"dataUpdated": "x"}) == "x"
    assert indicator_years(meta) == (1995, 2024)
    assert check_indicator(meta, 3099) == []
    assert "not 3100" in check_indicator(meta, 3100)[0]


def test_client_sends_user_agent_and_years(httpserver):
    httpserver.expect_request("/rest/1.1/json").respond_with_json(rows_for(3099)[:3])
    client = SotkanetClient(httpserver.url_for("/rest/1.1"), sleep=lambda s: None)
    rows = client.data(3099, [2018, 2019])
    request = httpserver.log[0][0]
    assert request.args.getlist("years") == ["2018", "2019"]
    assert request.args["indicator"] == "3099" and request.args["genders"] == "total"
    assert request.headers["User-Agent"].startswith("Tilannekuva-ETL/")
    assert "python-requests" not in request.headers["User-Agent"]
    assert len(rows) == 3


def test_client_errors_name_the_indicator(httpserver):
    httpserver.expect_request("/rest/1.1/indicators/4123").respond_with_data("no", status=404)
    client = SotkanetClient(httpserver.url_for("/rest/1.1"), sleep=lambda s: None)
    with pytest.raises(http.FetchError, match="THL Sotkanet indicator 4123.*HTTP 404"):
        client.indicator(4123)

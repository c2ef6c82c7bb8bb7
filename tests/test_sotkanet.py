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


REC = FIX / "recorded"
SAMPLE = json.loads((REC / "omsorgsradar_sotkanet_127_171_5513_data_sample.json").read_text(
    "utf-8"))
RECORDED_REGIONS = json.loads((REC / "omsorgsradar_sotkanet_regions_sample.json").read_text(
    "utf-8"))
HUS = json.loads((REC / "hus_sotkanet_indicator_metadata_186_322_5051_5074_5034_5033_3336.json"
                  ).read_text("utf-8"))["indicators"]


def test_recorded_regions_map_municipalities_and_a_region():
    regions = region_codes(RECORDED_REGIONS)
    assert regions[46] == ("KUNTA", "091") and regions[20] == ("KUNTA", "049")
    assert regions[488] == ("MAAKUNTA", "MK01")  # Uusimaa, code "01"


def test_recorded_flat_rows_with_abs_value_are_parsed_through_regions(httpserver):
    httpserver.expect_request("/rest/1.1/json").respond_with_json(SAMPLE["127"])
    httpserver.expect_request("/rest/1.1/regions").respond_with_json(RECORDED_REGIONS)
    client = SotkanetClient(httpserver.url_for("/rest/1.1"), sleep=lambda s: None)
    frame = parse_data(client.data(127, [2019, 2023]), client.regions(), indicator_id=127)
    got = frame.set_index(["area_code", "period"])["value"]
    # read by hand from the recording: Helsinki (region 46) 2023 = 674 500, Espoo 2019 = 289 731
    assert got[("091", 2023)] == 674500 and got[("049", 2019)] == 289731
    assert len(frame) == 10
    # rows that carry absValue (indicator 171) parse the same way
    with_abs = parse_data(SAMPLE["171"], region_codes(RECORDED_REGIONS), indicator_id=171)
    assert with_abs.loc[with_abs.area_code == "091", "value"].tolist()[0] == 7.4


def test_recorded_indicator_metadata_gives_title_updated_and_years():
    meta = {k: v for k, v in HUS["186"].items() if k != "indicator_id"}  # added by the recorder
    assert check_indicator(meta, 186) == []
    assert meta["title"]["fi"] == "Kuolleisuus / 100 000 asukasta"
    assert indicator_updated(meta) == "2025-04-29"
    assert indicator_years(meta) == (1990, 2024)
    assert "not 187" in check_indicator(meta, 187)[0]
    assert check_indicator({"id": 186}, 186) == ["indicator metadata has no title"]

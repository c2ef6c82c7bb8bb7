import json
import math
from pathlib import Path

import pytest

from etl.pxweb_json import PxJsonError, is_px_json, parse_px_json, updated_stamp

REC = Path(__file__).parent / "fixtures" / "pxweb" / "recorded"


def load(name):
    return json.loads((REC / name).read_text("utf-8"))


def test_income_export_gives_one_row_per_cell_with_the_recorded_codes():
    doc = load("income_register_kunnat_14ww.json")
    cells = parse_px_json(doc, "contentscode")
    assert list(cells.columns) == ["alue_23_20250101", "timeperiod_y", "contentscode", "value",
                                   "flag"]
    assert len(cells) == 420 * 26
    sss = cells[cells["alue_23_20250101"] == "SSS"].set_index("contentscode")["value"]
    # read by hand from the file's SSS 2024 row
    assert sss["rpt_aste"] == 14.2 and sss["gini_kturaha"] == 28.4
    assert sss["tjt-henkiloita"] == 5505446 and sss["tjt-ekvikturaha_med"] == 30523
    assert sss["hkturaha18_med"] == 26605
    assert set(cells["timeperiod_y"]) == {"2024"}
    assert cells.attrs["updated"] == "2025-12-16T06:00:00Z"
    assert cells.attrs["source"] == "Tilastokeskus, tulonjakotilasto"


def test_confidential_symbol_is_a_flagged_gap_never_a_zero():
    cells = parse_px_json(load("income_register_kunnat_14ww.json"), "contentscode")
    # Akaa (KU020) 2024: pt1_lapsia '83', pt2_lapsia '...' in the file
    akaa = cells[cells["alue_23_20250101"] == "KU020"].set_index("contentscode")
    assert akaa.loc["pt1_lapsia", "value"] == 83 and akaa.loc["pt1_lapsia", "flag"] is None
    assert math.isnan(akaa.loc["pt2_lapsia", "value"])
    assert akaa.loc["pt2_lapsia", "flag"] == "confidential"
    assert (cells["flag"] == "confidential").sum() == 975  # every '...' in the file


def test_monthly_export_keeps_month_codes_and_area_order():
    cells = parse_px_json(load("unemployment_register_kunnat_12r5.json"), "contentscode")
    assert list(cells.columns[:3]) == ["Alue", "timeperiod_m", "contentscode"]
    assert set(cells["timeperiod_m"]) == {"2026M06"}
    hki = cells[cells["Alue"] == "KU091"].set_index("contentscode")["value"]
    # read by hand: Helsinki 2026M06
    assert hki["TYOTTOMATLOPUSSA"] == 52578 and hki["TYOVOIMATK"] == 370847
    assert hki["AVPAIKATLOPUSSA"] == 1831 and hki["TYOTOSUUS"] == 14.2


def test_key_columns_are_read_by_type_whatever_their_position():
    # 12bs has the year first, 11ra the area first
    cells = parse_px_json(load("education_register_kunnat_12bs.json"), "contentscode")
    mk01 = cells[cells["alue_23_20260101"] == "MK01"].set_index("contentscode")["value"]
    assert mk01["kaste5T8osuus"] == 40.9 and mk01["vktm"] == 444.6
    assert mk01["vaesto_15_"] == 1525749


@pytest.mark.parametrize("text, value, flag", [
    ("-", 0.0, None), (".", None, "missing"), ("..", None, "confidential"),
    ("...", None, "confidential"), ("12.5", 12.5, None), ("12.5p", 12.5, "p"), (None, None,
                                                                                 "missing"),
])
def test_statistics_finland_symbols(text, value, flag):
    doc = {"columns": [{"code": "Alue", "type": "d"}, {"code": "x", "type": "c"}],
           "data": [{"key": ["SSS"], "values": [text]}], "metadata": []}
    cells = parse_px_json(doc, "contentscode")
    got = cells["value"].item()
    assert (math.isnan(got) if value is None else got == value)
    assert cells["flag"].item() == flag


@pytest.mark.parametrize("doc, message", [
    ({"columns": [{"code": "Alue", "type": "d"}, {"code": "x", "type": "c"}],
      "data": [{"key": ["SSS", "2024"], "values": ["1"]}]}, "key of 2 codes"),
    ({"columns": [{"code": "Alue", "type": "d"}, {"code": "x", "type": "c"}],
      "data": [{"key": ["SSS"], "values": ["1", "2"]}]}, "2 values"),
    ({"columns": [{"code": "Alue", "type": "d"}], "data": []}, "no content column"),
    ({"columns": [{"code": "Alue", "type": "d"}, {"code": "x", "type": "c"}],
      "data": [{"key": ["SSS"], "values": ["<b>12</b>"]}]}, "neither a number"),
    ({"columns": [{"text": "Alue", "type": "d"}], "data": []}, "needs a 'code'"),
    ({"rows": []}, "not a PxWeb json export"),
])
def test_damaged_exports_are_clear_errors(doc, message):
    with pytest.raises(PxJsonError, match=message):
        parse_px_json(doc, "contentscode")


def test_truncated_bytes_are_a_clear_error():
    raw = (REC / "age_register_kunnat_11ra.json").read_bytes()
    with pytest.raises(PxJsonError, match="not valid JSON"):
        parse_px_json(raw[: len(raw) // 2], "contentscode")


def test_updated_stamp_and_shape_detection():
    doc = load("age_register_kunnat_11ra.json")
    assert updated_stamp(doc) == "2026-05-29T05:00:00Z"
    assert is_px_json(doc) and not is_px_json({"class": "dataset"})
    assert updated_stamp({"metadata": []}) is None

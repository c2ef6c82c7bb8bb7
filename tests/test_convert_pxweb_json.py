from pathlib import Path

import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.pxweb_json import (
    annual_table,
    parse_pxweb_json,
    read_pxweb_json,
    today_codes,
    wide_values,
    year,
)
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw" / "statfin_pxweb_2026_maps"
DIVISION = Division(registry_frame(), successors_frame())


def doc(rows, contents=("a", "b")):
    return {"columns": [{"code": "alue_23_20260101", "text": "Alue", "type": "d"},
                        {"code": "timeperiod_y", "text": "Vuosi", "type": "t"},
                        *[{"code": c, "text": c, "type": "c"} for c in contents]],
            "data": [{"key": key, "values": values} for key, values in rows],
            "metadata": [{"updated": "2026-05-29T05.00.00Z"}]}


def test_parse_gives_one_row_per_cell_with_symbols_kept():
    long = parse_pxweb_json(doc([(["KU167", "2025"], ["79129", "..."]),
                                 (["SSS", "2025"], ["-13377", "14.3"])]), "x.json")
    assert len(long) == 4
    cell = long.set_index(["area", "content"])
    assert cell.loc[("KU167", "a"), "value"] == 79129.0
    assert pd.isna(cell.loc[("KU167", "b"), "value"])
    assert cell.loc[("KU167", "b"), "symbol"] == "..."
    assert cell.loc[("SSS", "a"), "value"] == -13377.0 and cell.loc[("SSS", "b"), "value"] == 14.3


def test_key_order_follows_the_columns():
    reordered = doc([(["2025", "KU167"], ["1", "2"])])
    reordered["columns"][0], reordered["columns"][1] = (reordered["columns"][1],
                                                        reordered["columns"][0])
    long = parse_pxweb_json(reordered, "x.json")
    assert set(long["area"]) == {"KU167"} and set(long["period"]) == {"2025"}


@pytest.mark.parametrize("broken, message", [
    ({"columns": []}, "not a PxWeb json export"),
    (doc([(["KU167", "2025"], ["1"])]), "data row 0 does not match"),
    (doc([(["KU167", "2025"], ["1", "12,5"])]), "unreadable cell '12,5'"),
    (doc([(["KU167", "2025"], ["1", "<b>"])]), "unreadable cell"),
    ({"columns": [{"code": "a", "type": "c"}], "data": []}, "expected one area, one time"),
    ({"columns": [{"type": "d"}], "data": []}, "lacks its code"),
])
def test_bad_documents_name_the_file_and_problem(broken, message):
    with pytest.raises(ConvertError, match="x.json") as info:
        parse_pxweb_json(broken, "x.json")
    assert message in str(info.value)


def test_read_errors_name_the_file(tmp_path):
    with pytest.raises(ConvertError, match="missing"):
        read_pxweb_json(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConvertError, match="bad.json: not valid JSON"):
        read_pxweb_json(bad)


def test_recorded_export_reads():
    long = read_pxweb_json(RAW / "age_register_kunnat_11ra.json")
    assert set(long["content"]) == {"vaerak-vaesto", "vaesto_alle15_p", "vaesto_yli64_p",
                                    "vaesto_keski_ika"}
    sss = long.loc[(long.area == "SSS") & (long.content == "vaerak-vaesto"), "value"]
    assert sss.tolist() == [5652881.0]


def test_today_codes_keeps_levels_and_drops_other_area_types():
    codes = pd.Series(["SSS", "MK12", "SK122", "KU167", "KU091", "HVA12", "ELY10", "MA1", "FI1D",
                       "KU199", "KUJOU", "MK91", "MKJO", "SK902", "SKJOU"])
    out = today_codes(codes, DIVISION, "t")
    assert out[:5].tolist() == ["SSS", "MK12", "SK122", "167", "091"]
    assert out[5:].isna().all()


def test_today_codes_refuses_codes_not_on_todays_division():
    with pytest.raises(ConvertError, match="t: area KU999 is not on today's division"):
        today_codes(pd.Series(["KU999"]), DIVISION, "t")
    with pytest.raises(ConvertError, match="MK03"):
        today_codes(pd.Series(["MK03"]), DIVISION, "t")
    # a merged-away municipality: refused in a table of published values, mapped in counts
    with pytest.raises(ConvertError, match="KU588"):
        today_codes(pd.Series(["KU588"]), DIVISION, "t")
    assert today_codes(pd.Series(["KU588"]), DIVISION, "t", allow_merged=True).tolist() == ["507"]


def test_wide_values_and_year_checks():
    long = parse_pxweb_json(doc([(["KU167", "2025"], ["1", "..."])]), "x.json")
    wide = wide_values(long, ["a", "b"], "x.json")
    assert wide.loc[0, "a"] == 1.0 and wide.loc[0, "b_symbol"] == "..."
    with pytest.raises(ConvertError, match=r"x.json: content codes missing \['c'\]"):
        wide_values(long, ["a", "c"], "x.json")
    twice = pd.concat([long, long])
    with pytest.raises(ConvertError, match="appear twice"):
        wide_values(twice, ["a"], "x.json")
    with pytest.raises(ConvertError, match="not years"):
        year(pd.Series(["2026M06"]), "x.json")


def test_annual_table_is_on_todays_codes_with_integer_years():
    long = read_pxweb_json(RAW / "education_register_kunnat_12bs.json")
    data = annual_table(long, ["vaesto_15_", "vktm"], DIVISION, "12bs")
    assert "MA1" not in set(data["area_code"])  # mainland Finland is another area type
    assert {"SSS", "MK12", "167", "091"} <= set(data["area_code"])
    assert data["period"].tolist() == [2025] * len(data)


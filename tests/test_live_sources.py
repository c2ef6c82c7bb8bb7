import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.live_sources import (
    SourceError,
    derive,
    period_of,
    plan_pxweb,
    pxweb_area_code,
    pxweb_cells_to_frame,
    specs_from_catalog,
    title_problem,
    to_observations,
)
from indicators.catalog import load_catalog

FIX = Path(__file__).parent / "fixtures" / "pxweb"
META = json.loads((FIX / "meta_tyokay_115p.json").read_text("utf-8"))


def spec(ident):
    return specs_from_catalog(only=[ident])[0]


def test_every_catalog_entry_has_a_live_spec():
    specs = specs_from_catalog()
    # the context indicators of issue 9 (scored = false) get their live blocks from the ETL work
    assert {s.indicator_id for s in specs} >= {e["id"] for e in load_catalog()
                                               if e.get("scored", True)}
    assert {s.kind for s in specs} == {"pxweb", "sotkanet"}
    assert spec("low_income_rate").table_id == "sotkanet:3099"
    assert spec("job_self_sufficiency").source_id == "live:job_self_sufficiency"


def test_only_unknown_id_is_a_clear_error():
    with pytest.raises(SourceError, match="no live source for \\['nope'\\]"):
        specs_from_catalog(only=["nope"])
    assert [s.indicator_id for s in specs_from_catalog(only=["live:low_income_rate"])] == [
        "low_income_rate"]


@pytest.mark.parametrize("code, expected", [
    ("SSS", "SSS"), ("MK01", "MK01"), ("SK011", "SK011"), ("KU005", "005"), ("091", "091"),
    ("ELY01", None), ("HV01", None), ("MA1", None), ("KU05", None),
])
def test_pxweb_area_codes(code, expected):
    assert pxweb_area_code(code) == expected


@pytest.mark.parametrize("code, expected", [
    ("2024", 2024), ("2022-2024", 2024), ("2022–2024", 2024), ("2024M01", None),
    ("2024Q1", None), ("vuosi", None)])
def test_period_of(code, expected):
    assert period_of(code) == expected


def test_plan_selects_known_areas_and_years_and_both_measures():
    known = {c.removeprefix("KU") for c in META["variables"][0]["values"]}
    known.discard("005")  # pretend one municipality was merged away
    plan = plan_pxweb(spec("job_self_sufficiency"), META, known, last_year=2027)
    assert plan.selection["contentscode"] == ["tyokay-tyopaikat", "tyokay-tyolliset"]
    assert plan.selection["timeperiod_y"] == ["2014", "2015", "2016"]
    assert "KU005" not in plan.selection["alue_23_20260101"]
    assert len(plan.selection["alue_23_20260101"]) == len(known)
    assert "skipped 1 area codes" in plan.notes[0]


def test_plan_names_a_renamed_variable_and_a_missing_value_code():
    meta = json.loads(json.dumps(META))
    meta["variables"][0]["code"] = "alue_23_20270101"
    with pytest.raises(SourceError) as err:
        plan_pxweb(spec("job_self_sufficiency"), meta, {"005"})
    assert "'alue_23_20260101' is not in the table" in str(err.value)
    assert "alue_23_20270101" in str(err.value)
    with pytest.raises(SourceError, match="tyokay-asuinkunnassaan_tyossakayvat"):
        plan_pxweb(spec("works_in_home_municipality"), META, {"005"})


def test_plan_refuses_a_variable_that_cannot_be_left_out():
    meta = json.loads(json.dumps(META))
    meta["variables"].append({"code": "sukupuoli_9_20180101", "text": "Sukupuoli",
                              "values": ["SSS", "1", "2"], "valueTexts": ["a", "b", "c"]})
    with pytest.raises(SourceError, match="'sukupuoli_9_20180101' cannot be left out"):
        plan_pxweb(spec("job_self_sufficiency"), meta, {"005"})


def test_ratio_from_cells_and_flags():
    cells = pd.DataFrame({
        "alue_23_20260101": ["KU005", "KU005", "KU009", "KU009"],
        "timeperiod_y": ["2016"] * 4,
        "contentscode": ["tyokay-tyopaikat", "tyokay-tyolliset"] * 2,
        "value": [3332.0, 3555.0, np.nan, 1100.0],
        "flag": [None, None, "confidential", None]})
    frame = pxweb_cells_to_frame(cells, spec("job_self_sufficiency"))
    obs = to_observations(frame, spec("job_self_sufficiency"))
    assert obs.loc[obs.area_code == "005", "value"].item() == pytest.approx(3332 / 3555 * 100)
    row = obs[obs.area_code == "009"]
    assert np.isnan(row["value"].item()) and row["flag"].item() == "confidential"
    assert set(obs.columns) == {"indicator_id", "area_code", "period", "value", "flag",
                                "source_id"}


def test_cells_with_foreign_area_codes_are_refused():
    cells = pd.DataFrame({"alue_23_20260101": ["ELY01"], "timeperiod_y": ["2016"],
                          "contentscode": ["vaerak-taajama_aste"], "value": [1.0],
                          "flag": [None]})
    with pytest.raises(SourceError, match="not SSS/MK/SK/KU"):
        pxweb_cells_to_frame(cells, spec("urbanisation_degree"))


def test_change_pct_needs_the_previous_year():
    frame = pd.DataFrame({"area_code": ["005", "005", "005", "009", "009"],
                          "period": [2017, 2018, 2020, 2018, 2019],
                          "value": [100.0, 110.0, 120.0, 50.0, np.nan],
                          "flag": [None, None, None, None, "missing"]})
    out = derive(frame, "change_pct", 1.0)
    assert list(zip(out.area_code, out.period, strict=True)) == [("005", 2018), ("009", 2019)]
    assert out["value"][0] == pytest.approx(10.0)
    assert np.isnan(out["value"][1]) and out["flag"][1] == "missing"


def test_title_problem():
    assert title_problem({"fi": "Kunnan yleinen pienituloisuusaste"}, "pienituloisuusaste") \
        is None
    assert title_problem({"fi": "Toimeentulotukea saaneet 25 - 64-vuotiaat"},
                         "Toimeentulotukea saaneet 25–64") is None
    problem = title_problem({"fi": "Syöpäindeksi"}, "Sairastavuusindeksi")
    assert "wrong id" in problem and "Syöpäindeksi" in problem

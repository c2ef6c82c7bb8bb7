import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.live_derive import (
    DeriveError,
    combine_flags,
    derive,
    month_of,
    municipal_parents,
    period_of,
    pxweb_area_code,
    wide_by_role,
)
from etl.pxweb_json import parse_px_json
from indicators.regions import areas_frame

REC = Path(__file__).parent / "fixtures" / "pxweb" / "recorded"
AREAS = areas_frame()
KNOWN = set(AREAS["code"])
PARENTS = municipal_parents(AREAS)


def wide(name, area, roles, time="timeperiod_y", frequency="year"):
    cells = parse_px_json(json.loads((REC / name).read_text("utf-8")), "contentscode")
    return wide_by_role(cells, area_var=area, time_var=time, role_var="contentscode",
                        roles=roles, frequency=frequency, known_areas=KNOWN)


def by_area(frame):
    return frame.set_index("area_code")["value"]


def test_published_share_where_published_and_municipal_sums_elsewhere():
    w, notes = wide("education_register_kunnat_12bs.json", "alue_23_20260101",
                    {"value": "kaste5T8osuus", "numerator": "kaste5T8",
                     "denominator": "vaesto_15_"})
    assert notes and "MA1" in notes[0]  # mainland / Åland are not on Tilannekuva's division
    out = derive(w, "published_or_ratio", 100.0, parents=PARENTS)
    got = by_area(out)
    # published, read by hand from the file
    assert got["SSS"] == 34.5 and got["MK01"] == 40.9 and got["407"] == 23.1
    # SK016 Loviisa (Lapinjärvi 407 + Loviisa 434): (493 + 3414) / (2134 + 12449) × 100
    assert got["SK016"] == pytest.approx((493 + 3414) / (2134 + 12449) * 100)
    assert len(out) == 1 + 19 + 69 + 308 and not out.duplicated(["area_code", "period"]).any()


def test_recomputed_from_counts_equals_published_to_published_precision():
    w, _ = wide("education_register_kunnat_12bs.json", "alue_23_20260101",
                {"value": "kaste5T8osuus", "numerator": "kaste5T8", "denominator": "vaesto_15_"})
    recomputed = w["numerator"] / w["denominator"] * 100
    assert ((recomputed - w["value"]).abs() <= 0.05 + 1e-9).all()
    w, _ = wide("income_register_kunnat_14ww.json", "alue_23_20250101",
                {"value": "rpt_aste", "numerator": "rpt_henkilo", "denominator": "tjt-henkiloita"})
    ok = w["value"].notna() & w["numerator"].notna()
    recomputed = w.loc[ok, "numerator"] / w.loc[ok, "denominator"] * 100
    assert ok.sum() > 390
    assert ((recomputed - w.loc[ok, "value"]).abs() <= 0.05 + 1e-9).all()


def test_vital_statistics_sum_to_subregions_and_regions():
    w, _ = wide("population_register_kunnat_121w.json", "alue_23_20260101",
                {"numerator": "ssaaty-luonvalisays", "denominator": "ssaaty-vaesto"})
    assert set(map(len, w["area_code"])) == {3}  # 121w: SSS and municipalities only
    out = derive(w, "ratio", 1000.0, parents=PARENTS)
    got = by_area(out)
    # SK016 Loviisa: (−21 − 120) / (2430 + 14196) × 1000, read by hand from the file
    assert got["SK016"] == pytest.approx((-21 - 120) / (2430 + 14196) * 1000)
    assert got["SSS"] == pytest.approx(-13377 / 5652881 * 1000)   # the published SSS row
    munis = w[w["area_code"] != "SSS"]
    # the municipal sums are the country's published counts
    assert munis["numerator"].sum() == -13377 and munis["denominator"].sum() == 5652881
    assert {"MK01", "MK21"} <= set(out["area_code"]) and len(out) == 397


def test_an_aggregate_with_a_municipality_missing_is_missing_not_partial():
    w, _ = wide("population_register_kunnat_121w.json", "alue_23_20260101",
                {"numerator": "ssaaty-luonvalisays", "denominator": "ssaaty-vaesto"})
    w = w[w["area_code"] != "091"]  # Helsinki absent from the answer
    out = derive(w, "ratio", 1000.0, parents=PARENTS).set_index("area_code")
    assert math.isnan(out.loc["MK01", "value"]) and out.loc["MK01", "flag"] == "missing"
    assert math.isnan(out.loc["SK011", "value"])
    assert not math.isnan(out.loc["MK02", "value"])


def test_ratio_of_published_counts_at_every_level():
    w, _ = wide("income_register_kunnat_14ww.json", "alue_23_20250101",
                {"numerator": "pt1_henkiloita", "denominator": "tjt-henkiloita"})
    got = by_area(derive(w, "ratio", 100.0))
    assert got["SSS"] == pytest.approx(248944 / 5505446 * 100)
    assert got["SK016"] == pytest.approx(517 / 16408 * 100)  # 14ww publishes sub-regions


def test_confidential_counts_give_a_flagged_gap():
    w = pd.DataFrame({"area_code": ["005"], "period": [2024], "numerator": [np.nan],
                      "numerator_flag": ["confidential"], "denominator": [10.0],
                      "denominator_flag": [None]})
    out = derive(w, "ratio", 100.0)
    assert math.isnan(out["value"].item()) and out["flag"].item() == "confidential"


def test_change_from_the_previous_year_uses_the_stored_series_when_the_answer_lacks_it():
    w, _ = wide("age_register_kunnat_11ra.json", "alue_23_20260101", {"value": "vaerak-vaesto"})
    assert derive(w, "change_pct", previous=None).empty
    stored = pd.DataFrame({"area_code": ["091", "SSS"], "period": [2024, 2024],
                           "value": [684018.0, 5635971.0]})
    out = by_area(derive(w, "change_pct", previous=stored))
    assert set(out.index) == {"091", "SSS"}
    assert out["091"] == pytest.approx((694392 / 684018 - 1) * 100)


def test_wide_by_role_rejects_wrong_frequency_duplicates_and_missing_roles():
    cells = parse_px_json(json.loads((REC / "unemployment_register_kunnat_12r5.json")
                                     .read_text("utf-8")), "contentscode")
    with pytest.raises(DeriveError, match="not years"):
        wide_by_role(cells, area_var="Alue", time_var="timeperiod_m", role_var="contentscode",
                     roles={"value": "TYOTOSUUS"}, frequency="year", known_areas=KNOWN)
    w, notes = wide_by_role(cells, area_var="Alue", time_var="timeperiod_m",
                            role_var="contentscode", roles={"u": "TYOTTOMATLOPUSSA"},
                            frequency="month", known_areas=KNOWN)
    assert set(w["period"]) == {"2026-06"} and len(w) == 397
    assert notes == ["left out 24 area codes not on today's division: ['ELY01', 'ELY02', "
                     "'ELY03', 'ELY04', 'ELY05', 'ELY06']"]
    with pytest.raises(DeriveError, match="no cells for value 'NOPE'"):
        wide_by_role(cells, area_var="Alue", time_var="timeperiod_m", role_var="contentscode",
                     roles={"value": "NOPE"}, frequency="month", known_areas=KNOWN)
    with pytest.raises(DeriveError, match="several cells"):
        wide_by_role(pd.concat([cells, cells]), area_var="Alue", time_var="timeperiod_m",
                     role_var="contentscode", roles={"u": "TYOTTOMATLOPUSSA"},
                     frequency="month", known_areas=KNOWN)
    with pytest.raises(DeriveError, match="lacks the variables"):
        wide_by_role(cells, area_var="alue_23_20260101", time_var="timeperiod_m",
                     role_var="contentscode", roles={}, frequency="month", known_areas=KNOWN)


def test_codes_and_flags():
    assert [pxweb_area_code(c) for c in ("SSS", "MK01", "SK011", "KU005", "ELY01", "HV01")] == \
        ["SSS", "MK01", "SK011", "005", None, None]
    assert period_of("2024") == 2024 and period_of("2022-2024") == 2024 and period_of("x") is None
    assert month_of("2026M06") == "2026-06" and month_of("2026") is None
    flags = combine_flags(np.array([None, "p", "missing"], dtype=object),
                          np.array(["confidential", None, "p"], dtype=object))
    assert list(flags) == ["confidential", "p", "missing"]
    with pytest.raises(DeriveError, match="unknown derivation"):
        derive(pd.DataFrame({"area_code": [], "period": []}), "sum")

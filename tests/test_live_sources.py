import pandas as pd
import pytest
from live_fakes import metadata

from etl.live_sources import (
    SourceError,
    monthly_series_codes,
    pxweb_area_code,
    specs_from_catalog,
    title_problem,
    to_observations,
)
from etl.pxweb_plan import TableRequest, plan_table
from indicators.catalog import load_catalog
from indicators.regions import areas_frame

KNOWN = set(areas_frame()["code"])


def spec(ident):
    return specs_from_catalog(only=[ident])[0]


def test_every_catalog_entry_has_a_live_spec():
    specs = specs_from_catalog()
    assert {s.indicator_id for s in specs} == {e["id"] for e in load_catalog()}
    assert {s.kind for s in specs} == {"pxweb", "sotkanet", "none"}
    assert spec("low_income_rate").table_id == "StatFin/tjt/14ww.px"
    assert spec("morbidity_index").table_id == "sotkanet:5641"
    assert spec("enterprise_birth_rate").table_id == "none"
    assert spec("low_income_rate").source_id == "live:low_income_rate"


@pytest.mark.parametrize("ident, derive, roles", [
    ("low_income_rate", "value", {"value": "rpt_aste"}),
    ("basic_security_share", "ratio", {"numerator": "pt1_henkiloita",
                                       "denominator": "tjt-henkiloita"}),
    ("tertiary_education_share", "published_or_ratio",
     {"value": "kaste5T8osuus", "numerator": "kaste5T8", "denominator": "vaesto_15_"}),
    ("population_change", "change_pct", {"value": "vaerak-vaesto"}),
    ("employed_change", "change_pct", {"value": None}),  # the table's only content
    ("offences_per_1000", "ratio", {"numerator": "rikokset_lkm"}),  # denominator: 11ra
    ("unemployment_rate", "annual_ratio", {}),
])
def test_roles_and_derivations(ident, derive, roles):
    s = spec(ident)
    assert s.derive == derive and s.roles == roles


def test_monthly_series_and_their_codes():
    assert spec("unemployment_rate").series == {"numerator": "unemployed",
                                                "denominator": "labour_force"}
    codes = monthly_series_codes("tyonv/12r5.px")
    assert codes["unemployed"] == "TYOTTOMATLOPUSSA" and codes["labour_force"] == "TYOVOIMATK"
    assert len(codes) == 9


def test_only_unknown_id_is_a_clear_error():
    with pytest.raises(SourceError, match="no live source for \\['nope'\\]"):
        specs_from_catalog(only=["nope"])
    assert [s.indicator_id for s in specs_from_catalog(only=["live:low_income_rate"])] == [
        "low_income_rate"]


def test_plan_unions_the_contents_of_every_indicator_of_a_table():
    reqs = [TableRequest(s, "StatFin", "tjt/14ww.px", tuple(spec(s).roles.items()))
            for s in ("low_income_rate", "median_income", "basic_security_share")]
    plan = plan_table(reqs, metadata("tjt/14ww.px"), KNOWN, 2027)
    assert not plan.failures
    assert plan.selection["contentscode"] == ["rpt_aste", "tjt-ekvikturaha_med",
                                              "pt1_henkiloita", "tjt-henkiloita"]
    assert list(plan.selection) == ["alue_23_20250101", "timeperiod_y", "contentscode"]
    assert plan.selection["timeperiod_y"] == ["2024"]
    areas = plan.selection["alue_23_20250101"]
    assert len(areas) == 397 and "HV01" not in areas and "KU020" in areas


def test_plan_fails_only_the_request_that_does_not_resolve():
    reqs = [TableRequest("ok", "StatFin", "vaerak/11ra.px", (("value", "vaerak-vaesto"),)),
            TableRequest("bad", "StatFin", "vaerak/11ra.px", (("value", "label~taajama"),))]
    plan = plan_table(reqs, metadata("vaerak/11ra.px"), KNOWN, 2027)
    assert set(plan.resolved) == {"ok"} and "taajama" in plan.failures["bad"]
    assert plan.selection["contentscode"] == ["vaerak-vaesto"]


def test_plan_keeps_the_levels_and_years_asked_for():
    req = TableRequest("x", "StatFin", "vaerak/11ra.px", (("value", "vaerak-vaesto"),),
                       levels=("country", "region"))
    plan = plan_table([req], metadata("vaerak/11ra.px"), KNOWN, 2027)
    assert plan.selection["alue_23_20260101"] == ["SSS"] + [
        c for c in metadata("vaerak/11ra.px")["variables"][0]["values"] if c.startswith("MK")]
    late = TableRequest("x", "StatFin", "vaerak/11ra.px", (("value", "vaerak-vaesto"),),
                        since=2026)
    plan = plan_table([late], metadata("vaerak/11ra.px"), KNOWN, 2027)
    assert "offers nothing from 2026" in plan.failures["x"]


def test_to_observations_keeps_the_spec_levels():
    derived = pd.DataFrame({"area_code": ["SSS", "MK01", "SK011", "091"], "period": [2025] * 4,
                            "value": [1.0, 2.0, 3.0, 4.0], "flag": [None] * 4})
    obs = to_observations(derived, spec("gdp_per_capita"))  # country, region, subregion
    assert list(obs["area_code"]) == ["SSS", "MK01", "SK011"]
    assert set(obs.columns) == {"indicator_id", "area_code", "period", "value", "flag",
                                "source_id"}
    assert pxweb_area_code("KU091") == "091"


def test_title_problem():
    assert title_problem({"fi": "Kunnan yleinen pienituloisuusaste"}, "pienituloisuusaste") \
        is None
    assert title_problem({"fi": "Toimeentulotukea saaneet 25 - 64-vuotiaat"},
                         "Toimeentulotukea saaneet 25–64") is None
    problem = title_problem({"fi": "Syöpäindeksi"}, "Sairastavuusindeksi")
    assert "wrong id" in problem and "Syöpäindeksi" in problem

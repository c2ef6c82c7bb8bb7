import copy
import json

import pytest
from live_fakes import EXPORTS, RECORDED

from indicators.catalog import (
    CATALOG_PATH,
    catalog_frame,
    dimension_ids,
    load_catalog,
    validate_catalog,
)

# plan/CONTRACTS.md "Newest sources per indicator": table and contents, codes as recorded
CONTRACT = {
    "tertiary_education_share": ("vkour/12bs.px", {"kaste5T8osuus", "kaste5T8", "vaesto_15_"}),
    "upper_secondary_or_higher_share": ("vkour/12bs.px",
                                        {"kaste3T8osuus", "kaste3T8", "vaesto_15_"}),
    "no_post_basic_share": ("vkour/12bs.px", {"kaste0osuus", "kaste0", "vaesto_15_"}),
    "education_level_index": ("vkour/12bs.px", {"vktm"}),
    "low_income_rate": ("tjt/14ww.px", {"rpt_aste"}),
    "child_low_income_rate": ("tjt/14ww.px", {"rpt_l_aste"}),
    "persistent_low_income_rate": ("tjt/14ww.px", {"pit_rpt_aste"}),
    "median_income": ("tjt/14ww.px", {"tjt-ekvikturaha_med"}),
    "gini_coefficient": ("tjt/14ww.px", {"gini_kturaha"}),
    "basic_security_share": ("tjt/14ww.px", {"pt1_henkiloita", "tjt-henkiloita"}),
    "population": ("vaerak/11ra.px", {"vaerak-vaesto"}),
    "share_65_plus": ("vaerak/11ra.px", {"vaesto_yli64_p"}),
    "mean_age": ("vaerak/11ra.px", {"vaesto_keski_ika"}),
    "natural_increase_per_1000": ("ssaaty/121w.px", {"ssaaty-luonvalisays", "ssaaty-vaesto"}),
    "net_internal_migration_per_1000": ("ssaaty/121w.px", {"ssaaty-vm43_netto", "ssaaty-vaesto"}),
    "net_immigration_per_1000": ("ssaaty/121w.px", {"ssaaty-vm4142", "ssaaty-vaesto"}),
    "population_change": ("vaerak/11ra.px", {"vaerak-vaesto"}),
}


def live(ident):
    return next(e for e in load_catalog() if e["id"] == ident)["live"]


def test_every_indicator_has_a_live_block_and_each_cites_its_evidence():
    entries = load_catalog()
    assert all("live" in e for e in entries)
    for e in entries:
        block = e["live"]
        if block["kind"] == "none":
            assert len(block["note"]) > 40, e["id"]
        else:
            assert len(block["evidence"]) > 40, e["id"]
    assert "uncertain" not in CATALOG_PATH.read_text(encoding="utf-8")
    per_dim = catalog_frame().dropna(subset=["live_kind"]).groupby("dimension").size()
    assert set(per_dim.index) == set(dimension_ids())


@pytest.mark.parametrize("ident", sorted(CONTRACT))
def test_contract_indicators_name_the_recorded_table_and_codes_byte_for_byte(ident):
    table, codes = CONTRACT[ident]
    block = live(ident)
    assert block["kind"] == "pxweb" and block["table"] == table
    named = {block[k] for k in ("value", "numerator", "denominator") if k in block}
    assert named == codes
    recorded = json.loads((RECORDED / EXPORTS[table]).read_text("utf-8"))
    offered = {c["code"] for c in recorded["columns"] if c["type"] == "c"}
    assert codes <= offered
    assert EXPORTS[table] in block["evidence"]


def test_monthly_indicators_use_the_monthly_series():
    assert live("unemployment_rate")["series"] == {"numerator": "unemployed",
                                                   "denominator": "labour_force"}
    assert live("vacancies_per_100_unemployed")["series"] == {"numerator": "open_vacancies",
                                                              "denominator": "unemployed"}
    assert live("unemployment_rate")["table"] == "tyonv/12r5.px"


def test_refuted_codes_are_gone():
    assert live("gdp_per_capita")["table"] != "altp/12bf.px"
    assert live("works_in_home_municipality")["table"] != "tyokay/115p.px"
    assert live("job_self_sufficiency")["table"] == "tyokay/125s.px"
    assert live("enterprise_birth_rate")["kind"] == "none"
    for ident in ("offences_per_1000", "harm_offences_per_1000"):
        assert live(ident)["table"] != "rpk/13ex.px"
    assert live("morbidity_index")["indicator"] == 5641  # the successor of 243/244


def entry(kind):
    e = next(e for e in load_catalog() if e["live"]["kind"] == kind)
    return copy.deepcopy(dict(e))


@pytest.mark.parametrize("kind, mutate, expected", [
    ("pxweb", lambda b: b.update(kind="px"), "kind 'px'"),
    ("pxweb", lambda b: b.pop("evidence"), "lacks 'evidence'"),
    ("pxweb", lambda b: b.update(table="vaerak/11ra"), "folder/id.px"),
    ("pxweb", lambda b: b.update(select={"sukupuoli": "SSS"}), "'select' has the wrong type"),
    ("pxweb", lambda b: b.update(select=[{"variable": "sukupuoli"}]), "select items must be"),
    ("pxweb", lambda b: b.update(value="label:"), "empty label: reference"),
    ("pxweb", lambda b: (b.update(derive="ratio"), b.pop("denominator", None)),
     "needs a denominator"),
    ("pxweb", lambda b: b.update(levels=["county"]), "levels must be"),
    ("pxweb", lambda b: b.update(area="alue_23_20260101"), "unknown key 'area'"),
    ("pxweb", lambda b: b.update(since="2010"), "'since' has the wrong type"),
    ("pxweb", lambda b: b.update(rollup="yes"), "'rollup' has the wrong type"),
    ("pxweb", lambda b: b.update(series={"numerator": "nope", "denominator": "unemployed"}),
     "series 'nope' is not in indicators/monthly.toml"),
    ("sotkanet", lambda b: b.update(indicator="3099"), "'indicator' has the wrong type"),
    ("sotkanet", lambda b: b.pop("title_contains"), "lacks 'title_contains'"),
    ("sotkanet", lambda b: b.update(database="StatFin"), "unknown key 'database'"),
    ("sotkanet", lambda b: b.update(derive="sum"), "derive 'sum'"),
    ("none", lambda b: b.pop("note"), "lacks 'note'"),
])
def test_live_block_typos_are_caught(kind, mutate, expected):
    e = entry(kind)
    mutate(e["live"])
    problems = validate_catalog([e], dimension_ids())
    assert any(expected in p and p.startswith(f"{e['id']}: live:") for p in problems), problems


def test_published_or_ratio_needs_all_three_codes():
    e = copy.deepcopy(dict(next(x for x in load_catalog()
                                if x["id"] == "tertiary_education_share")))
    assert validate_catalog([e], dimension_ids()) == []
    e["live"].pop("numerator")
    assert any("needs value, numerator and denominator" in p
               for p in validate_catalog([e], dimension_ids()))

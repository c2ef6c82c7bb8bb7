import copy

import pytest
from live_fakes import metadata

from etl.pxweb_resolve import ResolveError, find_value, resolve, unprefixed, variables


@pytest.mark.parametrize("table, area, time, frequency", [
    ("vaerak/11ra.px", "alue_23_20260101", "timeperiod_y", "year"),
    ("tjt/14ww.px", "alue_23_20250101", "timeperiod_y", "year"),
    ("vkour/12bs.px", "alue_23_20260101", "timeperiod_y", "year"),
    ("ssaaty/121w.px", "alue_23_20260101", "timeperiod_y", "year"),
    ("tyonv/12r5.px", "Alue", "timeperiod_m", "month"),
])
def test_area_and_time_variables_are_found_whatever_their_vintage(table, area, time, frequency):
    r = resolve(metadata(table), table, {"value": None} if table == "vaerak/11re.px" else
                {"value": metadata(table)["variables"][-1]["values"][0]})
    assert (r.area.code, r.time.code, r.frequency) == (area, time, frequency)
    assert r.contents.code == "contentscode"


@pytest.mark.parametrize("table, ref, code", [
    ("vaerak/11ra.px", "vaerak-vaesto", "vaerak-vaesto"),   # exactly as recorded
    ("vaerak/11ra.px", "vaesto", "vaerak-vaesto"),          # without the prefix
    ("vaerak/11ra.px", "vaerak-vaesto_yli64_p", "vaesto_yli64_p"),  # with a prefix it lacks
    ("tjt/14ww.px", "henkiloita", "tjt-henkiloita"),
    ("tjt/14ww.px", "tjt-rpt_aste", "rpt_aste"),
    ("ssaaty/121w.px", "vaesto", "ssaaty-vaesto"),
    ("tyonv/12r5.px", "TYOTTOMATLOPUSSA", "TYOTTOMATLOPUSSA"),
    ("tjt/14ww.px", "label:Gini-kerroin, käytettävissä olevat rahatulot", "gini_kturaha"),
    ("vkour/12bs.px", "label~koulutustasomittain", "vktm"),
])
def test_contents_are_found_by_code_with_or_without_prefix_or_by_label(table, ref, code):
    r = resolve(metadata(table), table, {"value": ref})
    assert r.roles == {"value": code}


def test_a_miss_names_table_variable_and_codes_on_offer():
    with pytest.raises(ResolveError) as err:
        resolve(metadata("vaerak/11ra.px"), "StatFin/vaerak/11ra.px",
                {"value": "vaerak-taajama_aste"})
    text = str(err.value)
    assert text.startswith("StatFin/vaerak/11ra.px: ")
    assert "'vaerak-taajama_aste'" in text and "variable 'contentscode'" in text
    assert "vaerak-vaesto, vaesto_alle15_p, vaesto_yli64_p, vaesto_keski_ika" in text


def test_an_ambiguous_label_or_prefix_fails_naming_every_match():
    with pytest.raises(ResolveError, match="ambiguous: gini_kturaha, gini_bruttotu, "
                                           "gini_tuotektu"):
        resolve(metadata("tjt/14ww.px"), "tjt/14ww.px", {"value": "label~Gini-kerroin"})
    meta = copy.deepcopy(metadata("vaerak/11ra.px"))
    contents = meta["variables"][-1]
    contents["values"].append("kuol-vaesto")
    contents["valueTexts"].append("Väestö (kuolleisuus)")
    with pytest.raises(ResolveError, match="ambiguous: vaerak-vaesto, kuol-vaesto"):
        resolve(meta, "vaerak/11ra.px", {"value": "vaesto"})
    # an exact code still wins over prefix matches
    assert resolve(meta, "vaerak/11ra.px", {"value": "kuol-vaesto"}).roles["value"] == \
        "kuol-vaesto"


def test_a_new_area_vintage_is_followed_and_a_missing_area_variable_named():
    meta = copy.deepcopy(metadata("vaerak/11ra.px"))
    meta["variables"][0]["code"] = "alue_23_20270101"
    assert resolve(meta, "t", {"value": "vaesto"}).area.code == "alue_23_20270101"
    meta["variables"][0]["code"] = "kunta_130_20250101"
    with pytest.raises(ResolveError, match="area variable .* not found .*kunta_130_20250101"):
        resolve(meta, "t", {"value": "vaesto"})
    with pytest.raises(ResolveError, match="tyti/135z.px: area variable"):
        resolve(metadata("tyti/135z.px"), "tyti/135z.px", {"value": "tyti-Tyottomyysaste"})


def test_time_variable_by_flag_or_by_code():
    meta = copy.deepcopy(metadata("vaerak/11ra.px"))
    time = next(v for v in meta["variables"] if v["code"] == "timeperiod_y")
    time.pop("time")
    assert resolve(meta, "t", {"value": "vaesto"}).time.code == "timeperiod_y"
    time["code"] = "vuosi_1"
    with pytest.raises(ResolveError, match="time variable"):
        resolve(meta, "t", {"value": "vaesto"})


def test_variables_left_out_must_be_eliminable():
    meta = metadata("tyonv/12ti.px")
    with pytest.raises(ResolveError, match="'Ammattiryhmä' .* cannot be left out .*2513"):
        resolve(meta, "tyonv/12ti.px", {"value": "TYOTTOMATLOPUSSA"})
    r = resolve(meta, "tyonv/12ti.px", {"value": "TYOTTOMATLOPUSSA"},
                select=[{"variable": "label:Ammattiryhmä", "value": "2513"}])
    assert r.select == {"Ammattiryhmä": "2513"}


def test_ratio_over_a_classification_variable_by_code_stem():
    r = resolve(metadata("vaerak/11re.px"), "vaerak/11re.px",
                {"numerator": "1", "denominator": "SSS"}, by="sukupuoli")
    assert r.role_variable == "sukupuoli_9_20180101"
    assert r.roles == {"numerator": "1", "denominator": "SSS", "content": "vaerak-vaesto"}
    assert "sukupuoli_9_20180101 numerator 1, denominator SSS" in r.describe()
    by_offer = resolve(metadata("vaerak/11re.px"), "t", {"numerator": "2", "denominator": "SSS"},
                       by="offers:2")
    assert by_offer.role_variable == "sukupuoli_9_20180101"


def test_only_content_and_several_contents():
    assert resolve(metadata("vaerak/11re.px"), "t", {"value": None}).roles == {
        "value": "vaerak-vaesto"}
    with pytest.raises(ResolveError, match="names no content and the table has 4"):
        resolve(metadata("vaerak/11ra.px"), "t", {"value": None})


def test_helpers():
    assert unprefixed("tjt-ekvikturaha_med") == "ekvikturaha_med"
    assert unprefixed("TYOTTOMATLOPUSSA") == "TYOTTOMATLOPUSSA"
    var = next(v for v in variables(metadata("tyonv/12r5.px"), "t") if v.code == "Alue")
    assert find_value(var, "SSS", "t") == "SSS"
    with pytest.raises(ResolveError, match="no 'variables'"):
        variables({"title": "x"}, "t")

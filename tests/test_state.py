import math

from hypothesis import given
from hypothesis import strategies as st

from ui import state

REGIONS = ["MK01", "MK02", "MK04", "MK19"]
YEARS = [2019, 2020, 2021]


def test_resolve_view_good_params():
    view = state.resolve_view({"alue": "MK02", "vuosi": "2020", "kieli": "sv"}, REGIONS, YEARS)
    assert (view.lang, view.area, view.year, view.issues) == ("sv", "MK02", 2020, ())


def test_resolve_view_defaults_latest_year_finnish_uusimaa():
    view = state.resolve_view({}, REGIONS, YEARS)
    assert (view.lang, view.area, view.year, view.issues) == ("fi", "MK01", 2021, ())


def test_resolve_view_codes_are_case_insensitive_and_trimmed():
    view = state.resolve_view({"alue": " mk19 ", "kieli": "EN"}, REGIONS, YEARS)
    assert (view.area, view.lang) == ("MK19", "en")


def test_resolve_view_bad_params_fall_back_with_issues():
    view = state.resolve_view({"alue": "MK99", "vuosi": "1700", "kieli": "de"}, REGIONS, YEARS)
    assert (view.lang, view.area, view.year) == ("fi", "MK01", 2021)
    assert {(i.param, i.value, i.reason) for i in view.issues} == {
        ("kieli", "de", "unknown"), ("alue", "MK99", "unknown"), ("vuosi", "1700", "unknown")}


def test_non_numeric_year_is_invalid_not_unknown():
    year, issue = state.parse_year("20x1", YEARS, 2021)
    assert year == 2021 and issue.reason == "invalid"


def test_repeated_param_uses_last_value():
    code, issue = state.parse_code(["MK01", "MK02"], REGIONS, "MK01")
    assert (code, issue) == ("MK02", None)


def test_default_region_falls_back_when_absent():
    view = state.resolve_view({}, ["MK02", "MK04"], [])
    assert view.area == "MK02" and view.year is None


def test_display_safe_strips_markup_and_truncates():
    text = state.display_safe("<script>alert(1)</script>" + "x" * 50)
    assert "<" not in text and ">" not in text and "(" not in text
    assert len(text) <= 31 and text.endswith("…")
    assert state.display_safe("[link](http://evil)") == "linkhttp:evil"


def test_parse_codes_drops_unknown_duplicates_and_limits_to_five():
    codes, issues = state.parse_codes("mk01,MK02,MK01,XX,MK04,MK19,SSS,MK05",
                                      REGIONS + ["SSS", "MK05"], ["MK01"])
    assert codes == ["MK01", "MK02", "MK04", "MK19", "SSS"]
    assert [(i.value, i.reason) for i in issues] == [("XX", "unknown"), ("6", "too_many")]


def test_parse_codes_empty_gives_default():
    assert state.parse_codes("", REGIONS, ["MK02"]) == (["MK02"], [])
    assert state.parse_codes("XX", REGIONS, ["MK02"])[0] == ["MK02"]


def test_parse_choice():
    assert state.parse_choice("Overall", ["overall", "x"], "x", "mittaus") == ("overall", None)
    value, issue = state.parse_choice("nope", ["overall"], "overall", "mittaus")
    assert value == "overall" and issue.param == "mittaus"


def test_parse_weights_keeps_negative_and_nan_for_validation():
    weights, issues = state.parse_weights("osaaminen:2,hyvinvointi:-1,turvallisuus:nan,x:3,"
                                          "elinymparisto:abc", ["osaaminen", "hyvinvointi",
                                                                "turvallisuus", "elinymparisto"],
                                          "painot")
    assert weights["osaaminen"] == 2.0 and weights["hyvinvointi"] == -1.0
    assert math.isnan(weights["turvallisuus"])
    assert [(i.value, i.reason) for i in issues] == [("x:3", "unknown"),
                                                     ("elinymparisto:abc", "invalid")]


def test_parse_weights_absent():
    assert state.parse_weights(None, ["a"], "painot") == (None, [])


@given(st.dictionaries(st.sampled_from(["a", "b_c", "d"]),
                       st.floats(min_value=0, max_value=5, allow_nan=False), min_size=1))
def test_weights_round_trip_through_the_url(weights):
    text = state.format_weights(weights)
    parsed, issues = state.parse_weights(text, ["a", "b_c", "d"], "painot")
    assert issues == []
    assert parsed == {k: float(f"{v:g}") for k, v in weights.items()}


def test_shell_params_reproduce_the_view():
    view = state.ViewState("sv", "MK02", 2020)
    params = state.shell_params(view)
    assert params == {"kieli": "sv", "alue": "MK02", "vuosi": "2020"}
    assert state.resolve_view(params, REGIONS, YEARS) == view


def test_a_link_with_thousands_of_codes_gives_a_few_messages():
    raw = ",".join(["X"] * 15_000)
    codes, issues = state.parse_codes(raw, ["MK01", "MK02"], ["MK01"])
    assert codes == ["MK01"]
    assert [i.reason for i in issues] == ["too_long", "unknown"]  # the same 'X' once
    many = ",".join(f"Q{n}" for n in range(100))
    codes, issues = state.parse_codes("MK02," + many, ["MK01", "MK02"], ["MK01"])
    assert codes == ["MK02"]
    assert [i.reason for i in issues] == ["too_long", "unknown", "unknown", "unknown", "more"]
    assert issues[-1].value == str(state.MAX_ITEMS - 1 - state.MAX_ITEM_ISSUES)
    assert len(issues) <= state.MAX_ITEM_ISSUES + 2


def test_a_very_long_value_is_cut_at_an_item():
    raw = "MK02," + "MK01," * 400
    codes, issues = state.parse_codes(raw, ["MK01", "MK02"], ["MK01"])
    assert codes == ["MK02", "MK01"] and issues[0].reason == "too_long"
    weights, issues = state.parse_weights("osaaminen:2," + "x:1," * 500, ["osaaminen"], "painot")
    assert weights == {"osaaminen": 2.0}
    assert [i.reason for i in issues][:1] == ["too_long"] and issues[-1].reason == "more"
    assert len(issues) == state.MAX_ITEM_ISSUES + 2


def test_weights_off_the_slider_scale_are_named_and_snapped():
    issues = state.off_grid({"osaaminen": 2.3, "turvallisuus": 2.5, "hyvinvointi": 7.0},
                            "painot")
    assert [(i.value, i.reason) for i in issues] == [("osaaminen:2.3", "off_grid"),
                                                     ("hyvinvointi:7", "off_grid")]
    assert state.snap_weight(2.3) == 2.5 and state.snap_weight(7.0) == 5.0
    assert state.off_grid(None, "painot") == []

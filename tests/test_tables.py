import math

import pandas as pd

from ui import tables

DIMS = ["osaaminen", "turvallisuus"]


def scores_frame():
    rows = []
    for area, vals in {"MK01": (60.0, 70.0, 50.0, 1, 1, 3), "MK02": (50.0, 40.0, 60.0, 2, 1, 2),
                       "MK04": (None, None, 40.0, None, None, None),
                       "SSS": (55.0, 55.0, 55.0, None, None, None)}.items():
        overall, osa, tur, rank, low, high = vals
        for dim, score in (("overall", overall), ("osaaminen", osa), ("turvallisuus", tur)):
            rows.append({"area_code": area, "period": 2021, "dimension": dim, "score": score,
                         "rank": rank if dim == "overall" else None,
                         "rank_low": low if dim == "overall" else None,
                         "rank_high": high if dim == "overall" else None,
                         "change_1y": 1.5 if area == "MK01" else None, "change_5y": None,
                         "n_indicators": 4, "flag": None if score is not None else "insufficient"})
    return pd.DataFrame(rows)


def indicators_frame():
    return pd.DataFrame({
        "id": ["unemp", "tertiary", "other"], "key": [True, True, False],
        "direction": ["lower_better", "higher_better", "higher_better"],
        "decimals": [1, 1, 0], "label_fi": ["Työttömyys", "Korkea-aste", "Muu"],
        "unit_fi": ["%", "%", "kpl"], "dimension": ["e", "o", "o"]})


def test_key_indicators_hand_computed():
    obs = pd.DataFrame({
        "indicator_id": ["unemp"] * 6 + ["tertiary"] * 3,
        "area_code": ["MK01", "MK01", "MK01", "SSS", "SSS", "MK01", "MK01", "MK01", "SSS"],
        "period": [2019, 2020, 2021, 2020, 2021, 2022, 2017, 2019, 2019],
        "value": [10.0, 12.0, 11.0, 9.0, 8.5, 7.0, 30.0, None, 31.0]})
    out = tables.key_indicators(obs, indicators_frame(), "MK01", 2021, "fi")
    assert list(out["indicator_id"]) == ["unemp", "tertiary"]
    unemp, tert = out.to_dict("records")
    # latest at or before 2021 (2022 is ignored); change against 2020; fell = good (lower better)
    assert (unemp["period"], unemp["value"], unemp["change"], unemp["good"]) == (2021, 11.0, -1.0,
                                                                                 True)
    assert unemp["country_value"] == 8.5 and unemp["series"] == [10.0, 12.0, 11.0]
    # 2019 is missing: the latest value is 2017; no 2016 value, so no change; no country 2017
    assert tert["period"] == 2017 and tert["value"] == 30.0
    assert math.isnan(tert["change"]) and tert["good"] is None
    assert math.isnan(tert["country_value"])
    assert tert["series"] == [30.0]  # the missing 2019 is left out of the sparkline


def test_key_indicator_without_any_value_is_missing():
    obs = pd.DataFrame({"indicator_id": ["unemp"], "area_code": ["MK01"], "period": [2020],
                        "value": [None]})
    out = tables.key_indicators(obs, indicators_frame(), "MK01", 2021, "fi")
    row = out.iloc[0]
    assert row["period"] is None or pd.isna(row["period"])
    assert math.isnan(row["value"]) and row["series"] == []


def test_is_good_follows_direction():
    assert tables.is_good(1.0, "higher_better") is True
    assert tables.is_good(1.0, "lower_better") is False
    assert tables.is_good(0.0, "lower_better") is None
    assert tables.is_good(float("nan"), "lower_better") is None


def test_dimension_rows_overall_first_missing_kept():
    rows = tables.dimension_rows(scores_frame(), "MK04", 2021, DIMS)
    assert list(rows["dimension"]) == ["overall", "osaaminen", "turvallisuus"]
    assert rows["score"].isna().tolist() == [True, True, False]
    rows = tables.dimension_rows(scores_frame(), "MK01", 2021, DIMS + ["hyvinvointi"])
    assert rows.loc[0, "rank"] == 1 and rows.loc[0, "rank_high"] == 3
    assert math.isnan(rows.loc[3, "score"])


def test_dimension_vector():
    assert tables.dimension_vector(scores_frame(), "MK02", 2021, DIMS) == [40.0, 60.0]
    vec = tables.dimension_vector(scores_frame(), "MK04", 2021, DIMS)
    assert math.isnan(vec[0]) and vec[1] == 40.0


def test_ranking_missing_last():
    names = {"MK01": "Uusimaa", "MK02": "Varsinais-Suomi", "MK04": "Satakunta"}
    out = tables.ranking(scores_frame(), 2021, "overall", names, ["MK01", "MK02", "MK04"])
    assert list(out["name"]) == ["Uusimaa", "Varsinais-Suomi", "Satakunta"]
    assert math.isnan(out.loc[2, "score"])


def test_indicator_ranking_by_score():
    ind = pd.DataFrame({"indicator_id": ["u"] * 3, "area_code": ["MK01", "MK02", "MK04"],
                        "period": [2021] * 3, "value_period": [2020, 2021, 2021],
                        "value": [12.0, 8.0, 10.0], "score": [20.0, 80.0, 50.0]})
    out = tables.indicator_ranking(ind, 2021, "u", {"MK01": "A", "MK02": "B", "MK04": "C"},
                                   ["MK01", "MK02", "MK04", "MK05"])
    assert list(out["area_code"]) == ["MK02", "MK04", "MK01", "MK05"]
    assert list(out["rank"][:3]) == [1, 2, 3] and pd.isna(out["rank"].iloc[3])


def test_score_matrix_and_peer_table():
    matrix = tables.score_matrix(scores_frame(), 2021, ["MK02", "MK01"], ["overall", *DIMS])
    assert matrix.loc["MK02"].tolist() == [50.0, 40.0, 60.0]
    peers = tables.peer_table(scores_frame(), 2021, ["MK01", "SSS", "MK04"], DIMS)
    assert list(peers.columns) == ["MK01", "SSS", "MK04"]
    assert peers.loc["overall", "SSS"] == 55.0 and math.isnan(peers.loc["overall", "MK04"])
    ranks = tables.peer_table(scores_frame(), 2021, ["MK01", "MK02"], DIMS, column="rank")
    assert ranks.loc["overall"].tolist() == [1.0, 2.0]


def test_coverage_matrix_fills_missing_years_as_nan():
    cov = pd.DataFrame({"dimension": ["o", "o", "o", "e"], "indicator_id": ["a", "a", "b", "c"],
                        "period": [2018, 2020, 2020, 2016], "level": ["region"] * 4,
                        "n_values": [19, 18, 5, 19], "n_missing": [0, 1, 14, 0]})
    out = tables.coverage_matrix(cov, ["b", "a", "c"], "o")
    assert list(out.index) == ["b", "a"] and list(out.columns) == list(range(2016, 2021))
    assert out.loc["a", 2018] == 19 and out.loc["a", 2020] == 18
    assert math.isnan(out.loc["a", 2019]) and math.isnan(out.loc["b", 2018])


def test_what_changed():
    default = scores_frame()
    custom = default.copy()
    custom.loc[(custom["area_code"] == "MK01") & (custom["dimension"] == "overall"), "rank"] = 2
    custom.loc[(custom["area_code"] == "MK02") & (custom["dimension"] == "overall"), "rank"] = 1
    out = tables.what_changed(default, custom, 2021, {"MK01": "A", "MK02": "B", "MK04": "C"},
                              ["MK01", "MK02", "MK04"])
    assert list(out["area_code"]) == ["MK02", "MK01", "MK04"]
    assert list(out["rank_change"][:2]) == [1, -1] and pd.isna(out["rank_change"].iloc[2])
    same = tables.what_changed(default, default, 2021, {}, ["MK01", "MK02"])
    assert (same["rank_change"] == 0).all()


def test_link_for():
    links = {"THL": "https://sotkanet.fi/", "Tilastokeskus": "https://stat.fi/"}
    assert tables.link_for("THL / Sotkanet (Tilastokeskus)", links) == "https://sotkanet.fi/"
    assert tables.link_for("tilastokeskus", links) == "https://stat.fi/"
    assert tables.link_for("Unknown", links) is None
    assert tables.link_for(None, links) is None


def test_names_and_labels():
    areas = pd.DataFrame({"code": ["MK01"], "name_fi": ["Uusimaa"], "name_sv": ["Nyland"],
                          "level": ["region"]})
    assert tables.names(areas, "sv") == {"MK01": "Nyland"}
    assert tables.region_codes(areas) == ["MK01"]
    assert tables.labels(indicators_frame(), "fi")["unemp"] == "Työttömyys"


def test_map_frame_keeps_missing_values_missing():
    ranked = pd.DataFrame({"area_code": ["MK01", "MK21"], "score": [61.5, None],
                           "name": ["Uusimaa", "Ahvenanmaa"]})
    frame = tables.map_frame(ranked, "score", ["61,5", "–"])
    assert list(frame.columns) == ["area_code", "value", "name", "text"]
    assert frame["value"].iloc[0] == 61.5 and math.isnan(frame["value"].iloc[1])
    assert frame["text"].tolist() == ["61,5", "–"]

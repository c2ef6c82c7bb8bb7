import math

import pandas as pd
import pytest

from presentation import tables

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


def test_indicator_ranking_by_score():
    ind = pd.DataFrame({"indicator_id": ["u"] * 3, "area_code": ["MK01", "MK02", "MK04"],
                        "period": [2021] * 3, "value_period": [2020, 2021, 2021],
                        "value": [12.0, 8.0, 10.0], "score": [20.0, 80.0, 50.0]})
    out = tables.indicator_ranking(ind, 2021, "u", {"MK01": "A", "MK02": "B", "MK04": "C"},
                                   ["MK01", "MK02", "MK04", "MK05"])
    assert list(out["area_code"]) == ["MK02", "MK04", "MK01", "MK05"]
    assert list(out["rank"][:3]) == [1, 2, 3] and pd.isna(out["rank"].iloc[3])


def test_score_matrix():
    matrix = tables.score_matrix(scores_frame(), 2021, ["MK02", "MK01"], ["overall", *DIMS])
    assert matrix.loc["MK02"].tolist() == [50.0, 40.0, 60.0]


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
    assert tables.labels(indicators_frame(), "fi")["unemp"] == "Työttömyys"


def test_map_frame_keeps_missing_values_missing():
    ranked = pd.DataFrame({"area_code": ["MK01", "MK21"], "score": [61.5, None],
                           "name": ["Uusimaa", "Ahvenanmaa"]})
    frame = tables.map_frame(ranked, "score", ["61,5", "–"])
    assert list(frame.columns) == ["area_code", "value", "name", "text"]
    assert frame["value"].iloc[0] == 61.5 and math.isnan(frame["value"].iloc[1])
    assert frame["text"].tolist() == ["61,5", "–"]


def test_units_and_source_texts_in_the_language():
    units = tables.units(indicators_frame(), "fi")
    assert units["unemp"].label == "Työttömyys" and units["other"].decimals == 0
    assert tables.localise("Sotkanet indicator 3099: Pienituloisuus", "fi") == (
        "Sotkanet-indikaattori 3099: Pienituloisuus")
    assert tables.localise("Sotkanet indicator 3099", "en") == "Sotkanet indicator 3099"
    assert tables.licence_text("Eurostat: free re-use with attribution (Source: Eurostat)",
                               "sv") == ("Eurostat: fri vidareanvändning med källangivelse "
                                         "(källa: Eurostat)")
    assert tables.localise(None, "fi") == ""
    terms = tables.load_terms()
    assert [len(x["en"]) for x in terms] == sorted((len(x["en"]) for x in terms), reverse=True)


def test_a_bad_terms_file_is_refused(tmp_path):
    bad = tmp_path / "terms.toml"
    bad.write_text('[[term]]\nen = "x"\nfi = ""\nsv = "y"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="entries \\[1\\]"):
        tables.load_terms(bad)

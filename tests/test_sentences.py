import pandas as pd
import pytest

from presentation import sentences
from presentation.sentences import Unit

DIMS = {"osaaminen": "Osaaminen", "turvallisuus": "Turvallisuus"}
UNITS = {"low_income_rate": Unit("Pienituloisuusaste", "%", 1),
         "gdp": Unit("Bruttokansantuote asukasta kohden", "€/asukas", 0)}
COLUMNS = ["kind", "level", "id", "score", "country_score", "peer_score", "gap", "rule", "value",
           "value_period", "country_value", "rank", "n_ranked"]


def frame(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


ROWS = [
    ("weakness", "dimension", "turvallisuus", 31.24, 48.0, 45.0, -13.8, "country_and_peers:10",
     None, None, None, 17, 18),
    ("weakness", "indicator", "low_income_rate", 8.3, 54.0, 39.0, -30.7, "country_and_peers:10",
     19.04, 2024, 14.2, 18, 18),
    ("strength", "dimension", "osaaminen", 71.6, 52.4, float("nan"), 19.2, "country:10", None,
     None, None, 2, 19),
]


def test_an_indicator_sentence_has_value_unit_year_and_the_country():
    row = dict(zip(COLUMNS, ROWS[1], strict=True))
    assert sentences.sentence(row, "fi", DIMS, UNITS).text == (
        "Pienituloisuusaste 19,0\u00a0% (koko maa 14,2\u00a0%), 2024 · sija 18./18.")
    sv = sentences.sentence(row, "sv", DIMS, {"low_income_rate": Unit("Låginkomstgrad", "%", 1)})
    assert sv.text == ("Låginkomstgrad 19,0\u00a0% (hela landet 14,2\u00a0%), 2024 · "
                       "placering 18/18.")
    en = sentences.sentence(dict(row, country_value=None), "en", DIMS, UNITS)
    assert en.text == "Pienituloisuusaste 19.0% , 2024 · rank 18/18.".replace(" ,", ",")
    assert en.rule == "country_and_peers:10" and en.kind == "weakness"


def test_a_dimension_sentence_and_a_missing_peer_score():
    row = dict(zip(COLUMNS, ROWS[2], strict=True))
    text = sentences.sentence(row, "fi", DIMS, UNITS).text
    assert text == "Osaaminen: 71,6 pistettä (koko maa 52,4) · sija 2./19."
    assert "vertais" not in text
    with_peers = sentences.sentence(dict(zip(COLUMNS, ROWS[0], strict=True)), "fi", DIMS, UNITS)
    assert with_peers.text == ("Turvallisuus: 31,2 pistettä (koko maa 48,0, vertaisalueet 45,0)"
                               " · sija 17./18.")


def test_order_strengths_first_dimensions_first_biggest_gap_first():
    out = sentences.sentences(frame(ROWS), "en", DIMS, UNITS)
    assert [(s.kind, s.level, s.id) for s in out] == [
        ("strength", "dimension", "osaaminen"), ("weakness", "dimension", "turvallisuus"),
        ("weakness", "indicator", "low_income_rate")]


def test_empty_and_bad_rows():
    assert sentences.sentences(frame([]), "fi", DIMS, UNITS) == []
    assert sentences.sentences(None, "fi", DIMS, UNITS) == []
    with pytest.raises(ValueError):
        sentences.sentence({"kind": "other", "level": "dimension", "id": "x"}, "fi", DIMS, UNITS)


def test_extremes_name_the_best_and_worst_rank():
    extremes = pd.DataFrame({"id": ["osaaminen", "turvallisuus", "gdp", "low_income_rate"],
                             "level": ["dimension", "dimension", "indicator", "indicator"],
                             "rank": [2, 17, 4, 18], "n_ranked": [19, 18, 18, 18],
                             "score": [70.0, 30.0, 60.0, 8.0]})
    fi = sentences.extremes_text(extremes, "fi", DIMS, UNITS, "Lapin")
    assert fi == ("Ulottuvuuksista Lapin paras sija on Osaaminen (2./19), heikoin Turvallisuus "
                  "(17./18).", "Mittareista Lapin paras sija on Bruttokansantuote asukasta "
                  "kohden (4./18), heikoin Pienituloisuusaste (18./18).")
    assert sentences.extremes_text(extremes.iloc[:0], "fi", DIMS, UNITS, "Lapin") == ()


@pytest.mark.parametrize(("rule", "lang", "expected"), [
    ("country_and_peers:10", "fi", "vähintään 10 pistettä sekä koko maan että vertaisalueiden"),
    ("country:10", "en", "at least 10 points above (strength) or below (weakness) the whole"),
    ("peers:7.5", "sv", "minst 8 poäng"),
])
def test_rule_text(rule, lang, expected):
    assert sentences.rule_text(rule, lang).startswith(expected)


def test_unknown_rule_is_shown_as_is():
    assert sentences.rule_text("new_rule:3", "fi") == "new_rule:3"
    assert sentences.rule_text("country", "fi") == "country"
    assert sentences.rule_text("country:x", "fi") == "country:x"

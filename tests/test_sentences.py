import pandas as pd
import pytest

from ui import sentences

NAMES = {"osaaminen": "Osaaminen", "unemployment_rate": "Työttömyysaste",
         "turvallisuus": "Turvallisuus"}


def frame(rows):
    return pd.DataFrame(rows, columns=["kind", "level", "id", "score", "country_score",
                                       "peer_score", "gap", "rule"])


ROWS = [
    ("weakness", "dimension", "turvallisuus", 31.2, 48.0, 45.0, -13.8, "country_and_peers:10"),
    ("strength", "indicator", "unemployment_rate", 80.4, 60.0, 65.5, 14.9, "country_and_peers:10"),
    ("strength", "dimension", "osaaminen", 71.6, 52.4, float("nan"), 19.2, "country:10"),
]


def test_sentence_in_three_languages_with_formatted_numbers():
    row = dict(zip(frame([]).columns, ROWS[1], strict=True))
    fi = sentences.sentence(row, "fi", NAMES)
    assert fi.text == ("Vahva mittari – Työttömyysaste: 80 pistettä (koko maa 60, "
                       "vertaisalueet 66).")
    sv = sentences.sentence(row, "sv", {"unemployment_rate": "Arbetslöshetsgrad"})
    assert sv.text.startswith("Stark indikator – Arbetslöshetsgrad: 80 poäng (hela landet 60")
    en = sentences.sentence(row, "en", {})
    assert en.text == ("Strong indicator – unemployment_rate: 80 points (whole country 60, "
                       "peer regions 66).")
    assert fi.rule == "country_and_peers:10" and fi.kind == "strength" and fi.level == "indicator"


def test_missing_peer_score_leaves_peers_out():
    row = dict(zip(frame([]).columns, ROWS[2], strict=True))
    text = sentences.sentence(row, "fi", NAMES).text
    assert text == "Vahvuus – Osaaminen: 72 pistettä (koko maa 52)."
    assert "vertais" not in text


def test_order_strengths_first_dimensions_first_biggest_gap_first():
    out = sentences.sentences(frame(ROWS), "en", NAMES)
    assert [(s.kind, s.level, s.id) for s in out] == [
        ("strength", "dimension", "osaaminen"), ("strength", "indicator", "unemployment_rate"),
        ("weakness", "dimension", "turvallisuus")]
    assert out[2].text.startswith("Weakness – Turvallisuus: 31 points")


def test_empty_and_bad_rows():
    assert sentences.sentences(frame([]), "fi", NAMES) == []
    assert sentences.sentences(None, "fi", NAMES) == []
    with pytest.raises(ValueError):
        sentences.sentence({"kind": "other", "level": "dimension", "id": "x"}, "fi", NAMES)


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


def test_works_on_the_scoring_modules_output():
    from indicators.scoring import ScoreResult, strengths_weaknesses

    dims = pd.DataFrame({"area_code": ["MK01", "SSS", "MK02"] * 2, "period": [2021] * 6,
                         "dimension": ["osaaminen"] * 3 + ["turvallisuus"] * 3,
                         "score": [80.0, 50.0, 55.0, 20.0, 50.0, 52.0]})
    ind = pd.DataFrame(columns=["indicator_id", "area_code", "period", "score"])
    sw = strengths_weaknesses(ScoreResult(ind, dims), "MK01", 2021, ("MK02",))
    out = sentences.sentences(sw, "fi", NAMES)
    assert [s.text for s in out] == [
        "Vahvuus – Osaaminen: 80 pistettä (koko maa 50, vertaisalueet 55).",
        "Heikkous – Turvallisuus: 20 pistettä (koko maa 50, vertaisalueet 52)."]
    assert sentences.rule_text(out[0].rule, "fi").startswith("vähintään 10 pistettä sekä")

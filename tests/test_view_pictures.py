"""The compare, explorer and method view-models, from the session warehouse and contract cases."""

import datetime as dt

import pandas as pd
import pytest
from picture_fixtures import CASE_AREA, CASE_CHANGE, newest_year

from indicators import method as engine
from presentation import compare, explorer, method
from presentation import format as fmt
from presentation.display import plain
from presentation.i18n import LANGUAGES, t

TODAY = dt.date(2026, 12, 1)


def test_compare_ranks_only_comparable_changes(cases):
    year = newest_year(cases)
    # the overall index carries a break case (saavutettavuus has no score in the newest year)
    picture = compare.build_compare_picture(cases, "overall", "fi", year, CASE_AREA, TODAY)
    rows = {plain(r[1]).split(" ")[0]: plain(r[2]) for r in picture.ranking.rows}
    assert "aikasarjassa katko" in rows["Pohjois-Karjala"]
    assert fmt.signed(CASE_CHANGE, 1, "fi") not in rows["Pohjois-Karjala"]
    n = int(cases.scores[(cases.scores["period"] == year)
                         & (cases.scores["dimension"] == "overall")
                         & cases.scores["area_code"].str.startswith("MK")]["rank"].notna().sum())
    assert picture.subtitle == t("compare.subtitle", "fi", year=year, n=n, total=19)
    assert len(picture.ranking.rows) == 19
    shown = picture.download.shown
    pk = shown[shown[t("col.region", "fi")] == "Pohjois-Karjala"].iloc[0]
    assert pd.isna(pk[t("col.change_1y", "fi")])  # nor in the download


def test_compare_measures_are_those_with_figures(contract):
    year = newest_year(contract)
    ids = [m for m, _ in compare.measure_options(contract, year, "fi")]
    with_scores = set(contract.indicator_scores.loc[
        (contract.indicator_scores["period"] == year)
        & contract.indicator_scores["score"].notna(), "indicator_id"])
    assert ids[0] == "overall" and set(ids[7:]) == with_scores
    with pytest.raises(ValueError, match="Unknown measure"):
        compare.build_compare_picture(contract, "doctor_wait_over_7_days", "fi", year, "MK01")


def test_explorer_colours_breaks_and_only_indicators_with_figures(contract):
    levels = pd.DataFrame({"indicator_id": ["a", "b"], "level": ["region", "region"],
                           "n_areas": [3, 0]})
    inds = pd.DataFrame({"id": ["a", "b"], "dimension": ["osaaminen"] * 2,
                         "label_fi": ["A", "B"], "scored": [False, True]})
    assert explorer.indicator_options(inds, contract.dimensions, levels, "fi") == {
        "a": "Osaaminen · A (taustamittari)"}
    obs = contract.observations[contract.observations["indicator_id"] == "offences_per_1000"]
    picture = explorer.build_explorer_picture(
        contract.indicators, contract.areas, obs, pd.DataFrame(columns=["score"]),
        contract.sources, contract.breaks, "offences_per_1000", ["MK12", "SSS", "MK01"],
        "region", 2021, "fi", 2021, "MK12")
    assert picture.colours["SSS"] == "#1A1A1A"
    assert picture.dist_highlight == {"Pohjois-Karjala": picture.colours["MK12"],
                                      "Uusimaa": picture.colours["MK01"]}
    assert (2020, "one_off") in {(p, k) for p, k, _ in picture.breaks}
    assert picture.table.loc["2020", "Uusimaa"].endswith("¹")
    assert picture.break_notes[0].startswith("¹ 2020: Vuoden 2020 luku ei ole vertailukelpoinen")
    assert "Sotkanet indicator" not in picture.source_line


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_method_in_plain_words_with_the_engines_numbers(frames, lang):
    picture = method.build_method_picture(frames, "MK12", max(frames.score_periods), lang)
    text = " ".join(picture.rules)
    assert str(engine.MAX_AGE_YEARS) in picture.rules[2]
    assert fmt.number(engine.MC_DRAWS, 0, lang) in picture.rules[5]
    for code in ("METHOD_VERSION", "goalposts", "validate_method", "MAX_AGE_YEARS", "_"):
        assert code not in text.replace("tk-2026", ""), code
    labels = {e.label for _, entries in picture.glossary for e in entries}
    assert labels == set(frames.indicators[f"label_{lang}"])
    if lang != "en":
        sources = " ".join(f"{s.table} {s.licence}" for s in picture.sources)
        assert "Sotkanet indicator" not in sources and "free re-use" not in sources
    assert picture.example_title.startswith({"fi": "Esimerkki: näin Pohjois-Karjalan",
                                             "sv": "Exempel: så bildas Norra Karelens",
                                             "en": "Example: how North Karelia's"}[lang])

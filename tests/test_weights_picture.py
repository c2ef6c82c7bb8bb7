"""The weights page's view-model: the engine's problem codes in words, ranks compared."""

import pandas as pd
import pytest

from presentation import engine, weights
from presentation.engine import Problem

NAMES = {"osaaminen": "Osaaminen", "turvallisuus": "Turvallisuus", "x": "X"}


@pytest.mark.parametrize(("problem", "fi"), [
    (Problem("weight_negative", "osaaminen", -1.0),
     "Painon ”Osaaminen” arvo -1.0 on negatiivinen; painon on oltava nolla tai suurempi."),
    (Problem("weight_not_finite", "osaaminen", float("nan")),
     "Painon ”Osaaminen” arvo ei ole äärellinen luku."),
    (Problem("all_dimensions_zero"), "Kaikkien ulottuvuuksien paino on nolla, joten indeksiä "
                                     "ei voi laskea. Anna vähintään yhdelle ulottuvuudelle "
                                     "paino."),
    (Problem("all_indicators_zero", "turvallisuus"), "Ulottuvuuden Turvallisuus kaikkien "
                                                     "mittareiden paino on nolla. Anna "
                                                     "jollekin mittarille paino tai aseta "
                                                     "ulottuvuuden painoksi nolla."),
    (Problem("unknown_normalisation", None, "fancy"), "Laskentatapaa ”fancy” ei tunneta."),
    (Problem("a_code_from_the_future"), "Painoja ei voi käyttää (syy: a_code_from_the_future)."),
])
def test_problem_codes_are_worded(problem, fi):
    assert weights.problem_text(problem, "fi", NAMES) == fi
    assert weights.problem_text(problem, "en", NAMES) and weights.problem_text(problem, "sv",
                                                                              NAMES)


def test_problems_come_from_the_engine(frames):
    inds = frames.indicators
    assert weights.problems("goalposts", "arithmetic", None, None, inds, "fi", NAMES) == []
    dims = {d: 0.0 for d in frames.dimensions["id"]}
    assert weights.problems("goalposts", "arithmetic", dims, None, inds, "fi", NAMES) == [
        weights.problem_text(Problem("all_dimensions_zero"), "fi", NAMES)]
    codes = [p.code for p in engine.method_problems(engine.engine_method.Method(
        dimension_weights={"osaaminen": -1.0, "turvallisuus": float("inf")}), inds)]
    assert sorted(codes) == ["weight_negative", "weight_not_finite"]
    members = list(inds.loc[inds["dimension"] == "turvallisuus", "id"])
    codes = engine.method_problems(engine.engine_method.Method(
        indicator_weights={i: 0.0 for i in members}), inds)
    assert [(p.code, p.subject) for p in codes] == [("all_indicators_zero", "turvallisuus")]


def test_the_comparison_table():
    default = pd.DataFrame({"area_code": ["A", "B", "C"], "period": 2024, "dimension": "overall",
                            "rank": [1, 2, 3], "score": [60.0, 50.0, 40.0]})
    custom = default.assign(rank=[2, 1, None], score=[55.0, 58.0, None])
    picture = weights.build_weights_picture(default, custom, 2024, "A", ["A", "B", "C"],
                                            {"A": "Aa", "B": "Bb", "C": "Cc"}, "fi")
    rows = picture.table.plain_rows()
    assert rows[0] == ["Bb", "1./2 (2./2) ▲ +1", "58,0 (50,0)"]
    assert rows[1] == ["Aa", "2./2 (1./2) ▼ −1", "55,0 (60,0)"]
    assert rows[2][1] == "– (3./2)"
    assert picture.summary == "Sija muuttuu 2 maakunnalla 2:stä oletusmenetelmään verrattuna."
    assert (picture.own_rank, picture.own_change) == ("2./2", -1.0)
    assert picture.table.rows[0][1][-1].tone == "good"

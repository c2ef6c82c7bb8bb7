import copy
import tomllib

import pytest

from indicators import industries
from indicators.industries import (
    INDUSTRIES_PATH,
    IndustriesError,
    industries_frame,
    load_industries,
    validate_industries,
)


def entries():
    with open(INDUSTRIES_PATH, "rb") as fh:
        return tomllib.load(fh)["industry"]


def test_the_file_holds_the_21_tol_2008_sections_and_x_in_order():
    codes = [e["code"] for e in load_industries()]
    assert codes == list("ABCDEFGHIJKLMNOPQRSTU") + ["X"]
    assert industries.unknown_code() == "X"
    assert industries.section_codes() == tuple("ABCDEFGHIJKLMNOPQRSTU")
    assert industries.all_codes()[-1] == "X"


def test_official_names_in_three_languages():
    by_code = {e["code"]: e["label"] for e in load_industries()}
    assert by_code["C"] == {"fi": "Teollisuus", "sv": "Tillverkning", "en": "Manufacturing"}
    assert by_code["J"]["fi"] == "Informaatio ja viestintä"
    assert by_code["Q"]["sv"] == "Vård och omsorg; sociala tjänster"
    assert by_code["X"] == {"fi": "Toimiala tuntematon", "sv": "Näringsgrenen okänd",
                            "en": "Industry unknown"}
    # no two sections share a name in any language
    for lang in ("fi", "sv", "en"):
        names = [label[lang] for label in by_code.values()]
        assert len(set(names)) == len(names)


def test_the_file_header_says_where_the_names_come_from():
    text = INDUSTRIES_PATH.read_text(encoding="utf-8")
    for citation in ("Toimialaluokitus TOL 2008", "Näringsgrensindelningen TOL 2008",
                     "Standard Industrial Classification TOL 2008",
                     "yrtt_2010-03-23_luo_001_sv.html", "koodaamo/tol @ 6accc96"):
        assert citation in text


def test_industries_table():
    frame = industries_frame()
    assert list(frame.columns) == ["code", "label_fi", "label_sv", "label_en", "sort_order"]
    assert frame["sort_order"].tolist() == list(range(22))
    assert frame.set_index("code").at["X", "label_en"] == "Industry unknown"


def test_the_real_file_is_valid():
    assert validate_industries(entries()) == []


@pytest.mark.parametrize(("change", "message"), [
    (lambda e: e[2]["label"].pop("sv"), "label needs a non-empty text"),
    (lambda e: e[2]["label"].update(en="  "), "label needs a non-empty text"),
    (lambda e: e[3].update(code="B"), "duplicate code"),
    (lambda e: e[3].update(code="d"), "one capital letter"),
    (lambda e: e[4]["label"].update(fi="<b>Rakentaminen</b>"), "markup"),
    (lambda e: e[5].update(unknown=False), "'unknown' may only be true"),
    (lambda e: e[5].update(unknown=True), "exactly one entry must be marked unknown"),
    (lambda e: e.pop(-1), "exactly one entry must be marked unknown"),
    (lambda e: e.pop(0), "not the TOL 2008 sections"),
    (lambda e: e.append({"code": "V", "label": {"fi": "a", "sv": "b", "en": "c"}}),
     "not the TOL 2008 sections"),
    (lambda e: e[6].update(short="Kauppa"), "unknown field 'short'"),
])
def test_each_broken_rule_is_named(change, message):
    broken = copy.deepcopy(entries())
    change(broken)
    problems = validate_industries(broken)
    assert any(message in p for p in problems), problems


def test_loading_a_broken_file_raises_with_every_problem(tmp_path):
    text = INDUSTRIES_PATH.read_text(encoding="utf-8").replace('code = "C"', 'code = "c"')
    path = tmp_path / "industries.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IndustriesError, match="one capital letter"):
        load_industries(path)

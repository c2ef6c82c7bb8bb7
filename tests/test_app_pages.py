"""AppTest of every page in fi/sv/en with good and bad URL parameters, on the bundled data."""

import re

import pandas as pd
import pytest
from app_helpers import (
    APP,
    PAGES,
    assert_ok,
    link_messages,
    markdown_tables,
    run_page,
    texts,
    visible,
)
from picture_fixtures import CASE_AREA, CASE_CHANGE, CASES
from streamlit.testing.v1 import AppTest

from indicators.catalog import load_catalog
from presentation import format as fmt
from presentation.i18n import t
from warehouse import query
from warehouse.writer import read_tables, write_warehouse

LANGS = ["fi", "sv", "en"]


@pytest.fixture(scope="module")
def facts(warehouse):
    """Figures the pages must show, read straight from the warehouse."""
    con = query.connect(warehouse)
    year = query.latest_period(con)
    scores = query.scores(con, period=year)
    areas = query.areas(con).set_index("code")
    ind = query.indicator_scores(con, period=year, indicator_ids=["unemployment_rate"])
    with_data = set(query.observations(con).dropna(subset=["value"])["indicator_id"])
    n_catalog = len(query.indicators(con))
    con.close()
    overall = scores[scores["dimension"] == "overall"].set_index("area_code")
    return {"year": year, "overall": overall, "areas": areas, "with_data": with_data,
            "n_catalog": n_catalog,
            "n_ranked": int(overall["rank"].notna().sum()),
            "unemployment": ind.set_index("area_code")}


def score_text(facts, area: str, lang: str) -> str:
    return fmt.number(facts["overall"].loc[area, "score"], 1, lang)


def _unit(indicator_id: str, lang: str) -> str:
    from indicators.catalog import indicator

    return indicator(indicator_id)["unit"][lang]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_every_language(warehouse_env, facts, page, lang):
    at = run_page(page, {"alue": "MK02", "kieli": lang})
    assert_ok(at)
    text = texts(at)
    name = facts["areas"].loc["MK02", f"name_{lang}"]
    assert name in text
    if page == "views/indikaattorit.py":
        score = fmt.number(facts["unemployment"].loc["MK02", "score"], 1, lang)
        assert t("explorer.score_line", lang, region=name, year=facts["year"], score=score,
                 value=fmt.with_unit(facts["unemployment"].loc["MK02", "value"],
                                     _unit("unemployment_rate", lang), 1, lang),
                 period=facts["unemployment"].loc["MK02", "value_period"]) in text
    elif page == "views/alke.py":  # the discussion's sections, no scores of their own
        assert t("alke.title", lang, name=name) in text and t("fast.title", lang) in text
        assert score_text(facts, "MK02", lang) not in text
    else:
        assert score_text(facts, "MK02", lang) in text
    # the view is in the URL, so a link opens the same view
    assert at.query_params["kieli"] == lang and at.query_params["alue"] == "MK02"
    assert at.query_params["vuosi"] == str(facts["year"])
    # the other languages' labels are not shown
    other = [x for x in LANGS if x != lang]
    assert all(t("common.overall", o) not in text for o in other
               if t("common.overall", o) != t("common.overall", lang))


def test_region_page_draws_the_trends_only_once_opened(warehouse_env):
    at = run_page(PAGES[0], {"alue": "MK12", "kieli": "fi"})
    (trends,) = [e for e in at.get("expander")
                 if visible(e.label) == t("region.trends_title", "fi")]
    assert trends.get("image") == [] and len(at.get("image")) == 2  # radar and map only
    at.session_state["x_trends"] = True  # as if the reader opened it
    at.run()
    (trends,) = [e for e in at.get("expander")
                 if visible(e.label) == t("region.trends_title", "fi")]
    assert len(trends.get("image")) == 1 and len(at.get("image")) == 3


def test_region_page_header_scores_radar_and_key_indicators(warehouse_env, facts):
    at = run_page(PAGES[0], {"alue": "MK02", "kieli": "fi"})
    assert_ok(at)
    assert visible(at.title[0].value) == "Varsinais-Suomi"
    assert str(facts["year"]) in at.caption[0].value
    text = texts(at)
    assert "Tuorein luku" in text  # the newest and oldest figure used
    overall = at.metric[0]
    assert visible(overall.label) == t("common.overall", "fi")
    assert overall.value == score_text(facts, "MK02", "fi")
    assert len(at.metric) == 7  # overall + six dimensions
    rank = int(facts["overall"].loc["MK02", "rank"])
    assert f"Sija {rank}./{facts['n_ranked']} (vaihteluväli" in text
    assert not at.get("plotly_chart")  # the radar and the map are the brief's own images
    assert len(at.get("image")) >= 2
    key, peers = markdown_tables(at)[:2]  # then the ALKE sections' tables
    assert key[0] == [t("col.indicator", "fi"), "Varsinais-Suomi", t("col.country", "fi")]
    assert len(key) >= 13
    assert peers[0][1] == "Varsinais-Suomi" and len(peers) == 8


def test_region_page_year_from_url(warehouse_env, facts):
    earlier = facts["year"] - 1
    at = run_page(PAGES[0], {"alue": "MK01", "vuosi": str(earlier)})
    assert_ok(at)
    assert f"{earlier}" in at.caption[0].value
    assert not link_messages(at)


def test_region_page_never_shows_a_forbidden_change(contract_db, monkeypatch):
    """The cases of tests/picture_fixtures.py on the real page: reasons, never the number."""
    monkeypatch.setenv("TILANNEKUVA_DB", str(contract_db))
    at = run_page(PAGES[0], {"alue": CASE_AREA, "kieli": "fi"})
    assert_ok(at)
    text = texts(at)
    metrics = {visible(m.label): m for m in at.metric}
    labels = dict(zip(["saavutettavuus", "hyvinvointi", "osaaminen", "elinymparisto",
                       "elinkeinot_tyollisyys", "turvallisuus", "overall"],
                      ["Saavutettavuus", "Hyvinvointi", "Osaaminen", "Elinympäristö",
                       "Elinkeinot ja työllisyys", "Turvallisuus", "Elinvoimaindeksi"],
                      strict=True))
    for dim, case in CASES.items():
        metric = metrics[labels[dim]]
        if case in ("break", "set_changed", "no_new_data", "carried"):
            assert metric.proto.delta == "", (dim, metric.proto.delta)
    assert "1 v: aikasarjassa katko" in text and "1 v: mittarit vaihtuivat" in text
    assert "(osa mittareista)" in text  # the partial change, marked
    assert t("age.single_indicator", "fi") in text
    signed = fmt.signed(CASE_CHANGE, 1, "fi")
    # shown only by the two cards whose change is comparable (partial, single): the 5-year line
    assert text.count(f"5 v: ▲ {signed}") == 2 and text.count(signed) == 2
    deltas = sorted(m.proto.delta for m in at.metric if signed in m.proto.delta)
    assert len(deltas) == 2 and all(d.startswith(signed) for d in deltas)
    # the partial one is marked; a base picture on older figures names their years
    assert any("(osa mittareista" in d for d in deltas)
    for d in deltas:
        assert d == signed or re.fullmatch(
            re.escape(signed) + r" \((osa mittareista)?(; )?(vertailuvuoden luvut [0-9–]+)?\)",
            d), d


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_unknown_region_in_url_gives_message_and_default(warehouse_env, facts, page, lang):
    at = run_page(page, {"alue": "XX99", "kieli": lang})
    assert_ok(at)
    name = facts["areas"].loc["MK01", f"name_{lang}"]
    expected = t("issue.unknown_area", lang, value="XX99", default=name)
    assert expected in [i.value for i in at.info]
    assert at.query_params["alue"] == "MK01"


@pytest.mark.parametrize(("params", "key", "value"), [
    ({"vuosi": "1700"}, "issue.unknown_year", "1700"),
    ({"vuosi": "abc"}, "issue.invalid_year", "abc"),
    ({"kieli": "de"}, "issue.unknown_lang", "de"),
])
def test_bad_year_and_language(warehouse_env, facts, params, key, value):
    at = run_page(PAGES[0], params)
    assert_ok(at)
    default = "Suomi" if key == "issue.unknown_lang" else str(facts["year"])
    assert t(key, "fi", value=value, default=default) in [i.value for i in at.info]
    assert at.title[0].value == "Uusimaa"


def test_url_value_is_never_rendered_as_markup(warehouse_env):
    at = run_page(PAGES[0], {"alue": "<img src=x onerror=alert(1)>[x](http://e)"})
    assert_ok(at)
    message = at.info[0].value
    assert "<" not in message and "](" not in message
    assert not at.get("html")


def test_picking_a_region_updates_the_url_and_clears_the_message(warehouse_env):
    at = run_page(PAGES[0], {"alue": "XX99"})
    assert link_messages(at)
    at.selectbox(key="w_alue").set_value("MK19").run()
    assert_ok(at)
    assert at.query_params["alue"] == "MK19"
    assert at.title[0].value == "Lappi"
    assert not link_messages(at)


def test_language_switch(warehouse_env):
    at = run_page(PAGES[0], {"alue": "MK01"})
    at.segmented_control(key="w_kieli").set_value("sv").run()
    assert_ok(at)
    assert at.title[0].value == "Nyland"
    assert at.query_params["kieli"] == "sv"


def test_compare_page_measures(warehouse_env, facts):
    at = run_page(PAGES[1], {"alue": "MK02", "mittaus": "osaaminen"})
    assert_ok(at)
    assert at.query_params["mittaus"] == "osaaminen"
    (ranking,) = markdown_tables(at)
    assert len(ranking) == 20  # heading + 19 regions
    assert ranking[1][0].startswith("1./")
    assert len(at.get("plotly_chart")) == 3  # map, heatmap, rank intervals
    text = texts(at)
    assert "Osaaminen: maakuntien järjestys" in text  # no "Järjestys: Mittari: …"
    assert "Tuorein luku" in text or "Kaikki luvut" in text
    at = run_page(PAGES[1], {"mittaus": "unemployment_rate"})
    assert_ok(at)
    (ranking,) = markdown_tables(at)
    assert ranking[0][2] == t("col.value", "fi")
    assert any(t("compare.map_reverse", "fi") in visible(c.value) for c in at.caption)


def test_compare_offers_only_indicators_with_figures(warehouse_env, warehouse, facts):
    at = run_page(PAGES[1], {"alue": "MK02"})
    options = at.selectbox(key="w_mittaus").options
    year_ids = {r for (r,) in query.connect(warehouse).execute(
        "SELECT DISTINCT indicator_id FROM indicator_scores WHERE period = ? AND score IS NOT "
        "NULL", [facts["year"]]).fetchall()}
    offered = {i["id"] for i in load_catalog()
               if t("compare.indicator_option", "fi", name=i["label"]["fi"]) in options}
    assert offered == year_ids


def test_compare_page_unknown_measure(warehouse_env):
    at = run_page(PAGES[1], {"mittaus": "nope"})
    assert_ok(at)
    assert t("issue.unknown_measure", "fi", value="nope", default=t("common.overall", "fi")) in [
        visible(i.value) for i in at.info]
    assert at.query_params["mittaus"] == "overall"


def test_explorer_offers_only_indicators_with_figures(warehouse_env, facts):
    at = run_page(PAGES[2], {"alue": "MK02"})
    assert_ok(at)
    box = at.selectbox(key="w_mittari")
    assert len(box.options) == len(facts["with_data"]) < facts["n_catalog"]
    assert "No options to select" not in texts(at)


def test_explorer_areas_and_bad_params(warehouse_env):
    codes = "MK01,XX,MK02,MK04,MK05,MK06,MK07"
    at = run_page(PAGES[2], {"mittari": "nope", "alueet": codes})
    assert_ok(at)
    info = [i.value for i in at.info]
    assert any("nope" in m for m in info)
    assert t("issue.unknown_areas", "fi", value="XX") in info
    assert t("issue.too_many_areas", "fi", value="6") in info
    assert at.multiselect(key="w_alueet").value == ["MK01", "MK02", "MK04", "MK05", "MK06"]
    assert at.query_params["mittari"] == "unemployment_rate"
    assert len(at.get("plotly_chart")) == 2  # time series + distribution


def test_explorer_subregions_and_municipalities(warehouse_env):
    at = run_page(PAGES[2], {"mittari": "population_change", "alueet": "091,SK011,MK01",
                             "taso": "municipality"})
    assert_ok(at)
    assert at.multiselect(key="w_alueet").value == ["091", "SK011", "MK01"]
    table = at.dataframe[0].value
    assert "Helsinki (kunta)" in table.columns and "Helsinki (seutukunta)" in table.columns
    assert at.radio(key="w_taso").value == "municipality"


def test_explorer_shows_missing_as_missing(warehouse_env, warehouse):
    con = query.connect(warehouse)
    obs = query.observations(con, indicator_ids=["unemployment_rate"], area_codes=["MK01"])
    con.close()
    years = sorted(obs["period"])
    at = run_page(PAGES[2], {"mittari": "unemployment_rate", "alueet": "MK01"})
    assert_ok(at)
    table = at.dataframe[0].value
    # rows span the area's years, newest first; a missing value shows the mark, never 0
    assert list(table.index)[0] == str(years[-1]) and str(years[0]) in table.index
    cells = table["Uusimaa"].tolist()
    assert all(c == fmt.MISSING or c[0].isdigit() for c in cells)


def test_explorer_marks_a_break_on_chart_and_table(warehouse_env):
    at = run_page(PAGES[2], {"mittari": "offences_per_1000", "alueet": "MK01,SSS"})
    assert_ok(at)
    table = at.dataframe[0].value
    assert table.loc["2020", "Uusimaa"].endswith("¹")
    assert not table.loc["2021", "Uusimaa"].endswith("¹")
    assert any(visible(c.value).startswith("¹ 2020:") for c in at.caption)
    line = at.get("plotly_chart")[0].proto.spec
    assert '"showlegend":false' in line.replace(" ", "")  # the 2020 point stands alone


def test_weights_default_changes_nothing_then_recompute(warehouse_env, facts):
    at = run_page(PAGES[3], {"alue": "MK02"})
    assert_ok(at)
    n = facts["n_ranked"]
    assert t("weights.summary_none", "fi", n=n) in texts(at)
    for dim in ("saavutettavuus", "hyvinvointi", "osaaminen", "elinymparisto",
                "elinkeinot_tyollisyys"):
        at.select_slider(key=f"w_dw_{dim}").set_value(0.0)
    at.run()
    assert_ok(at)
    assert t("weights.summary_none", "fi", n=n) not in texts(at)
    assert at.query_params["painot"].startswith("elinkeinot_tyollisyys:0,")
    (table,) = markdown_tables(at)
    assert any("▲" in row[1] or "▼" in row[1] for row in table[1:])


def test_weights_all_zero_is_a_plain_message(warehouse_env):
    at = run_page(PAGES[3])
    for key in [s.key for s in at.select_slider if s.key.startswith("w_dw_")]:
        at.select_slider(key=key).set_value(0.0)
    at.run()
    assert_ok(at)
    assert t("weights.all_zero", "fi") in [visible(w.value) for w in at.warning]
    assert not markdown_tables(at)


@pytest.mark.parametrize(("painot", "code"), [("osaaminen:-1", "weight_negative"),
                                              ("osaaminen:nan", "weight_not_finite")])
def test_weights_negative_or_nan_in_url(warehouse_env, painot, code):
    from presentation.engine import Problem
    from presentation.weights import problem_text

    at = run_page(PAGES[3], {"painot": painot})
    assert_ok(at)
    detail = problem_text(Problem(code, "osaaminen", -1.0 if "-1" in painot else float("nan")),
                          "fi", {"osaaminen": "Osaaminen"})
    assert t("weights.url_problem", "fi", detail=detail) in [
        visible(w.value) for w in at.warning]
    assert at.select_slider(key="w_dw_osaaminen").value == 1.0
    assert markdown_tables(at)  # results with the default weights


def test_weights_from_url(warehouse_env):
    at = run_page(PAGES[3], {"painot": "osaaminen:3", "norm": "zscore", "agg": "geometric"})
    assert_ok(at)
    assert at.select_slider(key="w_dw_osaaminen").value == 3.0
    assert at.radio(key="w_norm").value == "zscore"
    assert at.radio(key="w_agg").value == "geometric"
    assert at.query_params["painot"] == "osaaminen:3"


CODE_NAMES = ("METHOD_VERSION", "validate_method", "goalposts", "DIMENSION_COVERAGE",
              "indicator_scores", "Method.id")


@pytest.mark.parametrize("lang", LANGS)
def test_method_page_speaks_plainly_in_the_chosen_language(warehouse_env, lang):
    at = run_page(PAGES[4], {"kieli": lang})
    assert_ok(at)
    assert t("method.intro", lang) in texts(at)
    for rule in ("method.rule_changes", "method.rule_context"):
        assert t(rule, lang) in texts(at)
    outside_doc = [m.value for m in at.markdown if "##" not in m.value]
    assert not [code for text in outside_doc for code in CODE_NAMES if code in text]
    assert t("method.doc_language", lang) in [c.value for c in at.caption]


def test_method_page_sources_coverage_and_runs(warehouse_env, warehouse):
    at = run_page(PAGES[4], {"kieli": "en"})
    assert_ok(at)
    text = texts(at)
    assert "CC BY 4.0" in text
    cov = query.coverage(query.connect(warehouse))
    with_data = cov.loc[cov["level"] == "region", "dimension"].nunique()
    assert len(at.get("plotly_chart")) == 1 + with_data  # worked example + one per dimension
    assert t("method.no_runs", "en") in [i.value for i in at.info]
    fi = run_page(PAGES[4], {"kieli": "fi"})
    fi_text = texts(fi)
    for english in ("free re-use", "Sotkanet indicator", "(snapshot)", "snapshot)"):
        assert english not in fi_text, english


def test_missing_warehouse_says_how_to_build(tmp_path, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_DB", str(tmp_path / "missing.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error[0].value == t("error.no_warehouse", "fi")
    assert "make build" in at.code[0].value


@pytest.fixture(scope="module")
def damaged(warehouse, tmp_path_factory):
    from damaged import damaged_copies

    return damaged_copies(warehouse, tmp_path_factory.mktemp("damaged"))


@pytest.mark.parametrize("kind", ["truncated", "bit_rotted", "no_scores", "old_columns",
                                  "old_method", "not_duckdb"])
def test_a_damaged_warehouse_gets_the_missing_message_on_every_page(damaged, kind, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_DB", str(damaged[kind]))
    for page, lang in zip(PAGES, ["fi", "sv", "en", "fi", "sv", "en"], strict=True):
        at = run_page(page, {"kieli": lang})
        assert not at.exception, (kind, page, [e.value for e in at.exception])
        assert [e.value for e in at.error] == [t("error.no_warehouse", lang)], (kind, page)
        shown = texts(at) + " ".join(c.value for c in at.code)
        assert str(damaged[kind].parent) not in shown and "Traceback" not in shown
        assert "make build" in at.code[0].value


@pytest.fixture(scope="module")
def gappy(warehouse, tmp_path_factory):
    """The bundled warehouse without Varsinais-Suomi's scores in the latest year."""
    names = ("meta", "areas", "dimensions", "indicators", "sources", "observations", "scores",
             "indicator_scores", "peers", "etl_runs", "breaks")
    tables = read_tables(warehouse, names)
    con = query.connect(warehouse)
    year = query.latest_period(con)
    con.close()
    scores = tables["scores"]
    drop = (scores["area_code"] == "MK02") & (scores["period"] == year)
    tables["scores"] = scores[~drop]
    meta_frame = tables.pop("meta")
    meta = dict(zip(meta_frame["key"], meta_frame["value"], strict=True))
    return write_warehouse(tmp_path_factory.mktemp("gappy") / "w.duckdb",
                           {k: v for k, v in tables.items() if isinstance(v, pd.DataFrame)},
                           meta), year


def test_region_without_scores_says_no_data(gappy, monkeypatch):
    path, year = gappy
    monkeypatch.setenv("TILANNEKUVA_DB", str(path))
    at = run_page(PAGES[0], {"alue": "MK02"})
    assert_ok(at)
    assert t("region.no_scores", "fi", region="Varsinais-Suomen", year=year) in [
        visible(i.value) for i in at.info]
    assert all(m.value == fmt.MISSING for m in at.metric)
    assert len(at.get("image")) >= 2  # the charts still draw
    at = run_page(PAGES[1], {"alue": "MK02"})
    assert_ok(at)
    assert any("Varsinais-Suomi" in visible(c.value) and t("common.no_data", "fi") in c.value
               for c in at.caption)


def test_no_raw_html_anywhere_in_the_app():
    import ast
    from pathlib import Path

    root = Path(APP).parent
    files = [root / "app.py", *(root / "ui").glob("*.py"), *(root / "views").glob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
                pytest.fail(f"{path.name}: unsafe_allow_html")
            if isinstance(node, ast.Attribute) and node.attr == "html" and \
                    isinstance(node.value, ast.Name) and node.value.id == "st":
                pytest.fail(f"{path.name}: st.html")


@pytest.mark.parametrize("page", PAGES)
def test_aland_has_little_data_and_every_page_still_works(warehouse_env, facts, page):
    """Åland (MK21) lacks most indicators: its scores are missing, shown as missing."""
    at = run_page(page, {"alue": "MK21", "kieli": "sv"})
    assert_ok(at)
    assert "Åland" in texts(at)
    if page == PAGES[0]:
        overall = facts["overall"].loc["MK21", "score"]
        assert pd.isna(overall)  # the bundled data really lack it
        assert at.metric[0].value == fmt.MISSING
        n = facts["overall"].loc["MK21", "n_indicators"]
        assert t("region.score_missing", "sv", n=int(n)) in texts(at)


def test_a_link_with_fifteen_thousand_areas_gives_a_few_messages(warehouse_env):
    at = run_page(PAGES[2], {"alueet": ",".join(["X"] * 15_000)})
    assert_ok(at)
    messages = link_messages(at)
    assert 1 <= len(messages) <= 5, len(messages)
    assert t("issue.too_long", "fi", param="alueet", value="15000") in messages


def test_an_off_scale_weight_in_a_link_is_named_and_snapped(warehouse_env):
    at = run_page(PAGES[3], {"painot": "osaaminen:2.3"})
    assert_ok(at)
    assert t("issue.off_grid", "fi", value="osaaminen:2.3", default="2,5") in link_messages(at)
    assert at.session_state["w_dw_osaaminen"] == 2.5

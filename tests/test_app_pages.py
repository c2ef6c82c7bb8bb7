"""AppTest of every page in fi/sv/en with good and bad URL parameters, on the bundled data."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl import query
from etl.warehouse import read_tables, write_warehouse
from ui import format as fmt
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["views/tilannekuva.py", "views/vertailu.py", "views/indikaattorit.py",
         "views/painotukset.py", "views/menetelma.py"]
LANGS = ["fi", "sv", "en"]


@pytest.fixture(scope="module")
def facts(warehouse):
    """Figures the pages must show, read straight from the warehouse."""
    con = query.connect(warehouse)
    year = query.latest_period(con)
    scores = query.scores(con, period=year)
    areas = query.areas(con).set_index("code")
    ind = query.indicator_scores(con, period=year, indicator_ids=["unemployment_rate"])
    con.close()
    overall = scores[scores["dimension"] == "overall"].set_index("area_code")
    return {"year": year, "overall": overall, "areas": areas,
            "unemployment": ind.set_index("area_code")}


def run_page(page: str, params: dict | None = None, timeout: float = 120) -> AppTest:
    """Open the app with URL parameters, switch to a page and run it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        # as if the link had been opened on that page: the same parameters, then the page
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(page).run()
    return at


def texts(at: AppTest) -> str:
    """All the visible text of a run (titles, markdown, captions, messages, metrics)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for metric in at.metric:
        parts += [metric.label, str(metric.value)]
    return "\n".join(parts)


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def score_text(facts, area: str, lang: str) -> str:
    return fmt.number(facts["overall"].loc[area, "score"], 1, lang)


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
    else:
        assert score_text(facts, "MK02", lang) in text
    # the view is in the URL, so a link opens the same view
    assert at.query_params["kieli"] == lang and at.query_params["alue"] == "MK02"
    assert at.query_params["vuosi"] == str(facts["year"])
    # the other languages' labels are not shown
    other = [x for x in LANGS if x != lang]
    assert all(t("common.overall", o) not in text for o in other
               if t("common.overall", o) != t("common.overall", lang))


def _unit(indicator_id: str, lang: str) -> str:
    from indicators.catalog import indicator

    return indicator(indicator_id)["unit"][lang]


def test_region_page_header_scores_radar_and_key_indicators(warehouse_env, facts):
    at = run_page(PAGES[0], {"alue": "MK02", "kieli": "fi"})
    assert_ok(at)
    assert at.title[0].value == "Varsinais-Suomi"
    assert str(facts["year"]) in at.caption[0].value
    overall = at.metric[0]
    assert overall.label == t("common.overall", "fi")
    assert overall.value == score_text(facts, "MK02", "fi")
    assert len(at.metric) == 7  # overall + six dimensions
    rank = facts["overall"].loc["MK02", "rank"]
    assert f"Sija **{int(rank)}./19**" in texts(at)
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # radar + locator map
    key_table = at.dataframe[0].value
    assert t("col.indicator", "fi") in key_table.columns and len(key_table) >= 12


def test_region_page_year_from_url(warehouse_env, facts):
    earlier = facts["year"] - 1
    at = run_page(PAGES[0], {"alue": "MK01", "vuosi": str(earlier)})
    assert_ok(at)
    assert f"{earlier}" in at.caption[0].value
    assert not at.info


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
    assert at.info
    at.selectbox(key="w_alue").set_value("MK19").run()
    assert_ok(at)
    assert at.query_params["alue"] == "MK19"
    assert at.title[0].value == "Lappi"
    assert not at.info


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
    ranking = at.dataframe[0].value
    assert len(ranking) == 19
    assert list(ranking[t("col.rank", "fi")][:1]) == ["1./19"]
    assert len(at.get("plotly_chart")) == 3  # map, heatmap, rank intervals
    at = run_page(PAGES[1], {"mittaus": "unemployment_rate"})
    assert_ok(at)
    assert t("col.value", "fi") in at.dataframe[0].value.columns
    assert any(t("compare.map_reverse", "fi") in c.value for c in at.caption)


def test_compare_page_unknown_measure(warehouse_env):
    at = run_page(PAGES[1], {"mittaus": "nope"})
    assert_ok(at)
    assert t("issue.unknown_measure", "fi", value="nope", default=t("common.overall", "fi")) in [
        i.value for i in at.info]
    assert at.query_params["mittaus"] == "overall"


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
    assert "Helsinki" in table.index
    assert at.radio(key="w_taso").value == "municipality"


def test_explorer_shows_missing_as_missing(warehouse_env, warehouse):
    con = query.connect(warehouse)
    obs = query.observations(con, indicator_ids=["unemployment_rate"], area_codes=["MK01"])
    con.close()
    years = sorted(obs["period"])
    first, last = years[0], years[-1]
    at = run_page(PAGES[2], {"mittari": "unemployment_rate", "alueet": "MK01"})
    assert_ok(at)
    table = at.dataframe[0].value
    # columns span the indicator's years; a year the area lacks shows the mark, never 0
    assert str(first) in table.columns and str(last) in table.columns
    cells = table.loc["Uusimaa"].tolist()
    assert all(c == fmt.MISSING or c[0].isdigit() for c in cells)


def test_weights_default_changes_nothing_then_recompute(warehouse_env):
    at = run_page(PAGES[3], {"alue": "MK02"})
    assert_ok(at)
    assert t("weights.summary", "fi", moved=0, n=19) in texts(at)
    for dim in ("saavutettavuus", "hyvinvointi", "osaaminen", "elinymparisto",
                "elinkeinot_tyollisyys"):
        at.select_slider(key=f"w_dw_{dim}").set_value(0.0)
    at.run()
    assert_ok(at)
    assert t("weights.summary", "fi", moved=0, n=19) not in texts(at)
    assert at.query_params["painot"].startswith("elinkeinot_tyollisyys:0,")
    table = at.dataframe[0].value
    assert (table[t("weights.col_change", "fi")] != "● ±0").any()


def test_weights_all_zero_is_a_plain_message(warehouse_env):
    at = run_page(PAGES[3])
    for key in [s.key for s in at.select_slider if s.key.startswith("w_dw_")]:
        at.select_slider(key=key).set_value(0.0)
    at.run()
    assert_ok(at)
    assert t("weights.all_zero", "fi") in [w.value for w in at.warning]
    assert not at.dataframe


@pytest.mark.parametrize(("painot", "key"), [("osaaminen:-1", "weights.url_negative"),
                                             ("osaaminen:nan", "weights.url_nan")])
def test_weights_negative_or_nan_in_url(warehouse_env, painot, key):
    at = run_page(PAGES[3], {"painot": painot})
    assert_ok(at)
    assert t(key, "fi", name="Osaaminen") in [w.value for w in at.warning]
    assert at.select_slider(key="w_dw_osaaminen").value == 1.0
    assert at.dataframe  # results with the default weights


def test_weights_from_url(warehouse_env):
    at = run_page(PAGES[3], {"painot": "osaaminen:3", "norm": "zscore", "agg": "geometric"})
    assert_ok(at)
    assert at.select_slider(key="w_dw_osaaminen").value == 3.0
    assert at.radio(key="w_norm").value == "zscore"
    assert at.radio(key="w_agg").value == "geometric"
    assert at.query_params["painot"] == "osaaminen:3"


def test_method_page_sources_coverage_and_runs(warehouse_env):
    at = run_page(PAGES[4], {"kieli": "en"})
    assert_ok(at)
    frames = [d.value for d in at.dataframe]
    meta = frames[0]
    assert len(meta) >= 24 and "CC BY 4.0" in set(meta["Licence"])
    sources = frames[1]
    assert len(sources) >= 10 and sources["Licence"].str.len().min() > 0
    cc_by = sources[sources["Licence"] == "CC BY 4.0"]
    assert len(cc_by) and (cc_by["Licence terms"] ==
                           "https://creativecommons.org/licenses/by/4.0/").all()
    assert len(at.get("plotly_chart")) >= 7  # worked example + coverage per dimension
    assert t("method.no_runs", "en") in [i.value for i in at.info]


METHOD_HEADINGS = {"fi": "### 4. Normalisointi asteikolle 0–100",
                   "sv": "### 4. Normalisering till skalan 0–100",
                   "en": "### 4. Normalisation to 0–100"}


@pytest.mark.parametrize("lang", LANGS)
def test_method_page_shows_the_methodology_in_the_chosen_language(warehouse_env, lang):
    at = run_page(PAGES[4], {"kieli": lang})
    assert_ok(at)
    shown = texts(at)
    assert METHOD_HEADINGS[lang] in shown
    assert not any(h in shown for other, h in METHOD_HEADINGS.items() if other != lang)
    assert t("method.doc_language", lang) in [c.value for c in at.caption]


def test_missing_warehouse_says_how_to_build(tmp_path, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_DB", str(tmp_path / "missing.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error[0].value == t("error.no_warehouse", "fi")
    assert "make run" in at.code[0].value


@pytest.fixture(scope="module")
def gappy(warehouse, tmp_path_factory):
    """The bundled warehouse without Varsinais-Suomi's scores in the latest year."""
    names = ("meta", "areas", "dimensions", "indicators", "sources", "observations", "scores",
             "indicator_scores", "peers", "etl_runs")
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
    assert t("region.no_scores", "fi", region="Varsinais-Suomi", year=year) in [
        i.value for i in at.info]
    assert all(m.value == fmt.MISSING for m in at.metric)
    assert len(at.get("plotly_chart")) == 2  # the charts still draw
    at = run_page(PAGES[1], {"alue": "MK02"})
    assert_ok(at)
    assert any("Varsinais-Suomi" in c.value and t("common.no_data", "fi") in c.value
               for c in at.caption)


def test_no_raw_html_anywhere_in_the_app():
    import ast

    files = [ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "views").glob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
                pytest.fail(f"{path.name}: unsafe_allow_html")
            if isinstance(node, ast.Attribute) and node.attr == "html" and \
                    isinstance(node.value, ast.Name) and node.value.id == "st":
                pytest.fail(f"{path.name}: st.html")


@pytest.mark.parametrize("lang", LANGS)
def test_data_coverage_matrix_and_sources(warehouse_env, warehouse, lang):
    """The 'Data' view of the foundation issue: coverage by dimension and sources + licences."""
    con = query.connect(warehouse)
    cov = query.coverage(con)
    dims = query.dimensions(con)
    con.close()
    at = run_page(PAGES[4], {"kieli": lang})
    assert_ok(at)
    with_data = cov.loc[cov["level"] == "region", "dimension"].nunique()
    charts = at.get("plotly_chart")
    assert len(charts) == 1 + with_data  # the worked example + one matrix per dimension
    shown = [m.value for m in at.markdown]
    for label in dims[f"label_{lang}"]:
        assert f"**{label}**" in shown
    sources = at.dataframe[1].value
    assert t("col.licence", lang) in sources.columns and len(sources) >= 10


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
        assert t("region.score_missing", "sv", n=int(n)) in [c.value for c in at.caption]

import dataclasses
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from report_helpers import latest_score_year, overall_score, sql, unscored_warehouse

from indicators.catalog import load_dimensions
from report import content as rc
from report.frames import load_frames
from report.texts import STRINGS_PATH, strings
from ui import format as fmt
from ui.i18n import LANGUAGES, load_strings, validate_strings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def frames(warehouse):
    return load_frames(warehouse)


@pytest.fixture(scope="module")
def unscored(tmp_path_factory):
    db = unscored_warehouse(tmp_path_factory.mktemp("unscored") / "wh.duckdb")
    return load_frames(db)


def test_report_strings_are_valid_and_every_used_key_exists():
    assert validate_strings(load_strings(STRINGS_PATH)) == []
    used = set()
    for path in [*ROOT.joinpath("report").glob("*.py"), ROOT / "ui" / "downloads.py"]:
        used |= set(re.findall(r'\brt\(\s*f?"([a-z_]+\.[a-z_0-9]+)"', path.read_text("utf-8")))
    used |= {f"brief.{n}" for n in ("col_interval", "col_change_1y", "col_change_5y",
                                     "col_change")}  # built with an f-string
    assert used, "no report string keys found in the code"
    missing = sorted(used - set(strings()))
    assert missing == []


def test_brief_of_a_region_matches_the_warehouse(frames, warehouse):
    year = latest_score_year(warehouse)
    c = rc.build_content(frames, "MK07", "fi")
    assert c.year == year
    assert c.region_name == "Päijät-Häme"
    score = overall_score(warehouse, "MK07", year)
    assert c.overall.dimension == "overall"
    assert c.overall.score_text == fmt.number(score, 1, "fi")
    rank = sql(warehouse, "SELECT rank, rank_low, rank_high FROM scores WHERE area_code='MK07' "
                          "AND period=? AND dimension='overall'", [year])[0]
    assert c.overall.rank_text == fmt.rank(rank[0], 19, "fi")
    assert c.overall.interval_text == fmt.rank_interval(rank[1], rank[2])
    labels = [d["label"]["fi"] for d in load_dimensions()]
    assert [r.label for r in c.scores[1:]] == labels
    assert list(c.radar.labels) == labels
    assert c.file_stem == f"tilannekuva_{year}_MK07_paijat-hame_fi"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dimension_names_follow_the_language(frames, warehouse, lang):
    latest_score_year(warehouse)
    c = rc.build_content(frames, "MK15", lang)
    labels = [d["label"][lang] for d in load_dimensions()]
    assert [r.label for r in c.scores[1:]] == labels
    assert c.region_name == {"fi": "Pohjanmaa", "sv": "Österbotten", "en": "Ostrobothnia"}[lang]


def test_key_indicator_values_equal_the_warehouse(frames, warehouse):
    year = latest_score_year(warehouse)
    c = rc.build_content(frames, "MK02", "sv")
    assert c.key_rows, "no key indicators"
    for row in c.key_rows:
        found = sql(warehouse, """
            SELECT o.period, o.value, i.decimals FROM observations o
            JOIN indicators i ON i.id = o.indicator_id
            WHERE o.indicator_id = ? AND o.area_code = 'MK02' AND o.value IS NOT NULL
              AND o.period <= ? ORDER BY o.period DESC LIMIT 1""", [row.indicator_id, year])
        if not found:
            assert row.value_text == fmt.MISSING
            continue
        period, value, decimals = found[0]
        assert row.year_text == str(period)
        assert row.value_text == fmt.number(value, decimals, "sv")
        assert len(row.periods) == len(row.values) == len(row.country_values)
        assert row.periods[-1] == year


def test_missing_figures_are_shown_as_missing_not_zero(frames, warehouse):
    year = latest_score_year(warehouse)
    obs = frames.observations.copy()
    hit = (obs["indicator_id"] == "unemployment_rate") & (obs["area_code"] == "MK07")
    obs.loc[hit, "value"] = float("nan")
    sc = frames.scores.copy()
    gone = (sc["area_code"] == "MK07") & (sc["period"] == year) & (sc["dimension"] == "osaaminen")
    sc.loc[gone, "score"] = float("nan")
    changed = dataclasses.replace(frames, observations=obs, scores=sc)
    c = rc.build_content(changed, "MK07", "en")
    row = next(r for r in c.key_rows if r.indicator_id == "unemployment_rate")
    assert row.value_text == fmt.MISSING
    assert row.change_text == fmt.MISSING
    assert all(math.isnan(v) for v in row.values)
    skills = next(r for r in c.scores if r.dimension == "osaaminen")
    assert skills.score_text == fmt.MISSING
    assert "No data" in c.no_scores_text and "Skills" in c.no_scores_text


def test_a_warehouse_without_scores_says_no_data(unscored):
    c = rc.build_content(unscored, "MK07", "fi")
    assert not c.has_scores
    assert all(r.score_text == fmt.MISSING for r in c.scores)
    assert c.no_scores_text.startswith("Ei tietoa")
    assert c.strengths == () and c.weaknesses == ()
    assert c.sw_empty_text.startswith("Ei tietoa")
    assert not c.radar.has_data
    assert any(r.value_text != fmt.MISSING for r in c.key_rows)  # the figures are still there
    assert c.year == max(unscored.observation_periods)


def test_unknown_region_language_or_year_give_a_clear_error(frames):
    with pytest.raises(rc.BriefError, match="Unknown region code 'XX99'"):
        rc.build_content(frames, "XX99", "fi")
    with pytest.raises(rc.BriefError, match="Unsupported language"):
        rc.build_content(frames, "MK07", "de")
    with pytest.raises(rc.BriefError, match="no figures for the year 1850; available years"):
        rc.build_content(frames, "MK07", "fi", 1850)


def test_peers_and_sources_come_from_the_warehouse(frames, warehouse):
    latest_score_year(warehouse)
    c = rc.build_content(frames, "MK07", "fi")
    peers = [r[0] for r in sql(warehouse, "SELECT a.name_fi FROM peers p JOIN areas a "
                                          "ON a.code = p.peer_code WHERE p.area_code = 'MK07' "
                                          "AND p.period = (SELECT max(period) FROM peers) "
                                          "ORDER BY p.peer_rank")]
    assert list(c.peers.columns[1:-1]) == ["Päijät-Häme", *peers]
    assert c.peers.columns[-1] == "Koko maa"
    assert len(c.peers.rows) == 7
    licences = {r[0] for r in sql(warehouse, """
        SELECT DISTINCT s.licence FROM sources s JOIN observations o ON o.source_id = s.source_id
        WHERE o.area_code = 'MK07'""")}
    text = " ".join(c.sources)
    assert all(lic in text for lic in licences)
    assert c.method_version in c.method_text


def test_slug_is_ascii():
    assert rc.slug("Päijät-Häme") == "paijat-hame"
    assert rc.slug("Åland") == "aland"
    assert rc.slug("Södra Österbotten") == "sodra-osterbotten"


def test_available_years_prefer_scored_years(frames):
    empty = dataclasses.replace(frames, score_periods=[], observation_periods=[])
    with pytest.raises(rc.BriefError, match="no scores or observations"):
        rc.resolve_year(empty)
    only_obs = dataclasses.replace(frames, score_periods=[], observation_periods=[2001, 2003])
    assert rc.resolve_year(only_obs) == 2003
    assert rc.resolve_year(only_obs, 2001) == 2001
    assert isinstance(frames.observations, pd.DataFrame)
    # the briefs read the country and the regions only, every area's rows among them
    assert set(frames.areas["level"]) == {"country", "region"} and len(frames.areas) == 20
    assert not frames.observations.empty
    assert set(frames.observations["area_code"]) <= set(frames.areas["code"])

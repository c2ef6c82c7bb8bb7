"""RegionPicture against the warehouse read with independent SQL: the stored figures, shown."""

import dataclasses
import datetime as dt

import pytest
from report_helpers import latest_score_year, overall_score, sql, unscored_warehouse

from indicators.catalog import load_dimensions
from presentation import format as fmt
from presentation.display import plain
from presentation.frames import load_frames
from presentation.i18n import LANGUAGES
from presentation.region import build_region_picture, resolve_year, slug

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def unscored(tmp_path_factory):
    return load_frames(unscored_warehouse(tmp_path_factory.mktemp("unscored") / "wh.duckdb"))


def test_the_picture_shows_the_stored_scores(frames, warehouse):
    year = latest_score_year(warehouse)
    picture = build_region_picture(frames, "MK07", "fi", today=TODAY)
    assert picture.year == year and picture.region_name == "Päijät-Häme"
    assert picture.overall.score_text == fmt.number(overall_score(warehouse, "MK07", year), 1,
                                                    "fi")
    rank, low, high = sql(warehouse, "SELECT rank, rank_low, rank_high FROM scores WHERE "
                                     "area_code='MK07' AND period=? AND dimension='overall'",
                          [year])[0]
    n = sql(warehouse, "SELECT count(*) FROM scores s JOIN areas a ON a.code = s.area_code "
                       "WHERE a.level = 'region' AND s.period = ? AND s.dimension = 'overall' "
                       "AND s.rank IS NOT NULL", [year])[0][0]
    assert picture.overall.rank_text == f"{rank}./{n}"
    assert picture.overall.interval_text == fmt.rank_interval(low, high)
    assert [c.label for c in picture.cards[1:]] == [d["label"]["fi"] for d in load_dimensions()]
    assert picture.file_stem == f"tilannekuva_{year}_MK07_paijat-hame_fi"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_names_and_labels_follow_the_language(frames, lang):
    picture = build_region_picture(frames, "MK15", lang, today=TODAY)
    assert [c.label for c in picture.cards[1:]] == [d["label"][lang] for d in load_dimensions()]
    assert picture.region_name == {"fi": "Pohjanmaa", "sv": "Österbotten",
                                   "en": "Ostrobothnia"}[lang]


def test_key_indicator_values_and_years_equal_the_warehouse(frames, warehouse):
    year = latest_score_year(warehouse)
    picture = build_region_picture(frames, "MK02", "sv", today=TODAY)
    assert picture.key_rows
    for row in picture.key_rows:
        found = sql(warehouse, """
            SELECT o.period, o.value, i.decimals, o.flag FROM observations o
            JOIN indicators i ON i.id = o.indicator_id
            WHERE o.indicator_id = ? AND o.area_code = 'MK02' AND o.value IS NOT NULL
              AND o.period <= ? ORDER BY o.period DESC LIMIT 1""", [row.indicator_id, year])
        if not found:
            assert row.value_text == fmt.MISSING
            continue
        period, value, decimals, flag = found[0]
        year_text = f"{period}, del av år" if flag == "partial" else str(period)
        assert (row.year_text, row.value_text) == (year_text, fmt.number(value, decimals, "sv"))
        country = sql(warehouse, "SELECT value FROM observations WHERE indicator_id = ? AND "
                                 "area_code = 'SSS' AND period = ?", [row.indicator_id, period])
        expected = fmt.number(country[0][0], decimals, "sv") if country else fmt.MISSING
        assert row.country_text == expected
        assert row.periods[-1] == year and len(row.values) == len(row.periods)


def test_peers_and_sources_come_from_the_warehouse(frames, warehouse):
    year = latest_score_year(warehouse)
    picture = build_region_picture(frames, "MK07", "fi", today=TODAY)
    peers = [r[0] for r in sql(warehouse, "SELECT a.name_fi FROM peers p JOIN areas a ON "
                                          "a.code = p.peer_code WHERE p.area_code = 'MK07' "
                                          "AND p.period = ? ORDER BY p.peer_rank", [year])]
    assert picture.peers.columns[1] == "Päijät-Häme"
    assert picture.peers.columns[-1] == "Vertaisalueet ja koko maa"
    assert len(picture.peers.rows) == 7
    peer_cell = plain(picture.peers.rows[0][2])
    assert [p for p in peers if p in peer_cell] == peers
    assert peer_cell.index(peers[0]) < peer_cell.index(peers[-1])
    licences = {r[0] for r in sql(warehouse, """
        SELECT DISTINCT s.licence FROM sources s JOIN observations o ON o.source_id = s.source_id
        WHERE o.area_code = 'MK07'""")}
    text = " ".join(picture.sources)
    assert all(lic.split(":")[0] in text for lic in licences)
    assert picture.method_version in picture.method_text


def test_a_warehouse_without_scores_says_no_data(unscored):
    picture = build_region_picture(unscored, "MK07", "fi", today=TODAY)
    assert not picture.has_scores
    assert all(c.score_text == fmt.MISSING for c in picture.cards)
    assert picture.no_scores_text.startswith("Päijät-Hämeen pisteitä vuodelta")
    assert picture.strengths == () and picture.weaknesses == ()
    assert picture.strengths_empty.startswith("Ei tietoa")
    assert not picture.radar.has_data
    assert any(r.value_text != fmt.MISSING for r in picture.key_rows)
    assert picture.year == max(unscored.observation_periods)


def test_slug_and_years(frames):
    assert slug("Päijät-Häme") == "paijat-hame" and slug("Åland") == "aland"
    assert slug("Södra Österbotten") == "sodra-osterbotten"
    only_obs = dataclasses.replace(frames, score_periods=[], observation_periods=[2001, 2003])
    assert resolve_year(only_obs) == 2003 and resolve_year(only_obs, 2001) == 2001
    assert set(frames.areas["level"]) == {"country", "region"} and len(frames.areas) == 20
    assert set(frames.observations["area_code"]) <= set(frames.areas["code"])

"""RegionPicture: what the region page and the brief both show, from hand-set contract cases."""

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest
from picture_fixtures import CASE_AREA, CASE_CHANGE, CASES, newest_year

from presentation import format as fmt
from presentation.display import plain
from presentation.frames import conform
from presentation.i18n import LANGUAGES, t
from presentation.region import PictureError, build_region_picture, resolve_year

TODAY = dt.date(2026, 12, 1)


def card(picture, dimension):
    return next(c for c in picture.cards if c.dimension == dimension)


def shown_everywhere(picture) -> str:
    """Every text of the picture a renderer prints, joined."""
    parts = [picture.subtitle, picture.ages_text, *picture.notices, picture.no_scores_text]
    for c in picture.cards:
        parts += [c.score_text, c.rank_line, *c.change_lines, c.change_1y.text,
                  c.change_5y.text, c.ages_text, *c.notes]
    for table in (picture.scores_table, picture.key_table, picture.key_table_print,
                  picture.peers):
        parts += [plain(cell) for row in table.rows for cell in row]
    parts += [*picture.strengths, *picture.weaknesses, *picture.extremes]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_change_is_shown_where_the_contract_forbids_it(cases, lang):
    picture = build_region_picture(cases, CASE_AREA, lang, today=TODAY)
    forbidden = {fmt.signed(CASE_CHANGE, 1, lang), fmt.number(CASE_CHANGE, 1, lang)}
    for dim, case in CASES.items():
        c = card(picture, dim)
        if math.isnan(c.score):  # no score this year: no change either, only the dash
            assert c.change_1y.text == c.change_5y.text == fmt.MISSING, (dim, case)
            assert not c.change_lines
        elif case in ("break", "set_changed", "no_new_data", "carried"):
            assert not c.change_1y.shown and not c.change_5y.shown, (dim, case)
            assert c.change_1y.note == ("no_new_data" if case == "carried" else case)
            texts = [c.change_1y.text, c.change_5y.text, *c.change_lines]
            assert not any(f in text for f in forbidden for text in texts), (dim, texts)
    # the scores table of the brief prints the same cards
    rows = {plain(r[0]): [plain(x) for x in r] for r in picture.scores_table.rows}
    for dim, case in CASES.items():
        if case in ("break", "set_changed", "no_new_data", "carried"):
            assert not any(f in cell for f in forbidden for cell in rows[card(picture, dim).label])


def test_the_reasons_are_said_in_words(cases):
    picture = build_region_picture(cases, CASE_AREA, "fi", today=TODAY)
    year = newest_year(cases)
    assert card(picture, "overall").change_1y.text == "aikasarjassa katko"
    assert card(picture, "hyvinvointi").change_1y.text == "mittarit vaihtuivat"
    assert card(picture, "osaaminen").change_1y.text == (
        f"ei uutta lukua vuoden {year - 3} jälkeen")
    assert "1 v: aikasarjassa katko" in card(picture, "overall").change_lines
    sv = build_region_picture(cases, CASE_AREA, "sv", today=TODAY)
    assert card(sv, "osaaminen").change_1y.text == f"ingen ny siffra efter {year - 3}"
    en = build_region_picture(cases, CASE_AREA, "en", today=TODAY)
    assert card(en, "hyvinvointi").change_1y.text == "the indicators changed"


def test_a_partial_change_is_shown_and_marked(cases):
    picture = build_region_picture(cases, CASE_AREA, "fi", today=TODAY)
    partial = card(picture, "elinymparisto").change_1y
    assert partial.shown and partial.value == CASE_CHANGE
    assert partial.text == f"▲ {fmt.signed(CASE_CHANGE, 1, 'fi')} (osa mittareista)"


def test_a_single_indicator_and_carried_values_are_said_on_the_card(cases):
    picture = build_region_picture(cases, CASE_AREA, "fi", today=TODAY)
    assert card(picture, "elinkeinot_tyollisyys").notes == (t("age.single_indicator", "fi"),)
    assert card(picture, "turvallisuus").notes == (
        t("age.mostly_carried", "fi", carried=3, used=4),)
    assert card(picture, "elinymparisto").notes == () or all(
        "yhteen" not in n for n in card(picture, "elinymparisto").notes)


def test_ranks_say_how_many_regions_are_ranked(contract):
    year = newest_year(contract)
    scores = contract.scores
    overall = scores[(scores["area_code"] == CASE_AREA) & (scores["period"] == year)
                     & (scores["dimension"] == "overall")].iloc[0]
    picture = build_region_picture(contract, CASE_AREA, "fi", today=TODAY)
    assert picture.overall.rank_text == f"{int(overall['rank'])}./{int(overall['n_ranked'])}"
    fewer = contract.scores.copy()
    fewer.loc[fewer["period"] == year, "n_ranked"] = 17
    picture = build_region_picture(dataclasses.replace(contract, scores=fewer), CASE_AREA, "fi",
                                   today=TODAY)
    assert all(c.rank_text.endswith("/17") for c in picture.cards if c.has_score)
    assert all("/17" in plain(r[1]) for r in picture.peers.rows if plain(r[1]) != fmt.MISSING)


def test_the_ages_and_the_notices_follow_today(contract):
    year = newest_year(contract)
    scores = contract.scores
    row = scores[(scores["area_code"] == CASE_AREA) & (scores["period"] == year)
                 & (scores["dimension"] == "overall")].iloc[0]
    newest, oldest = int(row["newest_period"]), int(row["oldest_period"])
    soon = build_region_picture(contract, CASE_AREA, "fi", today=dt.date(newest + 1, 6, 1))
    assert soon.ages_text == (f"Tuorein luku {newest} · vanhin käytetty {oldest}"
                              if oldest != newest else f"Kaikki luvut vuodelta {newest}")
    assert not any("tilannekuvan tuorein luku" in n for n in soon.notices)
    late = build_region_picture(contract, CASE_AREA, "fi", today=dt.date(newest + 3, 1, 2))
    assert late.notices[0] == (f"Pohjois-Karjalan tilannekuvan tuorein luku on vuodelta "
                               f"{newest}, yli 2 vuotta vanha. Kuva ei näytä viime vuosien "
                               "kehitystä.")
    old = [c.label for c, r in zip(late.cards[1:], late.cards[1:], strict=True) if c.has_score]
    assert any(label in late.notices[-1] for label in old)
    en = build_region_picture(contract, CASE_AREA, "en", today=dt.date(newest + 3, 1, 2))
    assert en.notices[0].startswith("The newest figure in North Karelia's picture is from")
    for c in late.cards:
        if c.has_score:
            assert c.ages_text.startswith(("Tuorein luku", "Kaikki luvut"))


def test_the_default_year_is_the_newest_with_an_index(contract):
    assert resolve_year(contract) == max(contract.score_periods)
    assert build_region_picture(contract, "MK01", "fi", today=TODAY).year == max(
        contract.score_periods)
    with pytest.raises(PictureError, match="no figures for the year 1850"):
        build_region_picture(contract, "MK01", "fi", 1850)
    with pytest.raises(PictureError, match="Unknown region code 'XX99'"):
        build_region_picture(contract, "XX99", "fi")
    with pytest.raises(PictureError, match="Unsupported language"):
        build_region_picture(contract, "MK01", "de")


def test_strength_sentences_carry_value_unit_year_and_the_country(contract):
    year = newest_year(contract)
    picture = build_region_picture(contract, CASE_AREA, "fi", today=TODAY)
    ind = contract.indicator_scores
    own = ind[(ind["area_code"] == CASE_AREA) & (ind["period"] == year)].set_index(
        "indicator_id")
    country = ind[(ind["area_code"] == "SSS") & (ind["period"] == year)].set_index(
        "indicator_id")
    catalog = contract.indicators.set_index("id")
    found = 0
    for ident, row in own.iterrows():
        label = catalog.loc[ident, "label_fi"]
        unit, decimals = catalog.loc[ident, "unit_fi"], int(catalog.loc[ident, "decimals"])
        value = fmt.with_unit(row["value"], unit, decimals, "fi")
        for text in (*picture.strengths, *picture.weaknesses):
            if text.startswith(f"{label} {value}"):
                found += 1
                assert f", {int(row['value_period'])}" in text
                if ident in country.index and country.loc[ident, "value_period"] == \
                        row["value_period"]:
                    assert f"(koko maa {fmt.with_unit(country.loc[ident, 'value'], unit, decimals, 'fi')})" in text  # noqa: E501
                assert " · sija " in text
    assert found >= 1, (picture.strengths, picture.weaknesses)


def test_best_and_worst_ranks_are_named_even_without_strengths(contract):
    year = newest_year(contract)
    scores = contract.scores.copy()
    # nothing passes the threshold: every region at the country's level
    own = contract.scores[(contract.scores["area_code"] == "SSS")
                          & (contract.scores["period"] == year)].set_index("dimension")["score"]
    hit = (scores["area_code"] == CASE_AREA) & (scores["period"] == year)
    scores.loc[hit, "score"] = scores.loc[hit, "dimension"].map(own)
    ind = contract.indicator_scores.copy()
    country = ind[(ind["area_code"] == "SSS") & (ind["period"] == year)].set_index(
        "indicator_id")["score"]
    hit_i = (ind["area_code"] == CASE_AREA) & (ind["period"] == year)
    ind.loc[hit_i, "score"] = ind.loc[hit_i, "indicator_id"].map(country)
    flat = dataclasses.replace(contract, scores=scores, indicator_scores=ind)
    picture = build_region_picture(flat, CASE_AREA, "fi", today=TODAY)
    assert picture.strengths == () and picture.weaknesses == ()
    assert picture.strengths_empty.startswith("Yksikään ulottuvuus tai mittari ei ole")
    assert picture.extremes[0].startswith("Ulottuvuuksista Pohjois-Karjalan paras sija on ")
    dims = flat.scores[(flat.scores["area_code"] == CASE_AREA) & (flat.scores["period"] == year)
                       & (flat.scores["dimension"] != "overall")].dropna(subset=["rank"])
    best = dims.sort_values(["rank", "dimension"]).iloc[0]
    label = contract.dimensions.set_index("id").loc[best["dimension"], "label_fi"]
    assert f"{label} ({int(best['rank'])}./{int(best['n_ranked'])})" in picture.extremes[0]
    assert picture.extremes[1].startswith("Mittareista Pohjois-Karjalan paras sija on ")


def test_key_indicator_changes_never_cross_a_break_or_come_from_a_carried_value(contract):
    obs = contract.observations.copy()
    ids = list(contract.indicators.loc[contract.indicators["key"].fillna(False).astype(bool),
                                       "id"])
    own = obs[(obs["area_code"] == CASE_AREA) & obs["value"].notna()
              & obs["flag"].isna()]

    def current_in(year: int) -> list[str]:
        return [i for i in ids if ((own["indicator_id"] == i) & (own["period"] == year)).any()
                and ((own["indicator_id"] == i) & (own["period"] == year - 1)).any()]

    # the newest picture year in which two key indicators have this and last year's figure
    year = max(y for y in contract.score_periods if len(current_in(y)) >= 2)
    current = current_in(year)
    broken, carried = current[0], current[1]
    breaks = pd.concat([contract.breaks, pd.DataFrame([{
        "indicator_id": broken, "period": year, "level": "region", "kind": "series_break",
        "reason_fi": "uusi määritelmä", "reason_sv": "ny definition",
        "reason_en": "a new definition"}])], ignore_index=True)
    obs = obs[~((obs["indicator_id"] == carried) & (obs["area_code"] == CASE_AREA)
                & (obs["period"] == year))]
    picture = build_region_picture(dataclasses.replace(contract, breaks=breaks,
                                                       observations=obs), CASE_AREA, "fi",
                                   year=year, today=TODAY)
    rows = {r.indicator_id: r for r in picture.key_rows}
    assert rows[broken].change.note == "break" and not rows[broken].change.shown
    assert rows[broken].change.text == "aikasarjassa katko"
    assert (year, "series_break") in rows[broken].breaks
    assert rows[carried].change.note == "no_new_data" and not rows[carried].change.shown
    assert rows[carried].year_text == str(year - 1)
    assert rows[carried].change.text == "ei uudempaa lukua"
    for r in picture.key_rows:  # every shown change is this year's against the last
        if r.change.shown:
            assert r.year_text == str(year)
    shown = [plain(row[1]) for row in picture.key_table.rows]
    assert any("aikasarjassa katko" in text for text in shown)


def test_a_part_year_key_figure_is_marked_and_never_charted(contract):
    """The bundled 2023 employment-service means cover ten months: marked, not a trend point."""
    year = newest_year(contract)
    obs = contract.observations
    part = obs[(obs["area_code"] == CASE_AREA) & (obs["flag"] == "partial")
               & obs["value"].notna() & (obs["period"] <= year)]
    keys = set(contract.indicators.loc[contract.indicators["key"].fillna(False).astype(bool),
                                       "id"])
    part = part[part["indicator_id"].isin(keys)]
    assert len(part), "the bundled data need a part-year figure of a key indicator"
    ident, period = part["indicator_id"].iloc[0], int(part["period"].iloc[0])
    own = obs[(obs["area_code"] == CASE_AREA) & (obs["indicator_id"] == ident)
              & obs["value"].notna() & (obs["period"] <= year)]
    assert int(own["period"].max()) == period  # the newest figure is the part-year one
    for lang, mark in (("fi", "osavuosi"), ("sv", "del av år"), ("en", "part-year")):
        picture = build_region_picture(contract, CASE_AREA, lang, today=TODAY)
        row = next(r for r in picture.key_rows if r.indicator_id == ident)
        assert row.year_text == f"{period}, {mark}"
        assert mark in picture.key_note
        if period in row.periods:
            assert math.isnan(row.values[row.periods.index(period)])
    whole = dataclasses.replace(contract, observations=obs.assign(flag=None))
    row = next(r for r in build_region_picture(whole, CASE_AREA, "fi", today=TODAY).key_rows
               if r.indicator_id == ident)
    assert row.year_text == str(period)
    assert "osavuosi" not in build_region_picture(whole, CASE_AREA, "fi", today=TODAY).key_note


def test_region_names_are_inflected_in_finnish(contract):
    picture = build_region_picture(contract, "MK19", "fi", today=TODAY)
    assert picture.radar.caption.startswith("Säädekaavio: Lapin kuuden ulottuvuuden pisteet")
    assert "alueen" not in shown_everywhere(picture)
    sv = build_region_picture(contract, "MK19", "sv", today=TODAY)
    assert "Lapplands poäng" in sv.radar.caption


def test_a_warehouse_older_than_the_contract_degrades_plainly(frames):
    scores = frames.scores.copy()
    # an old warehouse stored a change wherever there was a base year, with no note on it
    scores.loc[scores["score"].notna(), ["change_1y", "change_5y"]] = CASE_CHANGE
    old = dataclasses.replace(frames, scores=scores[[
        "area_code", "period", "dimension", "score", "rank", "rank_low", "rank_high",
        "change_1y", "change_5y", "n_indicators", "flag", "method"]])
    picture = build_region_picture(conform(old), CASE_AREA, "fi", today=TODAY)
    assert picture.overall.rank_text.count("/") == 1
    assert all(not c.change_1y.shown for c in picture.cards)
    assert any(c.change_1y.text == "vertailukelpoisuutta ei ole tarkistettu"
               for c in picture.cards)
    assert picture.ages_text.startswith("Tuorein luku")


def test_missing_scores_are_missing_not_zero(contract):
    year = newest_year(contract)
    scores = contract.scores.copy()
    gone = (scores["area_code"] == "MK07") & (scores["period"] == year) & (
        scores["dimension"] == "osaaminen")
    scores.loc[gone, "score"] = float("nan")
    picture = build_region_picture(dataclasses.replace(contract, scores=scores), "MK07", "en",
                                   today=TODAY)
    skills = card(picture, "osaaminen")
    assert skills.score_text == fmt.MISSING and not skills.has_score
    assert "Skills" in picture.no_scores_text
    assert math.isnan(skills.score)


def test_a_change_against_a_picture_of_carried_figures_names_their_years(contract):
    """A '5 v' change whose base picture rests on older figures says which years they are."""
    year = newest_year(contract)
    scores = contract.scores.set_index(["area_code", "dimension", "period"])
    seen = {True: 0, False: 0}
    for code in ("MK01", "MK12", "MK19"):
        picture = build_region_picture(contract, code, "fi", today=TODAY)
        for c in picture.cards:
            if not c.change_5y.shown:
                continue
            base = scores.loc[(code, c.dimension, year - 5)]
            carried = int(base["newest_period"]) < year - 5
            seen[carried] += 1
            assert ("vertailuvuoden luvut" in c.change_5y.text) is carried, (code, c.label)
            if carried:
                span = (f"{int(base['oldest_period'])}–{int(base['newest_period'])}"
                        if base["oldest_period"] != base["newest_period"]
                        else str(int(base["newest_period"])))
                assert c.change_5y.text.endswith(f"vertailuvuoden luvut {span})")
    assert seen[True] and seen[False], seen  # both kinds occur in the bundled figures

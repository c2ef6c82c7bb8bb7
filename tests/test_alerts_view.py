"""The alerts' view-model: episodes newest first, their numbers and rules, the no-alert case."""

import dataclasses
import tomllib

import pandas as pd

from indicators.alerts import RULES_PATH
from presentation import format as fmt
from presentation.alerts_view import build_alerts_view


def rules():
    with open(RULES_PATH, "rb") as fh:
        return {r["id"]: r for r in tomllib.load(fh)["rule"]}


def own_rows(frames, code):
    areas = frames.areas
    codes = {code, *areas.loc[areas["parent_code"] == code, "code"]}
    return frames.alerts[frames.alerts["area_code"].isin(codes)]


def test_no_recent_alert_is_said_plainly_with_the_gap(alke_frames):
    view = build_alerts_view(alke_frames, "MK12", "fi")
    assert view.recent == ()
    assert view.recent_empty == ("Ei hälytyksiä viimeisten 24 kuukauden aikana "
                                 "(heinäkuu 2024 – kesäkuu 2026).")
    assert any("marraskuu 2023 – toukokuu 2026" in n for n in view.notes)


def test_earlier_episodes_newest_first_with_their_numbers(alke_frames):
    view = build_alerts_view(alke_frames, "MK12", "fi")
    rows = own_rows(alke_frames, "MK12")
    key = rows["period"].map(lambda p: p if len(p) == 7 else f"{p}-12")
    newest = rows.loc[key == key.max()].iloc[0]
    first = view.earlier[0]
    assert first.last == newest["period"]
    assert fmt.signed(newest["value"], 1, "fi") in first.text
    assert 1 <= len(view.earlier) <= 6
    lasts = [i.last if len(i.last) == 7 else f"{i.last}-12" for i in view.earlier]
    assert lasts == sorted(lasts, reverse=True)


def test_rule_is_stated_with_its_numbers(alke_frames):
    view = build_alerts_view(alke_frames, "MK12", "fi")
    monthly = next(i for i in view.earlier if "työttömät työnhakijat" in i.text)
    rule = rules()["unemployed_region"]
    assert f"vähintään {rule['threshold_pct']:.0f} %" in monthly.rule
    assert f"{rule['persist_months']} kuukautta peräkkäin" in monthly.rule
    # the unemployed share of the country shrank (2020): a relative improvement reads as good
    assert "pieneni" in monthly.text and monthly.tone == "good"


def test_a_recent_alert_is_listed_and_none_at_all_is_said(alke_frames):
    sample = own_rows(alke_frames, "MK12").iloc[[0]].copy()  # test row, never shown to users
    sample["period"], sample["since"] = "2026-06", "2025-06"
    sample["rule_id"], sample["series"] = "unemployed_region", "unemployed"
    sample["area_code"], sample["level"], sample["direction"] = "MK12", "region", "up"
    recent = dataclasses.replace(alke_frames, alerts=pd.concat([alke_frames.alerts, sample]))
    view = build_alerts_view(recent, "MK12", "en")
    assert [i.span for i in view.recent] == ["June 2026"]
    assert view.recent[0].tone == "bad" and view.recent_empty == ""
    empty = dataclasses.replace(alke_frames, alerts=alke_frames.alerts.iloc[0:0])
    view = build_alerts_view(empty, "MK12", "en")
    assert view.recent == () and view.earlier == ()
    assert "no alerts over the whole series" in view.notes[0]

"""presentation/changes.py: a change is a number only where comparable, else the reason."""

import pandas as pd
import pytest

from presentation import changes
from presentation import format as fmt

NO_BREAKS = pd.DataFrame({"period": [], "kind": []})


@pytest.mark.parametrize(("note", "text"), [
    ("no_new_data", "ei uutta lukua vuoden 2019 jälkeen"), ("break", "aikasarjassa katko"),
    ("set_changed", "mittarit vaihtuivat"), ("no_base", "ei vertailuvuoden pisteitä"),
    ("unchecked", "vertailukelpoisuutta ei ole tarkistettu"),
    ("something_new", "ei vertailukelpoinen")])
def test_a_forbidden_note_hides_even_a_stored_number(note, text):
    change = changes.score_change(4.2, note, "fi", since=2019)
    assert not change.shown and change.value is None and change.text == text
    assert change.span().tone == "muted"


def test_comparable_and_partial_changes_are_shown_with_direction():
    up = changes.score_change(1.26, None, "fi")
    assert up.shown and up.text == "▲ +1,3" and up.good is True and up.span().tone == "good"
    down = changes.score_change(-0.04, None, "en")
    assert down.text == "● ±0.0" and down.good is None  # shows as zero: no direction
    partial = changes.score_change(-2.0, "partial", "sv")
    assert partial.text == "▼ −2,0 (en del av indikatorerna)" and partial.good is False
    assert changes.score_change(None, None, "fi").text == fmt.MISSING
    assert changes.score_change(float("nan"), None, "fi").span().tone == ""


def test_no_new_data_without_a_year():
    assert changes.score_change(1.0, "no_new_data", "en").text == "no new figure"


@pytest.mark.parametrize(("breaks", "base", "period", "crosses"), [
    ([(2020, "one_off")], 2019, 2020, True), ([(2020, "one_off")], 2020, 2021, True),
    ([(2020, "one_off")], 2021, 2022, False), ([(2020, "series_break")], 2019, 2020, True),
    ([(2020, "series_break")], 2015, 2024, True), ([(2020, "series_break")], 2020, 2021, False),
    ([(2020, "series_break")], 2018, 2019, False), ([], 2019, 2020, False)])
def test_break_between(breaks, base, period, crosses):
    frame = pd.DataFrame(breaks, columns=["period", "kind"])
    assert changes.break_between(frame, base, period) is crosses


def test_value_change_rules():
    values = {2019: 10.0, 2020: 12.0, 2021: 11.0}
    good = changes.value_change(values, 2021, 2021, NO_BREAKS, 1, "lower_better", "fi")
    assert good.value == -1.0 and good.good is True and good.text == "▼ −1,0"
    carried = changes.value_change(values, 2021, 2023, NO_BREAKS, 1, "lower_better", "fi")
    assert not carried.shown and carried.text == "ei uudempaa lukua"
    first = changes.value_change({2021: 1.0}, 2021, 2021, NO_BREAKS, 1, "higher_better", "fi")
    assert first.text == "ei edellisen vuoden lukua"
    broken = changes.value_change(values, 2021, 2021, pd.DataFrame(
        {"period": [2020], "kind": ["one_off"]}), 1, "higher_better", "en")
    assert broken.text == "break in the series" and broken.note == "break"
    assert changes.value_change({}, None, 2021, NO_BREAKS, 1, "higher_better", "fi").text \
        == fmt.MISSING

"""presentation/ages.py: the newest and oldest figure, and the notices, against a given today."""

import datetime as dt

from presentation import ages


def test_span_texts():
    assert ages.span_text(2025, 2017, "fi") == "Tuorein luku 2025 · vanhin käytetty 2017"
    assert ages.span_text(2025, 2017, "sv") == "Nyaste siffran 2025 · äldsta som använts 2017"
    assert ages.span_text(2024, 2024, "en") == "All figures from 2024"
    assert ages.span_text(None, None, "fi") == ""
    assert ages.short_span(2025, 2017) == "2017–2025" and ages.short_span(2024, 2024) == "2024"


def test_stale_and_old_against_today():
    today = dt.date(2026, 12, 1)
    assert not ages.is_stale(2024, today) and ages.is_stale(2023, today)
    assert not ages.is_old(2023, today) and ages.is_old(2022, today)
    assert ages.stale_notice(2024, today, "fi", "Lapin") == ""
    assert ages.stale_notice(2021, today, "fi", "Lapin").startswith(
        "Lapin tilannekuvan tuorein luku on vuodelta 2021")
    assert ages.stale_notice(2021, dt.date(2022, 1, 1), "fi", "Lapin") == ""
    assert ages.old_notice([], today, "fi") == ""
    assert ages.old_notice([("Osaaminen", 2016)], today, "fi") == (
        "Osa luvuista on yli 3 vuotta vanhoja: Osaaminen (vanhin 2016).")


def test_score_notes():
    assert ages.score_notes(1, 0, "fi") == ("Perustuu vain yhteen mittariin.",)
    assert ages.score_notes(4, 3, "en") == ("3 of 4 figures are from earlier years.",)
    assert ages.score_notes(4, 2, "fi") == ()  # half is not most
    assert ages.score_notes(None, None, "fi") == ()

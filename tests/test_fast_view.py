"""The fast picture's view-model against figures computed here from the monthly frame."""

import pytest

from presentation import format as fmt
from presentation.display import plain
from presentation.fast import build_fast_view, month_name


def rate(monthly, code, month):
    """Return unemployed / labour force × 100 of one area and month, computed here."""
    rows = monthly[(monthly["area_code"] == code) & (monthly["month"] == month)]
    values = dict(zip(rows["series_id"], rows["value"], strict=True))
    return values["unemployed"] / values["labour_force"] * 100


def region_rates(frames, month):
    regions = frames.areas.loc[frames.areas["level"] == "region", "code"]
    return {code: rate(frames.monthly, code, month) for code in regions}


def row(view, label):
    return next(r for r in view.table.plain_rows() if r[0] == label)


@pytest.mark.parametrize(("lang", "text"), [("fi", "kesäkuu 2026"), ("sv", "juni 2026"),
                                            ("en", "June 2026")])
def test_month_is_said_plainly(lang, text):
    assert month_name("2026-06", lang) == text


def test_latest_month_figures_rank_and_the_gap_said_plainly(alke_frames):
    view = build_fast_view(alke_frames, "MK12", "fi")
    assert view.month == "2026-06" and view.month_text == "kesäkuu 2026"
    assert view.table.columns[1] == "Pohjois-Karjala"
    rates = region_rates(alke_frames, "2026-06")
    own = rates["MK12"]
    cells = row(view, "Työttömyysaste (työttömät / työvoima)")
    assert cells[1] == fmt.with_unit(own, "%", 1, "fi")
    assert cells[2] == fmt.with_unit(rate(alke_frames.monthly, "SSS", "2026-06"), "%", 1, "fi")
    higher = sum(1 for v in rates.values() if round(v, 1) > round(own, 1))
    assert cells[3] == f"{higher + 1}./19"
    # 2025-06 lies in the gap 2023-11 … 2026-05: no change column at all, the note says why
    assert view.table.columns == ("Mittari", "Pohjois-Karjala", "Koko maa", "Sija")
    text = " ".join(view.notes)
    assert "marraskuu 2023 – toukokuu 2026" in text and "kesäkuu 2025" in text


def test_change_against_the_same_month_a_year_earlier(alke_frames):
    view = build_fast_view(alke_frames, "MK12", "fi", month="2023-10")
    now, before = (rate(alke_frames.monthly, "MK12", m) for m in ("2023-10", "2022-10"))
    cells = row(view, "Työttömyysaste (työttömät / työvoima)")
    assert cells[2] == f"{fmt.signed(now - before, 1, 'fi')} %-yks."
    monthly = alke_frames.monthly
    value = {m: monthly[(monthly["area_code"] == "MK12") & (monthly["month"] == m)
                        & (monthly["series_id"] == "unemployed")]["value"].iloc[0]
             for m in ("2023-10", "2022-10")}
    cells = row(view, "Työttömät työnhakijat")
    pct = (value["2023-10"] / value["2022-10"] - 1) * 100
    assert cells[2] == (f"{fmt.signed(value['2023-10'] - value['2022-10'], 0, 'fi')} "
                        f"({fmt.signed(pct, 1, 'fi')} %)")
    # a series first published in 2026 has no figure in 2023
    assert row(view, "Pitkäaikaistyöttömät")[1] == "ei lukua"


def test_chart_keeps_the_gap_empty(alke_frames):
    chart = build_fast_view(alke_frames, "MK12", "en").chart
    assert chart.months[0] == "2024-07" and chart.months[-1] == "2026-06"
    assert len(chart.months) == 24
    assert all(v is None for v in chart.region[:-1]) and all(v is None for v in chart.country[:-1])
    assert chart.region[-1] == pytest.approx(rate(alke_frames.monthly, "MK12", "2026-06"))
    assert "July 2024 – June 2026" in chart.title


def test_swedish_table_names_the_region_in_swedish(alke_frames):
    view = build_fast_view(alke_frames, "MK19", "sv")
    assert view.table.columns[1] == "Lappland"
    assert "Förändring på ett år" not in view.table.columns
    view = build_fast_view(alke_frames, "MK19", "sv", month="2023-10")
    long_term = next(r for r in view.table.rows if plain(r[0]) == "Långtidsarbetslösa")
    assert plain(long_term[1]) == "ingen siffra" and plain(long_term[2]) == "–"


def test_download_has_the_figures_as_a_spreadsheet_reads_them(alke_frames):
    from presentation.fast import sheet_number

    assert sheet_number(-1234.56, 1, "fi") == "-1234,6"
    assert sheet_number(1234.56, 1, "en") == "1234.6" and sheet_number(None, 1, "en") is None
    view = build_fast_view(alke_frames, "MK12", "fi")
    shown = view.download.shown
    own = shown[(shown["Alue"] == "Pohjois-Karjala")
                & (shown["Mittari"] == "Työttömät työnhakijat")]
    monthly = alke_frames.monthly
    value = monthly[(monthly["area_code"] == "MK12") & (monthly["month"] == "2026-06")
                    & (monthly["series_id"] == "unemployed")]["value"].iloc[0]
    assert own["2026-06"].iloc[0] == f"{value:.0f}" and own["2025-06"].iloc[0] is None
    assert set(view.download.machine["area_code"]) == {"MK12", "SSS"}

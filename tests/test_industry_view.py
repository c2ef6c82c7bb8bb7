"""The industry structure's view-model against shares and quotients computed here."""

import math

from presentation import format as fmt
from presentation.industry_view import build_industry_view


def counts(frames, code, year):
    rows = frames.industry_employment
    rows = rows[(rows["area_code"] == code) & (rows["period"] == year) & (rows["industry"] != "X")]
    return dict(zip(rows["industry"], rows["value"], strict=True))


def test_shares_quotients_and_diversity_as_computed_here(alke_frames):
    view = build_industry_view(alke_frames, "MK12", "fi")
    year = int(alke_frames.industry_employment["period"].max())
    assert view.year == year and view.title == f"Elinkeinorakenne {year}"
    own, country = counts(alke_frames, "MK12", year), counts(alke_frames, "SSS", year)
    largest = max(own, key=own.get)
    share = own[largest] / sum(own.values()) * 100
    c_share = country[largest] / sum(country.values()) * 100
    label = alke_frames.industries.set_index("code").loc[largest, "label_fi"]
    first = view.table_print.plain_rows()[0]
    assert first == [label, fmt.number(own[largest], 0, "fi"), fmt.number(share, 1, "fi"),
                     fmt.number(c_share, 1, "fi"), fmt.number(share / c_share, 2, "fi")]
    # the page's three columns that fit a phone carry the same figures
    assert view.table.plain_rows()[0] == [
        label, f"{fmt.number(own[largest], 0, 'fi')} ({fmt.number(share, 1, 'fi')} %)",
        f"{fmt.number(c_share, 1, 'fi')} % · {fmt.number(share / c_share, 2, 'fi')}"]
    values = [v for v in own.values()]
    total = sum(values)
    k = len(alke_frames.industries) - 1  # the sections A…U, not X
    entropy = -sum(v / total * math.log(v / total) for v in values if v > 0) / math.log(k)
    diversity = next(n for n in view.notes if n.startswith("Monipuolisuusindeksi"))
    assert "normitettu Shannonin entropia" in diversity
    assert fmt.number(entropy, 3, "fi") in diversity
    assert view.chart.shares[0] == max(view.chart.shares)


def test_growth_lines_name_the_years_and_industries(alke_frames):
    view = build_industry_view(alke_frames, "MK19", "en")
    titles = [g.title for g in view.growth]
    assert titles[:2] == [f"Fastest growing {view.year - 1}–{view.year}",
                          f"Fastest shrinking {view.year - 1}–{view.year}"]
    assert all(g.lines for g in view.growth)
    assert "employed; whole country" in view.growth[0].lines[0]


def test_no_figures_is_said(alke_frames):
    import dataclasses

    empty = dataclasses.replace(alke_frames,
                                industry_employment=alke_frames.industry_employment.iloc[0:0])
    view = build_industry_view(empty, "MK12", "sv")
    assert view.table is None and view.intro == ("Det finns inga sysselsättningssiffror per "
                                                 "näringsgren för området.")

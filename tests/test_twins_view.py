"""The EU twins' view-model: the stored twins with their published names, the comparison."""

from presentation import format as fmt
from presentation.twins_view import build_twins_view, lower_first


def test_twins_are_the_stored_five_with_published_names(alke_frames):
    view = build_twins_view(alke_frames, "MK12", "fi")
    stored = alke_frames.eu_twins[alke_frames.eu_twins["area_code"] == "MK12"]
    stored = stored.sort_values("twin_rank")
    names = alke_frames.eu_regions.set_index("nuts_code")["name"]
    rows = view.twins.plain_rows()
    assert [r[1] for r in rows] == [names[c] for c in stored["twin_nuts"]]
    assert [r[3] for r in rows] == [fmt.number(d, 2, "fi") for d in stored["distance"]]
    assert len(rows) == 5
    countries = [names[c[:2]] for c in stored["twin_nuts"]]  # as published, not a code
    assert [r[2] for r in rows] == countries and all(len(c) > 2 for c in countries)
    assert f"vuoden {int(stored['reference_period'].iloc[0])} lukujen mukaan" in view.intro
    assert "BKT asukasta kohden" in view.intro  # an acronym keeps its capitals


def test_rank_among_the_twins_is_counted_here(alke_frames):
    view = build_twins_view(alke_frames, "MK12", "en")
    stored = alke_frames.eu_twins[alke_frames.eu_twins["area_code"] == "MK12"]
    obs = alke_frames.eu_observations
    own_code = stored["nuts_code"].iloc[0]
    row = next(r for r in view.compare.plain_rows() if r[0].startswith("Deaths per 1,000"))
    year = int(row[1])
    values = obs[(obs["variable"] == "crude_death_rate") & (obs["period"] == year)]
    values = values.set_index("nuts_code")["value"]
    twins = [values[c] for c in stored["twin_nuts"] if c in values.index]
    own = values[own_code]
    assert row[2] == fmt.number(own, 1, "en")
    assert row[5] == f"{sum(v > own for v in twins) + 1}/{len(twins) + 1}"


def test_no_twins_is_said(alke_frames):
    view = build_twins_view(alke_frames, "XX99", "sv")
    assert view.twins is None and view.intro == "Inga EU-tvillingar har beräknats för området."


def test_lower_first():
    assert lower_first("Väestötiheys") == "väestötiheys" and lower_first("BKT x") == "BKT x"


def test_the_page_table_fits_a_phone_and_says_what_the_print_table_says(alke_frames):
    from presentation.display import plain

    view = build_twins_view(alke_frames, "MK19", "fi")
    wide, narrow = view.compare, view.compare_narrow
    assert len(narrow.columns) == 3 and len(wide.columns) == 6
    assert narrow.columns[1] == "Lappi" and len(narrow.rows) == len(wide.rows)
    for w, n in zip(wide.rows, narrow.rows, strict=True):
        measure, year, value, median, spread, rank = (plain(c) for c in w)
        first, own, twins = (plain(c) for c in n)
        assert first.startswith(measure) and own == value
        if median == fmt.MISSING:
            assert twins == year  # the reason there is no comparison
        else:
            assert first.endswith(f"({year})")
            assert twins == f"{median} ({spread}) · {rank}"

import csv
import gzip
from pathlib import Path

import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.locate import BOUNDARY_FILE, read_boundaries
from etl.convert.road_accidents import (
    NEW_DIR,
    RAW_DIR,
    accident_counts,
    convert_accidents,
    municipal_years,
    parse_new_model,
    place,
    read_accidents,
)
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())
FILE_2022 = "tieliikenneonnettomuudet_2022_onnettomuus.csv.gz"
FILE_2023 = "tieliikenneonnettomuudet_2023_onnettomuudet.csv.gz"


@pytest.fixture(scope="module")
def records():
    return read_accidents(RAW / RAW_DIR)


def population(value=1000.0, **real):
    """Population for every mainland municipality × fixture year; real ones override."""
    parents = DIVISION.parents
    codes = parents.loc[parents.region_code != "MK21", "code"]
    frame = pd.DataFrame([(c, y, value) for c in codes for y in (2015, 2019)],
                         columns=["code", "period", "population"])
    for (code, year), pop in real.items():
        frame.loc[(frame.code == code) & (frame.period == year), "population"] = pop
    return frame


def test_counts_merge_honkajoki_into_kankaanpaa_and_keep_zeros(records):
    counts = accident_counts(records, DIVISION).set_index(["code", "period"])
    # excerpt 2019: Honkajoki (099) 3 injury, Kankaanpää (214) 10 injury, Jämijärvi (181) none
    assert counts.loc[("214", 2019), "fatal_or_injury"] == 13
    assert counts.loc[("214", 2019), "fatal"] == 0
    assert counts.loc[("181", 2019), "fatal_or_injury"] == 0
    assert counts.loc[("181", 2015), "fatal"] == 1
    assert counts.loc[("181", 2015), "fatal_or_injury"] == 4
    assert counts.loc[("609", 2015), "fatal"] == 4
    assert "478" not in counts.index.get_level_values("code")  # Åland is not covered


def test_rates_per_100k(records):
    pop = pd.DataFrame({"code": ["214"], "period": [2019], "population": [12906.0]})
    pop_all = population()
    pop_all = pop_all.loc[~((pop_all.code == "214") & (pop_all.period == 2019))]
    pop_all = pd.concat([pop_all, pop], ignore_index=True)
    obs = convert_accidents(records, pop_all, DIVISION)
    inj = obs.loc[obs.indicator_id == "road_injury_accidents_per_100k"].set_index(
        ["area_code", "period"])["value"]
    assert inj[("214", 2019)] == pytest.approx(13 / 12906 * 1e5, abs=1e-4)
    assert inj[("181", 2019)] == 0.0
    n_mainland = (pop_all.period == 2019).sum()
    total_pop = pop_all.loc[pop_all.period == 2019, "population"].sum()
    assert n_mainland == 308 - 16
    assert inj[("SSS", 2019)] == pytest.approx(13 / total_pop * 1e5, abs=1e-4)
    assert ("MK21", 2019) not in inj.index and ("478", 2019) not in inj.index
    fatal = obs.loc[obs.indicator_id == "road_fatal_accidents_per_100k"].set_index(
        ["area_code", "period"])["value"]
    assert fatal[("MK04", 2015)] == pytest.approx(5 / (16 * 1000) * 1e5, abs=1e-4)


def test_missing_population_is_a_clear_error(records):
    with pytest.raises(ConvertError, match="population missing"):
        convert_accidents(records, population().iloc[5:], DIVISION)


def test_no_files_is_a_clear_error(tmp_path):
    with pytest.raises(ConvertError, match="no tieliikenneonnettomuudet"):
        read_accidents(tmp_path)


# --- the 2022+ data model (names, texts, coordinates) -----------------------------------------

NEW = RAW / NEW_DIR


def new_records(name):
    """The excerpt rows of one new-model file, read with the csv module (independent reading)."""
    encoding = "latin-1" if "2022" in name else "utf-8-sig"
    with gzip.open(NEW / name, "rt", encoding=encoding) as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return [{k.strip(): v for k, v in row.items()} for row in rows]


@pytest.fixture(scope="module")
def all_records():
    return read_accidents(RAW / RAW_DIR, NEW, DIVISION)


@pytest.fixture(scope="module")
def boundaries():
    return read_boundaries(RAW / BOUNDARY_FILE, DIVISION)


def test_new_model_reads_names_texts_and_both_encodings(all_records):
    new = all_records.loc[all_records.period >= 2022]
    assert len(new.loc[new.period == 2022]) == len(new_records(FILE_2022))
    assert len(new.loc[new.period == 2023]) == len(new_records(FILE_2023))
    pertunmaa = new.loc[(new.period == 2022) & (new.code == "507")]  # merged into Mäntyharju
    assert len(pertunmaa) == 2 and set(pertunmaa.region_code) == {"MK10"}
    jakobstad = new.loc[(new.period == 2022) & (new.code == "598")]  # 'Jakobstad' = Pietarsaari
    assert len(jakobstad) == 1
    assert set(new.severity) == {0, 1, 2}
    assert new.loc[new.period == 2023, "code"].isna().sum() == sum(
        1 for r in new_records(FILE_2023) if not r["Kunta"])


def accidents_of(rows, region_names, severities):
    return sum(1 for r in rows if r["Maakunta"] in region_names and r["Vakavuus"] in severities)


def test_2023_places_unnamed_accidents_by_coordinates(all_records, boundaries):
    placed = place(all_records, DIVISION, boundaries)
    rows_2023 = new_records(FILE_2023)
    named = accidents_of(rows_2023, {"Pohjois-Karjala"}, {"Kuolemaan johtanut",
                                                          "Loukkaantumiseen johtanut"})
    mk12 = placed.loc[(placed.period == 2023) & (placed.region_code == "MK12")
                      & placed.severity.isin([1, 2])]
    assert len(mk12) > named  # the excerpt's unnamed MK12 accidents lie inside MK12
    # Helsinki points are outside this excerpt's three regions: unplaced, not guessed
    helsinki = placed.loc[(placed.period == 2023) & (placed.x.between(383000, 387000))]
    assert len(helsinki) >= 2 and helsinki.region_code.isna().all()


def test_new_years_rates(all_records, boundaries):
    pop = population(2000.0)
    pop = pd.concat([pop.assign(period=y) for y in (2015, 2019, 2022, 2023)]).drop_duplicates(
        ["code", "period"])
    # the excerpt over-represents unnamed 2022 accidents (3 of 18), hence the wider limit
    obs = convert_accidents(all_records, pop, DIVISION, boundaries, max_unplaced=0.2)
    inj = obs.loc[obs.indicator_id == "road_injury_accidents_per_100k"].set_index(
        ["area_code", "period"])["value"]
    rows_2022 = new_records(FILE_2022)
    joensuu = sum(1 for r in rows_2022 if r["Kunta"] == "Joensuu"
                  and r["Vakavuus"] in ("Kuolemaan johtanut", "Loukkaantumiseen johtanut"))
    assert inj[("167", 2022)] == pytest.approx(joensuu / 2000 * 1e5, abs=1e-4)
    # 2023: no municipal or sub-region figures (most accidents have no municipality)
    assert ("167", 2023) not in inj.index and ("SK122", 2023) not in inj.index
    rows_2023 = new_records(FILE_2023)
    placed = place(all_records, DIVISION, boundaries)
    mk12 = ((placed.period == 2023) & (placed.region_code == "MK12")
            & placed.severity.isin([1, 2])).sum()
    assert inj[("MK12", 2023)] == pytest.approx(mk12 / (13 * 2000) * 1e5, abs=1e-4)
    # the whole country counts every accident of the year, placed or not
    every = sum(1 for r in rows_2023 if r["Vakavuus"] != "Ei henkilövahinkoja")
    n_mainland = (pop.period == 2023).sum()
    assert inj[("SSS", 2023)] == pytest.approx(every / (n_mainland * 2000) * 1e5, abs=1e-4)


def test_municipal_figures_only_for_years_with_nearly_every_municipality(all_records):
    placed = place(all_records, DIVISION)
    assert municipal_years(placed) == [2015, 2019]  # excerpt: 2022 3/18, 2023 11/23 unplaced
    assert municipal_years(placed, max_unplaced=0.2) == [2015, 2019, 2022]


def test_unknown_severity_text_is_a_clear_error():
    raw = pd.DataFrame({"Vuosi": ["2022"], "Vakavuus": ["Lievä"], "Maakunta": [None],
                        "Kunta": [None], "x-koordinaatti": [None], "y-koordinaatti": [None]})
    with pytest.raises(ConvertError, match=r"f.csv: unknown Vakavuus \['Lievä'\]"):
        parse_new_model(raw, DIVISION, "f.csv")
    with pytest.raises(ConvertError, match="columns missing"):
        parse_new_model(raw.drop(columns="Kunta"), DIVISION, "f.csv")


def test_a_municipality_outside_its_named_region_is_refused():
    raw = pd.DataFrame({"Vuosi": ["2022"], "Vakavuus": ["Kuolemaan johtanut"],
                        "Maakunta": ["Lappi"], "Kunta": ["Joensuu"], "x-koordinaatti": [None],
                        "y-koordinaatti": [None]})
    with pytest.raises(ConvertError, match="outside their region"):
        place(parse_new_model(raw, DIVISION, "f.csv"), DIVISION)

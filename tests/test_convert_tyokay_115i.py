from pathlib import Path

import pandas as pd
import pytest

from etl.convert import tyokay_115i
from etl.convert.division import Division
from etl.convert.employed import convert_employed, read_employed
from etl.convert.errors import ConvertError
from etl.convert.tyokay_115i import (
    INDUSTRY_COLUMNS,
    check_employed_change,
    check_industry,
    check_region_totals,
    convert_industry,
    read_derived_totals,
    read_industry,
    write_industry,
)
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
ALL_REGIONS = RAW / "statfin_tyokay_115i" / "employed_by_industry_all_regions_excerpt.parquet"
TWO_REGIONS = RAW / tyokay_115i.RAW_FILE
REGISTRY = registry_frame()
REGIONS = set(REGISTRY.loc[REGISTRY["level"] == "region", "code"])
DATA = Path(__file__).resolve().parent.parent / "data"


def raw_rows(path=ALL_REGIONS):
    return pd.read_parquet(path)


def cell(frame, area, year, industry):
    hit = frame.loc[(frame.area_code == area) & (frame.period == year)
                    & (frame.industry == industry), "value"]
    assert len(hit) == 1, (area, year, industry)
    return int(hit.iloc[0])


def test_regions_sum_the_two_sexes_and_the_country_sums_the_19_regions():
    raw = raw_rows()
    out = convert_industry(read_industry(ALL_REGIONS), REGIONS)
    assert list(out.columns) == INDUSTRY_COLUMNS
    mk02 = raw[(raw.Area == "MK02") & (raw.Year == 2009) & (raw.Industry == "C")]
    assert sorted(mk02.Sex) == ["1", "2"]
    assert cell(out, "MK02", 2009, "C") == int(mk02.Value.sum())
    country = raw[(raw.Year == 2013) & (raw.Industry == "J")]
    assert country.Area.nunique() == 19
    assert cell(out, "SSS", 2013, "J") == int(country.Value.sum())
    # every region, year and section of the excerpt once, plus the country's
    assert len(out) == 19 * 4 * 4 + 4 * 4
    assert set(out.source_id) == {"statfin_tyokay_115i"}


def test_section_x_is_kept_as_its_own_row():
    raw = raw_rows()
    out = convert_industry(read_industry(ALL_REGIONS), REGIONS)
    x = raw[(raw.Area == "MK21") & (raw.Year == 2012) & (raw.Industry == "X")].Value.sum()
    assert cell(out, "MK21", 2012, "X") == int(x)
    assert cell(out, "SSS", 2012, "X") == int(raw[(raw.Year == 2012)
                                                 & (raw.Industry == "X")].Value.sum())


def test_no_country_figure_unless_every_region_has_the_cell():
    # the older excerpt has two regions only: no SSS row at all, never a partial sum
    out = convert_industry(read_industry(TWO_REGIONS), REGIONS)
    assert "SSS" not in set(out.area_code)
    assert set(out.area_code) == {"MK04", "MK12"}
    # one region without 2009 J: the country gets no 2009 J, the other cells stay
    raw = read_industry(ALL_REGIONS)
    gap = raw[~((raw.area_code == "MK18") & (raw.period == 2009) & (raw.industry == "J"))]
    out = convert_industry(gap, REGIONS)
    assert not ((out.area_code == "SSS") & (out.period == 2009) & (out.industry == "J")).any()
    assert ((out.area_code == "SSS") & (out.period == 2009) & (out.industry == "C")).any()


def test_a_cell_with_one_sex_only_is_left_out_not_half_counted():
    raw = read_industry(ALL_REGIONS)
    one_sex = raw[~((raw.area_code == "MK05") & (raw.period == 2012) & (raw.industry == "T")
                    & (raw.sex == "2"))]
    out = convert_industry(one_sex, REGIONS)
    assert not ((out.area_code == "MK05") & (out.period == 2012) & (out.industry == "T")).any()
    assert not ((out.area_code == "SSS") & (out.period == 2012) & (out.industry == "T")).any()


def test_types_and_order():
    out = convert_industry(read_industry(ALL_REGIONS), REGIONS)
    assert str(out.period.dtype) == "int32" and str(out.value.dtype) == "int64"
    assert out.area_code.iloc[0] == "SSS"
    first = out[(out.area_code == "SSS") & (out.period == 2008)].industry.tolist()
    assert first == ["C", "J", "T", "X"]


@pytest.mark.parametrize(("column", "value", "message"), [
    ("Industry", "Z", "unknown industry codes"),
    ("Sex", "3", "unknown sex codes"),
    ("Value", -1, "negative or not whole"),
    ("Value", 1.5, "negative or not whole"),
    ("Value", None, "missing, negative or not whole"),
])
def test_bad_cells_are_refused_with_a_clear_message(tmp_path, column, value, message):
    raw = raw_rows()
    if column == "Value":
        raw["Value"] = raw["Value"].astype(object)
    raw.loc[3, column] = value
    path = tmp_path / "employed.parquet"
    raw.to_parquet(path)
    with pytest.raises(ConvertError, match=message):
        read_industry(path)


def test_a_cell_given_twice_is_refused(tmp_path):
    raw = raw_rows()
    path = tmp_path / "employed.parquet"
    pd.concat([raw, raw.iloc[[7]]]).to_parquet(path)
    with pytest.raises(ConvertError, match="given twice"):
        read_industry(path)


def test_missing_file_and_columns_and_unknown_regions(tmp_path):
    with pytest.raises(ConvertError, match="employment file missing"):
        read_industry(tmp_path / "nope.parquet")
    path = tmp_path / "employed.parquet"
    raw_rows().drop(columns="Sex").to_parquet(path)
    with pytest.raises(ConvertError, match="columns missing"):
        read_industry(path)
    raw = read_industry(ALL_REGIONS)
    raw.loc[0, "area_code"] = "MK03"
    with pytest.raises(ConvertError, match="unknown region codes"):
        convert_industry(raw, REGIONS)


def test_check_industry_names_unknown_codes_and_duplicates():
    out = convert_industry(read_industry(ALL_REGIONS), REGIONS)
    codes = set(REGISTRY["code"])
    assert check_industry(out, {"statfin_tyokay_115i"}, codes) == []
    assert any("unknown source ids" in p for p in check_industry(out, {"other"}, codes))
    bad = out.copy()
    bad.loc[0, "industry"] = "Y"
    assert any("unknown industry codes" in p for p in
               check_industry(bad, {"statfin_tyokay_115i"}, codes))
    twice = pd.concat([out, out.iloc[[0]]])
    assert any("duplicate" in p for p in check_industry(twice, {"statfin_tyokay_115i"}, codes))


def test_region_totals_are_compared_with_the_derived_file(tmp_path):
    out = convert_industry(read_industry(TWO_REGIONS), REGIONS)
    totals = out.groupby(["area_code", "period"], as_index=False)["value"].sum()
    csv = tmp_path / "derived.csv"
    pd.DataFrame({"year": totals.period, "region_code": totals.area_code,
                  "employed_persons": totals.value}).to_csv(csv, index=False)
    derived = read_derived_totals(csv)
    assert check_region_totals(out, derived) == []
    off = derived.copy()
    off.loc[2, "employed"] += 1
    assert any("differ from the derived totals" in p for p in check_region_totals(out, off))
    assert any("different region-years" in p for p in check_region_totals(out, derived.iloc[1:]))


def test_employed_change_is_reproduced_from_the_sections():
    division = Division(REGISTRY, successors_frame())
    for path in (TWO_REGIONS, ALL_REGIONS):
        observations = convert_employed(read_employed(path), division)
        industry = convert_industry(read_industry(path), REGIONS)
        if path == TWO_REGIONS:
            # the two-region excerpt has no country in industry_employment (not all regions)
            observations = observations[observations.area_code != "SSS"]
        assert len(observations) > 0
        assert check_employed_change(industry, observations) == []
    wrong = observations.copy()
    wrong.loc[wrong.index[0], "value"] += 0.001
    assert any("differ" in p for p in check_employed_change(industry, wrong))
    fewer = industry[~((industry.area_code == "MK07") & (industry.period == 2009))]
    assert any("no counterpart" in p for p in check_employed_change(fewer, observations))


def test_write_industry_is_atomic_and_typed(tmp_path):
    out = convert_industry(read_industry(ALL_REGIONS), REGIONS)
    path = write_industry(out.sample(frac=1.0, random_state=1), tmp_path)
    assert path.name == "industry.parquet"
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, out)
    assert [p.name for p in tmp_path.iterdir()] == ["industry.parquet"]


# The bundled snapshot, as the converter wrote it from the maintainer's raw folder.

def bundled():
    return pd.read_parquet(DATA / "industry.parquet")


def test_bundled_snapshot_covers_every_region_section_and_year():
    data = bundled()
    assert list(data.columns) == INDUSTRY_COLUMNS
    assert len(data) == 20 * 22 * 17
    assert sorted(set(data.period)) == list(range(2007, 2024))
    assert set(data.area_code) == REGIONS | {"SSS"}
    regions = data[data.area_code != "SSS"].groupby(["period", "industry"])["value"].sum()
    country = data[data.area_code == "SSS"].set_index(["period", "industry"])["value"]
    pd.testing.assert_series_equal(regions.sort_index(), country.sort_index(),
                                   check_names=False)


def test_bundled_snapshot_reproduces_the_bundled_employed_change():
    observations = pd.read_parquet(DATA / "observations.parquet")
    assert (observations.indicator_id == "employed_change").sum() == 320
    assert check_employed_change(bundled(), observations) == []


def test_what_the_data_readme_says_about_the_file_is_true():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    assert "`industry.parquet`" in text and "industry_employment" in text
    data = bundled()
    t = data[(data.area_code == "SSS") & (data.industry == "T")].set_index("period")["value"]
    assert (int(t.loc[2007:2012].min()), int(t.loc[2007:2012].max()), int(t[2013])) == \
        (104, 228, 7788)
    assert "104–228 persons" in text and "7,788 in 2013" in text
    regions = data[data.area_code != "SSS"]
    totals = regions.groupby(["area_code", "period"])["value"].sum()
    x = regions[regions.industry == "X"].set_index(["area_code", "period"])["value"] / totals
    assert (round(x.min() * 100, 1), round(x.max() * 100, 1)) == (0.7, 3.6)
    assert "0.7–3.6 %" in text


def test_the_converter_run_wires_the_industry_rows_and_their_checks(tmp_path):
    from etl.convert import run
    from etl.convert.snapshot import load_sources

    division = Division(REGISTRY, successors_frame())
    industry = run.convert_industry(RAW, division)
    pd.testing.assert_frame_equal(industry,
                                  convert_industry(read_industry(TWO_REGIONS), REGIONS))
    observations = convert_employed(read_employed(TWO_REGIONS), division)
    sources, codes = load_sources(), set(REGISTRY["code"])
    regions_only = observations[observations.area_code != "SSS"]
    assert run.check_industry_rows(RAW, industry, regions_only, sources, codes) == []
    # the country's employed_change has no counterpart: two regions are not the country
    problems = run.check_industry_rows(RAW, industry, observations, sources, codes)
    assert any("no counterpart" in p for p in problems)
    # with a derived totals file beside it, a region-year that does not add up is named
    raw = tmp_path / "raw"
    (raw / "statfin_tyokay_115i").mkdir(parents=True)
    totals = industry.groupby(["area_code", "period"], as_index=False)["value"].sum()
    pd.DataFrame({"year": totals.period, "region_code": totals.area_code,
                  "employed_persons": totals.value + 1}).to_csv(raw / tyokay_115i.DERIVED_FILE,
                                                                index=False)
    problems = run.check_industry_rows(raw, industry, regions_only, sources, codes)
    assert any("differ from the derived totals" in p for p in problems)

import pandas as pd
import pytest
from raw_excerpts import MAPS, RAW, monthly_12r5, number

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.pxweb_json import read_pxweb_json
from etl.convert.tyonv_12r5 import (
    CSV_FILE,
    JSON_FILE,
    annual_rates,
    combine,
    from_pxweb,
    monthly_rows,
    read_12r5_csv,
)
from indicators.monthly import load_series
from indicators.regions import registry_frame, successors_frame

DIVISION = Division(registry_frame(), successors_frame())
SERIES = load_series()
CELLS = monthly_12r5()
MONTHS_2019 = [f"2019-{m:02d}" for m in range(1, 13)]


@pytest.fixture(scope="module")
def monthly():
    parts = [monthly_rows(read_12r5_csv(RAW / CSV_FILE), SERIES, DIVISION, CSV_FILE.name),
             monthly_rows(from_pxweb(read_pxweb_json(MAPS / JSON_FILE.name)), SERIES, DIVISION,
                          JSON_FILE.name)]
    return combine(parts)


@pytest.fixture(scope="module")
def annual(monthly):
    return annual_rates(monthly).set_index(["indicator_id", "area_code", "period"])


def cell(monthly, series, area, month):
    row = monthly.loc[(monthly.series_id == series) & (monthly.area_code == area)
                      & (monthly.month == month)]
    assert len(row) == 1
    return row.iloc[0]


def test_counts_as_published_with_series_ids(monthly):
    assert cell(monthly, "unemployed", "SSS", "2006-01")["value"] == 278486
    assert cell(monthly, "labour_force", "SSS", "2006-01")["value"] == 2561691
    assert cell(monthly, "open_vacancies", "SSS", "2006-01")["value"] == 41668
    assert cell(monthly, "unemployed", "167", "2019-03")["value"] == CELLS[
        ("KU167", "TYOTTOMATLOPUSSA", "2019-03")]
    assert cell(monthly, "unemployed", "SK125", "2023-10")["value"] == CELLS[
        ("SK125", "TYOTTOMATLOPUSSA", "2023-10")]


def test_merged_municipality_is_summed_and_unknown_when_a_part_is_suppressed(monthly):
    expected = (CELLS[("KU507", "TYOTTOMATLOPUSSA", "2019-09")]
                + CELLS[("KU588", "TYOTTOMATLOPUSSA", "2019-09")])
    assert cell(monthly, "unemployed", "507", "2019-09")["value"] == expected
    assert CELLS[("KU588", "AVPAIKATLOPUSSA", "2019-09")] is None  # Pertunmaa suppressed
    row = cell(monthly, "open_vacancies", "507", "2019-09")
    assert pd.isna(row["value"]) and row["flag"] == "confidential"
    assert "588" not in set(monthly["area_code"])


def test_ely_centres_and_unknown_buckets_are_left_out(monthly):
    codes = set(monthly["area_code"])
    assert not {"ELY10", "ELY07", "ELYJO", "KU199", "KUJOU", "MK91", "MKJO", "SK902",
                "SKJOU"} & codes
    assert set(monthly["month"]) >= {"2006-01", "2019-01", "2023-10", "2026-06"}


def test_the_2026_export_gives_every_declared_series(monthly):
    june = monthly.loc[(monthly.month == "2026-06") & (monthly.area_code == "MK12")]
    assert set(june["series_id"]) == {s["id"] for s in SERIES}
    assert cell(monthly, "laid_off", "MK12", "2026-06")["value"] == number(
        JSON_FILE.name, "MK12", "LOMAUTETTU")
    assert cell(monthly, "unemployed", "SSS", "2026-06")["value"] == 352001


def test_12r5_continues_1001_exactly_where_borders_did_not_change(monthly):
    old = pd.read_csv(RAW / "tem_tyonv_1001" / "data_maakunta_1001.csv")
    old = old.loc[(old["maakunta"] == "Satakunta") & old["time"].str.startswith("2019")]
    assert len(old) == 12
    for row in old.itertuples():
        month = row.time[:7]
        assert cell(monthly, "unemployed", "MK04", month)["value"] == row.Tyottomat
        assert cell(monthly, "labour_force", "MK04", month)["value"] == row.Tyovoima
        assert cell(monthly, "open_vacancies", "MK04", month)["value"] == row.Avoimet_tyopaikat
    country = pd.read_csv(RAW / "tem_tyonv_1001" / "data_kokomaa_1001.csv")
    for row in country.loc[country["time"].str.startswith("2019")].itertuples():
        assert cell(monthly, "unemployed", "SSS", row.time[:7])["value"] == row.Tyottomat


def test_annual_rate_is_mean_over_mean_of_a_full_year(annual):
    unemployed = [CELLS[("MK12", "TYOTTOMATLOPUSSA", m)] for m in MONTHS_2019]
    force = [CELLS[("MK12", "TYOVOIMATK", m)] for m in MONTHS_2019]
    vacancies = [CELLS[("MK12", "AVPAIKATLOPUSSA", m)] for m in MONTHS_2019]
    row = annual.loc[("unemployment_rate", "MK12", 2019)]
    assert row["value"] == pytest.approx(sum(unemployed) / sum(force) * 100, abs=1e-4)
    assert row["flag"] is None
    assert annual.loc[("vacancies_per_100_unemployed", "MK12", 2019), "value"] == pytest.approx(
        sum(vacancies) / sum(unemployed) * 100, abs=1e-4)


def test_short_years_are_partial(annual):
    months = [f"2023-{m:02d}" for m in range(1, 11)]
    row = annual.loc[("unemployment_rate", "SSS", 2023)]
    expected = (sum(CELLS[("SSS", "TYOTTOMATLOPUSSA", m)] for m in months)
                / sum(CELLS[("SSS", "TYOVOIMATK", m)] for m in months) * 100)
    assert row["value"] == pytest.approx(expected, abs=1e-4) and row["flag"] == "partial"
    # June 2026 alone is one month of a seasonal series: no annual figure (it stays monthly)
    assert ("unemployment_rate", "MK12", 2026) not in annual.index
    # Rääkkylä 2019: vacancies suppressed in some months -> a partial annual figure
    assert annual.loc[("vacancies_per_100_unemployed", "707", 2019), "flag"] == "partial"
    assert annual.loc[("unemployment_rate", "707", 2019), "flag"] is None


def test_overlapping_files_are_refused(monthly):
    with pytest.raises(ConvertError, match="overlap"):
        combine([monthly.head(3), monthly.head(1)])


def test_bad_monthly_files_are_clear_errors(tmp_path):
    path = tmp_path / "m.csv"
    for bad in ("12 000", "NA"):
        path.write_text(f"alue,tiedot,value,time\nSSS,TYOTTOMATLOPUSSA,{bad},2019-01\n",
                        encoding="utf-8")
        with pytest.raises(ConvertError, match="m.csv: unreadable values"):
            read_12r5_csv(path)
    path.write_text("alue,tiedot,value,time\nSSS,TYOTTOMATLOPUSSA,1,2019-13\n", encoding="utf-8")
    with pytest.raises(ConvertError, match="month codes not understood"):
        monthly_rows(read_12r5_csv(path), SERIES, DIVISION, "m.csv")
    path.write_text("alue,tiedot,value\nSSS,TYOTTOMATLOPUSSA,1\n", encoding="utf-8")
    with pytest.raises(ConvertError, match=r"columns missing \['time'\]"):
        read_12r5_csv(path)
    path.write_text("alue,tiedot,value,time\nSSS,TYOTOSUUS,12.8,2019-01\n", encoding="utf-8")
    with pytest.raises(ConvertError, match="none of the series codes"):
        monthly_rows(read_12r5_csv(path), SERIES, DIVISION, "m.csv")


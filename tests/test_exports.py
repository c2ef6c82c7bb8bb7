import datetime as dt
import io
import math

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from report_helpers import sql

from presentation import exports
from warehouse import query

AREAS = ["MK07", "MK15", "SSS"]
INDICATOR = "unemployment_rate"


@pytest.fixture(scope="module")
def con(warehouse):
    connection = query.connect(warehouse)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def shown(con):
    """The data an explorer page shows: one indicator for some areas, labelled in Swedish."""
    obs = query.observations(con, indicator_ids=[INDICATOR], area_codes=AREAS)
    return exports.labelled(obs, "sv", query.areas(con), query.indicators(con))


def test_labelled_keeps_the_original_columns_and_values(con, shown):
    obs = query.observations(con, indicator_ids=[INDICATOR], area_codes=AREAS)
    pd.testing.assert_frame_equal(shown[list(obs.columns)], obs)
    assert set(shown["area_name"]) == {"Päijänne-Tavastland", "Österbotten", "Hela landet"}
    assert shown["indicator_label"].notna().all() and shown["unit"].notna().all()


def test_csv_has_a_bom_and_round_trips_exactly(shown):
    data = exports.csv_bytes(shown)
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Österbotten".encode() in data
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"area_code": str})
    assert list(back.columns) == list(shown.columns)
    assert back["value"].tolist() == pytest.approx(shown["value"].astype(float).tolist(),
                                                   rel=0, abs=0, nan_ok=True)


def test_csv_writes_missing_as_an_empty_field():
    frame = pd.DataFrame({"area_code": ["MK01", "MK02"], "value": [1.5, float("nan")],
                          "flag": [None, "missing"]})
    lines = exports.csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines == ["area_code,value,flag", "MK01,1.5,", "MK02,,missing"]


def test_excel_values_equal_the_warehouse(warehouse, con, shown):
    data = exports.excel_bytes(shown, "sv", query.indicators(con), query.sources(con),
                               meta=query.meta(con),
                               generated=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Data", "Metadata"]
    rows = list(wb["Data"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert list(header) == list(shown.columns)
    idx = {name: i for i, name in enumerate(header)}
    expected = sql(warehouse, """
        SELECT area_code, period, value, flag FROM observations
        WHERE indicator_id = ? AND area_code IN (?, ?, ?) ORDER BY area_code, period""",
                   [INDICATOR, *AREAS])
    got = sorted((r[idx["area_code"]], r[idx["period"]], r[idx["value"]], r[idx["flag"]])
                 for r in body)
    assert len(got) == len(expected) > 0
    for (a, p, v, f), (ea, ep, ev, ef) in zip(got, sorted(expected), strict=True):
        assert (a, p, f) == (ea, ep, ef)
        assert (v is None and ev is None) or v == ev  # exact, full precision; missing = empty
    assert all(isinstance(r[idx["value"]], float) for r in body if r[idx["value"]] is not None)


def test_excel_metadata_sheet_describes_the_indicator(warehouse, con, shown):
    data = exports.excel_bytes(shown, "fi", query.indicators(con), query.sources(con),
                               meta=query.meta(con))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Tiedot", "Kuvaus"]
    cells = [c for row in wb["Kuvaus"].iter_rows(values_only=True) for c in row
             if c is not None]
    label, description, unit, licence = sql(warehouse, """
        SELECT label_fi, description_fi, unit_fi, source_licence FROM indicators
        WHERE id = ?""", [INDICATOR])[0]
    for value in (INDICATOR, label, description, unit, licence):
        assert value in cells
    used = {r[0] for r in sql(warehouse, "SELECT DISTINCT source_id FROM observations "
                                         "WHERE indicator_id = ? AND area_code IN (?, ?, ?)",
                              [INDICATOR, *AREAS])}
    titles = {r[0] for r in sql(warehouse, "SELECT source_id FROM sources")}
    assert used <= set(cells)
    assert not (titles - used) & set(cells)  # only the sources of the data shown


def test_parquet_of_the_whole_tables(warehouse, con):
    obs = query.observations(con)
    table = pq.read_table(io.BytesIO(exports.parquet_bytes(obs)))
    assert table.num_rows == sql(warehouse, "SELECT count(*) FROM observations")[0][0]
    back = table.to_pandas()
    assert back.columns.tolist() == ["indicator_id", "area_code", "period", "value", "flag",
                                     "source_id"]
    n_null = sql(warehouse, "SELECT count(*) FROM observations WHERE value IS NULL")[0][0]
    assert int(back["value"].isna().sum()) == n_null
    total = sql(warehouse, "SELECT sum(value) FROM observations")[0][0]
    assert math.isclose(float(back["value"].sum()), total, rel_tol=1e-12)
    scores = query.scores(con)
    s_table = pq.read_table(io.BytesIO(exports.parquet_bytes(scores)))
    assert s_table.num_rows == sql(warehouse, "SELECT count(*) FROM scores")[0][0]
    assert s_table.column_names == query.SCORE_COLUMNS


def test_bad_frames_give_a_clear_error():
    with pytest.raises(exports.ExportError, match="DataFrame"):
        exports.csv_bytes([1, 2, 3])
    dup = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(exports.ExportError, match="duplicate column names: a"):
        exports.excel_bytes(dup, "fi", pd.DataFrame(columns=["id"]), pd.DataFrame())


def test_the_shown_csv_opens_in_columns_in_a_finnish_excel():
    shown = pd.DataFrame({"Alue": ["Pohjois-Karjala", "Koko maa; ja muut"],
                          "Vuosi": [2024, 2024], "Työttömyysaste (%)": [12.3456, float("nan")],
                          "Merkintä": [None, "p"]})
    text = exports.locale_csv_bytes(shown, {"Työttömyysaste (%)": 1}, "fi")
    assert text.startswith(b"\xef\xbb\xbf")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0] == "Alue;Vuosi;Työttömyysaste (%);Merkintä"
    assert lines[1] == "Pohjois-Karjala;2024;12,3;"  # shown decimals, decimal comma
    assert lines[2] == '"Koko maa; ja muut";2024;;p'  # a separator in text is quoted
    back = pd.read_csv(io.BytesIO(text), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Työttömyysaste (%)"].iloc[0] == pytest.approx(12.3)
    en = exports.locale_csv_bytes(shown, {"Työttömyysaste (%)": 2}, "en").decode("utf-8-sig")
    assert en.splitlines()[1] == "Pohjois-Karjala,2024,12.35,"
    sv = exports.locale_csv_bytes(shown, {"Työttömyysaste (%)": 0}, "sv").decode("utf-8-sig")
    assert sv.splitlines()[1] == "Pohjois-Karjala;2024;12;"
    negative = pd.DataFrame({"x": [-0.04, -1234.5]})
    assert exports.locale_csv_bytes(negative, {"x": 1}, "fi").decode(
        "utf-8-sig").splitlines()[1:] == ["0,0", "-1234,5"]


def test_excel_fills_the_method_version_and_shows_the_decimals(con, shown):
    data = exports.excel_bytes(shown, "fi", query.indicators(con), query.sources(con),
                               meta=query.meta(con), method_version="tk-2026.2",
                               decimals={"value": 1})
    wb = load_workbook(io.BytesIO(data))
    meta = {row[0]: row[1] for row in wb["Kuvaus"].iter_rows(values_only=True) if row[0]}
    assert meta["Menetelmäversio"] == "tk-2026.2"
    sheet = wb["Tiedot"]
    header = [c.value for c in sheet[1]]
    column = header.index("value") + 1
    assert sheet.cell(row=2, column=column).number_format == "0.0"

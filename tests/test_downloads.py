import io

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from report_helpers import latest_score_year, pdf_pages, sql, squash
from streamlit.testing.v1 import AppTest

from report.texts import rt
from ui import data, downloads
from ui import format as fmt


def script():
    import pandas as pd

    from ui import downloads

    downloads.brief_buttons("MK07", "sv", 2021, "Päijänne-Tavastland")
    downloads.data_buttons(pd.DataFrame({"area_code": ["MK07"], "value": [1.0]}), "sv",
                           "tilannekuva_test", ["unemployment_rate"])
    downloads.data_buttons(pd.DataFrame(), "sv", "empty", key="empty")
    downloads.table_buttons("sv")


def no_year_script():
    from ui import downloads

    downloads.brief_buttons("MK07", "fi", None, "Päijät-Häme")


def test_buttons_render_deferred_with_labels(warehouse_env):
    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert not at.exception
    buttons = [e.proto for e in at.get("download_button")]
    labels = [b.label for b in buttons]
    assert labels == [rt("download.brief_pdf", "sv"), rt("download.brief_html", "sv"),
                      rt("download.csv", "sv"), rt("download.excel", "sv"),
                      rt("download.csv", "sv"), rt("download.excel", "sv"),
                      rt("download.parquet_observations", "sv"),
                      rt("download.parquet_scores", "sv")]
    enabled = [b for b in buttons if not b.disabled]
    assert len(enabled) == 6  # the empty frame's two buttons are disabled
    assert all(b.HasField("deferred_file_id") for b in enabled)  # made only on click


def test_generated_files_are_real(warehouse_env):
    path, mtime = data.version()
    year = latest_score_year(warehouse_env)
    pdf = downloads._brief(path, mtime, "MK07", "fi", year, "pdf")
    assert pdf.startswith(b"%PDF")
    text = squash(" ".join(pdf_pages(pdf)))
    score = sql(warehouse_env, "SELECT score FROM scores WHERE area_code='MK07' AND period=? "
                               "AND dimension='overall'", [year])[0][0]
    assert "Päijät-Häme" in text and fmt.number(score, 1, "fi") in text
    html = downloads._brief(path, mtime, "MK07", "en", year, "html")
    assert html.startswith(b"<!DOCTYPE html>") and "Päijät-Häme".encode() in html

    shown = pd.DataFrame({"indicator_id": ["unemployment_rate"], "area_code": ["MK07"],
                          "period": [2019], "value": [11.7], "source_id": ["tem_tyonv_1001"]})
    csv = downloads._data_file(shown, "csv", "fi", ("unemployment_rate",), path, mtime)
    assert csv.startswith(b"\xef\xbb\xbf") and "Päijät-Häme".encode() in csv
    xlsx = downloads._data_file(shown, "xlsx", "fi", ("unemployment_rate",), path, mtime)
    wb = load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames == ["Tiedot", "Kuvaus"]

    parquet = downloads._table_file(path, mtime, "observations")
    n = sql(warehouse_env, "SELECT count(*) FROM observations")[0][0]
    assert pq.read_table(io.BytesIO(parquet)).num_rows == n


def test_brief_buttons_are_disabled_without_a_year(warehouse_env):
    at = AppTest.from_function(no_year_script, default_timeout=60)
    at.run()
    assert not at.exception
    buttons = [e.proto for e in at.get("download_button")]
    assert len(buttons) == 2 and all(b.disabled for b in buttons)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_button_texts_exist_in_every_language(lang):
    for key in ("brief_pdf", "brief_html", "brief_help", "csv", "csv_help", "excel",
                "excel_help", "parquet_observations", "parquet_scores", "parquet_help"):
        assert rt(f"download.{key}", lang)
